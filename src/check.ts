import pLimit from 'p-limit';
import { parseDomainInput } from './dns/name.js';
import { Resolver } from './dns/resolver.js';
import type { ResolverOptions } from './dns/resolver.js';
import { parseServerAddress } from './dns/server-address.js';
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
import type { LookupSource } from './dns/lookup.js';
import type { AddressEntry, DomainResult, Finding, MxEntry } from './result.js';

export const DEFAULT_CONCURRENCY = 64;

export interface CheckOptions {
  /** Servers as `host[:port]` strings or parsed; default: the nameservers of /etc/resolv.conf. */
  servers?: (string | ServerAddress)[];
  timeoutMs?: number;
  retries?: number;
  tcp?: boolean;
  /** Check families to run; default ['mx']. */
  checks?: CheckFamily[];
  /** A resolver to share (and keep open); otherwise one is made for the call and closed after it. */
  resolver?: Resolver;
  /** Domains checked at once by checkDomains. */
  concurrency?: number;
}

/** An option the caller got wrong (a bad server address): a usage error, not a DNS failure. */
export class OptionError extends Error {}

/** The resolver settings for these options: given servers, else /etc/resolv.conf, else 127.0.0.1 as glibc does. */
export function resolverOptions(options: CheckOptions): ResolverOptions {
  const system = options.servers === undefined ? readSystemResolvConf() : null;
  const servers = (options.servers ?? []).map((spec) => {
    if (typeof spec !== 'string') return spec;
    const parsed = parseServerAddress(spec);
    if (!parsed.ok) throw new OptionError(`invalid server: ${parsed.reason}`);
    return parsed.server;
  });
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

/** The MX facts of one valid name and what the selected check families make of them. */
export interface NameCheck {
  facts: MailFacts;
  findings: Finding[];
  /** Each family's section of the result, by family name. */
  sections: Record<string, unknown>;
}

/** Collects the MX facts of `domain` (canonical form) from `lookups` and runs the selected families on them. */
export async function checkName(lookups: LookupSource, domain: string, options: CheckOptions): Promise<NameCheck> {
  const facts = await collectMailFacts(lookups, domain);
  const context: CheckContext = { domain, lookups, mail: facts, options };
  const outcomes = await Promise.all(selectedFamilies(options).map(async (family) => ({ family, outcome: await family.run(context) })));
  return {
    facts,
    findings: outcomes.flatMap(({ outcome }) => outcome.findings),
    sections: Object.fromEntries(outcomes.flatMap(({ family, outcome }) => ('section' in outcome ? [[family.name, outcome.section]] : []))),
  };
}

/** The result for a checked name, with the findings given (sorted here) and what else the mode adds. */
export function nameResult(input: string, check: NameCheck, findings: Finding[], started: number, extra: Partial<DomainResult> = {}): DomainResult {
  const sorted = [...findings].sort(compareFindings);
  return {
    input,
    domain: check.facts.domain,
    canonical: canonicalDomain(check.facts),
    status: statusOf(sorted),
    mx: mxEntries(check.facts),
    ...implicitEntry(check.facts),
    ...extra,
    ...check.sections,
    findings: sorted,
    durationMs: Math.round(performance.now() - started),
  };
}

async function checkWith(resolver: Resolver, input: string, options: CheckOptions): Promise<DomainResult> {
  const started = performance.now();
  const parsed = parseDomainInput(input);
  if (!parsed.valid) return invalidResult(input, parsed.reason);
  const check = await checkName(resolver, parsed.name, options);
  return nameResult(input, check, check.findings, started);
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
