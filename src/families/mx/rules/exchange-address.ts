import { defineRule } from '../../../core/rule.js';
import type { HostFacts, MailFacts } from '../../../facts/mail.js';
import { classifiedAddresses, hasIpv6, knownEmpty, mailHosts } from '../../../facts/host.js';
import { describeRange } from '../../../net/address.js';
import type { ChainOutcome } from '../../../facts/chain.js';
import { organizationalDomain } from '../../../facts/organizational-domain.js';

/** Rules about where mail would actually go: the addresses of each exchange (or of the implicit MX). */

function whyNoAddress(host: HostFacts): string | null {
  const { a, aaaa } = host;
  const loop = [a, aaaa].find((o) => o.state === 'loop');
  if (loop) return `its CNAME chain loops (${[host.name, ...loop.chain].join(' → ')}), so it has no address`;
  if (!knownEmpty(a) || !knownEmpty(aaaa)) return null;
  const name = (o: ChainOutcome<'A' | 'AAAA'>): string => o.chain[o.chain.length - 1] ?? host.name;
  const where = name(a) === host.name ? host.name : `its alias target ${name(a)}`;
  if (a.state === 'nxdomain' && aaaa.state === 'nxdomain') return `${where} does not exist (NXDOMAIN)`;
  if (a.state === 'nodata' && aaaa.state === 'nodata') return `${where} exists but has no A or AAAA record (NODATA)`;
  return `${where} has no A record (${a.state === 'nxdomain' ? 'NXDOMAIN' : 'NODATA'}) and no AAAA record (${aaaa.state === 'nxdomain' ? 'NXDOMAIN' : 'NODATA'})`;
}

export const mxTargetNoAddress = defineRule({
  id: 'mx-target-no-address', family: 'mx', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'the exchange has no A and no AAAA record (NODATA or NXDOMAIN), or its CNAME chain loops or is too long',
  fix: 'publish an A (and AAAA) record for the exchange, or point the MX at a host that has one',
  messages: { noAddress: 'MX exchange {{exchange}} cannot be reached: {{why}}.' },
}, (facts: MailFacts, report) => {
  if (facts.implicit) return [];
  return mailHosts(facts).flatMap((host) => {
    const why = whyNoAddress(host);
    return why === null ? [] : [report('noAddress', { exchange: host.name, why }, { target: host.name })];
  });
});

export const mxTargetPrivateAddress = defineRule({
  id: 'mx-target-private-address', family: 'mx', severity: 'error', rfc: 'RFC 6890, RFC 5321 §5.1',
  summary: 'an address of the exchange is not globally routable (private, loopback, link-local, documentation …)',
  fix: 'publish only the public addresses of the mail server in DNS; keep internal addresses in an internal view',
  messages: { unroutable: '{{host}} has {{addressWord}} no sender on the Internet can reach: {{addresses}}.' },
}, (facts: MailFacts, report) => mailHosts(facts).flatMap((host) => {
  const bad = classifiedAddresses(host).filter((c) => !c.globallyRoutable);
  if (bad.length === 0) return [];
  const addresses = bad.map((c) => `${c.address} (${describeRange(c.range)}${c.family !== c.effectiveFamily ? ', IPv4-mapped' : ''})`).join(', ');
  return [report('unroutable', { host: host.name, addressWord: bad.length > 1 ? 'addresses' : 'an address', addresses }, { target: host.name })];
}));

export const mxTargetIpv6Only = defineRule({
  id: 'mx-target-ipv6-only', family: 'mx', severity: 'warning', rfc: 'RFC 5321 §5.1, RFC 3974',
  summary: 'the exchange has AAAA but no A: IPv4-only senders cannot reach it',
  fix: 'publish an A record for the exchange, or add an exchange that has one',
  messages: { ipv6Only: '{{host}} has only AAAA records ({{addresses}}) and no A record: senders without IPv6 — still most of them — cannot deliver to it.' },
}, (facts: MailFacts, report) => mailHosts(facts).flatMap((host) => (!knownEmpty(host.a) || host.aaaa.state !== 'found' ? []
  : [report('ipv6Only', { host: host.name, addresses: host.aaaa.records.map((r) => r.data).join(', ') }, { target: host.name })])));

export const mxNoIpv6 = defineRule({
  id: 'mx-no-ipv6', family: 'mx', severity: 'info', rfc: 'RFC 3974',
  summary: 'no exchange has an IPv6 (AAAA) address',
  fix: 'publish AAAA records for the exchanges when the servers have IPv6',
  messages: { noIpv6: 'No mail host of {{domain}} has an IPv6 address (AAAA; IPv4-mapped ones do not count): IPv6-only senders cannot deliver.' },
}, (facts: MailFacts, report) => {
  const hosts = mailHosts(facts);
  // Hosts without any address are another rule's business; IPv6 is only worth noting where IPv4 works.
  const addressed = hosts.filter((h) => classifiedAddresses(h).length > 0);
  if (addressed.length === 0 || hosts.some((h) => h.aaaa.state === 'failed' || hasIpv6(h))) return [];
  return [report('noIpv6', { domain: facts.domain })];
});

/** Several servers behind the one name: more than one address of a family (a load balancer, a provider's pool). */
function severalServers(host: HostFacts): boolean {
  const families = classifiedAddresses(host).map((c) => c.family);
  return families.filter((f) => f === 4).length > 1 || families.filter((f) => f === 6).length > 1;
}

export const mxSingle = defineRule({
  id: 'mx-single', family: 'mx', severity: 'info', rfc: 'RFC 5321 §5.1',
  summary: 'one exchange, in the domain\'s own organization, with one address: one server, and no backup while it is down (senders queue and retry)',
  fix: 'add a second exchange with a higher preference value, ideally on another network',
  messages: { single: "{{domain}} has a single MX exchange ({{exchange}}), with one address per IP version: while that server is down, mail waits in senders' queues." },
}, (facts: MailFacts, report) => {
  if (facts.mx.state !== 'found' || facts.mx.records.some((r) => r.data.exchange === '.')) return [];
  const [exchange, ...others] = facts.exchanges;
  if (exchange?.kind !== 'host' || others.length > 0) return [];
  // Without an address, the other rules say what is wrong; with several, there are several servers.
  if (classifiedAddresses(exchange.host).length === 0 || severalServers(exchange.host)) return [];
  // A mail provider's exchange (another organization's name) has its redundancy behind the name, and
  // providers have their customers publish it alone: a second exchange is not the domain's to add.
  const own = organizationalDomain(facts.domain);
  const operator = organizationalDomain(exchange.name);
  if (own !== null && operator !== null && own !== operator) return [];
  return [report('single', { domain: facts.domain, exchange: exchange.name }, { target: exchange.name, shared: { name: exchange.name, own: false } })];
});
