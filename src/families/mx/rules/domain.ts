import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import { failedLookup, lookupFailedRule } from '../../common/lookup-failed.js';
import type { MailFacts } from '../../../facts/mail.js';
import { canonicalDomain } from '../../../facts/mail.js';
import { addressesOf, knownEmpty, lookupFailures, mailHosts } from '../../../facts/host.js';
import { aliasChainBroken } from '../../../facts/chain.js';

/** Rules about the mail domain itself: does it exist, is it an alias, does it have MX records at all. */

export const domainNxdomain: Rule<MailFacts> = defineLegacyRule({
  id: 'domain-nxdomain', family: 'mx', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'the mail domain does not exist (NXDOMAIN)',
  fix: 'check the spelling, or publish the domain in DNS',
}, (facts, report) => {
  if (facts.mx.state !== 'nxdomain') return [];
  const via = facts.mx.chain.length > 0 ? ` (it is an alias of ${canonicalDomain(facts)}, which does not exist)` : '';
  return [report(`${facts.domain} does not exist (NXDOMAIN)${via}: mail to it bounces. Check the spelling, or publish the domain in DNS.`)];
});

export const mailDomainAlias: Rule<MailFacts> = defineLegacyRule({
  id: 'mail-domain-alias', family: 'mx', severity: 'info', rfc: 'RFC 5321 §5.1',
  summary: 'the mail domain itself is a CNAME; SMTP follows it to the canonical name',
  fix: 'nothing required; publish MX records at the domain itself if it needs any other record (a CNAME allows none)',
}, (facts, report) => {
  const { mx } = facts;
  if (mx.chain.length === 0 || aliasChainBroken(mx)) return [];
  return [report(`${facts.domain} is an alias (CNAME ${[facts.domain, ...mx.chain].join(' → ')}); senders follow it and use the MX records of ${canonicalDomain(facts)} (RFC 5321 §5.1). A CNAME allows no other record at ${facts.domain} (RFC 1034 §3.6.2): publish MX records there directly if it needs any.`)];
});

function describeBrokenAlias(facts: MailFacts): string | null {
  const { mx } = facts;
  return mx.state === 'loop' ? `its CNAME chain loops (${[facts.domain, ...mx.chain].join(' → ')})` : null;
}

export const mxMissing: Rule<MailFacts> = defineLegacyRule({
  id: 'mx-missing', family: 'mx', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'no MX and no A/AAAA: the domain cannot receive mail',
  fix: 'publish an MX record (MX 10 mail.example.com.), or a null MX (MX 0 .) if the domain takes no mail',
}, (facts, report) => {
  const broken = describeBrokenAlias(facts);
  const fix = `Publish an MX record (e.g. "${facts.domain}. MX 10 mail.${facts.domain}."), or a null MX ("MX 0 .", RFC 7505) if it takes no mail.`;
  if (broken !== null) return [report(`${facts.domain} cannot receive mail: ${broken}. Point the alias at a real name. ${fix}`)];
  const host = facts.implicit;
  if (host === null || !knownEmpty(host.a) || !knownEmpty(host.aaaa)) return [];
  return [report(`${canonicalDomain(facts)} has no MX records and no A or AAAA records: it cannot receive mail. ${fix}`)];
});

export const mxImplicit: Rule<MailFacts> = defineLegacyRule({
  id: 'mx-implicit', family: 'mx', severity: 'warning', rfc: 'RFC 5321 §5.1',
  summary: "no MX; mail falls back to the domain's own A/AAAA (implicit MX)",
  fix: 'publish an explicit MX record, or a null MX (MX 0 .) if the domain takes no mail',
}, (facts, report) => {
  const host = facts.implicit;
  if (host === null) return [];
  const addresses = [...addressesOf(host.a), ...addressesOf(host.aaaa)];
  if (addresses.length === 0) return [];
  return [report(`${host.name} has no MX records, so senders deliver to its own address${addresses.length > 1 ? 'es' : ''} (${addresses.join(', ')}) as an implicit MX (RFC 5321 §5.1). Publish an explicit MX record naming the mail server, or a null MX ("MX 0 .", RFC 7505) if the domain takes no mail.`)];
});

export const dnsLookupFailed: Rule<MailFacts> = lookupFailedRule({
  id: 'dns-lookup-failed', family: 'mx', subject: 'the MX records and the exchanges\' addresses', consequence: 'The check could not be completed',
}, (facts) => {
  if (facts.mx.state === 'failed') return [failedLookup(facts.mx.failure)];
  return mailHosts(facts).flatMap((host) => {
    // A question left unasked on purpose (--offline) is zone-external-not-checked's business, not a failure.
    const failures = lookupFailures(host).filter((f) => f.kind !== 'not-asked');
    return failures.length === 0 ? [] : [{ message: failures.map((f) => f.message).join('; '), target: host.name }];
  });
});
