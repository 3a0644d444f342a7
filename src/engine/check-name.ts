import { compareFindings } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { CheckOptions } from '../core/options.js';
import { statusOf } from '../core/status.js';
import type { LookupSource } from '../dns/lookup.js';
import type { CheckContext } from '../facts/context.js';
import { followChain } from '../facts/chain.js';
import { canonicalDomain, collectMailFactsAfterMx } from '../facts/mail.js';
import type { MailFacts } from '../facts/mail.js';
import { FAMILIES } from '../families/index.js';
import { requestedFamilies } from './validate-options.js';
import type { AnyFamily, FamilySections } from '../families/index.js';
import { mxFields } from '../families/mx/section.js';
import type { DomainResult } from './result.js';

/**
 * One name through the selected check families, whatever answers the questions (the resolver, zone
 * files, one authoritative server), and the result the JSON output prints for it.
 */

/** Where a check's time went: the MX question, the exchanges' addresses, the check families' own work. */
export type CheckPhase = 'mx' | 'exchanges' | 'checks';

/** The MX facts of one valid name and what the selected check families make of them. */
export interface NameCheck {
  facts: MailFacts;
  findings: Finding[];
  sections: FamilySections;
  /** Milliseconds per phase (the exporter reports them). */
  phases: Record<CheckPhase, number>;
}

/**
 * Collects the MX facts of `domain` (canonical form) from `lookups` and runs the selected families on
 * them. A run over many names works out `families` once and passes it.
 */
export async function checkName(lookups: LookupSource, domain: string, options: CheckOptions, families: readonly AnyFamily[] = selectedFamilies(options)): Promise<NameCheck> {
  const started = performance.now();
  const mx = await followChain(lookups, domain, 'MX');
  const mxDone = performance.now();
  const facts = await collectMailFactsAfterMx(lookups, domain, mx);
  const factsDone = performance.now();
  const context: CheckContext = { domain, lookups, mail: facts, options, checks: new Set(families.map((family) => family.name)) };
  const outcomes = await Promise.all(families.map(async (family) => ({ family, outcome: await family.run(context) })));
  const sections: Record<string, unknown> = {};
  for (const { family, outcome } of outcomes) if (outcome.section !== undefined) sections[family.name] = outcome.section;
  return {
    facts,
    findings: outcomes.flatMap(({ outcome }) => outcome.findings),
    sections: sections as FamilySections,
    phases: { mx: mxDone - started, exchanges: factsDone - mxDone, checks: performance.now() - factsDone },
  };
}

/** What a mode adds to a name's result: its own section. */
export type ModeSections = Pick<DomainResult, 'zone' | 'authoritative' | 'postfix'>;

/** The result for a checked name, with the findings given (sorted here) and what else the mode adds. */
export function nameResult(input: string, check: NameCheck, findings: Finding[], started: number, extra: ModeSections = {}): DomainResult {
  const sorted = [...findings].sort(compareFindings);
  return {
    input,
    domain: check.facts.domain,
    canonical: canonicalDomain(check.facts),
    status: statusOf(sorted),
    ...mxFields(check.facts),
    ...extra,
    ...check.sections,
    findings: sorted,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The check families `options` select, in registry order; throws OptionError for an unknown one. */
export function selectedFamilies(options: CheckOptions): AnyFamily[] {
  const wanted = requestedFamilies(options);
  return (FAMILIES as readonly AnyFamily[]).filter((family) => wanted.includes(family.name));
}
