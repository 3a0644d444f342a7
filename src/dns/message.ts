import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import packetRcodes from 'dns-packet/rcodes.js';
import { canonicalName } from './name.js';
import { packetTypeCode, recordFromPacket } from './rr/packet.js';
import { rrtypeCode, rrtypeName } from './rr/types.js';
import type { DnsRecord } from './records.js';
import { MAX_NAME_OCTETS } from './zone-file/names.js';
import { MAX_POINTER_HOPS } from './rr/wire-reader.js';

export { MAX_POINTER_HOPS };

/** RFC 6891 payload size recommended by DNS Flag Day 2020: fits in one unfragmented datagram. */
export const EDNS_PAYLOAD_SIZE = 1232;

const HEADER_LENGTH = 12;
const RR_FIXED_LENGTH = 10;
const TYPE_OPT = 41;
const CLASS_IN = 1;
const DOT = 0x2e;

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

const HEADER_RD = 0x0100;
const HEADER_CD = 0x0010;
const EDNS_DO = 0x8000;
/** The OPT record a query carries: root owner, type 41, payload size as class, TTL 0 but for DO, no options. */
const OPT_LENGTH = 11;

/**
 * A query: the header, one question, an OPT record (RFC 6891) — written byte by byte, since it is
 * the one message sent per lookup. The name has been checked by then (labels of 1–63 octets, 253 in
 * all); its labels are written as UTF-8 like dns-packet writes them.
 */
