import type { Finding, Severity } from '../engine/result.js';
import type { SourceLocation } from '../dns/zone-file/types.js';

/** The check families `--checks` selects. */
export type CheckFamily = 'mx' | 'spf' | 'dmarc' | 'mta-sts' | 'tlsrpt' | 'dnssec' | 'dane' | 'ptr' | 'smtp' | 'dnsbl';

/**
 * What a rule belongs to: a check family, or a mode that brings its own rules whatever `--checks`
 * says — zone files (`--zone`), the authoritative servers (`--authoritative`, `--ns`) and a Postfix
 * configuration (`mxlint postfix`).
 */
export type RuleFamily = CheckFamily | 'zone' | 'authoritative' | 'postfix';

/** What the catalog, the docs and `--list-rules` say about a rule; the id is a public contract. */
export interface RuleMeta {
  id: string;
  family: RuleFamily;
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
  /** What to do about it, in one line. */
  fix: string;
}

/** A pure function from facts to findings: no I/O, so every rule is tested without a network. */
export interface Rule<Facts> {
  meta: RuleMeta;
  check(facts: Facts): Finding[];
}

type MakeFinding = (message: string, target?: string, location?: SourceLocation) => Finding;

/** Makes a finding of this rule: its id, severity and RFC, with the message, target and place given. */
export interface Report extends MakeFinding {
  /** A finding of another of the rule's `severities`. */
  as(severity: Severity): MakeFinding;
}

export function reporterOf(meta: RuleMeta): Report {
  const reporter = (severity: Severity): MakeFinding => (message, target, location) => ({
    rule: meta.id, severity, message, rfc: meta.rfc,
    ...(target === undefined ? {} : { target }), ...(location === undefined ? {} : { location }),
  });
  return Object.assign(reporter(meta.severity), {
    as(severity: Severity) {
      if (meta.severities?.[severity] === undefined) throw new Error(`rule ${meta.id} does not report ${severity} findings`);
      return reporter(severity);
    },
  });
}

export function defineRule<Facts>(meta: RuleMeta, check: (facts: Facts, report: Report) => Finding[]): Rule<Facts> {
  const report = reporterOf(meta);
  return { meta, check: (facts) => check(facts, report) };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, unknown: 1, warning: 2, info: 3 };

/** "error", or for a rule whose findings vary, every severity it reports: "error or warning". */
export function severityLabel(meta: RuleMeta): string {
  if (meta.severities === undefined) return meta.severity;
  return (Object.keys(meta.severities) as Severity[]).sort((a, b) => SEVERITY_ORDER[a] - SEVERITY_ORDER[b]).join(' or ');
}

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
