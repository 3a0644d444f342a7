import type { DnsRecord } from '../records.js';
import type { SourceLocation, ZoneEntry } from './types.js';

/** Records a zone's columns have room for before they first grow (each growth doubles them). */
const INITIAL_ROOM = 1024;

const RDATA_NAME_RELATIVE = 1;
const RDATA_QUOTED = 2;

/**
 * Where each record of a zone was written and with which origin, one typed column per field: some
 * 25 octets a record, where objects for the two locations and the origin took about 200. A zone of a
 * million records is held beside its records this way; the ZoneEntry of one record is made when asked.
 */
export class EntryPlaces {
  private lines = new Uint32Array(INITIAL_ROOM);
  private columns = new Uint32Array(INITIAL_ROOM);
  private dataLines = new Uint32Array(INITIAL_ROOM);
  private dataColumns = new Uint32Array(INITIAL_ROOM);
  private files = new Uint16Array(INITIAL_ROOM);
  private origins = new Uint32Array(INITIAL_ROOM);
  /** Bit flags per record: RDATA_NAME_RELATIVE, RDATA_QUOTED. */
  private flags = new Uint8Array(INITIAL_ROOM);
  private readonly fileNames = new Interned();
  private readonly originNames = new Interned();
  length = 0;

  add(
    location: SourceLocation, dataLocation: SourceLocation, origin: string, rdataNameRelative: boolean, rdataQuoted: boolean,
  ): void {
    if (this.length === this.lines.length) this.grow();
    const at = this.length++;
    this.lines[at] = location.line;
    this.columns[at] = location.column;
    this.dataLines[at] = dataLocation.line;
    this.dataColumns[at] = dataLocation.column;
    // A record's data is in the file its entry starts in: an entry never spans files.
    this.files[at] = this.fileNames.indexOf(location.file);
    this.origins[at] = this.originNames.indexOf(origin);
    this.flags[at] = (rdataNameRelative ? RDATA_NAME_RELATIVE : 0) | (rdataQuoted ? RDATA_QUOTED : 0);
  }

  /** The entry of the record at `index`, which must be below `length`. */
  entry(index: number, record: DnsRecord): ZoneEntry {
    const file = this.fileNames.at(this.files[index]!);
    return {
      record,
      location: { file, line: this.lines[index]!, column: this.columns[index]! },
      dataLocation: { file, line: this.dataLines[index]!, column: this.dataColumns[index]! },
      origin: this.originNames.at(this.origins[index]!),
      rdataNameRelative: (this.flags[index]! & RDATA_NAME_RELATIVE) !== 0,
      rdataQuoted: (this.flags[index]! & RDATA_QUOTED) !== 0,
    };
  }

  private grow(): void {
    const grown = <T extends Uint32Array | Uint16Array | Uint8Array>(column: T, make: (room: number) => T): T => {
      const bigger = make(column.length * 2);
      bigger.set(column);
      return bigger;
    };
    this.lines = grown(this.lines, (n) => new Uint32Array(n));
    this.columns = grown(this.columns, (n) => new Uint32Array(n));
    this.dataLines = grown(this.dataLines, (n) => new Uint32Array(n));
    this.dataColumns = grown(this.dataColumns, (n) => new Uint32Array(n));
    this.files = grown(this.files, (n) => new Uint16Array(n));
    this.origins = grown(this.origins, (n) => new Uint32Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
  }
}

/** Strings by number, each kept once: the files of a zone, the origins its records were written under. */
class Interned {
  private readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();
  private last = -1;

  indexOf(value: string): number {
    if (this.last !== -1 && this.values[this.last] === value) return this.last;
    let number = this.numbers.get(value);
    if (number === undefined) {
      number = this.values.push(value) - 1;
      this.numbers.set(value, number);
    }
    this.last = number;
    return number;
  }

  at(number: number): string {
    return this.values[number]!;
  }
}
