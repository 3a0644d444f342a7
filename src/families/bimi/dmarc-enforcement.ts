import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import { lookupTxt, textsOf } from '../../facts/txt-record.js';
import { DKIM_TAG_NAME, parseTagList, tagValue } from '../common/tag-list.js';

/**
 * What BIMI asks of DMARC (draft-brand-indicators-for-message-identification §2, §7.1): an enforcing
 * policy — quarantine at 100% or reject — at the domain and at its Organizational Domain, no
 * subdomain policy of none, and (RFC 9989) not in testing mode. Only the tags that decide this are
 * read here, from the `_dmarc` records as receivers keep them (v=DMARC1 first); the DMARC family
 * judges the records themselves.
 */

export interface DmarcPolicyTags {
  /** p, sp lower-case as written; null when absent. */
  p: string | null;
  sp: string | null;
  /** pct as written; null when absent. */
  pct: string | null;
  /** t=y: the policy is in testing mode, applied one step weaker (RFC 9989). */
  testing: boolean;
}

export type DmarcAt =
  | { state: 'found'; name: string; text: string; tags: DmarcPolicyTags }
  /** More than one record: receivers apply none. */
  | { state: 'multiple'; name: string; count: number }
  | { state: 'none'; name: string }
  | { state: 'failed'; name: string; failure: LookupFailure };

export interface DmarcEnforcementFacts {
  domain: string;
  /** _dmarc.DOMAIN. */
  own: DmarcAt;
  /** The Organizational Domain and its _dmarc records; null when the domain is its own. */
  organizational: { domain: string; at: DmarcAt } | null;
}

/** What receivers keep (RFC 7489 §6.4, RFC 9989): v=DMARC1 as the very first tag. */
const DMARC_VERSION_FIRST = /^v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)/;

function readTags(text: string): DmarcPolicyTags {
  const list = parseTagList(text, { spaceAroundEquals: true, tagName: DKIM_TAG_NAME });
  const lower = (name: string): string | null => tagValue(list, name)?.toLowerCase() ?? null;
  return { p: lower('p'), sp: lower('sp'), pct: tagValue(list, 'pct') ?? null, testing: lower('t') === 'y' };
}

async function dmarcAt(lookups: LookupSource, domain: string): Promise<DmarcAt> {
  const name = `_dmarc.${domain}`;
  const txt = await lookupTxt(lookups, name);
  if (txt.state === 'failed') return { state: 'failed', name, failure: txt.failure };
  const records = textsOf(txt, (text) => DMARC_VERSION_FIRST.test(text));
  if (records.length > 1) return { state: 'multiple', name, count: records.length };
  return records.length === 0 ? { state: 'none', name } : { state: 'found', name, text: records[0]!, tags: readTags(records[0]!) };
}

export async function collectDmarcEnforcement(lookups: LookupSource, domain: string, organizational: string | null): Promise<DmarcEnforcementFacts> {
  const other = organizational !== null && organizational !== domain ? organizational : null;
  const [own, org] = await Promise.all([dmarcAt(lookups, domain), other === null ? null : dmarcAt(lookups, other)]);
  return { domain, own, organizational: other === null || org === null ? null : { domain: other, at: org } };
}

export type Enforcement =
  | { state: 'enforced' }
  /** Why BIMI is not allowed, one clause each. */
  | { state: 'not-enforced'; reasons: string[] }
  | { state: 'failed'; failures: LookupFailure[] };

const ENFORCING = ['quarantine', 'reject'];

/** A found record against BIMI's demands (§7.1 steps 7 to 9, and RFC 9989's t=y), one clause each. */
function recordReasons(at: Extract<DmarcAt, { state: 'found' }>): string[] {
  const { p, sp, pct, testing } = at.tags;
  const reasons: string[] = [];
  if (p === null || !ENFORCING.includes(p)) reasons.push(`${at.name} has ${p === null ? 'no p tag' : `p=${p}`}, not quarantine or reject`);
  if (sp === 'none') reasons.push(`${at.name} has sp=none`);
  if ((p === 'quarantine' || sp === 'quarantine') && pct !== null && pct !== '100') reasons.push(`${at.name} quarantines only pct=${pct}% of failing mail`);
  if (testing) reasons.push(`${at.name} has t=y (testing: receivers apply a policy one step weaker)`);
  return reasons;
}

/** Why a name without a usable record fails BIMI's demands. */
function absence(at: Extract<DmarcAt, { state: 'none' | 'multiple' }>): string {
  return at.state === 'multiple' ? `${at.name} has ${at.count} DMARC records, so receivers apply none` : `there is no DMARC record at ${at.name}`;
}

/**
 * The verdict: does DMARC enforce as BIMI requires? Every record found (the domain's, its
 * Organizational Domain's) must; a domain without a record of its own takes its Organizational
 * Domain's (sp, else p), which must then be there.
 */
export function dmarcEnforcement(facts: DmarcEnforcementFacts): Enforcement {
  const own = facts.own;
  const org = facts.organizational?.at ?? null;
  const failures = [own, org].flatMap((at) => (at?.state === 'failed' ? [at.failure] : []));
  if (failures.length > 0) return { state: 'failed', failures };
  const reasons: string[] = [];
  for (const at of [own, org]) if (at?.state === 'found') reasons.push(...recordReasons(at));
  if (own.state === 'multiple') reasons.push(absence(own));
  if (own.state === 'none' && org?.state !== 'found') reasons.push(absence(own));
  if (org !== null && org.state !== 'found' && org.state !== 'failed') reasons.push(`${absence(org)}, the Organizational Domain`);
  return reasons.length === 0 ? { state: 'enforced' } : { state: 'not-enforced', reasons };
}
