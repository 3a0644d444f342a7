import { X509Certificate } from 'node:crypto';
import yargs from 'yargs';
import { readFailure, readTextFile } from '../core/files.js';
import type { Options } from 'yargs';
import { VERSION } from '../core/version.js';
import { DEFAULT_CONCURRENCY } from '../engine/run-options.js';
import { DEFAULT_DEADLINE_MS } from '../engine/check-name.js';
import { MAX_TIMEOUT_MS, requestedFamilies, validateOptions } from '../engine/validate-options.js';
import type { OptionNames } from '../engine/validate-options.js';
import type { CheckOptions } from '../core/options.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from '../dns/resolver.js';
import { parseServerAddress } from '../dns/server-address.js';
import type { ServerAddress } from '../dns/server-address.js';
import { parseDomainInput } from '../dns/name.js';
import { DEFAULT_MAX_ZONE_RECORDS, MAX_ZONE_RECORDS } from '../dns/zone-file/reader.js';
import { DEFAULT_HTTPS_TIMEOUT_MS } from '../facts/https-resource.js';
import { DEFAULT_BIMI_SELECTOR } from '../families/bimi/collect.js';
import { CHECK_FAMILY_NAMES, DEFAULT_CHECKS } from '../families/index.js';
import type { CheckFamily } from '../families/index.js';
import { MAX_JOBS } from './jobs.js';
import { parseShard } from './shard.js';
import type { Shard } from './shard.js';
import { DEFAULT_LISTEN_PORT, DEFAULT_MAX_PROBES, DEFAULT_PROBE_TIMEOUT_MS } from '../serve/limits.js';
import { UsageError } from './io.js';
import { CONFIG_FILE_NAME, mergedSettings, parseRuleLevels, readBaselineFile, readConfigFile } from './settings-files.js';
import type { ConfigSettings } from './settings-files.js';
import { PROFILE_NAMES, RULE_LEVELS } from '../core/settings.js';
import type { ProfileName } from '../core/settings.js';
import { closest } from './suggest.js';
import type { AuthoritativeOption } from '../core/options.js';
import { FORMAT_NAMES } from '../report/formats.js';
import type { Format } from '../report/formats.js';
import { DEFAULT_SMTP_GREETING_TIMEOUT_MS, DEFAULT_SMTP_PHASE_TIMEOUT_MS, SMTP_PORT } from '../smtp/session.js';
import { DEFAULT_SMTP_BUDGET, DEFAULT_SMTP_PER_HOST, MAX_SMTP_BUDGET, MAX_SMTP_PER_HOST } from '../facts/smtp-prober.js';
import { DEFAULT_RELAY_TEST_ADDRESS } from '../families/relay/collect.js';
import { pemCertificates } from '../tls/certificate.js';
import { DEFAULT_TLS_PROFILE, TLS_PROFILE_NAMES } from '../families/tls/profiles.js';

export const MAX_PROBES = 10_000;

/** The flags that set each check option, so a bad value is refused naming the flag. */
export const CLI_OPTION_NAMES: OptionNames = {
  servers: '--server', timeoutMs: '--timeout', retries: '--retries', tcp: '--tcp', checks: '--checks', concurrency: '--concurrency',
  order: '--format', smtp: '--smtp-port', 'smtp.port': '--smtp-port', 'smtp.timeoutMs': '--smtp-timeout', 'smtp.ehloName': '--ehlo-name',
  'smtp.greetingTimeoutMs': '--smtp-greeting-timeout', 'smtp.perHost': '--smtp-per-host', 'smtp.budget': '--smtp-budget',
  allowPrivate: '--allow-private', ca: '--ca', httpsTimeoutMs: '--https-timeout', dnsbl: '--dnsbl', connectTo: '--connect-to',
  rate: '--rate', rotate: '--rotate', authoritative: '--ns', deadlineMs: '--deadline', relayTestAddress: '--relay-test-address', daneCertificate: '--cert', dkimSelectors: '--dkim-selector', dkimDiscover: '--dkim-discover', bimiSelector: '--bimi-selector',
  tlsProfile: '--tls-profile',
  profile: '--profile', rules: '--rules', ignore: '--ignore', domains: 'domains', baseline: '--baseline',
  sendingHosts: '--sending-host', readiness: '--readiness',
};

