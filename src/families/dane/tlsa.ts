/** TLSA matching lives in src/tls/tlsa.ts, where the TLS family reads it too; the DANE family's names for it stay. */
export { agileRecords, describeTlsa, formatTlsa, matchTlsa, recordMatch, unusableReason, USAGE_NAMES } from '../../tls/tlsa.js';
export type { TlsaMatch } from '../../tls/tlsa.js';
