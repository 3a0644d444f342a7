import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import type { SpfFacts } from '../collect.js';
import { effectiveAll, policiesOf } from '../policy.js';
import { describeNoRecord } from '../lookup.js';
import { reachedVia, targetOf } from './record.js';

/** Rules about what the mechanisms say: who is let through, deprecated mechanisms, includes that lead nowhere. */

export const spfPermissiveAll: Rule<SpfFacts> = defineLegacyRule({
  id: 'spf-permissive-all', family: 'spf', severity: 'error', rfc: 'RFC 7208 §5.1',
  severities: {
    error: '"+all" (or a bare "all"), in the record, its redirect target or an included record: every address on the Internet passes',
    warning: '"?all": every address not listed is neutral, so SPF tells receivers nothing',
  },
  summary: 'the record ends in "+all" (anyone passes) or "?all" (anyone is neutral)',
  fix: 'end the record in "-all" (or "~all" while checking that it lists every sender)',
}, (facts, report) => {
  const findings = [];
  const all = effectiveAll(facts.policy);
  const where = all && all.domain !== facts.domain ? ` (through its redirect to ${all.domain})` : '';
  if (all?.qualifier === '+') {
    findings.push(report(`The SPF record of ${facts.domain}${where} ends in "${all.text}": every address on the Internet passes SPF for ${facts.domain}, so anyone can send mail in its name. End the record in "-all" (or "~all").`));
  }
  if (all?.qualifier === '?') {
    findings.push(report.as('warning')(`The SPF record of ${facts.domain}${where} ends in "?all": every address it does not list is neutral, so SPF tells receivers nothing about forged mail. End the record in "~all" or "-all" once it lists every server that sends for ${facts.domain}.`));
  }
  // An include whose record passes everyone matches for every address (RFC 7208 §5.2).
  for (const { policy, via } of policiesOf(facts.policy)) {
    const included = effectiveAll(policy);
    if (via?.term.kind !== 'include' || included?.qualifier !== '+') continue;
    findings.push(report(`"${via.term.text}" in the SPF record of ${via.from} leads to a record that ends in "${included.text}" (at ${included.domain}): the include matches every address, so anyone passes SPF for ${facts.domain}. Remove the include, or have ${policy.domain} publish a record that ends in "-all".`, targetOf(facts, policy.domain)));
  }
  return findings;
});

export const spfPtr: Rule<SpfFacts> = defineLegacyRule({
  id: 'spf-ptr', family: 'spf', severity: 'warning', rfc: 'RFC 7208 §5.5',
  summary: 'the record uses the "ptr" mechanism, which RFC 7208 says not to use',
  fix: 'replace "ptr" with ip4:/ip6: ranges or a/mx mechanisms naming the sending hosts',
}, (facts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  const ptr = policy.dnsTerms.filter((term) => term.kind === 'ptr').map((term) => `"${term.text}"`);
  if (ptr.length === 0) return [];
  return [report(`The SPF record of ${policy.domain}${reachedVia(via)} uses ${ptr.join(', ')}: the ptr mechanism SHOULD NOT be used (RFC 7208 §5.5): it is slow, puts load on the reverse DNS of every sender, and some receivers skip it. Replace it with ip4:/ip6: ranges or a/mx mechanisms naming the sending hosts.`, targetOf(facts, policy.domain))];
}));

export const spfIncludeUnresolvable: Rule<SpfFacts> = defineLegacyRule({
  id: 'spf-include-unresolvable', family: 'spf', severity: 'error', rfc: 'RFC 7208 §5.2, §6.1',
  summary: 'an include: or redirect= names a domain without an SPF record: evaluation reaching it is permerror',
  fix: 'correct the domain name, or remove the include/redirect',
}, (facts, report) => policiesOf(facts.policy).flatMap(({ policy, via }) => {
  if (via === null || policy.lookup.state !== 'none') return [];
  return [report(`"${via.term.text}" in the SPF record of ${via.from} names a domain without an SPF record: ${describeNoRecord(policy.lookup)}. Every SPF check that reaches it ends in permerror (RFC 7208 §5.2, §6.1), which many receivers treat as fail. Correct the domain name, or remove the ${via.term.kind}.`, targetOf(facts, policy.domain))];
}));
