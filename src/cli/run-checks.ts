import { streamDomainChecks } from '../modes/domains.js';
import { assertZoneCheckOptions, readZones, streamZoneChecks } from '../modes/zone/runner.js';
import type { DomainResult } from '../engine/result.js';
import { createReporter, REPORT_FORMATS } from '../report/formats.js';
import { RunTally } from '../report/reporter.js';
import { EXIT_CODES } from '../core/status.js';
import type { CliRequest } from './args.js';
import type { CliIo } from './io.js';
import { openInputs } from './inputs.js';
import { streamJobChecks } from './jobs.js';
import { ReportWriter } from './output.js';
import { ProgressLine } from './progress.js';
import { collectSoonerForZones } from './zone-heap.js';

type FormatDefinition = (typeof REPORT_FORMATS)[keyof typeof REPORT_FORMATS];

/** What a run checks, ready to report: its results as they come, and what it holds open. */
export interface RunPlan {
  results: AsyncIterable<DomainResult>;
  /** Zone mode: the text of every zone file, so the text report can show the lines findings point at. */
  sources?: ReadonlyMap<string, string>;
  /** How many results the run will give, when that can be known ahead (for progress); else null. */
  countTotal(): Promise<number | null>;
  close(): Promise<void>;
}

/** How a run's report is written: what `mxlint` and `mxlint postfix` share. */
export type ReportSettings = Pick<CliRequest, 'format' | 'color' | 'progress' | 'quiet'>;

function useColor(request: ReportSettings, io: CliIo): boolean {
  if (request.color !== undefined) return request.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}

function terminalWidth(io: CliIo): number | null {
  return io.stdout.isTTY === true ? (io.stdout.columns || 80) : null;
}

/**
 * Zone files (zone mode) or domains: those given as arguments and read from the lists. Everything
 * that can make the call a usage error (a zone file that cannot be read, families zone mode cannot
 * run, a list that cannot be opened) is found here, before the report starts.
 */
async function planRun(request: CliRequest, io: CliIo, format: FormatDefinition): Promise<RunPlan> {
  const { options } = request;
  if (request.zones.length > 0) {
    collectSoonerForZones(request.zones);
    const zones = readZones(request.zones, request.origin, request.maxZoneRecords === undefined ? {} : { maxRecords: request.maxZoneRecords });
    const zoneOptions = { ...options, offline: request.offline };
    assertZoneCheckOptions(zoneOptions);
    return {
      results: streamZoneChecks(zones, zoneOptions),
      sources: new Map(zones.flatMap((zone) => [...zone.sources])),
      countTotal: () => Promise.resolve(null),
      close: () => Promise.resolve(),
    };
  }
  const inputs = await openInputs(request.domains, request.files, request.shard, () => io.stdin ?? noInput());
  const order = inputs.bulk ? format.bulkOrder : 'input';
  const results = request.jobs > 1
    ? streamJobChecks(inputs.domains, options, request.jobs, order)
    : streamDomainChecks(inputs.domains, { ...options, order });
  return { results, countTotal: inputs.countTotal, close: inputs.close };
}

/**
 * Checks every domain (or zone file owner) of the run and writes the report as results complete.
 * Inputs are read only when there is room for another check, and results are produced only as fast
 * as stdout takes them, so a run over any number of domains holds only `concurrency` of them at a
 * time (formats written at the end also keep what they need for it: see REPORT_FORMATS).
 */
export async function runChecks(request: CliRequest, io: CliIo): Promise<number> {
  const started = performance.now();
  return reportRun(await planRun(request, io, REPORT_FORMATS[request.format]), request, io, started);
}

/** Writes the report of a planned run as its results come; resolves to the exit code of the worst status. */
export async function reportRun(plan: RunPlan, request: ReportSettings, io: CliIo, started = performance.now()): Promise<number> {
  const progress = (request.progress ?? io.stderr.isTTY === true) ? new ProgressLine(io.stderr) : null;
  // Progress and report share one terminal when both go to it: the progress line steps aside for each write.
  const sameTerminal = progress !== null && io.stdout.isTTY === true && io.stderr.isTTY === true;
  const output = new ReportWriter(io.stdout, () => { if (sameTerminal) progress.clear(); });
  const reporter = createReporter(request.format, {
    color: useColor(request, io), quiet: request.quiet, width: terminalWidth(io), ...(plan.sources ? { sources: plan.sources } : {}),
  });
  const tally = new RunTally();
  try {
    if (progress) {
      progress.start();
      plan.countTotal().then((total) => { if (total !== null) progress.setTotal(total); }, () => undefined);
    }
    await output.write(reporter.start());
    for await (const result of plan.results) {
      tally.add(result);
      progress?.update(tally.progress);
      if (!(request.quiet && result.status === 'pass')) await output.write(reporter.result(result));
    }
    progress?.stop();
    await output.write(reporter.finish(tally.summary(performance.now() - started)));
  } finally {
    // After a failure too: what was checked is written before the error is reported.
    progress?.stop();
    await output.end();
    await plan.close();
  }
  return EXIT_CODES[tally.worst];
}

/** Standard input when the caller gave none (a test's CliIo): empty. */
async function* noInput(): AsyncGenerator<string> {}
