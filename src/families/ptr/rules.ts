import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import { lookupFailures } from '../../facts/host.js';
import type { ReverseDnsEntry } from '../../facts/reverse-dns.js';
import type { PtrFacts, SendingHostLookup } from './collect.js';

/**
 * Rules about the reverse DNS of the mail hosts — the exchanges, or the sending hosts given with
 * --sending-host: a PTR that leads back to the same address (FCrDNS).
 */

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
  summary: 'a mail host address (an exchange\'s, or a sending host\'s) has no PTR record: receivers that require reverse DNS reject mail the host sends (bounces, replies)',
  fix: 'ask whoever runs the address block (the hosting provider) to set a PTR naming the host',
  messages: {
    missing: {
      message: '{{host}} address {{address}} has no PTR record ({{name}}: {{state}}): many receivers reject or junk mail from an address without reverse DNS, which hits the bounces and any mail this host sends.',
      fix: 'ask whoever runs the address (the hosting provider) to set its PTR to {{host}}',
    },
    // A sending host given as an address: there is no name to advise.
    missingUnnamed: {
      message: 'Sending address {{address}} has no PTR record ({{name}}: {{state}}): many receivers reject or junk mail from an address without reverse DNS.',
      fix: 'ask whoever runs the address (the hosting provider) to set its PTR to the name of the host that sends from it, a name with an A or AAAA record of {{address}}',
    },
  },
}, (facts: PtrFacts, report) => facts.entries.filter(ptrAbsent).map((entry) => {
  const data = { address: entry.address, name: entry.name, state: NO_PTR[entry.ptr.state]! };
  return unnamed(entry) ? report('missingUnnamed', data, { target: entry.address }) : report('missing', { ...data, host: entry.host }, { target: entry.host });
}));

/** A sending host given as an address: no host name stands behind it. */
function unnamed(entry: ReverseDnsEntry): boolean {
  return entry.host === entry.address;
}

export const mxPtrMismatch = defineRule({
  id: 'mx-ptr-mismatch', family: 'ptr', severity: 'warning', rfc: 'RFC 8601 §3',
  summary: 'the PTR name of a mail host address (an exchange\'s, or a sending host\'s) does not resolve back to that address (no forward-confirmed reverse DNS)',
  fix: 'make the PTR name resolve (A or AAAA) to the address, or set the PTR to a name that does, such as the host\'s own',
  messages: {
    notConfirmed: {
      message: '{{host}} address {{address}} has PTR {{names}}, but no such name resolves back to {{address}} ({{lookups}}): receivers that check forward-confirmed reverse DNS (iprev) treat the host as unnamed.',
      fix: 'give {{ptrName}} an {{type}} record of {{address}}, or set the PTR to {{host}}',
    },
    notConfirmedUnnamed: {
      message: 'Sending address {{address}} has PTR {{names}}, but no such name resolves back to {{address}} ({{lookups}}): receivers that check forward-confirmed reverse DNS (iprev) treat the host as unnamed.',
      fix: 'give {{ptrName}} an {{type}} record of {{address}}',
    },
  },
}, (facts: PtrFacts, report) => facts.entries.filter(settledWithoutMatch).map((entry) => {
  const { type, names, lookups, ptrName } = forwardLookups(entry);
  const data = { address: entry.address, names, lookups, ptrName, type };
  return unnamed(entry) ? report('notConfirmedUnnamed', data, { target: entry.address }) : report('notConfirmed', { ...data, host: entry.host }, { target: entry.host });
}));

/** What the forward lookups of an address's PTR names found, as the messages about FCrDNS say it. */
export function forwardLookups(entry: ReverseDnsEntry): { type: 'A' | 'AAAA'; names: string; lookups: string; ptrName: string } {
  const type = entry.family === 4 ? 'A' : 'AAAA';
  const lookups = entry.forward.map((f) => `${f.name} → ${f.outcome.state === 'found' ? f.outcome.records.map((r) => r.data).join(', ') : `no ${type} record`}`);
  return { type, names: entry.forward.map((f) => f.name).join(', '), lookups: lookups.join('; '), ptrName: entry.forward[0]!.name };
}

/** A sending host name whose lookups settled without one globally routable address: nothing of it to check. */
function withoutAddress(lookup: SendingHostLookup): boolean {
  return lookup.addresses.length === 0 && lookupFailures(lookup.host).length === 0;
}

export const sendingHostNoAddress = defineRule({
  id: 'sending-host-no-address', family: 'ptr', severity: 'unknown', rfc: 'RFC 1034 §3.6, RFC 6890',
  summary: 'a sending host given by name (--sending-host) has no globally routable address: its reverse DNS cannot be checked',
  fix: 'name the host mail really leaves from, by a name with an A or AAAA record, or by its public address',
  messages: {
    noAddress: '{{host}}, given as a sending host, has no A or AAAA record ({{state}}): there is no address whose reverse DNS to check.',
    notRoutable: '{{host}}, given as a sending host, has only addresses that are not globally routable ({{addresses}}): receivers never see mail from them, so there is no reverse DNS of theirs to check.',
  },
}, (facts: PtrFacts, report) => facts.sendingHosts.filter(withoutAddress).map((lookup) => {
  const { a, aaaa } = lookup.host;
  const found = [a, aaaa].flatMap((o) => (o.state === 'found' ? o.records.map((r) => r.data) : []));
  if (found.length > 0) return report('notRoutable', { host: lookup.name, addresses: found.join(', ') }, { target: lookup.name });
  // Nothing found and nothing failed: the A lookup settled as NXDOMAIN, NODATA or a loop.
  return report('noAddress', { host: lookup.name, state: NO_PTR[a.state] ?? a.state }, { target: lookup.name });
}));

export const mxPtrLookupFailed = lookupFailedRule({ id: 'mx-ptr-lookup-failed', family: 'ptr', subject: 'the reverse DNS of the mail hosts' },
  (facts: PtrFacts) => [
    // An address family whose lookup failed may hold addresses without reverse DNS, found addresses or not.
    ...facts.sendingHosts.flatMap((lookup) => lookupFailures(lookup.host).map((failure) => failedLookup(failure, lookup.name))),
    ...facts.entries.flatMap((entry) => {
      if (entry.ptr.state === 'failed') return [failedLookup(entry.ptr.failure, entry.host)];
      // A forward lookup that failed only matters when no other PTR name confirmed the address.
      if (entry.forward.some((f) => f.confirms)) return [];
      return entry.forward.flatMap((f) => (f.outcome.state === 'failed' ? [failedLookup(f.outcome.failure, entry.host)] : []));
    }),
  ]);

export const ptrRules = [mxPtrMissing, mxPtrMismatch, sendingHostNoAddress, mxPtrLookupFailed];
