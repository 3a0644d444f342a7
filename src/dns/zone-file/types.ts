import type { DnsRecord } from '../records.js';

/** Where something was written: 1-based line and column (in characters; a tab is one), file as given to the reader. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface ZoneEntry {
  record: DnsRecord;
  /** Where the entry starts (its owner, or its first field when the owner is inherited). */
  location: SourceLocation;
  /** Where its data starts: the first RDATA field (an MX record's preference). */
  dataLocation: SourceLocation;
  /** The origin in effect where it was written ($ORIGIN, $INCLUDE), canonical form. */
  origin: string;
  /**
   * The name inside the RDATA (MX exchange, CNAME/DNAME/NS/PTR/SRV target, SOA primary name server)
   * was written relative: a plain name without the trailing dot. `@` names the origin on purpose and
   * does not count; data written as RFC 3597 `\#` hex never does.
   */
  rdataNameRelative: boolean;
  /** Some RDATA field was written as a quoted string: a TXT record written without any quotes is not. */
  rdataQuoted: boolean;
}

/** Problems the reader itself can see, each at the place it was written. */
export type ZoneProblemCode =
  | 'zone-syntax'
  | 'mx-preference-missing'
  | 'mx-preference-range'
  | 'zone-ttl-missing';

export interface ZoneProblem {
  code: ZoneProblemCode;
  /** What is wrong, as found. */
  message: string;
  /** The fix for this entry, where the reader can say it exactly. */
  fix?: string;
  location: SourceLocation;
  /** The record's owner (canonical form), when the problem lies in a record whose owner could be read. */
  owner?: string;
  /** The record's type (`MX`), when its owner and type could be read. */
  type?: string;
}

export interface ParsedZone {
  /** The file read, as named in locations. */
  file: string;
  /** The origin the zone was read with (canonical form). */
  origin: string;
  /** Every record read, in reading order. */
  records: DnsRecord[];
  /** The record at this index of `records`, with where and how it was written. */
  entryAt(index: number): ZoneEntry;
  /**
   * Every record with where it was written, made afresh on each access: a big zone is read through
   * `records` and `entryAt`, which keep the places in compact columns.
   */
  readonly entries: ZoneEntry[];
  problems: ZoneProblem[];
  /** Text of every file read ($INCLUDEs too), by file name as used in locations: for showing source lines. */
  sources: Map<string, string>;
}
