import type { TlsaData } from '../../dns/records.js';
import type { CertificateFacts } from '../../tls/certificate.js';
import type { DaneHost } from './collect.js';
import { recordMatch, unusableReason } from './tlsa.js';

/** The chains the host's addresses presented over TLS (with --checks smtp). */
export function presentedChains(host: DaneHost): CertificateFacts[][] {
  return (host.probes ?? []).flatMap((probe) => (probe.state === 'probed' && probe.session.tls && probe.session.tls.chain.length > 0 ? [probe.session.tls.chain] : []));
}

/**
 * What each usable TLSA record of a host is to the chains its addresses presented: `current` matches
 * one of them; `next-key` is a DANE-EE record matching none (a key published ahead of its use, as
 * RFC 7672 §4 asks: expected, not an error); `other-issuer` is a DANE-TA record for a CA that issued
 * none of them.
 */
export type RecordRole = 'current' | 'next-key' | 'other-issuer';

export function recordRole(record: TlsaData, chains: readonly (readonly CertificateFacts[])[]): RecordRole {
  if (chains.some((chain) => recordMatch(record, chain) !== null)) return 'current';
  return record.usage === 3 ? 'next-key' : 'other-issuer';
}

/**
 * A rollover scheme (RFC 7672 §4, RFC 7671 §8.1): a record set that still matches after the server's
 * next change of key or certificate. `current+next`: a record for the key in use and a DANE-EE record
 * for the next one; `current+issuer`: a DANE-EE record for the key in use and a DANE-TA record for
 * the CA that really issued the chain (a new key from that CA still matches, and a new CA with the
 * same key too). Several records for the same certificate or key (3 1 1 beside 3 0 1 or 3 1 2) are
 * one record in effect; a DANE-TA record for a CA that issued nothing presented is no rollover.
 */
export type Rollover =
  | { scheme: 'current+next' | 'current+issuer' }
  /** `records`: the usable ones, with their roles. */
  | { scheme: null; records: { record: TlsaData; role: RecordRole }[] };

/** The host's rollover scheme, or null when there is nothing to judge: no chain presented, or no record matching one (dane-tlsa-mismatch). */
export function rolloverOf(records: readonly TlsaData[], chains: readonly (readonly CertificateFacts[])[]): Rollover | null {
  const roles = records.filter((r) => unusableReason(r) === null).map((record) => ({ record, role: recordRole(record, chains) }));
  const current = roles.filter((r) => r.role === 'current');
  if (chains.length === 0 || current.length === 0) return null;
  if (roles.some((r) => r.role === 'next-key')) return { scheme: 'current+next' };
  if (current.some((r) => r.record.usage === 3) && current.some((r) => r.record.usage === 2)) return { scheme: 'current+issuer' };
  return { scheme: null, records: roles };
}
