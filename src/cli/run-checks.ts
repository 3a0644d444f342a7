import { streamDomainChecks } from '../check.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { RunTally } from '../report/reporter.js';
import { EXIT_CODES } from '../status.js';
import { checkOptionsOf, familyOptionsOf } from './args.js';
import type { CliRequest } from './args.js';
import type { CliIo } from './io.js';
import { openInputs } from './inputs.js';
import { ReportWriter } from './output.js';
import { ProgressLine } from './progress.js';

function useColor(request: CliRequest, io: CliIo): boolean {
  if (request.color !== undefined) return request.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}

function terminalWidth(io: CliIo): number | null {
  return io.stdout.isTTY === true ? (io.stdout.columns || 80) : null;
}

/**
 * Checks every domain of the run and writes the report as results complete. Inputs are read only
 * when there is room for another check, and results are produced only as fast as stdout takes
 * them, so a run over any number of domains holds only `concurrency` of them at a time (nagios and
 * prometheus also keep what their format needs to write at the end).
 */
export async function runChecks(request: CliRequest, io: CliIo): Promise<number> {
  const started = performance.now();
  const format = REPORT_FORMATS[request.format];
  const inputs = await openInputs(request.domains, request.files, request.shard, io.stdin ?? noInput());
  const progress = (request.progress ?? io.stderr.isTTY === true) ? new ProgressLine(io.stderr) : null;
  // Progress and report share one terminal when both go to it: the progress line steps aside for each write.
  const sameTerminal = progress !== null && io.stdout.isTTY === true && io.stderr.isTTY === true;
  const output = new ReportWriter(io.stdout, () => { if (sameTerminal) progress.clear(); });
  const reporter = format.reporter({ color: useColor(request, io), quiet: request.quiet, width: terminalWidth(io) });
  const tally = new RunTally();
  try {
    if (progress) {
      progress.start();
      inputs.countTotal().then((total) => { if (total !== null) progress.setTotal(total); }, () => undefined);
    }
    await output.write(reporter.start());
    const results = streamDomainChecks(inputs.domains, {
      ...checkOptionsOf(request),
      ...familyOptionsOf(request),
      concurrency: request.concurrency,
      order: inputs.bulk ? format.bulkOrder : 'input',
    });
    for await (const result of results) {
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
    await inputs.close();
  }
  return EXIT_CODES[tally.worst];
}

/** Standard input when the caller gave none (a test's CliIo): empty. */
async function* noInput(): AsyncGenerator<string> {}
