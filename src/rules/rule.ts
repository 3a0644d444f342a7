import type { Finding, Severity } from '../result.js';

/** The check families `--checks` selects; each rule belongs to one. */
export type CheckFamily = 'mx' | 'dnssec' | 'dane' | 'smtp';

/** What the catalog, the docs and `--list-rules` say about a rule; the id is a public contract. */
export interface RuleMeta {
  id: string;
  family: CheckFamily;
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

/** Makes a finding of this rule: its id, severity and RFC, with the message and target given. */
export type Report = (message: string, target?: string) => Finding;

export function defineRule<Facts>(meta: RuleMeta, check: (facts: Facts, report: Report) => Finding[]): Rule<Facts> {
  const report: Report = (message, target) => ({
    rule: meta.id, severity: meta.severity, message, rfc: meta.rfc, ...(target === undefined ? {} : { target }),
  });
  return { meta, check: (facts) => check(facts, report) };
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, unknown: 1, warning: 2, info: 3 };

/** By severity (error, unknown, warning, info), then rule id, then target. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || compareText(a.rule, b.rule)
    || compareText(a.target ?? '', b.target ?? '');
}

/** Code-unit order, the same on every machine whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
