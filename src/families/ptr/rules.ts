import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import type { ReverseDnsEntry, ReverseDnsFacts } from '../../facts/reverse-dns.js';

/** Rules about the reverse DNS of the mail hosts: a PTR that leads back to the same address (FCrDNS). */

export const NO_PTR: Record<string, string> = { nxdomain: 'NXDOMAIN', nodata: 'NODATA', loop: 'a CNAME loop' };

function describeAddress(entry: ReverseDnsEntry): string {
  return `${entry.host} address ${entry.address}`;
}

/** The PTR lookup settled with no PTR (NXDOMAIN, NODATA, an alias loop): known missing, not a failed lookup. */
export function ptrAbsent(entry: ReverseDnsEntry): boolean {
  return entry.ptr.state !== 'found' && entry.ptr.state !== 'failed';
}

/** Every PTR name was looked up forward and none leads back: a mismatch, not a gap in what is known. */
export function settledWithoutMatch(entry: ReverseDnsEntry): boolean {
  return entry.forward.length > 0 && entry.forward.every((f) => !f.confirms && f.outcome.state !== 'failed');
}

export const mxPtrMissing: Rule<ReverseDnsFacts> = defineLegacyRule({
  id: 'mx-ptr-missing', family: 'ptr', severity: 'warning', rfc: 'RFC 1912 §2.1',
  summary: 'an exchange address has no PTR record: receivers that require reverse DNS reject mail the host sends (bounces, replies)',
  fix: 'ask whoever runs the address block (the hosting provider) to set a PTR naming the exchange',
}, (facts, report) => facts.entries
  .filter(ptrAbsent)
  .map((entry) => report(
    `${describeAddress(entry)} has no PTR record (${entry.name}: ${NO_PTR[entry.ptr.state]}): many receivers reject or junk mail from an address without reverse DNS, which hits the bounces and any mail this host sends (RFC 1912 §2.1). Ask whoever runs the address (the hosting provider) to set its PTR to ${entry.host}.`,
    entry.host)));

export const mxPtrMismatch: Rule<ReverseDnsFacts> = defineLegacyRule({
  id: 'mx-ptr-mismatch', family: 'ptr', severity: 'warning', rfc: 'RFC 8601 §3',
  summary: 'the PTR name of an exchange address does not resolve back to that address (no forward-confirmed reverse DNS)',
  fix: 'make the PTR name resolve (A or AAAA) to the address, or set the PTR to a name that does, such as the exchange',
}, (facts, report) => facts.entries.filter(settledWithoutMatch).map((entry) => {
  const names = entry.forward.map((f) => `${f.name} → ${f.outcome.state === 'found' ? f.outcome.records.map((r) => r.data).join(', ') : `no ${entry.family === 4 ? 'A' : 'AAAA'} record`}`);
  return report(
    `${describeAddress(entry)} has PTR ${entry.forward.map((f) => f.name).join(', ')}, but no such name resolves back to ${entry.address} (${names.join('; ')}): receivers that check forward-confirmed reverse DNS (iprev, RFC 8601 §3) treat the host as unnamed. Give ${entry.forward[0]!.name} an ${entry.family === 4 ? 'A' : 'AAAA'} record of ${entry.address}, or set the PTR to ${entry.host}.`,
    entry.host);
}));

export const mxPtrLookupFailed: Rule<ReverseDnsFacts> = lookupFailedRule({ id: 'mx-ptr-lookup-failed', family: 'ptr', subject: 'the reverse DNS of the exchanges' },
  (facts) => facts.entries.flatMap((entry) => {
    if (entry.ptr.state === 'failed') return [failedLookup(entry.ptr.failure, entry.host)];
    // A forward lookup that failed only matters when no other PTR name confirmed the address.
    if (entry.forward.some((f) => f.confirms)) return [];
    return entry.forward.flatMap((f) => (f.outcome.state === 'failed' ? [failedLookup(f.outcome.failure, entry.host)] : []));
  }));

export const ptrRules: readonly Rule<ReverseDnsFacts>[] = [mxPtrMissing, mxPtrMismatch, mxPtrLookupFailed];
