import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import { MAX_NAME_LENGTH, nameLabels } from '../../dns/name.js';
import type { MailFacts } from '../../facts/mail.js';
import { lookupTxt } from '../../facts/txt-record.js';
import { domainDoesNotExist, takesNoMail } from '../../facts/mail-domain.js';
import { applyPolicy, isDmarcRecord, parseDmarcRecord } from './record.js';
import type { AppliedPolicy, DmarcRecord, PolicyTarget } from './record.js';
import { applicableIndex, MAX_TREE_WALK_QUERIES, organizationalDomain, walkComplete, walked, walkTree } from './walk.js';
import type { OrganizationalDomain, Walked, WalkStep } from './walk.js';

/** What applies to a name under DMARC policy discovery (RFC 9989 §4.10.1). */
export type PolicyOutcome =
  /** The record at walk step `step` applies; `applied` is null when receivers discard it (a bad p, sp or np, no valid rua). */
  | { state: 'record'; step: number; applied: AppliedPolicy | null }
  /** The walk found no record: receivers apply no DMARC policy. */
  | { state: 'none' }
  /** A failed lookup left it open. */
  | { state: 'unknown' };

/** The policies that apply to the domain, to its existing subdomains (without a record of their own) and to those that do not exist. */
export interface DmarcPolicyOutcomes {
  domain: PolicyOutcome;
  subdomains: PolicyOutcome;
  nonExistent: PolicyOutcome;
}

/** Report hosts whose consent is asked, per record; past this, the rest are listed as not checked (each costs a tree walk and a lookup). */
export const MAX_REPORT_HOSTS_CHECKED = 10;

/** Whether a report destination in another organization agreed to take the reports (RFC 9990 §4). */
export interface ReportAuthorization {
  /** The domain that receives the reports. */
  host: string;
  /** The TXT name asked: <policy domain>._report._dmarc.<host>. */
  name: string;
  uris: string[];
  outcome:
    | { state: 'authorized' }
    | { state: 'unauthorized' }
    /** The name to ask is longer than a DNS name can be: consent cannot be given. */
    | { state: 'too-long' }
    /** Consent given, but with a rua that sends the reports to yet another host: receivers send them nowhere. */
    | { state: 'redirected'; uris: string[] }
    | { state: 'failed'; failure: LookupFailure }
    | { state: 'not-checked' };
}

export interface DmarcFacts {
  domain: string;
  /** The domain announces that it takes no mail (null MX): its DMARC advice differs. */
  nullMx: boolean;
  /** The tree walk from the domain, in the order asked; null when the domain does not exist (nothing was asked). */
  walk: WalkStep[] | null;
  /** The domain's Organizational Domain (§4.10.2); null when a failed lookup left it open, or nothing was asked. */
  organizational: OrganizationalDomain | null;
  policies: DmarcPolicyOutcomes | null;
  /** The report destinations outside the organization of the record that applies to the domain. */
  authorizations: ReportAuthorization[];
}

/** The record a policy outcome points at. */
export function outcomeRecord(walk: readonly WalkStep[], outcome: PolicyOutcome): { domain: string; text: string; parsed: DmarcRecord } | null {
  if (outcome.state !== 'record') return null;
  const step = walk[outcome.step]!;
  return { domain: step.domain, ...step.records[0]! };
}

function outcomeAt(names: readonly Walked[], steps: readonly WalkStep[], target: PolicyTarget): PolicyOutcome {
  const index = applicableIndex(names, organizationalDomain(names));
  if (index === null) return { state: 'none' };
  const step = steps.findIndex((s) => s.domain === names[index]!.domain);
  return { state: 'record', step, applied: applyPolicy(stepRecordAt(steps, step), target) };
}

function stepRecordAt(steps: readonly WalkStep[], index: number): DmarcRecord {
  return steps[index]!.records[0]!.parsed;
}

/**
 * The policies from the walk. A subdomain's own walk starts below the domain and then asks what the
 * domain's walk asked — without the domain itself when it has eight labels or more, as the subdomain's
 * walk skips to its last seven.
 */
export function policyOutcomes(domain: string, steps: readonly WalkStep[]): DmarcPolicyOutcomes {
  const names = walked(steps);
  if (!walkComplete(steps)) {
    const own = names[0]?.record ?? null;
    const self: PolicyOutcome = own === null ? { state: 'unknown' } : { state: 'record', step: 0, applied: applyPolicy(own, 'domain') };
    return { domain: self, subdomains: { state: 'unknown' }, nonExistent: { state: 'unknown' } };
  }
  const below: Walked[] = [{ domain: `*.${domain}`, record: null }, ...(nameLabels(domain).length >= MAX_TREE_WALK_QUERIES ? names.slice(1) : names)];
  return {
    domain: outcomeAt(names, steps, names[0]!.record === null ? 'subdomain' : 'domain'),
    subdomains: outcomeAt(below, steps, 'subdomain'),
    nonExistent: outcomeAt(below, steps, 'non-existent'),
  };
}

