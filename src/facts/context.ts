import type { CheckOptions } from '../core/options.js';
import type { LookupSource } from '../dns/lookup.js';
import type { MailFacts } from './mail.js';
import type { SmtpProber } from './smtp-prober.js';

/** What every family's collector gets: the domain, a source of answers, and the MX facts already gathered. */
export interface CheckContext {
  /** A valid domain name: A-label form, lower-case, no trailing dot. */
  domain: string;
  lookups: LookupSource;
  /** Always collected first: most families need the exchanges (PTR, DANE, SMTP, MTA-STS …). */
  mail: MailFacts;
  /** The whole check's options; a family reads its own settings here (ports, trust anchors, lists). */
  options: CheckOptions;
  /** The families this check runs (a family's collector may use what another's would gather, when that one runs too). */
  checks: ReadonlySet<string>;
  /**
   * Aborted when the check's deadline passes: what a family does beyond `lookups` (which already
   * listen to it) — an SMTP probe, an HTTPS fetch — stops then, and says so.
   */
  signal: AbortSignal;
  /** The run's SMTP probing: connections at once per address and in all, the results of the run, what it knows of this machine's network. */
  prober: SmtpProber;
}
