import { recordTypeName } from '../../../dns/zone-data/served-data.js';
import type { ZoneEntry } from '../../../dns/zone-file/types.js';
import { defineZoneRule, zoneOwners } from './zone-rule.js';
import type { OwnedFinding } from './zone-rule.js';

/** Rules about the records at one name: one TTL per RRset, and a CNAME that stands alone. */

/** RRSIG, NSEC: DNSSEC records may stand beside a CNAME (RFC 4035 §2.5) and RRSIGs differ in TTL by what they cover. */
const DNSSEC_TYPES = new Set(['RRSIG', 'NSEC']);

function where(entry: ZoneEntry, file: string): string {
  return entry.location.file === file ? `line ${entry.location.line}` : `${entry.location.file}:${entry.location.line}`;
}

export const rrsetTtlMismatch = defineZoneRule({
  id: 'rrset-ttl-mismatch', family: 'zone', severity: 'warning', rfc: 'RFC 2181 §5.2',
  summary: 'the records of one RRset (same name and type) have different TTLs',
  fix: 'give every record of the RRset the same TTL',
  messages: {
    ttlDiffers: {
      message: '{{name}} {{type}} has TTL {{ttl}} here but {{firstTtl}} at {{firstPlace}}: the records of an RRset share one TTL. Servers settle it differently (BIND keeps the first TTL, Knot the last, NSD warns) and caches treat the RRset as having the lowest.',
      fix: 'give every {{type}} record of {{name}} the same TTL',
    },
  },
}, (facts, report) => {
  const { zone } = facts;
  const findings: OwnedFinding[] = [];
  for (const [, indexes] of zoneOwners(facts)) {
    if (indexes.length < 2) continue;
    /** The first record of each type at this owner, whose TTL the others are held to. */
    const firstOfType = new Map<string, number>();
    for (const index of indexes) {
      const record = zone.records[index]!;
      const type = recordTypeName(record);
      if (DNSSEC_TYPES.has(type)) continue;
      const first = firstOfType.get(type);
      if (first === undefined) firstOfType.set(type, index);
      else if (zone.records[first]!.ttl !== record.ttl) {
        const { location } = zone.entryAt(index);
        findings.push(report(record.name, 'ttlDiffers',
          { name: record.name, type, ttl: record.ttl, firstTtl: zone.records[first]!.ttl, firstPlace: where(zone.entryAt(first), location.file) },
          { location }));
      }
    }
  }
  return findings;
});

/** What cname-and-other-data says; with MX records among the others, its fix says what mail needs. */
const ALIAS_WITH_DATA = '{{owner}} is an alias (CNAME) and has other records too: {{records}}. A CNAME must be the only record at its name: BIND, Knot and NSD refuse to load the zone.';

export const cnameAndOtherData = defineZoneRule({
  id: 'cname-and-other-data', family: 'zone', severity: 'error', rfc: 'RFC 1034 §3.6.2, RFC 2181 §10.1',
  summary: 'a CNAME beside other records (or a second CNAME) at one name: BIND, Knot and NSD refuse the zone',
  fix: 'keep either the CNAME or the other records at that name (an alias cannot carry MX, TXT or anything else)',
  messages: {
    otherRecords: ALIAS_WITH_DATA,
    otherRecordsMx: {
      message: ALIAS_WITH_DATA,
      fix: 'keep either the CNAME or the other records; for mail, publish the MX records at {{owner}} and drop the alias',
    },
  },
}, (facts, report) => {
  const { zone } = facts;
  const findings: OwnedFinding[] = [];
  for (const [owner, indexes] of zoneOwners(facts)) {
    if (indexes.length < 2 || !indexes.some((index) => zone.records[index]!.type === 'CNAME')) continue;
    const entries = indexes.filter((index) => !DNSSEC_TYPES.has(recordTypeName(zone.records[index]!))).map((index) => zone.entryAt(index));
    const cname = entries.find((e) => e.record.type === 'CNAME')!;
    const others = entries.filter((e) => e !== cname);
    if (others.length === 0) continue;
    const file = cname.location.file;
    const records = others.map((e) => `${recordTypeName(e.record)} (${where(e, file)})`).join(', ');
    findings.push(report(owner, others.some((e) => e.record.type === 'MX') ? 'otherRecordsMx' : 'otherRecords', { owner, records }, { location: cname.location }));
  }
  return findings;
});
