import type { LookupFailure } from '../dns/lookup.js';
import type { CheckFamily, Rule } from './rule.js';
import { defineRule } from './rule.js';

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

/**
 * Each family's "could not check" rule: a failed lookup is unknown, never missing and never a pass.
 * `subject` names what stays unchecked ("DMARC", "the reverse DNS of the exchanges").
 */
export function lookupFailedRule<Facts>(id: string, family: CheckFamily, subject: string, failures: (facts: Facts) => FailedLookup[]): Rule<Facts> {
  return defineRule<Facts>({
    id, family, severity: 'unknown', rfc: 'RFC 1035 §4.1.1',
    summary: `a lookup needed to check ${subject} failed (timeout, SERVFAIL, REFUSED, malformed reply): that check is incomplete`,
    fix: 'retry later or ask another server (--server); if it persists, fix the name servers of the zone asked',
  }, (facts, report) => failures(facts).filter((failure) => !failure.notAsked).map(({ message, target }) => report(
    `${message}. ${subject[0]!.toUpperCase()}${subject.slice(1)} could not be checked: retry, or ask another server with --server.`, target)));
}
