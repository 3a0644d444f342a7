import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import { failedLookup, lookupFailedRule } from '../../common/lookup-failed.js';
import type { SpfFacts } from '../collect.js';
import type { PolicyVia } from '../policy.js';
import { policiesOf } from '../policy.js';
import { describeNoRecord } from '../lookup.js';
import { describeSyntaxError } from '../record.js';

/** Rules about finding and reading the records: is there exactly one, does it read, could it be fetched. */

/** How a record was reached, for messages about records of included domains. */
export function reachedVia(via: PolicyVia | null): string {
  return via === null ? '' : ` (reached through "${via.term.text}" in the SPF record of ${via.from})`;
}

/** Target a finding at an included domain; findings about the domain's own record have none. */
export function targetOf(facts: SpfFacts, domain: string): string | undefined {
  return domain === facts.domain ? undefined : domain;
}

export const spfMissing: Rule<SpfFacts> = defineLegacyRule({
  id: 'spf-missing', family: 'spf', severity: 'warning', rfc: 'RFC 7208 §4.5',
  summary: 'the domain publishes no SPF record (no TXT record starting "v=spf1")',
  fix: 'publish one listing the servers that send its mail (v=spf1 mx -all); for a domain that sends no mail (a null MX), v=spf1 -all',
}, (facts, report) => {
  const { lookup } = facts.policy;
  if (lookup.state !== 'none' || lookup.why === 'nxdomain') return [];
  const none = `${describeNoRecord(lookup)}: receivers cannot tell mail from ${facts.domain} from forgeries (RFC 7208 §4.5), and many trust it less.`;
  if (facts.nullMx) {
    return [report(`${none} It takes no mail (null MX); if it sends none either, publish "${facts.domain}. TXT \\"v=spf1 -all\\"" so that receivers reject mail forged in its name.`)];
  }
  return [report(`${none} Publish one listing the servers that send its mail, e.g. "${facts.domain}. TXT \\"v=spf1 mx -all\\"" if its MX hosts are those servers.`)];
});

export const spfMultiple: Rule<SpfFacts> = defineLegacyRule({
  id: 'spf-multiple', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.5',
  summary: 'more than one TXT record starting "v=spf1": every SPF check of the domain\'s mail is permerror',
  fix: 'merge them into a single record',
}, (facts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  if (policy.lookup.state !== 'multiple') return [];
  const records = policy.lookup.texts.map((text) => `"${text}"`).join(', ');
  return [report(`${policy.domain} has ${policy.lookup.texts.length} SPF records${reachedVia(via)}: ${records}. With more than one, every SPF check reaching it ends in permerror (RFC 7208 §4.5), which many receivers treat as fail. Merge them into one record.`, targetOf(facts, policy.domain))];
}));

export const spfSyntax: Rule<SpfFacts> = defineLegacyRule({
  id: 'spf-syntax', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.6',
  summary: 'the SPF record (or one it includes) does not read: every SPF check reaching it is permerror',
  fix: 'correct the term named in the message (see RFC 7208 §12 for the grammar)',
}, (facts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  if (policy.lookup.state !== 'found' || policy.parse === null || policy.parse.ok) return [];
  return [report(`The SPF record of ${policy.domain}${reachedVia(via)}, "${policy.lookup.text}", has a syntax error: ${describeSyntaxError(policy.parse)}. A syntax error anywhere makes every SPF check reaching the record permerror (RFC 7208 §4.6). Correct the term.`, targetOf(facts, policy.domain))];
}));

export const spfLookupFailed: Rule<SpfFacts> = lookupFailedRule({
  id: 'spf-lookup-failed', family: 'spf', subject: 'SPF', rfc: 'RFC 7208 §4.4',
  consequence: 'The SPF check could not be completed (an evaluation meeting this would be temperror)',
}, (facts) => policiesOf(facts.policy).flatMap(({ policy }) => [
  ...(policy.lookup.state === 'failed' ? [policy.lookup.failure] : []),
  ...policy.dnsTerms.flatMap((term) => ('lookup' in term && term.lookup.state === 'failed' ? [term.lookup.failure] : [])),
].map((failure) => failedLookup(failure, targetOf(facts, failure.question.name)))));
