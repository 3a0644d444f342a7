/**
 * `npm run bench`: mxlint's bulk mode against a local authoritative server, beside the baseline a
 * user would otherwise write (Node's dns.promises.Resolver) at the same concurrency and the server's
 * own ceiling (dnsperf), on each list shape (SHAPES), then memory over growing inputs. Medians over
 * rounds; a table on stdout and the numbers in bench/results.json.
 *
 *   npm run bench -- [--domains 50000] [--rounds 5] [--concurrency 64] [--jobs 2] [--startup-runs 20] [--memory 10000,100000,1000000] [--html 10000,100000]
 *                    [--shapes mixed,unique,provider,faults,mail-auth] [--shape-domains 20000] [--quick] [--zone-records 1000000] [--zone-rounds 3]
 *
 * --quick: 10,000 domains, 3 rounds, 5 start-up runs, memory at 10,000 and 100,000, no HTML report,
 * a zone of 100,000 records once (flags given beside it win).
 *
 * Then the HTML report (bench/html-report.ts): its size over the first 10,000 and 100,000 domains of
 * a world of its own, and how fast headless Chromium opens and filters it (`--html ''` skips it).
 * Then a generated zone of a million records reviewed offline beside named-checkzone (bench/zone.ts;
 * `--zone-records 0` skips it).
 *
 * Only loopback is used: the server is started on 127.0.0.1 and every run is told to ask it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { buildZoneSet } from '../test/support/bulk-zones.js';
import type { ZoneSet, ZoneSetOptions } from '../test/support/bulk-zones.js';
import { startFaultyWorldServer } from '../test/support/faulty-bulk.js';
import { startAuthoritative } from './authoritative.js';
import type { Authoritative } from './authoritative.js';
import { measure } from '../test/support/measure.js';
import type { Measured } from '../test/support/measure.js';
import { dnsperfInstalled, dnsperfQps } from './dnsperf.js';
import { median, renderReport } from './report.js';
import { measureStartup } from './startup.js';
import type { StartupStats } from './startup.js';
import { benchHtmlReport } from './html-report.js';
import type { BenchResults, RunStats, ShapeResult } from './report.js';
import { benchZone, DEFAULT_BENCH_ZONE_RECORDS, renderZoneReport } from './zone.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const CLI = join(REPO, 'bin', 'mxlint.js');
const BASELINE = join(HERE, 'baseline.js');
const GENERATOR = join(HERE, 'generate-domains.js');
const RESULTS_FILE = join(REPO, 'bench', 'results.json');
/** The Resolver instances the baseline spreads over (one alone drops replies at this rate). */
const BASELINE_RESOLVERS = 8;

/** A list the bulk runs go over: its world, the checks asked for, and the faults served. */
interface Shape {
  name: string;
  description: string;
  world: ZoneSetOptions;
  checks: string;
  /** Share of the domains whose MX lookup is answered SERVFAIL or not at all (half each), by the in-process server. */
  faultShare?: number;
}

/** The faults shape's timeouts, the same for both sides: mxlint waits 500 ms, then 100 ms, then 500 ms again; c-ares 500 ms, then 1000 ms. */
const FAULT_TIMEOUT_MS = 500;
const FAULT_ATTEMPTS = 2;

