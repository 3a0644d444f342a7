import dnsPacket from 'dns-packet';
import type { DecodedPacket, OptAnswer } from 'dns-packet';
import { packetTypeCode } from '../rr/packet.js';
import { rrtypeName } from '../rr/types.js';
import { canonicalName } from '../name.js';

export type Transport = 'udp' | 'tcp';

/** A query as the test server received it, for `behave` to decide on and for the query log. */
export interface IncomingQuery {
  id: number;
  /** Canonical: lower case, no trailing dot. */
  name: string;
  /** As it was on the wire, case preserved (for 0x20 checks). */
  wireName: string;
  /** Mnemonic: "MX", or "TYPE65280" for types without one. */
  type: string;
  /** "IN", "CH", … or "UNKNOWN_n". */
  class: string;
  flags: { rd: boolean; cd: boolean; do: boolean };
  /** The OPT record's fields; null when the query has none. */
  edns: { payloadSize: number; version: number } | null;
  transport: Transport;
  remote: { address: string; port: number };
  /** 1 the first time this name and type are asked (any case, any transport), 2 the next time, … */
  attempt: number;
}

/** A query as read from the wire; the server adds how often it was asked. */
export type ReadQuery = Omit<IncomingQuery, 'attempt'>;

/** What a received message is: a query to act on, or something answered by its header alone, or nothing. */
export type ReceivedMessage =
  | { kind: 'query'; query: ReadQuery }
  | { kind: 'header-only-reply'; reply: Buffer }
  | { kind: 'ignore' };

const HEADER_LENGTH = 12;
const QR_BIT = 0x8000;
const OPCODE_AND_RD_BITS = 0x7900;
const FORMERR = 1;
const NOTIMP = 4;

/**
 * Reads a message without ever throwing: shorter than a header or already a response (answering
 * those could start a reply loop) → ignore; undecodable, not exactly one question, or more than one
 * OPT → FORMERR; an opcode other than QUERY → NOTIMP.
 */
export function readMessage(message: Buffer, transport: Transport, remote: IncomingQuery['remote']): ReceivedMessage {
  if (message.length < HEADER_LENGTH || (message.readUInt16BE(2) & QR_BIT) !== 0) return { kind: 'ignore' };
  let packet: DecodedPacket;
  try {
    packet = dnsPacket.decode(message);
  } catch {
    return { kind: 'header-only-reply', reply: headerOnlyReply(message, FORMERR) };
  }
  const opcode = ((packet.flags ?? 0) >> 11) & 0xf;
  if (opcode !== 0) return { kind: 'header-only-reply', reply: headerOnlyReply(message, NOTIMP) };
  const questions = packet.questions ?? [];
  const opts = (packet.additionals ?? []).filter((record): record is OptAnswer => record.type === 'OPT');
  const question = questions[0];
  if (questions.length !== 1 || question === undefined || opts.length > 1) {
    return { kind: 'header-only-reply', reply: headerOnlyReply(message, FORMERR) };
  }
  const opt = opts[0];
  return {
    kind: 'query',
    query: {
      id: packet.id ?? 0,
      name: canonicalName(question.name),
      wireName: question.name,
      type: rrtypeName(packetTypeCode(question.type)),
      class: question.class ?? 'IN',
      flags: { rd: packet.flag_rd, cd: packet.flag_cd, do: opt !== undefined && (opt.flags & dnsPacket.DNSSEC_OK) !== 0 },
      edns: opt ? { payloadSize: opt.udpPayloadSize, version: opt.ednsVersion } : null,
      transport,
      remote,
    },
  };
}

/** The query's id, opcode and RD echoed, with `rcode` and no sections: all a server can say to garbage. */
function headerOnlyReply(message: Buffer, rcode: number): Buffer {
  const reply = Buffer.alloc(HEADER_LENGTH);
  message.copy(reply, 0, 0, 2);
  const echoed = message.readUInt16BE(2) & OPCODE_AND_RD_BITS;
  reply.writeUInt16BE(QR_BIT | echoed | rcode, 2);
  return reply;
}
