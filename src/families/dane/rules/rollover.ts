import { defineRule } from '../../../core/rule.js';
import { sha256Hex } from '../../../tls/certificate.js';
import type { DaneFacts, DaneHost } from '../collect.js';
import { agileRecords, describeTlsa, matchTlsa, recordMatch, unusableReason } from '../tlsa.js';
import { presentedChains, rolloverOf } from '../rollover.js';
import { applicability } from './applicability.js';

/** Rules about keeping TLSA records matching over time: rollovers (RFC 7672 §4, RFC 7671 §8), digest agility (RFC 7671 §9), a certificate about to be installed. */

/** Hosts whose usable TLSA records senders use, or may (the resolver does not say): where a record set that stops matching costs mail. */
function judged(facts: DaneFacts): DaneHost[] {
  return facts.hosts.filter((host) => host.records.some((r) => unusableReason(r) === null) && applicability(facts, host).applies !== false);
}

export const daneNoRolloverScheme = defineRule({
  id: 'dane-no-rollover-scheme', family: 'dane', severity: 'info', rfc: 'RFC 7672 §4, RFC 7671 §8.1',
  summary: 'with --checks smtp: the TLSA records match only the key or certificate in use, with nothing published for the next one (a DANE-EE record for the next key, or a DANE-TA record for the real issuer beside the DANE-EE one): a new key or certificate will need the records changed first',
  fix: 'publish a second record that survives the next change: "3 1 1" for the next key, or "2 1 1" for the CA that issues the certificate, beside the "3 1 1" of the key in use',
  messages: {
    sameCertificate: '{{tlsaName}} has only records for what {{host}} presents now ({{tlsa}}): when its key or certificate changes, none matches until the records are changed, and DANE senders keep its mail queued meanwhile.',
    otherIssuer: '{{tlsaName}} matches what {{host}} presents now only by {{current}}; {{others}} is a DANE-TA record for a CA that issued nothing {{host}} presents, so it is no rollover: when the key changes, nothing matches until the records are changed.',
  },
}, (facts: DaneFacts, report) => judged(facts).flatMap((host) => {
  const rollover = rolloverOf(host.records, presentedChains(host));
  if (rollover === null || rollover.scheme !== null) return [];
  const current = rollover.records.filter((r) => r.role === 'current').map((r) => describeTlsa(r.record)).join(', ');
  const others = rollover.records.filter((r) => r.role === 'other-issuer').map((r) => `"${describeTlsa(r.record)}"`);
  const place = { target: host.name };
  return [others.length > 0
    ? report('otherIssuer', { tlsaName: host.tlsaName, host: host.name, current, others: others.join(', ') }, place)
    : report('sameCertificate', { tlsaName: host.tlsaName, host: host.name, tlsa: current }, place)];
}));

export const daneTlsaDigestAgility = defineRule({
  id: 'dane-tlsa-digest-agility', family: 'dane', severity: 'warning', rfc: 'RFC 7671 §9, §8',
  summary: 'with --checks smtp: a record of a weaker digest matches the chain, but none of the strongest digest for the same usage and selector does: senders that use only the strongest digest present (Postfix, OpenSSL) find no match',
  fix: 'publish the stronger-digest record for the key in use as well (or remove the stale one): every usage, selector and matching type present must match the chain in use',
  messages: {
    strongestStale: '{{tlsaName}} matches what {{host}} presents only by {{weaker}}, but senders that use only the strongest digest published for usage {{usage}} selector {{selector}} (Postfix, and others on OpenSSL\'s DANE) look at {{strongest}} alone, which matches nothing: they refuse the server and keep mail queued.',
  },
}, (facts: DaneFacts, report) => judged(facts).flatMap((host) => {
  const chains = presentedChains(host);
  if (chains.length === 0) return [];
  const agile = agileRecords(host.records);
  return chains.flatMap((chain) => {
    const matching = (records: typeof agile) => records.filter((r) => recordMatch(r, chain) !== null);
    const all = host.records.filter((r) => unusableReason(r) === null);
    // Only a stale stronger digest beside a matching weaker one: a chain nothing matches is dane-tlsa-mismatch.
    if (matching(agile).length > 0 || matching(all).length === 0) return [];
    const weaker = matching(all)[0]!;
    const strongest = agile.filter((r) => r.usage === weaker.usage && r.selector === weaker.selector);
    if (strongest.length === 0) return [];
    return [report('strongestStale', {
      tlsaName: host.tlsaName, host: host.name, weaker: describeTlsa(weaker), usage: weaker.usage, selector: weaker.selector,
      strongest: strongest.map(describeTlsa).join(', '),
    }, { target: host.name })];
  }).slice(0, 1);
}));

