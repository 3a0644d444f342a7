import { connect } from 'node:net';
import { randomInt } from 'node:crypto';
import { answersQuestion, decodeResponse, encodeQuery, notAQueryResponse, messageId } from './message.js';
import type { ExchangeOutcome, ExchangeRequest, TransportStats } from './exchange.js';

/** RFC 1035 §4.2.2 framing: each message is preceded by its length as two octets. */
function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/**
 * One query over its own TCP connection. The timeout covers the whole attempt — connect, send and
 * the full reply — so a server that trickles bytes cannot hold it longer.
 */
export function tcpExchange(request: ExchangeRequest, stats: TransportStats): Promise<ExchangeOutcome> {
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
