import type { HostFacts, MailFacts } from './mail.js';
import type { ChainOutcome } from './chain.js';
import type { LookupFailure } from '../dns/lookup.js';
import { classifyAddress } from '../net/address.js';
import type { AddressClass } from '../net/address.js';

/** Readings of host facts that several rules share. */

export function addressesOf(outcome: ChainOutcome<'A' | 'AAAA'>): string[] {
  return outcome.state === 'found' ? outcome.records.map((r) => r.data) : [];
}

/** Several rules read a host's classified addresses; facts never change once collected, so once is enough. */
const classifiedByHost = new WeakMap<HostFacts, readonly AddressClass[]>();

export function classifiedAddresses(host: HostFacts): readonly AddressClass[] {
  let classified = classifiedByHost.get(host);
  if (classified === undefined) {
    classified = [...addressesOf(host.a).map((a) => classifyAddress(a, 4)), ...addressesOf(host.aaaa).map((a) => classifyAddress(a, 6))];
    classifiedByHost.set(host, classified);
  }
  return classified;
}

/** The aliases the host's name leads through (the longer reading if the two families disagree). */
export function aliasChain(host: HostFacts): string[] {
  return host.a.chain.length >= host.aaaa.chain.length ? host.a.chain : host.aaaa.chain;
}

/** The lookup is settled and found nothing: the name has no address of this family. */
export function knownEmpty(outcome: ChainOutcome<'A' | 'AAAA'>): boolean {
  return outcome.state === 'nodata' || outcome.state === 'nxdomain' || outcome.state === 'loop';
}

export function lookupFailures(host: HostFacts): LookupFailure[] {
  return [host.a, host.aaaa].flatMap((o) => (o.state === 'failed' ? [o.failure] : []));
}

/** Has a native IPv6 address (an IPv4-mapped AAAA is IPv4 in disguise). */
export function hasIpv6(host: HostFacts): boolean {
  return classifiedAddresses(host).some((c) => c.effectiveFamily === 6);
}

const hostsOfFacts = new WeakMap<MailFacts, readonly HostFacts[]>();

/** The hosts senders would connect to: every looked-up exchange, or the domain itself as implicit MX. Many rules ask; worked out once per domain. */
export function mailHosts(facts: MailFacts): readonly HostFacts[] {
  let hosts = hostsOfFacts.get(facts);
  if (hosts === undefined) {
    hosts = facts.implicit ? [facts.implicit] : facts.exchanges.flatMap((e) => (e.kind === 'host' ? [e.host] : []));
    hostsOfFacts.set(facts, hosts);
  }
  return hosts;
}
