import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { answersQuestion, decodeResponse, encodeQuery, messageId, notAQueryResponse } from './message.js';
import type { ExchangeOutcome, ExchangeRequest, TransportStats } from './exchange.js';
import type { Cancellation } from './lookup.js';
import { formatServerAddress } from './server-address.js';
import type { ServerAddress } from './server-address.js';

/**
 * Below ~190 replies in flight a 212 KiB default receive buffer already overflows on loopback and
 * drops replies silently; a cap per socket keeps each socket well inside its buffer.
 */
export const MAX_IN_FLIGHT_PER_SOCKET = 128;
/** Sockets per server; queries beyond their combined cap wait for a free slot. */
export const MAX_SOCKETS_PER_SERVER = 8;
/**
 * Sockets open at once over all servers (each is a file descriptor): past it an idle socket of
 * another server is closed to make room, or the query waits for one to become idle.
 */
export const MAX_UDP_SOCKETS = 32;
/** Requested receive buffer; the kernel may clamp it (net.core.rmem_max). */
export const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

interface Pending {
  request: ExchangeRequest;
  finish(outcome: ExchangeOutcome): void;
}

interface Outgoing {
  id: number;
  query: Buffer;
  /** The query it is: one settled before the flush (cancelled, timed out) is not sent. */
  pending: Pending;
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

const serverKeys = new WeakMap<ServerAddress, string>();

/** The key of a server's pool, worked out once per server object (a resolver keeps its servers' objects). */
function serverKey(server: ServerAddress): string {
  let key = serverKeys.get(server);
  if (key === undefined) {
    key = addressKey(server.host, server.port);
    serverKeys.set(server, key);
  }
  return key;
}

/** The reply came from the address and port the query went to (the cheap comparison first: Node gives addresses in their usual form). */
function fromServer(server: ServerAddress, address: string, port: number): boolean {
  if (port !== server.port) return false;
  return address === server.host || addressKey(address, port) === addressKey(server.host, server.port);
}

/**
 * A server is always an IP address, never a name; dgram would still ask dns.lookup for each send and
 * wait a tick for the answer. Hand the address straight back instead.
 */
function addressAsIs(address: string, family: unknown, callback: (error: null, address: string, family: number) => void): void {
  callback(null, address, isIP(address));
}

/** What a socket error means for the queries on it, in words: running out of file descriptors is said plainly. */
function socketFailure(error: NodeJS.ErrnoException, server: ServerAddress): ExchangeOutcome {
  // A connected socket hears the ICMP port unreachable its datagrams met (RFC 1122 §4.1.3.3).
  if (error.code === 'ECONNREFUSED') return { kind: 'refused', reason: `nothing listens on ${formatServerAddress(server)} (ICMP port unreachable)` };
  if (error.code === 'EMFILE') return { kind: 'network', reason: 'cannot open a UDP socket: too many open files (EMFILE)' };
  if (error.code === 'ENFILE') return { kind: 'network', reason: 'cannot open a UDP socket: too many open files in the system (ENFILE)' };
  if (error.syscall === 'connect' || error.syscall === 'send') return { kind: 'network', reason: `cannot send to ${server.host}: ${error.message}` };
  return { kind: 'network', reason: `socket error: ${error.message}` };
}

/**
 * A socket connected to one server: the kernel delivers only that server's datagrams to it, and
 * reports the ICMP port unreachable its queries meet, so a server where nothing listens fails its
 * queries at once instead of after every timeout.
 */
class ServerSocket {
  readonly pending = new Map<number, Pending>();
  private socket: Socket | null = null;
  private failure: ExchangeOutcome | null = null;
  /**
   * Queries made while handling the replies of one event-loop turn, sent together at its end. A
   * datagram sent to an idle server wakes it, which costs the sender more than the send itself;
   * sent back to back, the later ones find it awake. On loopback this alone takes a third off the
   * CPU time per query.
   */
  private outbox: Outgoing[] = [];

  constructor(readonly server: ServerAddress, readonly key: string, private readonly stats: TransportStats,
    private readonly onClosed: (s: ServerSocket) => void) {}

