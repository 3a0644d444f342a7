import { CIPHER_SUITES } from '../../tls/cipher-suites.js';

/**
 * The TLS profiles a scan is graded against (`--tls-profile`), as data: each rates what a server
 * accepts and presents in the four levels of the Dutch NCSC guidelines. docs/tls-profiles.md says
 * where every list comes from and where mxlint had to decide what a source leaves open.
 */

/** NCSC's levels, best first: good, sufficient (fine for now), phase out (replace it), insufficient (do not use). */
export type Level = 'good' | 'sufficient' | 'phase-out' | 'insufficient';

export const LEVELS: readonly Level[] = ['good', 'sufficient', 'phase-out', 'insufficient'];

/** Lists by level; whatever none of them names is insufficient. */
export interface Tiers {
  good?: readonly string[];
  sufficient?: readonly string[];
  phaseOut?: readonly string[];
}

/** Key sizes by level: the least size that still earns it; smaller than every one is insufficient. */
export interface SizeTiers {
  good?: number;
  sufficient?: number;
  phaseOut?: number;
}

export interface TlsProfile {
  name: TlsProfileName;
  /** The source and its version, as docs name it. */
  title: string;
  /** How messages name the profile: its name and, short, its source. */
  label: string;
  source: string;
  /** TLSv1 … TLSv1.3. */
  versions: Tiers;
  /** IANA suite names. */
  suites: Tiers;
  /** IANA group names: the ECDHE curves and TLS 1.3's finite-field groups. */
  groups: Tiers;
  /** Finite-field DHE before TLS 1.3, by the size of the server's prime (its own parameters: no group name is sent). */
  dheBits: SizeTiers;
  /** The certificate's RSA (and DSA) modulus. */
  rsaBits: SizeTiers;
  /** The certificate's EC curve (IANA names) or EdDSA key type (ed25519, ed448). */
  certificateCurves: Tiers;
  /** The certificate's signature algorithm, by OpenSSL's name. */
  signatureAlgorithms: Tiers;
  /** SHA-1 signatures in the TLS 1.2 handshake (RFC 9155). */
  sha1Handshake: Level;
  /** The server must pick by its own order when it accepts suites of different levels. */
  serverOrder: boolean;
  /** Stapled OCSP responses are recommended. */
  ocspStapling: boolean;
}

export const TLS_PROFILE_NAMES = ['modern', 'intermediate', 'ncsc'] as const;
export type TlsProfileName = (typeof TLS_PROFILE_NAMES)[number];
export const DEFAULT_TLS_PROFILE: TlsProfileName = 'intermediate';

const OPENSSL_TO_IANA = new Map(CIPHER_SUITES.map((suite) => [suite.openssl, suite.iana]));

/** Mozilla publishes its lists in OpenSSL's names; the profiles hold IANA names. */
function iana(names: readonly string[]): string[] {
  return names.map((name) => {
    const found = OPENSSL_TO_IANA.get(name);
    if (found === undefined) throw new Error(`profile names an unknown suite ${name}`);
    return found;
  });
}

// Mozilla Server Side TLS 5.7: three nested configurations.
const MOZILLA_SOURCE = 'https://wiki.mozilla.org/Security/Server_Side_TLS (version 5.7, https://ssl-config.mozilla.org/guidelines/5.7.json)';
const MOZILLA_TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const MOZILLA_INTERMEDIATE_TLS12 = iana([
  'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305', 'ECDHE-RSA-CHACHA20-POLY1305', 'DHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
]);
const MOZILLA_OLD_ONLY = iana([
  'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-AES128-SHA256', 'ECDHE-ECDSA-AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'ECDHE-ECDSA-AES256-SHA384',
  'ECDHE-RSA-AES256-SHA384', 'ECDHE-ECDSA-AES256-SHA', 'ECDHE-RSA-AES256-SHA', 'DHE-RSA-AES128-SHA256', 'DHE-RSA-AES256-SHA256',
  'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA256', 'AES256-SHA256', 'AES128-SHA', 'AES256-SHA', 'DES-CBC3-SHA',
]);
const MOZILLA_LISTED = new Set([...MOZILLA_TLS13, ...MOZILLA_INTERMEDIATE_TLS12, ...MOZILLA_OLD_ONLY]);
/**
 * Suites no Mozilla configuration lists but as strong as those it does (what OpenSSL's HIGH adds:
 * forward secrecy with AES-CCM, ARIA-GCM, CAMELLIA-GCM; TLS 1.3's AES-128-CCM): outside the profile,
 * not weak. CCM_8's 64-bit tag and DSS certificates are not among them.
 */
