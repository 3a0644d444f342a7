import type { Finding, Severity, Status } from '../core/finding.js';
import type { ProfileName } from '../core/settings.js';
import type { AddressEntry } from '../net/address.js';
import type { FamilySections } from '../families/index.js';
import type { MxFields } from '../families/mx/section.js';
import type { ReadinessSection } from './readiness.js';

/**
 * The result of one checked name, as the JSON output prints it: the same whatever asked (the resolver,
 * zone files, one authoritative server). The families' sections come from the family registry; the
 * modes' sections (`zone`, `authoritative`, `postfix`) are declared here, since every reporter reads them.
 */
export interface DomainResult extends MxFields, FamilySections {
  /** As typed. */
  input: string;
  /** A-label form, lower-case, no trailing dot; null when the input is not a domain name. */
  domain: string | null;
  /** The name after a CNAME at the domain itself (equal to `domain` when there is none). */
  canonical: string | null;
  status: Status;
  /** What the name was judged as (docs/profiles.md); absent when it was not judged as a mail domain (invalid input, a zone apex without mail records). */
  profile?: ProfileName;
  /**
   * Zone mode (`--zone`): the zone file the name was checked from, the zone's origin, and (with
   * `--offline`) the names outside the zone files its checks needed and did not look up.
   */
  zone?: { file: string; origin: string; notAsked?: string[] };
  /** `--authoritative` / `--ns`: what each of the zone's name servers answers itself. */
  authoritative?: AuthoritativeSection;
  /** `mxlint postfix`: the server configuration's result says what was read from main.cf. */
  postfix?: PostfixSection;
  /** `--readiness`: the bulk-sender requirements, each met, not met or unknown, with the findings behind it. */
  readiness?: ReadinessSection;
  /** Ordered by severity (error, unknown, warning, info), rule, target. */
  findings: Finding[];
  /** In a run over many names: findings about what this name shares with others, reported once at another name. */
  reportedElsewhere?: ReportedElsewhere[];
  /** With a baseline: the earlier run's findings for this name that this run did not find (fixed, or no longer reported). */
  absent?: Finding[];
  durationMs: number;
}

/** A finding this name meets too, about a record or host it shares, reported at another name of the run. */
export interface ReportedElsewhere {
  rule: string;
  messageId: string;
  severity: Severity;
  /** The record or host shared: a _dmarc name, an exchange. */
  shared: string;
  target?: string;
  /** The name of the run whose result reports it. */
  reportedAt: string;
}

/** What `mxlint postfix` read from main.cf (values expanded, defaults filled in) and which addresses it checked. */
export interface PostfixSection {
  file: string;
  myhostname: string | null;
  /** The domain Postfix appends to local sender addresses. */
  myorigin: string | null;
  /** The server's addresses the checks used: from --address, or inet_interfaces. */
  addresses: { address: string; family: 4 | 6; source: 'option' | 'inet_interfaces' }[];
  /** Every domain Postfix accepts mail for (localhost names left out), with the parameter and line naming it. */
  acceptedDomains: { domain: string; parameter: string; file: string; line: number }[];
  /** Bytes (0: no limit); null when main.cf's value is not a number. */
  messageSizeLimit: number | null;
  /** smtpd_tls_security_level as Postfix reads it (none when empty). */
  tlsSecurityLevel: string;
  /** smtpd_tls_chain_files, else smtpd_tls_cert_file. */
  certificateFiles: string[];
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
