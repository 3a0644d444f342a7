import type { ParsedZone, ZoneProblemCode } from '../../../dns/zone-file/types.js';
import { reporterOf } from '../../../core/legacy-rule.js';
import type { LegacyRuleMeta } from '../../../core/legacy-rule.js';
import { defineZoneRule } from './zone-rule.js';
import type { OwnedFinding, ZoneRule } from './zone-rule.js';

/** What the reader itself finds: entries that cannot be read, and MX records written wrong. */

export const zoneSyntax: LegacyRuleMeta = {
  id: 'zone-syntax', family: 'zone', severity: 'error', rfc: 'RFC 1035 §5.1',
  summary: 'a zone-file entry cannot be read (syntax, a bad value, an $INCLUDE that fails) or the zone has no SOA: name servers refuse to load the zone',
  fix: 'correct the entry at the line shown; the message names what is wrong there',
};

export const mxPreferenceMissing: LegacyRuleMeta = {
  id: 'mx-preference-missing', family: 'zone', severity: 'error', rfc: 'RFC 1035 §3.3.9',
  summary: 'an MX record without its preference (sales MX mx1): name servers refuse the zone',
  fix: 'write the preference before the exchange: sales MX 10 mx1',
};

export const mxPreferenceRange: LegacyRuleMeta = {
  id: 'mx-preference-range', family: 'zone', severity: 'error', rfc: 'RFC 1035 §3.3.9',
  summary: 'an MX preference outside 0–65535 (NSD silently wraps 70000 to 4464, others refuse the zone)',
  fix: 'give a preference from 0 to 65535; lower is tried first',
};

const PROBLEM_RULES: Record<ZoneProblemCode, LegacyRuleMeta> = {
  'zone-syntax': zoneSyntax,
  'mx-preference-missing': mxPreferenceMissing,
  'mx-preference-range': mxPreferenceRange,
};

const SOA = 'SOA';

/** Every problem the reader reported, as a finding of its rule at its place. */
export function readerFindings(zone: ParsedZone): OwnedFinding[] {
  return zone.problems.map((problem) => ({
    owner: problem.owner ?? null,
    finding: reporterOf(PROBLEM_RULES[problem.code])(problem.message, undefined, problem.location),
  }));
}

/** RFC 1035 §5.2: a zone starts with its SOA; servers refuse one without. */
export const zoneWithoutSoa: ZoneRule = defineZoneRule(zoneSyntax, ({ zone }, report) => {
  if (zone.entries.some(({ record }) => record.type === SOA && record.name === zone.origin)) return [];
  return [report(null, { file: zone.file, line: 1, column: 1 },
    `the zone ${zone.origin} has no SOA record at its origin: name servers refuse to load it (RFC 1035 §5.2). Put "@ SOA primary-ns hostmaster serial refresh retry expire minimum" at the top, or check the origin (--origin, $ORIGIN).`)];
});
