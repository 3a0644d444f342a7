// Transitional: the rule API before messages by id. Every rule moves to defineRule (core/rule.ts); then this file goes.
import type { Finding, Severity, SourceLocation } from './finding.js';
import type { Rule, RuleMeta } from './rule.js';

export type LegacyRuleMeta = Omit<RuleMeta, 'messages'>;

type MakeFinding = (message: string, target?: string, location?: SourceLocation) => Finding;

export interface LegacyReport extends MakeFinding {
  as(severity: Severity): MakeFinding;
}

export function legacyMeta(meta: LegacyRuleMeta): RuleMeta {
  return { ...meta, messages: {} };
}

export function reporterOf(meta: LegacyRuleMeta): LegacyReport {
  const reporter = (severity: Severity): MakeFinding => (message, target, location) => ({
    rule: meta.id, messageId: 'legacy', severity, message, fix: meta.fix, rfc: meta.rfc,
    ...(target === undefined ? {} : { target }), ...(location === undefined ? {} : { location }),
  });
  return Object.assign(reporter(meta.severity), {
    as(severity: Severity) {
      if (meta.severities?.[severity] === undefined) throw new Error(`rule ${meta.id} does not report ${severity} findings`);
      return reporter(severity);
    },
  });
}

export function defineLegacyRule<Facts>(meta: LegacyRuleMeta, check: (facts: Facts, report: LegacyReport) => Finding[]): Rule<Facts> {
  const report = reporterOf(meta);
  return { meta: legacyMeta(meta), check: (facts) => check(facts, report) };
}
