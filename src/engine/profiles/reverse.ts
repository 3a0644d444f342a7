import { defineRule } from '../../core/rule.js';
import type { ProfileFacts } from './facts.js';
import { failedLookup, lookupFailedRule } from '../../families/common/lookup-failed.js';
import { forwardLookups, NO_PTR, ptrAbsent, settledWithoutMatch } from '../../families/ptr/rules.js';

/**
 * The `reverse` profile's rules: a name under in-addr.arpa or ip6.arpa that stands for one address
 * has a PTR record whose name resolves back to that address (forward-confirmed reverse DNS).
 */

export const reversePtrMissing = defineRule({
  id: 'reverse-ptr-missing', family: 'profile', severity: 'warning', rfc: 'RFC 1912 §2.1',
  summary: 'a reverse name that stands for an address has no PTR record: mail from that address is refused or junked by receivers that require reverse DNS',
  fix: 'publish a PTR record naming the host that has the address',
  messages: {
    missing: {
      message: '{{domain}} (the address {{address}}) has no PTR record ({{state}}): receivers that require reverse DNS refuse or junk mail sent from it.',
      fix: 'publish "{{domain}}. PTR HOST." naming the host that has {{address}}',
    },
  },
}, (facts: ProfileFacts, report) => {
  const entry = facts.reverse?.entry;
  return entry && ptrAbsent(entry) ? [report('missing', { domain: facts.domain, address: entry.address, state: NO_PTR[entry.ptr.state]! })] : [];
});

export const reversePtrMismatch = defineRule({
  id: 'reverse-ptr-mismatch', family: 'profile', severity: 'warning', rfc: 'RFC 8601 §3',
  summary: 'no PTR name of a reverse name resolves back to its address (no forward-confirmed reverse DNS)',
  fix: 'give the PTR name an A or AAAA record of the address, or point the PTR at a name that has one',
  messages: {
    notConfirmed: {
      message: '{{domain}} (the address {{address}}) has PTR {{names}}, but no such name resolves back to {{address}} ({{lookups}}): receivers that check forward-confirmed reverse DNS (iprev) treat the address as unnamed.',
      fix: 'give {{ptrName}} an {{type}} record of {{address}}, or point the PTR at a name that has one',
    },
  },
}, (facts: ProfileFacts, report) => {
  const entry = facts.reverse?.entry;
  if (!entry || !settledWithoutMatch(entry)) return [];
  const { type, names, lookups, ptrName } = forwardLookups(entry);
  return [report('notConfirmed', { domain: facts.domain, address: entry.address, names, lookups, ptrName, type })];
});

export const reverseLookupFailed = lookupFailedRule({ id: 'reverse-lookup-failed', family: 'profile', subject: 'the PTR records of the address' },
  (facts: ProfileFacts) => {
    const entry = facts.reverse?.entry;
    if (!entry) return [];
    if (entry.ptr.state === 'failed') return [failedLookup(entry.ptr.failure)];
    if (entry.forward.some((f) => f.confirms)) return [];
    return entry.forward.flatMap((f) => (f.outcome.state === 'failed' ? [failedLookup(f.outcome.failure, f.name)] : []));
  });

export const reverseRules = [reversePtrMissing, reversePtrMismatch, reverseLookupFailed];
