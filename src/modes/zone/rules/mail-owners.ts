import { defineRule } from '../../../core/rule.js';
import type { ProfileName } from '../../../core/settings.js';
import { isRecordOf, txtToString } from '../../../dns/records.js';
import type { DnsRecord } from '../../../dns/records.js';
import { isReverseName } from '../../../dns/reverse.js';
import type { ParsedZone } from '../../../dns/zone-file/types.js';
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
  return records.some((record) => isRecordOf(record, 'TXT') && isSpfRecord(txtToString(record.data, 'latin1'))) ? 'sending-only' : 'none';
}

/**
 * The names zone mode checks: the apex (the zone's own findings are reported there), then every
 * other owner of MX records, and in a reverse zone every owner of PTR records, in file order.
 */
export function ownersToCheck(zone: ParsedZone): string[] {
  const reverse = isReverseName(zone.origin);
  const checked = zone.records.filter((record) => record.type === 'MX' || (reverse && record.type === 'PTR')).map((record) => record.name);
  return [...new Set([zone.origin, ...checked])];
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
