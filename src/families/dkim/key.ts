import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { KnownKeyType } from './record.js';

/**
 * The public key in a DKIM record's p= tag, read with node:crypto as a verifier reads it: for
 * k=rsa an RSA key, DER-encoded, as a SubjectPublicKeyInfo (what every signer publishes, RFC 6376
 * Appendix C) or a bare RSAPublicKey (what §3.6.1 names; erratum 3017 allows both); for k=ed25519
 * the bare 32-octet Ed25519 key (RFC 8463 §4.2).
 */
export type PublicKeyReading =
  | { ok: true; type: KnownKeyType; bits: number | null }
  | { ok: false; problem: string };

const ED25519_KEY_OCTETS = 32;
/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 octets) }. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function parsedKey(der: Buffer, type: 'spki' | 'pkcs1'): KeyObject | null {
  try {
    return createPublicKey({ key: der, format: 'der', type });
  } catch {
    return null;
  }
}

function readRsaKey(der: Buffer): PublicKeyReading {
  const key = parsedKey(der, 'spki') ?? parsedKey(der, 'pkcs1');
  if (key === null) return { ok: false, problem: 'p= does not decode to an RSA public key (DER SubjectPublicKeyInfo or RSAPublicKey)' };
  if (key.asymmetricKeyType !== 'rsa') return { ok: false, problem: `p= holds an ${key.asymmetricKeyType ?? 'unknown'} key where k=rsa says RSA` };
  return { ok: true, type: 'rsa', bits: key.asymmetricKeyDetails?.modulusLength ?? null };
}

function readEd25519Key(raw: Buffer): PublicKeyReading {
  if (raw.length === ED25519_SPKI_PREFIX.length + ED25519_KEY_OCTETS && raw.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) {
    return { ok: false, problem: `p= holds the Ed25519 key wrapped in a SubjectPublicKeyInfo (${raw.length} octets), where k=ed25519 wants the bare ${ED25519_KEY_OCTETS}-octet key` };
  }
  if (raw.length !== ED25519_KEY_OCTETS) {
    return { ok: false, problem: `p= decodes to ${raw.length} octets, where an Ed25519 key is ${ED25519_KEY_OCTETS}${parsedKey(raw, 'spki')?.asymmetricKeyType === 'rsa' ? ' (it is an RSA key: k=ed25519 is wrong, or the key)' : ''}` };
  }
  if (parsedKey(Buffer.concat([ED25519_SPKI_PREFIX, raw]), 'spki') === null) return { ok: false, problem: 'p= is not an Ed25519 public key' };
  return { ok: true, type: 'ed25519', bits: null };
}

/** `base64`: p= without white space, not empty (an empty p= is a revoked key, not one to read). */
export function readPublicKey(type: KnownKeyType, base64: string): PublicKeyReading {
  if (!BASE64.test(base64)) return { ok: false, problem: 'p= holds characters that base64 does not use' };
  const octets = Buffer.from(base64, 'base64');
  return type === 'rsa' ? readRsaKey(octets) : readEd25519Key(octets);
}
