/**
 * Helpers for end-to-end tests: gating on installed tools, running the built CLI, and a DNS "tap"
 * (a loopback UDP+TCP endpoint that records every query and either drops it or forwards it to a real
 * server) to prove what the CLI sent and over which transport.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { accessSync, constants } from 'node:fs';
import { connect, createServer, type Socket as TcpSocket } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { freePort } from './ports.js';

// ---------------------------------------------------------------------------------------------
// Gate

export type Gate = { skip: false } | { skip: string };

/** The full path of `tool` if an executable of that name is on PATH. */
export function findOnPath(tool: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `{ skip: false }` when `tool` is on PATH. Otherwise, with MXLINT_E2E=required, throws (the test
 * file fails); else returns `{ skip: reason }` to hand to node:test, so the skip and its reason show.
 */
export function e2eGate(tool: string): Gate {
  if (findOnPath(tool) !== undefined) return { skip: false };
  const reason = `${tool} not installed: e2e tests skipped (set MXLINT_E2E=required to fail instead)`;
  if (process.env.MXLINT_E2E === 'required') {
    throw new Error(`${tool} not found on PATH and MXLINT_E2E=required: e2e tests cannot run`);
  }
  return { skip: reason };
}

// ---------------------------------------------------------------------------------------------
// CLI

/** The repository root: this file is dist/test/support/e2e.js once compiled. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLI_PATH = join(REPO_ROOT, 'bin', 'mxlint.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface RunCliOptions {
  /** Kill the CLI after this long (SIGKILL); default 30000 ms. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  cwd?: string;
  /**
   * Run in a fresh network namespace (`unshare -n`): nothing can leave the process, not even to
   * loopback servers outside it. For runs that must not reach any server (usage errors).
   */
  isolateNetwork?: boolean;
  /**
   * The CLI falls back to the machine's resolver without --server, which would send traffic off
   * this machine: runCli refuses such a run unless this is set (or isolateNetwork is).
   */
  allowNoServer?: boolean;
  /** Read only the first this many characters of stdout, then close the pipe, like `| head -c N`. */
  closeOutputAfter?: number;
}

let unshareWorks: boolean | undefined;

/** Whether `unshare -n` can make a network namespace here (root, or user namespaces allowed). */
export function canIsolateNetwork(): boolean {
  if (unshareWorks === undefined) {
    const probe = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore', timeout: 5000 });
    unshareWorks = probe.status === 0;
  }
  return unshareWorks;
}

/** Runs `node bin/mxlint.js ...args` and collects its output; never rejects because of the exit code. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const hasServer = args.some((arg) => arg === '--server' || arg.startsWith('--server='));
  if (!hasServer && !options.allowNoServer && !options.isolateNetwork) {
    return Promise.reject(
      new Error('runCli: no --server given; the CLI would use the machine resolver (pass allowNoServer for runs that send nothing)'),
    );
  }
  if (options.isolateNetwork && !canIsolateNetwork()) {
    return Promise.reject(new Error('runCli: isolateNetwork asked for, but `unshare -n` does not work here'));
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const [file, fileArgs] = options.isolateNetwork
    ? ['unshare', ['-n', '--', process.execPath, CLI_PATH, ...args]]
    : [process.execPath, [CLI_PATH, ...args]];
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, fileArgs, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const { closeOutputAfter } = options;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += closeOutputAfter === undefined ? chunk : chunk.slice(0, Math.max(0, closeOutputAfter - stdout.length));
      if (closeOutputAfter !== undefined && stdout.length >= closeOutputAfter) child.stdout.destroy();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

// ---------------------------------------------------------------------------------------------
// DNS tap

export interface TappedQuery {
  transport: 'udp' | 'tcp';
  /** Lower-case, no trailing dot; '' when the packet could not be decoded. */
  name: string;
  type: string;
  from: string;
}

export interface DnsTapOptions {
  /** Where forwarded queries go (must be loopback). Required when any mode is 'forward'. */
  upstream?: { host: string; port: number };
  /** 'drop': record and never answer. 'forward': record and relay to upstream. Default 'drop'. */
  udp?: 'drop' | 'forward';
  /** 'drop': accept, record the connection and its queries, never answer. 'forward': relay. Default 'drop'. */
  tcp?: 'drop' | 'forward';
}

export interface DnsTap {
  host: string;
  port: number;
  /** "127.0.0.1:PORT" for --server. */
  server: string;
  /** Every query seen, in arrival order. */
  queries: TappedQuery[];
  udpPackets(): number;
  tcpConnections(): number;
  reset(): void;
  close(): Promise<void>;
}

