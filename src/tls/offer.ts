import { Duplex } from 'node:stream';
import { connect, createSecureContext } from 'node:tls';
import type { ConnectionOptions, EphemeralKeyInfo } from 'node:tls';
import type { CipherSuite, TlsVersion } from './cipher-suites.js';

/**
 * What one ClientHello of the TLS scan offers, and whether the OpenSSL in use can offer it at all:
 * a version, suites, groups or signature algorithms it lacks are "not tested", never "not accepted".
 */

/** A key exchange group, by its name in the IANA TLS Supported Groups registry and as OpenSSL takes it. */
export interface KeyExchangeGroup {
  /** IANA name, as reports and profiles write it: x25519, secp256r1, ffdhe2048 … */
  name: string;
  /** The name OpenSSL's group lists take. */
  openssl: string;
  kind: 'ecdhe' | 'ffdhe';
  /** The versions that can negotiate it (OpenSSL 3.0 offers brainpool and the old curves in TLS 1.2 only). */
  versions: readonly TlsVersion[];
}

const ECDHE_BOTH: readonly TlsVersion[] = ['TLSv1.3', 'TLSv1.2'];

/** Every group the scan offers, newest and strongest first. */
export const KEY_EXCHANGE_GROUPS: readonly KeyExchangeGroup[] = [
  { name: 'x25519', openssl: 'X25519', kind: 'ecdhe', versions: ECDHE_BOTH },
  { name: 'secp256r1', openssl: 'P-256', kind: 'ecdhe', versions: ECDHE_BOTH },
  { name: 'secp384r1', openssl: 'P-384', kind: 'ecdhe', versions: ECDHE_BOTH },
  { name: 'secp521r1', openssl: 'P-521', kind: 'ecdhe', versions: ECDHE_BOTH },
  { name: 'x448', openssl: 'X448', kind: 'ecdhe', versions: ECDHE_BOTH },
  { name: 'brainpoolP256r1', openssl: 'brainpoolP256r1', kind: 'ecdhe', versions: ['TLSv1.2'] },
  { name: 'brainpoolP384r1', openssl: 'brainpoolP384r1', kind: 'ecdhe', versions: ['TLSv1.2'] },
  { name: 'brainpoolP512r1', openssl: 'brainpoolP512r1', kind: 'ecdhe', versions: ['TLSv1.2'] },
  { name: 'secp256k1', openssl: 'secp256k1', kind: 'ecdhe', versions: ['TLSv1.2'] },
  { name: 'secp224r1', openssl: 'secp224r1', kind: 'ecdhe', versions: ['TLSv1.2'] },
  { name: 'secp192r1', openssl: 'prime192v1', kind: 'ecdhe', versions: ['TLSv1.2'] },
  { name: 'ffdhe2048', openssl: 'ffdhe2048', kind: 'ffdhe', versions: ['TLSv1.3'] },
  { name: 'ffdhe3072', openssl: 'ffdhe3072', kind: 'ffdhe', versions: ['TLSv1.3'] },
  { name: 'ffdhe4096', openssl: 'ffdhe4096', kind: 'ffdhe', versions: ['TLSv1.3'] },
  { name: 'ffdhe6144', openssl: 'ffdhe6144', kind: 'ffdhe', versions: ['TLSv1.3'] },
  { name: 'ffdhe8192', openssl: 'ffdhe8192', kind: 'ffdhe', versions: ['TLSv1.3'] },
];

/** OpenSSL's names for curves in `getEphemeralKeyInfo()`, where they differ from the IANA names. */
const CURVE_NAMES: Record<string, string> = { X25519: 'x25519', X448: 'x448', prime256v1: 'secp256r1', prime192v1: 'secp192r1' };

/** The key exchange a handshake used: an ECDHE group by name, or finite-field DHE by size. */
export interface KeyExchange {
  kind: 'ecdhe' | 'dhe';
  /** The IANA group name; for DHE, the RFC 7919 group when TLS 1.3 negotiated one (its size says which), else null. */
  group: string | null;
  /** Bits: the prime of DHE, the curve of ECDHE. */
  size: number;
}

