import ipaddr from 'ipaddr.js';
import type { AddressEntry } from '../result.js';

/** ipaddr.js range names that no sender on the Internet can reach. */
const UNROUTABLE_IPV4 = new Set(['unspecified', 'broadcast', 'multicast', 'linkLocal', 'loopback', 'carrierGradeNat', 'private', 'reserved']);
const UNROUTABLE_IPV6 = new Set(['unspecified', 'linkLocal', 'multicast', 'loopback', 'uniqueLocal', 'reserved', 'discard',
  'benchmarking', 'deprecatedSiteLocal', 'orchid2']);

export interface AddressClass {
  address: string;
  /** The family as the record had it (an IPv4-mapped AAAA is 6). */
  family: 4 | 6;
  /** The family that counts for reachability: an IPv4-mapped AAAA is an IPv4 address. */
  effectiveFamily: 4 | 6;
  /** ipaddr.js range name of the effective address, e.g. "private", "unicast". */
  range: string;
  globallyRoutable: boolean;
}

export function classifyAddress(address: string, family: 4 | 6): AddressClass {
  const effective = ipaddr.process(address);
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
