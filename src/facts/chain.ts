import type { LookupSource } from '../dns/lookup.js';
import type { LookupAnswer, LookupFailure } from '../dns/lookup.js';
import type { KnownRecordType, RecordOf } from '../dns/records.js';

/** RFC 1034 §5.3.2 lets a resolver stop at some depth; 8 covers every sane chain and stops loops cold. */
export const MAX_CNAME_CHAIN = 8;

/**
 * Where a lookup ended after following aliases. `chain` lists the names the question was redirected
 * to, in order (empty when the name is not an alias); the final name is the last of them.
 */
export type ChainOutcome<T extends KnownRecordType> =
  | { state: 'found'; chain: string[]; records: RecordOf<T>[] }
  | { state: 'nodata'; chain: string[] }
  | { state: 'nxdomain'; chain: string[] }
  /** The lookup failed, or the chain runs past MAX_CNAME_CHAIN (kind alias-chain): where it ends is not known. */
  | { state: 'failed'; chain: string[]; failure: LookupFailure }
  /** Certain: the aliases lead back to themselves, so no record can be read at the end. */
  | { state: 'loop'; chain: string[] };

/** The chain cannot be followed to its end: it loops, or runs past MAX_CNAME_CHAIN. */
export function aliasChainBroken(outcome: ChainOutcome<KnownRecordType>): boolean {
  return outcome.state === 'loop' || (outcome.state === 'failed' && outcome.failure.kind === 'alias-chain');
}

export function finalName(start: string, outcome: { chain: string[] }): string {
  return outcome.chain[outcome.chain.length - 1] ?? start;
}

interface Settled {
  name: string;
  type: string;
  outcome: ChainOutcome<KnownRecordType>;
}

/**
 * Outcomes settled by one answer alone, by that answer. A cached lookup is one object however
 * often it is handed out, so in a bulk run the answers about a shared provider's exchanges are
 * read once, not once per domain; an answer that expires is a new object, read afresh. The name
 * and type are kept to be checked, for sources that hand out one answer object for several
 * questions.
 */
const settledBy = new WeakMap<LookupAnswer, Settled>();

/**
 * Asks for `type` at `name` and follows CNAMEs: first through the answer itself, then by asking
 * again where the answer stops short (a server need not chase aliases out of its zones). Outcomes
 * are shared and must not be changed.
 */
export async function followChain<T extends KnownRecordType>(resolver: LookupSource, name: string, type: T): Promise<ChainOutcome<T>> {
  const chain: string[] = [];
  let current = name;
  for (;;) {
    const lookup = await resolver.lookup(current, type);
    if (!lookup.ok) return { state: 'failed', chain, failure: lookup };
    const first = current === name;
    if (first) {
      const settled = settledBy.get(lookup);
      if (settled !== undefined && settled.name === name && settled.type === type) return settled.outcome as ChainOutcome<T>;
    }
    const outcome = readAnswer(lookup, name, type, chain, current);
    if (typeof outcome === 'string') {
      current = outcome;
      continue;
    }
    if (first) settledBy.set(lookup, { name, type, outcome });
    return outcome;
  }
}

/** What one answer alone says about `name`'s chain: where it ends, or the alias it stops at. */
export function chainInAnswer<T extends KnownRecordType>(lookup: LookupAnswer, name: string, type: T): ChainOutcome<T> | string {
  return readAnswer(lookup, name, type, [], name);
}

/** A chain that cannot be followed to its end, as a failed lookup: nothing can be said of the records at its end. */
export function aliasChainFailure(name: string, type: string, broken: { why: 'loop' | 'too-long'; chain: string[] }, server?: string): LookupFailure {
  const path = [name, ...broken.chain].join(' → ');
  const why = broken.why === 'loop' ? 'loops' : `is longer than ${MAX_CNAME_CHAIN} aliases`;
  return {
    ok: false, question: { name, type }, kind: 'alias-chain', message: `${type} ${name}: the CNAME chain ${why} (${path})`,
    extendedErrors: [], durationMs: 0, ...(server === undefined ? {} : { server }),
  };
}

/** What one answer says about the chain: where it ends, or the name to ask next. */
function readAnswer<T extends KnownRecordType>(lookup: LookupAnswer, name: string, type: T, chain: string[], asked: string): ChainOutcome<T> | string {
  let current = asked;
  let moved = false;
  for (;;) {
    const alias = lookup.answers.find((r) => r.type === 'CNAME' && r.name === current);
    if (!alias || alias.type !== 'CNAME' || type === 'CNAME') break;
    const target = alias.data;
    if (target === name || chain.includes(target)) return { state: 'loop', chain: [...chain, target] };
    chain.push(target);
    if (chain.length > MAX_CNAME_CHAIN) return { state: 'failed', chain, failure: aliasChainFailure(name, type, { why: 'too-long', chain }, lookup.server) };
    current = target;
    moved = true;
  }
  const records = lookup.answers.filter((r): r is RecordOf<T> => r.type === type && r.name === current);
  if (records.length > 0) return { state: 'found', chain, records };
  // RFC 6604: after a CNAME, NXDOMAIN speaks for the last name in the chain.
  if (lookup.rcode === 'NXDOMAIN') return { state: 'nxdomain', chain };
  // NOERROR without data after an alias may only mean the server did not chase it: ask the target.
  if (!moved) return { state: 'nodata', chain };
  return current;
}
