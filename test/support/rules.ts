import { compareFindings } from '../../src/core/finding.js';
import type { Finding } from '../../src/core/finding.js';
import type { Rule } from '../../src/core/rule.js';

/** Every rule's findings on `facts`, in report order. */
export function runRules<Facts>(rules: readonly Rule<Facts>[], facts: Facts): Finding[] {
  return rules.flatMap((rule) => rule.check(facts)).sort(compareFindings);
}
