/**
 * Builders that make MailFacts readable in rule tests. They build the same shapes collectMailFacts
 * returns (real record objects of src/dns/records.ts), without a resolver:
 *
 *   mailFacts('example.com', {
 *     mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']],
 *     hosts: {
 *       'mx1.example.com': { a: ['185.199.108.153'], aaaa: ['2a01:4f8::1'] },
 *       'mx2.example.com': { a: failed('timeout'), aaaa: NODATA },
 *     },
 *   })
 *
 * An outcome is a list of records (found), NODATA, NXDOMAIN, failed(kind), loop(...names),
 * tooLong(), or via(aliases, outcome) for a CNAME chain that ends in one of the first four.
 * A family left out of a host is NODATA. Exchanges that are IP addresses ("192.0.2.1") become
 * ip-literal exchanges by themselves; unqueryable(reason) marks one that was never looked up.
 * Every other exchange an MX names must be described in `hosts`, and `hosts` may describe nothing else.
 */
import type { ChainOutcome } from '../../src/facts/chain.js';
import { aliasChainFailure, MAX_CNAME_CHAIN } from '../../src/facts/chain.js';
import type { ExchangeFacts, HostFacts, MailFacts } from '../../src/facts/mail.js';
import type { LookupFailure, LookupFailureKind } from '../../src/dns/lookup.js';
import type { RecordOf } from '../../src/dns/records.js';
import { hostnameProblem, isIpLiteral } from '../../src/dns/name.js';

/** The server the made-up failures blame: a documentation address, never contacted. */
export const FAKE_SERVER = '192.0.2.53:53';
export const TTL = 300;

export const NODATA = { outcome: 'nodata' } as const;
export const NXDOMAIN = { outcome: 'nxdomain' } as const;

export interface Failed { outcome: 'failed'; kind: LookupFailureKind; message?: string }
export interface Loop { outcome: 'loop'; chain: string[] }
export interface TooLong { outcome: 'too-long'; chain: string[] }
export interface Via<End> { outcome: 'via'; chain: string[]; end: End }

/** A lookup that failed; the message defaults to what the resolver would say for that kind. */
export function failed(kind: LookupFailureKind, message?: string): Failed {
  return message === undefined ? { outcome: 'failed', kind } : { outcome: 'failed', kind, message };
}

/** A CNAME loop: the names the question was sent to in order, the last one a name seen before. */
export function loop(...chain: string[]): Loop {
  return { outcome: 'loop', chain };
}

/** A chain of more than MAX_CNAME_CHAIN aliases (hop1.chain.example …) unless the names are given. */
export function tooLong(...chain: string[]): TooLong {
  const names = chain.length > 0 ? chain : Array.from({ length: MAX_CNAME_CHAIN + 1 }, (_, i) => `hop${i + 1}.chain.example`);
  return { outcome: 'too-long', chain: names };
}

/** The name is an alias: CNAME to `aliases` in turn, where the lookup then ends as `end` says. */
export function via<End>(aliases: string | string[], end: End): Via<End> {
  return { outcome: 'via', chain: typeof aliases === 'string' ? [aliases] : aliases, end };
}

type Ending<Found> = Found | typeof NODATA | typeof NXDOMAIN | Failed;
type OutcomeSpec<Found> = Ending<Found> | Loop | TooLong | Via<Ending<Found>>;

/** Addresses of one family: `['185.199.108.153']`, NODATA, failed('timeout'), via('alias.example.net', [...]) … */
export type AddressSpec = OutcomeSpec<string[]>;
/** MX records as [preference, exchange] pairs, or how the MX lookup ended otherwise. */
export type MxSpec = OutcomeSpec<[number, string][]>;

export interface HostSpec {
  a?: AddressSpec;
  aaaa?: AddressSpec;
  /** Overrides the syntax verdict, which otherwise is hostnameProblem(name), as the collector does. */
  syntaxProblem?: string | null;
}

export interface Unqueryable { unqueryable: string }

/** An exchange whose name could not be put in a query, judged on its syntax only. */
export function unqueryable(syntaxProblem: string): Unqueryable {
  return { unqueryable: syntaxProblem };
}

export interface MailFactsSpec {
  mx: MxSpec;
  hosts?: Record<string, HostSpec | Unqueryable>;
  /** The domain's own addresses; only where the MX lookup ended in NODATA (default: NODATA for both). */
  implicit?: HostSpec;
}

/** A LookupFailure as the resolver makes it, for `type` at `name`. */
export function lookupFailure(name: string, type: string, kind: LookupFailureKind, message?: string): LookupFailure {
  const rcodes: Partial<Record<LookupFailureKind, string>> = { servfail: 'SERVFAIL', refused: 'REFUSED', rcode: 'NOTIMP' };
  const rcode = rcodes[kind];
  const said: Record<LookupFailureKind, string> = {
    timeout: `${type} ${name}: no reply from ${FAKE_SERVER} after 3 tries`,
    network: `${type} ${name}: send ENETUNREACH (1 try)`,
    servfail: `${type} ${name}: SERVFAIL from ${FAKE_SERVER}`,
    refused: `${type} ${name}: REFUSED from ${FAKE_SERVER}`,
    rcode: `${type} ${name}: NOTIMP from ${FAKE_SERVER}`,
    malformed: `${type} ${name}: malformed reply from ${FAKE_SERVER} (message ends inside the answer record header)`,
    'invalid-query': `${type} ${name} cannot be asked: the name has an empty label; nothing was sent`,
    truncated: `${type} ${name}: truncated reply (TC) from ${FAKE_SERVER} even over TCP: the answer is incomplete`,
    deadline: `${type} ${name}: no answer from ${FAKE_SERVER} yet when the check's deadline (30000 ms) passed`,
    referral: `${type} ${name}: ${FAKE_SERVER} referred the question to the name servers of example.net (ns1.example.net) instead of answering it`,
    'alias-chain': `${type} ${name}: the CNAME chain is longer than 8 aliases (${name} → a1 → … → a9)`,
    'not-asked': `${type} ${name}: outside the zone files checked, and --offline asks no server`,
  };
  const sent = kind !== 'invalid-query' && kind !== 'not-asked';
  return {
    ok: false, question: { name, type }, kind, message: message ?? said[kind], extendedErrors: [],
    ...(sent ? { server: FAKE_SERVER } : {}), ...(rcode === undefined ? {} : { rcode }), durationMs: 1,
  };
}