  /** Opens and connects the socket; a failure to do so fails the queries sent on it. */
  open(): void {
    const socket = createSocket({ type: this.server.family === 6 ? 'udp6' : 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES, lookup: addressAsIs });
    this.socket = socket;
    socket.on('message', (message, remote) => this.receive(message, remote.address, remote.port));
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(socketFailure(error, this.server)));
    socket.unref();
    try {
      socket.connect(this.server.port, this.server.host);
    } catch (error) {
      this.fail(socketFailure(error as NodeJS.ErrnoException, this.server));
    }
  }

  get full(): boolean {
    return this.pending.size >= MAX_IN_FLIGHT_PER_SOCKET;
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  get closed(): boolean {
    return this.failure !== null;
  }

  /** Sends the query; returns the id it went out with. On a socket that failed (to open), the query fails the same way. */
  send(request: ExchangeRequest, finish: (o: ExchangeOutcome) => void): number {
    const id = this.freeId();
    const pending: Pending = { request, finish };
    this.pending.set(id, pending);
    const failure = this.failure;
    if (failure !== null) {
      queueMicrotask(() => this.settle(id, failure));
      return id;
    }
    if (this.outbox.push({ id, query: encodeQuery(id, request.question, request.flags), pending }) === 1) setImmediate(() => this.flush());
    return id;
  }

  private flush(): void {
    const outgoing = this.outbox;
    this.outbox = [];
    for (const { id, query, pending } of outgoing) {
      // A failure fails every query on the socket and closes it: what is left of the loop has nothing to send.
      if (this.failure !== null) return;
      if (this.pending.get(id) !== pending) continue;
      this.stats.udpQueries++;
      try {
        this.socket!.send(query, (error) => {
          if (error) this.settle(id, socketFailure(error as NodeJS.ErrnoException, this.server));
        });
      } catch (error) {
        this.settle(id, socketFailure(error as NodeJS.ErrnoException, this.server));
      }
    }
  }

  settle(id: number, outcome: ExchangeOutcome): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    entry.finish(outcome);
  }

  /** Fails what is still pending with `outcome` and closes the socket; later sends on it fail the same way. */
  fail(outcome: ExchangeOutcome): void {
    if (this.failure !== null) return;
    this.failure = outcome;
    for (const id of [...this.pending.keys()]) this.settle(id, outcome);
    // Not from inside dgram's own call that reported the error (a bind inside connect or send).
    const socket = this.socket;
    process.nextTick(() => {
      try {
        socket?.close();
      } catch {
        // Already closed.
      }
    });
    this.onClosed(this);
  }

