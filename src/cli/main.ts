import { OptionError, streamDomainChecks } from '../check.js';
import type { CheckOptions } from '../check.js';
import { assertZoneCheckOptions, readZones, streamZoneChecks } from '../zone-check.js';
import type { DomainResult } from '../result.js';
import { rules } from '../catalog.js';
import { REPORT_FORMATS } from '../report/formats.js';
import { RunTally } from '../report/reporter.js';
import type { Reporter } from '../report/reporter.js';
import { EXIT_CODES } from '../status.js';
import { checkOptionsOf, parseCommandLine } from './args.js';
import type { CliRequest } from './args.js';
import { processIo, UsageError } from './io.js';
import type { CliIo } from './io.js';
import { formatRuleList } from './list-rules.js';
import { runSpfCommand } from './spf-command.js';

const USAGE_EXIT_CODE = EXIT_CODES.unknown;
/** `mxlint spf DOMAIN --ip ADDRESS`: the one subcommand; every other command line checks domains. */
const SPF_COMMAND = 'spf';

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
    ...checkOptionsOf(request),
    checks: request.checks,
    smtp: {
      ...(request.smtpPort !== undefined ? { port: request.smtpPort } : {}),
      ...(request.smtpTimeoutMs !== undefined ? { timeoutMs: request.smtpTimeoutMs } : {}),
      ...(request.ehloName !== undefined ? { ehloName: request.ehloName } : {}),
    },
    allowPrivate: request.allowPrivate,
    ca: request.ca,
    ...(request.httpsTimeoutMs !== undefined ? { httpsTimeoutMs: request.httpsTimeoutMs } : {}),
    dnsbl: request.dnsbl,
    connectTo: request.connectTo,
    ...(request.authoritative === undefined ? {} : { authoritative: request.authoritative }),
  };
}

/** The results to report, and the reporter for them (in zone mode it shows the source lines). */
function plan(request: CliRequest, io: CliIo): { results: AsyncIterable<DomainResult>; reporter: Reporter } {
  if (request.zones.length === 0) return { results: streamDomainChecks(request.domains, checkOptions(request)), reporter: reporterFor(request, io) };
  const zones = readZones(request.zones, request.origin);
  const sources = new Map(zones.flatMap((zone) => [...zone.sources]));
  const options = { ...checkOptions(request), offline: request.offline };
  assertZoneCheckOptions(options);
  return { results: streamZoneChecks(zones, options), reporter: reporterFor(request, io, sources) };
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
    if (args[0] === SPF_COMMAND) return await runSpfCommand(args.slice(1), io);
    const parsed = await parseCommandLine(args);
    if (parsed.kind === 'print') {
      io.stdout.write(parsed.text);
      return 0;
    }
    return await run(parsed.request, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof OptionError) {
      io.stderr.write(`mxlint: ${error.message} (see mxlint ${args[0] === SPF_COMMAND ? `${SPF_COMMAND} ` : ''}--help)\n`);
      return USAGE_EXIT_CODE;
    }
    io.stderr.write(`mxlint: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return USAGE_EXIT_CODE;
  }
}
