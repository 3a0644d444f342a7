/**
 * The long robustness run: `npm run fuzz -- [--iterations N] [--seed S] [--only dns|zone|slow|files] [--replay K]`.
 *
 * dns:   checkDomain against the in-process hostile server (test/support/hostile-dns.ts) until at
 *        least N hostile answers were served; every oracle violation is printed with the seed and the
 *        case index that replays it (`--only dns --seed S --replay K`).
 * zone:  N mutated zone files through the zone reader and the zone rules (test/support/zone-fuzz.ts).
 * slow:  "slow but valid": checks of a domain behind long alias and include chains whose every reply
 *        comes just under the timeout (or after unanswered tries), with seeded timeouts and deadlines
 *        (test/support/slow-fuzz.ts); N / 500 cases (at least 1), `--replay K` for one.
 * files: the built CLI pointed at devices, FIFOs, link loops, $INCLUDE fan-out, hostile main.cf
 *        settings and lists (test/support/file-fuzz.ts), one process per case, each held to its exit
 *        code, its stderr and a peak RSS bound; N cases, FILE_CASES without --iterations (each case
 *        is a process: seconds, not microseconds). Failures replay with `--only files --seed S --replay K`.
 *
 * The same code runs bounded in `npm test`. Exit 0 when nothing failed, 1 on a failure, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { describeViolation, fuzzHostileDns, type HostileDnsTotals } from '../test/support/hostile-dns.js';
import { fuzzZoneReader } from '../test/support/zone-fuzz.js';
import { describeSlowViolation, fuzzSlowButValid, SLOW_FUZZ_MARGIN_MS } from '../test/support/slow-fuzz.js';
import { describeFileFailure, fuzzFileSystem, RSS_BOUND_MB } from '../test/support/file-fuzz.js';

/** Issue 6's loopback block; the test suite's own run uses 127.0.10.1, so both may run at once. */
const DNS_HOST = '127.0.10.2';
const DEFAULT_ITERATIONS = 100_000;
/** An upper bound on cases: each serves several hostile answers, so the answer target ends the run first. */
const MAX_CASES = 10_000_000;
const ZONE_REPORT_EVERY = 10_000;
/** A slow case takes seconds where a hostile answer takes microseconds: this many iterations make one. */
const ITERATIONS_PER_SLOW_CASE = 500;
const SLOW_REPORT_EVERY = 25;
const FILE_CASES = 300;
const FILE_REPORT_EVERY = 25;
const MODES = ['dns', 'zone', 'slow', 'files'];

const USAGE = 'usage: npm run fuzz -- [--iterations N] [--seed S] [--only dns|zone|slow|files] [--replay CASE]\n';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    iterations: { type: 'string' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    only: { type: 'string' },
    replay: { type: 'string' },
  },
});
const iterations = Number(values.iterations ?? DEFAULT_ITERATIONS);
const replay = values.replay === undefined ? undefined : Number(values.replay);
if (replay !== undefined && (!Number.isInteger(replay) || replay < 0)) fail(`--replay takes a case index, not ${values.replay}`);
const seed = Number(values.seed);
if (!Number.isInteger(iterations) || iterations < 1) fail(`--iterations must be a whole number above 0, not ${values.iterations}`);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a whole number, not ${values.seed}`);
if (values.only !== undefined && !MODES.includes(values.only)) fail(`--only takes ${MODES.join(', ')}, not ${values.only}`);
if (replay !== undefined && values.only !== 'dns' && values.only !== 'slow' && values.only !== 'files') fail('--replay takes --only dns, slow or files');

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const rssMb = (): number => Math.round(process.memoryUsage().rss / 2 ** 20);

async function fuzzDns(): Promise<number> {
  const started = performance.now();
  log(`hostile DNS: seed ${seed}, ${replay === undefined ? `until ${iterations} hostile answers` : `case ${replay} only`}, server ${DNS_HOST}`);
  const startRss = rssMb();
  const totals: HostileDnsTotals = await fuzzHostileDns({
    seed, host: DNS_HOST, first: replay ?? 0, cases: replay === undefined ? MAX_CASES : 1,
    stopAfterHostileAnswers: iterations,
    progress: (t) => {
      if (t.cases % 5000 === 0) log(`  ${t.cases} cases, ${t.hostileAnswers} hostile answers, ${t.violations.length} failures, RSS ${rssMb()} MB`);
    },
  });
  for (const error of totals.harnessErrors) log(`HARNESS ERROR (a fault was answered SERVFAIL instead) ${error}`);
  for (const violation of totals.violations) log(`FAILURE ${describeViolation(violation)}\n    replay: npm run fuzz -- --only dns --seed ${violation.seed} --replay ${violation.caseIndex}`);
  const faults = Object.entries(totals.byFault).sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${n}`).join(', ');
  log(`  hostile answers by fault: ${faults}`);
  log(`  statuses: ${Object.entries(totals.statuses).map(([s, n]) => `${s} ${n}`).join(', ')}; held to "not pass" ${totals.heldToFailure}, compared to the fault-free verdict ${totals.comparedToBaseline}`);
  log(`dns: ${totals.cases} cases, ${totals.queries} queries, ${totals.hostileAnswers} hostile answers, ${totals.violations.length} failures in ${seconds(started)}; RSS ${startRss} MB at start, peak ${Math.round(totals.peakRssMb)} MB`);
  return totals.violations.length + totals.harnessErrors.length;
}

