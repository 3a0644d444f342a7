import type { SourceLocation } from './zone/types.js';
import type { SpfSection } from './spf/section.js';

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
  /** The name concerned (an exchange; for SPF, an included domain): lower-case, no trailing dot. */
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
  /** `--authoritative` / `--ns`: what each of the zone's name servers answers itself. */
  authoritative?: AuthoritativeSection;
  /** With the spf check: the SPF record and what evaluating it costs. */
  spf?: SpfSection;
  /** Ordered by severity (error, unknown, warning, info), rule, target. */
  findings: Finding[];
  durationMs: number;
}

/**
 * How a name server answered for the zone (its SOA, asked without recursion): `authoritative` (AA
 * set), `not-authoritative` (an answer without AA: a cache, a resolver, a referral), `lame` (REFUSED,
 * SERVFAIL or another error code, or no SOA for the zone), `unreachable` (no usable reply, or no address).
 */
export type NameServerStatus = 'authoritative' | 'not-authoritative' | 'lame' | 'unreachable';

export interface NameServerReport {
  /** The server's name: from the NS set, or as given with --ns. */
  name: string;
  /** "127.0.3.21:53"; null when the name has no address. */
  address: string | null;
  status: NameServerStatus;
  /** The zone's SOA serial on this server, when it answered authoritatively. */
  serial?: number;
  /** The domain's MX records on this server, sorted; null when it did not say (a failed lookup). */
  mx?: { preference: number; exchange: string }[] | null;
  /** Each exchange as this server's answers leave it (names outside the zone come from the resolver). */
  exchanges?: { name: string; cname: string[]; addresses: AddressEntry[] }[];
  /** Why the server is not authoritative, lame or unreachable. */
  problem?: string;
}

export interface AuthoritativeSection {
  /** The zone's apex. */
  zone: string;
  /** `delegation`: the NS set found through the resolver; `given`: the servers of --ns (an undelegated test). */
  source: 'delegation' | 'given';
  servers: NameServerReport[];
}
