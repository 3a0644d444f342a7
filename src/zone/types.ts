import type { DnsRecord } from '../dns/records.js';

/** Where something was written: 1-based line and column (in characters; a tab is one), file as given to the reader. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface ZoneEntry {
  record: DnsRecord;
  location: SourceLocation;
  /**
   * The name inside the RDATA (MX exchange, CNAME/DNAME/NS/PTR/SRV target, SOA primary name server)
   * was written relative: a plain name without the trailing dot. `@` names the origin on purpose and
   * does not count; data written as RFC 3597 `\#` hex never does.
   */
  rdataNameRelative: boolean;
}

/** Problems the reader itself can see, each at the place it was written. */
export type ZoneProblemCode =
  | 'zone-syntax'
  | 'mx-preference-missing'
  | 'mx-preference-range';

export interface ZoneProblem {
  code: ZoneProblemCode;
  message: string;
  location: SourceLocation;
}

export interface ParsedZone {
  /** The origin the zone was read with (canonical form). */
  origin: string;
  entries: ZoneEntry[];
  problems: ZoneProblem[];
  /** Text of every file read ($INCLUDEs too), by file name as used in locations: for showing source lines. */
  sources: Map<string, string>;
}