/** What a command line asks for, validated: no raw strings left for the rest of the program to trip on. */
export interface CliRequest {
  /** Everything that says how to check, validated as the library validates it. */
  options: CheckOptions;
  domains: string[];
  /** Domain lists, one domain per line; `-` is standard input. */
  files: string[];
  shard: Shard | null;
  /** Worker threads that check the domains (1: the main thread alone). */
  jobs: number;
  format: Format;
  color: boolean | undefined;
  /** undefined: when stderr is a terminal. */
  progress: boolean | undefined;
  quiet: boolean;
  listRules: boolean;
  /** Zone mode: zone files to check instead of domains (none: domain mode). */
  zones: string[];
  /** The origin of the one zone file given. */
  origin: string | undefined;
  /** Zone mode asks no server. */
  offline: boolean;
  /** Records read for each zone file (--max-zone-records); undefined: the reader's default. */
  maxZoneRecords: number | undefined;
}

/** `mxlint serve`: the exporter's settings. */
export interface ServeRequest {
  options: CheckOptions;
  listen: ServerAddress;
  /** Domain suffixes a probe may target (A-labels); empty: any domain. */
  allow: string[];
  probeTimeoutMs: number;
  maxProbes: number;
  /** Serve the web page (a form, the HTML report) beside the exporter. */
  web: boolean;
}

export type ParsedCommandLine =
  | { kind: 'run'; request: CliRequest }
  | { kind: 'serve'; request: ServeRequest }
  /** --help or --version: print this and exit 0. */
  | { kind: 'print'; text: string };

/** The options of every command that asks DNS: which server, how long, how often, over what, how fast. */
export const RESOLVER_OPTIONS = {
  server: { alias: 's', type: 'string', requiresArg: true, describe: 'DNS server host[:port] to ask, IPv6 as [::1]:5300; repeat to fail over (default: /etc/resolv.conf)' },
  timeout: { type: 'string', requiresArg: true, describe: `milliseconds to wait for each attempt (default ${DEFAULT_TIMEOUT_MS}, or resolv.conf's timeout)` },
  retries: { type: 'string', requiresArg: true, describe: `further attempts per server after the first (default ${DEFAULT_RETRIES}, or resolv.conf's attempts - 1)` },
  tcp: { type: 'boolean', default: false, describe: 'always query over TCP (UDP falls back to TCP by itself when an answer is truncated)' },
  rate: { type: 'string', requiresArg: true, describe: 'send at most this many queries per second, retries included (default: no cap)' },
  rotate: { type: 'boolean', default: false, describe: 'spread lookups over the servers in turn (round-robin), still failing over; default: the first server first' },
} as const satisfies Record<string, Options>;

