import { defineRule } from '../../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../../common/lookup-failed.js';
import type { FailedLookup } from '../../common/lookup-failed.js';
import type { DkimFacts } from '../collect.js';

/** Rules about where a selector's key record is: there, not there, behind an alias that leads nowhere, one or several. */

export const dkimSelectorMissing = defineRule({
  id: 'dkim-selector-missing', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §6.1.2',
  summary: 'a DKIM selector given has no key record at SELECTOR._domainkey.DOMAIN: every signature made with it fails',
  fix: 'publish the selector\'s public key at SELECTOR._domainkey.DOMAIN TXT "v=DKIM1; k=rsa; p=…", or stop signing with it',
  messages: {
    nxdomain: '{{name}} does not exist (NXDOMAIN): there is no key for selector {{selector}}, so every signature made with it fails ("no key for signature").',
    nodata: '{{name}} exists but has no TXT record: there is no key for selector {{selector}}, so every signature made with it fails ("no key for signature").',
  },
}, (facts: DkimFacts, report) => facts.selectors.flatMap(({ selector, name, source, lookup }) => {
  if (source !== 'given' || lookup.chain.length > 0 || (lookup.state !== 'nxdomain' && lookup.state !== 'nodata')) return [];
  return [report(lookup.state, { name, selector }, { target: name })];
}));

export const dkimCnameBroken = defineRule({
  id: 'dkim-cname-broken', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §6.1.2',
  summary: 'SELECTOR._domainkey.DOMAIN is an alias (CNAME) of a name that does not exist or holds no key: a provider-hosted key was removed, and signatures with it fail',
  fix: 'remove the CNAME if nobody signs with the selector any more; otherwise have the provider publish the key again, or point the CNAME at its current key',
  messages: {
    nxdomain: '{{name}} is an alias of {{target}}, which does not exist (NXDOMAIN): the key it pointed to was removed, so signatures with selector {{selector}} fail; and whoever can register or claim {{target}} again could publish a key there and sign mail as {{domain}}.',
    nodata: '{{name}} is an alias of {{target}}, which has no TXT record: there is no key for selector {{selector}}, so signatures made with it fail.',
    loop: '{{name}} is an alias whose chain loops ({{chain}}): no key can be read for selector {{selector}}, so signatures made with it fail.',
  },
}, (facts: DkimFacts, report) => facts.selectors.flatMap(({ selector, name, lookup }) => {
  if (lookup.chain.length === 0) return [];
  const target = lookup.chain[lookup.chain.length - 1]!;
  switch (lookup.state) {
    case 'nxdomain':
    case 'nodata': return [report(lookup.state, { name, target, selector, domain: facts.domain }, { target: name })];
    case 'loop': return [report('loop', { name, selector, chain: [name, ...lookup.chain].join(' → ') }, { target: name })];
    default: return [];
  }
}));

export const dkimMultiple = defineRule({
  id: 'dkim-multiple', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §3.6.2.2',
  summary: 'more than one TXT record at one selector: verifiers may use any of them, so signatures verify or fail by chance',
  fix: 'keep one key record per selector; publish a new key under a new selector instead of beside the old one',
  messages: {
    multiple: '{{name}} has {{count}} TXT records ({{records}}): the result of a lookup with several is undefined, so a verifier may use any of them and signatures with selector {{selector}} verify or fail by chance.',
  },
}, (facts: DkimFacts, report) => facts.selectors.flatMap(({ selector, name, lookup }) => {
  if (lookup.state !== 'found' || lookup.keys.length < 2) return [];
  return [report('multiple', { name, selector, count: lookup.keys.length, records: lookup.keys.map((k) => `"${k.text}"`).join(', ') }, { target: name })];
}));

