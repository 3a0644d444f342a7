import { createRequire } from 'node:module';
import yargs from 'yargs';
import type { Options } from 'yargs';
import { DEFAULT_CONCURRENCY } from '../check.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from '../dns/resolver.js';
import { parseServerAddress } from '../dns/server-address.js';
import type { ServerAddress } from '../dns/server-address.js';
import { parseDomainInput } from '../dns/name.js';
import type { CheckFamily } from '../rules/index.js';
import { CHECK_FAMILY_NAMES, DEFAULT_CHECKS } from '../checks/index.js';
import { parseShard } from '../bulk/shard.js';
import type { Shard } from '../bulk/shard.js';
import { DEFAULT_LISTEN_PORT, DEFAULT_MAX_PROBES, DEFAULT_PROBE_TIMEOUT_MS } from '../serve/limits.js';
import { UsageError } from './io.js';
import { FORMAT_NAMES } from '../report/formats.js';
import type { Format } from '../report/formats.js';

const MAX_RETRIES = 10;
/** Beyond the transport's own cap on queries in flight (8 sockets × 128), more domains at once only queue. */
const MAX_CONCURRENCY = 4096;
const MAX_RATE = 1_000_000;
const MAX_PROBES = 10_000;
const MAX_TIMEOUT_MS = 600_000;

export const VERSION: string = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** How to ask DNS: the same for checking domains and for the exporter's probes. */
export interface ResolverRequest {
  servers: ServerAddress[] | undefined;
  timeoutMs: number | undefined;
  retries: number | undefined;
  tcp: boolean;
  /** Queries per second at most; undefined: no cap. */
  rate: number | undefined;
  rotate: boolean;
  checks: CheckFamily[];
}

/** What a command line asks for, validated: no raw strings left for the rest of the program to trip on. */
export interface CliRequest extends ResolverRequest {
  domains: string[];
  /** Domain lists, one domain per line; `-` is standard input. */
  files: string[];
  concurrency: number;
  shard: Shard | null;
  format: Format;
  color: boolean | undefined;
  /** undefined: when stderr is a terminal. */
  progress: boolean | undefined;
  quiet: boolean;
  listRules: boolean;
}

/** `mxlint serve`: the exporter's settings. */
export interface ServeRequest extends ResolverRequest {
  listen: ServerAddress;
  /** Domain suffixes a probe may target (A-labels); empty: any domain. */
  allow: string[];
  probeTimeoutMs: number;
  maxProbes: number;
}

export type ParsedCommandLine =
  | { kind: 'run'; request: CliRequest }
  | { kind: 'serve'; request: ServeRequest }
  /** --help or --version: print this and exit 0. */
  | { kind: 'print'; text: string };

/** How to ask DNS; both commands take these. */
const RESOLVER_OPTIONS = {
  server: { alias: 's', type: 'string', requiresArg: true, describe: 'DNS server host[:port] to ask, IPv6 as [::1]:5300; repeat to fail over (default: /etc/resolv.conf)' },
  timeout: { type: 'number', requiresArg: true, describe: `milliseconds to wait for each attempt (default ${DEFAULT_TIMEOUT_MS}, or resolv.conf's timeout)` },
  retries: { type: 'number', requiresArg: true, describe: `further attempts per server after the first (default ${DEFAULT_RETRIES}, or resolv.conf's attempts - 1)` },
  tcp: { type: 'boolean', default: false, describe: 'always query over TCP (UDP falls back to TCP by itself when an answer is truncated)' },
  rate: { type: 'number', requiresArg: true, describe: 'send at most this many queries per second, retries included (default: no cap)' },
  rotate: { type: 'boolean', default: false, describe: 'spread lookups over the servers in turn (round-robin), still failing over; default: the first server first' },
  checks: { type: 'string', default: DEFAULT_CHECKS.join(','), requiresArg: true, describe: `check families, comma-separated: ${CHECK_FAMILY_NAMES.join(', ')}` },
} as const satisfies Record<string, Options>;

