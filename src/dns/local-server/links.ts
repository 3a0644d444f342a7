import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket as TcpSocket } from 'node:net';
import type { TcpLink, UdpLink } from './behaviour.js';
import type { CancellableTimers } from './timers.js';

export interface Remote {
  address: string;
  port: number;
}

/** Lends a UDP socket bound to another port for the duration of `use`. */
export type OtherSocketLender = (use: (socket: UdpSocket) => Promise<void>) => Promise<void>;

export function udpLink(socket: UdpSocket, remote: Remote, lendOtherSocket: OtherSocketLender): UdpLink {
  return {
    transport: 'udp',
    send: (bytes) => sendDatagram(socket, bytes, remote),
    fromOtherPort: (use) => lendOtherSocket((other) => use(udpLink(other, remote, lendOtherSocket))),
  };
}

function sendDatagram(socket: UdpSocket, bytes: Buffer, remote: Remote): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(bytes, remote.port, remote.address, (error) => (error ? reject(error) : resolve()));
  });
}

/** Runs tasks one after the other, so that replies to one connection never interleave. */
export class TaskQueue {
  private tail: Promise<void> = Promise.resolve();

  run(task: () => Promise<void>): Promise<void> {
    const next = this.tail.then(task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** Chunks written per second when trickling, so that slow rates are exact and fast ones stay cheap. */
const TRICKLE_WRITES_PER_SECOND = 50;

export class TcpConnectionLink implements TcpLink {
  readonly transport = 'tcp';

  constructor(
    private readonly socket: TcpSocket,
    private readonly queue: TaskQueue,
    private readonly timers: CancellableTimers,
    private readonly bytesPerSecond?: number,
  ) {}

  send(bytes: Buffer): Promise<void> {
    return this.queue.run(() => (this.bytesPerSecond === undefined ? this.write(bytes) : this.writeSlowly(bytes, this.bytesPerSecond)));
  }

  trickling(bytesPerSecond: number): TcpLink {
    if (!(bytesPerSecond > 0)) throw new Error(`tcp-trickle needs a positive rate, got ${bytesPerSecond}`);
    return new TcpConnectionLink(this.socket, this.queue, this.timers, bytesPerSecond);
  }

  reset(): Promise<void> {
    return this.queue.run(async () => {
      if (!this.socket.destroyed) this.socket.resetAndDestroy();
    });
  }

  close(): Promise<void> {
    return this.queue.run(() => {
      if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
      return new Promise((resolve) => this.socket.end(resolve));
    });
  }

  /** Resolves once written; a peer that has gone away is not the server's failure. */
  private write(bytes: Buffer): Promise<void> {
    if (this.socket.destroyed || this.socket.writableEnded) return Promise.resolve();
    return new Promise((resolve) => this.socket.write(bytes, () => resolve()));
  }

  private async writeSlowly(bytes: Buffer, bytesPerSecond: number): Promise<void> {
    const chunkSize = Math.max(1, Math.floor(bytesPerSecond / TRICKLE_WRITES_PER_SECOND));
    const pauseMs = (1000 * chunkSize) / bytesPerSecond;
    for (let offset = 0; offset < bytes.length && !this.socket.destroyed; offset += chunkSize) {
      if (offset > 0) await this.timers.wait(pauseMs);
      await this.write(bytes.subarray(offset, offset + chunkSize));
    }
  }
}