  close(): void {
    this.fail({ kind: 'network', reason: 'the resolver was closed' });
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
    if (id === null || !entry || !fromServer(this.server, address, port) || notAQueryResponse(message)) {
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
}

interface Waiter {
  key: string;
  wake(): void;
}

/**
 * UDP exchanges over a small pool of sockets per server, each connected to its server. Each reply
 * is matched to its query by id, source address and port, and question; anything else is counted
 * and dropped, not trusted.
 */
export class UdpTransport {
  private readonly pools = new Map<string, ServerSocket[]>();
  private open = 0;
  /** Queries whose server has all its sockets full, by server. */
  private readonly waitingForSlot = new Map<string, Waiter[]>();
  /** Queries that need a socket of their own while MAX_UDP_SOCKETS are open and none is idle. */
  private readonly waitingForSocket: Waiter[] = [];

  constructor(private readonly stats: TransportStats) {}

  exchange(request: ExchangeRequest): Promise<ExchangeOutcome> {
    if (request.signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    // Finding room and taking it (send adds to `pending`) must happen in one synchronous step: with
    // an await between them, every query started in the same tick saw the same socket as not full.
    const key = serverKey(request.server);
    const socket = this.socketWithRoom(key, request.server);
    return socket === null ? this.exchangeWhenRoom(key, request) : this.sendOn(socket, request);
  }

  private async exchangeWhenRoom(key: string, request: ExchangeRequest): Promise<ExchangeOutcome> {
    let socket: ServerSocket | null = null;
    let first = true;
    while (socket === null) {
      if (!await this.wait(key, first, request.signal)) return { kind: 'aborted' };
      first = false;
      socket = this.socketWithRoom(key, request.server);
    }
    return this.sendOn(socket, request);
  }

  /**
   * In line for room at its server, or for a socket; one woken too soon goes back to the front.
   * Resolves true when woken, false when the signal was aborted first (and it is out of line).
   */
  private wait(key: string, first: boolean, signal: Cancellation | undefined): Promise<boolean> {
    const sockets = this.pools.get(key) ?? [];
    const queue = sockets.length >= MAX_SOCKETS_PER_SERVER ? this.slotQueue(key) : this.waitingForSocket;
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => {
        const at = queue.indexOf(waiter);
        if (at !== -1) queue.splice(at, 1);
        resolve(false);
      };
      const waiter: Waiter = {
        key,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (first) queue.push(waiter);
      else queue.unshift(waiter);
    });
  }

  private slotQueue(key: string): Waiter[] {
    let queue = this.waitingForSlot.get(key);
    if (queue === undefined) {
      queue = [];
      this.waitingForSlot.set(key, queue);
    }
    return queue;
  }

  private sendOn(socket: ServerSocket, request: ExchangeRequest): Promise<ExchangeOutcome> {
    const { signal } = request;
    return new Promise<ExchangeOutcome>((resolve) => {
      const id = socket.send(request, (outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
        this.roomAt(socket);
      });
      const timer = setTimeout(() => socket.settle(id, { kind: 'timeout' }), request.timeoutMs);
      const onAbort = (): void => socket.settle(id, { kind: 'aborted' });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A query on `socket` is done: the next one waiting for its server goes, else one waiting for a socket. */
  private roomAt(socket: ServerSocket): void {
    const { key } = socket;
    const queue = this.waitingForSlot.get(key);
    const next = queue?.shift();
    if (queue?.length === 0) this.waitingForSlot.delete(key);
    if (next) {
      next.wake();
      return;
    }
    if (this.waitingForSocket.length === 0) return;
    // Whoever waits for this server can use the slot; anyone else needs the socket to go idle first.
    const same = this.waitingForSocket.findIndex((waiter) => waiter.key === key);
    if (same !== -1) this.waitingForSocket.splice(same, 1)[0]!.wake();
    else if (socket.idle) this.waitingForSocket.shift()!.wake();
  }

  close(): void {
    for (const sockets of [...this.pools.values()]) for (const socket of [...sockets]) socket.close();
  }

  /**
   * A socket of this server below its cap, opening one while the server has fewer than its maximum
   * and the transport fewer than MAX_UDP_SOCKETS (closing an idle socket of another server to make
   * room); null when the query has to wait.
   */
  private socketWithRoom(key: string, server: ServerAddress): ServerSocket | null {
    const sockets = this.pools.get(key) ?? [];
    const open = sockets.find((s) => !s.full && !s.closed);
    if (open) return open;
    if (sockets.length >= MAX_SOCKETS_PER_SERVER) return null;
    if (this.open >= MAX_UDP_SOCKETS && !this.closeAnIdleSocket()) return null;
    const socket = new ServerSocket(server, key, this.stats, (closed) => this.forget(key, closed));
    this.pools.set(key, [...sockets, socket]);
    this.open++;
    socket.open();
    return socket;
  }

  private closeAnIdleSocket(): boolean {
    for (const sockets of this.pools.values()) {
      const idle = sockets.find((s) => s.idle);
      if (idle) {
        idle.close();
        return true;
      }
    }
    return false;
  }

  /** A socket closed (failed, idle and in the way, or the transport closing): its server may open another. */
  private forget(key: string, closed: ServerSocket): void {
    const sockets = this.pools.get(key);
    if (!sockets?.includes(closed)) return;
    this.open--;
    const left = sockets.filter((s) => s !== closed);
    if (left.length === 0) this.pools.delete(key);
    else this.pools.set(key, left);
    const queue = this.waitingForSlot.get(key);
    if (queue) {
      this.waitingForSlot.delete(key);
      for (const waiter of queue) waiter.wake();
    }
    this.waitingForSocket.shift()?.wake();
  }
}
