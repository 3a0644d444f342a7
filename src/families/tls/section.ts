import { formatHostPort } from '../../net/host-port.js';
import { describeStop } from '../../smtp/tls-scan.js';
import type { TrialState } from '../../smtp/tls-scan.js';
import type { TlsVersion } from '../../tls/cipher-suites.js';
import { sha256Hex } from '../../tls/certificate.js';
import type { KeyExchange } from '../../tls/offer.js';
import type { TlsQualityFacts, ScannedAddress } from './collect.js';
import { gradeAddress } from './grade.js';
import type { Scanned } from './grade.js';
import { tierLevel } from './profiles.js';
import type { Level, TlsProfileName } from './profiles.js';

/** One certificate of a presented chain, as the TLS scan grades it. */
export interface TlsCertificateSection {
  subject: string;
  issuer: string;
  /** ISO 8601: informational where DANE-EE matches. */
  validTo: string;
  sha256: string;
  spkiSha256: string;
  keyType: string;
  keyBits: number | null;
  curve: string | null;
  signatureAlgorithm: string;
  selfSigned: boolean;
  /** The profile's levels; absent where not graded (a sent root's key, signatures under DANE-EE). */
  keyLevel?: Level;
  signatureLevel?: Level;
}

/** Every trial of the scan, with what happened: accepted (with the profile's level), refused or not tested (with why). */
interface Trial {
  state: TrialState;
  level?: Level;
  reason?: string;
}

export type TlsAddressSection = { exchange: string; address: string; family: 4 | 6 } & (
  | { scanned: false; skipped: string }
  | {
    scanned: true;
    connectedTo?: string;
    /** Did EHLO offer STARTTLS; null when no connection got that far. */
    starttls: boolean | null;
    /** The worst level of everything graded; null when no TLS was negotiated. */
    grade: Level | null;
    /** Why the scan stopped early; absent when it ran to the end. */
    incomplete?: string;
    handshakes: number;
    versions: (Trial & { version: TlsVersion })[];
    suites: (Trial & { version: TlsVersion; suite: string; keyExchange?: KeyExchange | null })[];
    order: { version: TlsVersion; offered: [string, string]; chosen: [string, string]; enforced: boolean | null } | null;
    groups: (Trial & { version: TlsVersion; group: string })[];
    sha1Signatures: Trial;
    chains: {
      /** The suites the server presented this chain with. */
      suites: string[];
      certificates: TlsCertificateSection[];
      trusted: boolean;
      trustError?: string;
      /** It reaches a trust anchor without fetching anything (false: an issuer is missing). */
      complete: boolean;
      nameMatches: boolean;
      /** An authenticated DANE-EE record matches its leaf: names, dates and chain are informational. */
      daneEe: boolean;
      /** Its leaf names an OCSP responder. */
      ocspResponder: boolean;
    }[];
    /** A stapled OCSP response came; null when no handshake asked for one was accepted. */
    ocspStapled: boolean | null;
  });

/** `result.tls` (--checks tls): the profile, and every exchange address scanned. */
export interface TlsSection {
  profile: TlsProfileName;
  port: number;
  addresses: TlsAddressSection[];
}

function trial<T extends { state: TrialState; reason?: string }>(item: T, level: Level | undefined): T & { level?: Level } {
  return item.state === 'accepted' && level !== undefined ? { ...item, level } : item;
}

function scannedSection(facts: TlsQualityFacts, address: Scanned): TlsAddressSection {
  const { profile } = facts;
  const { scan } = address;
  const grade = gradeAddress(profile, address);
  const base = { exchange: address.exchange, address: address.address, family: address.family };
  return {
    ...base,
    scanned: true,
    ...(address.target.via ? { connectedTo: formatHostPort(address.target.host, address.target.port) } : {}),
    starttls: scan.starttls,
    grade: grade.grade,
    ...(scan.stopped ? { incomplete: describeStop(scan.stopped) } : {}),
    handshakes: scan.handshakes,
    versions: scan.versions.map((t) => trial(t, tierLevel(profile.versions, t.version))),
    suites: scan.suites.map((t) => trial(t, tierLevel(profile.suites, t.suite))),
    order: scan.order,
    groups: scan.groups.map((t) => trial(t, tierLevel(profile.groups, t.group))),
    sha1Signatures: trial(scan.sha1Signatures, profile.sha1Handshake),
    chains: scan.chains.map((chain, index) => {
      const { trust, name } = chain.certificates;
      return {
        suites: chain.suites,
        certificates: grade.certificates.filter((c) => c.chain === index).map((c): TlsCertificateSection => ({
          subject: c.certificate.subject, issuer: c.certificate.issuer, validTo: c.certificate.validTo,
          sha256: sha256Hex(c.certificate.der), spkiSha256: sha256Hex(c.certificate.spki),
          keyType: c.profile.keyType, keyBits: c.profile.keyBits, curve: c.profile.curve, signatureAlgorithm: c.profile.signatureAlgorithm,
          selfSigned: c.profile.selfSigned,
          ...(c.keyLevel === null ? {} : { keyLevel: c.keyLevel }),
          ...(c.signatureLevel === null ? {} : { signatureLevel: c.signatureLevel }),
        })),
        trusted: trust.verified,
        ...(trust.verified ? {} : { trustError: trust.reason }),
        complete: !grade.incomplete.some((i) => i.chain === index),
        nameMatches: name.matches,
        daneEe: address.daneEe[index] ?? false,
        ocspResponder: grade.certificates.some((c) => c.chain === index && c.position === 0 && c.profile.ocspResponder),
      };
    }),
    ocspStapled: scan.ocspStapled,
  };
}

function addressSection(facts: TlsQualityFacts, address: ScannedAddress): TlsAddressSection {
  if (address.state === 'skipped') return { exchange: address.exchange, address: address.address, family: address.family, scanned: false, skipped: address.reason };
  return scannedSection(facts, address);
}

export function tlsSection(facts: TlsQualityFacts): TlsSection {
  return { profile: facts.profile.name, port: facts.port, addresses: facts.addresses.map((address) => addressSection(facts, address)) };
}