const STRONG_UNLISTED_SUITES = CIPHER_SUITES.map((suite) => suite.iana)
  .filter((name) => !MOZILLA_LISTED.has(name) && (/^TLS_(?:ECDHE|DHE)_(?:RSA|ECDSA)_WITH_\w+_(?:GCM_SHA\d+|CCM|CHACHA20_POLY1305_SHA256)$/.test(name) || name === 'TLS_AES_128_CCM_SHA256'));
const MOZILLA_CURVES = ['x25519', 'secp256r1', 'secp384r1'];
/** Curves no Mozilla configuration lists but as strong as those it does: outside the profile, not weak. */
const STRONG_UNLISTED_CURVES = ['secp521r1', 'x448', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1', 'secp256k1'];
/** TLS 1.3's finite-field groups (RFC 7919): Mozilla's DH size is 2048 bits, ffdhe2048 its example. */
const FFDHE_GROUPS = ['ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'];
const ECDSA_SIGNATURES = ['ecdsa-with-SHA256', 'ecdsa-with-SHA384', 'ecdsa-with-SHA512'];
/** Mozilla names sha256WithRSAEncryption, what CAs issue; the stronger hashes and RSA-PSS are not weaker. */
const RSA_SIGNATURES = ['sha256WithRSAEncryption', 'sha384WithRSAEncryption', 'sha512WithRSAEncryption', 'rsassaPss'];

// NCSC-NL IT Security Guidelines for TLS, version 2025-05, as Internet.nl 1.11 applies them.
const NCSC_SOURCE = 'https://www.ncsc.nl/en/transport-layer-security/ICT-beveiligingsrichtlijnen-voor-TLS (version 2025-05)';

const PROFILES: Record<TlsProfileName, TlsProfile> = {
  modern: {
    name: 'modern',
    title: 'Mozilla Server Side TLS 5.7, "modern"',
    label: 'modern (Mozilla 5.7)',
    source: MOZILLA_SOURCE,
    versions: { good: ['TLSv1.3'], phaseOut: ['TLSv1.2'] },
    suites: { good: MOZILLA_TLS13, phaseOut: [...MOZILLA_INTERMEDIATE_TLS12, ...STRONG_UNLISTED_SUITES] },
    groups: { good: MOZILLA_CURVES, phaseOut: [...STRONG_UNLISTED_CURVES, ...FFDHE_GROUPS] },
    dheBits: { phaseOut: 2048 },
    rsaBits: { phaseOut: 2048 },
    certificateCurves: { good: ['secp256r1', 'secp384r1'], phaseOut: ['secp521r1', 'ed25519', 'ed448'] },
    signatureAlgorithms: { good: ECDSA_SIGNATURES, phaseOut: [...RSA_SIGNATURES, 'ED25519', 'ED448'] },
    sha1Handshake: 'insufficient',
    serverOrder: false,
    ocspStapling: true,
  },
  intermediate: {
    name: 'intermediate',
    title: 'Mozilla Server Side TLS 5.7, "intermediate"',
    label: 'intermediate (Mozilla 5.7)',
    source: MOZILLA_SOURCE,
    versions: { good: ['TLSv1.3', 'TLSv1.2'], phaseOut: ['TLSv1.1', 'TLSv1'] },
    suites: { good: [...MOZILLA_TLS13, ...MOZILLA_INTERMEDIATE_TLS12], phaseOut: [...MOZILLA_OLD_ONLY, ...STRONG_UNLISTED_SUITES] },
    groups: { good: [...MOZILLA_CURVES, ...FFDHE_GROUPS], phaseOut: STRONG_UNLISTED_CURVES },
    dheBits: { good: 2048, phaseOut: 1024 },
    rsaBits: { good: 2048 },
    certificateCurves: { good: ['secp256r1', 'secp384r1', 'secp521r1'], phaseOut: ['ed25519', 'ed448'] },
    signatureAlgorithms: { good: [...ECDSA_SIGNATURES, ...RSA_SIGNATURES], phaseOut: ['ED25519', 'ED448'] },
    sha1Handshake: 'insufficient',
    serverOrder: false,
    ocspStapling: true,
  },
  ncsc: {
    name: 'ncsc',
    title: 'NCSC-NL IT Security Guidelines for TLS 2025-05',
    label: 'ncsc (NCSC-NL 2025-05)',
    source: NCSC_SOURCE,
    versions: { good: ['TLSv1.3'], sufficient: ['TLSv1.2'] },
    suites: {
      good: ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'],
      sufficient: [
        'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_CCM_SHA256',
        'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_AES_256_CCM',
        'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
        'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      ],
      phaseOut: [
        'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384', 'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256',
        'TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384',
        'TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384',
        'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384',
        'TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256', 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384',
        'TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384', 'TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256',
        'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
        'TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384', 'TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256', 'TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256',
        'TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384', 'TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384',
        'TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256', 'TLS_DHE_RSA_WITH_AES_256_GCM_SHA384',
        'TLS_DHE_RSA_WITH_AES_256_CCM', 'TLS_DHE_RSA_WITH_AES_256_CBC_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256',
        'TLS_DHE_RSA_WITH_AES_128_CCM', 'TLS_DHE_RSA_WITH_AES_128_CBC_SHA256',
      ],
    },
    groups: {
      good: ['secp521r1', 'secp384r1', 'secp256r1', 'brainpoolP512r1', 'brainpoolP384r1', 'brainpoolP256r1', 'x25519', 'x448'],
      phaseOut: ['secp224r1', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192'],
    },
    // Only the RFC 7919 groups of 3072 bits and more are phase out; a server's own prime is insufficient.
    // Before TLS 1.3 only the size is seen, so 3072 bits and more count as those groups.
    dheBits: { phaseOut: 3072 },
    rsaBits: { good: 3072, phaseOut: 2048 },
    certificateCurves: {
      good: ['secp521r1', 'secp384r1', 'secp256r1', 'brainpoolP512r1', 'brainpoolP384r1', 'brainpoolP256r1', 'ed25519', 'ed448'],
      phaseOut: ['secp224r1'],
    },
    signatureAlgorithms: {
      sufficient: [...RSA_SIGNATURES, ...ECDSA_SIGNATURES, 'ED25519', 'ED448'],
      phaseOut: ['sha224WithRSAEncryption', 'ecdsa-with-SHA224'],
    },
    sha1Handshake: 'insufficient',
    serverOrder: true,
    ocspStapling: true,
  },
};

export function tlsProfile(name: TlsProfileName): TlsProfile {
  return PROFILES[name];
}

export function isTlsProfileName(name: string): name is TlsProfileName {
  return (TLS_PROFILE_NAMES as readonly string[]).includes(name);
}

/** The level a tier list gives `value`. */
export function tierLevel(tiers: Tiers, value: string): Level {
  if (tiers.good?.includes(value)) return 'good';
  if (tiers.sufficient?.includes(value)) return 'sufficient';
  if (tiers.phaseOut?.includes(value)) return 'phase-out';
  return 'insufficient';
}

/** The level a size gets: the best whose least size it reaches. */
export function sizeLevel(tiers: SizeTiers, bits: number): Level {
  if (tiers.good !== undefined && bits >= tiers.good) return 'good';
  if (tiers.sufficient !== undefined && bits >= tiers.sufficient) return 'sufficient';
  if (tiers.phaseOut !== undefined && bits >= tiers.phaseOut) return 'phase-out';
  return 'insufficient';
}

/** Higher is better: for sorting and for picking the worst. */
export function levelRank(level: Level): number {
  return LEVELS.length - 1 - LEVELS.indexOf(level);
}

/** The worst of some levels; null for none. */
export function worstLevel(levels: readonly Level[]): Level | null {
  return levels.reduce<Level | null>((worst, level) => (worst === null || levelRank(level) < levelRank(worst) ? level : worst), null);
}
