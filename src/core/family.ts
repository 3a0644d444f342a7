import type { Finding } from './finding.js';
import type { Rule, RuleMeta } from './rule.js';

/** One line of a family in the text report: "SPF v=spf1 mx -all (1 of 10 DNS lookups)". */
export interface SectionLine {
  /** The family as people write it: SPF, DMARC, MTA-STS … */
  label: string;
  text: string;
  /** Where it was found, or where the connection went: shown dimmed, in parentheses. */
  note?: string;
}

/** A TXT record a family read, and the name it was read at. */
export interface RecordPlace {
  name: string;
  text: string;
}

/**
 * A check family (`--checks NAME`): how it gathers its facts, the rules that judge them, what it
 * adds to the JSON result under its own name, and its lines in the text report. `Context` is what
 * every collector is given (the engine's CheckContext).
 */
export interface FamilyDefinition<Name extends string, Context, Facts, Section, Id extends string = string> {
  name: Name;
  /** What it checks, in one line (docs, --list-rules). */
  summary: string;
  collect(context: Context): Promise<Facts>;
  /** Its rules: each must belong to this family. */
  rules: readonly Rule<Facts, RuleMeta<Id, NoInfer<Name>>>[];
  /** Its section of the result, `result[name]`; a family without one (mx: its facts are the result's own fields) returns undefined. */
  section(facts: Facts): Section;
  /** Its lines in the text report, read from its section only. */
  text(section: Section): SectionLine[];
  /**
   * The record its findings are about, when it read one from a TXT record of its own: zone mode
   * points those findings at that record's line. `domain` is the name checked.
   */
  recordPlace?(section: Section, domain: string): RecordPlace | undefined;
}

/** What a family's run gives: its findings, and its section of the result. */
export interface FamilyOutcome<Section> {
  findings: Finding[];
  section: Section;
}

/** A family with its facts type sealed inside, so families of different facts sit in one list. */
export interface Family<Name extends string, Context, Section, Id extends string = string> {
  name: Name;
  summary: string;
  rules: readonly RuleMeta<Id, Name>[];
  run(context: Context): Promise<FamilyOutcome<Section>>;
  text(section: Section): SectionLine[];
  recordPlace?(section: Section, domain: string): RecordPlace | undefined;
}

export function defineFamily<const Name extends string, Context, Facts, Section, const Id extends string>(
  definition: FamilyDefinition<Name, Context, Facts, Section, Id>): Family<Name, Context, Section, Id> {
  return {
    name: definition.name,
    summary: definition.summary,
    rules: definition.rules.map((rule) => rule.meta),
    async run(context) {
      const facts = await definition.collect(context);
      return { findings: definition.rules.flatMap((rule) => rule.check(facts)), section: definition.section(facts) };
    },
    text: definition.text,
    ...(definition.recordPlace ? { recordPlace: definition.recordPlace } : {}),
  };
}