/** An Organizational Domain, or the failed lookup that left it open. */
type Organization = { domain: string } | { failure: LookupFailure };

function organizationOfWalk(steps: readonly WalkStep[]): Organization {
  const last = steps.at(-1)!;
  return last.txt.state === 'failed' ? { failure: last.txt.failure } : { domain: organizationalDomain(walked(steps)).domain };
}

/**
 * RFC 9990 §4 (and RFC 9991 §5 for ruf): a report host whose Organizational Domain (by its own tree
 * walk) is not the policy domain's must publish its consent at <policy domain>._report._dmarc.<host>;
 * a wildcard there counts, as DNS answers it.
 */
async function authorizeHost(lookups: LookupSource, policyDomain: string, policy: Organization, host: string, uris: string[]): Promise<ReportAuthorization | null> {
  const organization = organizationOfWalk(await walkTree(lookups, host));
  if ('domain' in organization && 'domain' in policy && organization.domain === policy.domain) return null;
  const name = `${policyDomain}._report._dmarc.${host}`;
  const authorization = (outcome: ReportAuthorization['outcome']): ReportAuthorization => ({ host, name, uris, outcome });
  if (name.length > MAX_NAME_LENGTH) return authorization({ state: 'too-long' });
  const txt = await lookupTxt(lookups, name);
  if (txt.state === 'failed') return authorization({ state: 'failed', failure: txt.failure });
  const consents = txt.state === 'found' ? txt.texts.filter(isDmarcRecord) : [];
  if (consents.length === 0) {
    // Without consent, whether it was needed at all is open while either Organizational Domain is.
    const open = 'failure' in organization ? organization : 'failure' in policy ? policy : null;
    return authorization(open === null ? { state: 'unauthorized' } : { state: 'failed', failure: open.failure });
  }
  const elsewhere = consents.flatMap((text) => parseDmarcRecord(text).rua).filter((uri) => uri.host !== host).map((uri) => uri.uri);
  return authorization(elsewhere.length > 0 ? { state: 'redirected', uris: elsewhere } : { state: 'authorized' });
}

async function authorize(lookups: LookupSource, policyDomain: string, policy: Organization, record: DmarcRecord): Promise<ReportAuthorization[]> {
  const byHost = new Map<string, string[]>();
  for (const uri of [...record.rua, ...record.ruf]) byHost.set(uri.host, [...(byHost.get(uri.host) ?? []), uri.uri]);
  const hosts = [...byHost].filter(([host]) => host !== policyDomain);
  const checked = await Promise.all(hosts.slice(0, MAX_REPORT_HOSTS_CHECKED).map(([host, uris]) => authorizeHost(lookups, policyDomain, policy, host, uris)));
  const skipped = hosts.slice(MAX_REPORT_HOSTS_CHECKED).map(([host, uris]): ReportAuthorization => (
    { host, name: `${policyDomain}._report._dmarc.${host}`, uris, outcome: { state: 'not-checked' } }));
  return [...checked.filter((a) => a !== null), ...skipped];
}

/** What a walk from `domain` tells, before any report destination is asked about. */
export function walkFacts(domain: string, nullMx: boolean, walk: WalkStep[]): DmarcFacts {
  const organizational = walkComplete(walk) ? organizationalDomain(walked(walk)) : null;
  return { domain, nullMx, walk, organizational, policies: policyOutcomes(domain, walk), authorizations: [] };
}

export async function collectDmarcFacts(lookups: LookupSource, mail: MailFacts): Promise<DmarcFacts> {
  const { domain } = mail;
  if (domainDoesNotExist(mail)) return { domain, nullMx: takesNoMail(mail), walk: null, organizational: null, policies: null, authorizations: [] };
  const walk = await walkTree(lookups, domain);
  const facts = walkFacts(domain, takesNoMail(mail), walk);
  const applied = facts.policies!.domain;
  // Receivers that apply no DMARC policy under a record send no reports either.
  if (applied.state !== 'record' || applied.applied === null) return facts;
  // The walk from where the record was found is the rest of the domain's walk.
  const policyOrganization = organizationOfWalk(walk.slice(applied.step));
  return { ...facts, authorizations: await authorize(lookups, walk[applied.step]!.domain, policyOrganization, stepRecordAt(walk, applied.step)) };
}
