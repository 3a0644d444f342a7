import type { Packet } from 'dns-packet';
import type { IncomingQuery } from './incoming-query.js';
import { emptyReply, encodeWithinLimit, replySizeLimit, truncated, type Rcode } from './reply.js';
import { frame } from './tcp-framing.js';

/**
 * What the test server does with one query. Every reply is encoded and, over UDP, truncated when the
 * client's size limit calls for it; only `raw` sends bytes exactly as given.
 */
export type Behaviour =
  /** The correct authoritative reply; `edit` may change the decoded reply (flags, rcode, sections) before encoding. */
  | { kind: 'answer'; edit?: (reply: Packet, query: IncomingQuery) => void }
  /** Header and question only, with this rcode (no AA). */
  | { kind: 'rcode'; rcode: Rcode }
  /** TC=1 with every section emptied: the client must retry over TCP. */
  | { kind: 'truncate' }
  /** The correct reply under another id (the query's plus one). */
  | { kind: 'wrong-id' }
  /** The correct reply, but its question names "wrong-question.<name>". */
  | { kind: 'wrong-question' }
  /** These octets exactly; over TCP length-prefixed unless `framed` is false. */
  | { kind: 'raw'; bytes: Uint8Array; framed?: boolean }
  /** No reply; a TCP connection stays open. */
  | { kind: 'silence' }
  | { kind: 'delay'; ms: number; then: Behaviour }
  /** Several replies to the one query, one step after the other. */
  | { kind: 'sequence'; steps: Behaviour[] }
  /** UDP: `then` is sent from another source port, as an off-path spoofer would. */
  | { kind: 'from-other-port'; then: Behaviour }
  /** TCP: `then` (default: the correct reply) is written at this many octets per second. */
  | { kind: 'tcp-trickle'; bytesPerSecond: number; then?: Behaviour }
  /** TCP: the connection is reset (RST) once the replies queued before are written. */
  | { kind: 'tcp-reset' }
  /** TCP: the connection is closed (FIN) once the replies queued before are written. */
  | { kind: 'tcp-close' };

export const ANSWER: Behaviour = { kind: 'answer' };

/** Sends datagrams to the querier. */
export interface UdpLink {
  transport: 'udp';
  send(bytes: Buffer): Promise<void>;
  /** Runs `use` with a link whose socket is bound to another port; that socket is closed afterwards. */
  fromOtherPort(use: (link: UdpLink) => Promise<void>): Promise<void>;
}

/** Writes to the querier's connection, in order: each call waits for those made before it. */
export interface TcpLink {
  transport: 'tcp';
  send(bytes: Buffer): Promise<void>;
  /** A link to the same connection that writes `bytesPerSecond` octets per second. */
  trickling(bytesPerSecond: number): TcpLink;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export type ReplyLink = UdpLink | TcpLink;

/** One query being answered. */
export interface Exchange {
  query: IncomingQuery;
  /** A fresh correct reply on every call, so that one step's edits never leak into another's. */
  correctReply(): Packet;
  link: ReplyLink;
  /** Resolves after `ms`; rejects if the server closes first. */
  wait(ms: number): Promise<void>;
}

export async function perform(behaviour: Behaviour, exchange: Exchange): Promise<void> {
  switch (behaviour.kind) {
    case 'answer': {
      const reply = exchange.correctReply();
      behaviour.edit?.(reply, exchange.query);
      return sendReply(exchange, reply);
    }
    case 'rcode':
      return sendReply(exchange, emptyReply(exchange.query, behaviour.rcode));
    case 'truncate':
      return sendReply(exchange, truncated(exchange.correctReply()));
    case 'wrong-id':
      return perform({ kind: 'answer', edit: withOtherId }, exchange);
    case 'wrong-question':
      return perform({ kind: 'answer', edit: withOtherQuestion }, exchange);
    case 'raw':
      return sendMessage(exchange.link, Buffer.from(behaviour.bytes), behaviour.framed ?? true);
    case 'silence':
      return;
    case 'delay':
      await exchange.wait(behaviour.ms);
      return perform(behaviour.then, exchange);
    case 'sequence':
      for (const step of behaviour.steps) await perform(step, exchange);
      return;
    case 'from-other-port':
      return udpLink(exchange, behaviour.kind).fromOtherPort((link) => perform(behaviour.then, { ...exchange, link }));
    case 'tcp-trickle': {
      const link = tcpLink(exchange, behaviour.kind).trickling(behaviour.bytesPerSecond);
      return perform(behaviour.then ?? ANSWER, { ...exchange, link });
    }
    case 'tcp-reset':
      return tcpLink(exchange, behaviour.kind).reset();
    case 'tcp-close':
      return tcpLink(exchange, behaviour.kind).close();
  }
}

function withOtherId(reply: Packet, query: IncomingQuery): void {
  reply.id = (query.id + 1) & 0xffff;
}

function withOtherQuestion(reply: Packet, query: IncomingQuery): void {
  const name = query.name === '.' ? 'wrong-question' : `wrong-question.${query.wireName}`;
  reply.questions = (reply.questions ?? []).map((question) => ({ ...question, name }));
}

function sendReply(exchange: Exchange, reply: Packet): Promise<void> {
  return sendMessage(exchange.link, encodeWithinLimit(reply, replySizeLimit(exchange.query)));
}

/** Sends one message; over TCP with its length prefix unless `framed` is false. */
export function sendMessage(link: ReplyLink, message: Buffer, framed = true): Promise<void> {
  return link.send(link.transport === 'tcp' && framed ? frame(message) : message);
}

function udpLink(exchange: Exchange, kind: Behaviour['kind']): UdpLink {
  if (exchange.link.transport !== 'udp') throw new Error(`behaviour "${kind}" applies to UDP queries only, this one came over TCP`);
  return exchange.link;
}

function tcpLink(exchange: Exchange, kind: Behaviour['kind']): TcpLink {
  if (exchange.link.transport !== 'tcp') throw new Error(`behaviour "${kind}" applies to TCP queries only, this one came over UDP`);
  return exchange.link;
}
