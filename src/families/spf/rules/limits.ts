import { defineRule } from '../../../core/rule.js';
import type { SpfFacts } from '../collect.js';
import type { DnsTerm } from '../policy.js';
import { policyCost } from '../policy.js';
import { MAX_DNS_TERMS, MAX_VOID_LOOKUPS } from '../limits.js';

/** Rules about the processing limits of RFC 7208 §4.6.4, counted for an evaluation in which nothing matches. */

/** What one term of the domain's own record costs: itself, plus everything behind an include or redirect. */
function termCost(term: DnsTerm): string {
  if (!('policy' in term)) return `${term.text} 1`;
  if (term.policy === 'loop') return `${term.text} (loops back)`;
  if (term.policy === 'not-followed') return `${term.text} 1${term.target === null ? ' (and whatever its macros lead to)' : ' (not followed further)'}`;
  return `${term.text} ${1 + policyCost(term.policy).lookups}`;
}

const PAST_LIMIT = `Past ${MAX_DNS_TERMS}, receivers stop with permerror, which many treat as fail: mail from servers listed late in the record is rejected.` as const;

export const spfLookupLimit = defineRule({
  id: 'spf-lookup-limit', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.6.4',
  summary: `evaluating the SPF record takes more than ${MAX_DNS_TERMS} DNS-querying terms (include, a, mx, ptr, exists, redirect), includes counted`,
  fix: 'replace includes and a/mx mechanisms by ip4:/ip6: ranges, or drop the ones no longer used',
  messages: {
    tooManyLookups: `Evaluating the SPF record of {{domain}} takes {{lookups}} DNS lookups when no earlier mechanism matches; the limit is ${MAX_DNS_TERMS}. Lookups per term: {{breakdown}}. ${PAST_LIMIT}`,
    loop: `The SPF record of {{domain}} includes or redirects in a loop ({{loops}}): evaluating it runs into the limit of ${MAX_DNS_TERMS} DNS lookups. Lookups per term: {{breakdown}}. ${PAST_LIMIT}`,
  },
}, (facts: SpfFacts, report) => {
  const cost = policyCost(facts.policy);
  if (cost.lookups <= MAX_DNS_TERMS && cost.loops.length === 0) return [];
  const breakdown = facts.policy.dnsTerms.map(termCost).join(', ');
  if (cost.loops.length > 0) return [report('loop', { domain: facts.domain, loops: cost.loops.join('; '), breakdown })];
  return [report('tooManyLookups', { domain: facts.domain, lookups: cost.lookups, breakdown })];
});

export const spfVoidLookupLimit = defineRule({
  id: 'spf-void-lookup-limit', family: 'spf', severity: 'warning', rfc: 'RFC 7208 §4.6.4',
  summary: `more than ${MAX_VOID_LOOKUPS} a/mx/exists terms look up names that have no records (void lookups)`,
  fix: 'remove the mechanisms that name hosts or domains without addresses or MX records',
  messages: {
    tooManyVoidLookups: `Evaluating the SPF record of {{domain}} makes {{count}} lookups that find nothing ({{terms}}); receivers allow ${MAX_VOID_LOOKUPS} such void lookups and then stop with permerror.`,
  },
}, (facts: SpfFacts, report) => {
  const { voidTerms } = policyCost(facts.policy);
  if (voidTerms.length <= MAX_VOID_LOOKUPS) return [];
  const terms = voidTerms.map(({ domain, term }) => (domain === facts.domain ? term : `${term} (in ${domain})`)).join(', ');
  return [report('tooManyVoidLookups', { domain: facts.domain, count: voidTerms.length, terms })];
});
