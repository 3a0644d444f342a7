import { defineRule } from '../../../core/rule.js';
import type { SpfLimitReached, SpfTermRef } from '../check-host.js';
import type { SpfFacts } from '../collect.js';
import type { DnsTerm } from '../../../facts/spf/policy.js';
import { policyCost } from '../policy.js';
import { MAX_DNS_TERMS, MAX_MX_NAMES, MAX_VOID_LOOKUPS } from '../limits.js';
import type { ClientEvaluation } from '../unlisted-clients.js';
import { targetOf } from './record.js';

/**
 * Rules about the processing limits of RFC 7208 §4.6.4: counted over the policy tree for an
 * evaluation in which nothing matches, whoever the sender; and met by check_host() for an IPv4 and
 * an IPv6 client the record does not list, where the limits differ by family or lie behind macros.
 */

type LimitName = SpfLimitReached['limit'];
type Reached<L extends LimitName> = { evaluation: ClientEvaluation; reached: Extract<SpfLimitReached, { limit: L }> };

/** The evaluations that stopped at `limit`, in groups that stopped the same way (the same `key`). */
function reachedLimit<L extends LimitName>(facts: SpfFacts, limit: L, key: (reached: Extract<SpfLimitReached, { limit: L }>) => string): Reached<L>[][] {
  const groups = new Map<string, Reached<L>[]>();
  for (const evaluation of facts.evaluations) {
    const reached = evaluation.outcome.limit;
    if (reached?.limit !== limit) continue;
    const narrowed = reached as Extract<SpfLimitReached, { limit: L }>;
    const same = key(narrowed);
    groups.set(same, [...(groups.get(same) ?? []), { evaluation, reached: narrowed }]);
  }
  return [...groups.values()];
}

/** "IPv4 clients that the record does not list (evaluated as 192.0.2.1)", or both families. */
function clientsOf(group: readonly { evaluation: ClientEvaluation }[]): string {
  const families = group.map(({ evaluation }) => `IPv${evaluation.family}`).join(' and ');
  return `${families} clients that the record does not list (evaluated as ${group.map(({ evaluation }) => evaluation.ip).join(' and ')})`;
}

/** A term as the messages name it: in the domain's own record, or "(in …)" the record that has it. */
function termIn(facts: SpfFacts, { domain, term }: SpfTermRef): string {
  return domain === facts.domain ? term : `${term} (in ${domain})`;
}

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
    clientLookups: `For {{clients}}, evaluating the SPF record of {{domain}} goes past ${MAX_DNS_TERMS} DNS lookups: {{term}} would be lookup number ${MAX_DNS_TERMS + 1}. ${PAST_LIMIT}`,
  },
}, (facts: SpfFacts, report) => {
  const cost = policyCost(facts.policy);
  if (cost.lookups <= MAX_DNS_TERMS && cost.loops.length === 0) {
    // Within the limit counted ahead of time, but not once names built from macros are followed.
    return reachedLimit(facts, 'lookups', (reached) => `${reached.domain} ${reached.term}`).map((group) =>
      report('clientLookups', { clients: clientsOf(group), domain: facts.domain, term: termIn(facts, group[0]!.reached) }));
  }
  const breakdown = facts.policy.dnsTerms.map(termCost).join(', ');
  if (cost.loops.length > 0) return [report('loop', { domain: facts.domain, loops: cost.loops.join('; '), breakdown })];
  return [report('tooManyLookups', { domain: facts.domain, lookups: cost.lookups, breakdown })];
});

export const spfVoidLookupLimit = defineRule({
  id: 'spf-void-lookup-limit', family: 'spf', severity: 'warning', rfc: 'RFC 7208 §4.6.4',
  summary: `more than ${MAX_VOID_LOOKUPS} terms look up names that have no records (void lookups), for every sender or for the clients of one address family`,
  fix: 'remove the mechanisms that name hosts or domains without addresses or MX records',
  messages: {
    tooManyVoidLookups: `Evaluating the SPF record of {{domain}} makes {{count}} lookups that find nothing ({{terms}}); receivers allow ${MAX_VOID_LOOKUPS} such void lookups and then stop with permerror.`,
    clientVoidLookups: {
      message: `For {{clients}}, evaluating the SPF record of {{domain}} makes {{count}} lookups that find nothing ({{terms}}); receivers allow ${MAX_VOID_LOOKUPS} such void lookups and then stop with permerror.`,
      fix: 'remove the terms that find nothing, or give the hosts that "a" terms name addresses of both families (A and AAAA)',
    },
  },
}, (facts: SpfFacts, report) => {
  const { voidTerms } = policyCost(facts.policy);
  if (voidTerms.length <= MAX_VOID_LOOKUPS) {
    // Void for every sender: within the limit. Void for the clients of one family, or behind macros: maybe not.
    return reachedLimit(facts, 'voidLookups', (reached) => reached.voids.map((ref) => `${ref.domain} ${ref.term}`).join(' ')).map((group) => {
      const { voids } = group[0]!.reached;
      return report('clientVoidLookups', { clients: clientsOf(group), domain: facts.domain, count: voids.length, terms: voids.map((ref) => termIn(facts, ref)).join(', ') });
    });
  }
  const terms = voidTerms.map((ref) => termIn(facts, ref)).join(', ');
  return [report('tooManyVoidLookups', { domain: facts.domain, count: voidTerms.length, terms })];
});

export const spfMxLimit = defineRule({
  id: 'spf-mx-limit', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.6.4',
  summary: `an "mx" term names a domain with more than ${MAX_MX_NAMES} MX records: every evaluation reaching it is permerror`,
  fix: `list the sending servers with ip4:/ip6: terms (or a: terms) instead, or name a domain with at most ${MAX_MX_NAMES} MX records`,
  messages: {
    tooManyNames: `"{{term}}" in the SPF record of {{from}} looks up {{name}}, which has {{exchanges}} MX records; receivers look at no more than ${MAX_MX_NAMES} and stop with permerror, which many treat as fail: every SPF check that reaches the term ends so.`,
  },
}, (facts: SpfFacts, report) => reachedLimit(facts, 'mxNames', (reached) => `${reached.domain} ${reached.term}`).map((group) => {
  const { domain, term, name, exchanges } = group[0]!.reached;
  return report('tooManyNames', { term, from: domain, name, exchanges }, { target: targetOf(facts, domain) });
}));