export function encodeQuery(id: number, question: Question, flags: QueryFlags): Buffer {
  const type = rrtypeCode(question.type);
  if (type === undefined) throw new Error(`cannot encode a query for type "${question.type}"`);
  const labels = question.name === '.' ? [] : question.name.split('.');
  let nameLength = 1;
  for (const label of labels) nameLength += 1 + Buffer.byteLength(label);
  const buf = Buffer.allocUnsafe(HEADER_LENGTH + nameLength + 4 + OPT_LENGTH);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE((flags.recursionDesired ? HEADER_RD : 0) | (flags.checkingDisabled ? HEADER_CD : 0), 2);
  buf.writeUInt16BE(1, 4);
  buf.writeUInt32BE(0, 6);
  buf.writeUInt16BE(1, 10);
  let offset = HEADER_LENGTH;
  for (const label of labels) {
    const length = buf.write(label, offset + 1);
    buf[offset] = length;
    offset += 1 + length;
  }
  buf[offset++] = 0;
  buf.writeUInt16BE(type, offset);
  buf.writeUInt16BE(CLASS_IN, offset + 2);
  offset += 4;
  buf[offset++] = 0;
  buf.writeUInt16BE(TYPE_OPT, offset);
  buf.writeUInt16BE(EDNS_PAYLOAD_SIZE, offset + 2);
  buf.writeUInt32BE(flags.dnssecOk ? EDNS_DO : 0, offset + 4);
  buf.writeUInt16BE(0, offset + 8);
  return buf;
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

const SECTIONS = ['answer', 'authority', 'additional'] as const;

interface RecordSpan {
  section: 0 | 1 | 2;
  ownerStart: number;
  type: number;
  ttl: number;
  rdataStart: number;
  rdataEnd: number;
}

interface WalkedMessage {
  /** Where the first question's name starts and its type, or null when there is none. */
  question: { nameStart: number; type: number } | null;
  records: RecordSpan[];
}

/**
 * Walks the whole message the way a strict parser would, because dns-packet trusts it: it decodes
 * MX and other RDATA without looking at RDLENGTH, and reads past counts that lie. Returns where
 * every record lies, so the records can be read without another check, and unknown types kept
 * byte for byte.
 */
function walkMessage(buf: Buffer): WalkedMessage {
  if (buf.length < HEADER_LENGTH) throw new MalformedMessage(`message of ${buf.length} octets is shorter than a DNS header`);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  const limit = buf.length;
  let offset = HEADER_LENGTH;
  let question: WalkedMessage['question'] = null;
  for (let i = 0; i < counts[0]; i++) {
    const nameStart = offset;
    offset = skipName(buf, offset, limit, 'question name');
    need(limit, offset, 4, 'question type and class');
    question ??= { nameStart, type: buf.readUInt16BE(offset) };
    offset += 4;
  }
  const records: RecordSpan[] = [];
  const total = counts[1] + counts[2] + counts[3];
  let optSeen = false;
  for (let i = 0; i < total; i++) {
    const section = i < counts[1] ? 0 : i < counts[1] + counts[2] ? 1 : 2;
    const ownerStart = offset;
    const ownerIsRoot = buf[offset] === 0;
    offset = skipName(buf, offset, limit, `${SECTIONS[section]} record owner`);
    need(limit, offset, RR_FIXED_LENGTH, `${SECTIONS[section]} record header`);
    const type = buf.readUInt16BE(offset);
    const klass = buf.readUInt16BE(offset + 2);
    const ttl = buf.readUInt32BE(offset + 4);
    const rdlength = buf.readUInt16BE(offset + 8);
    offset += RR_FIXED_LENGTH;
    if (type === TYPE_OPT) {
      // RFC 6891 §6.1.1: one OPT at most, in the additional section, owned by the root.
      if (section !== 2 || optSeen || !ownerIsRoot) throw new MalformedMessage('OPT record misplaced, repeated or not owned by the root');
      optSeen = true;
    } else if (klass !== CLASS_IN) {
      throw new MalformedMessage(`${SECTIONS[section]} record of type ${type} has class ${klass}, not IN`);
    }
    need(limit, offset, rdlength, `RDATA of ${rdlength} octets`);
    checkRdata(buf, type, offset, offset + rdlength);
    records.push({ section, ownerStart, type, ttl, rdataStart: offset, rdataEnd: offset + rdlength });
    offset += rdlength;
  }
  if (offset !== buf.length) {
    throw new MalformedMessage(`${buf.length - offset} octets follow the last record the header counts announce`);
  }
  return { question, records };
}

function need(limit: number, offset: number, length: number, what: string): void {
  if (offset + length > limit) throw new MalformedMessage(`message ends inside the ${what}`);
}

/** Skips a possibly compressed name that must end before `limit`; returns the offset after it. */
function skipName(buf: Buffer, start: number, limit: number, what: string): number {
  let offset = start;
  let end = -1;
  let wireLength = 0;
  let hops = 0;
  let lowestPointerTarget = start;
  for (;;) {
    need(limit, offset, 1, what);
    const length = buf[offset]!;
    if (length === 0) {
      wireLength += 1;
      if (wireLength > MAX_NAME_OCTETS) throw new MalformedMessage(`${what} is longer than 255 octets`);
      return end === -1 ? offset + 1 : end;
    }
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      need(limit, offset, 2, what);
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
    need(limit, offset + 1, length, what);
    // A dot inside a label cannot be told apart from a label boundary once the name is text.
    for (let i = offset + 1; i <= offset + length; i++) if (buf[i] === DOT) throw new MalformedMessage(`${what} has a label containing "."`);
    wireLength += length + 1;
    if (wireLength > MAX_NAME_OCTETS) throw new MalformedMessage(`${what} is longer than 255 octets`);
    offset += length + 1;
  }
}

const TYPE_CODES = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, DNAME: 39,
} as const;

