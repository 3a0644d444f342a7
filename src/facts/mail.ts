import type { LookupSource } from '../dns/lookup.js';
import { Memo } from '../core/memo.js';
import { hostnameProblem, isIpLiteral, nameLabels } from '../dns/name.js';
import { finalName, followChain } from './chain.js';
import type { ChainOutcome } from './chain.js';

/** What DNS says about a host mail would be sent to: its addresses, each family asked on its own. */
export interface HostFacts {
  name: string;
  a: ChainOutcome<'A'>;
  aaaa: ChainOutcome<'AAAA'>;
}

export type ExchangeFacts =
  /** Written as an address ("192.0.2.1."): never looked up, since SMTP will not use it as one. */
  | { kind: 'ip-literal'; name: string }
  /** Characters that could not be sent back faithfully in a query: only its syntax is judged. */
  | { kind: 'unqueryable'; name: string; syntaxProblem: string }
  | { kind: 'host'; name: string; syntaxProblem: string | null; host: HostFacts };

export interface MailFacts {
  /** A-label form, lower-case, no trailing dot. */
  domain: string;
  /** The MX question at the domain, CNAMEs at the domain followed as SMTP does (RFC 5321 §5.1). */
  mx: ChainOutcome<'MX'>;
  /** The domain's own addresses, asked only when it has no MX (the implicit MX of RFC 5321 §5.1). */
  implicit: HostFacts | null;
  /** Every distinct exchange named by the MX records, null MX aside, in the order first named. */
  exchanges: ExchangeFacts[];
}

const QUERYABLE_LABEL = /^[a-z0-9_*-]+$/;

export function canonicalDomain(facts: MailFacts): string {
  return finalName(facts.domain, facts.mx);
}

/**
 * Hosts by the outcomes of their two questions: when both come from shared (cached) answers, the
 * host is the same object for every domain that names it, and whatever rules work out from it once
 * (its classified addresses) holds for all of them.
 */
const hostsByOutcomes = new WeakMap<ChainOutcome<'A'>, WeakMap<ChainOutcome<'AAAA'>, HostFacts>>();

/** What DNS says about a host's addresses. The facts may be shared between domains and must not be changed. */
export async function collectHostFacts(resolver: LookupSource, name: string): Promise<HostFacts> {
  const [a, aaaa] = await Promise.all([followChain(resolver, name, 'A'), followChain(resolver, name, 'AAAA')]);
  let byAaaa = hostsByOutcomes.get(a);
  if (byAaaa === undefined) {
    byAaaa = new WeakMap();
    hostsByOutcomes.set(a, byAaaa);
  }
  const known = byAaaa.get(aaaa);
  if (known !== undefined && known.name === name) return known;
  const host = { name, a, aaaa };
  byAaaa.set(aaaa, host);
  return host;
}

type ExchangeName = { kind: 'ip-literal' } | { kind: 'unqueryable'; syntaxProblem: string } | { kind: 'host'; syntaxProblem: string | null };

/**
 * A bulk run meets the same providers' exchange names over and over: what their spelling says is
 * worked out once per name (the memo starts afresh past this many names, so it stays small).
 */
export const EXCHANGE_NAME_MEMO_ENTRIES = 10_000;
const exchangeNames = new Memo(EXCHANGE_NAME_MEMO_ENTRIES, (name: string): ExchangeName => {
  const syntaxProblem = isIpLiteral(name) ? null : hostnameProblem(name);
  return isIpLiteral(name) ? { kind: 'ip-literal' }
    : syntaxProblem !== null && !nameLabels(name).every((label) => QUERYABLE_LABEL.test(label)) ? { kind: 'unqueryable', syntaxProblem }
      : { kind: 'host', syntaxProblem };
});

async function collectExchangeFacts(resolver: LookupSource, name: string): Promise<ExchangeFacts> {
  const read = exchangeNames.get(name);
  if (read.kind === 'ip-literal') return { kind: 'ip-literal', name };
  if (read.kind === 'unqueryable') return { kind: 'unqueryable', name, syntaxProblem: read.syntaxProblem };
  return { kind: 'host', name, syntaxProblem: read.syntaxProblem, host: await collectHostFacts(resolver, name) };
}

/** Everything the MX rules judge, for one valid domain name. Lookups that fail are kept as failures. */
export async function collectMailFacts(resolver: LookupSource, domain: string): Promise<MailFacts> {
  return collectMailFactsAfterMx(resolver, domain, await followChain(resolver, domain, 'MX'));
}

/** The rest of collectMailFacts once the MX question is answered: the exchanges, or the implicit MX. */
export async function collectMailFactsAfterMx(resolver: LookupSource, domain: string, mx: ChainOutcome<'MX'>): Promise<MailFacts> {
  if (mx.state === 'nodata') {
    return { domain, mx, implicit: await collectHostFacts(resolver, finalName(domain, mx)), exchanges: [] };
  }
  if (mx.state !== 'found') return { domain, mx, implicit: null, exchanges: [] };
  const names = [...new Set(mx.records.map((r) => r.data.exchange).filter((name) => name !== '.'))];
  const exchanges = await Promise.all(names.map((name) => collectExchangeFacts(resolver, name)));
  return { domain, mx, implicit: null, exchanges };
}
