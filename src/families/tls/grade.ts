import type { TlsVersion } from '../../tls/cipher-suites.js';
import { certificateProfile } from '../../tls/certificate-key.js';
import type { CertificateProfile } from '../../tls/certificate-key.js';
import type { CertificateFacts } from '../../tls/certificate.js';
import type { ScannedAddress } from './collect.js';
import { levelRank, sizeLevel, tierLevel, worstLevel } from './profiles.js';
import type { Level, TlsProfile } from './profiles.js';

/** What a profile makes of one address's scan: a level for everything the server accepted or presented, and the worst of them. */

export type Scanned = Extract<ScannedAddress, { state: 'scanned' }>;

export interface GradedCertificate {
  /** Which chain of the scan, and where in it (0: the leaf). */
  chain: number;
  position: number;
  certificate: CertificateFacts;
  profile: CertificateProfile;
  /** null: not graded (the key of a root the server sent along, or any but the leaf's under DANE-EE). */
  keyLevel: Level | null;
  /** null: not graded (a self-signed certificate's own signature, or any under DANE-EE). */
  signatureLevel: Level | null;
}

/** The two suites of the order test, when the profile wants the server's order and the server did not keep it. */
export interface OrderViolation {
  version: TlsVersion;
  /** The suite the profile rates lower, and the one it rates higher. */
  lower: string;
  higher: string;
  lowerLevel: Level;
  higherLevel: Level;
  /** not-enforced: the server took whichever came first; prefers-lower: it picked the lower one both times. */
  kind: 'not-enforced' | 'prefers-lower';
}

/** A chain that does not reach a trust anchor because an issuer is missing (nothing is fetched from the AIA URL). */
export interface IncompleteChain {
  chain: number;
  code: string;
  reason: string;
  /** The last certificate the server sent: its issuer is the one missing. */
  lastIssuer: string;
  /** An authenticated DANE-EE record matches the leaf: the chain is informational. */
  daneEe: boolean;
}

export interface GradedAddress {
  versions: { version: TlsVersion; level: Level }[];
  suites: { version: TlsVersion; suite: string; level: Level }[];
  groups: { version: TlsVersion; group: string; level: Level }[];
  /** Finite-field DHE before TLS 1.3: the suite and the size of the server's prime. */
  dhe: { version: TlsVersion; suite: string; bits: number; level: Level }[];
  /** The level of SHA-1 handshake signatures, when the server accepted them. */
  sha1: Level | null;
  order: OrderViolation | null;
  certificates: GradedCertificate[];
  incomplete: IncompleteChain[];
  /** The worst level of all; null when nothing was negotiated. */
  grade: Level | null;
}

/** OpenSSL's verification errors that mean an issuer of the chain was neither sent nor a trust anchor here. */
const MISSING_ISSUER = new Set(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT']);

/** A missed order matters to the grade as much as the profile's worst level: the server lets a client pick it. */
const ORDER_VIOLATION_LEVEL: Level = 'insufficient';

function keyLevel(profile: TlsProfile, key: CertificateProfile): Level {
  if ((key.keyType === 'rsa' || key.keyType === 'rsa-pss') && key.keyBits !== null) return sizeLevel(profile.rsaBits, key.keyBits);
  if (key.curve !== null) return tierLevel(profile.certificateCurves, key.curve);
  return 'insufficient';
}

function orderViolation(profile: TlsProfile, scanned: Scanned): OrderViolation | null {
  const order = scanned.scan.order;
  if (!profile.serverOrder || order === null || order.enforced === null) return null;
  const [lower, higher] = order.offered;
  const lowerLevel = tierLevel(profile.suites, lower);
  const higherLevel = tierLevel(profile.suites, higher);
  if (levelRank(lowerLevel) >= levelRank(higherLevel)) return null;
  if (!order.enforced) return { version: order.version, lower, higher, lowerLevel, higherLevel, kind: 'not-enforced' };
  return order.chosen[0] === lower ? { version: order.version, lower, higher, lowerLevel, higherLevel, kind: 'prefers-lower' } : null;
}

function gradeCertificates(profile: TlsProfile, scanned: Scanned): { certificates: GradedCertificate[]; incomplete: IncompleteChain[] } {
  const certificates: GradedCertificate[] = [];
  const incomplete: IncompleteChain[] = [];
  scanned.scan.chains.forEach((presented, chain) => {
    const daneEe = scanned.daneEe[chain] ?? false;
    const { trust } = presented.certificates;
    presented.certificates.chain.forEach((certificate, position) => {
      const key = certificateProfile(certificate.der);
      // Under DANE-EE only the leaf's key is used; otherwise every key but a sent root's.
      const keyGraded = daneEe ? position === 0 : position === 0 || !key.selfSigned;
      certificates.push({
        chain, position, certificate, profile: key,
        keyLevel: keyGraded ? keyLevel(profile, key) : null,
        signatureLevel: daneEe || key.selfSigned ? null : tierLevel(profile.signatureAlgorithms, key.signatureAlgorithm),
      });
    });
    if (!trust.verified && MISSING_ISSUER.has(trust.code)) {
      const last = presented.certificates.chain.at(-1);
      incomplete.push({ chain, code: trust.code, reason: trust.reason, lastIssuer: last?.issuer ?? '', daneEe });
    }
  });
  return { certificates, incomplete };
}

const graded = new WeakMap<Scanned, GradedAddress>();

/** Grades one scanned address against `profile`; the rules and the section share the result. */
export function gradeAddress(profile: TlsProfile, scanned: Scanned): GradedAddress {
  const known = graded.get(scanned);
  if (known) return known;
  const { scan } = scanned;
  const accepted = <T extends { state: string }>(trials: T[]): T[] => trials.filter((trial) => trial.state === 'accepted');
  const versions = accepted(scan.versions).map((t) => ({ version: t.version, level: tierLevel(profile.versions, t.version) }));
  const suites = accepted(scan.suites).map((t) => ({ version: t.version, suite: t.suite, level: tierLevel(profile.suites, t.suite) }));
  const groups = accepted(scan.groups).map((t) => ({ version: t.version, group: t.group, level: tierLevel(profile.groups, t.group) }));
  const dhe = accepted(scan.suites).flatMap((t) => (t.version !== 'TLSv1.3' && t.keyExchange?.kind === 'dhe'
    ? [{ version: t.version, suite: t.suite, bits: t.keyExchange.size, level: sizeLevel(profile.dheBits, t.keyExchange.size) }] : []));
  const sha1 = scan.sha1Signatures.state === 'accepted' ? profile.sha1Handshake : null;
  const order = orderViolation(profile, scanned);
  const { certificates, incomplete } = gradeCertificates(profile, scanned);
  const levels = [
    ...versions, ...suites, ...groups, ...dhe,
    ...certificates.flatMap((c) => [c.keyLevel, c.signatureLevel].filter((l): l is Level => l !== null).map((level) => ({ level }))),
  ].map((item) => item.level);
  if (sha1 !== null) levels.push(sha1);
  if (order !== null) levels.push(ORDER_VIOLATION_LEVEL);
  const result: GradedAddress = { versions, suites, groups, dhe, sha1, order, certificates, incomplete, grade: versions.length === 0 ? null : worstLevel(levels) };
  graded.set(scanned, result);
  return result;
}
