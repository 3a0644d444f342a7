import type { PublishedState } from '../../facts/txt-record.js';
import { outcomeRecord } from './collect.js';
import type { DmarcFacts, PolicyOutcome, ReportAuthorization } from './collect.js';
import type { DiscardReason, DmarcPolicy } from './record.js';
import { dmarcName } from './walk.js';
import type { OrganizationalHow, WalkStep } from './walk.js';

/** What receivers apply to one kind of name: the domain, its existing subdomains, its subdomains that do not exist. */
export interface DmarcEffectivePolicy {
  /**
   * applied: a record applies; discarded: one applies but receivers discard it (a bad p, sp or np,
   * no valid rua); none: the walk found no record; unknown: a failed lookup left it open.
   */
  state: 'applied' | 'discarded' | 'none' | 'unknown';
  /** The _dmarc name of the record (applied, discarded). */
  name?: string;
  /** What receivers apply (applied): the declared policy, one level lower under t=y. */
  policy?: DmarcPolicy;
  declared?: DmarcPolicy;
  /** The tag the declared policy comes from; null when receivers act as if p=none (no valid p). */
  tag?: 'p' | 'sp' | 'np' | null;
  /** t=y on a policy other than none: receivers apply one level lower. */
  testing?: boolean;
}

/** One name the tree walk asked, in order. */
export interface DmarcWalkStep {
  name: string;
  /** record: one DMARC record; multiple: several (all discarded); none: no DMARC record; failed: the lookup failed. */
  result: 'record' | 'multiple' | 'none' | 'failed';
  /** The record's psd tag, when it says y or n (the walk stops there). */
  psd?: 'y' | 'n';
}

/** `result.dmarc` (--checks dmarc): the record that applies to the domain and how the tree walk found it. */
export interface DmarcSection {
  /**
   * found: a record applies to the domain; multiple: the walk met several records at one name (all
   * discarded) and none applies; none: no record; failed: a lookup failed; skipped: the domain does not exist.
   */
  state: PublishedState;
  /** The _dmarc name of the record that applies (found), or of the records that were discarded (multiple). */
  name?: string;
  /** That name is not the domain's own: the record is its Organizational Domain's or public suffix's. */
  inherited?: boolean;
  records?: string[];
  /** What receivers apply to the domain (effectivePolicy.domain.policy); null when they discard the record. */
  policy?: DmarcPolicy | null;
  rua?: string[];
  ruf?: string[];
  /** The names the tree walk asked, in order (RFC 9989 §4.10). */
  walk?: DmarcWalkStep[];
  /** The domain's Organizational Domain and how it was found (§4.10.2); absent when a failed lookup left it open. */
  organizationalDomain?: { name: string; how: OrganizationalHow };
  effectivePolicy?: { domain: DmarcEffectivePolicy; subdomains: DmarcEffectivePolicy; nonExistentSubdomains: DmarcEffectivePolicy };
  /** TXT records at the names walked that were meant as DMARC records but that receivers discard. */
  discarded?: { name: string; text: string; reason: DiscardReason }[];
  /** Report destinations in another organization and whether they agreed to take the reports (RFC 9990 §4). */
  reportAuthorizations?: { host: string; name: string; uris: string[]; state: ReportAuthorization['outcome']['state'] }[];
}

function walkResult(step: WalkStep): DmarcWalkStep {
  const name = dmarcName(step.domain);
  if (step.txt.state === 'failed') return { name, result: 'failed' };
  if (step.records.length > 1) return { name, result: 'multiple' };
  if (step.records.length === 0) return { name, result: 'none' };
  const { psd } = step.records[0]!.parsed;
  return psd === 'u' ? { name, result: 'record' } : { name, result: 'record', psd };
}

function effective(walk: readonly WalkStep[], outcome: PolicyOutcome): DmarcEffectivePolicy {
  if (outcome.state !== 'record') return { state: outcome.state };
  const name = dmarcName(walk[outcome.step]!.domain);
  const { applied } = outcome;
  if (applied === null) return { state: 'discarded', name };
  return { state: 'applied', name, policy: applied.effective, declared: applied.declared, tag: applied.tag, testing: applied.testing };
}

/** Where the records are: the name, whether it is the domain's own, their texts. */
function at(facts: DmarcFacts, step: WalkStep): Pick<DmarcSection, 'name' | 'inherited' | 'records'> {
  return { name: dmarcName(step.domain), inherited: step.domain !== facts.domain, records: step.records.map((r) => r.text) };
}

/** The record that applies to the domain, or the records discarded for being several: the section's first fields. */
function head(facts: DmarcFacts, walk: readonly WalkStep[]): DmarcSection {
  const outcome = facts.policies!.domain;
  const found = outcomeRecord(walk, outcome);
  if (found !== null && outcome.state === 'record') {
    return { state: 'found', ...at(facts, walk[outcome.step]!), policy: outcome.applied?.effective ?? null, rua: found.parsed.rua.map((u) => u.uri), ruf: found.parsed.ruf.map((u) => u.uri) };
  }
  if (outcome.state === 'unknown') return { state: 'failed' };
  const several = walk.find((step) => step.records.length > 1);
  return several === undefined ? { state: 'none' } : { state: 'multiple', ...at(facts, several) };
}

export function dmarcSection(facts: DmarcFacts): DmarcSection {
  const { walk, policies } = facts;
  if (walk === null || policies === null) return { state: 'skipped' };
  const org = facts.organizational;
  return {
    ...head(facts, walk),
    walk: walk.map(walkResult),
    ...(org === null ? {} : { organizationalDomain: { name: org.domain, how: org.how } }),
    effectivePolicy: {
      domain: effective(walk, policies.domain), subdomains: effective(walk, policies.subdomains), nonExistentSubdomains: effective(walk, policies.nonExistent),
    },
    discarded: walk.flatMap((step) => step.discarded.map((d) => ({ name: dmarcName(step.domain), ...d }))),
    reportAuthorizations: facts.authorizations.map((a) => ({ host: a.host, name: a.name, uris: a.uris, state: a.outcome.state })),
  };
}
