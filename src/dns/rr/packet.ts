import type { Answer } from 'dns-packet';
import packetTypes from 'dns-packet/types.js';
import { canonicalName } from '../name.js';
import type { DnsRecord } from '../records.js';
import { codecForCode, CODECS } from './index.js';
import type { AnyRecordCodec } from './codec.js';

/**
 * The border with dns-packet, which the in-process server builds its replies with and the wire
 * decoder falls back on: its names of types, and the mapping between its record objects and ours,
 * both ways (each type's half lives in its codec), so the resolver and the server cannot drift apart.
 */

/** dns-packet's name of a type, as its packets carry it: "MX", or "UNKNOWN_65280" for one it has no name for. */
export function packetTypeName(code: number): string {
  return packetTypes.toString(code);
}

/** The number of a type named as dns-packet names it ("MX", "UNKNOWN_65280"); 0 for a name it does not know. */
export function packetTypeCode(name: string): number {
  return packetTypes.toType(name);
}

/** A dns-packet answer decoded from the wire, plus that record's raw RDATA from our own walk of the message. */
export function recordFromPacket(answer: Answer, rdata: Uint8Array): DnsRecord {
  const name = canonicalName(answer.name);
  const ttl = 'ttl' in answer && typeof answer.ttl === 'number' ? answer.ttl : 0;
  const rrtype = packetTypeCode(answer.type);
  const codec = codecForCode(rrtype);
  if (codec === undefined) return { name, ttl, type: 'OPAQUE', rrtype, data: rdata };
  return { name, ttl, type: codec.type, data: codec.fromPacket((answer as { data?: unknown }).data) } as DnsRecord;
}

/** Our record as a dns-packet answer, ready to encode. */
export function recordToPacket(record: DnsRecord): Answer {
  const base = { name: record.name, ttl: record.ttl, class: 'IN' as const };
  if (record.type === 'OPAQUE') {
    // dns-packet's generic encoder writes the RDATA as given; naming the type would pick its
    // type-specific encoder, which expects structured data, not bytes.
    return { ...base, type: `UNKNOWN_${record.rrtype}`, data: Buffer.from(record.data) } as unknown as Answer;
  }
  const codec = CODECS[record.type] as AnyRecordCodec;
  return { ...base, type: record.type, data: (codec.toPacket as (data: unknown) => unknown)(record.data) } as Answer;
}
