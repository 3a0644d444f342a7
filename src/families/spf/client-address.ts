import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Memo } from '../../core/memo.js';
import { reverseName } from '../../dns/reverse.js';

/**
 * The address of the SMTP client (<ip> of check_host()). An IPv4-mapped IPv6 address is an IPv4
 * address (RFC 7208 §5: it MUST be considered one), so that is the form kept.
 */
export type ClientAddress =
  | { family: 4; address: ipaddr.IPv4 }
  | { family: 6; address: ipaddr.IPv6 };

/**
 * ipaddr.js parses remembered, by text (null: not an address ipaddr.js reads): the domain check
 * evaluates the same few clients against the same providers' networks and addresses in domain after
 * domain. Past this many the memo starts afresh, so it stays small.
 */
export const MAX_ADDRESS_PARSES_REMEMBERED = 2_000;
/** ipaddr.parse, or null where ipaddr.isValid says no. */
const parsed = new Memo(MAX_ADDRESS_PARSES_REMEMBERED, (text: string) => (ipaddr.isValid(text) ? ipaddr.parse(text) : null));

const clients = new Memo(MAX_ADDRESS_PARSES_REMEMBERED, (text: string): ClientAddress | null => {
  if (isIP(text) === 0 || text.includes('%')) return null;
  const address = ipaddr.process(text);
  return address.kind() === 'ipv4' ? { family: 4, address: address as ipaddr.IPv4 } : { family: 6, address: address as ipaddr.IPv6 };
});

/** An address in its standard text form; not the classful shorthands ("1.2.3") ipaddr.js also reads. Shared between callers, so never changed. */
export function parseClientAddress(text: string): ClientAddress | null {
  return clients.get(text);
}

/** As people write it: dotted quad, or RFC 5952 compressed lower case (the %{c} macro). */
export function readableAddress(client: ClientAddress): string {
  return client.address.toString();
}

const HEX_DIGITS = '0123456789ABCDEF';

/** IPv6 as 32 dot-separated upper-case nibbles, most significant first (RFC 7208 §7.3 writes the %{i} examples this way). */
function dottedNibbles(address: ipaddr.IPv6): string {
  let text = '';
  for (const byte of address.toByteArray()) text += `${text === '' ? '' : '.'}${HEX_DIGITS[byte >> 4]}.${HEX_DIGITS[byte & 0xf]}`;
  return text;
}

/** The %{i} macro: dotted quad, or dot-separated nibbles for IPv6 (RFC 7208 §7.3). */
export function dottedAddress(client: ClientAddress): string {
  return client.family === 4 ? client.address.toString() : dottedNibbles(client.address);
}

/** The name its PTR records live at (an IPv4-mapped client under in-addr.arpa, as the IPv4 address it is). */
export function clientReverseName(client: ClientAddress): string {
  return reverseName(readableAddress(client));
}

/** Whether `text` (an address of the client's family, as a record holds it) lies in the client's /prefix. */
export function addressMatches(client: ClientAddress, text: string, prefix: number): boolean {
  const other = parsed.get(text);
  if (other === null || other.kind() !== client.address.kind()) return false;
  return client.address.match(other, prefix);
}
