import type { SpfLimitReached, SpfResult } from './check-host.js';
import type { SpfFacts } from './collect.js';
import type { DnsTerm, SpfPolicy } from '../../facts/spf/policy.js';
import { policyCost } from './policy.js';
import type { ClientEvaluation, ClientFamily } from './unlisted-clients.js';

/** An include or redirect of the record, as the result shows it. */
export interface SpfIncludeEntry {
  /** As written: "include:_spf.example.net", "redirect=_spf.example.com". */
  term: string;
  /** The domain it names; null when macros make it depend on the sender. */
  domain: string | null;
  /** Its SPF record; null when it has none, it was not followed (macros, a loop) or the lookup failed. */
  record: string | null;
  /** DNS lookups this term costs the evaluation: itself and everything behind it. */
  lookups: number;
  includes: SpfIncludeEntry[];
}

/** check_host() for a client of one address family that the record does not list. */
export interface SpfEvaluationEntry {
  family: ClientFamily;
  /** The address evaluated as the client: a documentation address no term of the record covers. */
  ip: string;
  result: SpfResult;
  /** One line: the term that decided, or what went wrong. */
  reason: string;
  /** DNS-querying terms evaluated (at most 10, RFC 7208 §4.6.4). */
  lookups: number;
  /** Lookups that found nothing (at most 2). */
  voidLookups: number;
  /** The processing limit that ended the evaluation in permerror, if one did. */
  limit: SpfLimitReached['limit'] | null;
}

/** The `spf` section of a domain's result. */
export interface SpfSection {
  /** found: one SPF record; multiple: several, so every check is permerror; none: no record; failed: the lookup failed. */
  state: 'found' | 'multiple' | 'none' | 'failed';
  /** The domain's SPF record; null when it has none, several, or the lookup failed. */
  record: string | null;
  /** DNS-querying terms an evaluation takes when no mechanism matches (RFC 7208 §4.6.4: at most 10). */
  lookups: number;
  /** Of those, the ones whose lookup finds nothing for every sender (at most 2). */
  voidLookups: number;
  /** The include and redirect terms of the record, each with what it leads to. */
  includes: SpfIncludeEntry[];
  /** The record evaluated for an IPv4 and an IPv6 client it does not list; empty when there is no single record that reads. */
  evaluations: SpfEvaluationEntry[];
}

function includeEntries(policy: SpfPolicy): SpfIncludeEntry[] {
  return policy.dnsTerms.flatMap((term: DnsTerm): SpfIncludeEntry[] => {
    if (!('policy' in term)) return [];
    const followed = typeof term.policy === 'string' ? null : term.policy;
    return [{
      term: term.text,
      domain: term.target,
      record: followed?.lookup.state === 'found' ? followed.lookup.text : null,
      lookups: 1 + (followed ? policyCost(followed).lookups : 0),
      includes: followed ? includeEntries(followed) : [],
    }];
  });
}

function evaluationEntry({ family, ip, outcome }: ClientEvaluation): SpfEvaluationEntry {
  const { result, reason, lookups, voidLookups } = outcome;
  return { family, ip, result, reason, lookups, voidLookups, limit: outcome.limit?.limit ?? null };
}

export function spfSection({ policy, evaluations }: SpfFacts): SpfSection {
  const cost = policyCost(policy);
  return {
    state: policy.lookup.state,
    record: policy.lookup.state === 'found' ? policy.lookup.text : null,
    lookups: cost.lookups,
    voidLookups: cost.voidTerms.length,
    includes: includeEntries(policy),
    evaluations: evaluations.map(evaluationEntry),
  };
}
