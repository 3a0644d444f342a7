/**
 * Resource records as mxlint handles them, whatever their source: decoded from the wire by the
 * resolver, read from a zone file, or served by the in-process server. Names are lower-case
 * A-labels without the trailing dot; the root is ".". Each type's data is read and written by its
 * codec in ./rr/ (one module per type, ./rr/index.ts picks them), and named by the one registry of
 * type numbers, ./rr/types.ts.
 */
import { decodeUtf8Escaped } from '../core/escape.js';

export interface MxData {
  preference: number;
  /** "." for a null MX (RFC 7505). */
  exchange: string;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface TlsaData {
  usage: number;
  selector: number;
  matchingType: number;
  certificate: Uint8Array;
}

export interface CaaData {
  flags: number;
  tag: string;
  value: string;
}

export interface RecordDataByType {
  A: string;
  AAAA: string;
  CNAME: string;
  DNAME: string;
  NS: string;
  PTR: string;
  MX: MxData;
  /** The character-strings of the record, as bytes (join them for SPF, DMARC and the like). */
  TXT: Uint8Array[];
  SOA: SoaData;
  SRV: SrvData;
  TLSA: TlsaData;
  CAA: CaaData;
}

export type KnownRecordType = keyof RecordDataByType;

export const KNOWN_RECORD_TYPES: readonly KnownRecordType[] = [
  'A', 'AAAA', 'CNAME', 'DNAME', 'NS', 'PTR', 'MX', 'TXT', 'SOA', 'SRV', 'TLSA', 'CAA',
];

const KNOWN = new Set<string>(KNOWN_RECORD_TYPES);

export function isKnownRecordType(type: string): type is KnownRecordType {
  return KNOWN.has(type);
}

export type KnownRecord = {
  [T in KnownRecordType]: { name: string; type: T; ttl: number; data: RecordDataByType[T] };
}[KnownRecordType];

/** A record of a type mxlint does not interpret, kept as its wire-format RDATA (RFC 3597). */
export interface OpaqueRecord {
  name: string;
  type: 'OPAQUE';
  /** Numeric RR type, e.g. 13 for HINFO. */
  rrtype: number;
  ttl: number;
  data: Uint8Array;
}

export type DnsRecord = KnownRecord | OpaqueRecord;

export type RecordOf<T extends KnownRecordType> = Extract<KnownRecord, { type: T }>;

export function isRecordOf<T extends KnownRecordType>(record: DnsRecord, type: T): record is RecordOf<T> {
  return record.type === type;
}

/**
 * The text of a TXT record: its character-strings concatenated without spaces (RFC 7208 §3.3).
 * UTF-8 for the policy records, exactly as published where it is valid UTF-8 and each other octet
 * as `\DDD` (as dig shows it), never a U+FFFD that hides what was there; `latin1` gives one
 * character per octet, for the SPF record reader to name octets outside ASCII as such.
 */
export function txtToString(data: readonly Uint8Array[], encoding: 'utf8' | 'latin1' = 'utf8'): string {
  const octets = Buffer.concat(data);
  return encoding === 'utf8' ? decodeUtf8Escaped(octets) : octets.toString('latin1');
}