/** Which check families run and how: checking domains and the exporter take these. */
export const FAMILY_OPTIONS = {
  checks: { type: 'string', requiresArg: true, describe: `check families, comma-separated, or all (every one but tls and relay: all,tls): ${CHECK_FAMILY_NAMES.join(', ')} (mta-sts, smtp, tls, relay and bimi connect beyond DNS); +name,-name adds to or removes from the default (${DEFAULT_CHECKS.join(',')})` },
  'smtp-port': { type: 'string', requiresArg: true, describe: `port the SMTP probe connects to (default ${SMTP_PORT})` },
  'smtp-timeout': { type: 'string', requiresArg: true, describe: `milliseconds for each step of the SMTP probe after the greeting: connect, EHLO, STARTTLS, TLS (default ${DEFAULT_SMTP_PHASE_TIMEOUT_MS})` },
  'smtp-greeting-timeout': { type: 'string', requiresArg: true, describe: `milliseconds the SMTP probe waits for the 220 greeting, which postscreen and some filters delay on purpose (default ${DEFAULT_SMTP_GREETING_TIMEOUT_MS})` },
  'smtp-per-host': { type: 'string', requiresArg: true, describe: `SMTP connections open at once to one address in a run (default ${DEFAULT_SMTP_PER_HOST}, at most ${MAX_SMTP_PER_HOST})` },
  'smtp-budget': { type: 'string', requiresArg: true, describe: `SMTP connections a run opens in all; servers left when they are spent are not probed (default ${DEFAULT_SMTP_BUDGET}, at most ${MAX_SMTP_BUDGET})` },
  'relay-test-address': { type: 'string', requiresArg: true, describe: `recipient of the open-relay test (--checks relay), at a domain the servers are not responsible for (default ${DEFAULT_RELAY_TEST_ADDRESS})` },
  cert: { type: 'string', requiresArg: true, describe: 'PEM file of a certificate (and its chain) about to be installed: --checks dane says whether the TLSA records will still match it' },
  'ehlo-name': { type: 'string', requiresArg: true, describe: 'name the SMTP probe sends with EHLO (default: its own address as [192.0.2.1])' },
  'allow-private': { type: 'boolean', default: false, describe: 'let the SMTP probe, the TLS scan and the MTA-STS and BIMI fetches connect to private, loopback and other non-global addresses found in DNS (off: they are not contacted)' },
  ca: { type: 'string', requiresArg: true, describe: 'PEM file of extra trust anchors for certificate checks (SMTP STARTTLS, MTA-STS and BIMI HTTPS), beside the built-in CAs, and the only anchors of BIMI Mark Certificates; repeatable' },
  'https-timeout': { type: 'string', requiresArg: true, describe: `milliseconds each whole HTTPS fetch (MTA-STS policy, BIMI logo and evidence) may take (default ${DEFAULT_HTTPS_TIMEOUT_MS})` },
  deadline: { type: 'string', requiresArg: true, describe: `milliseconds one domain's check may take in all; what is not known by then is unknown (default ${DEFAULT_DEADLINE_MS}; serve: at most the probe's timeout)` },
  dnsbl: { type: 'string', requiresArg: true, describe: 'DNS block list zones to look the exchange addresses up in, comma-separated; turns on --checks dnsbl' },
  'dkim-selector': { type: 'string', requiresArg: true, describe: 'DKIM selectors whose keys to check (SELECTOR._domainkey.DOMAIN), comma-separated or repeated; turns on --checks dkim' },
  'dkim-discover': { type: 'boolean', default: false, describe: 'also look for DKIM keys under the selectors big mail providers use by default (finding none proves nothing); turns on --checks dkim' },
  'bimi-selector': { type: 'string', requiresArg: true, describe: `the BIMI selector whose record --checks bimi reads: SELECTOR._bimi.DOMAIN (default ${DEFAULT_BIMI_SELECTOR})` },
  'connect-to': { type: 'string', requiresArg: true, describe: 'HOST[:PORT]=ADDRESS[:PORT]: the SMTP probe, the TLS scan and the MTA-STS and BIMI fetches connect to ADDRESS instead of HOST (a name or address from DNS), even a private one; repeatable' },
  'tls-profile': { type: 'string', requiresArg: true, describe: `what --checks tls grades against: ${TLS_PROFILE_NAMES.join(', ')} (default ${DEFAULT_TLS_PROFILE}; see docs/tls-profiles.md)` },
  config: { type: 'string', requiresArg: true, describe: `configuration file (default: ${CONFIG_FILE_NAME} in the working directory, when there is one; --no-config: none)` },
  profile: { type: 'string', requiresArg: true, describe: `what the domains are for: ${PROFILE_NAMES.join(', ')} (default receiving; zone mode sees it in the records)` },
  rules: { type: 'string', requiresArg: true, describe: `RULE=LEVEL, comma-separated or repeated: a rule's level (${RULE_LEVELS.join(', ')}), over the configuration file's` },
  ignore: { type: 'string', requiresArg: true, describe: "RULE or RULE@TARGET (the finding's target): report those findings as suppressed, not counted; repeatable" },
  baseline: { type: 'string', requiresArg: true, describe: 'an earlier run\'s JSON or JSON Lines output: mark each finding new or unchanged, list the absent ones, and count only new ones for the status and exit code' },
} as const satisfies Record<string, Options>;

/** Checking domains from the command line or lists. */
export const CHECK_OPTIONS = {
  file: { alias: 'f', type: 'string', requiresArg: true, describe: 'read domains from this file, one per line (# comments); - for stdin; repeatable' },
  concurrency: { type: 'string', requiresArg: true, describe: `domains checked at once (default ${DEFAULT_CONCURRENCY})` },
  shard: { type: 'string', requiresArg: true, describe: 'check only part I of N of the domains (I/N, by hash of the domain), to split a list between machines' },
  jobs: { type: 'string', requiresArg: true, describe: 'worker threads checking the domains side by side, each with its own resolver and cache, one report in the usual order (default 1); --concurrency and --rate are shared among them' },
  readiness: { type: 'boolean', default: false, describe: 'add the bulk-sender readiness summary (SPF, DKIM, DMARC with reports, FCrDNS, STARTTLS: met, not met or unknown) and run the checks it reads: spf, dmarc, ptr, smtp (it connects to port 25), dkim with --dkim-selector' },
  'sending-host': { type: 'string', requiresArg: true, describe: 'NAME or ADDRESS of a host mail leaves from: check its reverse DNS instead of the exchanges\' (comma-separated or repeated); turns on --checks ptr' },
  format: { alias: 'o', type: 'string', requiresArg: true, default: 'text', describe: `output format: ${FORMAT_NAMES.join(', ')}` },
  color: { type: 'boolean', describe: 'colour the text output (default: when stdout is a terminal and NO_COLOR is unset); --no-color to turn it off' },
  progress: { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal); --no-progress to turn it off' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'report only domains with problems (and, in text, neither what each family found nor informational findings)' },
  'list-rules': { type: 'boolean', default: false, describe: 'list every rule with its severity, RFC and fix, then exit' },
} as const satisfies Record<string, Options>;

