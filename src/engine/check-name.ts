import { collectMailFactsAfterMx, canonicalDomain } from '../facts/mail.js';
import { followChain } from '../facts/chain.js';
import type { ExchangeFacts, HostFacts, MailFacts } from '../facts/mail.js';
import { addressesOf, aliasChain } from '../facts/host.js';
import { addressEntries } from '../net/address.js';
import { CHECK_FAMILIES, CHECK_FAMILY_NAMES, DEFAULT_CHECKS } from '../families/index.js';
import type { CheckContext, CheckFamilyRunner } from '../families/index.js';
import { compareFindings, compareText } from '../core/rule.js';
import { statusOf } from '../core/status.js';
import type { LookupSource } from '../dns/lookup.js';
import type { AddressEntry, DomainResult, Finding, MxEntry } from './result.js';
import type { CheckOptions } from './domains.js';
import { OptionError } from '../core/errors.js';

/**
 * One name through the selected check families, whatever answers the questions (the resolver, zone
 * files, one authoritative server), and the result the JSON output prints for it.
 */

export function hostAddresses(host: HostFacts): AddressEntry[] {
  return addressEntries(addressesOf(host.a), addressesOf(host.aaaa));
}

export function mxEntries(facts: MailFacts): MxEntry[] {
  if (facts.mx.state !== 'found') return [];
  const byName = new Map<string, ExchangeFacts>(facts.exchanges.map((e) => [e.name, e]));
  return facts.mx.records
    .map(({ data }): MxEntry => {
      const exchange = byName.get(data.exchange);
      if (data.exchange === '.' || !exchange) return { preference: data.preference, exchange: '.' };
      return exchange.kind === 'host'
        ? { preference: data.preference, exchange: data.exchange, addresses: hostAddresses(exchange.host), cname: [...aliasChain(exchange.host)] }
        : { preference: data.preference, exchange: data.exchange, addresses: [], cname: [] };
    })
    .sort((a, b) => a.preference - b.preference || compareText(a.exchange, b.exchange));
}

/** Only when mail really falls back to the domain's own addresses: with none, there is no implicit MX. */
function implicitEntry(facts: MailFacts): Pick<DomainResult, 'implicit'> {
  const addresses = facts.implicit ? hostAddresses(facts.implicit) : [];
  return addresses.length > 0 ? { implicit: { addresses } } : {};
}

/** Where a check's time went: the MX question, the exchanges' addresses, the check families' own work. */
export type CheckPhase = 'mx' | 'exchanges' | 'checks';

/** The MX facts of one valid name and what the selected check families make of them. */
export interface NameCheck {
  facts: MailFacts;
  findings: Finding[];
  /** Each family's section of the result, by family name. */
  sections: Record<string, unknown>;
  /** Milliseconds per phase (the exporter reports them). */
  phases: Record<CheckPhase, number>;
}

/**
 * Collects the MX facts of `domain` (canonical form) from `lookups` and runs the selected families on
 * them. A run over many names works out `families` once and passes it.
 */
export async function checkName(lookups: LookupSource, domain: string, options: CheckOptions, families: readonly CheckFamilyRunner[] = selectedFamilies(options)): Promise<NameCheck> {
  const started = performance.now();
  const mx = await followChain(lookups, domain, 'MX');
  const mxDone = performance.now();
  const facts = await collectMailFactsAfterMx(lookups, domain, mx);
  const factsDone = performance.now();
  const context: CheckContext = { domain, lookups, mail: facts, options };
  const outcomes = await Promise.all(families.map(async (family) => ({ family, outcome: await family.run(context) })));
  return {
    facts,
    findings: outcomes.flatMap(({ outcome }) => outcome.findings),
    sections: Object.fromEntries(outcomes.flatMap(({ family, outcome }) => ('section' in outcome ? [[family.name, outcome.section]] : []))),
    phases: { mx: mxDone - started, exchanges: factsDone - mxDone, checks: performance.now() - factsDone },
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

/** The check families `options` select, in catalog order; throws OptionError for an unknown one. */
export function selectedFamilies(options: CheckOptions): CheckFamilyRunner[] {
  const wanted = new Set(options.checks ?? DEFAULT_CHECKS);
  for (const name of wanted) {
    if (!CHECK_FAMILY_NAMES.includes(name)) throw new OptionError(`unknown check family "${name}" (known: ${CHECK_FAMILY_NAMES.join(', ')})`);
  }
  return CHECK_FAMILIES.filter((family) => wanted.has(family.name));
}

