import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { parseDomainInput } from '../../dns/name.js';
import { classifyAddress, describeRange } from '../../net/address.js';

/**
 * The hosts mail leaves from, as `--sending-host` names them: their reverse DNS is what receivers
 * judge, and they need not be the exchanges (a relay, an outbound gateway, a provider's pool).
 */

/** Each costs a PTR and forward lookups per address; a sending pool past this is better checked by its own names. */
export const MAX_SENDING_HOSTS = 32;

export type SendingHost =
  | { kind: 'name'; name: string }
  /** The address as receivers see it: an IPv4-mapped IPv6 address is its IPv4 address. */
  | { kind: 'address'; address: string; family: 4 | 6 };

/** `--sending-host NAME|ADDRESS` read: a host name, or a globally routable address (receivers never see another). */
export function readSendingHost(text: string): { ok: true; host: SendingHost } | { ok: false; problem: string } {
  const typed = text.trim();
  if (isIP(typed) !== 0) {
    const address = ipaddr.process(typed).toString();
    const family = isIP(address) === 4 ? 4 : 6;
    const { globallyRoutable, range } = classifyAddress(address, family);
    if (!globallyRoutable) return { ok: false, problem: `${JSON.stringify(text)} is not a globally routable address (${describeRange(range)}): receivers only ever see the public address mail leaves from` };
    return { ok: true, host: { kind: 'address', address, family } };
  }
  const parsed = parseDomainInput(typed);
  if (!parsed.valid) return { ok: false, problem: `${JSON.stringify(text)} is neither a host name nor an IP address: ${parsed.reason}` };
  return { ok: true, host: { kind: 'name', name: parsed.name } };
}

/** The hosts given, read (the caller validated them), each once. */
export function sendingHostsOf(given: readonly string[]): SendingHost[] {
  const hosts = new Map<string, SendingHost>();
  for (const text of given) {
    const read = readSendingHost(text);
    if (read.ok) hosts.set(read.host.kind === 'name' ? read.host.name : read.host.address, read.host);
  }
  return [...hosts.values()];
}
