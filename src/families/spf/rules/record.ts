import { defineRule } from '../../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../../common/lookup-failed.js';
import type { SpfFacts } from '../collect.js';
import type { PolicyVia } from '../../../facts/spf/policy.js';
import { policiesOf } from '../../../facts/spf/policy.js';
import { describeNoRecord } from '../../../facts/spf/lookup.js';
import { describeSyntaxError } from '../../../facts/spf/record.js';

/**
 * Rules about finding and reading the records: is there exactly one, does it read, could it be fetched.
 * A message id starting "included" is about a record reached through an include: or redirect=; its
 * finding's target is that record's domain.
 */

/** How a record of an included domain was reached: the include: or redirect= term, and whose record has it. */
export function reachedThrough(via: PolicyVia): { term: string; from: string } {
  return { term: via.term.text, from: via.from };
}

/** Target a finding at an included domain; findings about the domain's own record have none. */
export function targetOf(facts: SpfFacts, domain: string): string | undefined {
  return domain === facts.domain ? undefined : domain;
}

export const spfMissing = defineRule({
  id: 'spf-missing', family: 'spf', severity: 'warning', rfc: 'RFC 7208 §4.5',
  summary: 'the domain publishes no SPF record (no TXT record starting "v=spf1")',
  fix: 'publish one listing the servers that send its mail (v=spf1 mx -all); for a domain that sends no mail (a null MX), v=spf1 -all',
  messages: {
    missing: {
      message: '{{noRecord}}: receivers cannot tell mail from {{domain}} from forgeries, and many trust it less.',
      fix: 'publish one listing the servers that send its mail, e.g. "{{domain}}. TXT \\"v=spf1 mx -all\\"" if its MX hosts are those servers',
    },
    nullMx: {
      message: '{{noRecord}}: receivers cannot tell mail from {{domain}} from forgeries, and many trust it less. It takes no mail (null MX); if it sends none either, the record "v=spf1 -all" would say so, and receivers would reject mail forged in its name.',
      fix: 'if it sends no mail, publish "{{domain}}. TXT \\"v=spf1 -all\\""; otherwise one listing the servers that send its mail',
    },
  },
}, (facts: SpfFacts, report) => {
  const { lookup } = facts.policy;
  if (lookup.state !== 'none' || lookup.why === 'nxdomain') return [];
  return [report(facts.nullMx ? 'nullMx' : 'missing', { noRecord: describeNoRecord(lookup), domain: facts.domain })];
});

const MULTIPLE_CONSEQUENCE = 'With more than one, every SPF check reaching it ends in permerror, which many receivers treat as fail.';

export const spfMultiple = defineRule({
  id: 'spf-multiple', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.5',
  summary: 'more than one TXT record starting "v=spf1": every SPF check of the domain\'s mail is permerror',
  fix: 'merge them into a single record',
  messages: {
    multiple: `{{domain}} has {{count}} SPF records: {{records}}. ${MULTIPLE_CONSEQUENCE}`,
    includedMultiple: `{{domain}} has {{count}} SPF records (reached through "{{term}}" in the SPF record of {{from}}): {{records}}. ${MULTIPLE_CONSEQUENCE}`,
  },
}, (facts: SpfFacts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  if (policy.lookup.state !== 'multiple') return [];
  const data = { domain: policy.domain, count: policy.lookup.texts.length, records: policy.lookup.texts.map((text) => `"${text}"`).join(', ') };
  const place = { target: targetOf(facts, policy.domain) };
  return [via === null ? report('multiple', data, place) : report('includedMultiple', { ...data, ...reachedThrough(via) }, place)];
}));

const SYNTAX_CONSEQUENCE = 'A syntax error anywhere makes every SPF check reaching the record permerror.';

export const spfSyntax = defineRule({
  id: 'spf-syntax', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.6',
  summary: 'the SPF record (or one it includes) does not read: every SPF check reaching it is permerror',
  fix: 'correct the term named in the message (see RFC 7208 §12 for the grammar)',
  messages: {
    syntaxError: `The SPF record of {{domain}}, "{{record}}", has a syntax error: {{error}}. ${SYNTAX_CONSEQUENCE}`,
    includedSyntaxError: `The SPF record of {{domain}} (reached through "{{term}}" in the SPF record of {{from}}), "{{record}}", has a syntax error: {{error}}. ${SYNTAX_CONSEQUENCE}`,
  },
}, (facts: SpfFacts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  if (policy.lookup.state !== 'found' || policy.parse === null || policy.parse.ok) return [];
  const data = { domain: policy.domain, record: policy.lookup.text, error: describeSyntaxError(policy.parse) };
  const place = { target: targetOf(facts, policy.domain) };
  return [via === null ? report('syntaxError', data, place) : report('includedSyntaxError', { ...data, ...reachedThrough(via) }, place)];
}));

export const spfLookupFailed = lookupFailedRule({
  id: 'spf-lookup-failed', family: 'spf', subject: 'SPF', rfc: 'RFC 7208 §4.4',
  consequence: 'The SPF check could not be completed (an evaluation meeting this would be temperror)',
}, (facts: SpfFacts) => policiesOf(facts.policy).flatMap(({ policy }) => [
  ...(policy.lookup.state === 'failed' ? [policy.lookup.failure] : []),
  ...policy.dnsTerms.flatMap((term) => ('lookup' in term && term.lookup.state === 'failed' ? [term.lookup.failure] : [])),
].map((failure) => failedLookup(failure, targetOf(facts, failure.question.name)))));
