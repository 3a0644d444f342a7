/**
 * What an SPF policy tree (src/facts/spf/policy.ts) comes to when nothing matches: the lookups it
 * costs, where evaluation ends, and which terms can let an address pass.
 */
import { DNS_MECHANISMS } from '../../facts/spf/record.js';
import type { Qualifier } from '../../facts/spf/record.js';
import { reachedMechanisms } from '../../facts/spf/policy.js';
import type { DnsTerm, SpfPolicy } from '../../facts/spf/policy.js';

/** What evaluating a policy costs when nothing matches: DNS-querying terms, and the include/redirect loops on the way. */
export interface PolicyCost {
  /** Counting each loop's term once, and each term not followed (macros) as one. */
  lookups: number;
  /** Terms whose lookup finds nothing for every sender. */
  voidTerms: { domain: string; term: string }[];
  /** Include or redirect chains that lead back to a record on their way: evaluation would run into the limit. */
  loops: string[];
}

export function policyCost(policy: SpfPolicy): PolicyCost {
  const cost: PolicyCost = { lookups: 0, voidTerms: [], loops: [] };
  for (const term of policy.dnsTerms) {
    cost.lookups++;
    if ('lookup' in term && term.lookup.state === 'void') cost.voidTerms.push({ domain: policy.domain, term: term.text });
    if (!('policy' in term)) continue;
    if (term.policy === 'loop') cost.loops.push(`${policy.domain}: ${term.text}`);
    if (typeof term.policy === 'string') continue;
    const nested = policyCost(term.policy);
    cost.lookups += nested.lookups;
    for (const term of nested.voidTerms) cost.voidTerms.push(term);
    for (const loop of nested.loops) cost.loops.push(loop);
  }
  return cost;
}

/** Where evaluation ends when no other mechanism matches (RFC 7208 §4.7, §6.1). */
export type PolicyEnd =
  /** At an "all": the record's own, or that of its redirect target (a record with "all" never follows redirect=). */
  | { kind: 'all'; domain: string; text: string; qualifier: Qualifier }
  /** At the record of `domain`, which has neither "all" nor redirect=: neutral, as if it ended in "?all" (§4.7). */
  | { kind: 'default'; domain: string };

/** Null when it is not known: a record that does not read, or a redirect not followed or to a domain without a readable record. */
export function policyEnd(policy: SpfPolicy): PolicyEnd | null {
  if (policy.parse?.ok !== true) return null;
  const all = policy.parse.record.mechanisms.find((m) => m.kind === 'all');
  if (all) return { kind: 'all', domain: policy.domain, text: all.text, qualifier: all.qualifier };
  if (policy.parse.record.redirect === null) return { kind: 'default', domain: policy.domain };
  const redirect = policy.dnsTerms.find((term) => term.kind === 'redirect');
  return redirect && 'policy' in redirect && typeof redirect.policy !== 'string' ? policyEnd(redirect.policy) : null;
}

/** Whether a mechanism that DNS decides can match some address, as far as the lookups made ahead of time tell. */
function canMatch(term: DnsTerm): boolean {
  if ('lookup' in term) return term.lookup.state === 'found' || term.lookup.state === 'unknown';
  if (term.kind === 'ptr') return true;
  if (term.policy === 'not-followed') return true;
  return term.policy !== 'loop' && passingTerms(term.policy).length > 0;
}

/**
 * The terms of the record through which some address can pass (RFC 7208 §4.6.2): the "+" mechanisms
 * evaluation reaches, unless their lookup finds nothing to match (no records, only the null MX) or
 * failed; an include only when its record can pass or depends on the sender; and redirect= when its
 * target's record can pass. An empty list: the record can only fail, softfail or be neutral.
 */
export function passingTerms(policy: SpfPolicy): string[] {
  if (policy.parse?.ok !== true) return [];
  const dnsTerms = policy.dnsTerms.filter((term) => term.kind !== 'redirect').values();
  const passing: string[] = [];
  for (const mechanism of reachedMechanisms(policy.parse.record)) {
    const term = DNS_MECHANISMS.has(mechanism.kind) ? dnsTerms.next().value : undefined;
    if (mechanism.qualifier === '+' && (term === undefined || canMatch(term))) passing.push(mechanism.text);
  }
  const redirect = policy.dnsTerms.find((term) => term.kind === 'redirect');
  if (redirect && canMatch(redirect)) passing.push(redirect.text);
  return passing;
}
