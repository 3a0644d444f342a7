import type { DnsRecord } from '../records.js';
import type { SourceLocation, ZoneEntry } from './types.js';

/** Records a zone's columns have room for before they first grow (each growth doubles them). */
const INITIAL_ROOM = 1024;

const RDATA_NAME_RELATIVE = 1;
const RDATA_QUOTED = 2;

type NumberArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * Numbers by record, in a typed array that doubles when full. A number at or past `large` (the most
 * the array holds) is kept apart: a column 72,000 characters into a line, data 300 lines after its
 * entry starts.
 */
class Column {
  private values: NumberArray;
  private readonly larger = new Map<number, number>();

  constructor(private readonly make: (room: number) => NumberArray, private readonly large: number) {
    this.values = make(INITIAL_ROOM);
  }

  set(at: number, value: number): void {
    if (at === this.values.length) {
      const bigger = this.make(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    if (value < this.large) {
      this.values[at] = value;
    } else {
      this.values[at] = this.large;
      this.larger.set(at, value);
    }
  }

  get(at: number): number {
    const value = this.values[at]!;
    return value === this.large ? this.larger.get(at)! : value;
  }
}

const byte = (room: number): NumberArray => new Uint8Array(room);
const short = (room: number): NumberArray => new Uint16Array(room);
const long = (room: number): NumberArray => new Uint32Array(room);

/**
 * Where each record of a zone was written and with which origin, one typed column per field, each
 * as narrow as its usual numbers: some 14 octets a record, where objects for the two locations and
 * the origin took about 200. A zone of a million records is held beside its records this way; the
 * ZoneEntry of one record is made when asked.
 */
export class EntryPlaces {
  private readonly lines = new Column(long, 0xffff_ffff);
  private readonly columns = new Column(short, 0xffff);
  /** The line of the data after the entry's own: the same line, or a few more inside parentheses. */
  private readonly dataLinesAfter = new Column(byte, 0xff);
  private readonly dataColumns = new Column(short, 0xffff);
  private readonly files = new Column(short, 0xffff);
  private readonly origins = new Column(short, 0xffff);
  /** Bit flags per record: RDATA_NAME_RELATIVE, RDATA_QUOTED. */
  private readonly flags = new Column(byte, 0xff);
  private readonly fileNames = new Interned();
  private readonly originNames = new Interned();
  length = 0;

  add(
    location: SourceLocation, dataLocation: SourceLocation, origin: string, rdataNameRelative: boolean, rdataQuoted: boolean,
  ): void {
    const at = this.length++;
    this.lines.set(at, location.line);
    this.columns.set(at, location.column);
    this.dataLinesAfter.set(at, dataLocation.line - location.line);
    this.dataColumns.set(at, dataLocation.column);
    // A record's data is in the file its entry starts in: an entry never spans files.
    this.files.set(at, this.fileNames.indexOf(location.file));
    this.origins.set(at, this.originNames.indexOf(origin));
    this.flags.set(at, (rdataNameRelative ? RDATA_NAME_RELATIVE : 0) | (rdataQuoted ? RDATA_QUOTED : 0));
  }

  /** The entry of the record at `index`, which must be below `length`. */
  entry(index: number, record: DnsRecord): ZoneEntry {
    const file = this.fileNames.at(this.files.get(index));
    const line = this.lines.get(index);
    const flags = this.flags.get(index);
    return {
      record,
      location: { file, line, column: this.columns.get(index) },
      dataLocation: { file, line: line + this.dataLinesAfter.get(index), column: this.dataColumns.get(index) },
      origin: this.originNames.at(this.origins.get(index)),
      rdataNameRelative: (flags & RDATA_NAME_RELATIVE) !== 0,
      rdataQuoted: (flags & RDATA_QUOTED) !== 0,
    };
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
