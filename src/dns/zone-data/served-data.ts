import { rrtypeName } from '../rr/types.js';
import { canonicalName, isSubdomainOf } from '../name.js';
import { isRecordOf, type DnsRecord, type KnownRecordType, type RecordOf } from '../records.js';

/** The mnemonic a record is asked for by: "MX", or e.g. "TYPE65280" for an opaque record. */
export function recordTypeName(record: DnsRecord): string {
  return record.type === 'OPAQUE' ? rrtypeName(record.rrtype) : record.type;
}

/** The name one label up: "a.example" → "example" → "."; the root has none. */
export function parentName(name: string): string | undefined {
  if (name === '.') return undefined;
  const dot = name.indexOf('.');
  return dot === -1 ? '.' : name.slice(dot + 1);
}

/** Every name from the one just below `apex` down to `name` itself, `name` being inside `apex`. */
export function namesBelowApex(apex: string, name: string): string[] {
  const chain: string[] = [];
  for (let current: string | undefined = name; current !== undefined && current !== apex; current = parentName(current)) {
    chain.unshift(current);
  }
  return chain;
}

/**
 * The records an authoritative server serves — the in-process test server's, or zone files under
 * check — indexed the way such a server looks them up. Zones are the owners of SOA records; a name
 * exists when it owns records or lies above one that does (an empty non-terminal, RFC 8020).
 */
export class ServedData {
  /** The records, their names canonical, in the order given (never changed). */
  private readonly records: readonly DnsRecord[];
  /** The position in `records` of each owner's first record... */
  private readonly firstOfOwner = new Map<string, number>();
  /** ...and of the record after each one at the same owner (-1: none): no list of its own per owner. */
  private readonly nextOfOwner: Int32Array;
  /** Names that own nothing but lie above a name that does (RFC 8020 empty non-terminals). */
  private readonly emptyNonTerminals = new Set<string>();
  /** Longest first, so the first match is the closest enclosing zone. */
  private readonly apexes: string[];

  /** `apexes`: the zones served; by default the owners of the SOA records. */
  constructor(records: readonly DnsRecord[], apexes?: readonly string[]) {
    // Zone files give canonical names already: their records, and the list of them, are kept as given.
    const canonical = (record: DnsRecord): boolean => canonicalName(record.name) === record.name;
    this.records = records.every(canonical)
      ? records as DnsRecord[]
      : records.map((record) => (canonical(record) ? record : { ...record, name: canonicalName(record.name) } as DnsRecord));
    this.nextOfOwner = new Int32Array(this.records.length).fill(-1);
    const lastOfOwner = new Map<string, number>();
    this.records.forEach(({ name: owner }, position) => {
      const last = lastOfOwner.get(owner);
      lastOfOwner.set(owner, position);
      if (last !== undefined) this.nextOfOwner[last] = position;
      else this.firstOfOwner.set(owner, position);
    });
    for (const owner of this.firstOfOwner.keys()) {
      for (let name = parentName(owner); name !== undefined && !this.exists(name); name = parentName(name)) this.emptyNonTerminals.add(name);
    }
    const zones = apexes ?? records.filter((record) => record.type === 'SOA').map((record) => record.name);
    this.apexes = [...new Set(zones.map(canonicalName))].sort((a, b) => b.length - a.length);
  }

  /**
   * The apex of the zone that answers for `name`: the closest enclosing one, except that DS lives on
   * the parent side of a zone cut (RFC 4035 §3.1.4.1), so DS at an apex goes to the parent zone when
   * it is served too.
   */
  zoneFor(name: string, qtype: string): string | undefined {
    const enclosing = this.apexes.filter((apex) => isSubdomainOf(name, apex));
    if (qtype === 'DS' && enclosing[0] === name && enclosing.length > 1) return enclosing[1];
    return enclosing[0];
  }

  recordsAt(name: string): DnsRecord[] {
    const records: DnsRecord[] = [];
    for (let position = this.firstOfOwner.get(name) ?? -1; position !== -1; position = this.nextOfOwner[position]!) records.push(this.records[position]!);
    return records;
  }

  /** Where the records of `name` are in the list given, in its order. */
  positionsAt(name: string): number[] {
    const positions: number[] = [];
    for (let position = this.firstOfOwner.get(name) ?? -1; position !== -1; position = this.nextOfOwner[position]!) positions.push(position);
    return positions;
  }

  /** Every owner, in the order first given. */
  owners(): IterableIterator<string> {
    return this.firstOfOwner.keys();
  }

  recordsOf<T extends KnownRecordType>(name: string, type: T): RecordOf<T>[] {
    const records: RecordOf<T>[] = [];
    for (let position = this.firstOfOwner.get(name) ?? -1; position !== -1; position = this.nextOfOwner[position]!) {
      const record = this.records[position]!;
      if (isRecordOf(record, type)) records.push(record);
    }
    return records;
  }

  exists(name: string): boolean {
    return this.firstOfOwner.has(name) || this.emptyNonTerminals.has(name);
  }
}
