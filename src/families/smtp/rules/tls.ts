import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import { failedIn, probed, where } from './probe.js';
import type { ProbedAddress } from './probe.js';

/** Rules about STARTTLS and the certificate each exchange address presents. */

/** Certificates that expire sooner than this are flagged: enough time to renew, as ACME clients do at 30 days. */
export const CERT_EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

export const smtpStarttlsMissing: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-starttls-missing', family: 'smtp', severity: 'warning', rfc: 'RFC 3207',
  summary: 'the server does not offer STARTTLS after EHLO: mail to it travels unencrypted',
  fix: 'enable STARTTLS with a certificate for the exchange name (Postfix: smtpd_tls_security_level = may, smtpd_tls_chain_files)',
}, (facts, report) => probed(facts).flatMap((probe) => {
  const ehlo = probe.session.ehlo;
  if (!ehlo || ehlo.starttls) return [];
  return [report(
    `${where(probe, facts.port)} does not offer STARTTLS (EHLO offers ${ehlo.keywords.join(', ') || 'no extensions'}): mail to it crosses the network in clear text, and neither MTA-STS nor DANE can protect it (RFC 3207). Enable STARTTLS with a certificate for ${probe.exchange} (Postfix: smtpd_tls_security_level = may and smtpd_tls_chain_files).`,
    probe.exchange)];
}));

export const smtpTlsFailed: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-tls-failed', family: 'smtp', severity: 'error', rfc: 'RFC 3207 §4',
  summary: 'STARTTLS is offered but fails: refused, the TLS handshake breaks, or the server does not answer EHLO over TLS',
  fix: 'fix the TLS setup (certificate and key files readable, protocols TLS 1.2+), or stop offering STARTTLS until it works',
}, (facts, report) => failedIn(facts, ['starttls', 'tls-handshake', 'ehlo-after-tls']).map(({ probe, failure }) => {
  const step = failure.phase === 'starttls' ? 'STARTTLS was refused' : failure.phase === 'tls-handshake' ? 'the TLS handshake failed' : 'EHLO over TLS failed';
  return report(
    `${where(probe, facts.port)} offers STARTTLS but ${step}: ${failure.message}. Senders that insist on TLS (MTA-STS, DANE) cannot deliver, and others retry or fall back to clear text (RFC 3207 §4). Fix the TLS setup (mxlint offers TLS 1.2 and 1.3), or stop offering STARTTLS until it works.`,
    probe.exchange);
}));

function withTls(facts: SmtpFacts): (ProbedAddress & { tls: NonNullable<ProbedAddress['session']['tls']> })[] {
  return probed(facts).flatMap((probe) => (probe.session.tls ? [{ ...probe, tls: probe.session.tls }] : []));
}

export const smtpCertInvalid: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-cert-invalid', family: 'smtp', severity: 'warning', rfc: 'RFC 5280 §6, RFC 8461 §4.2',
  summary: 'the STARTTLS certificate chain does not verify to a trusted root (self-signed, unknown CA, missing intermediate, expired)',
  fix: 'install a certificate from a public CA with its full chain (Postfix: smtpd_tls_chain_files with the key, then the leaf, then the intermediates)',
}, (facts, report) => withTls(facts).flatMap((probe) => {
  if (probe.tls.trust.verified) return [];
  return [report(
    `The certificate of ${where(probe, facts.port)} does not verify: ${probe.tls.trust.reason} (${probe.tls.trust.code}). Opportunistic senders still deliver, but MTA-STS senders refuse it (RFC 8461 §4.2) and it proves nothing to anyone (RFC 5280 §6). Install a certificate from a public CA with its full chain (leaf, then intermediates).`,
    probe.exchange)];
}));

export const smtpCertNameMismatch: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-cert-name-mismatch', family: 'smtp', severity: 'warning', rfc: 'RFC 6125 §6',
  summary: 'the STARTTLS certificate does not name the exchange (subjectAltName)',
  fix: 'get a certificate whose subjectAltName includes the exchange name the MX record points to',
}, (facts, report) => withTls(facts).flatMap((probe) => {
  if (probe.tls.name.matches) return [];
  return [report(
    `The certificate of ${where(probe, facts.port)} is not for ${probe.exchange}: ${probe.tls.name.reason}. Senders that check names (MTA-STS) refuse it (RFC 6125 §6). Get a certificate whose subjectAltName includes ${probe.exchange}.`,
    probe.exchange)];
}));

export const smtpCertExpiring: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-cert-expiring', family: 'smtp', severity: 'warning', rfc: 'RFC 5280 §4.1.2.5',
  summary: `a certificate of the STARTTLS chain expires within ${CERT_EXPIRY_WARNING_DAYS} days`,
  fix: 'renew the certificate (and automate renewal), then reload the mail server',
}, (facts, report) => withTls(facts).flatMap((probe) => {
  const expiring = probe.tls.chain
    .map((cert) => ({ cert, left: Date.parse(cert.validTo) - facts.checkedAt }))
    .filter(({ left }) => left > 0 && left < CERT_EXPIRY_WARNING_DAYS * DAY_MS);
  return expiring.map(({ cert, left }) => report(
    `The certificate "${cert.subject}" presented by ${where(probe, facts.port)} expires on ${cert.validTo.slice(0, 10)}, in ${(left / DAY_MS).toFixed(1)} days; after that senders that verify certificates refuse it (RFC 5280 §4.1.2.5). Renew it, automate renewal, and reload the mail server.`,
    probe.exchange));
}));
