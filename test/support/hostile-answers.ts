/**
 * Malformed replies, octet by octet, for robustness tests: each starts with a correct header and
 * question for the query it answers (so it passes the id and question checks) and then breaks one
 * rule of RFC 1035. Send them with `{ kind: 'raw', bytes: hostile.compressionLoop(query) }`.
 */
import { rrtypeCode } from '../../src/dns/rr/types.js';
import type { IncomingQuery } from '../../src/dns/local-server/incoming-query.js';
import { seededRandom } from './random.js';

export type AnsweredQuery = Pick<IncomingQuery, 'id' | 'wireName' | 'type'>;

const QR_AA = 0x8400;
const HEADER_LENGTH = 12;
const ANCOUNT_OFFSET = 6;
const TYPE_A = 1;
const TYPE_MX = 15;
const CLASS_IN = 1;
const CLASS_CH = 3;
const TTL = 300;
const POINTER = 0xc000;
/** A pointer to the question's name, which always starts right after the header. */
const QUESTION_NAME_POINTER = POINTER | HEADER_LENGTH;

/** Appends the fields of a DNS message; names are written uncompressed unless a pointer is asked for. */
class MessageWriter {
  private readonly octets: number[] = [];

  get offset(): number {
    return this.octets.length;
  }

  u8(value: number): this {
    this.octets.push(value & 0xff);
    return this;
  }

  u16(value: number): this {
    return this.u8(value >> 8).u8(value);
  }

  u32(value: number): this {
    return this.u16(value >>> 16).u16(value);
  }

  bytes(values: Iterable<number>): this {
    for (const value of values) this.u8(value);
    return this;
  }

  label(text: string): this {
    const encoded = Buffer.from(text);
    return this.u8(encoded.length).bytes(encoded);
  }

  /** A complete name ending in the root label. */
  name(name: string): this {
    for (const label of name.split('.').filter((l) => l !== '')) this.label(label);
    return this.u8(0);
  }

  /** Overwrites a 16-bit field written earlier (an RDLENGTH known only later). */
  patch16(offset: number, value: number): this {
    this.octets[offset] = (value >> 8) & 0xff;
    this.octets[offset + 1] = value & 0xff;
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.octets);
  }
}

interface Counts {
  answers: number;
  authorities?: number;
  additionals?: number;
}

/** Header (QR, AA, the query's id) and the query's question, echoed. */
function replyStart(query: AnsweredQuery, counts: Counts): MessageWriter {
  return new MessageWriter()
    .u16(query.id).u16(QR_AA).u16(1).u16(counts.answers).u16(counts.authorities ?? 0).u16(counts.additionals ?? 0)
    .name(query.wireName).u16(rrtypeCode(query.type) ?? 0).u16(CLASS_IN);
}

/** Owner (the question's name, compressed), type, class and TTL; RDLENGTH and RDATA follow. */
function recordStart(writer: MessageWriter, type: number, klass = CLASS_IN): MessageWriter {
  return writer.u16(QUESTION_NAME_POINTER).u16(type).u16(klass).u32(TTL);
}

/** MX RDATA "10 mail.<question name>", uncompressed. */
function mxRdata(query: AnsweredQuery): Buffer {
  return new MessageWriter().u16(10).name(`mail.${query.wireName}`).toBuffer();
}

/** An MX record whose RDLENGTH covers only the preference: the exchange spills past the record. */
export function mxRdlengthTooShort(query: AnsweredQuery): Buffer {
  const rdata = mxRdata(query);
  return recordStart(replyStart(query, { answers: 1 }), TYPE_MX).u16(2).bytes(rdata).toBuffer();
}

/** An MX record whose RDLENGTH claims 16 octets more than the message holds. */
export function mxRdlengthTooLong(query: AnsweredQuery): Buffer {
  const rdata = mxRdata(query);
  return recordStart(replyStart(query, { answers: 1 }), TYPE_MX).u16(rdata.length + 16).bytes(rdata).toBuffer();
}

/** An MX record of a preference and nothing else: RDLENGTH 2, no exchange (zone compilers refuse to serve it). */
export function mxPreferenceOnly(query: AnsweredQuery): Buffer {
  return recordStart(replyStart(query, { answers: 1 }), TYPE_MX).u16(2).u16(10).toBuffer();
}

