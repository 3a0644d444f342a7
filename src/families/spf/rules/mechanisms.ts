import { defineRule } from '../../../core/rule.js';
import type { SpfFacts } from '../collect.js';
import { policiesOf } from '../../../facts/spf/policy.js';
import { passingTerms, policyEnd } from '../policy.js';
import { describeNoRecord } from '../../../facts/spf/lookup.js';
import { reachedThrough, targetOf } from './record.js';

/** Rules about what the mechanisms say: who is let through, deprecated mechanisms, includes that lead nowhere. */

const PASS_ALL = 'every address on the Internet passes SPF for {{domain}}, so anyone can send mail in its name.';
const NEUTRAL_ALL = {
  consequence: 'every address it does not list is neutral, so SPF tells receivers nothing about forged mail.',
  fix: 'end the record in "~all" or "-all" once it lists every server that sends for {{domain}}',
} as const;

export const spfPermissiveAll = defineRule({
  id: 'spf-permissive-all', family: 'spf', severity: 'error', rfc: 'RFC 7208 §4.7, §5.1',
  severities: {
    error: '"+all" (or a bare "all"), in the record, its redirect target or an included record: every address on the Internet passes',
    warning: '"?all", or neither "all" nor "redirect=" (neutral by default): every address not listed is neutral, so SPF tells receivers nothing',
  },
  summary: 'the record ends in "+all" (anyone passes), or in "?all" or without any "all" (anyone not listed is neutral)',
  fix: 'end the record in "-all" (or "~all" while checking that it lists every sender)',
  messages: {
    passAll: `The SPF record of {{domain}} ends in "{{all}}": ${PASS_ALL}`,
    redirectPassAll: `The SPF record of {{domain}} (through its redirect to {{redirect}}) ends in "{{all}}": ${PASS_ALL}`,
    neutralAll: { message: `The SPF record of {{domain}} ends in "{{all}}": ${NEUTRAL_ALL.consequence}`, fix: NEUTRAL_ALL.fix },
    redirectNeutralAll: { message: `The SPF record of {{domain}} (through its redirect to {{redirect}}) ends in "{{all}}": ${NEUTRAL_ALL.consequence}`, fix: NEUTRAL_ALL.fix },
    noAll: { message: `The SPF record of {{domain}} has neither "all" nor "redirect=", so it ends as if in "?all": ${NEUTRAL_ALL.consequence}`, fix: NEUTRAL_ALL.fix },
    redirectNoAll: {
      message: `The SPF record of {{domain}} redirects to {{redirect}}, whose record has neither "all" nor "redirect=", so it ends as if in "?all": ${NEUTRAL_ALL.consequence}`,
      fix: NEUTRAL_ALL.fix,
    },
    includePassAll: {
      message: '"{{term}}" in the SPF record of {{from}} leads to a record that ends in "{{all}}" (at {{allDomain}}): the include matches every address, so anyone passes SPF for {{domain}}.',
      fix: 'remove the include, or have {{included}} publish a record that ends in "-all"',
    },
  },
}, (facts: SpfFacts, report) => {
  const findings = [];
  const end = policyEnd(facts.policy);
  const own = end?.domain === facts.domain;
  if (end?.kind === 'default') {
    findings.push(report(own ? 'noAll' : 'redirectNoAll', { domain: facts.domain, redirect: end.domain }, { severity: 'warning' }));
  } else if (end?.qualifier === '+' || end?.qualifier === '?') {
    const data = { domain: facts.domain, all: end.text, redirect: end.domain };
    if (end.qualifier === '+') findings.push(report(own ? 'passAll' : 'redirectPassAll', data));
    else findings.push(report(own ? 'neutralAll' : 'redirectNeutralAll', data, { severity: 'warning' }));
  }
  // An include whose record passes everyone matches for every address (RFC 7208 §5.2).
  for (const { policy, via } of policiesOf(facts.policy)) {
    const included = policyEnd(policy);
    if (via?.term.kind !== 'include' || included?.kind !== 'all' || included.qualifier !== '+') continue;
    findings.push(report('includePassAll', { ...reachedThrough(via), all: included.text, allDomain: included.domain, domain: facts.domain, included: policy.domain },
      { target: targetOf(facts, policy.domain) }));
  }
  return findings;
});

export const spfNullMxAuthorizes = defineRule({
  id: 'spf-null-mx-authorizes', family: 'spf', severity: 'warning', rfc: 'RFC 7505 §4.2',
  summary: 'the domain takes no mail (null MX), yet its SPF record lets senders pass',
  fix: 'if the domain sends no mail, make its SPF record "v=spf1 -all"; if it does, replace the null MX by MX records of servers that take its mail (bounces and replies)',
  messages: {
    authorizes: {
      message: '{{domain}} takes no mail (null MX), yet its SPF record lets senders pass ({{terms}}). A domain that takes no mail should send none: nothing can come back to it, not a bounce nor a reply, and receivers may refuse mail from it for that reason.',
      fix: 'if it sends no mail, make its SPF record "{{domain}}. TXT \\"v=spf1 -all\\""; if it does, replace the null MX by MX records of servers that take its mail (bounces and replies)',
    },
  },
}, (facts: SpfFacts, report) => {
  const terms = facts.nullMx ? passingTerms(facts.policy) : [];
  return terms.length === 0 ? [] : [report('authorizes', { domain: facts.domain, terms: terms.map((term) => `"${term}"`).join(', ') })];
});

const PTR_CONSEQUENCE = 'which SHOULD NOT be used: it is slow, puts load on the reverse DNS of every sender, and some receivers skip it.';

export const spfPtr = defineRule({
  id: 'spf-ptr', family: 'spf', severity: 'warning', rfc: 'RFC 7208 §5.5',
  summary: 'the record uses the "ptr" mechanism, which RFC 7208 says not to use',
  fix: 'replace "ptr" with ip4:/ip6: ranges or a/mx mechanisms naming the sending hosts',
  messages: {
    ptr: `The SPF record of {{domain}} uses the ptr mechanism ({{terms}}), ${PTR_CONSEQUENCE}`,
    includedPtr: `The SPF record of {{domain}} (reached through "{{term}}" in the SPF record of {{from}}) uses the ptr mechanism ({{terms}}), ${PTR_CONSEQUENCE}`,
  },
}, (facts: SpfFacts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  const ptr = policy.dnsTerms.filter((term) => term.kind === 'ptr').map((term) => `"${term.text}"`);
  if (ptr.length === 0) return [];
  const data = { domain: policy.domain, terms: ptr.join(', ') };
  const place = { target: targetOf(facts, policy.domain) };
  return [via === null ? report('ptr', data, place) : report('includedPtr', { ...data, ...reachedThrough(via) }, place)];
}));

export const spfIncludeUnresolvable = defineRule({
  id: 'spf-include-unresolvable', family: 'spf', severity: 'error', rfc: 'RFC 7208 §5.2, §6.1',
  summary: 'an include: or redirect= names a domain without an SPF record: evaluation reaching it is permerror',
  fix: 'correct the domain name, or remove the include/redirect',
  messages: {
    unresolvable: '"{{term}}" in the SPF record of {{from}} names a domain without an SPF record: {{noRecord}}. Every SPF check that reaches it ends in permerror, which many receivers treat as fail.',
  },
}, (facts: SpfFacts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  if (via === null || policy.lookup.state !== 'none') return [];
  return [report('unresolvable', { ...reachedThrough(via), noRecord: describeNoRecord(policy.lookup) }, { target: targetOf(facts, policy.domain) })];
}));
