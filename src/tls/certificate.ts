import { createHash, X509Certificate } from 'node:crypto';
import { checkServerIdentity, rootCertificates } from 'node:tls';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM certificate blocks of a file's text, in order (keys and other blocks beside them left out). */
export function pemCertificates(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

/** One certificate of the chain a server presented, with what DANE matching and the reports need. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** subjectAltName DNS names (and IP addresses as "IP:…"), in the order of the certificate. */
  altNames: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** The whole certificate, DER (TLSA selector 0). */
  der: Uint8Array;
  /** Its SubjectPublicKeyInfo, DER (TLSA selector 1). */
  spki: Uint8Array;
}

/** What the TLS handshake established, and the two separate verdicts on the certificate. */
export interface TlsFacts {
  /** "TLSv1.3" … */
  protocol: string;
  cipher: string;
  /** Leaf first, then the issuers the server sent (and any that verification filled in from the trust store). */
  chain: CertificateFacts[];
  /** Does the chain verify to a trusted root (the bundled Mozilla roots and --ca)? Names are not part of this. */
  trust: { verified: true } | { verified: false; code: string; reason: string };
  /** Does the leaf certificate name the host (RFC 6125 matching)? Judged even when the chain does not verify. */
  name: { matches: true } | { matches: false; reason: string };
}

/** The trust store for verification: Node's bundled roots, plus the given PEM anchors when there are any. */
export function trustStore(extraPem: readonly string[]): string[] | undefined {
  // Without extra anchors leave `ca` unset, so Node's default store (and NODE_EXTRA_CA_CERTS) applies.
  return extraPem.length === 0 ? undefined : [...rootCertificates, ...extraPem];
}

function splitAltNames(text: string | undefined): string[] {
  if (!text) return [];
  return text.split(/,\s*/).flatMap((entry) => {
    if (entry.startsWith('DNS:')) return [entry.slice(4)];
    if (entry.startsWith('IP Address:')) return [`IP:${entry.slice(11)}`];
    return [];
  });
}

/** Reads one DER certificate. */
export function certificateFacts(der: Buffer): CertificateFacts {
  const x509 = new X509Certificate(der);
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    altNames: splitAltNames(x509.subjectAltName),
    validFrom: new Date(x509.validFrom).toISOString(),
    validTo: new Date(x509.validTo).toISOString(),
    der: new Uint8Array(der),
    spki: new Uint8Array(x509.publicKey.export({ type: 'spki', format: 'der' })),
  };
}

/** The peer's chain, leaf first, each certificate once (a self-signed root points at itself). */
function peerChain(socket: TLSSocket): CertificateFacts[] {
  const chain: CertificateFacts[] = [];
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(certificateFacts(cert.raw));
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** Reads a finished handshake: protocol, cipher, chain, trust and name verdicts for `hostName`. */
export function tlsFacts(socket: TLSSocket, hostName: string): TlsFacts {
  const chain = peerChain(socket);
  const peer = socket.getPeerCertificate();
  const trust: TlsFacts['trust'] = socket.authorized
    ? { verified: true }
    : { verified: false, code: errorCode(socket.authorizationError), reason: String(socket.authorizationError?.message ?? socket.authorizationError ?? 'not verified') };
  const identityError = peer.raw ? checkServerIdentity(hostName, peer) : new Error('the server presented no certificate');
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher()?.standardName ?? socket.getCipher()?.name ?? 'unknown',
    chain,
    trust,
    name: identityError === undefined ? { matches: true } : { matches: false, reason: identityError.message },
  };
}

function errorCode(error: Error | string | undefined | null): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return typeof error === 'string' ? error : 'UNVERIFIED';
}

/** Lower-case hex SHA-256, as TLSA matching type 1 and fingerprints are written. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
