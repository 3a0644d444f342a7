/**
 * What a check is asked to do: the options of the library's entry points, the same the CLI's flags
 * set. Plain data: each layer reads (and validates) its own part, the families theirs.
 */
import type { BaselineResult, JudgementSettings } from './settings.js';

/** A DNS server to send queries to. `host` is always an IP address: a name would need a resolver. */
export interface ServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

/**
 * `--connect-to HOST[:PORT]=ADDR[:PORT]` (after curl's option): where a connection mxlint would
 * open to HOST (a host name such as an MX exchange, or one of its addresses) really goes. For
 * testing a server before DNS points at it, and for the offline demo, whose zones hold
 * public-looking addresses that must never be contacted.
 */
export interface ConnectToRule {
  /** A host name (canonical form) or an IP address, as looked up; matched against the connection's name or address. */
  from: string;
  /** Only connections to this port; undefined: any port. */
  fromPort?: number;
  /** Always an IP address: a name here would need a resolver mxlint does not use for connections. */
  to: string;
  /** undefined: the port the connection was for. */
  toPort?: number;
}

/** A name server to ask directly: its name, and its address unless the resolver is to find it. */
export interface NameServerSpec {
  name: string;
  address?: ServerAddress;
}

/**
 * Ask the zone's own name servers: `true`, its NS set found through the resolver; or the servers
 * given (before delegation), as `--ns` writes them (`NAME/ADDRESS[:PORT]`, `NAME`, `ADDRESS`) or parsed.
 */
export type AuthoritativeOption = true | { nameservers: (string | NameServerSpec)[] };

/** `input` (the default): results in the order of the inputs; `completion`: as each is done. */
export type ResultOrder = 'input' | 'completion';

/** `profile`, `rules` and `ignore` judge every name of the check; `domains` overrides them for some (docs/profiles.md, docs/cli.md#configuration). */
export interface CheckOptions extends JudgementSettings {
  /** Servers as `host[:port]` strings or parsed; default: the nameservers of /etc/resolv.conf. */
  servers?: (string | ServerAddress)[];
  timeoutMs?: number;
  retries?: number;
  tcp?: boolean;
  /** Check families to run, as a list or as the CLI takes them (`"mx,spf"`); default mx, spf, dmarc, takeover. */
  checks?: readonly string[] | string;
  /** Domains (zone mode: owners) checked at once by the entry points that check many. */
  concurrency?: number;
  /** The order results of many checks come in. */
  order?: ResultOrder;
  /**
   * The SMTP probe (`--checks smtp`, `relay`): port (25), per-phase timeout, the greeting's own
   * timeout, the name sent with EHLO, connections at once to one address in a run (2), connections
   * in all in a run (10,000).
   */
  smtp?: { port?: number; timeoutMs?: number; greetingTimeoutMs?: number; ehloName?: string; perHost?: number; budget?: number };
  /** The recipient of the relay test (`--checks relay`), at a domain the servers are not responsible for; default relay-test@mxlint.invalid. */
  relayTestAddress?: string;
  /** A certificate to be installed (PEM: the server certificate, then its chain): DANE says whether the TLSA records will match it (`--cert`). */
  daneCertificate?: string;
  /** Connect to addresses that are not globally routable (SMTP probe, MTA-STS policy host, BIMI logo and evidence hosts); otherwise refused, so a zone cannot turn a check into a scan of internal networks. */
  allowPrivate?: boolean;
  /** Extra trust anchors (PEM certificates) beside Node's built-in CA list, for every certificate mxlint verifies (SMTP STARTTLS, MTA-STS and BIMI HTTPS); the only anchors a BIMI Mark Certificate is verified against. */
  ca?: string[];
  /** Milliseconds each HTTPS fetch (MTA-STS policy, BIMI logo and evidence) may take in all (connect, TLS, answer); default 10000. */
  httpsTimeoutMs?: number;
  /**
   * Milliseconds one domain's check may take in all (lookups, SMTP probes, the policy fetch); default
   * 30000. Then what is not yet known is unknown (findings saying the deadline passed) and nothing
   * of the check keeps running.
   */
  deadlineMs?: number;
  /** The BIMI selector whose record is checked (--checks bimi): SELECTOR._bimi.DOMAIN; default `default`. */
  bimiSelector?: string;
  /** DNSBL zones to look every exchange address up in (--checks dnsbl). */
  dnsbl?: string[];
  /** DKIM selectors whose keys to check at SELECTOR._domainkey.DOMAIN (--checks dkim); giving any turns the family on. */
  dkimSelectors?: string[];
  /** Also try the selectors the big mail providers use by default (--checks dkim); turns the family on. */
  dkimDiscover?: boolean;
  /** The hosts mail leaves from (names or public addresses) whose reverse DNS to check instead of the exchanges' (--checks ptr); giving any turns the family on. */
  sendingHosts?: string[];
  /** Add the bulk-sender readiness summary to each result, and run the families it reads (spf, dmarc, ptr, smtp; dkim when selectors are given). */
  readiness?: boolean;
  /** Where connections really go (`--connect-to`): `HOST[:PORT]=ADDRESS[:PORT]` strings or parsed rules. */
  connectTo?: (string | ConnectToRule)[];
  /** Queries sent per second at most, over all servers (every attempt counts). */
  rate?: number;
  /** Start each lookup at the next server in turn (round-robin) instead of always at the first. */
  rotate?: boolean;
  /** Ask the zone's own name servers (`true`: its NS set), or the servers given, before delegation too. */
  authoritative?: AuthoritativeOption;
  /** The profile the TLS scan (`--checks tls`) is graded against: `modern`, `intermediate` (default) or `ncsc`. */
  tlsProfile?: string;
  /** Settings for one name (`"shop.example"`) or every name below a suffix (`"*.example.net"`), over the run's. */
  domains?: Readonly<Record<string, JudgementSettings>>;
  /** An earlier run's results: each finding is marked new or unchanged, and only new ones count toward the status. */
  baseline?: readonly BaselineResult[];
}
