import type { SourceLocation } from './zone/types.js';

/**
 * `unknown` is a severity of its own: the check could not be completed (a lookup failed, the input
 * was not a domain). It is never folded into pass or into "missing".
 */
export type Severity = 'error' | 'warning' | 'unknown' | 'info';

export type Status = 'pass' | 'warn' | 'fail' | 'unknown';

export interface Finding {
  rule: string;
  severity: Severity;
  /** Names the record concerned and the fix. */
  message: string;
  /** e.g. "RFC 2181 §10.3". */
  rfc: string;
  /** The exchange concerned: lower-case, no trailing dot. */
  target?: string;
  /** Where the record was written, for findings on zone files. */
  location?: SourceLocation;
}

export interface AddressEntry {
  address: string;
  family: 4 | 6;
}

export type MxEntry =
  | { preference: number; exchange: '.' }
  | { preference: number; exchange: string; addresses: AddressEntry[]; cname: string[] };

export interface DomainResult {
  /** As typed. */
  input: string;
  /** A-label form, lower-case, no trailing dot; null when the input is not a domain name. */
  domain: string | null;
  /** The name after a CNAME at the domain itself (equal to `domain` when there is none). */
  canonical: string | null;
  status: Status;
  /** Sorted by preference, then exchange. */
  mx: MxEntry[];
  /** Present when the domain has no MX and mail falls back to its own addresses (RFC 5321 §5.1). */
  implicit?: { addresses: AddressEntry[] };
  /** Zone mode (`--zone`): the zone file the name was checked from, and the zone's origin. */
  zone?: { file: string; origin: string };
  /** Ordered by severity (error, unknown, warning, info), rule, target. */
  findings: Finding[];
  durationMs: number;
}
