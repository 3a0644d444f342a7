import type { ServedData } from '../../../dns/zone-data/served-data.js';
import type { Finding } from '../../../core/finding.js';
import type { ParsedZone } from '../../../dns/zone-file/types.js';
import type { SourceLocation } from '../../../core/finding.js';
import { findingOf } from '../../../core/rule.js';
import type { MessageData, Messages, RuleMeta } from '../../../core/rule.js';

/** What the zone-file rules judge: one zone as read, and every zone checked with it, as served. */
export interface ZoneFacts {
  zone: ParsedZone;
  /** All zone files of the run, indexed as their servers would answer from them. */
  served: ServedData;
  /** Where this zone's records begin among those `served` was given (after the zones before it). */
  first: number;
}

/** The records of each owner in this zone, as indexes into `zone.records`, in the order first written. */
export function* zoneOwners({ zone, served, first }: ZoneFacts): Generator<[string, number[]]> {
  const end = first + zone.records.length;
  for (const owner of served.owners()) {
    const indexes: number[] = [];
    for (const position of served.positionsAt(owner)) if (position >= first && position < end) indexes.push(position - first);
    if (indexes.length > 0) yield [owner, indexes];
  }
}

/** A finding about a zone file, with the owner it concerns (null: the zone as a whole). */
export interface OwnedFinding {
  owner: string | null;
  finding: Finding;
}

export interface ZoneRule<Meta extends RuleMeta = RuleMeta> {
  meta: Meta;
  check(facts: ZoneFacts): OwnedFinding[];
}

/** Where a zone finding points: always a place in a file, optionally a target (an exchange). */
export interface ZonePlace {
  location: SourceLocation;
  target?: string;
}

/** Makes a finding of this rule about `owner`: `report(owner, 'messageId', { placeholder: value }, { location })`. */
export type ZoneReport<M extends Messages> = <K extends keyof M & string>(owner: string | null, messageId: K, data: MessageData<M[K]>, place: ZonePlace) => OwnedFinding;

export function defineZoneRule<const Id extends string, const Family extends string, const M extends Messages>(
  meta: RuleMeta<Id, Family, M>, check: (facts: ZoneFacts, report: ZoneReport<M>) => OwnedFinding[]): ZoneRule<RuleMeta<Id, Family, M>> {
  const report: ZoneReport<M> = (owner, messageId, data, place) => ({ owner, finding: findingOf(meta, messageId, data, place) });
  return { meta, check: (facts) => check(facts, report) };
}