function fuzzZones(): number {
  const started = performance.now();
  log(`zone reader: seed ${seed}, ${iterations} mutated files`);
  try {
    const totals = fuzzZoneReader(seed, iterations, (done) => {
      if (done % ZONE_REPORT_EVERY === 0) log(`  ${done} files`);
    });
    log(`zone: ${totals.iterations} files, ${totals.entries} records, ${totals.problems} problems, ${totals.findings} zone findings, 0 failures in ${seconds(started)}`);
    return 0;
  } catch (error) {
    log(`FAILURE ${error instanceof Error ? error.message : String(error)}`);
    log(`zone: 1 failure in ${seconds(started)} (the run stops at the first)`);
    return 1;
  }
}

async function fuzzSlow(): Promise<number> {
  const started = performance.now();
  const cases = replay === undefined ? Math.max(1, Math.round(iterations / ITERATIONS_PER_SLOW_CASE)) : 1;
  log(`slow but valid: seed ${seed}, ${replay === undefined ? `${cases} cases` : `case ${replay} only`}`);
  const totals = await fuzzSlowButValid({
    seed, cases, first: replay ?? 0,
    progress: (t) => {
      if (t.cases % SLOW_REPORT_EVERY === 0) log(`  ${t.cases} cases, ${t.cutShort} cut short by their deadline, ${t.violations.length} failures, RSS ${rssMb()} MB`);
    },
  });
  for (const violation of totals.violations) {
    log(`FAILURE ${describeSlowViolation(violation)}\n    replay: npm run fuzz -- --only slow --seed ${violation.seed} --replay ${violation.slowCase.index}`);
  }
  log(`slow: ${totals.cases} cases, ${totals.queries} queries, ${totals.cutShort} cut short by their deadline, ${totals.timedOut} with a reply too late for its timeout, `
    + `at most ${Math.round(totals.maxOverrunMs)} ms past one `
    + `(allowed ${SLOW_FUZZ_MARGIN_MS}), ${totals.violations.length} failures in ${seconds(started)}`);
  return totals.violations.length;
}

async function fuzzFiles(): Promise<number> {
  const started = performance.now();
  const cases = replay === undefined ? (values.iterations === undefined ? FILE_CASES : iterations) : 1;
  log(`file system: seed ${seed}, ${replay === undefined ? `${cases} cases` : `case ${replay} only`}, peak RSS bound ${RSS_BOUND_MB} MB per run`);
  const totals = await fuzzFileSystem({
    seed, cases, first: replay ?? 0,
    progress: (t) => {
      if (t.cases % FILE_REPORT_EVERY === 0) log(`  ${t.cases} cases, ${t.failures.length} failures, peak RSS ${Math.round(t.peakRssMb)} MB`);
    },
  });
  for (const failure of totals.failures) log(`FAILURE ${describeFileFailure(failure)}\n    replay: npm run fuzz -- --only files --seed ${failure.seed} --replay ${failure.caseIndex}`);
  log(`  cases by kind: ${Object.entries(totals.byKind).sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  log(`  exit codes: ${Object.entries(totals.exitCodes).map(([code, n]) => `${code} ${n}`).join(', ')}`);
  log(`files: ${totals.cases} cases, ${totals.failures.length} failures in ${seconds(started)}; peak RSS of any run ${Math.round(totals.peakRssMb)} MB`);
  return totals.failures.length;
}

const runs = (mode: string): boolean => values.only === undefined ? replay === undefined || mode === 'dns' : values.only === mode;
let failures = 0;
if (runs('dns')) failures += await fuzzDns();
if (runs('zone')) failures += fuzzZones();
if (runs('slow')) failures += await fuzzSlow();
if (runs('files')) failures += await fuzzFiles();
log(failures === 0 ? 'fuzz: no failures' : `fuzz: ${failures} failures`);
process.exit(failures === 0 ? 0 : 1);
