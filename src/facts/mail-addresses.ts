import ipaddr from 'ipaddr.js';
import type { HostFacts, MailFacts } from './mail.js';
import { classifiedAddresses, mailHosts } from './host.js';

/** An address senders would connect to for the domain's mail, with the host that has it. */
export interface MailAddress {
  /** The exchange (or, without MX, the domain as its implicit MX). */
  host: string;
  /** The address a connection really goes to: an IPv4-mapped AAAA is its IPv4 address. */
  address: string;
  family: 4 | 6;
}

/**
 * Every globally routable address of the mail hosts. The others are mx-target-private-address's
 * business: no sender reaches them, and the Internet's reverse zones and block lists know nothing of them.
 */
export function publicMailAddresses(mail: MailFacts): MailAddress[] {
  return mailHosts(mail).flatMap(publicAddressesOf);
}

/** The globally routable addresses of one host. */
export function publicAddressesOf(host: HostFacts): MailAddress[] {
  return classifiedAddresses(host)
    .filter((c) => c.globallyRoutable)
    .map((c) => ({ host: host.name, address: ipaddr.process(c.address).toString(), family: c.effectiveFamily }));
}
