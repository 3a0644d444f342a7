import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import type { DaneFacts } from '../collect.js';
import { describeTlsa, matchTlsa, unusableReason } from '../tlsa.js';
import { sha256Hex } from '../../../tls/certificate.js';
import { applicability } from './applicability.js';

/** Rules about the TLSA records of each exchange (RFC 7672) and, when the SMTP probe ran, the certificates they must match. */

export const daneTlsaBogus: Rule<DaneFacts> = defineLegacyRule({
  id: 'dane-tlsa-bogus', family: 'dane', severity: 'error', rfc: 'RFC 7672 §2.2, RFC 4035 §5.5',
  summary: 'the TLSA answer of an exchange fails DNSSEC validation: DANE senders defer mail to it',
  fix: 're-sign the zone holding _25._tcp.EXCHANGE, or fix its DS',
}, (facts, report) => facts.hosts.flatMap((host) => (host.tlsa.state !== 'bogus' ? [] : [report(
  `The TLSA lookup at ${host.tlsaName} fails DNSSEC validation: ${host.tlsa.evidence}. DANE senders must treat that as a temporary failure and keep mail to ${host.name} queued (RFC 7672 §2.2). Re-sign the zone, or fix its DS at the parent.`,
  host.name)])));

export const daneNotValidated: Rule<DaneFacts> = defineLegacyRule({
  id: 'dane-not-validated', family: 'dane', severity: 'unknown', rfc: 'RFC 7672 §2.2',
  summary: 'DANE could not be judged: a TLSA lookup failed, the exchanges are unknown, or TLSA records exist but the resolver does not validate',
  fix: 'ask a validating resolver (--server), fix the failing lookup, then check again',
}, (facts, report) => {
  if (facts.unresolved) return [report(`The MX lookup for ${facts.domain} failed (${facts.unresolved.message}), so its exchanges and their TLSA records are unknown. Check again once it answers.`)];
  return facts.hosts.flatMap((host) => {
    if (host.tlsa.state === 'failed' && facts.mx.state !== 'insecure') {
      return [report(`The TLSA lookup at ${host.tlsaName} failed: ${host.tlsa.failure.message}. Whether DANE protects ${host.name} is unknown; DANE senders defer mail while it fails (RFC 7672 §2.2).`, host.name)];
    }
    if (host.records.length > 0 && facts.resolver.state !== 'validating') {
      return [report(`${host.tlsaName} has TLSA records, but the resolver does not validate DNSSEC, so whether they are authenticated — and used by senders — cannot be told. Ask a validating resolver with --server.`, host.name)];
    }
    return [];
  });
});

export const daneTlsaInsecure: Rule<DaneFacts> = defineLegacyRule({
  id: 'dane-tlsa-insecure', family: 'dane', severity: 'warning', rfc: 'RFC 7672 §2.2',
  summary: 'TLSA records are published but not DNSSEC-authenticated (the TLSA, MX or address answers lack AD): senders ignore them',
  fix: 'sign the zones of the domain, the exchange and its TLSA records (DS at each parent), or remove the TLSA records',
}, (facts, report) => facts.hosts.flatMap((host) => {
  if (host.records.length === 0) return [];
  const verdict = applicability(facts, host);
  if (verdict.applies !== false) return [];
  return [report(
    `${host.tlsaName} has ${host.records.length} TLSA record${host.records.length === 1 ? '' : 's'}, but ${verdict.insecure.join(' and ')} ${verdict.insecure.length === 1 ? 'is' : 'are'} not DNSSEC-authenticated: senders use TLSA only under a fully signed chain, so this DANE protects nothing (RFC 7672 §2.2). Sign the zones concerned (with DS at each parent), or remove the TLSA records.`,
    host.name)];
}));

export const daneTlsaUnusable: Rule<DaneFacts> = defineLegacyRule({
  id: 'dane-tlsa-unusable', family: 'dane', severity: 'warning', rfc: 'RFC 7672 §3.1',
  summary: 'a TLSA record SMTP senders ignore: usage 0/1 (PKIX), an undefined selector or matching type, or a digest of the wrong length',
  fix: 'publish DANE-EE (3 1 1) or DANE-TA (2 1 1) records for SMTP; remove the others',
}, (facts, report) => facts.hosts.flatMap((host) => {
  const unusable = host.records.flatMap((record) => {
    const reason = unusableReason(record);
    return reason === null ? [] : [`"${describeTlsa(record)}": ${reason}`];
  });
  if (unusable.length === 0) return [];
  const none = unusable.length === host.records.length;
  return [report(
    `${host.tlsaName} has TLSA records SMTP senders ignore: ${unusable.join('; ')}${none ? '. None is usable, so DANE senders only insist on TLS, without authenticating the server' : ''} (RFC 7672 §3.1). Publish DANE-EE (3 1 1) or DANE-TA (2 1 1) records instead.`,
    host.name)];
}));

export const daneTlsaMismatch: Rule<DaneFacts> = defineLegacyRule({
  id: 'dane-tlsa-mismatch', family: 'dane', severity: 'error', rfc: 'RFC 7672 §3.1, RFC 7671 §5',
  summary: 'with --checks smtp: no usable TLSA record matches the certificate chain the exchange presents (or it offers no STARTTLS): DANE senders defer mail',
  fix: 'publish TLSA records for the certificate (or key) in use before deploying a new one; keep old and new records during a rollover',
}, (facts, report) => facts.hosts.flatMap((host) => {
  const usable = host.records.filter((r) => unusableReason(r) === null);
  if (!host.probes || usable.length === 0 || applicability(facts, host).applies !== true) return [];
  return host.probes.flatMap((probe) => {
    if (probe.state !== 'probed') return [];
    const { ehlo, tls } = probe.session;
    if (ehlo && !ehlo.starttls) {
      return [report(`${host.name} (${probe.address}) publishes usable TLSA records at ${host.tlsaName} but offers no STARTTLS: DANE senders require TLS and keep its mail queued (RFC 7672 §2.2). Enable STARTTLS with the certificate the TLSA records describe.`, host.name)];
    }
    if (!tls) return [];
    if (matchTlsa(usable, tls.chain, tls.name.matches).matched) return [];
    const leaf = tls.chain[0];
    const presented = leaf ? ` (server certificate "${leaf.subject}", SHA-256 ${sha256Hex(leaf.der)}, SPKI SHA-256 ${sha256Hex(leaf.spki)})` : '';
    return [report(
      `None of the ${usable.length} usable TLSA record${usable.length === 1 ? '' : 's'} at ${host.tlsaName} (${usable.map(describeTlsa).join(', ')}) matches the certificate chain ${host.name} (${probe.address}) presents${presented}: DANE senders refuse it and keep mail queued (RFC 7672 §3.1). Publish a TLSA record for the certificate or key in use — during a rollover, the old and the new.`,
      host.name)];
  });
}));
