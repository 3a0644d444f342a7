import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { answersQuestion, decodeResponse, encodeQuery, notAQueryResponse, messageId } from './message.js';
import type { ExchangeOutcome, ExchangeRequest, TransportStats } from './exchange.js';
import type { ServerAddress } from './server-address.js';

/**
 * Below ~190 replies in flight a 212 KiB default receive buffer already overflows on loopback and
 * drops replies silently; a cap per socket keeps each socket well inside its buffer.
 */
export const MAX_IN_FLIGHT_PER_SOCKET = 128;
/** Sockets per address family; queries beyond their combined cap wait for a free slot. */
export const MAX_SOCKETS_PER_FAMILY = 8;
/** Requested receive buffer; the kernel may clamp it (net.core.rmem_max). */
export const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

interface Pending {
  request: ExchangeRequest;
  finish(outcome: ExchangeOutcome): void;
}

interface Outgoing {
  id: number;
  query: Buffer;
  server: ServerAddress;
}

/** Same address whatever its spelling ("::1" vs "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1" vs "127.0.0.1"). */
function addressKey(address: string, port: number): string {
  let normal = address;
  try {
    normal = ipaddr.process(address.split('%')[0]!).toNormalizedString();
  } catch {
    // Not an address ipaddr.js can read: compare as written.
  }
  return `${normal}|${port}`;
}

/** The reply came from the address and port the query went to (the cheap comparison first: Node gives addresses in their usual form). */
function fromServer(server: ServerAddress, address: string, port: number): boolean {
  if (port !== server.port) return false;
  return address === server.host || addressKey(address, port) === addressKey(server.host, server.port);
}

/** Why a socket failed, in words: running out of file descriptors is said plainly. */
function socketErrorReason(error: NodeJS.ErrnoException): string {
  if (error.code === 'EMFILE') return 'cannot open a UDP socket: too many open files (EMFILE)';
  if (error.code === 'ENFILE') return 'cannot open a UDP socket: too many open files in the system (ENFILE)';
  return `socket error: ${error.message}`;
}

/**
 * A server is always an IP address, never a name; dgram would still ask dns.lookup for each send and
 * wait a tick for the answer. Hand the address straight back instead.
 */
function addressAsIs(address: string, family: unknown, callback: (error: null, address: string, family: number) => void): void {
  callback(null, address, isIP(address));
}

class PooledSocket {
  readonly pending = new Map<number, Pending>();
  readonly socket: Socket;
  private closed = false;
  /**
   * Queries made while handling the replies of one event-loop turn, sent together at its end. A
   * datagram sent to an idle server wakes it, which costs the sender more than the send itself;
   * sent back to back, the later ones find it awake. On loopback this alone takes a third off the
   * CPU time per query.
   */
  private outbox: Outgoing[] = [];

  constructor(family: 4 | 6, private readonly stats: TransportStats, private readonly onBroken: (s: PooledSocket) => void) {
    this.socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES, lookup: addressAsIs });
    this.socket.on('message', (message, remote) => this.receive(message, remote.address, remote.port));
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(socketErrorReason(error)));
    this.socket.unref();
  }

  get full(): boolean {
    return this.pending.size >= MAX_IN_FLIGHT_PER_SOCKET;
  }

  /** Sends the query; returns the id it went out with. */
  send(request: ExchangeRequest, finish: (o: ExchangeOutcome) => void): number {
    const id = this.freeId();
    this.pending.set(id, { request, finish });
    this.stats.udpQueries++;
    if (this.outbox.push({ id, query: encodeQuery(id, request.question, request.flags), server: request.server }) === 1) setImmediate(() => this.flush());
    return id;
  }

  private flush(): void {
    const outgoing = this.outbox;
    this.outbox = [];
    for (const { id, query, server } of outgoing) {
      // The first send binds the socket; when the kernel refuses it a socket (EMFILE), the error
      // event fails every query on it and closes it, so the rest of the loop has nothing to send.
      if (this.closed) return;
      try {
        this.socket.send(query, server.port, server.host, (error) => {
          if (error) this.settle(id, { kind: 'network', reason: `cannot send to ${server.host}: ${error.message}` });
        });
      } catch (error) {
        this.settle(id, { kind: 'network', reason: `cannot send to ${server.host}: ${(error as Error).message}` });
      }
    }
  }

  settle(id: number, outcome: ExchangeOutcome): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.finish(outcome);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }

  private freeId(): number {
    for (;;) {
      const id = randomInt(0, 0x10000);
      if (!this.pending.has(id)) return id;
    }
  }

  private receive(message: Buffer, address: string, port: number): void {
    const id = messageId(message);
    const entry = id === null ? undefined : this.pending.get(id);
    // Only a response to our query, from where it went (RFC 5452 §9.1): a packet with QR clear or
    // another opcode is no answer, whatever it holds.
    if (id === null || !entry || !fromServer(entry.request.server, address, port) || notAQueryResponse(message)) {
      this.stats.ignoredReplies++;
      return;
    }
    const decoded = decodeResponse(message);
    if (!decoded.ok) {
      this.settle(id, { kind: 'malformed', reason: decoded.reason });
      return;
    }
    // A reply for another question is someone else's (or forged): keep waiting for ours.
    if (!answersQuestion(decoded.response, entry.request.question)) {
      this.stats.ignoredReplies++;
      return;
    }
    this.settle(id, { kind: 'reply', response: decoded.response });
  }

  private fail(reason: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { kind: 'network', reason });
    this.close();
    this.onBroken(this);
  }
}

/**
 * UDP exchanges over a small pool of shared sockets. Each reply is matched to its query by id,
 * source address and port, and question; anything else is counted and dropped, not trusted.
 */
export class UdpTransport {
  private readonly pools = new Map<4 | 6, PooledSocket[]>();
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly stats: TransportStats) {}

  exchange(request: ExchangeRequest): Promise<ExchangeOutcome> {
    // Finding room and taking it (send adds to `pending`) must happen in one synchronous step: with
    // an await between them, every query started in the same tick saw the same socket as not full.
    const socket = this.socketWithRoom(request.server.family);
    return socket === null ? this.exchangeWhenRoom(request) : this.sendOn(socket, request);
  }

  private async exchangeWhenRoom(request: ExchangeRequest): Promise<ExchangeOutcome> {
    let socket: PooledSocket | null = null;
    while (socket === null) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      socket = this.socketWithRoom(request.server.family);
    }
    return this.sendOn(socket, request);
  }

  private sendOn(socket: PooledSocket, request: ExchangeRequest): Promise<ExchangeOutcome> {
    return new Promise<ExchangeOutcome>((resolve) => {
      const id = socket.send(request, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
        this.waiting.shift()?.();
      });
      const timer = setTimeout(() => socket.settle(id, { kind: 'timeout' }), request.timeoutMs);
    });
  }

  close(): void {
    for (const sockets of this.pools.values()) for (const socket of sockets) socket.close();
    this.pools.clear();
  }

  /** A socket below its cap, opening one while there are fewer than the maximum; null when all are full. */
  private socketWithRoom(family: 4 | 6): PooledSocket | null {
    const sockets = this.pools.get(family) ?? [];
    this.pools.set(family, sockets);
    const open = sockets.find((s) => !s.full);
    if (open) return open;
    if (sockets.length >= MAX_SOCKETS_PER_FAMILY) return null;
    const socket = new PooledSocket(family, this.stats, (broken) => {
      const list = this.pools.get(family);
      if (list && list.includes(broken)) list.splice(list.indexOf(broken), 1);
    });
    sockets.push(socket);
    return socket;
  }
}
