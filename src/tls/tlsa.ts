import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import type { TlsaData } from '../dns/records.js';
import type { CertificateFacts } from './certificate.js';

/** RFC 7218 names of the TLSA fields. */
export const USAGE_NAMES: Record<number, string> = { 0: 'PKIX-TA', 1: 'PKIX-EE', 2: 'DANE-TA', 3: 'DANE-EE' };
const SELECTOR_NAMES: Record<number, string> = { 0: 'Cert', 1: 'SPKI' };
const MATCHING_NAMES: Record<number, string> = { 0: 'Full', 1: 'SHA2-256', 2: 'SHA2-512' };
const DIGEST_LENGTH: Record<number, number> = { 1: 32, 2: 64 };

/** "3 1 1 a1b2…" as the record is written, the data (hex) cut for messages and reports. */
export function formatTlsa(usage: number, selector: number, matchingType: number, hex: string): string {
  return `${usage} ${selector} ${matchingType} ${hex.length > 16 ? `${hex.slice(0, 16)}…` : hex}`;
}

export function describeTlsa(record: TlsaData): string {
  return formatTlsa(record.usage, record.selector, record.matchingType, Buffer.from(record.certificate).toString('hex'));
}

/**
 * Why SMTP DANE ignores this record, or null when it is usable (RFC 7672 §3.1: only DANE-TA(2) and
 * DANE-EE(3); selectors Cert(0) and SPKI(1); matching Full(0), SHA2-256(1), SHA2-512(2) with a digest
 * of the right length).
 */
export function unusableReason(record: TlsaData): string | null {
  if (record.usage === 0 || record.usage === 1) return `usage ${record.usage} (${USAGE_NAMES[record.usage]}) is not used by SMTP DANE, which trusts no public CA`;
  if (record.usage !== 2 && record.usage !== 3) return `usage ${record.usage} is not defined`;
  if (SELECTOR_NAMES[record.selector] === undefined) return `selector ${record.selector} is not defined`;
  if (MATCHING_NAMES[record.matchingType] === undefined) return `matching type ${record.matchingType} is not defined`;
  const length = DIGEST_LENGTH[record.matchingType];
  if (length !== undefined && record.certificate.length !== length) {
    return `a ${MATCHING_NAMES[record.matchingType]} digest is ${length} octets, this one ${record.certificate.length}`;
  }
  if (record.matchingType === 0 && record.certificate.length === 0) return 'the association data is empty';
  return null;
}

function associationData(cert: CertificateFacts, selector: number, matchingType: number): Buffer {
  const selected = selector === 0 ? cert.der : cert.spki;
  if (matchingType === 1) return createHash('sha256').update(selected).digest();
  if (matchingType === 2) return createHash('sha512').update(selected).digest();
  return Buffer.from(selected);
}

function associates(record: TlsaData, cert: CertificateFacts): boolean {
  return associationData(cert, record.selector, record.matchingType).equals(Buffer.from(record.certificate));
}

/** Each certificate from the leaf up to chain[upTo] is signed by the next: the leaf really hangs off it. */
function linked(chain: readonly CertificateFacts[], upTo: number): boolean {
  for (let i = 0; i < upTo; i++) {
    const child = new X509Certificate(chain[i]!.der);
    const parent = new X509Certificate(chain[i + 1]!.der);
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) return false;
  }
  return true;
}

/** A "2 1 0" record carries the trust anchor's whole public key: the anchor itself need not be sent. */
function signedByKey(chain: readonly CertificateFacts[], spki: Uint8Array): boolean {
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    return false;
  }
  return chain.some((cert, i) => new X509Certificate(cert.der).verify(key) && linked(chain, i));
}

/**
 * What one usable record matches in a chain, names aside: the server certificate (DANE-EE), an issuer
 * the server certificate really chains to, or (2 1 0) the key that signed the chain (DANE-TA); null:
 * nothing in it.
 */
export function recordMatch(record: TlsaData, chain: readonly CertificateFacts[]): string | null {
  const leaf = chain[0];
  if (!leaf || unusableReason(record) !== null) return null;
  if (record.usage === 3) return associates(record, leaf) ? 'the server certificate (DANE-EE)' : null;
  const anchor = chain.findIndex((cert, i) => i > 0 && associates(record, cert));
  if (anchor !== -1 && linked(chain, anchor)) return `the issuer "${chain[anchor]!.subject}" (DANE-TA)`;
  if (record.selector === 1 && record.matchingType === 0 && signedByKey(chain, record.certificate)) return 'the trust anchor key (DANE-TA, full SPKI)';
  return null;
}

export type TlsaMatch = { matched: true; record: TlsaData; by: string } | { matched: false };

/**
 * RFC 7672 §3.1 / RFC 7671 §5: does any usable record match the chain the server presented? DANE-EE
 * matches the leaf and nothing else (names and dates do not matter); DANE-TA matches an issuer in the
 * chain that the leaf really chains to, and the leaf must then name the host (`nameMatches`).
 */
export function matchTlsa(records: readonly TlsaData[], chain: readonly CertificateFacts[], nameMatches: boolean): TlsaMatch {
  for (const record of records) {
    if (record.usage === 2 && !nameMatches) continue;
    const by = recordMatch(record, chain);
    if (by !== null) return { matched: true, record, by };
  }
  return { matched: false };
}

/**
 * RFC 7671 §9: senders with digest algorithm agility (OpenSSL's DANE, and so Postfix) use, per usage
 * and selector, only the records of the strongest digest present (and those of matching type Full).
 * The records such a sender would use, from the usable ones.
 */
export function agileRecords(records: readonly TlsaData[]): TlsaData[] {
  const usable = records.filter((r) => unusableReason(r) === null);
  const strongest = new Map<string, number>();
  for (const r of usable) {
    const key = `${r.usage} ${r.selector}`;
    if (r.matchingType !== 0) strongest.set(key, Math.max(strongest.get(key) ?? 0, r.matchingType));
  }
  return usable.filter((r) => r.matchingType === 0 || r.matchingType === strongest.get(`${r.usage} ${r.selector}`));
}

/**
 * RFC 7672 §3.1.1: does a usable DANE-EE record match the server certificate itself? Then senders
 * that use DANE check nothing else of it: its names, its dates and its chain are informational.
 */
export function daneEeMatches(records: readonly TlsaData[], leaf: CertificateFacts | undefined): boolean {
  return leaf !== undefined && records.some((record) => record.usage === 3 && unusableReason(record) === null && associates(record, leaf));
}
