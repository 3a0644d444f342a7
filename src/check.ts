import pLimit from 'p-limit';
import { parseDomainInput } from './dns/name.js';
import { Resolver } from './dns/resolver.js';
import type { ResolverOptions } from './dns/resolver.js';
import { serverAddresses } from './dns/server-address.js';
import type { ServerAddress } from './dns/server-address.js';
import { readSystemResolvConf } from './dns/resolv-conf.js';
import { domainInvalid } from './rules/index.js';
import type { CheckFamily } from './rules/index.js';
import type { DomainResult } from './result.js';
import { checkName, nameResult } from './name-check.js';
import { OptionError } from './option-error.js';
import { checkAuthoritative } from './authoritative/check.js';
import type { AuthoritativeOption } from './authoritative/check.js';
import type { ConnectToRule } from './net/connect-to.js';

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
  /** Domains checked at once by checkDomains. */
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
  /** Ask the zone's own name servers (`true`: its NS set), or the servers given, before delegation too. */
  authoritative?: AuthoritativeOption;
}

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
  };
}

function invalidResult(input: string, reason: string): DomainResult {
  return {
    input, domain: null, canonical: null, status: 'unknown', mx: [],
    findings: [{ rule: domainInvalid.id, severity: domainInvalid.severity, rfc: domainInvalid.rfc,
      message: `"${input}" is not a domain name: ${reason}. Nothing was looked up: give a bare domain name such as example.com.` }],
    durationMs: 0,
  };
}

async function checkWith(resolver: Resolver, input: string, options: CheckOptions): Promise<DomainResult> {
  const started = performance.now();
  const parsed = parseDomainInput(input);
  if (!parsed.valid) return invalidResult(input, parsed.reason);
  if (options.authoritative !== undefined) return checkAuthoritative(resolver, input, parsed.name, options.authoritative, options);
  const check = await checkName(resolver, parsed.name, options);
  return nameResult(input, check, check.findings, started);
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
  return withResolver(options, (resolver) => checkWith(resolver, input, options));
}

/** Checks many domains with one shared resolver and cache, a bounded number at a time; results in input order. */
export function checkDomains(inputs: Iterable<string>, options: CheckOptions = {}): Promise<DomainResult[]> {
  return collect(streamDomainChecks(inputs, options));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Like checkDomains, but hands each result over as soon as it and all before it are done. */
export async function* streamDomainChecks(inputs: Iterable<string>, options: CheckOptions = {}): AsyncGenerator<DomainResult> {
  const resolver = options.resolver ?? new Resolver(resolverOptions(options));
  try {
    yield* inOrder([...inputs], options.concurrency ?? DEFAULT_CONCURRENCY, (input) => checkWith(resolver, input, options));
  } finally {
    if (!options.resolver) resolver.close();
  }
}

/** Runs `work` on every item, `concurrency` at a time, and yields the results in the items' order. */
export async function* inOrder<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const limit = pLimit(concurrency);
  const pending = items.map((item) => limit(() => work(item)));
  for (const result of pending) yield await result;
}