const SHAPES: Shape[] = [
  { name: 'mixed', description: '35% on one provider\'s shared exchanges, 15% an exchange name each, 10% a hoster, 35% their own, 5% broken', world: { shape: 'mixed' }, checks: 'mx' },
  { name: 'unique', description: 'mostly unique exchanges: 85% their own', world: { shape: 'unique' }, checks: 'mx' },
  { name: 'provider', description: 'mostly one provider: 90% on its shared exchanges', world: { shape: 'provider' }, checks: 'mx' },
  { name: 'faults', description: 'the mix, and 10% whose MX lookup gets SERVFAIL or silence (in-process server)', world: { shape: 'mixed' }, checks: 'mx', faultShare: 0.1 },
  { name: 'mail-auth', description: 'the mix with SPF and DMARC records, --checks mx,spf,dmarc', world: { shape: 'mixed', mailAuth: true }, checks: 'mx,spf,dmarc' },
];

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    domains: { type: 'string' },
    'shape-domains': { type: 'string' },
    rounds: { type: 'string' },
    concurrency: { type: 'string', default: '64' },
    memory: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    'startup-runs': { type: 'string' },
    'zone-records': { type: 'string' },
    'zone-rounds': { type: 'string' },
    html: { type: 'string' },
    shapes: { type: 'string', default: SHAPES.map((shape) => shape.name).join(',') },
  },
});
const quick = flags.quick;
const domainCount = Number(flags.domains ?? (quick ? 10_000 : 50_000));
/** The shapes after the first (mixed) go over fewer domains: with their rounds they would otherwise take most of an hour here. */
const shapeDomainCount = Number(flags['shape-domains'] ?? Math.min(domainCount, 20_000));
const rounds = Number(flags.rounds ?? (quick ? 3 : 5));
const concurrency = Number(flags.concurrency);
const memoryFlag = flags.memory ?? (quick ? '10000,100000' : '10000,100000,1000000');
const memorySizes = memoryFlag === '' ? [] : memoryFlag.split(',').map(Number);
const jobs = Number(flags.jobs);
const startupRuns = Number(flags['startup-runs'] ?? (quick ? 5 : 20));
const zoneRecords = Number(flags['zone-records'] ?? (quick ? 100_000 : DEFAULT_BENCH_ZONE_RECORDS));
const zoneRounds = Number(flags['zone-rounds'] ?? (quick ? 1 : 3));
const htmlFlag = flags.html ?? (quick ? '' : '10000,100000');
const htmlSizes = htmlFlag === '' ? [] : htmlFlag.split(',').map(Number);
const shapes = flags.shapes.split(',').filter((name) => name !== '').map((name) => {
  const shape = SHAPES.find((s) => s.name === name);
  if (!shape) throw new Error(`--shapes: no shape ${name} (${SHAPES.map((s) => s.name).join(', ')})`);
  return shape;
});
/** Times each HTML report is opened in Chromium (the median counts). */
const HTML_ROUNDS = 3;

function mxlintArgs(server: string, file: string, jobCount = 1, shape: Shape = SHAPES[0]!): string[] {
  const timeouts = shape.faultShare === undefined ? [] : ['--timeout', String(FAULT_TIMEOUT_MS), '--retries', String(FAULT_ATTEMPTS - 1)];
  return ['--server', server, '-f', file, '--checks', shape.checks, '--format', 'jsonl', '--concurrency', String(concurrency), '--no-progress', '--jobs', String(jobCount), ...timeouts];
}

function baselineArgs(server: string, file: string, shape: Shape): string[] {
  const timeouts = shape.faultShare === undefined ? [] : ['--timeout', String(FAULT_TIMEOUT_MS), '--tries', String(FAULT_ATTEMPTS)];
  return ['--server', server, '--concurrency', String(concurrency), '--resolvers', String(BASELINE_RESOLVERS), '--checks', shape.checks, ...timeouts, file];
}

/** Start-up: Node alone, --help, --version and one offline zone check, before the server starts. */
function startupBench(): StartupStats[] {
  const zone = ['--zone', 'examples/zones/good.example.zone', '--offline', '--checks', 'mx'];
  return [
    measureStartup('node -e 0', ['-e', '0'], startupRuns, REPO),
    measureStartup('mxlint --help', [CLI, '--help'], startupRuns, REPO),
    measureStartup('mxlint --version', [CLI, '--version'], startupRuns, REPO),
    measureStartup(`mxlint ${zone.join(' ')}`, [CLI, ...zone], startupRuns, REPO),
  ];
}

/** What the bulk runs need of a server: where it listens, its query count, and how to stop it. */
type BenchServer = Pick<Authoritative, 'name' | 'server' | 'host' | 'port' | 'queries' | 'stop'>;

async function counted(server: BenchServer, run: () => Promise<Measured>, what: string): Promise<RunStats> {
  const before = await server.queries();
  const measured = await run();
  const after = await server.queries();
  // 2: some domains fail on purpose; anything else (3: unknown, a usage error) means a broken run.
  if (measured.exitCode !== 0 && measured.exitCode !== 2) throw new Error(`${what} exited with ${measured.exitCode}:\n${measured.stderr}`);
  const queries = before === null || after === null ? null : after - before;
  return { seconds: measured.seconds, peakRssMb: measured.peakRssMb, queries };
}

