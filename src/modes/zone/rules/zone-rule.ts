import type { ServedData } from '../../../dns/authority/served-data.js';
import type { Finding } from '../../../engine/result.js';
import type { ParsedZone, SourceLocation } from '../../../dns/zone-file/types.js';
import { reporterOf } from '../../../core/rule.js';
import type { RuleMeta } from '../../../core/rule.js';

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
  meta: RuleMeta;
  check(facts: ZoneFacts): OwnedFinding[];
}

/** Makes a finding of this rule at `location`, about `owner`, optionally naming a target (an exchange). */
export type ZoneReport = (owner: string | null, location: SourceLocation, message: string, target?: string) => OwnedFinding;

export function defineZoneRule(meta: RuleMeta, check: (facts: ZoneFacts, report: ZoneReport) => OwnedFinding[]): ZoneRule {
  const report = reporterOf(meta);
  const zoneReport: ZoneReport = (owner, location, message, target) => ({ owner, finding: report(message, target, location) });
  return { meta, check: (facts) => check(facts, zoneReport) };
}
