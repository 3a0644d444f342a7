import { defineFamily } from '../../core/family.js';
import { smtpFactsFor } from '../../facts/smtp-probes.js';
import type { AddressProbe, SmtpFacts } from '../../facts/smtp-probes.js';
import type { EhloFacts } from '../../smtp/extensions.js';
import type { CertificateFacts } from '../../tls/certificate.js';
import { sha256Hex } from '../../tls/certificate.js';
import { formatHostPort } from '../../net/host-port.js';
import type { CertificateSection, SmtpProbeSection, SmtpSection } from '../../engine/result.js';
import { smtpBannerInvalid, smtpBannerNameMismatch, smtpEhloFailed, smtpNotProbed, smtpUnreachable } from './rules/connection.js';
import { smtpCertExpiring, smtpCertInvalid, smtpCertNameMismatch, smtpStarttlsMissing, smtpTlsFailed } from './rules/tls.js';

export const smtpRules = [
  smtpNotProbed, smtpUnreachable, smtpBannerInvalid, smtpEhloFailed, smtpStarttlsMissing, smtpTlsFailed,
  smtpCertInvalid, smtpCertNameMismatch, smtpCertExpiring, smtpBannerNameMismatch,
];

type ProbedSection = Extract<SmtpProbeSection, { probed: true }>;

function ehloSection(ehlo: EhloFacts): NonNullable<ProbedSection['ehlo']> {
  return {
    serverName: ehlo.serverName, starttls: ehlo.starttls, size: ehlo.size, pipelining: ehlo.pipelining,
    '8bitmime': ehlo.eightBitMime, smtputf8: ehlo.smtputf8, keywords: ehlo.keywords,
  };
}

function certificateSection(cert: CertificateFacts): CertificateSection {
  return {
    subject: cert.subject, issuer: cert.issuer, altNames: cert.altNames, validFrom: cert.validFrom, validTo: cert.validTo,
    sha256: sha256Hex(cert.der), spkiSha256: sha256Hex(cert.spki),
  };
}

export function probeSection(probe: AddressProbe): SmtpProbeSection {
  const base = { exchange: probe.exchange, address: probe.address, family: probe.family };
  if (probe.state === 'skipped') return { ...base, probed: false, skipped: probe.reason };
  const { session, target } = probe;
  return {
    ...base,
    probed: true,
    ...(target.via ? { connectedTo: formatHostPort(target.host, target.port) } : {}),
    banner: session.banner ? `${session.banner.code} ${session.banner.lines.join('\n')}` : null,
    ehlo: session.ehlo ? ehloSection(session.ehlo) : null,
    // "STARTTLS offered" is ehlo.starttls; whether it worked and the certificate is valid are separate answers here.
    tls: session.tls
      ? {
        protocol: session.tls.protocol, cipher: session.tls.cipher,
        certificateValid: session.tls.trust.verified, ...(session.tls.trust.verified ? {} : { certificateError: session.tls.trust.reason }),
        nameMatches: session.tls.name.matches, ...(session.tls.name.matches ? {} : { nameError: session.tls.name.reason }),
        chain: session.tls.chain.map(certificateSection),
      }
      : null,
    failure: session.failure,
    durationMs: session.durationMs,
  };
}

/** SMTP (`--checks smtp`, opt-in): every exchange address probed up to STARTTLS and QUIT, never MAIL FROM. */
export const smtpFamily = defineFamily<SmtpFacts>({
  name: 'smtp',
  collect: smtpFactsFor,
  rules: smtpRules,
  section: (facts): SmtpSection => ({ port: facts.port, probes: facts.probes.map(probeSection) }),
});
