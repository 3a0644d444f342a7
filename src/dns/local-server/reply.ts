import dnsPacket from 'dns-packet';
import type { Answer, OptAnswer, Packet, Question } from 'dns-packet';
import { packetTypeName, recordToPacket } from '../rr/packet.js';
import { rrtypeCode } from '../rr/types.js';
import type { DnsRecord } from '../records.js';
import { answerQuestion, type AuthoritativeAnswer } from '../zone-data/answer.js';
import type { IncomingQuery } from './incoming-query.js';
import type { ServedData } from '../zone-data/served-data.js';

/** What the server advertises and the most it sends over UDP (DNS Flag Day 2020). */
export const SERVER_EDNS_PAYLOAD_SIZE = 1232;
/** RFC 1035 §4.2.1: the UDP limit for a client that did not say otherwise with EDNS. */
const CLASSIC_UDP_LIMIT = 512;
/** The 2-octet TCP length prefix cannot say more. */
const MAX_TCP_MESSAGE = 0xffff;

const RCODE_VALUES = {
  NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5,
  YXDOMAIN: 6, YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10, BADVERS: 16,
} as const;

export type RcodeName = keyof typeof RCODE_VALUES;
/** A mnemonic, or any number up to 4095 (above 15 the upper bits go into OPT, RFC 6891 §6.1.3). */
export type Rcode = RcodeName | number;

const ZONE_TRANSFER_TYPES = new Set(['AXFR', 'IXFR']);

/** Sets RCODE in the header and, when it needs more than 4 bits, in OPT (added if missing). */
export function setRcode(packet: Packet, rcode: Rcode): void {
  const value = typeof rcode === 'number' ? rcode : RCODE_VALUES[rcode];
  packet.flags = ((packet.flags ?? 0) & ~0xf) | (value & 0xf);
  const upper = value >> 4;
  let opt = packet.additionals?.find((record): record is OptAnswer => record.type === 'OPT');
  if (opt === undefined && upper !== 0) {
    opt = serverOpt(false);
    packet.additionals = [...(packet.additionals ?? []), opt];
  }
  if (opt) opt.extendedRcode = upper;
}

function serverOpt(dnssecOk: boolean): OptAnswer {
  return {
    type: 'OPT', name: '.', udpPayloadSize: SERVER_EDNS_PAYLOAD_SIZE, extendedRcode: 0, ednsVersion: 0,
    flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0, flag_do: dnssecOk, options: [],
  };
}

function echoedQuestion(query: IncomingQuery): Question {
  const type = packetTypeName(rrtypeCode(query.type) ?? 0);
  return { name: query.wireName, type: type as Question['type'], class: query.class as Question['class'] };
}

/**
 * A response to `query` with no records: id and question echoed, RD and CD copied (RFC 1035 §4.1.1,
 * RFC 4035 §3.1.6), OPT (with DO copied, RFC 3225 §3) when the query had EDNS.
 */
export function emptyReply(query: IncomingQuery, rcode: Rcode): Packet {
  const packet: Packet = {
    type: 'response',
    id: query.id,
    flags: (query.flags.rd ? dnsPacket.RECURSION_DESIRED : 0) | (query.flags.cd ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [echoedQuestion(query)],
    answers: [],
    authorities: [],
    additionals: query.edns ? [serverOpt(query.flags.do)] : [],
  };
  setRcode(packet, rcode);
  return packet;
}

/** The records of `answer` in a reply; owners equal to the question's name are written in its case. */
function authoritativeReply(query: IncomingQuery, answer: AuthoritativeAnswer): Packet {
  const toWire = (record: DnsRecord): Answer => recordToPacket(record.name === query.name ? { ...record, name: query.wireName } : record);
  const packet = emptyReply(query, answer.rcode);
  if (answer.authoritative) packet.flags = (packet.flags ?? 0) | dnsPacket.AUTHORITATIVE_ANSWER;
  packet.answers = answer.answers.map(toWire);
  packet.authorities = answer.authorities.map(toWire);
  packet.additionals = [...answer.additionals.map(toWire), ...(packet.additionals ?? [])];
  return packet;
}

/**
 * What a correct authoritative server replies: BADVERS to an EDNS version it does not speak (RFC
 * 6891 §6.1.3), REFUSED for classes other than IN and for zone transfers, else the served data's answer.
 */
export function correctReply(data: ServedData, query: IncomingQuery): Packet {
  if (query.edns !== null && query.edns.version !== 0) return emptyReply(query, 'BADVERS');
  if (query.class !== 'IN' || ZONE_TRANSFER_TYPES.has(query.type)) return emptyReply(query, 'REFUSED');
  return authoritativeReply(query, answerQuestion(data, query.name, query.type));
}

/** TC set and every section emptied but the question and OPT: "ask again over TCP". */
export function truncated(packet: Packet): Packet {
  return {
    ...packet,
    flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
    additionals: (packet.additionals ?? []).filter((record) => record.type === 'OPT'),
  };
}

/** Largest reply the client takes: over UDP its EDNS payload size (512 without EDNS), capped by ours. */
export function replySizeLimit(query: IncomingQuery): number {
  if (query.transport === 'tcp') return MAX_TCP_MESSAGE;
  if (query.edns === null) return CLASSIC_UDP_LIMIT;
  return Math.min(Math.max(query.edns.payloadSize, CLASSIC_UDP_LIMIT), SERVER_EDNS_PAYLOAD_SIZE);
}

/** The encoded reply, or its truncated form when it is larger than `limit`. */
export function encodeWithinLimit(packet: Packet, limit: number): Buffer {
  const message = dnsPacket.encode(packet);
  return message.length <= limit ? message : dnsPacket.encode(truncated(packet));
}