/** RDATA whose layout we know must fill RDLENGTH exactly: no shorter, no longer. */
function checkRdata(buf: Buffer, type: number, start: number, end: number): void {
  const length = end - start;
  switch (type) {
    case TYPE_CODES.A:
      return exactly(start + 4, start, end, 'A');
    case TYPE_CODES.AAAA:
      return exactly(start + 16, start, end, 'AAAA');
    case TYPE_CODES.NS:
    case TYPE_CODES.CNAME:
    case TYPE_CODES.PTR:
    case TYPE_CODES.DNAME:
      return exactly(skipName(buf, start, end, 'name RDATA name'), start, end, 'name');
    case TYPE_CODES.MX:
      if (length < 3) throw new MalformedMessage(`MX RDATA of ${length} octets has no exchange`);
      return exactly(skipName(buf, start + 2, end, 'MX RDATA name'), start, end, 'MX');
    case TYPE_CODES.SRV:
      if (length < 7) throw new MalformedMessage(`SRV RDATA of ${length} octets has no target`);
      return exactly(skipName(buf, start + 6, end, 'SRV RDATA name'), start, end, 'SRV');
    case TYPE_CODES.SOA:
      return exactly(skipName(buf, skipName(buf, start, end, 'SOA RDATA name'), end, 'SOA RDATA name') + 20, start, end, 'SOA');
    case TYPE_OPT: {
      let offset = start;
      while (offset < end) {
        if (offset + 4 > end) throw new MalformedMessage('OPT option header runs past the OPT RDATA');
        offset += 4 + buf.readUInt16BE(offset + 2);
      }
      return exactly(offset, start, end, 'OPT');
    }
    case TYPE_CODES.TXT: {
      if (length === 0) throw new MalformedMessage('TXT RDATA is empty');
      let offset = start;
      while (offset < end) offset += 1 + buf[offset]!;
      return exactly(offset, start, end, 'TXT');
    }
    default:
      return;
  }
}

/** The RDATA read to `reached` must end where RDLENGTH says it does. */
function exactly(reached: number, start: number, end: number, what: string): void {
  if (reached !== end) throw new MalformedMessage(`${what} RDATA does not match its RDLENGTH of ${end - start}`);
}

/**
 * Validates and decodes a reply. Any failure — too short, a lying count, RDLENGTH that disagrees
 * with the data, a class other than IN, a name dns-packet cannot read — comes back as a reason,
 * never as an exception.
 */
