/**
 * `npm run bench`: mxlint's bulk mode against a local authoritative server, beside the baseline a
 * user would otherwise write (Node's dns.promises.Resolver) at the same concurrency and the server's
 * own ceiling (dnsperf), then memory over growing inputs. Medians over rounds; a table on stdout and
 * the numbers in bench/results.json.
 *
 *   npm run bench -- [--domains 50000] [--rounds 5] [--concurrency 64] [--jobs 2] [--startup-runs 20] [--memory 10000,100000,1000000] [--html 10000,100000]
 *                    [--zone-records 1000000] [--zone-rounds 3]
 *
 * Then the HTML report (bench/html-report.ts): its size over the first 10,000 and 100,000 domains of
 * a world of its own, and how fast headless Chromium opens and filters it (`--html ''` skips it).
 * Then a generated zone of a million records reviewed offline beside named-checkzone (bench/zone.ts;
 * `--zone-records 0` skips it).
 *
 * Only loopback is used: the server is started on 127.0.0.1 and every run is told to ask it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { buildZoneSet } from '../test/support/bulk-zones.js';
import { startAuthoritative } from './authoritative.js';
import type { Authoritative } from './authoritative.js';
import { measure } from '../test/support/measure.js';
import type { Measured } from '../test/support/measure.js';
import { dnsperfInstalled, dnsperfQps } from './dnsperf.js';
import { median, renderReport } from './report.js';
import { measureStartup } from './startup.js';
import type { StartupStats } from './startup.js';
import { benchHtmlReport } from './html-report.js';
import type { BenchResults, RunStats } from './report.js';
import { benchZone, DEFAULT_BENCH_ZONE_RECORDS, renderZoneReport } from './zone.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');
const CLI = join(REPO, 'bin', 'mxlint.js');
const BASELINE = join(HERE, 'baseline.js');
const GENERATOR = join(HERE, 'generate-domains.js');
const RESULTS_FILE = join(REPO, 'bench', 'results.json');
/** The Resolver instances the baseline spreads over (one alone drops replies at this rate). */
const BASELINE_RESOLVERS = 8;

const { values: flags } = parseArgs({
  options: {
    domains: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '64' },
    memory: { type: 'string', default: '10000,100000,1000000' },
    jobs: { type: 'string', default: '2' },
    'startup-runs': { type: 'string', default: '20' },
    'zone-records': { type: 'string', default: String(DEFAULT_BENCH_ZONE_RECORDS) },
    'zone-rounds': { type: 'string', default: '3' },
    html: { type: 'string', default: '10000,100000' },
  },
});
const domainCount = Number(flags.domains);
const rounds = Number(flags.rounds);
const concurrency = Number(flags.concurrency);
const memorySizes = flags.memory === '' ? [] : flags.memory.split(',').map(Number);
const jobs = Number(flags.jobs);
const startupRuns = Number(flags['startup-runs']);
const zoneRecords = Number(flags['zone-records']);
const zoneRounds = Number(flags['zone-rounds']);
const htmlSizes = flags.html === '' ? [] : flags.html.split(',').map(Number);
/** Times each HTML report is opened in Chromium (the median counts). */
const HTML_ROUNDS = 3;

function mxlintArgs(server: string, file: string, jobCount = 1): string[] {
  return ['--server', server, '-f', file, '--checks', 'mx', '--format', 'jsonl', '--concurrency', String(concurrency), '--no-progress', '--jobs', String(jobCount)];
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

async function counted(server: Authoritative, run: () => Promise<Measured>, what: string): Promise<RunStats> {
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

async function main(): Promise<void> {
  log(`start-up: ${startupRuns} runs of each`);
  const startup = startupRuns > 0 ? startupBench() : [];
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-bench-'));
  const zoneSet = buildZoneSet(domainCount);
  const listFile = join(dir, 'domains.txt');
  writeFileSync(listFile, `${zoneSet.domains.join('\n')}\n`);
  log(`${domainCount} domains in ${Object.keys(zoneSet.zones).length} zones; starting the server`);
  const server = await startAuthoritative(zoneSet.zones);
  let running = true;
  const stopServer = async (): Promise<void> => {
    if (running) await server.stop();
    running = false;
  };
  try {
    log(`${server.name} on ${server.server}; a warm-up run`);
    await counted(server, () => measure(CLI, mxlintArgs(server.server, listFile)), 'mxlint warm-up');
    const mxlint: RunStats[] = [];
    const mxlintJobs: RunStats[] = [];
    const baseline: RunStats[] = [];
    for (let round = 1; round <= rounds; round++) {
      // Alternating, so both meet the same background load.
      mxlint.push(await counted(server, () => measure(CLI, mxlintArgs(server.server, listFile)), 'mxlint'));
      mxlintJobs.push(await counted(server, () => measure(CLI, mxlintArgs(server.server, listFile, jobs)), `mxlint --jobs ${jobs}`));
      baseline.push(await counted(server, () => measure(BASELINE, [server.server, String(concurrency), String(BASELINE_RESOLVERS), listFile]), 'baseline'));
      log(`round ${round}/${rounds}: mxlint ${Math.round(domainCount / mxlint.at(-1)!.seconds)} domains/s, --jobs ${jobs} ${Math.round(domainCount / mxlintJobs.at(-1)!.seconds)}, baseline ${Math.round(domainCount / baseline.at(-1)!.seconds)} domains/s`);
    }
    const dnsperf: number[] = [];
    if (dnsperfInstalled()) {
      for (let round = 1; round <= Math.min(rounds, 3); round++) dnsperf.push(await dnsperfQps(server.host, server.port, zoneSet.queries, join(dir, 'queries.txt')));
      log(`dnsperf: ${Math.round(median(dnsperf))} queries/s`);
    } else {
      log('dnsperf not installed: no ceiling measured');
    }
    const memory: BenchResults['memory'] = [];
    for (const lines of memorySizes) {
      const generator = spawn(process.execPath, [GENERATOR, String(lines), zoneSet.wildcardZone], { stdio: ['ignore', 'pipe', 'inherit'] });
      const run = await counted(server, () => measure(CLI, mxlintArgs(server.server, '-'), { stdin: generator.stdout }), `mxlint over ${lines} generated lines`);
      memory.push({ lines, seconds: run.seconds, peakRssMb: run.peakRssMb });
      log(`memory: ${lines} lines, peak RSS ${Math.round(run.peakRssMb)} MB`);
    }
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
      server: server.name,
      domains: domainCount,
      concurrency,
      rounds,
      baselineResolvers: BASELINE_RESOLVERS,
      mxlint,
      jobs,
      mxlintJobs,
      baseline,
      startup,
      dnsperfQps: dnsperf,
      memory,
      html: [],
    };
    await stopServer();
    // The HTML step starts a server of its own, for a world as large as its largest report.
    if (htmlSizes.length > 0) results.html = await benchHtmlReport(CLI, dir, htmlSizes, HTML_ROUNDS, log);
    // The zone step asks no server: it runs offline once the DNS servers are stopped.
    if (zoneRecords > 0) results.zone = await benchZone(CLI, dir, zoneRecords, zoneRounds, log);
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(renderReport(results));
    if (results.zone) process.stdout.write(`\n${renderZoneReport(results.zone)}`);
    log(`results in ${RESULTS_FILE}`);
  } finally {
    await stopServer();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
