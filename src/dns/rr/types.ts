/**
 * The one table of record types: mnemonics and numbers from the IANA "Resource Record (RR) TYPEs"
 * registry. The resolver, the wire decoder, the zone reader and the in-process server all name types
 * through it; dns-packet's own, shorter table is consulted only where its packets are built and read
 * (./packet.ts).
 */
const TYPE_CODES: ReadonlyMap<string, number> = new Map([
  ['A', 1], ['NS', 2], ['MD', 3], ['MF', 4], ['CNAME', 5], ['SOA', 6], ['MB', 7], ['MG', 8],
  ['MR', 9], ['NULL', 10], ['WKS', 11], ['PTR', 12], ['HINFO', 13], ['MINFO', 14], ['MX', 15],
  ['TXT', 16], ['RP', 17], ['AFSDB', 18], ['X25', 19], ['ISDN', 20], ['RT', 21], ['NSAP', 22],
  ['NSAP-PTR', 23], ['SIG', 24], ['KEY', 25], ['PX', 26], ['GPOS', 27], ['AAAA', 28], ['LOC', 29],
  ['NXT', 30], ['EID', 31], ['NIMLOC', 32], ['SRV', 33], ['ATMA', 34], ['NAPTR', 35], ['KX', 36],
  ['CERT', 37], ['A6', 38], ['DNAME', 39], ['SINK', 40], ['OPT', 41], ['APL', 42], ['DS', 43],
  ['SSHFP', 44], ['IPSECKEY', 45], ['RRSIG', 46], ['NSEC', 47], ['DNSKEY', 48], ['DHCID', 49],
  ['NSEC3', 50], ['NSEC3PARAM', 51], ['TLSA', 52], ['SMIMEA', 53], ['HIP', 55], ['NINFO', 56],
  ['RKEY', 57], ['TALINK', 58], ['CDS', 59], ['CDNSKEY', 60], ['OPENPGPKEY', 61], ['CSYNC', 62],
  ['ZONEMD', 63], ['SVCB', 64], ['HTTPS', 65], ['DSYNC', 66], ['SPF', 99], ['UINFO', 100],
  ['UID', 101], ['GID', 102], ['UNSPEC', 103], ['NID', 104], ['L32', 105], ['L64', 106],
  ['LP', 107], ['EUI48', 108], ['EUI64', 109], ['TKEY', 249], ['TSIG', 250], ['IXFR', 251],
  ['AXFR', 252], ['MAILB', 253], ['MAILA', 254], ['ANY', 255], ['URI', 256], ['CAA', 257],
  ['AVC', 258], ['DOA', 259], ['AMTRELAY', 260], ['RESINFO', 261], ['TA', 32768], ['DLV', 32769],
]);

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([...TYPE_CODES].map(([name, code]) => [code, name]));

/** RFC 6891: the pseudo-record that carries EDNS, found in messages only. */
export const TYPE_OPT = 41;

/** Types that only exist in queries or transactions (RFC 6895 §3.1), never as zone data; 0 is reserved. */
const NOT_ZONE_DATA = new Set([0, TYPE_OPT, 249, 250, 251, 252, 253, 254, 255]);

const GENERIC_TYPE = /^TYPE(\d{1,5})$/i;
const MAX_TYPE = 0xffff;

/** The number of a mnemonic (`MX`, `mx`) or of RFC 3597 `TYPEnnn`: "MX" → 15, "TYPE65280" → 65280; undefined if it is neither. */
export function rrtypeCode(text: string): number | undefined {
  const code = TYPE_CODES.get(text);
  if (code !== undefined) return code;
  const generic = GENERIC_TYPE.exec(text);
  if (generic !== null) {
    const number = Number(generic[1]);
    return number <= MAX_TYPE ? number : undefined;
  }
  return TYPE_CODES.get(text.toUpperCase());
}

/** The mnemonic of a number: "MX", or "TYPE65280" (RFC 3597) for a type without one. */
export function rrtypeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** The type has a registered mnemonic, so its data may be written in presentation form. */
export function hasMnemonic(code: number): boolean {
  return TYPE_NAMES.has(code);
}

export function isZoneDataType(code: number): boolean {
  return !NOT_ZONE_DATA.has(code);
}

