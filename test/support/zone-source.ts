/**
 * A LookupSource that answers from records the way zone mode does (ZoneLookupSource over
 * answerQuestion: zones from SOA records, NXDOMAIN, NODATA, aliases, wildcards), without sockets:
 * for tests of collectors and rules that need many small scenarios. Chosen questions fail instead.
 *
 *   const source = zoneSource(zoneRecords(zoneText), { 'slow.spf.test TXT': 'timeout' });
 *   const cached = cachedSource(source);   // what a run with the resolver's cache sends on
 */
import { LookupCache } from '../../src/dns/cache.js';
import type { Lookup, LookupFailureKind, LookupSource } from '../../src/dns/lookup.js';
import { canonicalName } from '../../src/dns/name.js';
import type { DnsRecord } from '../../src/dns/records.js';
import { ServedData } from '../../src/dns/zone-data/served-data.js';
import { ZoneLookupSource } from '../../src/modes/zone/zone-source.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { FAKE_SERVER, lookupFailure } from './facts.js';

/** The first lines of a test zone: origin, TTL, SOA, and a name server ns.ORIGIN at a documentation address. */
export function zoneApex(origin: string): string {
  return `$ORIGIN ${origin}.\n$TTL 300\n@ SOA ns hostmaster 1 7200 900 1209600 300\n@ NS ns\nns A 192.0.2.53\n`;
}

/** The records of zone files given as text; a problem in any of them is the test's mistake and throws. */
export function zoneRecords(...texts: string[]): DnsRecord[] {
  return texts.flatMap((text, i) => {
    const zone = readZoneText(text, { file: `zone ${i + 1}` });
    if (zone.problems.length > 0) throw new Error(zone.problems.map((p) => `${p.location.file}:${p.location.line}: ${p.message}`).join('\n'));
    return zone.records;
  });
}

export interface ZoneSource extends LookupSource {
  /** Every question asked, as "name TYPE", in order. */
  readonly asked: string[];
}

/** `failures` maps "name TYPE" to how that lookup fails; a question outside every zone is REFUSED, as from a server. */
export function zoneSource(records: readonly DnsRecord[], failures: Record<string, LookupFailureKind> = {}): ZoneSource {
  const refused: LookupSource = { lookup: (name, type) => Promise.resolve(lookupFailure(canonicalName(name), type.toUpperCase(), 'refused')) };
  const zones = new ZoneLookupSource(new ServedData(records), refused, FAKE_SERVER);
  const asked: string[] = [];
  return {
    asked,
    lookup(name: string, type: string): Promise<Lookup> {
      const question = { name: canonicalName(name), type: type.toUpperCase() };
      const key = `${question.name} ${question.type}`;
      asked.push(key);
      const failure = failures[key];
      return failure === undefined ? zones.lookup(question.name, question.type) : Promise.resolve(lookupFailure(question.name, question.type, failure));
    },
  };
}

/** `source` behind a LookupCache, as the resolver has one: its `asked` is then what a run would send to the network. */
export function cachedSource(source: ZoneSource): ZoneSource {
  const cache = new LookupCache();
  return {
    asked: source.asked,
    lookup: (name, type) => cache.getOrLoad(`${canonicalName(name)} ${type.toUpperCase()}`, () => source.lookup(name, type)),
  };
}
