import type { AddressProbe, SmtpFacts } from '../../facts/smtp-probes.js';
import { formatHostPort } from '../../net/host-port.js';
import type { SmtpFailure } from '../../smtp/session.js';
import type { EhloFacts } from '../../smtp/extensions.js';
import type { CertificateFacts } from '../../tls/certificate.js';
import { sha256Hex } from '../../tls/certificate.js';

/** One certificate of a chain a server presented: its names and dates, and its digests in place of its bytes. */
export type CertificateSection = Pick<CertificateFacts, 'subject' | 'issuer' | 'altNames' | 'validFrom' | 'validTo'> & {
  /** SHA-256 of the DER certificate and of its SubjectPublicKeyInfo, hex (TLSA selectors 0 and 1). */
  sha256: string;
  spkiSha256: string;
};

/** What one EHLO reply offers: the server's name, the extensions senders act on, and every keyword. */
export interface EhloSection {
  serverName: string | null; starttls: boolean; size: number | null; pipelining: boolean;
  '8bitmime': boolean; smtputf8: boolean; chunking: boolean; requiretls: boolean; keywords: string[];
}

/** What an SMTP probe of one address found, step by step; a step not reached is null. */
export type SmtpProbeSection = { exchange: string; address: string; family: 4 | 6 } & (
  /** Not connected to: `skipped` says why. */
  | { probed: false; skipped: string }
  | {
    probed: true;
    /** Where --connect-to sent the connection, as HOST:PORT; absent when it went to `address`. */
    connectedTo?: string;
    /** The 220 greeting: code, then its lines. */
    banner: string | null;
    /** The EHLO reply in clear text. */
    ehlo: EhloSection | null;
    /** The EHLO reply after STARTTLS (RFC 3207 §4.2: senders forget the first one); null without TLS. */
    ehloAfterTls: EhloSection | null;
    /** After STARTTLS: "certificate valid" (the chain verifies) and "names the host" are separate answers. */
    tls: {
      protocol: string; cipher: string;
      certificateValid: boolean; certificateError?: string;
      nameMatches: boolean; nameError?: string;
      /** Leaf first. */
      chain: CertificateSection[];
    } | null;
    /** Where and how the probe stopped; null when it got through to QUIT. */
    failure: SmtpFailure | null;
    durationMs: number;
  });

/** `result.smtp` (--checks smtp): every mail host address probed up to STARTTLS and QUIT. */
export interface SmtpSection {
  port: number;
  /**
   * What the run had learnt when these probes were done about connecting from this machine, per
   * family: whether any SMTP connection to this port succeeded; for IPv6 also whether the machine has
   * a global IPv6 address. A timeout counts against a server only where connections succeed.
   */
  connectivity: { ipv4: { connected: boolean }; ipv6: { connected: boolean; globalAddress: boolean } };
  probes: SmtpProbeSection[];
}

function ehloSection(ehlo: EhloFacts): EhloSection {
  return {
    serverName: ehlo.serverName, starttls: ehlo.starttls, size: ehlo.size, pipelining: ehlo.pipelining,
    '8bitmime': ehlo.eightBitMime, smtputf8: ehlo.smtputf8, chunking: ehlo.chunking, requiretls: ehlo.requireTls, keywords: ehlo.keywords,
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
    ehloAfterTls: session.ehloAfterTls ? ehloSection(session.ehloAfterTls) : null,
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

export function smtpSection(facts: Omit<SmtpFacts, 'unresolved'>): SmtpSection {
  const { 4: ipv4, 6: ipv6 } = facts.connectivity;
  return {
    port: facts.port,
    connectivity: { ipv4: { connected: ipv4.connected }, ipv6: { connected: ipv6.connected, globalAddress: ipv6.globalAddress } },
    probes: facts.probes.map(probeSection),
  };
}