/** The hosts a certificate to be installed is for: those it names, or every host when it names none of them. */
function hostsFor(facts: DaneFacts): DaneHost[] {
  const certificate = facts.newCertificate;
  if (certificate === null) return [];
  const named = facts.hosts.filter((host) => certificate.x509.checkHost(host.name) !== undefined);
  return named.length > 0 ? named : facts.hosts;
}

export const daneNewCertMismatch = defineRule({
  id: 'dane-new-cert-mismatch', family: 'dane', severity: 'error', rfc: 'RFC 7672 §4, §3.1, RFC 7671 §8.1',
  summary: 'with --cert: no usable TLSA record of an exchange matches the certificate about to be installed: once it is, DANE senders refuse the server and keep its mail queued',
  fix: 'publish a TLSA record for the new key beside the current one, wait two TTLs of the TLSA records, then install the certificate',
  messages: {
    noMatch: {
      message: 'None of the TLSA records at {{tlsaName}} ({{tlsa}}) matches the certificate to be installed ("{{subject}}", SPKI SHA-256 {{spkiSha256}}): once {{host}} presents it, DANE senders refuse it and keep mail queued.',
      fix: 'publish "{{tlsaName}}. IN TLSA 3 1 1 {{spkiSha256}}" beside the current records, wait two TTLs, then install the certificate',
    },
    noChain: {
      message: 'The certificate file holds the server certificate ("{{subject}}") without its chain, and the TLSA records at {{tlsaName}} ({{tlsa}}) can only match an issuer in the chain the server sends: installed like this, {{host}} matches none of them.',
      fix: 'put the issuer certificates after the server certificate in the file (and in the server\'s configuration: Postfix smtpd_tls_chain_files), or publish "{{tlsaName}}. IN TLSA 3 1 1 {{spkiSha256}}"',
    },
    otherName: {
      message: 'The TLSA records at {{tlsaName}} ({{tlsa}}) are DANE-TA records matching the issuer of the certificate to be installed, but the certificate ("{{subject}}") does not name {{host}}, which DANE-TA requires: DANE senders will refuse it.',
      fix: 'get the certificate for {{host}} (in its subjectAltName), or publish "{{tlsaName}}. IN TLSA 3 1 1 {{spkiSha256}}"',
    },
  },
}, (facts: DaneFacts, report) => {
  const certificate = facts.newCertificate;
  if (certificate === null) return [];
  const judgedHosts = new Set(judged(facts));
  return hostsFor(facts).filter((host) => judgedHosts.has(host)).flatMap((host) => {
    const usable = host.records.filter((r) => unusableReason(r) === null);
    const namesHost = certificate.x509.checkHost(host.name) !== undefined;
    if (matchTlsa(usable, certificate.chain, namesHost).matched) return [];
    const leaf = certificate.chain[0]!;
    const data = { tlsaName: host.tlsaName, tlsa: usable.map(describeTlsa).join(', '), subject: leaf.subject, spkiSha256: sha256Hex(leaf.spki), host: host.name };
    const place = { target: host.name };
    if (usable.every((r) => r.usage === 2)) {
      if (certificate.chain.length === 1) return [report('noChain', data, place)];
      if (!namesHost && matchTlsa(usable, certificate.chain, true).matched) return [report('otherName', data, place)];
    }
    return [report('noMatch', data, place)];
  });
});
