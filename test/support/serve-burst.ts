/**
 * `mxlint serve` (the built CLI, a child process) under a burst of concurrent /probe requests while
 * the DNS behind it answers late, /healthz asked all the while. For the load test in npm test (a few
 * hundred requests) and `npm run load` (1,000).
 *
 * What must hold: every request gets an answer — 200 for the probes that fit --max-probes, 429 for
 * the rest, nothing else, no connection refused or reset; /healthz keeps answering 200; the process
 * is still running afterwards; its peak memory (VmHWM) stays bounded.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { ANSWER } from '../../src/dns/local-server/behaviour.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { CLI_PATH } from './e2e.js';
import { freePort } from './ports.js';
import { WATCHED_ZONE } from './watched-zone.js';
import { zoneRecords } from './zone-source.js';

export interface ServeBurstOptions {
  /** A loopback address of the caller's block, for the DNS server and the exporter. */
  host: string;
  requests: number;
  maxProbes: number;
  /** How late the DNS server answers each MX question: long enough that the burst overlaps. */
  dnsDelayMs: number;
}

export interface ServeBurstReport {
  requests: number;
  byStatus: Record<number, number>;
  /** Requests that got no HTTP answer (refused, reset), with why. */
  errors: string[];
  healthChecks: number;
  healthFailures: number;
  /** The exporter was still running after the burst. */
  alive: boolean;
  rssBeforeMb: number;
  peakRssMb: number;
  seconds: number;
}

function get(host: string, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** From /proc: resident memory now and its peak (kB lines of /proc/PID/status), in MB. */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
}

export async function runServeBurst(options: ServeBurstOptions): Promise<ServeBurstReport> {
  const { host } = options;
  const dns = await startLocalDnsServer({
    records: zoneRecords(WATCHED_ZONE), host,
    behave: (query) => (query.type === 'MX' ? { kind: 'delay', ms: options.dnsDelayMs, then: ANSWER } : ANSWER),
  });
  const port = await freePort([host]);
  const child = spawn(process.execPath, [CLI_PATH, 'serve', '--listen', `${host}:${port}`, '--server', dns.address, '--checks', 'mx',
    '--max-probes', String(options.maxProbes), '--timeout', '5000', '--retries', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const deadline = Date.now() + 10_000;
    while (!stderr.includes('listening on')) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mxlint serve did not start: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const before = memoryOf(child.pid!);
    const started = performance.now();
    const byStatus: Record<number, number> = {};
    const errors: string[] = [];
    let burstDone = false;
    let healthChecks = 0;
    let healthFailures = 0;
    const health = (async () => {
      while (!burstDone) {
        healthChecks++;
        const status = await get(host, port, '/healthz').catch(() => 0);
        if (status !== 200) healthFailures++;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    // Targets vary so that no answer cache could make the burst cheap.
    const targets = ['good.watch.test', 'broken.watch.test', 'slow.watch.test'];
    await Promise.all(Array.from({ length: options.requests }, (_, i) => get(host, port, `/probe?target=${targets[i % targets.length]}`)
      .then((status) => { byStatus[status] = (byStatus[status] ?? 0) + 1; })
      .catch((error: unknown) => { errors.push(error instanceof Error ? error.message : String(error)); })));
    burstDone = true;
    await health;
    const after = memoryOf(child.pid!);
    return {
      requests: options.requests, byStatus, errors, healthChecks, healthFailures, alive: child.exitCode === null,
      rssBeforeMb: before.rssMb, peakRssMb: after.peakMb, seconds: (performance.now() - started) / 1000,
    };
  } finally {
    child.kill('SIGKILL');
    await exited;
    await dns.close();
  }
}