/** Pre-launch review: zone files instead of domains, or the domains' own name servers instead of the resolver. */
const REVIEW_OPTIONS = {
  zone: { type: 'string', requiresArg: true, describe: 'check a zone file (repeatable) instead of domains: its apex and every owner of MX records, each finding at its line' },
  origin: { type: 'string', requiresArg: true, describe: "the zone file's origin (default: its $ORIGIN, else its SOA owner, else the file name)" },
  offline: { type: 'boolean', default: false, describe: 'with --zone: ask no server; names outside the zone files are reported as not checked' },
  'max-zone-records': { type: 'string', requiresArg: true, describe: `with --zone: records read for each zone, its files together (default ${DEFAULT_MAX_ZONE_RECORDS}, at most ${MAX_ZONE_RECORDS}); the rest is reported and not checked` },
  authoritative: { type: 'boolean', default: false, describe: "ask the zone's name servers themselves (found through the resolver), each directly, and compare them" },
  ns: { type: 'string', requiresArg: true, describe: 'NAME/IP[:PORT], NAME or IP: ask this name server as the zone\'s (repeatable; before delegation too)' },
} as const satisfies Record<string, Options>;

const SERVE_OPTIONS = {
  listen: { type: 'string', requiresArg: true, default: `127.0.0.1:${DEFAULT_LISTEN_PORT}`, describe: 'address and port to listen on (IPv6 as [::1]:9314)' },
  allow: { type: 'string', requiresArg: true, describe: 'probe only domains at or below these suffixes (comma-separated or repeated; default: any domain)' },
  'probe-timeout': { type: 'string', requiresArg: true, describe: `milliseconds a probe may take at most (default ${DEFAULT_PROBE_TIMEOUT_MS}; less if Prometheus's scrape timeout is shorter)` },
  'max-probes': { type: 'string', requiresArg: true, describe: `probes running at once; more are refused with 429 (default ${DEFAULT_MAX_PROBES})` },
  web: { type: 'boolean', default: false, describe: 'also serve a web page: a form at /, the HTML report at /report?target=DOMAIN (&format=json: the JSON result); off: an exporter only' },
} as const satisfies Record<string, Options>;

/**
 * A strict parser that reports instead of exiting, with -h/--help: what `mxlint` (with its `serve`
 * command) and `mxlint spf` share. Its messages are in English whatever the locale, as mxlint's own.
 */
export function commandParser(scriptName: string, usage: string) {
  return yargs()
    .scriptName(scriptName)
    .usage(usage)
    .locale('en')
    .help()
    .alias('h', 'help')
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .wrap(Math.min(100, process.stdout.columns || 100));
}

/**
 * The commands after `mxlint`, for --help and for suggestions. `serve` is read by the parser below;
 * `spf` and `postfix` have parsers of their own (main.ts hands them their arguments).
 */
export const COMMANDS = {
  serve: 'run as a Prometheus exporter (like blackbox_exporter): GET /probe?target=DOMAIN, /metrics, /healthz; with --web, a page to check a domain',
  spf: 'evaluate the SPF policy of a domain for a sending address, with the terms that decide (see mxlint spf --help)',
  postfix: 'check a Postfix configuration (main.cf) against DNS and the running server (see mxlint postfix --help)',
} as const;

