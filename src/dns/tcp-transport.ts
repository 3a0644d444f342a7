import { connect } from 'node:net';
import { randomInt } from 'node:crypto';
import { answersQuestion, decodeResponse, encodeQuery, notAQueryResponse, messageId } from './message.js';
import type { ExchangeOutcome, ExchangeRequest, TransportStats } from './exchange.js';
import type { Cancellation } from './lookup.js';

/** RFC 1035 §4.2.2 framing: each message is preceded by its length as two octets. */
function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/**
 * TCP connections open at once to one server. RFC 7766 §6.2.2 asks clients to keep their concurrent
 * connections to a server few; servers cap them too (NSD: 100 by default) and close what is over,
 * which a burst of truncated answers (--tcp, or big RRsets) would otherwise run into.
 */
export const MAX_TCP_CONNECTIONS_PER_SERVER = 16;

/** Queries over TCP, at most MAX_TCP_CONNECTIONS_PER_SERVER connections at once per server; the rest wait their turn. */
export class TcpTransport {
  private readonly open = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();

  constructor(private readonly stats: TransportStats) {}

  /** One query over its own connection, once one of the server's places is free; an abort while waiting ends it at once. */
  async exchange(request: ExchangeRequest): Promise<ExchangeOutcome> {
    const key = `${request.server.host}|${request.server.port}`;
    if (!(await this.place(key, request.signal))) return { kind: 'aborted' };
    try {
      return await tcpExchange(request, this.stats);
    } finally {
      this.release(key);
    }
  }

  private place(key: string, signal: Cancellation | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    const open = this.open.get(key) ?? 0;
    if (open < MAX_TCP_CONNECTIONS_PER_SERVER) {
      this.open.set(key, open + 1);
      return Promise.resolve(true);
    }
    return new Promise<boolean>((resolve) => {
      const queue = this.waiting.get(key) ?? [];
      this.waiting.set(key, queue);
      const onAbort = (): void => {
        queue.splice(queue.indexOf(admit), 1);
        resolve(false);
      };
      // The place passes straight to this waiter: the count of open connections stays as it is.
      const admit = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      };
      queue.push(admit);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(key: string): void {
    const next = this.waiting.get(key)?.shift();
    if (next) return next();
    const open = (this.open.get(key) ?? 1) - 1;
    if (open === 0) {
      this.open.delete(key);
      this.waiting.delete(key);
    } else {
      this.open.set(key, open);
    }
  }
}

/**
 * One query over its own TCP connection. The timeout covers the whole attempt — connect, send and
 * the full reply — so a server that trickles bytes cannot hold it longer.
 */
function tcpExchange(request: ExchangeRequest, stats: TransportStats): Promise<ExchangeOutcome> {
  const { server, question, flags, timeoutMs, signal } = request;
  if (signal?.aborted) return Promise.resolve({ kind: 'aborted' });
  const id = randomInt(0, 0x10000);
  stats.tcpQueries++;
  return new Promise<ExchangeOutcome>((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ host: server.host, port: server.port });
    const finish = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    const onAbort = (): void => finish({ kind: 'aborted' });
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => socket.write(frame(encodeQuery(id, question, flags))));
    socket.on('error', (error: NodeJS.ErrnoException) => finish({
      kind: error.code === 'ECONNREFUSED' ? 'refused' : 'network', reason: `TCP to ${server.host}:${server.port}: ${error.message}`,
    }));
    socket.on('close', () => finish({
      kind: 'network',
      reason: `TCP connection to ${server.host}:${server.port} closed ${received.length === 0 ? 'without a reply' : 'in the middle of a reply'}`,
    }));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      while (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) {
        const message = received.subarray(2, 2 + received.readUInt16BE(0));
        received = received.subarray(2 + message.length);
        if (messageId(message) !== id || notAQueryResponse(message)) {
          stats.ignoredReplies++;
          continue;
        }
        const decoded = decodeResponse(message);
        if (!decoded.ok) return finish({ kind: 'malformed', reason: decoded.reason });
        if (!answersQuestion(decoded.response, question)) {
          stats.ignoredReplies++;
          continue;
        }
        return finish({ kind: 'reply', response: decoded.response });
      }
    });
  });
}