export function decodeResponse(message: Uint8Array): ResponseDecoding {
  const buf = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  let walked: WalkedMessage;
  try {
    walked = walkMessage(buf);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (readsItself(buf, walked)) return { ok: true, response: decodeWalked(buf, walked) };
  return decodeWithDnsPacket(buf, walked);
}

/**
 * decodeResponse with every record decoded by dns-packet, even those decodeResponse reads itself:
 * the reference the tests hold the faster reading to.
 */
export function decodeResponseWithDnsPacket(message: Uint8Array): ResponseDecoding {
  const buf = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  try {
    return decodeWithDnsPacket(buf, walkMessage(buf));
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Record types whose RDATA walkMessage has checked to the octet, so reading them cannot fail. */
const SELF_READ_TYPES = new Set<number>([...Object.values(TYPE_CODES), TYPE_OPT]);
const EDE_OPTION = 15;

/**
 * Whether decodeWalked reads this message: every record of a type it knows, and no EDNS option but
 * Extended DNS Errors (dns-packet decodes some options by their layout and may refuse them: that
 * strictness is kept by leaving such messages to it).
 */
function readsItself(buf: Buffer, walked: WalkedMessage): boolean {
  for (const record of walked.records) {
    if (!SELF_READ_TYPES.has(record.type)) return false;
    if (record.type === TYPE_OPT) {
      for (let offset = record.rdataStart; offset < record.rdataEnd; offset += 4 + buf.readUInt16BE(offset + 2)) {
        if (buf.readUInt16BE(offset) !== EDE_OPTION) return false;
      }
    }
  }
  return true;
}

/** The octets of the name being read, lower-cased: reused, since a reply holds several names and many replies arrive. */
const nameOctets = Buffer.alloc(MAX_NAME_OCTETS);
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const TO_LOWER = 0x20;

/**
 * A name in canonical form (lower case, no trailing dot, "." for the root), labels read as
 * dns-packet reads them (UTF-8). Names of ASCII octets, nearly all of them, are lower-cased octet
 * by octet; any other octet sends the name the long way, through UTF-8 and toLowerCase.
 */
function readName(buf: Buffer, start: number): string {
  let length = 0;
  let offset = start;
  for (;;) {
    const labelLength = buf[offset]!;
    if (labelLength === 0) break;
    if ((labelLength & 0xc0) === 0xc0) {
      offset = ((labelLength & 0x3f) << 8) | buf[offset + 1]!;
      continue;
    }
    if (length > 0) nameOctets[length++] = DOT;
    for (let i = offset + 1; i <= offset + labelLength; i++) {
      const octet = buf[i]!;
      if (octet >= 0x80) return readNameAsUtf8(buf, start);
      nameOctets[length++] = octet >= UPPER_A && octet <= UPPER_Z ? octet + TO_LOWER : octet;
    }
    offset += 1 + labelLength;
  }
  return length === 0 ? '.' : nameOctets.toString('latin1', 0, length);
}

function readNameAsUtf8(buf: Buffer, start: number): string {
  const labels: string[] = [];
  let offset = start;
  for (;;) {
    const length = buf[offset]!;
    if (length === 0) return labels.length === 0 ? '.' : labels.join('.').toLowerCase();
    if ((length & 0xc0) === 0xc0) {
      offset = ((length & 0x3f) << 8) | buf[offset + 1]!;
      continue;
    }
    labels.push(buf.toString('utf8', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
}

function readRecord(buf: Buffer, span: RecordSpan): DnsRecord {
  const name = readName(buf, span.ownerStart);
  const { ttl, rdataStart: at, rdataEnd: end } = span;
  switch (span.type) {
    case TYPE_CODES.A:
      return { name, ttl, type: 'A', data: `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}` };
    case TYPE_CODES.AAAA:
      return { name, ttl, type: 'AAAA', data: dnsPacket.aaaa.decode(buf, at - 2) };
    case TYPE_CODES.CNAME:
      return { name, ttl, type: 'CNAME', data: readName(buf, at) };
    case TYPE_CODES.DNAME:
      return { name, ttl, type: 'DNAME', data: readName(buf, at) };
    case TYPE_CODES.NS:
      return { name, ttl, type: 'NS', data: readName(buf, at) };
    case TYPE_CODES.PTR:
      return { name, ttl, type: 'PTR', data: readName(buf, at) };
    case TYPE_CODES.MX:
      return { name, ttl, type: 'MX', data: { preference: buf.readUInt16BE(at), exchange: readName(buf, at + 2) } };
    case TYPE_CODES.TXT: {
      const strings: Uint8Array[] = [];
      for (let offset = at; offset < end; offset += 1 + buf[offset]!) strings.push(buf.subarray(offset + 1, offset + 1 + buf[offset]!));
      return { name, ttl, type: 'TXT', data: strings };
    }
    case TYPE_CODES.SOA: {
      const rnameStart = skipName(buf, at, end, 'SOA');
      const numbers = skipName(buf, rnameStart, end, 'SOA');
      return {
        name, ttl, type: 'SOA',
        data: {
          mname: readName(buf, at), rname: readName(buf, rnameStart), serial: buf.readUInt32BE(numbers), refresh: buf.readUInt32BE(numbers + 4),
          retry: buf.readUInt32BE(numbers + 8), expire: buf.readUInt32BE(numbers + 12), minimum: buf.readUInt32BE(numbers + 16),
        },
      };
    }
    case TYPE_CODES.SRV:
      return {
        name, ttl, type: 'SRV',
        data: { priority: buf.readUInt16BE(at), weight: buf.readUInt16BE(at + 2), port: buf.readUInt16BE(at + 4), target: readName(buf, at + 6) },
      };
    default:
      throw new Error(`readRecord: type ${span.type} is not read here`);
  }
}

/** The response of a walked message whose records are all of the types read here. */
function decodeWalked(buf: Buffer, walked: WalkedMessage): DecodedResponse {
  const sections: [DnsRecord[], DnsRecord[], DnsRecord[]] = [[], [], []];
  let opt: RecordSpan | null = null;
  for (const span of walked.records) {
    if (span.type === TYPE_OPT) opt = span;
    else sections[span.section].push(readRecord(buf, span));
  }
  const errors: ExtendedDnsError[] = [];
  if (opt) {
    for (let offset = opt.rdataStart; offset < opt.rdataEnd; offset += 4 + buf.readUInt16BE(offset + 2)) {
      errors.push(extendedError({ data: buf.subarray(offset + 4, offset + 4 + buf.readUInt16BE(offset + 2)) }));
    }
  }
  // OPT's class is the payload size; its TTL the extended rcode, the version and the flags.
  const optTtl = opt?.ttl ?? 0;
  const rawFlags = buf.readUInt16BE(2);
  return {
    id: buf.readUInt16BE(0),
    rcode: rcodeName((rawFlags & 0xf) | ((optTtl >>> 24) << 4)),
    flags: headerFlags(rawFlags),
    question: walked.question ? { name: readName(buf, walked.question.nameStart), type: rrtypeName(walked.question.type) } : null,
    answers: sections[0],
    authorities: sections[1],
    additionals: sections[2],
    edns: opt ? { payloadSize: buf.readUInt16BE(opt.ownerStart + 3), dnssecOk: (optTtl & dnsPacket.DNSSEC_OK) !== 0, errors } : null,
  };
}

function headerFlags(rawFlags: number): ResponseFlags {
  return {
    aa: (rawFlags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
    tc: (rawFlags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
    rd: (rawFlags & dnsPacket.RECURSION_DESIRED) !== 0,
    ra: (rawFlags & dnsPacket.RECURSION_AVAILABLE) !== 0,
    ad: (rawFlags & dnsPacket.AUTHENTIC_DATA) !== 0,
    cd: (rawFlags & dnsPacket.CHECKING_DISABLED) !== 0,
  };
}

/** The response of any walked message, through dns-packet's decoder: for the record types and options not read here. */
function decodeWithDnsPacket(buf: Buffer, walked: WalkedMessage): ResponseDecoding {
  let packet: Packet & { rcode?: string };
  try {
    packet = dnsPacket.decode(buf) as Packet & { rcode?: string };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const answers = packet.answers ?? [];
  const authorities = packet.authorities ?? [];
  const additionals = packet.additionals ?? [];
  let spanIndex = 0;
  const convert = (list: Answer[]): DnsRecord[] => list.flatMap((answer) => {
    const span = walked.records[spanIndex++]!;
    return answer.type === 'OPT' ? [] : [recordFromPacket(answer, buf.subarray(span.rdataStart, span.rdataEnd))];
  });
  const opt = additionals.find((a) => a.type === 'OPT') as (Answer & { udpPayloadSize: number; extendedRcode: number; flags: number; options: { code: number; data?: Buffer }[] }) | undefined;
  const rawFlags = packet.flags ?? 0;
  const rcodeValue = (rawFlags & 0xf) | ((opt?.extendedRcode ?? 0) << 4);
  const question = packet.questions?.[0];
  const response: DecodedResponse = {
    id: packet.id ?? 0,
    rcode: rcodeName(rcodeValue),
    flags: headerFlags(rawFlags),
    question: question ? { name: canonicalName(question.name), type: rrtypeName(packetTypeCode(question.type)) } : null,
    answers: convert(answers),
    authorities: convert(authorities),
    additionals: convert(additionals),
    edns: opt
      ? {
        payloadSize: opt.udpPayloadSize,
        dnssecOk: (opt.flags & dnsPacket.DNSSEC_OK) !== 0,
        errors: (opt.options ?? []).filter((o) => o.code === EDE_OPTION).map(extendedError),
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