function parser() {
  return commandParser('mxlint', '$0 [options] <domain..>\n$0 -f <list> [options]\n$0 --zone <file> [--origin <name>] [--offline] [options]\n'
    + '$0 serve [options]   (see mxlint serve --help)\n$0 spf <domain> --ip <address> [options]   (see mxlint spf --help)\n'
    + '$0 postfix [main.cf] [options]   (see mxlint postfix --help)\n\n'
    + 'Checks that each domain can really receive mail: its MX records, their targets and addresses, and\n'
    + '(--checks) SPF, DMARC, DKIM keys, MTA-STS, TLS-RPT, DNSSEC, DANE, reverse DNS, the SMTP servers\n'
    + 'and block lists, with the reason, the RFC and the fix for every problem.')
    .command('$0 [domains..]', false, (y) => y
      .positional('domains', { type: 'string', array: true, describe: 'domains to check (IDN allowed)' })
      .options({ ...CHECK_OPTIONS, ...REVIEW_OPTIONS }))
    .command('serve', COMMANDS.serve, (y) => y
      .options(SERVE_OPTIONS)
      .example('$0 serve --listen 127.0.0.1:9314 --server 127.0.0.1 --allow example.com', 'probe domains under example.com only')
      .example('$0 serve --web --server 127.0.0.1', 'also a page to check a domain in a browser, at http://127.0.0.1:9314/'))
    .command('spf', COMMANDS.spf)
    .command('postfix', COMMANDS.postfix)
    .options({ ...RESOLVER_OPTIONS, ...FAMILY_OPTIONS })
    .example('$0 example.com', 'check one domain with the system resolver')
    .example('$0 --server 127.0.0.1:5300 example.com example.org', 'ask a specific server')
    .example('$0 --format json example.com | jq .[0].status', 'the verdict for scripts')
    .example('$0 --checks mx,dmarc,mta-sts,tlsrpt,ptr example.com', 'more families (mta-sts fetches the policy over HTTPS)')
    .example('$0 --checks all --server 127.0.0.1 example.com', 'every family, through a validating resolver (for DNSSEC and DANE)')
    .example('$0 --dnsbl bl.example.org example.com', 'is an exchange address on a block list?')
    .example('$0 --dkim-selector google,s1 example.com', 'the DKIM keys it signs with')
    .example('$0 --checks mx,smtp example.com', 'also probe the SMTP servers (port 25 must be open outbound)')
    .example('$0 --checks smtp --connect-to mx1.example.com=192.0.2.7 example.com', 'test a new server before the DNS change')
    .example('$0 -f domains.txt --format jsonl --concurrency 128 > results.jsonl', 'a bulk scan, written as results complete')
    .example('$0 -f domains.txt --shard 2/8 --format csv', 'the second of eight parts of a list')
    .example('$0 --format nagios example.com', 'a monitoring plugin (exit 0/1/2/3)')
    .example('$0 -f domains.txt --format html > report.html', 'a page with charts and a table of the domains, to open in a browser')
    .example('$0 --list-rules', 'the rule catalog')
    .example('$0 --zone db.example.com --offline', 'check a zone file before publishing it, asking no server')
    .example('$0 example.com --ns ns1.new.example/192.0.2.53', 'check the zone on a new server before delegating to it')
    .example('$0 example.com --authoritative', "ask each of the zone's name servers what it serves")
    .epilogue('Exit status: 0 pass, 1 warnings, 2 errors, 3 could not check (lookup failed, invalid input or usage error).\nDocs: README.md and docs/rules.md')
    .version(VERSION)
    .alias('v', 'version');
}

/**
 * A number flag's value. yargs reads number flags as text here (its own reading makes "abc" NaN):
 * text that is no number stays the text it was, so validation refuses it in the words it was given.
 * The type says number: anything else is refused by validateOptions before it is used.
 */
function numberFlag(value: unknown, name: string): number | undefined {
  const text = singleValue(value, name);
  if (text === undefined) return undefined;
  const number = Number(text);
  return (text.trim() === '' || Number.isNaN(number) ? text : number) as number;
}

