import ipaddr from 'ipaddr.js';

/** An address of a host as the result shows it. */
export interface AddressEntry {
  address: string;
  family: 4 | 6;
}

/** ipaddr.js range names that no sender on the Internet can reach. */
const UNROUTABLE_IPV4 = new Set(['unspecified', 'broadcast', 'multicast', 'linkLocal', 'loopback', 'carrierGradeNat', 'private', 'reserved']);
const UNROUTABLE_IPV6 = new Set(['unspecified', 'linkLocal', 'multicast', 'loopback', 'uniqueLocal', 'reserved', 'discard',
  'benchmarking', 'deprecatedSiteLocal', 'orchid2']);

/** Shared between every result that meets the address, so never changed once made. */
export interface AddressClass {
  readonly address: string;
  /** The family as the record had it (an IPv4-mapped AAAA is 6). */
  readonly family: 4 | 6;
  /** The family that counts for reachability: an IPv4-mapped AAAA is an IPv4 address. */
  readonly effectiveFamily: 4 | 6;
  /** ipaddr.js range name of the effective address, e.g. "private", "unicast". */
  readonly range: string;
  readonly globallyRoutable: boolean;
}

/**
 * Parsing an address is the costliest step of judging an exchange, and a bulk run meets the same
 * providers' addresses over and over; past this many the memo starts afresh, so it stays small.
 */
export const CLASSIFIED_MEMO_ENTRIES = 20_000;
const classified = new Map<string, AddressClass>();

export function classifyAddress(address: string, family: 4 | 6): AddressClass {
  const key = `${family}${address}`;
  let known = classified.get(key);
  if (known === undefined) {
    if (classified.size >= CLASSIFIED_MEMO_ENTRIES) classified.clear();
    known = parseAndClassify(address, family);
    classified.set(key, known);
  }
  return known;
}

const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const IPV6_GROUPS = 8;

/** Eight groups of a plain IPv6 address (hex groups, at most one "::"), or null for any other spelling. */
function ipv6Groups(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const given = groups.flat();
  if (!given.every((group) => HEX_GROUP.test(group))) return null;
  if (halves.length === 1) return given.length === IPV6_GROUPS ? given.map((g) => parseInt(g, 16)) : null;
  if (given.length >= IPV6_GROUPS) return null;
  const zeros = new Array<string>(IPV6_GROUPS - given.length).fill('0');
  return [...groups[0]!, ...zeros, ...groups[1]!].map((g) => parseInt(g, 16));
}

/**
 * ipaddr.process, without its parser for the spellings DNS answers come in (a dotted quad, plain
 * IPv6): ipaddr.js tries every textual form with regular expressions, which cost more than the
 * rest of judging an exchange. Any other spelling goes through ipaddr.process itself.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (DOTTED_QUAD.test(address)) return new ipaddr.IPv4(address.split('.').map(Number));
  const groups = address.includes('.') || address.includes('%') ? null : ipv6Groups(address);
  if (groups === null) return ipaddr.process(address);
  const ipv6 = new ipaddr.IPv6(groups);
  return ipv6.isIPv4MappedAddress() ? ipv6.toIPv4Address() : ipv6;
}

function parseAndClassify(address: string, family: 4 | 6): AddressClass {
  const effective = parseAddress(address);
  const range = effective.range();
  const effectiveFamily = effective.kind() === 'ipv4' ? 4 : 6;
  const unroutable = effectiveFamily === 4 ? UNROUTABLE_IPV4 : UNROUTABLE_IPV6;
  return { address, family, effectiveFamily, range, globallyRoutable: !unroutable.has(range) };
}

export function describeRange(range: string): string {
  const names: Record<string, string> = {
    unspecified: 'unspecified', broadcast: 'broadcast', multicast: 'multicast', linkLocal: 'link-local',
    loopback: 'loopback', carrierGradeNat: 'carrier-grade NAT, RFC 6598', private: 'private, RFC 1918',
    reserved: 'reserved or documentation', uniqueLocal: 'unique local, RFC 4193', discard: 'discard-only, RFC 6666',
    benchmarking: 'benchmarking, RFC 5180', deprecatedSiteLocal: 'deprecated site-local', orchid2: 'ORCHIDv2, RFC 7343',
  };
  return names[range] ?? range;
}

export function addressEntries(a: string[], aaaa: string[]): AddressEntry[] {
  return [...a.map((address) => ({ address, family: 4 as const })), ...aaaa.map((address) => ({ address, family: 6 as const }))];
}
