import { X509Certificate } from 'node:crypto';

/** What a TLS profile grades in a certificate: its public key, the algorithm its issuer signed it with, and whether it is a root. */
export interface CertificateProfile {
  /** rsa, rsa-pss, ec, ed25519, ed448, dsa … (Node's asymmetricKeyType). */
  keyType: string;
  /** Modulus bits for RSA and DSA, curve bits for EC and EdDSA; null when unknown. */
  keyBits: number | null;
  /** EC keys: the IANA TLS group name of the curve (secp256r1 …); ed25519 and ed448 for EdDSA; otherwise null. */
  curve: string | null;
  /** The signature algorithm by its OpenSSL name (sha256WithRSAEncryption, ecdsa-with-SHA256 …), or its OID when unknown. */
  signatureAlgorithm: string;
  /** Issued and signed by its own key: a trust anchor's own certificate, whose signature nobody checks. */
  selfSigned: boolean;
  /** It names an OCSP responder (authorityInfoAccess), so a server could staple a response for it. */
  ocspResponder: boolean;
}

/** Signature algorithm OIDs (RFC 3279, RFC 4055, RFC 5758, RFC 8410) by OpenSSL's names for them. */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
};

/** OpenSSL's curve names where the IANA TLS registry's differ. */
const CURVES: Record<string, string> = { prime256v1: 'secp256r1', prime192v1: 'secp192r1' };
const CURVE_BITS: Record<string, number> = {
  secp192r1: 192, secp224r1: 224, secp256r1: 256, secp256k1: 256, secp384r1: 384, secp521r1: 521,
  brainpoolP256r1: 256, brainpoolP384r1: 384, brainpoolP512r1: 512,
};

/** A DER element's tag, where its contents start and how long they are. */
interface Element {
  tag: number;
  start: number;
  length: number;
}

/** Reads the element at `offset`; null where the bytes are not DER (the certificate parsed, so this is a bug guard). */
function element(der: Uint8Array, offset: number): Element | null {
  if (offset + 2 > der.length) return null;
  const tag = der[offset]!;
  let length = der[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > der.length) return null;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[start + i]!;
    start += octets;
  }
  return start + length <= der.length ? { tag, start, length } : null;
}

const SEQUENCE = 0x30;
const OBJECT_IDENTIFIER = 0x06;

/** The dotted form of an OID's contents (X.690 §8.19). */
function dottedOid(bytes: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const [first = 0, ...rest] = arcs;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...rest].join('.');
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue } (RFC 5280 §4.1). */
function signatureOid(der: Uint8Array): string | null {
  const certificate = element(der, 0);
  if (certificate?.tag !== SEQUENCE) return null;
  const tbs = element(der, certificate.start);
  if (tbs === null) return null;
  const algorithm = element(der, tbs.start + tbs.length);
  if (algorithm?.tag !== SEQUENCE) return null;
  const oid = element(der, algorithm.start);
  return oid?.tag === OBJECT_IDENTIFIER ? dottedOid(der.subarray(oid.start, oid.start + oid.length)) : null;
}

function selfSigned(x509: X509Certificate): boolean {
  try {
    return x509.checkIssued(x509) && x509.verify(x509.publicKey);
  } catch {
    // A key type this OpenSSL cannot verify with: not known to be self-signed.
    return false;
  }
}

/** Reads what a profile grades from one DER certificate. */
export function certificateProfile(der: Uint8Array): CertificateProfile {
  const x509 = new X509Certificate(der);
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const type = key.asymmetricKeyType ?? 'unknown';
  const namedCurve = details.namedCurve === undefined ? null : CURVES[details.namedCurve] ?? details.namedCurve;
  const edwards = type === 'ed25519' || type === 'ed448' ? type : null;
  const oid = signatureOid(der);
  return {
    keyType: type,
    keyBits: details.modulusLength ?? (namedCurve !== null ? CURVE_BITS[namedCurve] ?? null : edwards === 'ed25519' ? 256 : edwards === 'ed448' ? 448 : null),
    curve: namedCurve ?? edwards,
    signatureAlgorithm: oid === null ? 'unknown' : SIGNATURE_ALGORITHMS[oid] ?? oid,
    selfSigned: selfSigned(x509),
    ocspResponder: /^OCSP - URI:/m.test(x509.infoAccess ?? ''),
  };
}
