import { collectDnsblFacts } from './collect.js';
import type { DnsblEntry, DnsblFacts } from './collect.js';
import { dnsblRules } from './rules.js';
import type { DnsblSection } from '../../engine/result.js';
import { defineFamily } from '../../core/family.js';

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

function dnsblSection(facts: DnsblFacts): DnsblSection {
  return { zones: facts.zones, listings: facts.entries.map(listing) };
}

/** DNS block lists (RFC 5782): every exchange address looked up in the lists given with --dnsbl. */
export const dnsblFamily = defineFamily({
  name: 'dnsbl',
  collect: ({ lookups, mail, options }) => collectDnsblFacts(lookups, mail, options.dnsbl ?? []),
  rules: dnsblRules,
  section: dnsblSection,
});
