import { OptionError, streamDomainChecks } from '../check.js';
import type { CheckOptions } from '../check.js';
import { readZones, streamZoneChecks } from '../zone-check.js';
import type { DomainResult } from '../result.js';
import { rules } from '../catalog.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { RunTally } from '../report/reporter.js';
import type { Reporter } from '../report/reporter.js';
import { EXIT_CODES } from '../status.js';
import { parseCommandLine } from './args.js';
import type { CliRequest } from './args.js';
import { processIo, UsageError } from './io.js';
import type { CliIo } from './io.js';
import { formatRuleList } from './list-rules.js';

const USAGE_EXIT_CODE = EXIT_CODES.unknown;

function useColor(request: CliRequest, io: CliIo): boolean {
  if (request.color !== undefined) return request.color;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  return io.stdout.isTTY === true;
}

function terminalWidth(io: CliIo): number | null {
  return io.stdout.isTTY === true ? (io.stdout.columns || 80) : null;
}

function reporterFor(request: CliRequest, io: CliIo, sources?: ReadonlyMap<string, string>): Reporter {
  return REPORT_FORMATS[request.format]({ color: useColor(request, io), quiet: request.quiet, width: terminalWidth(io), ...(sources ? { sources } : {}) });
}

function checkOptions(request: CliRequest): CheckOptions {
  return {
    ...(request.servers ? { servers: request.servers } : {}),
    ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
    ...(request.retries !== undefined ? { retries: request.retries } : {}),
    tcp: request.tcp,
    checks: request.checks,
    ...(request.authoritative === undefined ? {} : { authoritative: request.authoritative }),
  };
}

/** The results to report, and the reporter for them (in zone mode it shows the source lines). */
function plan(request: CliRequest, io: CliIo): { results: AsyncIterable<DomainResult>; reporter: Reporter } {
  if (request.zones.length === 0) return { results: streamDomainChecks(request.domains, checkOptions(request)), reporter: reporterFor(request, io) };
  const zones = readZones(request.zones, request.origin);
  const sources = new Map(zones.flatMap((zone) => [...zone.sources]));
  return { results: streamZoneChecks(zones, { ...checkOptions(request), offline: request.offline }), reporter: reporterFor(request, io, sources) };
}

async function run(request: CliRequest, io: CliIo): Promise<number> {
  if (request.listRules) {
    io.stdout.write(formatRuleList(rules, request.format));
    return 0;
  }
  const started = performance.now();
  const { results, reporter } = plan(request, io);
  const tally = new RunTally();
  io.stdout.write(reporter.start());
  for await (const result of results) {
    tally.add(result);
    if (!(request.quiet && result.status === 'pass')) io.stdout.write(reporter.result(result));
  }
  io.stdout.write(reporter.finish(tally.summary(performance.now() - started)));
  return EXIT_CODES[tally.worst];
}

/**
 * The whole command line: parse, check, report. Resolves to the exit code; whatever goes wrong ends
 * as one line on stderr, never a stack trace.
 */
export async function runCli(args: string[], io: CliIo = processIo): Promise<number> {
  try {
    const parsed = await parseCommandLine(args);
    if (parsed.kind === 'print') {
      io.stdout.write(parsed.text);
      return 0;
    }
    return await run(parsed.request, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionError) {
      io.stderr.write(`mxlint: ${error.message} (see mxlint --help)\n`);
      return USAGE_EXIT_CODE;
    }
    io.stderr.write(`mxlint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return USAGE_EXIT_CODE;
  }
}
