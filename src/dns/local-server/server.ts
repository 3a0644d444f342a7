/**
 * An in-process authoritative DNS server on loopback, over UDP and TCP on the same port, that
 * answers like NSD by default and can be scripted, query by query, to misbehave.
 *
 *   const server = await startLocalDnsServer({ records, behave: (q) => q.attempt === 1 ? { kind: 'silence' } : { kind: 'answer' } });
 *   // ... mxlint --server ${server.address} ...
 *   await server.close();
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket as TcpSocket } from 'node:net';
import dnsPacket from 'dns-packet';
import ipaddr from 'ipaddr.js';
import { formatServerAddress } from '../server-address.js';
import type { DnsRecord } from '../records.js';
import { ANSWER, perform, sendMessage, type Behaviour, type Exchange, type ReplyLink } from './behaviour.js';
import { readMessage, type IncomingQuery, type Transport } from './incoming-query.js';
import { TaskQueue, TcpConnectionLink, udpLink, type Remote } from './links.js';
import { correctReply, emptyReply } from './reply.js';
import { ServedData } from '../zone-data/served-data.js';
import { FrameSplitter } from './tcp-framing.js';
import { CancellableTimers } from './timers.js';

export type { Behaviour } from './behaviour.js';
export type { IncomingQuery, Transport } from './incoming-query.js';
export { setRcode, type Rcode, type RcodeName } from './reply.js';

export interface LocalDnsServerOptions {
  /** The served data; zones are the owners of SOA records. */
  records: readonly DnsRecord[];
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port, the same number for UDP and TCP. */
  port?: number;
  /** Decides, query by query, what the server does; default: the correct answer. */
  behave?: (query: IncomingQuery) => Behaviour | Promise<Behaviour>;
}

export interface LocalDnsServer {
  readonly host: string;
  readonly port: number;
  /** "127.0.0.1:PORT" or "[::1]:PORT", as `mxlint --server` takes it. */
  readonly address: string;
  /** Every well-formed query received, in order of arrival. */
  readonly queries: readonly IncomingQuery[];
  /**
   * What went wrong in the test's own script: `behave` threw, an edit made a reply dns-packet cannot
   * encode, a behaviour for the other transport. Each such query was answered SERVFAIL.
   */
  readonly errors: readonly Error[];
  /** Stops listening, drops connections and pending delays. Idempotent. */
  close(): Promise<void>;
}

/** The kernel clamps this to net.core.rmem_max; hundreds of queries in flight need more than the default. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
const EPHEMERAL_PORT_ATTEMPTS = 20;

export async function startLocalDnsServer(options: LocalDnsServerOptions): Promise<LocalDnsServer> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  const { udp, tcp } = await bindUdpAndTcp(host, options.port ?? 0);
  return new LoopbackDnsServer(host, udp, tcp, new ServedData(options.records), options.behave ?? (() => ANSWER));
}

class LoopbackDnsServer implements LocalDnsServer {
  readonly port: number;
  readonly address: string;
  readonly queries: IncomingQuery[] = [];
  readonly errors: Error[] = [];
  private readonly timers = new CancellableTimers();
  private readonly connections = new Set<TcpSocket>();
  private readonly otherPortSockets = new Set<UdpSocket>();
  private readonly attempts = new Map<string, number>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly host: string,
    private readonly udp: UdpSocket,
    private readonly tcp: Server,
    private readonly data: ServedData,
    private readonly behave: (query: IncomingQuery) => Behaviour | Promise<Behaviour>,
  ) {
    this.port = udp.address().port;
    this.address = formatServerAddress({ host, port: this.port, family: isIP(host) === 6 ? 6 : 4 });
    udp.on('message', (message, { address, port }) => {
      const remote = { address, port };
      void this.handle(message, 'udp', remote, udpLink(udp, remote, (use) => this.lendOtherSocket(use)));
    });
    udp.on('error', (error) => this.errors.push(error));
    tcp.on('connection', (socket) => this.accept(socket));
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.timers.cancelAll();
    for (const socket of this.connections) socket.destroy();
    for (const socket of this.otherPortSockets) socket.close();
    this.otherPortSockets.clear();
    await Promise.all([
      new Promise<void>((resolve) => this.udp.close(() => resolve())),
      new Promise<void>((resolve) => this.tcp.close(() => resolve())),
    ]);
  }

  private accept(socket: TcpSocket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    // A peer that resets or vanishes is a test scenario, not a server failure.
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    const link = new TcpConnectionLink(socket, new TaskQueue(), this.timers);
    const splitter = new FrameSplitter();
    socket.on('data', (chunk: Buffer) => {
      for (const message of splitter.push(chunk)) void this.handle(message, 'tcp', remote, link);
    });
  }

  /** Never rejects: a failure of the test's script is recorded and answered SERVFAIL. */
  private async handle(message: Buffer, transport: Transport, remote: Remote, link: ReplyLink): Promise<void> {
    const received = readMessage(message, transport, remote);
    if (received.kind === 'ignore') return;
    if (received.kind === 'header-only-reply') {
      await sendMessage(link, received.reply).catch((error: unknown) => this.recordError(error));
      return;
    }
    const query: IncomingQuery = { ...received.query, attempt: this.countAttempt(received.query.name, received.query.type) };
    this.queries.push(query);
    const exchange: Exchange = {
      query,
      link,
      correctReply: () => correctReply(this.data, query),
      wait: (ms) => this.timers.wait(ms),
    };
    try {
      await perform(await this.behave(query), exchange);
    } catch (error) {
      if (this.closing !== undefined) return;
      this.recordError(error);
      await sendMessage(link, dnsPacket.encode(emptyReply(query, 'SERVFAIL'))).catch(() => undefined);
    }
  }

  private recordError(error: unknown): void {
    // Once closing, cancelled waits and sends on closed sockets are expected.
    if (this.closing !== undefined) return;
    this.errors.push(error instanceof Error ? error : new Error(String(error)));
  }

  private countAttempt(name: string, type: string): number {
    const key = `${name}|${type}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    return attempt;
  }

  private async lendOtherSocket(use: (socket: UdpSocket) => Promise<void>): Promise<void> {
    if (this.closing !== undefined) throw new Error('the DNS test server closed');
    const socket = await bindUdp(this.host, 0);
    this.otherPortSockets.add(socket);
    try {
      await use(socket);
    } finally {
      // Unless close() got to it first.
      if (this.otherPortSockets.delete(socket)) socket.close();
    }
  }
}

function assertLoopback(host: string): void {
  if (!ipaddr.isValid(host) || ipaddr.parse(host).range() !== 'loopback') {
    throw new Error(`startLocalDnsServer: host must be a loopback address (127.0.0.0/8 or ::1), got "${host}"`);
  }
}

/** With port 0, retries when the number the kernel gave for UDP is taken over TCP. */
async function bindUdpAndTcp(host: string, port: number): Promise<{ udp: UdpSocket; tcp: Server }> {
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(host, port);
    try {
      return { udp, tcp: await listenTcp(host, udp.address().port) };
    } catch (error) {
      udp.close();
      const retry = port === 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < EPHEMERAL_PORT_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', reject);
      enlargeReceiveBuffer(socket);
      resolve(socket);
    });
  });
}

function enlargeReceiveBuffer(socket: UdpSocket): void {
  try {
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  } catch {
    // Not allowed here: the default buffer still works, it only drops sooner under load.
  }
}

function listenTcp(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
