import type { Finding, Severity } from '../result.js';
import type { SourceLocation } from '../zone/types.js';

/** The check families `--checks` selects. */
export type CheckFamily = 'mx';

/**
 * What a rule belongs to: a check family, or a mode that brings its own rules whatever `--checks`
 * says — zone files (`--zone`) and the authoritative servers (`--authoritative`, `--ns`).
 */
export type RuleFamily = CheckFamily | 'zone' | 'authoritative';

/** What the catalog, the docs and `--list-rules` say about a rule; the id is a public contract. */
export interface RuleMeta {
  id: string;
  family: RuleFamily;
  severity: Severity;
  /** When it fires, in one line. */
  summary: string;
  rfc: string;
  /** What to do about it, in one line. */
  fix: string;
}

/** A pure function from facts to findings: no I/O, so every rule is tested without a network. */
export interface Rule<Facts> {
  meta: RuleMeta;
  check(facts: Facts): Finding[];
}

/** Makes a finding of this rule: its id, severity and RFC, with the message, target and place given. */
export type Report = (message: string, target?: string, location?: SourceLocation) => Finding;

export function reporterOf(meta: RuleMeta): Report {
  return (message, target, location) => ({
    rule: meta.id, severity: meta.severity, message, rfc: meta.rfc,
    ...(target === undefined ? {} : { target }), ...(location === undefined ? {} : { location }),
  });
}

export function defineRule<Facts>(meta: RuleMeta, check: (facts: Facts, report: Report) => Finding[]): Rule<Facts> {
  const report = reporterOf(meta);
  return { meta, check: (facts) => check(facts, report) };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, unknown: 1, warning: 2, info: 3 };

/** By severity (error, unknown, warning, info), then rule id, then target, then place in a zone file. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || compareText(a.rule, b.rule)
    || compareText(a.target ?? '', b.target ?? '')
    || compareLocations(a.location, b.location);
}

function compareLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) return 0;
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** Code-unit order, the same on every machine whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
