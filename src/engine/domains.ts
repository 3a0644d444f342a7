import { parseDomainInput } from '../dns/name.js';
import { Resolver } from '../dns/resolver.js';
import type { ResolverOptions } from '../dns/resolver.js';
import { serverAddresses } from '../dns/server-address.js';
import type { ServerAddress } from '../dns/server-address.js';
import { readSystemResolvConf } from '../dns/resolv-conf.js';
import { QueryRateLimit } from '../dns/rate-limit.js';
import { mapBounded } from './bounded-map.js';
import type { ResultOrder } from './bounded-map.js';
import { domainInvalid } from '../families/mx/index.js';
import type { CheckFamily } from '../families/mx/index.js';
import type { DomainResult } from './result.js';
import { checkName, nameResult, selectedFamilies } from './check-name.js';
import type { CheckPhase } from './check-name.js';
import type { CheckFamilyRunner } from '../families/index.js';
import { OptionError } from '../core/errors.js';
import { checkAuthoritative } from '../modes/authoritative/runner.js';
import type { AuthoritativeOption } from '../modes/authoritative/runner.js';
import type { ConnectToRule } from '../net/connect-to.js';

export const DEFAULT_CONCURRENCY = 64;

export interface CheckOptions {
  /** Servers as `host[:port]` strings or parsed; default: the nameservers of /etc/resolv.conf. */
  servers?: (string | ServerAddress)[];
  timeoutMs?: number;
  retries?: number;
  tcp?: boolean;
  /** Check families to run; default DEFAULT_CHECKS (mx, spf, dmarc). */
  checks?: CheckFamily[];
  /** A resolver to share (and keep open); otherwise one is made for the call and closed after it. */
  resolver?: Resolver;
  /** Domains (zone mode: owners) checked at once by checkDomains, streamDomainChecks and the zone checks. */
  concurrency?: number;
  /** The SMTP probe (`--checks smtp`): port (25), per-phase timeout, the name sent with EHLO. */
  smtp?: { port?: number; timeoutMs?: number; ehloName?: string };
  /** Connect to addresses that are not globally routable (SMTP probe, MTA-STS policy host); otherwise refused, so a zone cannot turn a check into a scan of internal networks. */
  allowPrivate?: boolean;
  /** Extra trust anchors (PEM certificates) beside Node's built-in CA list, for every certificate mxlint verifies (SMTP STARTTLS, MTA-STS HTTPS). */
  ca?: string[];
  /** Milliseconds the whole MTA-STS policy fetch may take (connect, TLS, answer); default 10000. */
  httpsTimeoutMs?: number;
  /** DNSBL zones to look every exchange address up in (--checks dnsbl). */
  dnsbl?: string[];
  /** Where connections really go (`--connect-to`): `HOST[:PORT]=ADDRESS[:PORT]` strings or parsed rules. */
  connectTo?: (string | ConnectToRule)[];
  /** Queries sent per second at most, over all servers (every attempt counts). */
  rate?: number;
  /** Start each lookup at the next server in turn (round-robin) instead of always at the first. */
  rotate?: boolean;
  /** Ask the zone's own name servers (`true`: its NS set), or the servers given, before delegation too. */
  authoritative?: AuthoritativeOption;
}

export interface StreamOptions extends CheckOptions {
  /** `input` (the default): results in the order of the inputs; `completion`: as each is done. */
  order?: ResultOrder;
}

export interface TimedResult {
  result: DomainResult;
  /** Milliseconds per phase; phases a check never reached (invalid input, no MX to follow) are 0. */
  phases: Record<CheckPhase, number>;
}

/** Options of a timed check: through the resolver, since the authoritative mode asks each server apart. */
export type TimedCheckOptions = Omit<CheckOptions, 'authoritative'>;

export { OptionError };

/** The resolver settings for these options: given servers, else /etc/resolv.conf, else 127.0.0.1 as glibc does. */
export function resolverOptions(options: CheckOptions): ResolverOptions {
  const system = options.servers === undefined ? readSystemResolvConf() : null;
  const servers = serverAddresses(options.servers ?? [], (reason) => new OptionError(`invalid server: ${reason}`));
  if (system) servers.push(...(system.servers.length > 0 ? system.servers : [{ host: '127.0.0.1', port: 53, family: 4 as const }]));
  return {
    servers,
    timeoutMs: options.timeoutMs ?? system?.timeoutMs,
    retries: options.retries ?? (system?.attempts === undefined ? undefined : system.attempts - 1),
    tcp: options.tcp ?? false,
    ...(options.rate === undefined ? {} : { rateLimit: rateLimitOf(options.rate) }),
    rotate: options.rotate ?? false,
  };
}

