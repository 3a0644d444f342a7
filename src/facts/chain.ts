import type { LookupSource } from '../dns/lookup.js';
import type { LookupFailure } from '../dns/lookup.js';
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
  | { state: 'failed'; chain: string[]; failure: LookupFailure }
  | { state: 'loop'; chain: string[] }
  | { state: 'too-long'; chain: string[] };

export function finalName(start: string, outcome: { chain: string[] }): string {
  return outcome.chain[outcome.chain.length - 1] ?? start;
}

/**
 * Asks for `type` at `name` and follows CNAMEs: first through the answer itself, then by asking
 * again where the answer stops short (a server need not chase aliases out of its zones).
 */
export async function followChain<T extends KnownRecordType>(resolver: LookupSource, name: string, type: T): Promise<ChainOutcome<T>> {
  const chain: string[] = [];
  let current = name;
  for (;;) {
    const lookup = await resolver.lookup(current, type);
    if (!lookup.ok) return { state: 'failed', chain, failure: lookup };
    let moved = false;
    for (;;) {
      const alias = lookup.answers.find((r) => r.type === 'CNAME' && r.name === current);
      if (!alias || alias.type !== 'CNAME' || type === 'CNAME') break;
      const target = alias.data;
      if (target === name || chain.includes(target)) return { state: 'loop', chain: [...chain, target] };
      chain.push(target);
      if (chain.length > MAX_CNAME_CHAIN) return { state: 'too-long', chain };
      current = target;
      moved = true;
    }
    const records = lookup.answers.filter((r): r is RecordOf<T> => r.type === type && r.name === current);
    if (records.length > 0) return { state: 'found', chain, records };
    // RFC 6604: after a CNAME, NXDOMAIN speaks for the last name in the chain.
    if (lookup.rcode === 'NXDOMAIN') return { state: 'nxdomain', chain };
    // NOERROR without data after an alias may only mean the server did not chase it: ask the target.
    if (!moved) return { state: 'nodata', chain };
  }
}
