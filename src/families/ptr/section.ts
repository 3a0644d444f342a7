import type { ReverseDnsEntry, ReverseDnsFacts } from '../../facts/reverse-dns.js';

/** `result.ptr` (--checks ptr): reverse DNS of every globally routable exchange address. */
export interface PtrSection {
  addresses: {
    /** The exchange (or the domain, as implicit MX). */
    host: string;
    address: string;
    family: 4 | 6;
    /** The PTR names found; [] when there are none; null when the lookup failed. */
    names: string[] | null;
    /** A PTR name resolves back to the address (FCrDNS); null when not known. */
    forwardConfirmed: boolean | null;
  }[];
}

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
