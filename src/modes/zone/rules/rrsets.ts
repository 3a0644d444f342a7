import { recordTypeName } from '../../../dns/zone-data/served-data.js';
import type { ParsedZone, ZoneEntry } from '../../../dns/zone-file/types.js';
import { defineZoneRule, zoneOwners } from './zone-rule.js';

/** Rules about the records at one name: one TTL per RRset, and a CNAME that stands alone. */

/** RRSIG, NSEC: DNSSEC records may stand beside a CNAME (RFC 4035 §2.5) and RRSIGs differ in TTL by what they cover. */
const DNSSEC_TYPES = new Set(['RRSIG', 'NSEC']);

/** The entries of one owner's records by type, DNSSEC types left out. */
function byType(zone: ParsedZone, indexes: readonly number[]): Map<string, ZoneEntry[]> {
  const groups = new Map<string, ZoneEntry[]>();
  for (const index of indexes) {
    const type = recordTypeName(zone.records[index]!);
    if (DNSSEC_TYPES.has(type)) continue;
    const entry = zone.entryAt(index);
    const group = groups.get(type);
    if (group) group.push(entry);
    else groups.set(type, [entry]);
  }
  return groups;
}

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
}, (facts, report) => [...zoneOwners(facts)].flatMap(([, indexes]) => {
  if (indexes.length < 2) return [];
  return [...byType(facts.zone, indexes).values()].flatMap((rrset) => {
    const [first, ...rest] = rrset;
    return rest.filter((entry) => entry.record.ttl !== first!.record.ttl).map((entry) => {
      const { name, ttl } = entry.record;
      return report(name, 'ttlDiffers',
        { name, type: recordTypeName(entry.record), ttl, firstTtl: first!.record.ttl, firstPlace: where(first!, entry.location.file) },
        { location: entry.location });
    });
  });
}));

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
}, (facts, report) => [...zoneOwners(facts)].flatMap(([owner, indexes]) => {
  if (indexes.length < 2 || !indexes.some((index) => facts.zone.records[index]!.type === 'CNAME')) return [];
  const entries = indexes.filter((index) => !DNSSEC_TYPES.has(recordTypeName(facts.zone.records[index]!))).map((index) => facts.zone.entryAt(index));
  const cname = entries.find((e) => e.record.type === 'CNAME');
  if (cname === undefined) return [];
  const others = entries.filter((e) => e !== cname);
  if (others.length === 0) return [];
  const file = cname.location.file;
  const records = others.map((e) => `${recordTypeName(e.record)} (${where(e, file)})`).join(', ');
  return [report(owner, others.some((e) => e.record.type === 'MX') ? 'otherRecordsMx' : 'otherRecords', { owner, records }, { location: cname.location })];
}));