/** Checking domains from the command line or lists. */
const CHECK_OPTIONS = {
  file: { alias: 'f', type: 'string', requiresArg: true, describe: 'read domains from this file, one per line (# comments); - for stdin; repeatable' },
  concurrency: { type: 'number', requiresArg: true, describe: `domains checked at once (default ${DEFAULT_CONCURRENCY})` },
  shard: { type: 'string', requiresArg: true, describe: 'check only part I of N of the domains (I/N, by hash of the domain), to split a list between machines' },
  format: { alias: 'o', choices: FORMAT_NAMES, default: 'text' as Format, describe: 'output format' },
  color: { type: 'boolean', describe: 'colour the text output (default: when stdout is a terminal and NO_COLOR is unset); --no-color to turn it off' },
  progress: { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal); --no-progress to turn it off' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'report only domains with problems (and no informational findings in text)' },
  'list-rules': { type: 'boolean', default: false, describe: 'list every rule with its severity, RFC and fix, then exit' },
} as const satisfies Record<string, Options>;

const SERVE_OPTIONS = {
  listen: { type: 'string', requiresArg: true, default: `127.0.0.1:${DEFAULT_LISTEN_PORT}`, describe: 'address and port to listen on (IPv6 as [::1]:9314)' },
  allow: { type: 'string', requiresArg: true, describe: 'probe only domains at or below these suffixes (comma-separated or repeated; default: any domain)' },
  'probe-timeout': { type: 'number', requiresArg: true, describe: `milliseconds a probe may take at most (default ${DEFAULT_PROBE_TIMEOUT_MS}; less if Prometheus's scrape timeout is shorter)` },
  'max-probes': { type: 'number', requiresArg: true, describe: `probes running at once; more are refused with 429 (default ${DEFAULT_MAX_PROBES})` },
} as const satisfies Record<string, Options>;

function parser() {
  return yargs()
    .scriptName('mxlint')
    .usage('$0 [options] <domain..>\n$0 serve [options]\n\nChecks that each domain can really receive mail: its MX records, their targets and addresses,\nwith the reason, the RFC and the fix for every problem.')
    .command('$0 [domains..]', false, (y) => y
      .positional('domains', { type: 'string', array: true, describe: 'domains to check (IDN allowed)' })
      .options(CHECK_OPTIONS))
    .command('serve', 'run as a Prometheus exporter (like blackbox_exporter): GET /probe?target=DOMAIN, /metrics, /healthz', (y) => y
      .options(SERVE_OPTIONS)
      .example('$0 serve --listen 127.0.0.1:9314 --server 127.0.0.1 --allow example.com', 'probe domains under example.com only'))
    .options(RESOLVER_OPTIONS)
    .example('$0 example.com', 'check one domain with the system resolver')
    .example('$0 --server 127.0.0.1:5300 example.com example.org', 'ask a specific server')
    .example('$0 --format json example.com | jq .[0].status', 'the verdict for scripts')
    .example('$0 -f domains.txt --format jsonl --concurrency 128 > results.jsonl', 'a bulk scan, written as results complete')
    .example('$0 -f domains.txt --shard 2/8 --format csv', 'the second of eight parts of a list')
    .example('$0 --format nagios example.com', 'a monitoring plugin (exit 0/1/2/3)')
    .example('$0 --list-rules', 'the rule catalog')
    .epilogue('Exit status: 0 pass, 1 warnings, 2 errors, 3 could not check (lookup failed, invalid input or usage error).\nDocs: README.md and docs/rules.md')
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .alias('v', 'version')
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .wrap(Math.min(100, process.stdout.columns || 100));
}

function integerOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${String(value)}`);
  return n;
}

function rateOption(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_RATE) throw new UsageError(`--rate must be a number of queries per second above 0 and at most ${MAX_RATE}, not ${String(value)}`);
  return n;
}

function parseChecks(text: string): CheckFamily[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const expanded = names.includes('all') ? [...CHECK_FAMILY_NAMES] : names;
  for (const name of expanded) {
    if (!CHECK_FAMILY_NAMES.includes(name as CheckFamily)) {
      throw new UsageError(`unknown check family "${name}" in --checks (known: ${CHECK_FAMILY_NAMES.join(', ')}, all)`);
    }
  }
  if (expanded.length === 0) throw new UsageError('--checks names no check family');
  return [...new Set(expanded as CheckFamily[])];
}

/** Repeated flags arrive as an array, one as a string; commas separate values too. */
function listOption(values: unknown): string[] | undefined {
  if (values === undefined) return undefined;
  return [values].flat().flatMap((value) => String(value).split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function parseServers(values: unknown): ServerAddress[] | undefined {
  return listOption(values)?.map((spec) => {
    const parsed = parseServerAddress(spec);
    if (!parsed.ok) throw new UsageError(`--server: ${parsed.reason}`);
    return parsed.server;
  });
}

function parseAllow(values: unknown): string[] {
  return (listOption(values) ?? []).map((suffix) => {
    const parsed = parseDomainInput(suffix);
    if (!parsed.valid) throw new UsageError(`--allow: "${suffix}" is not a domain suffix: ${parsed.reason}`);
    return parsed.name;
  });
}

function resolverRequest(argv: Record<string, unknown>): ResolverRequest {
  return {
    servers: parseServers(argv.server),
    timeoutMs: integerOption(argv.timeout, 'timeout', 1, MAX_TIMEOUT_MS),
    retries: integerOption(argv.retries, 'retries', 0, MAX_RETRIES),
    tcp: argv.tcp === true,
    rate: rateOption(argv.rate),
    rotate: argv.rotate === true,
    checks: parseChecks(String(argv.checks)),
  };
}

function serveRequest(argv: Record<string, unknown>): ServeRequest {
  const listen = parseServerAddress(String(argv.listen), DEFAULT_LISTEN_PORT);
  if (!listen.ok) throw new UsageError(`--listen: ${listen.reason}`);
  return {
    ...resolverRequest(argv),
    listen: listen.server,
    allow: parseAllow(argv.allow),
    probeTimeoutMs: integerOption(argv['probe-timeout'], 'probe-timeout', 1, MAX_TIMEOUT_MS) ?? DEFAULT_PROBE_TIMEOUT_MS,
    maxProbes: integerOption(argv['max-probes'], 'max-probes', 1, MAX_PROBES) ?? DEFAULT_MAX_PROBES,
  };
}

function checkRequest(argv: Record<string, unknown>): CliRequest {
  let shard: Shard | null = null;
  if (argv.shard !== undefined) {
    const parsed = parseShard(String(argv.shard));
    if (!parsed.ok) throw new UsageError(`--shard: ${parsed.reason}`);
    shard = parsed.shard;
  }
  const request: CliRequest = {
    ...resolverRequest(argv),
    domains: ((argv.domains as unknown[] | undefined) ?? []).map(String),
    files: [argv.file ?? []].flat().map(String),
    concurrency: integerOption(argv.concurrency, 'concurrency', 1, MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY,
    shard,
    format: argv.format as Format,
    color: argv.color as boolean | undefined,
    progress: argv.progress as boolean | undefined,
    quiet: argv.quiet === true,
    listRules: argv['list-rules'] === true,
  };
  if (request.domains.length === 0 && request.files.length === 0 && !request.listRules) {
    throw new UsageError('give at least one domain to check, e.g. mxlint example.com, or a list with -f FILE');
  }
  return request;
}

/** Reads a command line; throws UsageError (one line, no stack) for anything wrong with it. */
export async function parseCommandLine(args: string[]): Promise<ParsedCommandLine> {
  const { error, argv, output } = await new Promise<{ error: Error | undefined; argv: Record<string, unknown>; output: string }>(
    (resolve) => {
      parser().parse(args, {}, (err: Error | undefined, parsedArgv: Record<string, unknown>, out: string) => resolve({ error: err, argv: parsedArgv, output: out }));
    },
  );
  if (error) throw new UsageError(error.message.split('\n')[0]!);
  if (output !== '') return { kind: 'print', text: output.endsWith('\n') ? output : `${output}\n` };
  if ((argv._ as unknown[])[0] === 'serve') return { kind: 'serve', request: serveRequest(argv) };
  return { kind: 'run', request: checkRequest(argv) };
}
