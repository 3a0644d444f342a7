import { defineRule } from '../../../core/rule.js';
import type { DaneFacts } from '../collect.js';
import { describeTlsa, matchTlsa, unusableReason } from '../tlsa.js';
import { sha256Hex } from '../../../tls/certificate.js';
import { applicability } from './applicability.js';

/** Rules about the TLSA records of each exchange (RFC 7672) and, when the SMTP probe ran, the certificates they must match. */

function recordWord(count: number): string {
  return count === 1 ? 'record' : 'records';
}

export const daneTlsaBogus = defineRule({
  id: 'dane-tlsa-bogus', family: 'dane', severity: 'error', rfc: 'RFC 7672 §2.2, RFC 4035 §5.5',
  summary: 'the TLSA answer of an exchange fails DNSSEC validation: DANE senders defer mail to it',
  fix: 're-sign the zone holding _25._tcp.EXCHANGE, or fix its DS at the parent',
  messages: {
    bogus: 'The TLSA lookup at {{tlsaName}} fails DNSSEC validation: {{evidence}}. DANE senders must treat that as a temporary failure and keep mail to {{host}} queued.',
  },
}, (facts: DaneFacts, report) => facts.hosts.flatMap((host) => (host.tlsa.state !== 'bogus' ? []
  : [report('bogus', { tlsaName: host.tlsaName, evidence: host.tlsa.evidence, host: host.name }, { target: host.name })])));

export const daneNotValidated = defineRule({
  id: 'dane-not-validated', family: 'dane', severity: 'unknown', rfc: 'RFC 7672 §2.2',
  summary: 'DANE could not be judged: a TLSA lookup failed, the exchanges are unknown, or TLSA records exist but the resolver does not validate',
  fix: 'ask a validating resolver (--server), fix the failing lookup, then check again',
  messages: {
    mxFailed: {
      message: 'The MX lookup for {{domain}} failed ({{failure}}), so its exchanges and their TLSA records are unknown.',
      fix: 'check again once the MX lookup answers',
    },
    tlsaFailed: {
      message: 'The TLSA lookup at {{tlsaName}} failed: {{failure}}. Whether DANE protects {{host}} is unknown; DANE senders defer mail while it fails.',
      fix: 'check again; if it keeps failing, fix the name servers of the zone holding {{tlsaName}}',
    },
    notValidating: {
      message: '{{tlsaName}} has TLSA records, but the resolver does not validate DNSSEC, so whether they are authenticated — and used by senders — cannot be told.',
      fix: 'ask a validating resolver with --server, then check again',
    },
  },
}, (facts: DaneFacts, report) => {
  if (facts.unresolved) return [report('mxFailed', { domain: facts.domain, failure: facts.unresolved.message })];
  return facts.hosts.flatMap((host) => {
    if (host.tlsa.state === 'failed' && facts.mx.state !== 'insecure') {
      return [report('tlsaFailed', { tlsaName: host.tlsaName, failure: host.tlsa.failure.message, host: host.name }, { target: host.name })];
    }
    if (host.records.length > 0 && facts.resolver.state !== 'validating') {
      return [report('notValidating', { tlsaName: host.tlsaName }, { target: host.name })];
    }
    return [];
  });
});

export const daneTlsaInsecure = defineRule({
  id: 'dane-tlsa-insecure', family: 'dane', severity: 'warning', rfc: 'RFC 7672 §2.2',
  summary: 'TLSA records are published but not DNSSEC-authenticated (the TLSA, MX or address answers lack AD): senders ignore them',
  fix: 'sign the zones of the domain, the exchange and its TLSA records (DS at each parent), or remove the TLSA records',
  messages: {
    unauthenticated: '{{tlsaName}} has {{count}} TLSA {{recordWord}}, but {{links}} {{isAre}} not DNSSEC-authenticated: senders use TLSA only under a fully signed chain, so this DANE protects nothing.',
  },
}, (facts: DaneFacts, report) => facts.hosts.flatMap((host) => {
  if (host.records.length === 0) return [];
  const verdict = applicability(facts, host);
  if (verdict.applies !== false) return [];
  return [report('unauthenticated', {
    tlsaName: host.tlsaName, count: host.records.length, recordWord: recordWord(host.records.length),
    links: verdict.insecure.join(' and '), isAre: verdict.insecure.length === 1 ? 'is' : 'are',
  }, { target: host.name })];
}));