/** What `getEphemeralKeyInfo()` says about a client's handshake, read; null without an ephemeral key (RSA key exchange). */
export function keyExchangeOf(info: EphemeralKeyInfo | object | null, version: string | null): KeyExchange | null {
  const key = (info ?? {}) as Partial<EphemeralKeyInfo>;
  if (key.type === 'ECDH' && key.name !== undefined && key.size !== undefined) {
    return { kind: 'ecdhe', group: CURVE_NAMES[key.name] ?? key.name, size: key.size };
  }
  if (key.type === 'DH' && key.size !== undefined) {
    // In TLS 1.3 finite-field DH is only ever one of the RFC 7919 groups.
    return { kind: 'dhe', group: version === 'TLSv1.3' ? `ffdhe${key.size}` : null, size: key.size };
  }
  return null;
}

export interface TlsOffer {
  version: TlsVersion;
  /** In the client's order of preference. */
  suites: readonly CipherSuite[];
  /** undefined: OpenSSL's default groups. */
  groups?: readonly KeyExchangeGroup[];
  /** OpenSSL's form, e.g. "RSA+SHA1:ECDSA+SHA1"; undefined: OpenSSL's default. */
  signatureAlgorithms?: string;
  /** Ask for a stapled OCSP response (the status_request extension). */
  requestOcsp?: boolean;
}

/**
 * Security level 0: OpenSSL refuses by default what a scan must be able to offer (TLS 1.0 and 1.1,
 * SHA-1 signatures, small DH groups) — the scan asks what the server accepts, it trusts nothing.
 */
const ANY_STRENGTH = '@SECLEVEL=0';

/** The options of `tls.connect` for an offer (the socket, server name and trust store are the caller's). */
export function connectionOptions(offer: TlsOffer): ConnectionOptions {
  return {
    minVersion: offer.version,
    maxVersion: offer.version,
    // Node sends TLS 1.3 suites (TLS_…) apart from the rest, and takes a list of nothing but a
    // security level as an error: TLS 1.3 offers name their suites only (it has no weak ones).
    ciphers: [...offer.suites.map((suite) => suite.openssl), ...(offer.version === 'TLSv1.3' ? [] : [ANY_STRENGTH])].join(':'),
    ...(offer.groups ? { ecdhCurve: offer.groups.map((group) => group.openssl).join(':') } : {}),
    ...(offer.signatureAlgorithms ? { sigalgs: offer.signatureAlgorithms } : {}),
    ...(offer.requestOcsp ? { requestOCSP: true } : {}),
  };
}

const suiteSupport = new Map<string, boolean>();

/** Whether the OpenSSL in use has this suite (OpenSSL 3 builds lack RC4, DES, 3DES …): asked once per suite. */
export function suiteAvailable(suite: CipherSuite): boolean {
  let known = suiteSupport.get(suite.openssl);
  if (known === undefined) {
    try {
      createSecureContext({ ciphers: suite.versions.includes('TLSv1.3') ? suite.openssl : `${suite.openssl}:${ANY_STRENGTH}` });
      known = true;
    } catch {
      known = false;
    }
    suiteSupport.set(suite.openssl, known);
  }
  return known;
}

/** The first octet of a TLS handshake record; an alert record (21) instead means OpenSSL could not build the hello. */
const HANDSHAKE_RECORD = 22;
const helloSupport = new Map<string, Promise<boolean>>();

/**
 * Whether the OpenSSL in use can send a ClientHello for `offer` (a group it lacks for that version,
 * signature algorithms its build refuses …), found out without a network: the hello is written into
 * a stream that goes nowhere. Asked once per kind of offer.
 */
export function canOffer(offer: TlsOffer): Promise<boolean> {
  const options = connectionOptions(offer);
  const key = JSON.stringify(options);
  let known = helloSupport.get(key);
  if (known === undefined) {
    known = new Promise<boolean>((resolve) => {
      let socket: ReturnType<typeof connect> | undefined;
      const sink = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, done) {
          resolve(chunk[0] === HANDSHAKE_RECORD);
          done();
          setImmediate(() => socket?.destroy());
        },
      });
      try {
        socket = connect({ ...options, socket: sink, rejectUnauthorized: false });
        socket.once('error', () => resolve(false));
      } catch {
        resolve(false);
      }
    });
    helloSupport.set(key, known);
  }
  return known;
}
