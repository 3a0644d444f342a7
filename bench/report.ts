/** The benchmark's numbers: what bench/results.json holds, and the table printed from it. */
import type { StartupStats } from './startup.js';
import type { HtmlRun } from './html-report.js';
import type { ZoneBenchResults } from './zone.js';

export interface RunStats {
  seconds: number;
  peakRssMb: number;
  /** Queries the server answered during the run; null when it does not count them (NSD). */
  queries: number | null;
}

/** One list shape's runs: mxlint and the baseline alternating over the same list, and dnsperf's ceiling. */
export interface ShapeResult {
  name: string;
  description: string;
  /** mxlint's --checks, and what the baseline asks. */
  checks: string;
  server: string;
  domains: number;
  mxlint: RunStats[];
  baseline: RunStats[];
  dnsperfQps: number[];
}

export interface BenchResults {
  date: string;
  /** The 1-minute load average when the benchmark started and when its bulk runs ended. */
  machine: { cpus: number; model: string; node: string; loadAverage: { start: number; end: number } };
  concurrency: number;
  rounds: number;
  baselineResolvers: number;
  /** The first shape is the main list: its figures are the ones the targets are judged on beside the ratios of every shape. */
  shapes: ShapeResult[];
  /** The first shape's runs again with `--jobs N` (N = jobs), alternating with the others. */
  jobs: number;
  mxlintJobs: RunStats[];
  startup: StartupStats[];
  memory: { lines: number; seconds: number; peakRssMb: number }[];
  html: HtmlRun[];
  /** The zone-file step; absent when skipped (--zone-records 0). */
  zone?: ZoneBenchResults;
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The targets of issues 4 and 17, checked against the medians. */
export const TARGETS = {
  /** Start-up, wall milliseconds (median): one offline zone check, and --help. */
  startupCheckMs: 150,
  startupHelpMs: 120,
  domainsPerSecond: 10_000,
  overBaseline: 1.5,
  /** dnsperf's queries/s over mxlint's, at most. */
  belowCeiling: 4,
  peakRssMbAtMillion: 200,
  /** Issue 16: the HTML report of 10,000 domains opens and filters within this, in headless Chromium. */
  htmlOpenAndFilterMs: 2000,
  htmlDomains: 10_000,
} as const;

type Rates = { domainsPerSecond: number; queriesPerSecond: number | null; queriesPerDomain: number | null; peakRssMb: number };

function summarize(runs: RunStats[], domains: number): Rates {
  const counted = runs.length > 0 && runs.every((r) => r.queries !== null);
  return {
    domainsPerSecond: median(runs.map((r) => domains / r.seconds)),
    queriesPerSecond: counted ? median(runs.map((r) => r.queries! / r.seconds)) : null,
    queriesPerDomain: counted ? median(runs.map((r) => r.queries! / domains)) : null,
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
  };
}

/** mxlint's rate over the baseline's in each round (the two ran one after the other), then their median and spread. */
export function ratios(shape: ShapeResult): { median: number; min: number; max: number } {
  const each = shape.mxlint.map((run, i) => shape.baseline[i]!.seconds / run.seconds);
  return { median: median(each), min: Math.min(...each), max: Math.max(...each) };
}

const number = (n: number | null, digits = 0): string => (n === null || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

export function renderReport(results: BenchResults): string {
  const lines = [
    `mxlint benchmark: concurrency ${results.concurrency}, median of ${results.rounds} rounds (baseline: ${results.baselineResolvers} Resolver instances)`,
    `${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}, load average ${number(results.machine.loadAverage.start, 1)} at the start, `
      + `${number(results.machine.loadAverage.end, 1)} after the bulk runs, ${results.date}`,
  ];
  for (const [index, shape] of results.shapes.entries()) {
    const mxlint = summarize(shape.mxlint, shape.domains);
    const baseline = summarize(shape.baseline, shape.domains);
    const dnsperf = shape.dnsperfQps.length > 0 ? median(shape.dnsperfQps) : null;
    const jobRuns = index === 0 && results.mxlintJobs.length > 0 ? summarize(results.mxlintJobs, shape.domains) : null;
    const rows: [string, string, string, string, string][] = [
      ['', 'domains/s', 'queries/s', 'queries/domain', 'peak RSS MB'],
      [`mxlint --checks ${shape.checks}`, number(mxlint.domainsPerSecond), number(mxlint.queriesPerSecond), number(mxlint.queriesPerDomain, 1), number(mxlint.peakRssMb)],
      ...(jobRuns ? [[`mxlint --jobs ${results.jobs}`, number(jobRuns.domainsPerSecond), number(jobRuns.queriesPerSecond), number(jobRuns.queriesPerDomain, 1), number(jobRuns.peakRssMb)] as [string, string, string, string, string]] : []),
      ['node:dns baseline', number(baseline.domainsPerSecond), number(baseline.queriesPerSecond), number(baseline.queriesPerDomain, 1), number(baseline.peakRssMb)],
      ['dnsperf ceiling', '—', number(dnsperf), '—', '—'],
    ];
    const ratio = ratios(shape);
    const belowCeiling = dnsperf !== null && mxlint.queriesPerSecond !== null ? dnsperf / mxlint.queriesPerSecond : null;
    lines.push('', `${shape.name}: ${shape.domains.toLocaleString('en-US')} domains, ${shape.description}; ${shape.server} on loopback`);
    lines.push(...rows.map(([a, b, c, d, e]) => `${a.padEnd(30)}${b.padStart(12)}${c.padStart(12)}${d.padStart(16)}${e.padStart(14)}`));
    lines.push(`mxlint / baseline (domains/s)    ${`${number(ratio.median, 2)}x`.padStart(9)}   (rounds ${number(ratio.min, 2)}–${number(ratio.max, 2)})   target >= ${TARGETS.overBaseline}x: ${verdict(ratio.median >= TARGETS.overBaseline)}`);
    lines.push(`dnsperf / mxlint (queries/s)     ${`${number(belowCeiling, 2)}x`.padStart(9)}   target <= ${TARGETS.belowCeiling}x: ${belowCeiling === null ? 'not measured' : verdict(belowCeiling <= TARGETS.belowCeiling)}`);
    if (index === 0) {
      lines.push(`mxlint domains/s                 ${number(mxlint.domainsPerSecond).padStart(9)}   target >= ${number(TARGETS.domainsPerSecond)}: ${verdict(mxlint.domainsPerSecond >= TARGETS.domainsPerSecond)}`);
      if (jobRuns) lines.push(`mxlint --jobs ${results.jobs} / mxlint        ${`${number(jobRuns.domainsPerSecond / mxlint.domainsPerSecond, 2)}x`.padStart(9)}   (${results.machine.cpus} CPUs, shared with the server)`);
    }
  }
  if (results.startup.length > 0) {
    lines.push('', 'start-up: whole-process runs, one after another', `${''.padEnd(44)}${'wall median'.padStart(12)}${'p25–p75'.padStart(14)}${'CPU mean'.padStart(10)}`);
    for (const run of results.startup) {
      lines.push(`${run.what.padEnd(44)}${number(run.wallMs.median).padStart(12)}${`${number(run.wallMs.p25)}–${number(run.wallMs.p75)}`.padStart(14)}${number(run.cpuMs).padStart(10)}`);
    }
    const check = results.startup.find((run) => run.what.startsWith('mxlint --zone'));
    const help = results.startup.find((run) => run.what === 'mxlint --help');
    if (check) lines.push(`one offline check, wall median      ${number(check.wallMs.median).padStart(6)} ms   target < ${TARGETS.startupCheckMs} ms: ${verdict(check.wallMs.median < TARGETS.startupCheckMs)}`);
    if (help) lines.push(`--help, wall median                 ${number(help.wallMs.median).padStart(6)} ms   target < ${TARGETS.startupHelpMs} ms: ${verdict(help.wallMs.median < TARGETS.startupHelpMs)}`);
  }
  const million = results.memory.find((m) => m.lines === 1_000_000);
  if (results.memory.length > 0) {
    lines.push('', 'memory: mxlint -f - over unique generated domains', `${'lines'.padStart(12)}${'seconds'.padStart(10)}${'domains/s'.padStart(12)}${'peak RSS MB'.padStart(14)}`);
    for (const m of results.memory) lines.push(`${number(m.lines).padStart(12)}${number(m.seconds, 1).padStart(10)}${number(m.lines / m.seconds).padStart(12)}${number(m.peakRssMb).padStart(14)}`);
    if (million) lines.push(`peak RSS at 1,000,000 lines       ${number(million.peakRssMb)} MB   target < ${TARGETS.peakRssMbAtMillion} MB: ${verdict(million.peakRssMb < TARGETS.peakRssMbAtMillion)}`);
  }
  if (results.html.length > 0) {
    lines.push('', 'HTML report: mxlint -f LIST --checks mx --format html, opened and filtered in headless Chromium (medians)',
      `${'domains'.padStart(12)}${'MB'.padStart(8)}${'bytes/domain'.padStart(14)}${'seconds'.padStart(10)}${'peak RSS MB'.padStart(14)}${'open ms'.padStart(10)}${'filter ms'.padStart(11)}`);
    for (const h of results.html) {
      lines.push(`${number(h.domains).padStart(12)}${number(h.bytes / 1e6, 1).padStart(8)}${number(h.bytes / h.domains).padStart(14)}${number(h.seconds, 1).padStart(10)}`
        + `${number(h.peakRssMb).padStart(14)}${number(h.openMs).padStart(10)}${number(h.filterMs).padStart(11)}`);
    }
    const target = results.html.find((h) => h.domains === TARGETS.htmlDomains);
    if (target && target.openMs !== null && target.filterMs !== null) {
      const total = target.openMs + target.filterMs;
      lines.push(`10,000 domains open + filter       ${number(total)} ms   target < ${number(TARGETS.htmlOpenAndFilterMs)} ms: ${verdict(total < TARGETS.htmlOpenAndFilterMs)}`
        + `${target.strayRequests === 0 ? '' : ` (${target.strayRequests} requests left the page!)`}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