export const daneTlsaUnusable = defineRule({
  id: 'dane-tlsa-unusable', family: 'dane', severity: 'warning', rfc: 'RFC 7672 §3.1',
  summary: 'a TLSA record SMTP senders ignore: usage 0/1 (PKIX), an undefined selector or matching type, or a digest of the wrong length',
  fix: 'publish DANE-EE (3 1 1) or DANE-TA (2 1 1) records for SMTP; remove the others',
  messages: {
    someUnusable: '{{tlsaName}} has TLSA records SMTP senders ignore: {{unusable}}.',
    noneUsable: '{{tlsaName}} has TLSA records SMTP senders ignore: {{unusable}}. None is usable, so DANE senders only insist on TLS, without authenticating the server.',
  },
}, (facts: DaneFacts, report) => facts.hosts.flatMap((host) => {
  const unusable = host.records.flatMap((record) => {
    const reason = unusableReason(record);
    return reason === null ? [] : [`"${describeTlsa(record)}": ${reason}`];
  });
  if (unusable.length === 0) return [];
  const data = { tlsaName: host.tlsaName, unusable: unusable.join('; ') };
  return [report(unusable.length === host.records.length ? 'noneUsable' : 'someUnusable', data, { target: host.name })];
}));

export const daneTlsaMismatch = defineRule({
  id: 'dane-tlsa-mismatch', family: 'dane', severity: 'error', rfc: 'RFC 7672 §3.1, §2.2, RFC 7671 §5',
  summary: 'with --checks smtp: no usable TLSA record matches the certificate chain the exchange presents (or it offers no STARTTLS): DANE senders defer mail',
  fix: 'publish TLSA records for the certificate (or key) in use before deploying a new one; keep old and new records during a rollover',
  messages: {
    mismatch: 'None of the {{count}} usable TLSA {{recordWord}} at {{tlsaName}} ({{tlsa}}) matches the certificate chain {{host}} ({{address}}) presents (server certificate "{{subject}}", SHA-256 {{certificateSha256}}, SPKI SHA-256 {{spkiSha256}}): DANE senders refuse it and keep mail queued.',
    // A chain without a server certificate has nothing to name.
    emptyChain: 'None of the {{count}} usable TLSA {{recordWord}} at {{tlsaName}} ({{tlsa}}) matches the certificate chain {{host}} ({{address}}) presents: DANE senders refuse it and keep mail queued.',
    noStarttls: {
      message: '{{host}} ({{address}}) publishes usable TLSA records at {{tlsaName}} but offers no STARTTLS: DANE senders require TLS and keep its mail queued.',
      fix: 'enable STARTTLS with the certificate the TLSA records describe',
    },
  },
}, (facts: DaneFacts, report) => facts.hosts.flatMap((host) => {
  const usable = host.records.filter((r) => unusableReason(r) === null);
  if (!host.probes || usable.length === 0 || applicability(facts, host).applies !== true) return [];
  return host.probes.flatMap((probe) => {
    if (probe.state !== 'probed') return [];
    const { ehlo, tls } = probe.session;
    const place = { target: host.name };
    if (ehlo && !ehlo.starttls) return [report('noStarttls', { host: host.name, address: probe.address, tlsaName: host.tlsaName }, place)];
    if (!tls) return [];
    if (matchTlsa(usable, tls.chain, tls.name.matches).matched) return [];
    const data = { count: usable.length, recordWord: recordWord(usable.length), tlsaName: host.tlsaName, tlsa: usable.map(describeTlsa).join(', '), host: host.name, address: probe.address };
    const leaf = tls.chain[0];
    return [leaf
      ? report('mismatch', { ...data, subject: leaf.subject, certificateSha256: sha256Hex(leaf.der), spkiSha256: sha256Hex(leaf.spki) }, place)
      : report('emptyChain', data, place)];
  });
}));