/** ANCOUNT says 3, one MX record follows. */
export function countsThatLie(query: AnsweredQuery): Buffer {
  const rdata = mxRdata(query);
  return recordStart(replyStart(query, { answers: 3 }), TYPE_MX).u16(rdata.length).bytes(rdata).toBuffer();
}

/**
 * An MX exchange "loop.<pointer to its own first label>": the pointer goes backwards, as RFC 1035
 * allows, yet a decoder that follows it never reaches the root label.
 */
export function compressionLoop(query: AnsweredQuery): Buffer {
  const writer = recordStart(replyStart(query, { answers: 1 }), TYPE_MX);
  const rdlengthAt = writer.offset;
  writer.u16(0).u16(10);
  const exchangeAt = writer.offset;
  writer.label('loop').u16(POINTER | exchangeAt);
  return writer.patch16(rdlengthAt, writer.offset - rdlengthAt - 2).toBuffer();
}

/**
 * An MX exchange that is a pointer forward, to the owner of an A record in the additional section:
 * it names a real host, but RFC 1035 §4.1.4 only allows pointers to a prior occurrence.
 */
export function forwardPointer(query: AnsweredQuery): Buffer {
  const writer = recordStart(replyStart(query, { answers: 1, additionals: 1 }), TYPE_MX);
  writer.u16(4).u16(10);
  const pointerAt = writer.offset;
  writer.u16(0);
  const additionalOwnerAt = writer.offset;
  writer.name(`mail.${query.wireName}`).u16(TYPE_A).u16(CLASS_IN).u32(TTL).u16(4).bytes([192, 0, 2, 25]);
  return writer.patch16(pointerAt, POINTER | additionalOwnerAt).toBuffer();
}

/** An MX exchange of five 63-octet labels: 321 octets, over the 255 of RFC 1035 §2.3.4. */
export function overlongName(query: AnsweredQuery): Buffer {
  const writer = recordStart(replyStart(query, { answers: 1 }), TYPE_MX);
  const rdlengthAt = writer.offset;
  writer.u16(0).u16(10);
  for (let i = 0; i < 5; i++) writer.label(String(i).repeat(63));
  writer.u8(0);
  return writer.patch16(rdlengthAt, writer.offset - rdlengthAt - 2).toBuffer();
}

/**
 * A legal MX record whose exchange has these labels, octet for octet: a label may hold any octet,
 * "." included (RFC 2181 §11), which no zone compiler or dns-packet writes from text.
 */
export function mxExchangeLabels(query: AnsweredQuery, labels: readonly string[]): Buffer {
  const writer = recordStart(replyStart(query, { answers: 1 }), TYPE_MX);
  const rdlengthAt = writer.offset;
  writer.u16(0).u16(10);
  for (const label of labels) writer.label(label);
  writer.u8(0);
  return writer.patch16(rdlengthAt, writer.offset - rdlengthAt - 2).toBuffer();
}

/** A well-formed MX record, but of class CH (3) in reply to an IN question. */
export function chaosClass(query: AnsweredQuery): Buffer {
  const rdata = mxRdata(query);
  return recordStart(replyStart(query, { answers: 1 }), TYPE_MX, CLASS_CH).u16(rdata.length).bytes(rdata).toBuffer();
}

/** Header and question claiming one answer, then `length` random octets; the same seed gives the same octets. */
export function randomAfterQuestion(query: AnsweredQuery, length: number, seed: number): Buffer {
  return replyStart(query, { answers: 1 }).bytes(randomOctets(length, seed)).toBuffer();
}

/** `length` random octets, not even a header; the same seed gives the same octets. */
export function randomOctets(length: number, seed: number): Buffer {
  const next = seededRandom(seed);
  return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)));
}

/** A copy of a whole message whose ANCOUNT says `count`, whatever the message holds. */
export function withAnswerCount(message: Buffer, count: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE(count, ANCOUNT_OFFSET);
  return copy;
}

/** The first `length` octets of a message: a reply cut short on the way. */
export function cutShort(message: Buffer, length: number): Buffer {
  return Buffer.from(message.subarray(0, Math.max(0, Math.min(length, message.length - 1))));
}

/** The hostile replies that need only the query, by name, for suites that try them all. */
export const HOSTILE_REPLIES = {
  mxRdlengthTooShort, mxRdlengthTooLong, mxPreferenceOnly, countsThatLie, compressionLoop, forwardPointer, overlongName, chaosClass,
} as const satisfies Record<string, (query: AnsweredQuery) => Buffer>;
