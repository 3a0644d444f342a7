import type { SourceLocation } from '../dns/zone-file/types.js';
import type { SpfSection } from '../families/spf/section.js';
import type { SmtpFailure } from '../smtp/session.js';
import type { CertificateFacts } from '../tls/certificate.js';

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
  /** Each family's section, when that family ran (--checks). */
  dmarc?: DmarcSection;
  'mta-sts'?: MtaStsSection;
  tlsrpt?: TlsRptSection;
  ptr?: PtrSection;
  dnsbl?: DnsblSection;
  dnssec?: DnssecSection;
  dane?: DaneSection;
  smtp?: SmtpSection;
  /** `mxlint postfix`: the server configuration's result says what was read from main.cf. */
  postfix?: PostfixSection;
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

/** `result.dmarc` (--checks dmarc): the record that applies to the domain, as receivers find it. */
export interface DmarcSection {
  /**
   * found: one record applies; multiple: several were found, so none applies; none: no record;
   * failed: a lookup failed; skipped: the domain does not exist.
   */
  state: PublishedState;
  /** The _dmarc name the records are at (found, multiple). */
  name?: string;
  /** Found at the organizational domain, not the domain itself. */
  inherited?: boolean;
  records?: string[];
  /** The policy receivers apply to this domain (sp for an inheriting subdomain); null when they discard the record. */
  policy?: 'none' | 'quarantine' | 'reject' | null;
  pct?: number;
  rua?: string[];
  ruf?: string[];
}

/** How a TXT-published policy record came out: one, several (senders use none), none, a failed lookup, not looked at. */
export type PublishedState = 'found' | 'multiple' | 'none' | 'failed' | 'skipped';

/** `result["mta-sts"]` (--checks mta-sts): the _mta-sts record and the policy fetched over HTTPS. */
export interface MtaStsSection {
  /** `skipped`: the domain does not exist or takes no mail (null MX). */
  state: PublishedState;
  records?: string[];
  /** The id of the single record, when valid. */
  id?: string | null;
  /** Present when there is a record: the fetch of https://mta-sts.DOMAIN/.well-known/mta-sts.txt. */
  policy?: {
    url: string;
    /** fetched; failed (the server's fault); unreachable (network); not-public (not contacted); no-address; lookup-failed. */
    fetch: 'fetched' | 'failed' | 'unreachable' | 'not-public' | 'no-address' | 'lookup-failed';
    /** The address (from DNS) the policy came from. */
    address?: string;
    /** Where --connect-to sent that connection, as HOST:PORT; absent when it went to `address`. */
    connectedTo?: string;
    contentType?: string | null;
    mode?: 'enforce' | 'testing' | 'none' | null;
    maxAge?: number | null;
    mx?: string[];
  };
}

/** `result.tlsrpt` (--checks tlsrpt): the _smtp._tls record. */
export interface TlsRptSection {
  state: PublishedState;
  records?: string[];
  rua?: string[];
}

/** `result.ptr` (--checks ptr): reverse DNS of every globally routable exchange address. */
export interface PtrSection {
  addresses: {
    /** The exchange (or the domain, as implicit MX). */
    host: string;
    address: string;
    family: 4 | 6;
    /** The PTR names found; [] when there are none; null when the lookup failed. */
    names: string[] | null;
    /** A PTR name resolves back to the address (FCrDNS); null when not known. */
    forwardConfirmed: boolean | null;
  }[];
}

/** `result.dnsbl` (--checks dnsbl with --dnsbl LISTS): each exchange address on each list. */
export interface DnsblSection {
  zones: string[];
  listings: {
    host: string;
    address: string;
    zone: string;
    /** listed; not-listed; unknown: the lookup failed or the list answered an error code. */
    state: 'listed' | 'not-listed' | 'unknown';
    /** The A records the list answered (listed, or an error code). */
    codes?: string[];
    reason?: string | null;
  }[];
}

