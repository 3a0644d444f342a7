import { describeExtendedError } from '../../dns/message.js';
import type { DnssecFacts, ValidatedName } from './collect.js';

/** One lookup asked with DO. `authenticated` is null where it cannot be told: the lookup failed, or the resolver does not validate. */
export type DnssecLookup = { name: string; type: 'MX' | 'A' | 'AAAA' } & (
  | { state: 'secure' | 'insecure'; rcode: string; authenticated: boolean | null }
  /** `evidence`: how validation was seen to fail (an EDE, or a SERVFAIL that clears with CD). */
  | { state: 'bogus'; authenticated: false; evidence: string; extendedErrors: string[] }
  | { state: 'failed'; authenticated: null; error: string; extendedErrors: string[] });

/** `result.dnssec` (--checks dnssec): the answers mail delivery reads, asked again with DO through the resolver given. */
export interface DnssecSection {
  /** The resolver validates (it set AD, at least for the signed root); null when that could not be told. */
  resolverValidates: boolean | null;
  /** The MX answer is authenticated (AD); null when not known. */
  mxAuthenticated: boolean | null;
  /** The MX lookup, then A and AAAA of each mail host. */
  lookups: DnssecLookup[];
}

/** `authenticated` is null where it cannot be told: the lookup failed, or the resolver does not validate. */
function lookupSection({ name, type, result }: ValidatedName, validating: boolean): DnssecLookup {
  if (result.state === 'secure' || result.state === 'insecure') {
    return { name, type, state: result.state, rcode: result.answer.rcode, authenticated: result.state === 'secure' ? true : validating ? false : null };
  }
  const extendedErrors = result.failure.extendedErrors.map(describeExtendedError);
  return result.state === 'bogus'
    ? { name, type, state: 'bogus', authenticated: false, evidence: result.evidence, extendedErrors }
    : { name, type, state: 'failed', authenticated: null, error: result.failure.message, extendedErrors };
}

export function dnssecSection(facts: DnssecFacts): DnssecSection {
  const validating = facts.resolver.state === 'validating';
  const lookups = [facts.mx, ...facts.hosts].map((lookup) => lookupSection(lookup, validating));
  return {
    resolverValidates: validating ? true : facts.resolver.state === 'not-validating' ? false : null,
    mxAuthenticated: lookups[0]!.authenticated,
    lookups,
  };
}
