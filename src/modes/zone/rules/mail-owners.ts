import { defineRule } from '../../../core/rule.js';
import type { ProfileName } from '../../../core/settings.js';
import { isRecordOf, txtToString } from '../../../dns/records.js';
import type { DnsRecord } from '../../../dns/records.js';
import { isReverseName } from '../../../dns/reverse.js';
import type { ParsedZone, ZoneProblem } from '../../../dns/zone-file/types.js';
import { countedNames } from '../../../families/common/names.js';
import { isSpfRecord } from '../../../facts/spf/record.js';

/**
 * Which names of a zone file are mail domains, and what for, as their records say: zone mode judges
 * only those as mail domains (docs/profiles.md#zone-mode).
 */

/**
 * The profile an owner's records (those of its zone file) suggest when no setting names one: MX
 * records (only a null MX: `parked`; else `receiving`), or an SPF record without MX
 * (`sending-only`); `none` when it has neither, so it is no mail domain. Names of the reverse trees
 * are `reverse` whatever they have.
 */
export function guessedProfile(owner: string, records: readonly DnsRecord[]): ProfileName | 'none' {
  if (isReverseName(owner)) return 'reverse';
  const exchanges = records.flatMap((record) => (isRecordOf(record, 'MX') ? [record.data.exchange] : []));
  if (exchanges.length > 0) return exchanges.every((exchange) => exchange === '.') ? 'parked' : 'receiving';
  return records.some((record) => isRecordOf(record, 'TXT') && isSpfRecord(txtToString(record.data))) ? 'sending-only' : 'none';
}

/**
 * The names zone mode checks: the apex (the zone's own findings are reported there), then every
 * other owner of MX records, and in a reverse zone every owner of PTR records, in file order —
 * owners whose MX records could not be read too (`sales MX mx1`): they were meant to receive mail,
 * and their result shows why they cannot.
 */
export function ownersToCheck(zone: ParsedZone): string[] {
  const reverse = isReverseName(zone.origin);
  const broken = unreadableMxProblems(zone);
  if (broken.length === 0) {
    const checked = zone.records.filter((record) => record.type === 'MX' || (reverse && record.type === 'PTR')).map((record) => record.name);
    return [...new Set([zone.origin, ...checked])];
  }
  // Owners of unreadable MX records join those of the records read, in file order: the places of the
  // records are looked up only here, for the few zones with such a problem.
  const fileOrder = [...zone.sources.keys()];
  const written = [
    ...zone.records.flatMap((record, index) => (record.type === 'MX' || (reverse && record.type === 'PTR') ? [{ owner: record.name, location: zone.entryAt(index).location }] : [])),
    ...broken.map(({ owner, location }) => ({ owner, location })),
  ].sort((a, b) => fileOrder.indexOf(a.location.file) - fileOrder.indexOf(b.location.file) || a.location.line - b.location.line);
  return [...new Set([zone.origin, ...written.map(({ owner }) => owner)])];
}

/**
 * The MX records of the zone that could not be read (`sales MX mx1`), with their owners: those
 * owners were meant to receive mail all the same. A record outside the zone is not served (the
 * reader says so) and its owner gets no result.
 */
export function unreadableMxProblems(zone: ParsedZone): (ZoneProblem & { owner: string })[] {
  return zone.problems.filter((problem): problem is ZoneProblem & { owner: string } => (
    problem.type === 'MX' && problem.owner !== undefined && isInZone(problem.owner, zone.origin)
  ));
}

function isInZone(owner: string, origin: string): boolean {
  return origin === '.' || owner === origin || owner.endsWith(`.${origin}`);
}

export interface ApexFacts {
  domain: string;
  file: string;
  /** The zone's other names checked as mail domains. */
  mailOwners: string[];
}

export const zoneApexNoMail = defineRule({
  id: 'zone-apex-no-mail', family: 'zone', severity: 'info', rfc: 'RFC 5321 §5.1',
  summary: 'the zone apex has no MX and no SPF record: it is not checked as a mail domain',
  fix: 'nothing if it takes and sends no mail; else publish its MX (and SPF) records, or name its profile (--profile, or "domains" in mxlint.config.json) to check it as one',
  messages: {
    noMail: '{{domain}} has no MX and no SPF record in {{file}}, so it is not checked as a mail domain.',
    otherOwners: '{{domain}} has no MX and no SPF record in {{file}}, so it is not checked as a mail domain; the zone\'s mail domains are {{owners}}.',
  },
}, (facts: ApexFacts, report) => [facts.mailOwners.length === 0
  ? report('noMail', { domain: facts.domain, file: facts.file })
  : report('otherOwners', { domain: facts.domain, file: facts.file, owners: countedNames(facts.mailOwners) })]);
