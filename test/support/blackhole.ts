/**
 * An address and port where TCP connections time out instead of being refused: what a probe meets
 * behind a firewall that drops packets, or from a network whose outbound port 25 is blocked. A child
 * process listens with the smallest accept queue and is then stopped (SIGSTOP), so it never accepts;
 * once the queue is full the kernel drops every further SYN and the connect waits until its deadline.
 * Loopback only.
 *
 *   const hole = await startBlackhole('127.0.6.30', 25);
 *   // ... a probe of 127.0.6.30:25 times out in the connect step ...
 *   await hole.stop();
 */
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDaemon } from './daemon.js';
import { isLoopbackV4 } from './ports.js';

export interface Blackhole {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** A listen backlog of 1 lets the kernel queue two finished handshakes: these fill it. */
const QUEUE_FILLERS = 2;
const READY_TIMEOUT_MS = 10_000;

const LISTENER = `
const server = require('node:net').createServer();
server.listen({ host: process.argv[1], port: Number(process.argv[2]), backlog: 1 }, () => process.stdout.write('ready\\n'));
`;

export async function startBlackhole(host: string, port: number): Promise<Blackhole> {
  if (!isLoopbackV4(host)) throw new Error(`startBlackhole: ${host} is not a loopback IPv4 address`);
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-blackhole-'));
  const daemon = spawnDaemon(process.execPath, ['-e', LISTENER, host, String(port)], { dir, keepDir: false });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!daemon.output().includes('ready')) {
    if (daemon.exit() !== undefined || Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`startBlackhole: the listener did not start on ${host}:${port}:\n${daemon.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  process.kill(daemon.pid, 'SIGSTOP');
  const fillers: Socket[] = [];
  // Each filler's handshake finished is a place of the queue taken; once they all are, nothing else gets in.
  await Promise.all(Array.from({ length: QUEUE_FILLERS }, () => new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    fillers.push(socket);
    socket.once('connect', () => resolve());
    socket.once('error', reject);
    socket.on('error', () => undefined);
  })));
  return {
    host,
    port,
    stop: async () => {
      for (const socket of fillers) socket.destroy();
      process.kill(daemon.pid, 'SIGCONT');
      await daemon.stop();
    },
  };
}
