import type { Answer } from 'dns-packet';
import packetTypes from 'dns-packet/types.js';
import { canonicalName } from '../name.js';
import type { DnsRecord } from '../records.js';

/**
 * The border with dns-packet, which the in-process server builds its replies with and the wire
 * decoder falls back on: its names of types, and the one mapping between its record objects and
 * ours, both ways, so the resolver and the server cannot drift apart.
 */

/** dns-packet's name of a type, as its packets carry it: "MX", or "UNKNOWN_65280" for one it has no name for. */
export function packetTypeName(code: number): string {
  return packetTypes.toString(code);
}

/** The number of a type named as dns-packet names it ("MX", "UNKNOWN_65280"); 0 for a name it does not know. */
export function packetTypeCode(name: string): number {
  return packetTypes.toType(name);
}

function asBytes(data: unknown): Uint8Array {
  return data instanceof Uint8Array ? data : Buffer.alloc(0);
}

/** A dns-packet answer decoded from the wire, plus that record's raw RDATA from our own walk of the message. */
export function recordFromPacket(answer: Answer, rdata: Uint8Array): DnsRecord {
  const name = canonicalName(answer.name);
  const ttl = 'ttl' in answer && typeof answer.ttl === 'number' ? answer.ttl : 0;
  const data = (answer as { data?: unknown }).data as never;
  switch (answer.type) {
    case 'A':
    case 'AAAA':
      return { name, ttl, type: answer.type, data: String(data) };
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return { name, ttl, type: answer.type, data: canonicalName(String(data)) };
    case 'MX': {
      const mx = data as { preference?: number; exchange: string };
      return { name, ttl, type: 'MX', data: { preference: mx.preference ?? 0, exchange: canonicalName(mx.exchange) } };
    }
    case 'TXT': {
      const strings = Array.isArray(data) ? (data as unknown[]) : [data];
      return { name, ttl, type: 'TXT', data: strings.map((s) => (typeof s === 'string' ? Buffer.from(s) : asBytes(s))) };
    }
    case 'SOA': {
      const soa = data as { mname: string; rname: string; serial?: number; refresh?: number; retry?: number; expire?: number; minimum?: number };
      return {
        name, ttl, type: 'SOA',
        data: {
          mname: canonicalName(soa.mname), rname: canonicalName(soa.rname), serial: soa.serial ?? 0,
          refresh: soa.refresh ?? 0, retry: soa.retry ?? 0, expire: soa.expire ?? 0, minimum: soa.minimum ?? 0,
        },
      };
    }
    case 'SRV': {
      const srv = data as { priority?: number; weight?: number; port: number; target: string };
      return { name, ttl, type: 'SRV', data: { priority: srv.priority ?? 0, weight: srv.weight ?? 0, port: srv.port, target: canonicalName(srv.target) } };
    }
    case 'TLSA': {
      const tlsa = data as { usage: number; selector: number; matchingType: number; certificate: Uint8Array };
      return { name, ttl, type: 'TLSA', data: { usage: tlsa.usage, selector: tlsa.selector, matchingType: tlsa.matchingType, certificate: asBytes(tlsa.certificate) } };
    }
    case 'CAA': {
      const caa = data as { flags?: number; tag: string; value: string };
      return { name, ttl, type: 'CAA', data: { flags: caa.flags ?? 0, tag: caa.tag, value: caa.value } };
    }
    default:
      return { name, ttl, type: 'OPAQUE', rrtype: packetTypeCode(answer.type), data: rdata };
  }
}

/** Our record as a dns-packet answer, ready to encode. */
export function recordToPacket(record: DnsRecord): Answer {
  const base = { name: record.name, ttl: record.ttl, class: 'IN' as const };
  switch (record.type) {
    case 'TXT':
      return { ...base, type: 'TXT', data: record.data.map((s) => Buffer.from(s)) };
    case 'TLSA':
      return { ...base, type: 'TLSA', data: { ...record.data, certificate: Buffer.from(record.data.certificate) } } as Answer;
    case 'CAA':
      return { ...base, type: 'CAA', data: { flags: record.data.flags, tag: record.data.tag as 'issue', value: record.data.value } };
    case 'OPAQUE':
      // dns-packet's generic encoder writes the RDATA as given; naming the type would pick its
      // type-specific encoder, which expects structured data, not bytes.
      return { ...base, type: `UNKNOWN_${record.rrtype}`, data: Buffer.from(record.data) } as unknown as Answer;
    default:
      return { ...base, type: record.type, data: record.data } as Answer;
  }
}
