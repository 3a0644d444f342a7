import type { DnsblEntry, DnsblFacts } from './collect.js';

/** `result.dnsbl` (--checks dnsbl with --dnsbl LISTS): each exchange address on each list. */
export interface DnsblSection {
  zones: string[];
  listings: {
    host: string;
    address: string;
    zone: string;
    /** listed; not-listed; unknown: the lookup failed or the list answered an error code. */
    state: 'listed' | 'not-listed' | 'unknown';
    /** The A records the list answered (listed, or an error code). */
    codes?: string[];
    reason?: string | null;
  }[];
}

function listing(entry: DnsblEntry): DnsblSection['listings'][number] {
  const base = { host: entry.host, address: entry.address, zone: entry.zone };
  const { verdict } = entry;
  switch (verdict.state) {
    case 'listed': return { ...base, state: 'listed', codes: verdict.codes, reason: verdict.reason };
    case 'not-listed': return { ...base, state: 'not-listed' };
    case 'error-code': return { ...base, state: 'unknown', codes: verdict.codes };
    case 'failed': return { ...base, state: 'unknown' };
  }
}

export function dnsblSection(facts: DnsblFacts): DnsblSection {
  return { zones: facts.zones, listings: facts.entries.map(listing) };
}
