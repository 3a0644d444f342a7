import ipaddr from 'ipaddr.js';
import { Memo } from '../core/memo.js';

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
/** One memo per family (as the record had it), each with half the entries. */
const classified = {
  4: new Memo(CLASSIFIED_MEMO_ENTRIES / 2, (address: string) => parseAndClassify(address, 4)),
  6: new Memo(CLASSIFIED_MEMO_ENTRIES / 2, (address: string) => parseAndClassify(address, 6)),
};

export function classifyAddress(address: string, family: 4 | 6): AddressClass {
  return classified[family].get(address);
}

const IPV6_GROUPS = 8;
const COLON = 0x3a;
const DOT = 0x2e;

/** The value of a hex digit's character code, or -1. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * The four octets of a dotted quad (decimal, no leading zeros, each at most 255), or null for any
 * other spelling. Read in one pass: this runs once for every new address a bulk run meets.
 */
function dottedQuad(text: string): number[] | null {
  const octets: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i === text.length ? DOT : text.charCodeAt(i);
    if (code === DOT) {
      if (digits === 0 || value > 255 || octets.length === 4) return null;
      octets.push(value);
      value = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits === 1 && value === 0) return null;
      value = value * 10 + code - 0x30;
      if (++digits > 3) return null;
    } else {
      return null;
    }
  }
  return octets.length === 4 ? octets : null;
}

/** Eight groups of a plain IPv6 address (hex groups of 1–4 digits, at most one "::"), or null for any other spelling. */
function ipv6Groups(text: string): number[] | null {
  const groups: number[] = [];
  /** Where "::" stands among the groups, or -1. */
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return null;
    gap = 0;
    i = 2;
  }
  while (i < text.length) {
    let value = 0;
    let digits = 0;
    for (let digit = hexDigit(text.charCodeAt(i)); digit !== -1 && digits <= 4; digit = hexDigit(text.charCodeAt(i))) {
      value = value * 16 + digit;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 4) return null;
    groups.push(value);
    if (i === text.length) break;
    if (text.charCodeAt(i++) !== COLON || i === text.length) return null;
    if (text.charCodeAt(i) === COLON) {
      if (gap !== -1) return null;
      gap = groups.length;
      i++;
    }
  }
  if (gap === -1) return groups.length === IPV6_GROUPS ? groups : null;
  if (groups.length >= IPV6_GROUPS) return null;
  groups.splice(gap, 0, ...new Array<number>(IPV6_GROUPS - groups.length).fill(0));
  return groups;
}

/**
 * ipaddr.process, without its parser for the spellings DNS answers come in (a dotted quad, plain
 * IPv6): ipaddr.js tries every textual form with regular expressions, which cost more than the
 * rest of judging an exchange. Any other spelling goes through ipaddr.process itself.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const octets = dottedQuad(address);
  if (octets !== null) return new ipaddr.IPv4(octets);
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
