import type { Answer } from 'dns-packet';
import packetTypes from 'dns-packet/types.js';
import { canonicalName } from './name.js';
import type { DnsRecord } from './records.js';

/**
 * The one mapping between dns-packet's record objects and ours, both ways: the resolver decodes
 * with it and the in-process server encodes with it, so they cannot drift apart.
 */

/** Codes of the mnemonics seen so far: every query and every reply asks, always for the same few types. */
const CODE_MEMO_ENTRIES = 1000;
const codes = new Map<string, number | undefined>();

/** Numeric RR type of a mnemonic ("MX" → 15, "TYPE65280" → 65280); undefined for names dns-packet does not know. */
export function rrtypeCode(type: string): number | undefined {
  if (codes.has(type)) return codes.get(type);
  const code = readRrtypeCode(type);
  if (codes.size >= CODE_MEMO_ENTRIES) codes.clear();
  codes.set(type, code);
  return code;
}

function readRrtypeCode(type: string): number | undefined {
  const upper = type.toUpperCase();
  const generic = /^TYPE(\d{1,5})$/.exec(upper);
  if (generic) {
    const code = Number(generic[1]);
    return code <= 0xffff ? code : undefined;
  }
  const code = packetTypes.toType(upper);
  return code > 0 && code <= 0xffff ? code : undefined;
}

/** Mnemonic for a numeric type: "MX", or "TYPE65280" (RFC 3597) for types without one. */
export function rrtypeName(code: number): string {
  const name = packetTypes.toString(code);
  return name.startsWith('UNKNOWN_') ? `TYPE${code}` : name;
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
      return { name, ttl, type: 'OPAQUE', rrtype: rrtypeCode(answer.type) ?? 0, data: rdata };
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
