import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import packetRcodes from 'dns-packet/rcodes.js';
import { canonicalName } from './name.js';
import type { DnsRecord } from './records.js';
import { CLASS_IN } from './rr/classes.js';
import { codecForCode } from './rr/index.js';
import { recordFromPacket } from './rr/packet.js';
import { rrtypeCode, rrtypeName, TYPE_OPT } from './rr/types.js';
import { WireReader } from './rr/wire-reader.js';

/** Kept here for the code that imports it from here; the name walk that enforces it is the wire reader's. */
export { MAX_POINTER_HOPS } from './rr/wire-reader.js';

/** RFC 6891 payload size recommended by DNS Flag Day 2020: fits in one unfragmented datagram. */
export const EDNS_PAYLOAD_SIZE = 1232;

const HEADER_LENGTH = 12;
const RR_FIXED_LENGTH = 10;

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
const DOT_OCTET = 0x2e;

/**
 * A query: the header, one question, an OPT record (RFC 6891) — written byte by byte, since it is
 * the one message sent per lookup. The name has been checked by then (labels of 1–63 octets, 253 in
 * all); its labels are written as UTF-8 like dns-packet writes them.
 */
export function encodeQuery(id: number, question: Question, flags: QueryFlags): Buffer {
  const type = rrtypeCode(question.type);
  if (type === undefined) throw new Error(`cannot encode a query for type "${question.type}"`);
  const root = question.name === '.';
  // The name's octets, each label's length octet in place of the "." before it, and the root's 0.
  const nameLength = root ? 1 : Buffer.byteLength(question.name) + 2;
  const buf = Buffer.allocUnsafe(HEADER_LENGTH + nameLength + 4 + OPT_LENGTH);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE((flags.recursionDesired ? HEADER_RD : 0) | (flags.checkingDisabled ? HEADER_CD : 0), 2);
  buf.writeUInt16BE(1, 4);
  buf.writeUInt32BE(0, 6);
  buf.writeUInt16BE(1, 10);
  let offset = HEADER_LENGTH + nameLength - 1;
  if (!root) {
    // Written whole, then each "." (an octet no multi-octet UTF-8 sequence holds) becomes the length of the label after it.
    buf.write(question.name, HEADER_LENGTH + 1);
    let labelEnd = offset;
    for (let at = offset - 1; at >= HEADER_LENGTH; at--) {
      if (at !== HEADER_LENGTH && buf[at] !== DOT_OCTET) continue;
      buf[at] = labelEnd - at - 1;
      labelEnd = at;
    }
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

/** The question of a reply, with its class: a reply must echo the query's (RFC 5452 §9.1). */
export interface ResponseQuestion extends Question {
  class: number;
}

export interface DecodedResponse {
  id: number;
  /** Mnemonic, extended by the OPT record's upper bits (RFC 6891 §6.1.3): "NOERROR", "NXDOMAIN", "BADVERS" … */
  rcode: string;
  flags: ResponseFlags;
  question: ResponseQuestion | null;
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

const QR_OCTET_BIT = 0x80;
const OPCODE_OCTET_BITS = 0x78;

/**
 * The header says this is no response to a standard query: QR is clear (a query) or the opcode is
 * not QUERY, the only one mxlint sends (RFC 1035 §4.1.1). Such a packet answers nothing of ours,
 * whatever it holds. A message too short to say is left to the decoder, which refuses it.
 */
export function notAQueryResponse(message: Uint8Array): boolean {
  return message.length > 2 && ((message[2]! & QR_OCTET_BIT) === 0 || (message[2]! & OPCODE_OCTET_BITS) !== 0);
}

class MalformedMessage extends Error {}

const SECTIONS = ['answer', 'authority', 'additional'] as const;
const OWNER_WHAT = ['answer record owner', 'authority record owner', 'additional record owner'] as const;
const HEADER_WHAT = ['answer record header', 'authority record header', 'additional record header'] as const;
const EDE_OPTION = 15;

interface WalkedMessage {
  /** The first question, or null when there is none. */
  question: { name: string; type: number; class: number } | null;
  /** The records of the answer, authority and additional sections as read here; the OPT record aside. */
  sections: [DnsRecord[], DnsRecord[], DnsRecord[]];
  /** The OPT record: its class is the payload size, its TTL the extended rcode, the version and the flags. */
  opt: { payloadSize: number; ttl: number; errors: ExtendedDnsError[] } | null;
  /**
   * A record of a type not read here, or an EDNS option other than Extended DNS Errors, which
   * dns-packet decodes by its layout and may refuse: that strictness is kept by leaving the whole
   * message to dns-packet, and `sections` is then incomplete.
   */
  leftToDnsPacket: boolean;
  /** Where the RDATA of each record lies, in order: start, end, start, end, ... (kept when asked for). */
  rdataSpans: number[];
  /** Each record's owner as read here (escapes and all), in order, the OPT record's too (kept when asked for). */
  owners: string[];
  /** Each record as read here, in order; null for the OPT record and the types left to dns-packet (kept when asked for). */
  read: (DnsRecord | null)[];
}

/**
 * Walks the whole message the way a strict parser would, because dns-packet trusts it: it decodes
 * MX and other RDATA without looking at RDLENGTH, and reads past counts that lie. The RDATA of each
 * record of a type mxlint interprets is read by that type's codec (src/dns/rr/), which holds it to its
 * RDLENGTH; other types are kept byte for byte. `forDnsPacket`: keep where each record lies and what
 * was read of it, for decodeWithDnsPacket; a reply read here whole needs none of it.
 */
function walkMessage(buf: Buffer, forDnsPacket: boolean): WalkedMessage {
  if (buf.length < HEADER_LENGTH) throw new MalformedMessage(`message of ${buf.length} octets is shorter than a DNS header`);
  const questions = buf.readUInt16BE(4);
  const answers = buf.readUInt16BE(6);
  const authorities = buf.readUInt16BE(8);
  const total = answers + authorities + buf.readUInt16BE(10);
  const limit = buf.length;
  const reader = new WireReader(buf, 'message');
  reader.offset = HEADER_LENGTH;
  let question: WalkedMessage['question'] = null;
  for (let i = 0; i < questions; i++) {
    const name = reader.messageName('question name', limit);
    need(limit, reader.offset, 4, 'question type and class');
    question ??= { name, type: buf.readUInt16BE(reader.offset), class: buf.readUInt16BE(reader.offset + 2) };
    reader.offset += 4;
  }
  const walked: WalkedMessage = { question, sections: [[], [], []], opt: null, leftToDnsPacket: false, rdataSpans: [], owners: [], read: [] };
  for (let i = 0; i < total; i++) {
    const section = i < answers ? 0 : i < answers + authorities ? 1 : 2;
    const ownerIsRoot = buf[reader.offset] === 0;
    const name = reader.messageName(OWNER_WHAT[section], limit);
    let offset = reader.offset;
    need(limit, offset, RR_FIXED_LENGTH, HEADER_WHAT[section]);
    const type = buf.readUInt16BE(offset);
    const klass = buf.readUInt16BE(offset + 2);
    const ttl = buf.readUInt32BE(offset + 4);
    const rdlength = buf.readUInt16BE(offset + 8);
    offset += RR_FIXED_LENGTH;
    if (type === TYPE_OPT) {
      // RFC 6891 §6.1.1: one OPT at most, in the additional section, owned by the root.
      if (section !== 2 || walked.opt !== null || !ownerIsRoot) throw new MalformedMessage('OPT record misplaced, repeated or not owned by the root');
    } else if (klass !== CLASS_IN) {
      throw new MalformedMessage(`${SECTIONS[section]} record of type ${type} has class ${klass}, not IN`);
    }
    need(limit, offset, rdlength, `RDATA of ${rdlength} octets`);
    const end = offset + rdlength;
    if (forDnsPacket) {
      walked.rdataSpans.push(offset, end);
      walked.owners.push(name);
    }
    let read: DnsRecord | null = null;
    if (type === TYPE_OPT) {
      walked.opt = readOpt(buf, offset, end, klass, ttl, walked);
    } else {
      const codec = codecForCode(type);
      if (codec === undefined || !codec.readInMessages) {
        walked.leftToDnsPacket = true;
      } else {
        reader.rdata(codec, offset, end);
        const data = codec.read(reader);
        reader.finish();
        read = { name, ttl, type: codec.type, data } as DnsRecord;
        walked.sections[section].push(read);
      }
    }
    if (forDnsPacket) walked.read.push(read);
    reader.offset = end;
  }
  if (reader.offset !== buf.length) {
    throw new MalformedMessage(`${buf.length - reader.offset} octets follow the last record the header counts announce`);
  }
  return walked;
}

function need(limit: number, offset: number, length: number, what: string): void {
  if (offset + length > limit) throw new MalformedMessage(`message ends inside the ${what}`);
}

/** The options of the OPT RDATA must fill it exactly; Extended DNS Errors are read, other options left to dns-packet. */
function readOpt(buf: Buffer, start: number, end: number, payloadSize: number, ttl: number, walked: WalkedMessage): WalkedMessage['opt'] {
  const errors: ExtendedDnsError[] = [];
  let offset = start;
  while (offset < end) {
    if (offset + 4 > end) throw new MalformedMessage('OPT option header runs past the OPT RDATA');
    const length = buf.readUInt16BE(offset + 2);
    if (buf.readUInt16BE(offset) === EDE_OPTION) errors.push(extendedError({ data: buf.subarray(offset + 4, offset + 4 + length) }));
    else walked.leftToDnsPacket = true;
    offset += 4 + length;
  }
  if (offset !== end) throw new MalformedMessage(`OPT RDATA does not match its RDLENGTH of ${end - start}`);
  return { payloadSize, ttl, errors };
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
    walked = walkMessage(buf, false);
    // Walked again, keeping what dns-packet's records are matched with.
    if (walked.leftToDnsPacket) walked = walkMessage(buf, true);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (!walked.leftToDnsPacket) return { ok: true, response: walkedResponse(buf, walked) };
  return decodeWithDnsPacket(buf, walked, true);
}

/**
 * decodeResponse with every record decoded by dns-packet, even those decodeResponse reads itself:
 * the reference the tests hold the codecs' reading to.
 */
export function decodeResponseWithDnsPacket(message: Uint8Array): ResponseDecoding {
  const buf = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  try {
    return decodeWithDnsPacket(buf, walkMessage(buf, true), false);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** The response of a walked message whose records were all read in the walk. */
function walkedResponse(buf: Buffer, walked: WalkedMessage): DecodedResponse {
  const { question, opt } = walked;
  // The OPT record's TTL holds the upper bits of the rcode (RFC 6891 §6.1.3) and the DO flag.
  const optTtl = opt?.ttl ?? 0;
  const rawFlags = buf.readUInt16BE(2);
  return {
    id: buf.readUInt16BE(0),
    rcode: rcodeName((rawFlags & 0xf) | ((optTtl >>> 24) << 4)),
    flags: headerFlags(rawFlags),
    question: responseQuestion(question),
    answers: walked.sections[0],
    authorities: walked.sections[1],
    additionals: walked.sections[2],
    edns: opt ? { payloadSize: opt.payloadSize, dnssecOk: (optTtl & dnsPacket.DNSSEC_OK) !== 0, errors: opt.errors } : null,
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

/**
 * The response of any walked message, through dns-packet's decoder: for the record types and options
 * not read here. With `keepWalked`, the records read in the walk and every owner name are the walk's
 * (dns-packet joins labels with "." whatever they hold); otherwise all is dns-packet's, the reference.
 */
function decodeWithDnsPacket(buf: Buffer, walked: WalkedMessage, keepWalked: boolean): ResponseDecoding {
  let packet: Packet & { rcode?: string };
  try {
    packet = dnsPacket.decode(buf) as Packet & { rcode?: string };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const answers = packet.answers ?? [];
  const authorities = packet.authorities ?? [];
  const additionals = packet.additionals ?? [];
  const spans = walked.rdataSpans;
  let index = 0;
  const convert = (list: Answer[]): DnsRecord[] => list.flatMap((answer) => {
    const at = index++;
    if (answer.type === 'OPT') return [];
    const read = walked.read[at];
    if (keepWalked && read) return [read];
    const record = recordFromPacket(answer, buf.subarray(spans[2 * at]!, spans[2 * at + 1]!));
    return [keepWalked ? { ...record, name: walked.owners[at]! } : record];
  });
  const opt = additionals.find((a) => a.type === 'OPT') as (Answer & { udpPayloadSize: number; extendedRcode: number; flags: number; options: { code: number; data?: Buffer }[] }) | undefined;
  const rawFlags = packet.flags ?? 0;
  const rcodeValue = (rawFlags & 0xf) | ((opt?.extendedRcode ?? 0) << 4);
  const response: DecodedResponse = {
    id: packet.id ?? 0,
    rcode: rcodeName(rcodeValue),
    flags: headerFlags(rawFlags),
    question: responseQuestion(walked.question),
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

/** The question as the walk read it (its name as every name of the message is read), or null. */
function responseQuestion(question: WalkedMessage['question']): ResponseQuestion | null {
  return question ? { name: question.name, type: rrtypeName(question.type), class: question.class } : null;
}

/**
 * Does a reply answer exactly this question: its name (case-insensitively, RFC 4343), type and
 * class IN, the only class mxlint asks about (RFC 5452 §9.1)?
 */
export function answersQuestion(response: DecodedResponse, question: Question): boolean {
  return response.question !== null
    && response.question.class === CLASS_IN
    && response.question.name === canonicalName(question.name)
    && rrtypeCode(response.question.type) === rrtypeCode(question.type);
}
