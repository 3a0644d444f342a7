import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import packetRcodes from 'dns-packet/rcodes.js';
import { canonicalName } from './name.js';
import { recordFromPacket, rrtypeCode } from './codec.js';
import type { DnsRecord } from './records.js';

/** RFC 6891 payload size recommended by DNS Flag Day 2020: fits in one unfragmented datagram. */
export const EDNS_PAYLOAD_SIZE = 1232;

const HEADER_LENGTH = 12;
const RR_FIXED_LENGTH = 10;
const TYPE_OPT = 41;
const CLASS_IN = 1;
const MAX_WIRE_NAME_LENGTH = 255;
/** A name of 255 octets has at most 127 labels; more pointer hops than that can only be a loop. */
const MAX_POINTER_HOPS = 127;

export interface QueryFlags {
  /** Ask the server to recurse (RD); off when asking an authoritative server directly. */
  recursionDesired: boolean;
  /** Ask for DNSSEC records and the AD bit (DO). */
  dnssecOk: boolean;
  /** Ask a validating resolver not to validate (CD). */
  checkingDisabled: boolean;
}

export const DEFAULT_QUERY_FLAGS: QueryFlags = { recursionDesired: true, dnssecOk: false, checkingDisabled: false };

export interface Question {
  name: string;
  type: string;
}

/** dns-packet reads mnemonics and "UNKNOWN_n" but not RFC 3597's "TYPEn", which it would send as type 0. */
function packetTypeName(type: string): string {
  const code = /^TYPE\d+$/i.test(type) ? rrtypeCode(type) : undefined;
  return code === undefined ? type : `UNKNOWN_${code}`;
}

export function encodeQuery(id: number, question: Question, flags: QueryFlags): Buffer {
  let bits = 0;
  if (flags.recursionDesired) bits |= dnsPacket.RECURSION_DESIRED;
  if (flags.checkingDisabled) bits |= dnsPacket.CHECKING_DISABLED;
  const packet: Packet = {
    type: 'query',
    id,
    flags: bits,
    questions: [{ name: question.name, type: packetTypeName(question.type) as never, class: 'IN' }],
    additionals: [{
      type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD_SIZE, extendedRcode: 0, ednsVersion: 0,
      flags: flags.dnssecOk ? dnsPacket.DNSSEC_OK : 0, flag_do: flags.dnssecOk, options: [],
    }],
  };
  return dnsPacket.encode(packet);
}

export interface ExtendedDnsError {
  code: number;
  text: string;
}

export interface ResponseFlags {
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
}

export interface DecodedResponse {
  id: number;
  /** Mnemonic, extended by the OPT record's upper bits (RFC 6891 §6.1.3): "NOERROR", "NXDOMAIN", "BADVERS" … */
  rcode: string;
  flags: ResponseFlags;
  question: Question | null;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  /** Without the OPT pseudo-record, which is reported through `edns`. */
  additionals: DnsRecord[];
  edns: { payloadSize: number; dnssecOk: boolean; errors: ExtendedDnsError[] } | null;
}

export type ResponseDecoding =
  | { ok: true; response: DecodedResponse }
  | { ok: false; reason: string };

/** The first two octets of a message, or null when there are fewer. */
export function messageId(message: Uint8Array): number | null {
  return message.length >= 2 ? ((message[0]! << 8) | message[1]!) : null;
}

class MalformedMessage extends Error {}

interface RecordSpan {
  type: number;
  rdataStart: number;
  rdataEnd: number;
}

/**
 * Walks the whole message the way a strict parser would, because dns-packet trusts it: it decodes
 * MX and other RDATA without looking at RDLENGTH, and reads past counts that lie. Returns where
 * every record's RDATA lies, so unknown types can be kept byte for byte.
 */
function walkMessage(buf: Buffer): RecordSpan[] {
  if (buf.length < HEADER_LENGTH) throw new MalformedMessage(`message of ${buf.length} octets is shorter than a DNS header`);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  let offset = HEADER_LENGTH;
  for (let i = 0; i < counts[0]; i++) {
    offset = skipName(buf, offset, 'question name');
    need(buf, offset, 4, 'question type and class');
    offset += 4;
  }
  const spans: RecordSpan[] = [];
  const total = counts[1] + counts[2] + counts[3];
  let optSeen = false;
  for (let i = 0; i < total; i++) {
    const section = i < counts[1] ? 'answer' : i < counts[1] + counts[2] ? 'authority' : 'additional';
    const ownerIsRoot = buf[offset] === 0;
    offset = skipName(buf, offset, `${section} record owner`);
    need(buf, offset, RR_FIXED_LENGTH, `${section} record header`);
    const type = buf.readUInt16BE(offset);
    const klass = buf.readUInt16BE(offset + 2);
    const rdlength = buf.readUInt16BE(offset + 8);
    offset += RR_FIXED_LENGTH;
    if (type === TYPE_OPT) {
      // RFC 6891 §6.1.1: one OPT at most, in the additional section, owned by the root.
      if (section !== 'additional' || optSeen || !ownerIsRoot) throw new MalformedMessage('OPT record misplaced, repeated or not owned by the root');
      optSeen = true;
    } else if (klass !== CLASS_IN) {
      throw new MalformedMessage(`${section} record of type ${type} has class ${klass}, not IN`);
    }
    need(buf, offset, rdlength, `RDATA of ${rdlength} octets`);
    checkRdata(buf, type, offset, offset + rdlength);
    spans.push({ type, rdataStart: offset, rdataEnd: offset + rdlength });
    offset += rdlength;
  }
  if (offset !== buf.length) {
    throw new MalformedMessage(`${buf.length - offset} octets follow the last record the header counts announce`);
  }
  return spans;
}

