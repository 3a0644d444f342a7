import { collectReverseDnsFacts } from '../../facts/reverse-dns.js';
import type { ReverseDnsEntry, ReverseDnsFacts } from '../../facts/reverse-dns.js';
import { ptrRules } from './rules.js';
import type { PtrSection } from '../../engine/result.js';
import { defineFamily } from '../../core/family.js';

function forwardConfirmed(entry: ReverseDnsEntry): boolean | null {
  if (entry.forward.some((f) => f.confirms)) return true;
  if (entry.ptr.state === 'failed' || entry.forward.some((f) => f.outcome.state === 'failed')) return null;
  return false;
}

export function ptrSection(facts: ReverseDnsFacts): PtrSection {
  return {
    addresses: facts.entries.map((entry) => ({
      host: entry.host,
      address: entry.address,
      family: entry.family,
      names: entry.ptr.state === 'failed' ? null : entry.ptr.state === 'found' ? entry.ptr.records.map((r) => r.data) : [],
      forwardConfirmed: forwardConfirmed(entry),
    })),
  };
}

/** Reverse DNS: each exchange address has a PTR that resolves back to it (forward-confirmed). */
export const ptrFamily = defineFamily({
  name: 'ptr',
  collect: ({ lookups, mail }) => collectReverseDnsFacts(lookups, mail),
  rules: ptrRules,
  section: ptrSection,
});
