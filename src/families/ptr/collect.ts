import type { CheckContext } from '../../facts/context.js';
import type { HostFacts } from '../../facts/mail.js';
import { collectHostFacts } from '../../facts/mail.js';
import { publicAddressesOf, publicMailAddresses } from '../../facts/mail-addresses.js';
import type { MailAddress } from '../../facts/mail-addresses.js';
import { reverseDnsOf } from '../../facts/reverse-dns.js';
import type { ReverseDnsFacts } from '../../facts/reverse-dns.js';
import { sendingHostsOf } from './sending-hosts.js';

/** A sending host given by name, and what its address lookups found. */
export interface SendingHostLookup {
  name: string;
  host: HostFacts;
  /** Its globally routable addresses: the ones whose reverse DNS is checked. */
  addresses: MailAddress[];
}

export interface PtrFacts extends ReverseDnsFacts {
  /** Whose addresses: the exchanges (or the domain as implicit MX), the sending hosts given (--sending-host), or the one a reverse name stands for (profile reverse). */
  hosts: 'exchanges' | 'sending' | 'reverse';
  /** The sending hosts given by name, with their lookups; empty for the exchanges. */
  sendingHosts: SendingHostLookup[];
}

async function sendingHostAddresses(context: CheckContext, given: readonly string[]): Promise<{ addresses: MailAddress[]; lookups: SendingHostLookup[] }> {
  const hosts = sendingHostsOf(given);
  const lookups = await Promise.all(hosts.flatMap((host) => (host.kind === 'name' ? [host.name] : [])).map(async (name): Promise<SendingHostLookup> => {
    const host = await collectHostFacts(context.lookups, name);
    return { name, host, addresses: publicAddressesOf(host) };
  }));
  const literal = hosts.flatMap((host) => (host.kind === 'address' ? [{ host: host.address, address: host.address, family: host.family }] : []));
  return { addresses: [...literal, ...lookups.flatMap((l) => l.addresses)], lookups };
}

/** The reverse DNS of the sending hosts given, else of every globally routable exchange address. */
export async function collectPtrFacts(context: CheckContext): Promise<PtrFacts> {
  const given = context.options.sendingHosts ?? [];
  if (given.length === 0) {
    const entries = await Promise.all(publicMailAddresses(context.mail).map((address) => reverseDnsOf(context.lookups, address)));
    return { hosts: 'exchanges', entries, sendingHosts: [] };
  }
  const { addresses, lookups } = await sendingHostAddresses(context, given);
  const entries = await Promise.all(addresses.map((address) => reverseDnsOf(context.lookups, address)));
  return { hosts: 'sending', entries, sendingHosts: lookups };
}