function isMarker(spec: unknown): spec is { outcome: string } {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) && 'outcome' in spec;
}

/** Builds the ChainOutcome of asking `type` at `name`; `records` makes the records found at the final name. */
function outcomeOf<T extends 'A' | 'AAAA' | 'MX', Found>(
  name: string, type: T, spec: OutcomeSpec<Found>, records: (owner: string, found: Found) => RecordOf<T>[],
): ChainOutcome<T> {
  let chain: string[] = [];
  let end: unknown = spec;
  if (isMarker(spec)) {
    if (spec.outcome === 'loop') return { state: 'loop', chain: [...(spec as Loop).chain] };
    if (spec.outcome === 'too-long') {
      const chain = [...(spec as TooLong).chain];
      return { state: 'failed', chain, failure: aliasChainFailure(name, type, { why: 'too-long', chain }, FAKE_SERVER) };
    }
    if (spec.outcome === 'via') {
      chain = [...(spec as Via<unknown>).chain];
      end = (spec as Via<unknown>).end;
    }
  }
  const owner = chain[chain.length - 1] ?? name;
  if (!isMarker(end)) return { state: 'found', chain, records: records(owner, end as Found) };
  switch (end.outcome) {
    case 'nodata': return { state: 'nodata', chain };
    case 'nxdomain': return { state: 'nxdomain', chain };
    case 'failed': {
      const { kind, message } = end as Failed;
      return { state: 'failed', chain, failure: lookupFailure(owner, type, kind, message) };
    }
    default: throw new Error(`${type} ${name}: "${end.outcome}" cannot end a CNAME chain`);
  }
}

export function addressOutcome<T extends 'A' | 'AAAA'>(name: string, type: T, spec: AddressSpec): ChainOutcome<T> {
  return outcomeOf(name, type, spec, (owner, found: string[]) => {
    if (found.length === 0) throw new Error(`${type} ${name}: write NODATA, not [], for no records`);
    return found.map((data) => ({ name: owner, type, ttl: TTL, data }) as RecordOf<T>);
  });
}

export function mxOutcome(domain: string, spec: MxSpec): ChainOutcome<'MX'> {
  return outcomeOf(domain, 'MX', spec, (owner, found: [number, string][]) => {
    if (found.length === 0) throw new Error(`MX ${domain}: write NODATA, not [], for no records`);
    return found.map(([preference, exchange]) => ({ name: owner, type: 'MX', ttl: TTL, data: { preference, exchange } }));
  });
}

export function hostFacts(name: string, spec: HostSpec = {}): HostFacts {
  return { name, a: addressOutcome(name, 'A', spec.a ?? NODATA), aaaa: addressOutcome(name, 'AAAA', spec.aaaa ?? NODATA) };
}

function exchangeFacts(name: string, spec: HostSpec | Unqueryable | undefined): ExchangeFacts {
  if (isIpLiteral(name)) {
    if (spec !== undefined) throw new Error(`${name} is an IP literal: it is never looked up, so give it no host facts`);
    return { kind: 'ip-literal', name };
  }
  if (spec === undefined) throw new Error(`no facts for exchange ${name}: describe it in hosts`);
  if ('unqueryable' in spec) return { kind: 'unqueryable', name, syntaxProblem: spec.unqueryable };
  const syntaxProblem = spec.syntaxProblem !== undefined ? spec.syntaxProblem : hostnameProblem(name);
  return { kind: 'host', name, syntaxProblem, host: hostFacts(name, spec) };
}

/** MailFacts for `domain` (canonical form) as collectMailFacts would have gathered them. */
export function mailFacts(domain: string, spec: MailFactsSpec): MailFacts {
  const mx = mxOutcome(domain, spec.mx);
  const hosts = spec.hosts ?? {};
  if (mx.state === 'nodata') {
    if (Object.keys(hosts).length > 0) throw new Error(`${domain} has no MX records, so no exchange is looked up`);
    return { domain, mx, implicit: hostFacts(mx.chain[mx.chain.length - 1] ?? domain, spec.implicit), exchanges: [] };
  }
  if (spec.implicit !== undefined) throw new Error(`${domain}: its own addresses are only asked when the MX lookup ends in NODATA`);
  const names = mx.state === 'found' ? [...new Set(mx.records.map((r) => r.data.exchange).filter((n) => n !== '.'))] : [];
  const unused = Object.keys(hosts).filter((host) => !names.includes(host));
  if (unused.length > 0) throw new Error(`hosts given that no MX record names: ${unused.join(', ')}`);
  return { domain, mx, implicit: null, exchanges: names.map((name) => exchangeFacts(name, hosts[name])) };
}
