/** Whether DANE-aware senders use a host's TLSA records lives in src/facts/dane.ts, where the TLS family reads it too. */
export { applicability } from '../../../facts/dane.js';
export type { Applicability } from '../../../facts/dane.js';
