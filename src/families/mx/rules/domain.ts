import { defineRule } from '../../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../../common/lookup-failed.js';
import type { MailFacts } from '../../../facts/mail.js';
import { canonicalDomain } from '../../../facts/mail.js';
import { addressesOf, knownEmpty, lookupFailures, mailHosts } from '../../../facts/host.js';
import { aliasChainBroken } from '../../../facts/chain.js';

/** Rules about the mail domain itself: does it exist, is it an alias, does it have MX records at all. */

export const domainNxdomain = defineRule({
  id: 'domain-nxdomain', family: 'mx', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'the mail domain does not exist (NXDOMAIN)',
  fix: 'check the spelling, or publish the domain in DNS',
  messages: {
    nxdomain: '{{domain}} does not exist (NXDOMAIN): mail to it bounces.',
    aliasTargetNxdomain: '{{domain}} does not exist (NXDOMAIN) (it is an alias of {{canonical}}, which does not exist): mail to it bounces.',
  },
}, (facts: MailFacts, report) => {
  if (facts.mx.state !== 'nxdomain') return [];
  return [facts.mx.chain.length > 0
    ? report('aliasTargetNxdomain', { domain: facts.domain, canonical: canonicalDomain(facts) })
    : report('nxdomain', { domain: facts.domain })];
});

export const mailDomainAlias = defineRule({
  id: 'mail-domain-alias', family: 'mx', severity: 'info', rfc: 'RFC 5321 §5.1, RFC 1034 §3.6.2',
  summary: 'the mail domain itself is a CNAME; SMTP follows it to the canonical name',
  fix: 'nothing required; publish MX records at the domain itself if it needs any other record (a CNAME allows none)',
  messages: {
    alias: '{{domain}} is an alias (CNAME {{chain}}); senders follow it and use the MX records of {{canonical}}. A CNAME allows no other record at {{domain}}.',
  },
}, (facts: MailFacts, report) => {
  const { mx } = facts;
  if (mx.chain.length === 0 || aliasChainBroken(mx)) return [];
  return [report('alias', { domain: facts.domain, chain: [facts.domain, ...mx.chain].join(' → '), canonical: canonicalDomain(facts) })];
});

export const mxMissing = defineRule({
  id: 'mx-missing', family: 'mx', severity: 'error', rfc: 'RFC 5321 §5.1, RFC 7505',
  summary: 'no MX and no A/AAAA: the domain cannot receive mail',
  fix: 'publish an MX record (MX 10 mail.example.com.), or a null MX (MX 0 .) if the domain takes no mail',
  messages: {
    noRecords: {
      message: '{{domain}} has no MX records and no A or AAAA records: it cannot receive mail.',
      fix: 'publish an MX record (e.g. "{{domain}}. MX 10 mail.{{domain}}."), or a null MX ("MX 0 .") if it takes no mail',
    },
    aliasLoop: {
      message: '{{domain}} cannot receive mail: its CNAME chain loops ({{chain}}).',
      fix: 'point the alias at a real name, or publish an MX record (e.g. "{{domain}}. MX 10 mail.{{domain}}."), or a null MX ("MX 0 .") if it takes no mail',
    },
  },
}, (facts: MailFacts, report) => {
  if (facts.mx.state === 'loop') return [report('aliasLoop', { domain: facts.domain, chain: [facts.domain, ...facts.mx.chain].join(' → ') })];
  const host = facts.implicit;
  if (host === null || !knownEmpty(host.a) || !knownEmpty(host.aaaa)) return [];
  return [report('noRecords', { domain: canonicalDomain(facts) })];
});

export const mxImplicit = defineRule({
  id: 'mx-implicit', family: 'mx', severity: 'warning', rfc: 'RFC 5321 §5.1',
  summary: "no MX; mail falls back to the domain's own A/AAAA (implicit MX)",
  fix: 'publish an explicit MX record, or a null MX (MX 0 .) if the domain takes no mail',
  messages: {
    implicit: '{{host}} has no MX records, so senders deliver to its own {{addressWord}} ({{addresses}}) as an implicit MX.',
  },
}, (facts: MailFacts, report) => {
  const host = facts.implicit;
  if (host === null) return [];
  const addresses = [...addressesOf(host.a), ...addressesOf(host.aaaa)];
  if (addresses.length === 0) return [];
  return [report('implicit', { host: host.name, addressWord: addresses.length > 1 ? 'addresses' : 'address', addresses: addresses.join(', ') })];
});

export const dnsLookupFailed = lookupFailedRule({
  id: 'dns-lookup-failed', family: 'mx', subject: 'the MX records and the exchanges\' addresses', consequence: 'The check could not be completed',
}, (facts: MailFacts) => {
  if (facts.mx.state === 'failed') return [failedLookup(facts.mx.failure)];
  return mailHosts(facts).flatMap((host) => {
    // A question left unasked on purpose (--offline) is zone-external-not-checked's business, not a failure.
    const failures = lookupFailures(host).filter((f) => f.kind !== 'not-asked');
    return failures.length === 0 ? [] : [{ message: failures.map((f) => f.message).join('; '), target: host.name }];
  });
});