function rateLimitOf(perSecond: number): QueryRateLimit {
  if (!Number.isFinite(perSecond) || perSecond <= 0) throw new OptionError(`rate must be a positive number of queries per second, not ${perSecond}`);
  return new QueryRateLimit(perSecond);
}

function invalidResult(input: string, reason: string): DomainResult {
  return {
    input, domain: null, canonical: null, status: 'unknown', mx: [],
    findings: [{ rule: domainInvalid.id, severity: domainInvalid.severity, rfc: domainInvalid.rfc,
      message: `"${input}" is not a domain name: ${reason}. Nothing was looked up: give a bare domain name such as example.com.` }],
    durationMs: 0,
  };
}

async function checkTimed(resolver: Resolver, input: string, options: TimedCheckOptions, families: readonly CheckFamilyRunner[]): Promise<TimedResult> {
  const started = performance.now();
  const parsed = parseDomainInput(input);
  if (!parsed.valid) return { result: invalidResult(input, parsed.reason), phases: { mx: 0, exchanges: 0, checks: 0 } };
  const check = await checkName(resolver, parsed.name, options, families);
  return { result: nameResult(input, check, check.findings, started), phases: check.phases };
}

/** One input as the options ask: through the resolver, or on the zone's own name servers. */
async function checkWith(resolver: Resolver, input: string, options: CheckOptions, families: readonly CheckFamilyRunner[]): Promise<DomainResult> {
  const { authoritative } = options;
  if (authoritative === undefined) return (await checkTimed(resolver, input, options, families)).result;
  const parsed = parseDomainInput(input);
  return parsed.valid ? checkAuthoritative(resolver, input, parsed.name, authoritative, options) : invalidResult(input, parsed.reason);
}

async function withResolver<T>(options: CheckOptions, run: (resolver: Resolver) => Promise<T>): Promise<T> {
  if (options.resolver) return run(options.resolver);
  const resolver = new Resolver(resolverOptions(options));
  try {
    return await run(resolver);
  } finally {
    resolver.close();
  }
}

/** Checks one domain; resolves to the result the JSON output prints. Never rejects for DNS trouble. */
export function checkDomain(input: string, options: CheckOptions = {}): Promise<DomainResult> {
  const families = selectedFamilies(options);
  return withResolver(options, (resolver) => checkWith(resolver, input, options, families));
}

/** checkDomain through the resolver, with the time each phase took (for monitoring). */
export function checkDomainTimed(input: string, options: TimedCheckOptions = {}): Promise<TimedResult> {
  const families = selectedFamilies(options);
  return withResolver(options, (resolver) => checkTimed(resolver, input, options, families));
}

/** Checks many domains with one shared resolver and cache, a bounded number at a time; results in input order. */
export function checkDomains(inputs: Iterable<string> | AsyncIterable<string>, options: CheckOptions = {}): Promise<DomainResult[]> {
  return collect(streamDomainChecks(inputs, options));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The domains (or owners) checked at once: the option, validated, or the default. */
export function concurrencyOf(options: CheckOptions): number {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new OptionError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  return concurrency;
}

/**
 * Checks domains as they are read from `inputs` (a list, a file's lines), at most `concurrency` at
 * a time, with one resolver and one cache for the whole run, handing each result over when it is
 * done (in input order by default). The next input is read only when there is room for it, so
 * memory stays flat however long the input is, and a consumer that stops taking results stops the
 * reading too.
 */
export async function* streamDomainChecks(inputs: Iterable<string> | AsyncIterable<string>, options: StreamOptions = {}): AsyncGenerator<DomainResult> {
  const families = selectedFamilies(options);
  const concurrency = concurrencyOf(options);
  const resolver = options.resolver ?? new Resolver(resolverOptions(options));
  try {
    yield* mapBounded(inputs, concurrency, options.order ?? 'input', (input) => checkWith(resolver, input, options, families));
  } finally {
    if (!options.resolver) resolver.close();
  }
}
