/**
 * An authoritative server on loopback for the benchmark: Knot (with its query counters, so queries
 * per second are counted at the server for mxlint and the baseline alike), else NSD (without them).
 * Started and stopped by the benchmark itself; nothing is sent anywhere but loopback.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../test/support/e2e.js';
import { dnsQuery, serverSpec, startNsd } from '../test/support/nsd.js';
import { freePort } from '../test/support/ports.js';

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 60_000;

export interface Authoritative {
  /** "knot 3.2.6" or "nsd". */
  name: string;
  server: string;
  host: string;
  port: number;
  /** Queries answered so far (UDP and TCP), or null when the server does not count them. */
  queries(): Promise<number | null>;
  stop(): Promise<void>;
}

function knotConfig(dir: string, port: number, zones: string[]): string {
  return [
    'server:',
    `  rundir: "${dir}"`,
    `  listen: ${HOST}@${port}`,
    '  tcp-workers: 1',
    'control:',
    `  listen: "${join(dir, 'knot.sock')}"`,
    'database:',
    `  storage: "${join(dir, 'db')}"`,
    'mod-stats:',
    '  - id: queries',
    '    request-protocol: on',
    '    server-operation: off',
    '    response-code: off',
    '    query-type: off',
    '    request-bytes: off',
    '    response-bytes: off',
    '    edns-presence: off',
    '    flag-presence: off',
    '    reply-nodata: off',
    '    query-size: off',
    '    reply-size: off',
    'template:',
    '  - id: default',
    `    storage: "${dir}"`,
    '    file: "%s.zone"',
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    '    semantic-checks: off',
    '    global-module: mod-stats/queries',
    'zone:',
    ...zones.map((zone) => `  - domain: ${zone}`),
    '',
  ].join('\n');
}

async function startKnot(zones: Record<string, string>): Promise<Authoritative> {
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-bench-knot-'));
  const port = await freePort([HOST]);
  for (const [zone, text] of Object.entries(zones)) writeFileSync(join(dir, `${zone}.zone`), text);
  const config = join(dir, 'knot.conf');
  writeFileSync(config, knotConfig(dir, port, Object.keys(zones)));
  let output = '';
  const child: ChildProcess = spawn('knotd', ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => { child.kill('SIGKILL'); };
  process.once('exit', killOnExit);
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(force);
    process.off('exit', killOnExit);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (const zone of Object.keys(zones)) {
    for (;;) {
      if (child.exitCode !== null) {
        await stop();
        throw new Error(`knotd exited before serving ${zone}:\n${output}`);
      }
      const reply = await dnsQuery(HOST, port, zone, 'SOA', { timeoutMs: 300 }).catch(() => null);
      if (reply?.rcode === 'NOERROR' && reply.aa) break;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`knotd did not serve ${zone} within ${START_TIMEOUT_MS} ms:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const { stdout: version } = await promisify(execFile)('knotd', ['--version']);
  return {
    name: `knot ${/version (\S+)/.exec(version)?.[1] ?? ''}`.trim(),
    server: serverSpec(HOST, port),
    host: HOST,
    port,
    queries: async () => {
      const { stdout } = await promisify(execFile)('knotc', ['-c', config, 'stats', 'mod-stats.request-protocol']);
      return [...stdout.matchAll(/request-protocol\[\w+\] = (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    },
    stop,
  };
}

/** Knot when installed (it counts queries), else NSD. */
export async function startAuthoritative(zones: Record<string, string>): Promise<Authoritative> {
  if (findOnPath('knotd') && findOnPath('knotc')) return startKnot(zones);
  if (!findOnPath('nsd')) throw new Error('the benchmark needs Knot (knotd) or NSD on PATH');
  const nsd = await startNsd({ zones, checkZones: false, startTimeoutMs: START_TIMEOUT_MS });
  return { name: 'nsd', server: nsd.server, host: nsd.host, port: nsd.port, queries: async () => null, stop: () => nsd.stop() };
}
