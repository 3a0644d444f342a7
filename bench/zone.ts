/**
 * The zone-file step of `npm run bench`: a generated zone reviewed offline by mxlint, as a user runs
 * it, beside `named-checkzone` loading the same file, alternating over the rounds so both meet the
 * same background load. Wall time, CPU time (user and system) and mxlint's peak memory.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../test/support/e2e.js';
import { measure } from '../test/support/measure.js';
import { BENCH_ZONE_ORIGIN, writeBenchZone } from './generate-zone.js';
import { median } from './report.js';

export interface ZoneRun {
  seconds: number;
  cpuSeconds: number;
  /** NaN for named-checkzone, whose memory is not measured. */
  peakRssMb: number;
}

export interface ZoneBenchResults {
  records: number;
  mxOwners: number;
  fileMb: number;
  /** What mxlint was run with, after `--zone FILE`. */
  mxlintArgs: string[];
  mxlint: ZoneRun[];
  /** `--checks mx` alone: the same review without the SPF and DMARC checks of every owner. */
  mxlintMxOnly: ZoneRun[];
  /** Empty when named-checkzone is not installed. */
  namedCheckzone: ZoneRun[];
}

/** The targets of issue 17 for a zone of a million records. */
export const ZONE_TARGETS = { peakRssMb: 400, overNamedCheckzone: 3 } as const;

/** Records of the zone generated when the benchmark is not told otherwise. */
export const DEFAULT_BENCH_ZONE_RECORDS = 1_000_000;

const run = promisify(execFile);

/** named-checkzone's wall and CPU time; its many warnings about the zone's broken exchanges are dropped. */
async function namedCheckzone(file: string): Promise<ZoneRun> {
  const started = performance.now();
  // The shell's `times` prints its children's user and system time on its second line.
  const { stdout } = await run('sh', ['-c', 'named-checkzone "$1" "$2" >/dev/null 2>&1; times', 'sh', BENCH_ZONE_ORIGIN, file]);
  const seconds = (performance.now() - started) / 1000;
  const children = stdout.trim().split('\n').at(-1)!.match(/(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/);
  if (!children) throw new Error(`times printed no children's times:\n${stdout}`);
  const cpuSeconds = Number(children[1]) * 60 + Number(children[2]) + Number(children[3]) * 60 + Number(children[4]);
  return { seconds, cpuSeconds, peakRssMb: Number.NaN };
}

async function mxlint(cli: string, file: string, args: string[]): Promise<ZoneRun> {
  const measured = await measure(cli, ['--zone', file, ...args]);
  // 2: the zone's broken exchanges fail their owners; anything else means a broken run.
  if (measured.exitCode !== 2) throw new Error(`mxlint --zone exited with ${measured.exitCode}:\n${measured.stderr}`);
  return { seconds: measured.seconds, cpuSeconds: measured.cpuSeconds, peakRssMb: measured.peakRssMb };
}

export async function benchZone(cli: string, dir: string, records: number, rounds: number, log: (text: string) => void): Promise<ZoneBenchResults> {
  const file = join(dir, `${BENCH_ZONE_ORIGIN}.zone`);
  const written = await writeBenchZone(records, file);
  const { size } = statSync(file);
  const mxlintArgs = ['--offline', '--max-zone-records', String(written.records), '--no-progress'];
  const checker = findOnPath('named-checkzone') !== undefined;
  log(`zone: ${written.records} records, ${written.mxOwners} owners of MX records, ${(size / 2 ** 20).toFixed(0)} MiB${checker ? '' : '; named-checkzone not installed'}`);
  const results: ZoneBenchResults = {
    records: written.records, mxOwners: written.mxOwners, fileMb: size / 2 ** 20, mxlintArgs, mxlint: [], mxlintMxOnly: [], namedCheckzone: [],
  };
  for (let round = 1; round <= rounds; round++) {
    if (checker) results.namedCheckzone.push(await namedCheckzone(file));
    results.mxlint.push(await mxlint(cli, file, mxlintArgs));
    results.mxlintMxOnly.push(await mxlint(cli, file, [...mxlintArgs, '--checks', 'mx']));
    const last = (runs: ZoneRun[]): string => (runs.length === 0 ? '—' : `${runs.at(-1)!.seconds.toFixed(1)} s`);
    log(`zone round ${round}/${rounds}: named-checkzone ${last(results.namedCheckzone)}, mxlint ${last(results.mxlint)} `
      + `(${Math.round(results.mxlint.at(-1)!.peakRssMb)} MB), --checks mx ${last(results.mxlintMxOnly)}`);
  }
  return results;
}

const number = (n: number, digits = 1): string => (Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** The zone step's table and verdicts, from the medians of its rounds. */
export function renderZoneReport(zone: ZoneBenchResults): string {
  const med = (runs: ZoneRun[], key: keyof ZoneRun): number => median(runs.map((r) => r[key]));
  const rows: [string, ZoneRun[]][] = [['mxlint (mx, spf, dmarc)', zone.mxlint], ['mxlint --checks mx', zone.mxlintMxOnly], ['named-checkzone', zone.namedCheckzone]];
  const lines = [
    `zone file: ${zone.records.toLocaleString('en-US')} records (${zone.mxOwners.toLocaleString('en-US')} owners of MX records, ${number(zone.fileMb, 0)} MiB), `
      + `mxlint --zone FILE ${zone.mxlintArgs.join(' ')}, median of ${zone.mxlint.length} rounds`,
    `${''.padEnd(26)}${'seconds'.padStart(10)}${'CPU s'.padStart(10)}${'peak RSS MB'.padStart(14)}`,
    ...rows.map(([name, runs]) => `${name.padEnd(26)}${number(med(runs, 'seconds')).padStart(10)}${number(med(runs, 'cpuSeconds')).padStart(10)}${number(med(runs, 'peakRssMb'), 0).padStart(14)}`),
    `peak RSS of the review             ${number(med(zone.mxlint, 'peakRssMb'), 0)} MB   target < ${ZONE_TARGETS.peakRssMb} MB: ${verdict(med(zone.mxlint, 'peakRssMb') < ZONE_TARGETS.peakRssMb)}`,
  ];
  if (zone.namedCheckzone.length > 0) {
    const ratio = (runs: ZoneRun[], key: 'seconds' | 'cpuSeconds'): number => med(runs, key) / med(zone.namedCheckzone, key);
    for (const [name, runs] of rows.slice(0, 2)) {
      lines.push(`${name} / named-checkzone   ${number(ratio(runs, 'seconds'))}x wall, ${number(ratio(runs, 'cpuSeconds'))}x CPU   `
        + `target <= ${ZONE_TARGETS.overNamedCheckzone}x: ${verdict(ratio(runs, 'seconds') <= ZONE_TARGETS.overNamedCheckzone)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