/** How a validating resolver judged one answer: AD (secure), no AD (insecure), failing validation (bogus), or a failed lookup. */
export type DnssecState = 'secure' | 'insecure' | 'bogus' | 'failed';

/** One lookup asked with DO. `authenticated` is null where it cannot be told: the lookup failed, or the resolver does not validate. */
export type DnssecLookup = { name: string; type: 'MX' | 'A' | 'AAAA' } & (
  | { state: 'secure' | 'insecure'; rcode: string; authenticated: boolean | null }
  /** `evidence`: how validation was seen to fail (an EDE, or a SERVFAIL that clears with CD). */
  | { state: 'bogus'; authenticated: false; evidence: string; extendedErrors: string[] }
  | { state: 'failed'; authenticated: null; error: string; extendedErrors: string[] });

/** `result.dnssec` (--checks dnssec): the answers mail delivery reads, asked again with DO through the resolver given. */
export interface DnssecSection {
  /** The resolver validates (it set AD, at least for the signed root); null when that could not be told. */
  resolverValidates: boolean | null;
  /** The MX answer is authenticated (AD); null when not known. */
  mxAuthenticated: boolean | null;
  /** The MX lookup, then A and AAAA of each mail host. */
  lookups: DnssecLookup[];
}

/** `result.dane` (--checks dane): each mail host's _25._tcp TLSA records, and with --checks smtp whether they match. */
export interface DaneSection {
  hosts: {
    /** The exchange (or the domain, as implicit MX). */
    exchange: string;
    tlsaName: string;
    /** The DNSSEC state of the TLSA answer. */
    state: DnssecState;
    records: {
      usage: number;
      /** RFC 7218 name (DANE-EE …); null for an undefined usage. */
      usageName: string | null;
      selector: number;
      matchingType: number;
      /** The association data, hex. */
      data: string;
      /** SMTP senders use it (usage 2 or 3, defined selector and matching type, right digest length). */
      usable: boolean;
    }[];
    /** true: senders use these records; false: there are none, or a link of the chain is not authenticated; null: cannot be told. */
    daneApplies: boolean | null;
    /** One entry per probed address (matched null: no usable record, or no TLS); null when the SMTP probe did not run. */
    certificateMatches: { address: string; matched: boolean | null; by?: string }[] | null;
  }[];
}

/** One certificate of a chain a server presented: its names and dates, and its digests in place of its bytes. */
export type CertificateSection = Pick<CertificateFacts, 'subject' | 'issuer' | 'altNames' | 'validFrom' | 'validTo'> & {
  /** SHA-256 of the DER certificate and of its SubjectPublicKeyInfo, hex (TLSA selectors 0 and 1). */
  sha256: string;
  spkiSha256: string;
};

/** What an SMTP probe of one address found, step by step; a step not reached is null. */
export type SmtpProbeSection = { exchange: string; address: string; family: 4 | 6 } & (
  /** Not connected to: `skipped` says why. */
  | { probed: false; skipped: string }
  | {
    probed: true;
    /** Where --connect-to sent the connection, as HOST:PORT; absent when it went to `address`. */
    connectedTo?: string;
    /** The 220 greeting: code, then its lines. */
    banner: string | null;
    ehlo: {
      serverName: string | null; starttls: boolean; size: number | null; pipelining: boolean;
      '8bitmime': boolean; smtputf8: boolean; keywords: string[];
    } | null;
    /** After STARTTLS: "certificate valid" (the chain verifies) and "names the host" are separate answers. */
    tls: {
      protocol: string; cipher: string;
      certificateValid: boolean; certificateError?: string;
      nameMatches: boolean; nameError?: string;
      /** Leaf first. */
      chain: CertificateSection[];
    } | null;
    /** Where and how the probe stopped; null when it got through to QUIT. */
    failure: SmtpFailure | null;
    durationMs: number;
  });

/** `result.smtp` (--checks smtp): every mail host address probed up to STARTTLS and QUIT. */
export interface SmtpSection {
  port: number;
  probes: SmtpProbeSection[];
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
