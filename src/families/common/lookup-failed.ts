import type { LookupFailure } from '../../dns/lookup.js';
import type { Rule, RuleMeta } from '../../core/rule.js';
import { defineRule } from '../../core/rule.js';

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

export interface LookupFailedMeta<Id extends string, Family extends string> {
  id: Id;
  family: Family;
  /** What stays unchecked: "DMARC", "the reverse DNS of the exchanges". */
  subject: string;
  /** Default RFC 1035 §4.1.1, where the failing RCODEs are; a family whose own RFC says what a failed lookup means names that. */
  rfc?: string;
  /** What the failure means, said after it; default "<Subject> could not be checked". */
  consequence?: string;
  /** What to do, where the family knows better than retrying and fixing the name servers asked. */
  fix?: string;
}

const LOOKUP_FAILED_MESSAGES = { failed: '{{failure}}. {{consequence}}.' } as const;

/** Each family's "could not check" rule (`<family>-lookup-failed`): a failed lookup is unknown, never missing and never a pass. */
export function lookupFailedRule<Facts, const Id extends string, const Family extends string>(meta: LookupFailedMeta<Id, Family>,
  failures: (facts: Facts) => FailedLookup[]): Rule<Facts, RuleMeta<Id, Family, typeof LOOKUP_FAILED_MESSAGES>> {
  const consequence = meta.consequence ?? `${meta.subject[0]!.toUpperCase()}${meta.subject.slice(1)} could not be checked`;
  return defineRule({
    id: meta.id, family: meta.family, severity: 'unknown', rfc: meta.rfc ?? 'RFC 1035 §4.1.1',
    summary: `a lookup needed to check ${meta.subject} failed (timeout, SERVFAIL, REFUSED, malformed reply): that check is incomplete`,
    fix: meta.fix ?? 'retry later or ask another server (--server); if it persists, fix the name servers of the zone asked',
    messages: LOOKUP_FAILED_MESSAGES,
  }, (facts: Facts, report) => failures(facts).filter((failure) => !failure.notAsked).map(({ message, target }) => report(
    'failed', { failure: message, consequence }, { target })));
}
