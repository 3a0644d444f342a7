import { defineRule } from '../../../core/rule.js';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import { failedIn } from './probe.js';
import { probed, where } from '../../common/smtp-probe.js';
import type { ProbedAddress } from '../../common/smtp-probe.js';

/** Rules about STARTTLS and the certificate each exchange address presents. */

/** Certificates that expire sooner than this are flagged: enough time to renew, as ACME clients do at 30 days. */
export const CERT_EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

export const smtpStarttlsMissing = defineRule({
  id: 'smtp-starttls-missing', family: 'smtp', severity: 'warning', rfc: 'RFC 3207',
  summary: 'the server does not offer STARTTLS after EHLO: mail to it travels unencrypted',
  fix: 'enable STARTTLS with a certificate for the exchange name (Postfix: smtpd_tls_security_level = may, smtpd_tls_chain_files)',
  messages: {
    missing: {
      message: '{{server}} does not offer STARTTLS (EHLO offers {{keywords}}): mail to it crosses the network in clear text, and neither MTA-STS nor DANE can protect it.',
      fix: 'enable STARTTLS with a certificate for {{exchange}} (Postfix: smtpd_tls_security_level = may and smtpd_tls_chain_files)',
    },
  },
}, (facts: SmtpFacts, report) => probed(facts).flatMap((probe) => {
  const ehlo = probe.session.ehlo;
  if (!ehlo || ehlo.starttls) return [];
  return [report('missing', { server: where(probe, facts.port), keywords: ehlo.keywords.join(', ') || 'no extensions', exchange: probe.exchange }, { target: probe.exchange })];
}));

const TLS_FAILED_CONSEQUENCE = 'Senders that insist on TLS (MTA-STS, DANE) cannot deliver, and others retry or fall back to clear text.';

export const smtpTlsFailed = defineRule({
  id: 'smtp-tls-failed', family: 'smtp', severity: 'error', rfc: 'RFC 3207 §4',
  summary: 'STARTTLS is offered but fails: refused, the TLS handshake breaks, or the server does not answer EHLO over TLS',
  fix: 'fix the TLS setup (certificate and key files readable, protocols TLS 1.2+), or stop offering STARTTLS until it works',
  messages: {
    starttlsRefused: `{{server}} offers STARTTLS but STARTTLS was refused: {{failure}}. ${TLS_FAILED_CONSEQUENCE}`,
    handshakeFailed: `{{server}} offers STARTTLS but the TLS handshake failed (mxlint offers TLS 1.2 and 1.3): {{failure}}. ${TLS_FAILED_CONSEQUENCE}`,
    ehloAfterTlsFailed: `{{server}} offers STARTTLS but EHLO over TLS failed: {{failure}}. ${TLS_FAILED_CONSEQUENCE}`,
  },
}, (facts: SmtpFacts, report) => failedIn(facts, ['starttls', 'tls-handshake', 'ehlo-after-tls']).map(({ probe, failure }) => report(
  failure.phase === 'starttls' ? 'starttlsRefused' : failure.phase === 'tls-handshake' ? 'handshakeFailed' : 'ehloAfterTlsFailed',
  { server: where(probe, facts.port), failure: failure.message }, { target: probe.exchange })));

function withTls(facts: SmtpFacts): (ProbedAddress & { tls: NonNullable<ProbedAddress['session']['tls']> })[] {
  return probed(facts).flatMap((probe) => (probe.session.tls ? [{ ...probe, tls: probe.session.tls }] : []));
}

export const smtpCertInvalid = defineRule({
  id: 'smtp-cert-invalid', family: 'smtp', severity: 'warning', rfc: 'RFC 5280 §6, RFC 8461 §4.2',
  summary: 'the STARTTLS certificate chain does not verify to a trusted root (self-signed, unknown CA, missing intermediate, expired)',
  fix: 'install a certificate from a public CA with its full chain (Postfix: smtpd_tls_chain_files with the key, then the leaf, then the intermediates)',
  messages: {
    unverified: 'The certificate of {{server}} does not verify: {{reason}} ({{code}}). Opportunistic senders still deliver, but MTA-STS senders refuse it and it proves nothing to anyone.',
  },
}, (facts: SmtpFacts, report) => withTls(facts).flatMap((probe) => (probe.tls.trust.verified ? []
  : [report('unverified', { server: where(probe, facts.port), reason: probe.tls.trust.reason, code: probe.tls.trust.code }, { target: probe.exchange })])));

export const smtpCertNameMismatch = defineRule({
  id: 'smtp-cert-name-mismatch', family: 'smtp', severity: 'warning', rfc: 'RFC 6125 §6',
  summary: 'the STARTTLS certificate does not name the exchange (subjectAltName)',
  fix: 'get a certificate whose subjectAltName includes the exchange name the MX record points to',
  messages: {
    otherName: {
      message: 'The certificate of {{server}} is not for {{exchange}}: {{reason}}. Senders that check names (MTA-STS) refuse it.',
      fix: 'get a certificate whose subjectAltName includes {{exchange}}',
    },
  },
}, (facts: SmtpFacts, report) => withTls(facts).flatMap((probe) => (probe.tls.name.matches ? []
  : [report('otherName', { server: where(probe, facts.port), exchange: probe.exchange, reason: probe.tls.name.reason }, { target: probe.exchange })])));

export const smtpCertExpiring = defineRule({
  id: 'smtp-cert-expiring', family: 'smtp', severity: 'warning', rfc: 'RFC 5280 §4.1.2.5',
  summary: `a certificate of the STARTTLS chain expires within ${CERT_EXPIRY_WARNING_DAYS} days`,
  fix: 'renew the certificate (and automate renewal), then reload the mail server',
  messages: {
    expiring: 'The certificate "{{subject}}" presented by {{server}} expires on {{date}}, in {{days}} days; after that senders that verify certificates refuse it.',
  },
}, (facts: SmtpFacts, report) => withTls(facts).flatMap((probe) => probe.tls.chain
  .map((cert) => ({ cert, left: Date.parse(cert.validTo) - facts.checkedAt }))
  .filter(({ left }) => left > 0 && left < CERT_EXPIRY_WARNING_DAYS * DAY_MS)
  .map(({ cert, left }) => report('expiring', {
    subject: cert.subject, server: where(probe, facts.port), date: cert.validTo.slice(0, 10), days: (left / DAY_MS).toFixed(1),
  }, { target: probe.exchange }))));