function integerOption(value: unknown, name: string, min: number, max: number): number | undefined {
  const n = numberFlag(value, name);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not ${typeof n === 'string' ? JSON.stringify(n) : n}`);
  return n;
}

/** A flag with a fixed set of values, refused naming the value and the choices. */
export function choiceFlag<Choice extends string>(value: unknown, name: string, choices: readonly Choice[]): Choice {
  const text = singleValue(value, name);
  if (text !== undefined && (choices as readonly string[]).includes(text)) return text as Choice;
  throw new UsageError(`--${name} ${JSON.stringify(text ?? '')} is not one of ${choices.join(', ')}`);
}

/** A flag given once arrives as a value, repeated as an array: always the list of its values. */
function repeated(values: unknown): string[] {
  return values === undefined ? [] : [values].flat().map(String);
}

/** Repeated flags whose values may also be comma-separated lists. */
function listOption(values: unknown): string[] {
  return repeated(values).flatMap((value) => value.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function parseDomainList(values: unknown, flag: string, what: string): string[] {
  return listOption(values).map((text) => {
    const parsed = parseDomainInput(text);
    if (!parsed.valid) throw new UsageError(`--${flag}: "${text}" is not ${what}: ${parsed.reason}`);
    return parsed.name;
  });
}

/** The certificates of a PEM file (--ca, --cert), each one parsed, read through the bounded file reader; or a one-line UsageError. */
function readPemFile(file: string, flag: string): string[] {
  let text: string;
  try {
    ({ text } = readTextFile(file));
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot be read (${readFailure(error)})`);
  }
  const certificates = pemCertificates(text);
  if (certificates.length === 0) throw new UsageError(`${flag} ${file}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new UsageError(`${flag} ${file}: a certificate in it does not parse (${(error as Error).message})`);
    }
  }
  return certificates;
}

function readTrustAnchors(values: unknown): string[] {
  return repeated(values).flatMap((file) => readPemFile(file, '--ca'));
}

/** --ns servers (repeatable) ask those servers; --authoritative alone, the NS set's. */
function parseAuthoritative(authoritative: boolean, ns: unknown): AuthoritativeOption | undefined {
  if (ns === undefined) return authoritative ? true : undefined;
  return { nameservers: repeated(ns) };
}

/** A flag that takes one value: repeating it is a mistake, not a list. */
function singleValue(value: unknown, name: string): string | undefined {
  if (Array.isArray(value)) throw new UsageError(`--${name} is given ${value.length} times; give it once`);
  return value === undefined ? undefined : String(value);
}

/** The families whose connections go through the run's SMTP prober, and so share its per-address limit. */
const PROBING_FAMILIES: readonly CheckFamily[] = ['smtp', 'relay'];

/** Flags that only make sense together, or not at all together. */
function checkModes(request: CliRequest): void {
  if (request.listRules) return;
  const zoneMode = request.zones.length > 0;
  if (zoneMode && (request.domains.length > 0 || request.files.length > 0)) {
    throw new UsageError(`give domains or --zone files, not both${request.files.length > 0 ? ' (-f reads domains)' : ''}`);
  }
  if (!zoneMode && request.domains.length === 0 && request.files.length === 0) {
    throw new UsageError('give at least one domain to check, e.g. mxlint example.com, a list with -f FILE, or --zone FILE');
  }
  if (zoneMode && request.shard !== null) {
    throw new UsageError('--shard splits a domain list; zone mode checks every owner in its zone files: leave out --shard');
  }
  if (zoneMode && request.jobs > 1) {
    throw new UsageError('--jobs splits the checking of domains; zone mode reads its zone files in one thread: leave out --jobs');
  }
  const perHost = request.options.smtp?.perHost ?? DEFAULT_SMTP_PER_HOST;
  const probing = requestedFamilies(request.options).filter((family) => PROBING_FAMILIES.includes(family));
  if (request.jobs > perHost && probing.length > 0) {
    throw new UsageError(`--jobs ${request.jobs} with --checks ${probing.join(',')} would open up to ${request.jobs} connections at once to one SMTP server, past --smtp-per-host ${perHost} (each job takes a share of it): give --jobs ${perHost} or less`);
  }
  if (request.origin !== undefined && request.zones.length !== 1) {
    throw new UsageError('--origin names the origin of one zone file: give exactly one --zone with it');
  }
  if (request.offline && !zoneMode) throw new UsageError('--offline only applies to --zone: checking a domain means asking a server');
  if (request.maxZoneRecords !== undefined && !zoneMode) throw new UsageError('--max-zone-records only applies to --zone');
  if (request.offline && request.options.servers !== undefined) throw new UsageError('--offline asks no server: leave out --server, or --offline');
  if (zoneMode && request.options.authoritative !== undefined) {
    throw new UsageError('--authoritative and --ns check domains on their name servers, not zone files: leave out --zone (or them)');
  }
}

/** The DNS options of a command line, as check options (not yet validated). */
export function resolverOptionsOf(argv: Record<string, unknown>): CheckOptions {
  return {
    ...(argv.server === undefined ? {} : { servers: listOption(argv.server) }),
    ...(argv.timeout === undefined ? {} : { timeoutMs: numberFlag(argv.timeout, 'timeout') }),
    ...(argv.retries === undefined ? {} : { retries: numberFlag(argv.retries, 'retries') }),
    ...(argv.rate === undefined ? {} : { rate: numberFlag(argv.rate, 'rate') }),
    tcp: argv.tcp === true,
    rotate: argv.rotate === true,
  };
}

/**
 * The families and their settings of a command line, as check options (not yet validated): --ca
 * files, the configuration file (validated, the flags over it) and --baseline are read here.
 */
export function familyOptionsOf(argv: Record<string, unknown>): CheckOptions {
  const smtp = {
    ...(argv['smtp-port'] === undefined ? {} : { port: numberFlag(argv['smtp-port'], 'smtp-port') }),
    ...(argv['smtp-timeout'] === undefined ? {} : { timeoutMs: numberFlag(argv['smtp-timeout'], 'smtp-timeout') }),
    ...(argv['smtp-greeting-timeout'] === undefined ? {} : { greetingTimeoutMs: numberFlag(argv['smtp-greeting-timeout'], 'smtp-greeting-timeout') }),
    ...(argv['smtp-per-host'] === undefined ? {} : { perHost: numberFlag(argv['smtp-per-host'], 'smtp-per-host') }),
    ...(argv['smtp-budget'] === undefined ? {} : { budget: numberFlag(argv['smtp-budget'], 'smtp-budget') }),
    ...(argv['ehlo-name'] === undefined ? {} : { ehloName: String(argv['ehlo-name']) }),
  };
  const cert = singleValue(argv.cert, 'cert');
  const relayTestAddress = singleValue(argv['relay-test-address'], 'relay-test-address');
  const rules = parseRuleLevels(repeated(argv.rules));
  const flags: ConfigSettings = {
    ...(argv.checks === undefined ? {} : { checks: repeated(argv.checks).join(',') }),
    ...(argv.profile === undefined ? {} : { profile: singleValue(argv.profile, 'profile') as ProfileName }),
    ...(rules === undefined ? {} : { rules }),
    ...(argv.ignore === undefined ? {} : { ignore: listOption(argv.ignore) }),
  };
  const baseline = singleValue(argv.baseline, 'baseline');
  return {
    ...mergedSettings(readConfigFile(argv.config), flags),
    ...(baseline === undefined ? {} : { baseline: readBaselineFile(baseline) }),
    smtp,
    allowPrivate: argv['allow-private'] === true,
    ca: readTrustAnchors(argv.ca),
    ...(argv['https-timeout'] === undefined ? {} : { httpsTimeoutMs: numberFlag(argv['https-timeout'], 'https-timeout') }),
    ...(argv.deadline === undefined ? {} : { deadlineMs: numberFlag(argv.deadline, 'deadline') }),
    dnsbl: listOption(argv.dnsbl),
    dkimSelectors: listOption(argv['dkim-selector']),
    dkimDiscover: argv['dkim-discover'] === true,
    ...(argv['bimi-selector'] === undefined ? {} : { bimiSelector: String(argv['bimi-selector']) }),
    connectTo: repeated(argv['connect-to']),
    ...(relayTestAddress === undefined ? {} : { relayTestAddress }),
    ...(cert === undefined ? {} : { daneCertificate: readPemFile(cert, '--cert').join('\n') }),
    ...(argv['tls-profile'] === undefined ? {} : { tlsProfile: String(argv['tls-profile']) }),
  };
}

/** Check options read from flags and validated as the library validates them, errors naming the flags. */
export function validatedOptionsOf(options: CheckOptions): CheckOptions {
  return validateOptions(options, CLI_OPTION_NAMES);
}

/** The long flags of a parser with `options`, aliases and yargs' camel-case spellings included, and --help and --version. */
function knownFlags(options: Readonly<Record<string, Options>>): string[] {
  const aliases = Object.values(options).flatMap((option) => [option.alias ?? []].flat());
  const names = ['help', 'version', ...Object.keys(options), ...aliases].filter((name) => name.length > 1);
  return [...names, ...names.map((name) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()))];
}

/** The flags of `args` that are none of `options`, each with the one it most likely meant. */
function unknownFlags(options: Readonly<Record<string, Options>>, args: readonly string[]): string[] {
  const known = knownFlags(options);
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).filter((arg) => arg.startsWith('--')).flatMap((arg) => {
    const name = arg.slice(2).split('=')[0]!;
    if (known.includes(name) || (name.startsWith('no-') && known.includes(name.slice(3)))) return [];
    const meant = closest(name, known);
    return [`--${name}${meant === null ? '' : ` (did you mean --${meant}?)`}`];
  });
}

/**
 * Runs a yargs parser over `args`: the parsed options, or the text of --help/--version; throws
 * UsageError. `options` are every flag the parser takes, to name the one meant by an unknown flag.
 */
export async function runParser(parse: ReturnType<typeof yargs>, args: string[], options: Readonly<Record<string, Options>>): Promise<{ argv: Record<string, unknown> } | { print: string }> {
  const removal = args.findIndex((arg, i) => arg === '--checks' && /^-[a-z]/i.test(args[i + 1] ?? ''));
  if (removal !== -1) throw new UsageError(`--checks ${args[removal + 1]!}: write --checks=${args[removal + 1]!} (a value that starts with "-" reads as a flag)`);
  const { error, argv, output } = await new Promise<{ error: Error | undefined; argv: Record<string, unknown>; output: string }>(
    (resolve) => {
      parse.parse(args, {}, (err: Error | undefined, parsedArgv: Record<string, unknown>, out: string) => resolve({ error: err, argv: parsedArgv, output: out }));
    },
  );
  if (error) {
    const unknown = /^Unknown arguments?:/.test(error.message) ? unknownFlags(options, args) : [];
    if (unknown.length > 0) throw new UsageError(`unknown option${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}`);
    // yargs spreads some messages over lines (the value and choices of a bad one under "Invalid values:"): one line.
    throw new UsageError(error.message.split('\n').map((line) => line.trim()).filter((line) => line !== '').join(' '));
  }
  if (output !== '') return { print: output.endsWith('\n') ? output : `${output}\n` };
  return { argv };
}

function serveRequest(argv: Record<string, unknown>): ServeRequest {
  const listen = parseServerAddress(String(argv.listen), DEFAULT_LISTEN_PORT);
  if (!listen.ok) throw new UsageError(`--listen: ${listen.reason}`);
  return {
    options: validatedOptionsOf({ ...resolverOptionsOf(argv), ...familyOptionsOf(argv) }),
    listen: listen.server,
    allow: parseDomainList(argv.allow, 'allow', 'a domain suffix'),
    probeTimeoutMs: integerOption(argv['probe-timeout'], 'probe-timeout', 1, MAX_TIMEOUT_MS) ?? DEFAULT_PROBE_TIMEOUT_MS,
    maxProbes: integerOption(argv['max-probes'], 'max-probes', 1, MAX_PROBES) ?? DEFAULT_MAX_PROBES,
    web: argv.web === true,
  };
}

function checkRequest(argv: Record<string, unknown>): CliRequest {
  let shard: Shard | null = null;
  if (argv.shard !== undefined) {
    const parsed = parseShard(String(argv.shard));
    if (!parsed.ok) throw new UsageError(`--shard: ${parsed.reason}`);
    shard = parsed.shard;
  }
  const authoritative = parseAuthoritative(argv.authoritative === true, argv.ns);
  const request: CliRequest = {
    options: validatedOptionsOf({
      ...resolverOptionsOf(argv), ...familyOptionsOf(argv),
      ...(argv.concurrency === undefined ? {} : { concurrency: numberFlag(argv.concurrency, 'concurrency') }),
      ...(authoritative === undefined ? {} : { authoritative }),
      ...(argv.readiness === true ? { readiness: true } : {}),
      sendingHosts: listOption(argv['sending-host']),
    }),
    domains: ((argv.domains as unknown[] | undefined) ?? []).map(String),
    files: repeated(argv.file),
    shard,
    jobs: integerOption(argv.jobs, 'jobs', 1, MAX_JOBS) ?? 1,
    format: choiceFlag(argv.format, 'format', FORMAT_NAMES),
    color: argv.color as boolean | undefined,
    progress: argv.progress as boolean | undefined,
    quiet: argv.quiet === true,
    listRules: argv['list-rules'] === true,
    zones: repeated(argv.zone),
    origin: singleValue(argv.origin, 'origin'),
    offline: argv.offline === true,
    maxZoneRecords: integerOption(argv['max-zone-records'], 'max-zone-records', 1, MAX_ZONE_RECORDS),
  };
  checkModes(request);
  return request;
}

/** An argument as a POSIX shell reads it back: as it is when it holds nothing special, else single-quoted. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * Domain arguments that are something else, refused before anything is asked: a one-label word
 * close to a command name is a mistyped command (`mxlint servee`), and an e-mail address is
 * refused naming the command that checks its domain. A final dot (`servee.`) checks a one-label
 * name as a domain.
 */
function checkDomainArguments(domains: readonly string[], args: readonly string[]): void {
  for (const domain of domains) {
    const command = domain.includes('.') ? null : closest(domain, Object.keys(COMMANDS));
    if (command !== null) {
      throw new UsageError(`"${domain}" is not a domain but a mistyped command: did you mean mxlint ${command}? To check "${domain}" as a domain, write "${domain}."`);
    }
    const at = domain.lastIndexOf('@');
    const mailDomain = parseDomainInput(domain.slice(at + 1));
    if (at !== -1 && mailDomain.valid) {
      const run = ['mxlint', ...args.map((arg) => (arg === domain ? domain.slice(at + 1) : arg))].map(shellWord).join(' ');
      throw new UsageError(`"${domain}" is an e-mail address; mxlint checks the domain that receives its mail: ${run}`);
    }
  }
}

/** Reads a command line; throws UsageError (one line, no stack) for anything wrong with it. */
export async function parseCommandLine(args: string[]): Promise<ParsedCommandLine> {
  const parsed = await runParser(parser(), args, { ...CHECK_OPTIONS, ...REVIEW_OPTIONS, ...SERVE_OPTIONS, ...RESOLVER_OPTIONS, ...FAMILY_OPTIONS });
  if ('print' in parsed) return { kind: 'print', text: parsed.print };
  if ((parsed.argv._ as unknown[])[0] === 'serve') return { kind: 'serve', request: serveRequest(parsed.argv) };
  const request = checkRequest(parsed.argv);
  checkDomainArguments(request.domains, args);
  return { kind: 'run', request };
}
