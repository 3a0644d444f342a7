import type { LookupSource } from '../dns/lookup.js';
import type { CheckOptions } from '../engine/domains.js';
import type { MailFacts } from '../facts/mail.js';
import type { Finding } from '../engine/result.js';
import type { CheckFamily, Rule, RuleMeta } from './rule.js';

/** What every family's collector gets: the domain, a source of answers, and the MX facts already gathered. */
export interface CheckContext {
  /** A valid domain name: A-label form, lower-case, no trailing dot. */
  domain: string;
  lookups: LookupSource;
  /** Always collected first: most families need the exchanges (PTR, DANE, SMTP, MTA-STS …). */
  mail: MailFacts;
  /** The whole check's options; a family reads its own settings here (ports, trust anchors, lists). */
  options: CheckOptions;
}

/**
 * A check family (`--checks NAME`): how it gathers its facts, the rules that judge them, and what
 * it adds to the JSON result under its own name.
 */
export interface CheckFamilyDefinition<Facts> {
  name: CheckFamily;
  collect(context: CheckContext): Promise<Facts>;
  rules: readonly Rule<Facts>[];
  /** The family's section of the result (result[name]); families without one leave it out. */
  section?(facts: Facts): unknown;
}

export interface FamilyOutcome {
  findings: Finding[];
  section?: unknown;
}

/** A family with its facts type sealed inside, so families of different facts sit in one list. */
export interface CheckFamilyRunner {
  name: CheckFamily;
  rules: readonly RuleMeta[];
  run(context: CheckContext): Promise<FamilyOutcome>;
}

export function defineFamily<Facts>(definition: CheckFamilyDefinition<Facts>): CheckFamilyRunner {
  return {
    name: definition.name,
    rules: definition.rules.map((rule) => rule.meta),
    async run(context) {
      const facts = await definition.collect(context);
      const findings = definition.rules.flatMap((rule) => rule.check(facts));
      return definition.section ? { findings, section: definition.section(facts) } : { findings };
    },
  };
}