function need(buf: Buffer, offset: number, length: number, what: string): void {
  if (offset + length > buf.length) throw new MalformedMessage(`message ends inside the ${what}`);
}

/** Skips a possibly compressed name; returns the offset after it. */
function skipName(buf: Buffer, start: number, what: string): number {
  let offset = start;
  let end = -1;
  let wireLength = 0;
  let hops = 0;
  let lowestPointerTarget = start;
  for (;;) {
    need(buf, offset, 1, what);
    const length = buf[offset]!;
    if (length === 0) {
      wireLength += 1;
      if (wireLength > MAX_WIRE_NAME_LENGTH) throw new MalformedMessage(`${what} is longer than 255 octets`);
      return end === -1 ? offset + 1 : end;
    }
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      need(buf, offset, 2, what);
      const target = ((length & 0x3f) << 8) | buf[offset + 1]!;
      // Only pointers to earlier data (RFC 1035 §4.1.4); each hop must go further back, so no loop.
      if (target >= lowestPointerTarget) throw new MalformedMessage(`${what} has a compression pointer that does not point backwards`);
      if (++hops > MAX_POINTER_HOPS) throw new MalformedMessage(`${what} has too many compression pointers`);
      if (end === -1) end = offset + 2;
      lowestPointerTarget = target;
      offset = target;
      continue;
    }
    if (kind !== 0) throw new MalformedMessage(`${what} has a label of unknown kind 0x${kind.toString(16)}`);
    need(buf, offset + 1, length, what);
    // A dot inside a label cannot be told apart from a label boundary once the name is text.
    if (buf.subarray(offset + 1, offset + 1 + length).includes(0x2e)) throw new MalformedMessage(`${what} has a label containing "."`);
    wireLength += length + 1;
    if (wireLength > MAX_WIRE_NAME_LENGTH) throw new MalformedMessage(`${what} is longer than 255 octets`);
    offset += length + 1;
  }
}

const TYPE_CODES = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DNAME: 39,
} as const;

/** RDATA whose layout we know must fill RDLENGTH exactly: no shorter, no longer. */
function checkRdata(buf: Buffer, type: number, start: number, end: number): void {
  const length = end - start;
  const exact = (expected: number, what: string): void => {
    if (expected !== end) throw new MalformedMessage(`${what} RDATA does not match its RDLENGTH of ${length}`);
  };
  const nameWithin = (offset: number, what: string): number => {
    const after = skipName(buf.subarray(0, end), offset, `${what} RDATA name`);
    return after;
  };
  switch (type) {
    case TYPE_CODES.A:
      return exact(start + 4, 'A');
    case TYPE_CODES.AAAA:
      return exact(start + 16, 'AAAA');
    case TYPE_CODES.NS:
    case TYPE_CODES.CNAME:
    case TYPE_CODES.PTR:
    case TYPE_CODES.DNAME:
      return exact(nameWithin(start, 'name'), 'name');
    case TYPE_CODES.MX:
      if (length < 3) throw new MalformedMessage(`MX RDATA of ${length} octets has no exchange`);
      return exact(nameWithin(start + 2, 'MX'), 'MX');
    case TYPE_CODES.SRV:
      if (length < 7) throw new MalformedMessage(`SRV RDATA of ${length} octets has no target`);
      return exact(nameWithin(start + 6, 'SRV'), 'SRV');
    case TYPE_CODES.SOA: {
      const afterRname = nameWithin(nameWithin(start, 'SOA'), 'SOA');
      return exact(afterRname + 20, 'SOA');
    }
    case TYPE_OPT: {
      let offset = start;
      while (offset < end) {
        if (offset + 4 > end) throw new MalformedMessage('OPT option header runs past the OPT RDATA');
        offset += 4 + buf.readUInt16BE(offset + 2);
      }
      return exact(offset, 'OPT');
    }
    case TYPE_CODES.TXT: {
      if (length === 0) throw new MalformedMessage('TXT RDATA is empty');
      let offset = start;
      while (offset < end) offset += 1 + buf[offset]!;
      return exact(offset, 'TXT');
    }
    default:
      return;
  }
}

