/**
 * Raw DNS queries for tests of DNS servers, with dns-packet and sockets only (no project resolver):
 * one datagram or one TCP conversation, everything received returned as it came. Loopback only.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import { randomInt } from 'node:crypto';
import dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet } from 'dns-packet';

export interface Endpoint {
  host: string;
  port: number;
}

export interface QueryOptions {
  id?: number;
  rd?: boolean;
  cd?: boolean;
  /** OPT record fields, or false for a query without EDNS. Default: payload 1232, DO off, version 0. */
  edns?: { payloadSize?: number; do?: boolean; version?: number } | false;
  class?: 'IN' | 'CH' | 'HS' | 'ANY';
}

export function buildQuery(name: string, type: string, options: QueryOptions = {}): Buffer {
  const edns = options.edns === false ? undefined : options.edns ?? {};
  const packet: Packet = {
    type: 'query',
    id: options.id ?? randomInt(0, 0x10000),
    flags: (options.rd ? dnsPacket.RECURSION_DESIRED : 0) | (options.cd ? dnsPacket.CHECKING_DISABLED : 0),
    questions: [{ name, type: type as never, class: options.class ?? 'IN' }],
    additionals: edns === undefined ? [] : [{
      type: 'OPT', name: '.', udpPayloadSize: edns.payloadSize ?? 1232, extendedRcode: 0, ednsVersion: edns.version ?? 0,
      flags: edns.do ? dnsPacket.DNSSEC_OK : 0, flag_do: edns.do ?? false, options: [],
    }],
  };
  return dnsPacket.encode(packet);
}

export function frame(message: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(message.length);
  return Buffer.concat([length, message]);
}

export interface Datagram {
  message: Buffer;
  /** Source port of the reply. */
  port: number;
  /** Milliseconds from sending to arrival. */
  afterMs: number;
}

/** Sends `message` from a fresh socket; returns what arrived before `replies` came or `timeoutMs` passed. */
export function udpExchange(server: Endpoint, message: Buffer, { replies = 1, timeoutMs = 2000 } = {}): Promise<Datagram[]> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
    const received: Datagram[] = [];
    const started = Date.now();
    const finish = (): void => {
      clearTimeout(timer);
      socket.close();
      resolve(received);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (reply, remote) => {
      received.push({ message: reply, port: remote.port, afterMs: Date.now() - started });
      if (received.length >= replies) finish();
    });
    socket.send(message, server.port, server.host);
  });
}

export interface TcpConversation {
  /** Complete framed messages, without their length prefix. */
  replies: Buffer[];
  /** Octets received after the last complete message. */
  leftover: Buffer;
  /** How the conversation ended: the server closed (FIN), reset (RST), or it was still open at the timeout / reply count. */
  ending: 'closed' | 'reset' | 'open';
  /** Number of 'data' events: more than one when the server trickles. */
  chunks: number;
  elapsedMs: number;
}

/**
 * Connects, writes `chunks` one by one (with `pauseMs` between them, to exercise partial reads),
 * and collects replies until `replies` complete messages came, the server ended the connection, or
 * `timeoutMs` passed.
 */
export function tcpExchange(
  server: Endpoint,
  chunks: Buffer[],
  { replies = 1, timeoutMs = 2000, pauseMs = 0 } = {},
): Promise<TcpConversation> {
  return new Promise((resolve) => {
    const socket = connect({ host: server.host, port: server.port, noDelay: true });
    const started = Date.now();
    const conversation: TcpConversation = { replies: [], leftover: Buffer.alloc(0), ending: 'open', chunks: 0, elapsedMs: 0 };
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      conversation.elapsedMs = Date.now() - started;
      socket.destroy();
      resolve(conversation);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('connect', async () => {
      for (const [index, chunk] of chunks.entries()) {
        if (index > 0 && pauseMs > 0) await new Promise((wake) => setTimeout(wake, pauseMs));
        if (socket.destroyed) return;
        socket.write(chunk);
      }
    });
    socket.on('data', (data: Buffer) => {
      conversation.chunks++;
      let pending = Buffer.concat([conversation.leftover, data]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        conversation.replies.push(pending.subarray(2, 2 + pending.readUInt16BE(0)));
        pending = pending.subarray(2 + pending.readUInt16BE(0));
      }
      conversation.leftover = pending;
      if (conversation.replies.length >= replies) finish();
    });
    socket.on('end', () => {
      conversation.ending = 'closed';
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      conversation.ending = error.code === 'ECONNRESET' ? 'reset' : 'open';
      finish();
    });
  });
}

/** One query over UDP; throws when no reply came. */
export async function askUdp(server: Endpoint, name: string, type: string, options?: QueryOptions): Promise<DecodedPacket> {
  const [reply] = await udpExchange(server, buildQuery(name, type, options));
  if (reply === undefined) throw new Error(`no UDP reply to ${name} ${type}`);
  return dnsPacket.decode(reply.message);
}

/** One query over its own TCP connection; throws when no reply came. */
export async function askTcp(server: Endpoint, name: string, type: string, options?: QueryOptions): Promise<DecodedPacket> {
  const { replies } = await tcpExchange(server, [frame(buildQuery(name, type, options))]);
  const [reply] = replies;
  if (reply === undefined) throw new Error(`no TCP reply to ${name} ${type}`);
  return dnsPacket.decode(reply);
}

/** `dig @host -p port …args` without recursion or retries; its standard output. */
export function dig(server: Endpoint, args: string[]): Promise<string> {
  const base = [`@${server.host}`, '-p', String(server.port), '+norecurse', '+tries=1', '+time=2'];
  return new Promise((resolve, reject) => {
    execFile('dig', [...base, ...args], (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}
