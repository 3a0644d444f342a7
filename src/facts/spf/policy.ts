/**
 * A domain's SPF policy as a whole, with no client address: its record, and every record reached
 * through include and redirect, with the DNS-querying terms that evaluating them costs when nothing
 * matches (the most an evaluation can cost). The spf check family judges it; the takeover family
 * reads the names it depends on.
 */
import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import type { KnownRecordType } from '../../dns/records.js';
import { followChain } from '../chain.js';
import { queryName } from './domain-name.js';
import { lookUpSpfRecord } from './lookup.js';
import type { SpfRecordLookup } from './lookup.js';
import { hasMacros } from './macro.js';
import type { DomainSpec } from './macro.js';
import { DNS_MECHANISMS, parseSpfRecord } from './record.js';
import type { Mechanism, SpfRecord, SpfRecordParse } from './record.js';

/**
 * Most records fetched for one policy. A policy within the limit of 10 lookups has at most 10
 * includes, so this leaves room to count how far past the limit a policy goes, while bounding what a
 * hostile or looping zone can make one check fetch.
 */
export const MAX_POLICY_RECORDS = 40;

/** Whether the name a term looks up has anything, asked once without a client address. */
export type TargetLookup =
  | { state: 'found' }
  /** No records of the type asked (for "a": neither A nor AAAA): void for every sender. */
  | { state: 'void' }
  /** For "mx": only the null MX (RFC 7505), an answer and so not void, but no host to match. */
  | { state: 'null-mx' }
  | { state: 'failed'; failure: LookupFailure }
  /** The name depends on the sender (macros) or cannot be asked: nothing to look up ahead of time. */
  | { state: 'unknown' };

export type DnsTerm =
  | { kind: 'include' | 'redirect'; text: string; target: string | null; policy: SpfPolicy | 'loop' | 'not-followed' }
  | { kind: 'a' | 'mx' | 'exists'; text: string; target: string | null; lookup: TargetLookup }
  | { kind: 'ptr'; text: string; target: string | null };

export interface SpfPolicy {
  domain: string;
  lookup: SpfRecordLookup;
  /** The record read, when exactly one was found. */
  parse: SpfRecordParse | null;
  /** The terms evaluated when nothing matches, in order: mechanisms up to "all", redirect= when there is no "all". */
  dnsTerms: DnsTerm[];
}

/** The terms an evaluation reaches when nothing matches: all of them up to the first "all" (RFC 7208 §5.1). */
export function reachedMechanisms(record: SpfRecord): Mechanism[] {
  const all = record.mechanisms.findIndex((m) => m.kind === 'all');
  return all === -1 ? record.mechanisms : record.mechanisms.slice(0, all + 1);
}

/** A target known ahead of time: written without macros, as DNS can ask it. */
function fixedTarget(spec: DomainSpec | null, domain: string): string | null {
  if (spec === null) return domain;
  return hasMacros(spec) ? null : queryName(spec.text);
}

async function targetLookup(source: LookupSource, target: string | null, types: KnownRecordType[]): Promise<TargetLookup> {
  if (target === null) return { state: 'unknown' };
  const outcomes = await Promise.all(types.map((type) => followChain(source, target, type)));
  const failed = outcomes.find((o) => o.state === 'failed');
  if (failed?.state === 'failed') return { state: 'failed', failure: failed.failure };
  const records = outcomes.flatMap((o) => (o.state === 'found' ? o.records : []));
  if (records.length === 0) return { state: 'void' };
  return records.every((record) => record.type === 'MX' && record.data.exchange === '.') ? { state: 'null-mx' } : { state: 'found' };
}

class PolicyWalk {
  private fetched = 0;

  constructor(private readonly source: LookupSource) {}

  async policy(domain: string, ancestors: readonly string[]): Promise<SpfPolicy> {
    this.fetched++;
    const lookup = await lookUpSpfRecord(this.source, domain);
    if (lookup.state !== 'found') return { domain, lookup, parse: null, dnsTerms: [] };
    const parse = parseSpfRecord(lookup.raw);
    if (!parse.ok) return { domain, lookup, parse, dnsTerms: [] };
    const path = [...ancestors, domain];
    const dnsTerms: DnsTerm[] = [];
    const mechanisms = reachedMechanisms(parse.record);
    for (const mechanism of mechanisms) {
      if (!DNS_MECHANISMS.has(mechanism.kind)) continue;
      dnsTerms.push(await this.term(mechanism, domain, path));
    }
    const { redirect } = parse.record;
    if (redirect && !mechanisms.some((m) => m.kind === 'all')) {
      dnsTerms.push(await this.followed('redirect', redirect.text, fixedTarget(redirect.domain, domain), path));
    }
    return { domain, lookup, parse, dnsTerms };
  }

  private async term(mechanism: Mechanism, domain: string, path: string[]): Promise<DnsTerm> {
    switch (mechanism.kind) {
      case 'include':
        return this.followed('include', mechanism.text, fixedTarget(mechanism.domain, domain), path);
      case 'a':
      case 'mx':
      case 'exists': {
        const target = fixedTarget(mechanism.domain, domain);
        const types: KnownRecordType[] = mechanism.kind === 'a' ? ['A', 'AAAA'] : mechanism.kind === 'mx' ? ['MX'] : ['A'];
        return { kind: mechanism.kind, text: mechanism.text, target, lookup: await targetLookup(this.source, target, types) };
      }
      case 'ptr':
        return { kind: 'ptr', text: mechanism.text, target: fixedTarget(mechanism.domain, domain) };
      default:
        throw new Error(`${mechanism.kind} does not query DNS`);
    }
  }

  private async followed(kind: 'include' | 'redirect', text: string, target: string | null, path: string[]): Promise<DnsTerm> {
    if (target === null || this.fetched >= MAX_POLICY_RECORDS) return { kind, text, target, policy: 'not-followed' };
    if (path.includes(target)) return { kind, text, target, policy: 'loop' };
    return { kind, text, target, policy: await this.policy(target, path) };
  }
}

/** The SPF policy of `domain` and of everything it includes or redirects to, fetched in record order. */
export function collectSpfPolicy(source: LookupSource, domain: string): Promise<SpfPolicy> {
  return new PolicyWalk(source).policy(domain, []);
}

/** How a record was reached: the include or redirect term, and the domain whose record has it. */
export interface PolicyVia {
  term: Extract<DnsTerm, { kind: 'include' | 'redirect' }>;
  from: string;
}

/** Every policy of the tree, the domain's own first (reached via null), in the order evaluation meets them. */
export function policiesOf(root: SpfPolicy): { policy: SpfPolicy; via: PolicyVia | null }[] {
  const found: { policy: SpfPolicy; via: PolicyVia | null }[] = [];
  const visit = (policy: SpfPolicy, via: PolicyVia | null): void => {
    found.push({ policy, via });
    for (const term of policy.dnsTerms) {
      if ('policy' in term && typeof term.policy !== 'string') visit(term.policy, { term, from: policy.domain });
    }
  };
  visit(root, null);
  return found;
}
