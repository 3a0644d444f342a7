import type { ReverseDnsEntry } from '../../facts/reverse-dns.js';
import type { PtrFacts } from './collect.js';

/** `result.ptr` (--checks ptr): reverse DNS of every globally routable exchange address, or of the sending hosts given. */
export interface PtrSection {
  /** Whose addresses: the exchanges (or the domain as implicit MX), the sending hosts given with --sending-host, or the one a reverse name stands for. */
  hosts: PtrFacts['hosts'];
  /** Sending hosts given by name that left no address to check: none found, none globally routable, or the lookup failed. */
  unresolved?: { host: string; reason: 'no-address' | 'not-routable' | 'failed' }[];
  addresses: {
    /** The exchange (or the domain, as implicit MX), or the sending host (its address, when given as one). */
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

function unresolved(facts: PtrFacts): NonNullable<PtrSection['unresolved']> {
  return facts.sendingHosts.filter((lookup) => lookup.addresses.length === 0).map(({ name, host }) => {
    const failed = host.a.state === 'failed' || host.aaaa.state === 'failed';
    const found = host.a.state === 'found' || host.aaaa.state === 'found';
    return { host: name, reason: failed ? 'failed' : found ? 'not-routable' : 'no-address' };
  });
}

export function ptrSection(facts: PtrFacts): PtrSection {
  return {
    hosts: facts.hosts,
    ...(facts.hosts === 'sending' ? { unresolved: unresolved(facts) } : {}),
    addresses: facts.entries.map((entry) => ({
      host: entry.host,
      address: entry.address,
      family: entry.family,
      names: entry.ptr.state === 'failed' ? null : entry.ptr.state === 'found' ? entry.ptr.records.map((r) => r.data) : [],
      forwardConfirmed: forwardConfirmed(entry),
    })),
  };
}
