import type { ServedData } from '../../../dns/authority/served-data.js';
import type { Finding } from '../../../core/finding.js';
import type { ParsedZone } from '../../../dns/zone-file/types.js';
import type { SourceLocation } from '../../../core/finding.js';
import { reporterOf } from '../../../core/legacy-rule.js';
import type { LegacyRuleMeta } from '../../../core/legacy-rule.js';

/** What the zone-file rules judge: one zone as read, and every zone checked with it, as served. */
export interface ZoneFacts {
  zone: ParsedZone;
  /** All zone files of the run, indexed as their servers would answer from them. */
  served: ServedData;
}

/** A finding about a zone file, with the owner it concerns (null: the zone as a whole). */
export interface OwnedFinding {
  owner: string | null;
  finding: Finding;
}

export interface ZoneRule {
  meta: LegacyRuleMeta;
  check(facts: ZoneFacts): OwnedFinding[];
}

/** Makes a finding of this rule at `location`, about `owner`, optionally naming a target (an exchange). */
export type ZoneReport = (owner: string | null, location: SourceLocation, message: string, target?: string) => OwnedFinding;

export function defineZoneRule(meta: LegacyRuleMeta, check: (facts: ZoneFacts, report: ZoneReport) => OwnedFinding[]): ZoneRule {
  const report = reporterOf(meta);
  const zoneReport: ZoneReport = (owner, location, message, target) => ({ owner, finding: report(message, target, location) });
  return { meta, check: (facts) => check(facts, zoneReport) };
}