function log(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/** The in-process server for the faults shape (Knot and NSD cannot be silent), as the benchmark's servers are used. */
async function startFaultyServer(world: ZoneSet, faultShare: number): Promise<BenchServer> {
  const faulty = await startFaultyWorldServer(world, { host: '127.0.0.1', faultShare, seed: 6, faults: ['servfail', 'silence'] });
  return {
    name: 'in-process server', server: faulty.server.address, host: faulty.server.host, port: faulty.server.port,
    queries: async () => faulty.queries(), stop: () => faulty.server.close(),
  };
}

/** One shape: its world served, a warm-up, then mxlint (and on the first shape mxlint --jobs N) alternating with the baseline, then dnsperf. */
async function benchShape(shape: Shape, domains: number, dir: string, withJobs: boolean): Promise<ShapeResult & { mxlintJobs: RunStats[] }> {
  const world = buildZoneSet(domains, shape.world);
  const listFile = join(dir, `${shape.name}.txt`);
  writeFileSync(listFile, `${world.domains.join('\n')}\n`);
  log(`${shape.name}: ${domains} domains in ${Object.keys(world.zones).length} zones; starting the server`);
  const server = shape.faultShare === undefined ? await startAuthoritative(world.zones) : await startFaultyServer(world, shape.faultShare);
  try {
    log(`${shape.name}: ${server.name} on ${server.server}; a warm-up run`);
    await counted(server, () => measure(CLI, mxlintArgs(server.server, listFile, 1, shape)), 'mxlint warm-up');
    const mxlint: RunStats[] = [];
    const mxlintJobs: RunStats[] = [];
    const baseline: RunStats[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Alternating, so both meet the same background load.
      mxlint.push(await counted(server, () => measure(CLI, mxlintArgs(server.server, listFile, 1, shape)), 'mxlint'));
      if (withJobs) mxlintJobs.push(await counted(server, () => measure(CLI, mxlintArgs(server.server, listFile, jobs, shape)), `mxlint --jobs ${jobs}`));
      baseline.push(await counted(server, () => measure(BASELINE, baselineArgs(server.server, listFile, shape)), 'baseline'));
      const rate = (runs: RunStats[]): number => Math.round(domains / runs.at(-1)!.seconds);
      log(`${shape.name} round ${round}/${rounds}: mxlint ${rate(mxlint)} domains/s${withJobs ? `, --jobs ${jobs} ${rate(mxlintJobs)}` : ''}, baseline ${rate(baseline)} domains/s, `
        + `${(baseline.at(-1)!.seconds / mxlint.at(-1)!.seconds).toFixed(2)}x`);
    }
    const dnsperf: number[] = [];
    if (dnsperfInstalled()) {
      for (let round = 1; round <= Math.min(rounds, 3); round++) dnsperf.push(await dnsperfQps(server.host, server.port, world.queries, join(dir, 'queries.txt')));
      log(`${shape.name}: dnsperf ${Math.round(median(dnsperf))} queries/s`);
    } else {
      log('dnsperf not installed: no ceiling measured');
    }
    return { name: shape.name, description: shape.description, checks: shape.checks, server: server.name, domains, mxlint, baseline, dnsperfQps: dnsperf, mxlintJobs };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  log(`start-up: ${startupRuns} runs of each`);
  const loadAtStart = loadavg()[0]!;
  const startup = startupRuns > 0 ? startupBench() : [];
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-bench-'));
  try {
    const shapeResults: ShapeResult[] = [];
    let mxlintJobs: RunStats[] = [];
    for (const [index, shape] of shapes.entries()) {
      const { mxlintJobs: jobRuns, ...result } = await benchShape(shape, index === 0 ? domainCount : shapeDomainCount, dir, index === 0);
      if (index === 0) mxlintJobs = jobRuns;
      shapeResults.push(result);
    }
    const memory: BenchResults['memory'] = [];
    if (memorySizes.length > 0) {
      const world = buildZoneSet(0);
      const server = await startAuthoritative(world.zones);
      try {
        for (const lines of memorySizes) {
          const generator = spawn(process.execPath, [GENERATOR, String(lines), world.wildcardZone], { stdio: ['ignore', 'pipe', 'inherit'] });
          const run = await counted(server, () => measure(CLI, mxlintArgs(server.server, '-'), { stdin: generator.stdout }), `mxlint over ${lines} generated lines`);
          memory.push({ lines, seconds: run.seconds, peakRssMb: run.peakRssMb });
          log(`memory: ${lines} lines, peak RSS ${Math.round(run.peakRssMb)} MB`);
        }
      } finally {
        await server.stop();
      }
    }
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage: { start: loadAtStart, end: loadavg()[0]! } },
      concurrency,
      rounds,
      baselineResolvers: BASELINE_RESOLVERS,
      shapes: shapeResults,
      jobs,
      mxlintJobs,
      startup,
      memory,
      html: [],
    };
    // The HTML step starts a server of its own, for a world as large as its largest report.
    if (htmlSizes.length > 0) results.html = await benchHtmlReport(CLI, dir, htmlSizes, HTML_ROUNDS, log);
    // The zone step asks no server: it runs offline once the DNS servers are stopped.
    if (zoneRecords > 0) results.zone = await benchZone(CLI, dir, zoneRecords, zoneRounds, log);
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(renderReport(results));
    if (results.zone) process.stdout.write(`\n${renderZoneReport(results.zone)}`);
    log(`results in ${RESULTS_FILE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