/**
 * Validates and decodes a reply. Any failure — too short, a lying count, RDLENGTH that disagrees
 * with the data, a class other than IN, a name dns-packet cannot read — comes back as a reason,
 * never as an exception.
 */
export function decodeResponse(message: Uint8Array): ResponseDecoding {
  const buf = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  let spans: RecordSpan[];
  let packet: Packet & { rcode?: string };
  try {
    spans = walkMessage(buf);
    packet = dnsPacket.decode(buf) as Packet & { rcode?: string };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const answers = packet.answers ?? [];
  const authorities = packet.authorities ?? [];
  const additionals = packet.additionals ?? [];
  let spanIndex = 0;
  const convert = (list: Answer[]): DnsRecord[] => list.flatMap((answer) => {
    const span = spans[spanIndex++]!;
    return answer.type === 'OPT' ? [] : [recordFromPacket(answer, buf.subarray(span.rdataStart, span.rdataEnd))];
  });
  const opt = additionals.find((a) => a.type === 'OPT') as (Answer & { udpPayloadSize: number; extendedRcode: number; flags: number; options: { code: number; data?: Buffer }[] }) | undefined;
  const rawFlags = packet.flags ?? 0;
  const rcodeValue = (rawFlags & 0xf) | ((opt?.extendedRcode ?? 0) << 4);
  const question = packet.questions?.[0];
  const response: DecodedResponse = {
    id: packet.id ?? 0,
    rcode: rcodeName(rcodeValue),
    flags: {
      aa: (rawFlags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
      tc: (rawFlags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
      rd: (rawFlags & dnsPacket.RECURSION_DESIRED) !== 0,
      ra: (rawFlags & dnsPacket.RECURSION_AVAILABLE) !== 0,
      ad: (rawFlags & dnsPacket.AUTHENTIC_DATA) !== 0,
      cd: (rawFlags & dnsPacket.CHECKING_DISABLED) !== 0,
    },
    question: question ? { name: canonicalName(question.name), type: question.type } : null,
    answers: convert(answers),
    authorities: convert(authorities),
    additionals: convert(additionals),
    edns: opt
      ? {
        payloadSize: opt.udpPayloadSize,
        dnssecOk: (opt.flags & dnsPacket.DNSSEC_OK) !== 0,
        errors: (opt.options ?? []).filter((o) => o.code === 15).map(extendedError),
      }
      : null,
  };
  return { ok: true, response };
}

/** Extended rcodes carried in OPT (RFC 6891 §6.1.3; names from the IANA registry); dns-packet knows 0–15 only. */
const EXTENDED_RCODE_NAMES: Record<number, string> = {
  16: 'BADVERS', 17: 'BADKEY', 18: 'BADTIME', 19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG', 22: 'BADTRUNC', 23: 'BADCOOKIE',
};

function rcodeName(value: number): string {
  return EXTENDED_RCODE_NAMES[value] ?? (value < 16 ? packetRcodes.toString(value) : `RCODE${value}`);
}

/** RFC 8914 §4 INFO-CODE names, so a failure reads "EDE 6 (DNSSEC Bogus)" rather than a bare number. */
const EDE_NAMES: readonly string[] = [
  'Other Error', 'Unsupported DNSKEY Algorithm', 'Unsupported DS Digest Type', 'Stale Answer', 'Forged Answer',
  'DNSSEC Indeterminate', 'DNSSEC Bogus', 'Signature Expired', 'Signature Not Yet Valid', 'DNSKEY Missing',
  'RRSIGs Missing', 'No Zone Key Bit Set', 'NSEC Missing', 'Cached Error', 'Not Ready', 'Blocked', 'Censored',
  'Filtered', 'Prohibited', 'Stale NXDOMAIN Answer', 'Not Authoritative', 'Not Supported', 'No Reachable Authority',
  'Network Error', 'Invalid Data',
];

export function describeExtendedError(error: ExtendedDnsError): string {
  const name = EDE_NAMES[error.code];
  return `EDE ${error.code}${name ? ` (${name})` : ''}${error.text ? ` "${error.text}"` : ''}`;
}

/** RFC 8914: INFO-CODE then optional UTF-8 EXTRA-TEXT. */
function extendedError(option: { data?: Buffer }): ExtendedDnsError {
  const data = option.data ?? Buffer.alloc(0);
  return { code: data.length >= 2 ? data.readUInt16BE(0) : -1, text: data.subarray(2).toString('utf8') };
}

/** Does a reply answer exactly this question? Names compare case-insensitively (RFC 4343). */
export function answersQuestion(response: DecodedResponse, question: Question): boolean {
  return response.question !== null
    && response.question.name === canonicalName(question.name)
    && rrtypeCode(response.question.type) === rrtypeCode(question.type);
}
