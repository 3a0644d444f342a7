import type { LookupFailure } from '../../dns/lookup.js';
import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';

/** What could not be found out (a LookupFailure's message, say), and the exchange it was about when there is one. */
export interface FailedLookup {
  message: string;
  target?: string;
  /** Left unasked on purpose (--zone --offline): zone-external-not-checked reports it, not this rule. */
  notAsked?: boolean;
}

/** A failed lookup as a FailedLookup, about `target`. */
export function failedLookup(failure: LookupFailure, target?: string): FailedLookup {
  return { message: failure.message, ...(target === undefined ? {} : { target }), ...(failure.kind === 'not-asked' ? { notAsked: true } : {}) };
}

export interface LookupFailedMeta {
  id: string;
  family: string;
  /** What stays unchecked: "DMARC", "the reverse DNS of the exchanges". */
  subject: string;
  /** Default RFC 1035 §4.1.1, where the failing RCODEs are; a family whose own RFC says what a failed lookup means names that. */
  rfc?: string;
  /** What the failure means, said after it; default "<Subject> could not be checked". */
  consequence?: string;
}

/** Each family's "could not check" rule (`<family>-lookup-failed`): a failed lookup is unknown, never missing and never a pass. */
export function lookupFailedRule<Facts>(meta: LookupFailedMeta, failures: (facts: Facts) => FailedLookup[]): Rule<Facts> {
  const consequence = meta.consequence ?? `${meta.subject[0]!.toUpperCase()}${meta.subject.slice(1)} could not be checked`;
  return defineLegacyRule<Facts>({
    id: meta.id, family: meta.family, severity: 'unknown', rfc: meta.rfc ?? 'RFC 1035 §4.1.1',
    summary: `a lookup needed to check ${meta.subject} failed (timeout, SERVFAIL, REFUSED, malformed reply): that check is incomplete`,
    fix: 'retry later or ask another server (--server); if it persists, fix the name servers of the zone asked',
  }, (facts, report) => failures(facts).filter((failure) => !failure.notAsked).map(({ message, target }) => report(
    `${message}. ${consequence}: retry, or ask another server with --server.`, target)));
}