function describe(bytes: Buffer): { name: string; type: string } {
  try {
    const question = dnsPacket.decode(bytes).questions?.[0];
    if (question === undefined) return { name: '', type: '' };
    const name = question.name.toLowerCase();
    return { name: name.endsWith('.') ? name.slice(0, -1) : name, type: String(question.type) };
  } catch {
    return { name: '', type: '' };
  }
}

/**
 * A loopback endpoint on 127.0.0.1 (UDP and TCP on one free port) that records what reaches it.
 * With forwarding, replies come from the upstream server unchanged, so the CLI sees a normal server
 * while the test sees which queries went over which transport.
 */
export async function startDnsTap(options: DnsTapOptions = {}): Promise<DnsTap> {
  const host = '127.0.0.1';
  const udpMode = options.udp ?? 'drop';
  const tcpMode = options.tcp ?? 'drop';
  const upstream = options.upstream;
  if ((udpMode === 'forward' || tcpMode === 'forward') && upstream === undefined) {
    throw new Error('startDnsTap: forwarding needs an upstream');
  }
  if (upstream !== undefined && !/^127\./.test(upstream.host) && upstream.host !== '::1') {
    throw new Error(`startDnsTap: upstream must be loopback, got ${upstream.host}`);
  }
  const queries: TappedQuery[] = [];
  let udpCount = 0;
  let tcpCount = 0;
  const sockets = new Set<TcpSocket>();
  const relays = new Set<UdpSocket>();

  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort([host]);
    const udp = createSocket('udp4');
    const tcp = createServer();
    try {
      await new Promise<void>((ok, fail) => {
        udp.once('error', fail);
        udp.bind({ address: host, port, exclusive: true }, () => {
          udp.removeListener('error', fail);
          ok();
        });
      });
      await new Promise<void>((ok, fail) => {
        tcp.once('error', fail);
        tcp.listen({ host, port, exclusive: true }, () => {
          tcp.removeListener('error', fail);
          ok();
        });
      });
    } catch (error) {
      lastError = error;
      udp.close();
      tcp.close();
      continue;
    }
    udp.on('error', () => undefined);

    udp.on('message', (message: Buffer, from: RemoteInfo) => {
      udpCount++;
      queries.push({ transport: 'udp', ...describe(message), from: `${from.address}:${from.port}` });
      if (udpMode !== 'forward' || upstream === undefined) return;
      const relay = createSocket(upstream.host === '::1' ? 'udp6' : 'udp4');
      relays.add(relay);
      const done = (): void => {
        clearTimeout(timer);
        relays.delete(relay);
        relay.close();
      };
      const timer = setTimeout(done, 10_000);
      relay.on('error', done);
      relay.on('message', (reply) => {
        udp.send(reply, from.port, from.address);
        done();
      });
      relay.send(message, upstream.port, upstream.host);
    });

    tcp.on('connection', (client) => {
      tcpCount++;
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => undefined);
      let buffered = Buffer.alloc(0);
      client.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2) {
          const length = buffered.readUInt16BE(0);
          if (buffered.length < 2 + length) break;
          const message = buffered.subarray(2, 2 + length);
          buffered = buffered.subarray(2 + length);
          queries.push({
            transport: 'tcp',
            ...describe(message),
            from: `${client.remoteAddress ?? '?'}:${client.remotePort ?? '?'}`,
          });
        }
      });
      if (tcpMode !== 'forward' || upstream === undefined) return;
      const server = connect({ host: upstream.host, port: upstream.port });
      sockets.add(server);
      server.on('close', () => {
        sockets.delete(server);
        client.destroy();
      });
      server.on('error', () => client.destroy());
      client.on('close', () => server.destroy());
      client.pipe(server);
      server.pipe(client);
    });

    return {
      host,
      port,
      server: `${host}:${port}`,
      queries,
      udpPackets: () => udpCount,
      tcpConnections: () => tcpCount,
      reset: () => {
        queries.length = 0;
        udpCount = 0;
        tcpCount = 0;
      },
      close: async () => {
        for (const socket of sockets) socket.destroy();
        for (const relay of relays) relay.close();
        relays.clear();
        await Promise.all([
          new Promise<void>((ok) => udp.close(() => ok())),
          new Promise<void>((ok) => tcp.close(() => ok())),
        ]);
      },
    };
  }
  throw new Error(`startDnsTap: could not bind UDP and TCP on ${host}: ${String(lastError)}`);
}
