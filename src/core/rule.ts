import type { Finding, Severity, SharedSubject, SourceLocation } from './finding.js';
import { compareSeverities } from './finding.js';

/**
 * A message of a rule: a template whose `{{name}}` placeholders the rule fills with what it found,
 * and, where the general fix of the rule is not specific enough, a fix template of its own.
 */
export type MessageSpec = string | { message: string; fix: string };

export type Messages = Readonly<Record<string, MessageSpec>>;

/**
 * What the catalog, the docs and `--list-rules` say about a rule; the id and the message ids are a
 * public contract. `Family` is a check family (`--checks NAME`) or a mode that brings its own rules
 * whatever `--checks` says: zone files (`zone`), the authoritative servers (`authoritative`), a
 * Postfix configuration (`postfix`).
 */
export interface RuleMeta<Id extends string = string, Family extends string = string, M extends Messages = Messages> {
  id: Id;
  family: Family;
  /** The severity of its findings; for a rule with `severities`, the highest of them. */
  severity: Severity;
  /**
   * Only for a rule whose findings differ in severity with what they found: every severity it
   * reports, each with when (e.g. `+all` an error, `?all` a warning).
   */
  severities?: Partial<Record<Severity, string>>;
  /** When it fires, in one line. */
  summary: string;
  rfc: string;
  /** What to do about it, in one line: the fix of every message that has none of its own. */
  fix: string;
  messages: M;
}

type TemplateText<S extends MessageSpec> = S extends string ? S : S extends { message: infer T extends string; fix: infer F extends string } ? T | F : never;
type Placeholders<T extends string> = T extends `${string}{{${infer Name}}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The values a message's placeholders take: every placeholder, no other key. */
export type MessageData<S extends MessageSpec> = { readonly [Name in Placeholders<TemplateText<S>>]: string | number };

/** Where a finding points, and its severity when the rule reports more than one. */
export interface FindingPlace {
  /** The name concerned (an exchange, an included domain). */
  target?: string;
  location?: SourceLocation;
  /** One of the rule's `severities`; default its `severity`. */
  severity?: Severity;
  /** What many checked names can share, when the finding is about it (see Finding.shared). */
  shared?: SharedSubject;
}

/** Makes a finding of one rule: `report('messageId', { placeholder: value }, { target })`. */
export type Report<M extends Messages> = <K extends keyof M & string>(messageId: K, data: MessageData<M[K]>, place?: FindingPlace) => Finding;

/** A pure function from facts to findings: no I/O, so every rule is tested without a network. */
export interface Rule<Facts, Meta extends RuleMeta = RuleMeta> {
  meta: Meta;
  check(facts: Facts): Finding[];
}

const PLACEHOLDER = /\{\{([A-Za-z0-9_]+)\}\}/g;

/** A template with its placeholders filled; a placeholder without a value is a bug in the rule, and says so. */
export function fillTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`no value for {{${name}}} in "${template}"`);
    return String(value);
  });
}

/** The finding of `meta`'s message `messageId`, filled with `data`: the one way a finding is made. */
export function findingOf<M extends Messages, K extends keyof M & string>(meta: RuleMeta<string, string, M>, messageId: K, data: MessageData<M[K]>, place: FindingPlace = {}): Finding {
  const spec: MessageSpec | undefined = meta.messages[messageId];
  if (spec === undefined) throw new Error(`rule ${meta.id} has no message "${messageId}"`);
  const severity = place.severity ?? meta.severity;
  if (severity !== meta.severity && meta.severities?.[severity] === undefined) throw new Error(`rule ${meta.id} does not report ${severity} findings`);
  const values = data as Readonly<Record<string, string | number>>;
  return {
    rule: meta.id, messageId, severity,
    message: fillTemplate(typeof spec === 'string' ? spec : spec.message, values),
    fix: fillTemplate(typeof spec === 'string' ? meta.fix : spec.fix, values),
    rfc: meta.rfc,
    ...(place.target === undefined ? {} : { target: place.target }),
    ...(place.location === undefined ? {} : { location: place.location }),
    ...(place.shared === undefined ? {} : { shared: place.shared }),
  };
}

/** The metadata of a rule reported outside a pure check (invalid input, a lookup a mode makes), with its literal types kept. */
export function defineMeta<const Id extends string, const Family extends string, const M extends Messages>(meta: RuleMeta<Id, Family, M>): RuleMeta<Id, Family, M> {
  return meta;
}

/** A rule: its metadata and messages, and the check that reports through them. */
export function defineRule<Facts, const Id extends string = string, const Family extends string = string, const M extends Messages = Messages>(
  meta: RuleMeta<Id, Family, M>, check: (facts: Facts, report: Report<M>) => Finding[]): Rule<Facts, RuleMeta<Id, Family, M>> {
  const report: Report<M> = (messageId, data, place) => findingOf(meta, messageId, data, place);
  return { meta, check: (facts) => check(facts, report) };
}

/** "error", or for a rule whose findings vary, every severity it reports: "error or warning". */
export function severityLabel(meta: RuleMeta): string {
  if (meta.severities === undefined) return meta.severity;
  return (Object.keys(meta.severities) as Severity[]).sort(compareSeverities).join(' or ');
}
