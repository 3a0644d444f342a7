import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import type { ReverseDnsEntry, ReverseDnsFacts } from '../../facts/reverse-dns.js';

/** Rules about the reverse DNS of the mail hosts: a PTR that leads back to the same address (FCrDNS). */

export const NO_PTR: Record<string, string> = { nxdomain: 'NXDOMAIN', nodata: 'NODATA', loop: 'a CNAME loop' };

/** The PTR lookup settled with no PTR (NXDOMAIN, NODATA, an alias loop): known missing, not a failed lookup. */
export function ptrAbsent(entry: ReverseDnsEntry): boolean {
  return entry.ptr.state !== 'found' && entry.ptr.state !== 'failed';
}

/** Every PTR name was looked up forward and none leads back: a mismatch, not a gap in what is known. */
export function settledWithoutMatch(entry: ReverseDnsEntry): boolean {
  return entry.forward.length > 0 && entry.forward.every((f) => !f.confirms && f.outcome.state !== 'failed');
}

export const mxPtrMissing = defineRule({
  id: 'mx-ptr-missing', family: 'ptr', severity: 'warning', rfc: 'RFC 1912 §2.1',
  summary: 'an exchange address has no PTR record: receivers that require reverse DNS reject mail the host sends (bounces, replies)',
  fix: 'ask whoever runs the address block (the hosting provider) to set a PTR naming the exchange',
  messages: {
    missing: {
      message: '{{host}} address {{address}} has no PTR record ({{name}}: {{state}}): many receivers reject or junk mail from an address without reverse DNS, which hits the bounces and any mail this host sends.',
      fix: 'ask whoever runs the address (the hosting provider) to set its PTR to {{host}}',
    },
  },
}, (facts: ReverseDnsFacts, report) => facts.entries.filter(ptrAbsent).map((entry) => report(
  'missing', { host: entry.host, address: entry.address, name: entry.name, state: NO_PTR[entry.ptr.state]! }, { target: entry.host })));

export const mxPtrMismatch = defineRule({
  id: 'mx-ptr-mismatch', family: 'ptr', severity: 'warning', rfc: 'RFC 8601 §3',
  summary: 'the PTR name of an exchange address does not resolve back to that address (no forward-confirmed reverse DNS)',
  fix: 'make the PTR name resolve (A or AAAA) to the address, or set the PTR to a name that does, such as the exchange',
  messages: {
    notConfirmed: {
      message: '{{host}} address {{address}} has PTR {{names}}, but no such name resolves back to {{address}} ({{lookups}}): receivers that check forward-confirmed reverse DNS (iprev) treat the host as unnamed.',
      fix: 'give {{ptrName}} an {{type}} record of {{address}}, or set the PTR to {{host}}',
    },
  },
}, (facts: ReverseDnsFacts, report) => facts.entries.filter(settledWithoutMatch).map((entry) => {
  const { type, names, lookups, ptrName } = forwardLookups(entry);
  return report('notConfirmed', { host: entry.host, address: entry.address, names, lookups, ptrName, type }, { target: entry.host });
}));

/** What the forward lookups of an address's PTR names found, as the messages about FCrDNS say it. */
export function forwardLookups(entry: ReverseDnsEntry): { type: 'A' | 'AAAA'; names: string; lookups: string; ptrName: string } {
  const type = entry.family === 4 ? 'A' : 'AAAA';
  const lookups = entry.forward.map((f) => `${f.name} → ${f.outcome.state === 'found' ? f.outcome.records.map((r) => r.data).join(', ') : `no ${type} record`}`);
  return { type, names: entry.forward.map((f) => f.name).join(', '), lookups: lookups.join('; '), ptrName: entry.forward[0]!.name };
}

export const mxPtrLookupFailed = lookupFailedRule({ id: 'mx-ptr-lookup-failed', family: 'ptr', subject: 'the reverse DNS of the exchanges' },
  (facts: ReverseDnsFacts) => facts.entries.flatMap((entry) => {
    if (entry.ptr.state === 'failed') return [failedLookup(entry.ptr.failure, entry.host)];
    // A forward lookup that failed only matters when no other PTR name confirmed the address.
    if (entry.forward.some((f) => f.confirms)) return [];
    return entry.forward.flatMap((f) => (f.outcome.state === 'failed' ? [failedLookup(f.outcome.failure, entry.host)] : []));
  }));

export const ptrRules = [mxPtrMissing, mxPtrMismatch, mxPtrLookupFailed];