export const dkimNxdomainAboveKey = defineRule({
  id: 'dkim-nxdomain-above-key', family: 'dkim', severity: 'warning', rfc: 'RFC 8020 §2',
  summary: '_domainkey.DOMAIN answers NXDOMAIN though a selector below it has a record: resolvers that trust NXDOMAIN for everything below a name take the key for missing',
  fix: 'fix the name server so that _domainkey.DOMAIN, an empty non-terminal, answers NOERROR with no data instead of NXDOMAIN',
  messages: {
    nxdomain: '{{domainkey}} answers NXDOMAIN (it does not exist), yet {{name}} below it has a record: a resolver that has cached the NXDOMAIN, or a validating one that reads the NSEC records, takes selector {{selector}} for missing, so its signatures fail at some receivers.',
  },
}, (facts: DkimFacts, report) => {
  if (facts.domainkey?.state !== 'nxdomain') return [];
  return facts.selectors.flatMap(({ selector, name, lookup }) => (lookup.state === 'found' || lookup.chain.length > 0
    ? [report('nxdomain', { domainkey: facts.domainkeyName, name, selector }, { target: name })] : []));
});

export const dkimSelectorsUnknown = defineRule({
  id: 'dkim-selectors-unknown', family: 'dkim', severity: 'info', rfc: 'RFC 6376 §3.6.2.1',
  summary: 'no DKIM selector is known to check: whether _domainkey.DOMAIN exists is shown as a hint, never as DKIM missing',
  fix: 'name the selectors the domain signs with (the s= of its DKIM-Signature headers): --dkim-selector NAME[,NAME…]',
  messages: {
    nxdomain: {
      message: '{{name}} does not exist (NXDOMAIN): {{domain}} publishes no DKIM key under any selector, so no signature made as d={{domain}} can verify.',
      fix: 'if mail from {{domain}} should carry its own DKIM signature, publish the key at SELECTOR._domainkey.{{domain}}',
    },
    exists: '{{name}} exists, so DKIM keys may be published below it, but no selector was given to check: the selectors are in the s= tag of the DKIM-Signature headers of mail {{domain}} sends.',
    noneDiscovered: '{{name}} exists, but none of the {{count}} common selectors tried has a key; that proves nothing: the selectors in use are in the s= tag of the DKIM-Signature headers of mail {{domain}} sends.',
  },
}, (facts: DkimFacts, report) => {
  // Common selectors are listed only when something is there: any entry is a selector to judge.
  if (facts.domainkey === null || facts.domainkey.state === 'failed' || facts.selectors.length > 0) return [];
  const data = { name: facts.domainkeyName, domain: facts.domain };
  if (facts.domainkey.state === 'nxdomain') return [report('nxdomain', data)];
  return [facts.discovery === null ? report('exists', data) : report('noneDiscovered', { ...data, count: facts.discovery.asked })];
});

/** The failures that leave something unknown: each given selector's, the common ones' together, and _domainkey's when nothing was given. */
function dkimFailures(facts: DkimFacts): FailedLookup[] {
  const given = facts.selectors.filter((s) => s.source === 'given');
  const failures = given.flatMap(({ name, lookup }) => (lookup.state === 'failed' ? [failedLookup(lookup.failure, name)] : []));
  if (facts.domainkey?.state === 'failed' && (given.length === 0 || facts.discovery !== null)) failures.push(failedLookup(facts.domainkey.failure, facts.domainkeyName));
  // Names left unasked on purpose (zone mode, offline) are zone-external-not-checked's, not failures.
  const discovered = (facts.discovery?.failed ?? []).filter((d) => d.failure.kind !== 'not-asked');
  if (discovered.length > 0) {
    const first = failedLookup(discovered[0]!.failure);
    const selectors = discovered.map((d) => d.selector).join(', ');
    failures.push({ ...first, message: `${discovered.length} of the common selectors could not be asked (${selectors}); the first: ${first.message}` });
  }
  return failures;
}

export const dkimLookupFailed = lookupFailedRule({ id: 'dkim-lookup-failed', family: 'dkim', subject: 'the DKIM keys' }, dkimFailures);
