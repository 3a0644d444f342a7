import pLimit from 'p-limit';
import { parseDomainInput } from './dns/name.js';
import { Resolver } from './dns/resolver.js';
import type { ResolverOptions } from './dns/resolver.js';
import { serverAddresses } from './dns/server-address.js';
import type { ServerAddress } from './dns/server-address.js';
import { readSystemResolvConf } from './dns/resolv-conf.js';
import { collectMailFacts } from './facts/mail-facts.js';
import type { ExchangeFacts, HostFacts, MailFacts } from './facts/mail-facts.js';
import { canonicalDomain } from './facts/mail-facts.js';
import { addressesOf } from './facts/host.js';
import { aliasChain } from './facts/host.js';
import { addressEntries } from './facts/address.js';
import { domainInvalid } from './rules/index.js';
import { CHECK_FAMILIES, CHECK_FAMILY_NAMES, DEFAULT_CHECKS } from './checks/index.js';
import type { CheckContext, CheckFamilyRunner } from './checks/index.js';
import type { CheckFamily } from './rules/index.js';
import { compareFindings, compareText } from './rules/rule.js';
import { statusOf } from './status.js';
import type { AddressEntry, DomainResult, MxEntry } from './result.js';
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
}

/** An option the caller got wrong (a bad server address): a usage error, not a DNS failure. */
export class OptionError extends Error {}

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

function hostAddresses(host: HostFacts): AddressEntry[] {
  return addressEntries(addressesOf(host.a), addressesOf(host.aaaa));
}

function mxEntries(facts: MailFacts): MxEntry[] {
  if (facts.mx.state !== 'found') return [];
  const byName = new Map<string, ExchangeFacts>(facts.exchanges.map((e) => [e.name, e]));
  return facts.mx.records
    .map(({ data }): MxEntry => {
      const exchange = byName.get(data.exchange);
      if (data.exchange === '.' || !exchange) return { preference: data.preference, exchange: '.' };
      return exchange.kind === 'host'
        ? { preference: data.preference, exchange: data.exchange, addresses: hostAddresses(exchange.host), cname: aliasChain(exchange.host) }
        : { preference: data.preference, exchange: data.exchange, addresses: [], cname: [] };
    })
    .sort((a, b) => a.preference - b.preference || compareText(a.exchange, b.exchange));
}

/** Only when mail really falls back to the domain's own addresses: with none, there is no implicit MX. */
function implicitEntry(facts: MailFacts): Pick<DomainResult, 'implicit'> {
  const addresses = facts.implicit ? hostAddresses(facts.implicit) : [];
  return addresses.length > 0 ? { implicit: { addresses } } : {};
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
  const facts = await collectMailFacts(resolver, parsed.name);
  const context: CheckContext = { domain: parsed.name, lookups: resolver, mail: facts, options };
  const outcomes = await Promise.all(selectedFamilies(options).map(async (family) => ({ family, outcome: await family.run(context) })));
  const findings = outcomes.flatMap(({ outcome }) => outcome.findings).sort(compareFindings);
  const sections = Object.fromEntries(outcomes.flatMap(({ family, outcome }) => ('section' in outcome ? [[family.name, outcome.section]] : [])));
  return {
    input,
    domain: facts.domain,
    canonical: canonicalDomain(facts),
    status: statusOf(findings),
    mx: mxEntries(facts),
    ...implicitEntry(facts),
    ...sections,
    findings,
    durationMs: Math.round(performance.now() - started),
  };
}

function selectedFamilies(options: CheckOptions): CheckFamilyRunner[] {
  const wanted = new Set(options.checks ?? DEFAULT_CHECKS);
  for (const name of wanted) {
    if (!CHECK_FAMILY_NAMES.includes(name)) throw new OptionError(`unknown check family "${name}" (known: ${CHECK_FAMILY_NAMES.join(', ')})`);
  }
  return CHECK_FAMILIES.filter((family) => wanted.has(family.name));
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
export async function checkDomains(inputs: Iterable<string>, options: CheckOptions = {}): Promise<DomainResult[]> {
  const results: DomainResult[] = [];
  for await (const result of streamDomainChecks(inputs, options)) results.push(result);
  return results;
}

/** Like checkDomains, but hands each result over as soon as it and all before it are done. */
export async function* streamDomainChecks(inputs: Iterable<string>, options: CheckOptions = {}): AsyncGenerator<DomainResult> {
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const resolver = options.resolver ?? new Resolver(resolverOptions(options));
  try {
    const pending = [...inputs].map((input) => limit(() => checkWith(resolver, input, options)));
    for (const result of pending) yield await result;
  } finally {
    if (!options.resolver) resolver.close();
  }
}
