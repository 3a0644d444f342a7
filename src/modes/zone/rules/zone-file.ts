import type { ParsedZone, ZoneProblem, ZoneProblemCode } from '../../../dns/zone-file/types.js';
import type { Finding } from '../../../core/finding.js';
import { defineMeta, findingOf } from '../../../core/rule.js';
import { defineZoneRule } from './zone-rule.js';
import type { OwnedFinding } from './zone-rule.js';

/** What the reader itself finds: entries that cannot be read, and MX records written wrong. */

export const zoneSyntax = defineMeta({
  id: 'zone-syntax', family: 'zone', severity: 'error', rfc: 'RFC 1035 §5.1, §5.2, RFC 3597 §5',
  summary: 'a zone-file entry cannot be read (syntax, a bad value, an $INCLUDE that fails) or the zone has no SOA: name servers refuse to load the zone',
  fix: 'correct the entry at the line shown; the message names what is wrong there',
  messages: {
    // The reader's own words: what is wrong in the entry, and the fix where it can say it exactly.
    badEntry: { message: '{{problem}}', fix: '{{fix}}' },
    noSoa: {
      message: 'the zone {{origin}} has no SOA record at its origin: name servers refuse to load it.',
      fix: 'put "@ SOA primary-ns hostmaster serial refresh retry expire minimum" at the top, or check the origin (--origin, $ORIGIN)',
    },
  },
});

export const mxPreferenceMissing = defineMeta({
  id: 'mx-preference-missing', family: 'zone', severity: 'error', rfc: 'RFC 1035 §3.3.9',
  summary: 'an MX record without its preference (sales MX mx1): name servers refuse the zone',
  fix: 'write the preference before the exchange: sales MX 10 mx1',
  messages: { noPreference: { message: '{{problem}}', fix: '{{fix}}' } },
});

export const mxPreferenceRange = defineMeta({
  id: 'mx-preference-range', family: 'zone', severity: 'error', rfc: 'RFC 1035 §3.3.9',
  summary: 'an MX preference outside 0–65535 (NSD silently wraps 70000 to 4464, others refuse the zone)',
  fix: 'give a preference from 0 to 65535; lower is tried first',
  messages: { outOfRange: '{{problem}}' },
});

export const zoneTtlMissing = defineMeta({
  id: 'zone-ttl-missing', family: 'zone', severity: 'warning', rfc: 'RFC 2308 §4, RFC 1035 §5.1',
  summary: 'no $TTL before a record that gives no TTL: servers load the zone but guess the TTL (named-checkzone warns), and they guess differently',
  fix: 'put "$TTL 3600" (or the default TTL meant) at the top of the file',
  messages: { guessed: { message: '{{problem}}', fix: '{{fix}}' } },
});

/** Each problem the reader reports as a finding of its rule, with the reader's message. */
const PROBLEM_FINDINGS: Record<ZoneProblemCode, (problem: ZoneProblem) => Finding> = {
  'zone-syntax': ({ message, fix, location }) => findingOf(zoneSyntax, 'badEntry', { problem: message, fix: fix ?? zoneSyntax.fix }, { location }),
  'mx-preference-missing': ({ message, fix, location }) => findingOf(mxPreferenceMissing, 'noPreference', { problem: message, fix: fix ?? mxPreferenceMissing.fix }, { location }),
  'mx-preference-range': ({ message, location }) => findingOf(mxPreferenceRange, 'outOfRange', { problem: message }, { location }),
  'zone-ttl-missing': ({ message, fix, location }) => findingOf(zoneTtlMissing, 'guessed', { problem: message, fix: fix ?? zoneTtlMissing.fix }, { location }),
};

const SOA = 'SOA';

/** Every problem the reader reported, as a finding of its rule at its place. */
export function readerFindings(zone: ParsedZone): OwnedFinding[] {
  return zone.problems.map((problem) => ({ owner: problem.owner ?? null, finding: PROBLEM_FINDINGS[problem.code](problem) }));
}

/** RFC 1035 §5.2: a zone starts with its SOA; servers refuse one without. */
export const zoneWithoutSoa = defineZoneRule(zoneSyntax, ({ zone }, report) => {
  if (zone.records.some((record) => record.type === SOA && record.name === zone.origin)) return [];
  return [report(null, 'noSoa', { origin: zone.origin }, { location: { file: zone.file, line: 1, column: 1 } })];
});
