import type { LookupAnswer, LookupFailure, LookupSource } from '../dns/lookup.js';
import { describeExtendedError } from '../dns/message.js';
import type { ExtendedDnsError } from '../dns/message.js';

/**
 * RFC 8914 INFO-CODEs by which a validating resolver says validation failed: Bogus, Signature
 * Expired / Not Yet Valid, DNSKEY Missing, RRSIGs Missing, No Zone Key Bit Set, NSEC Missing.
 * (1 and 2, unsupported algorithms, make a zone insecure rather than bogus; 5, Indeterminate, says
 * nothing certain.)
 */
export const VALIDATION_FAILURE_EDE: ReadonlySet<number> = new Set([6, 7, 8, 9, 10, 11, 12]);

/**
 * What a validating resolver made of one answer. `secure`: it carried AD. `insecure`: an answer
 * without AD (unsigned, or below an insecure delegation). `bogus`: validation failed — the resolver
 * said so with an EDE, or its SERVFAIL cleared when asked again with CD (checking disabled).
 * `failed`: the lookup failed for another reason (or the same with CD too): nothing is known.
 */
export type Validated =
  | { state: 'secure'; answer: LookupAnswer }
  | { state: 'insecure'; answer: LookupAnswer }
  | { state: 'bogus'; failure: LookupFailure; evidence: string }
  | { state: 'failed'; failure: LookupFailure };

/** How a validating resolver judged one answer: AD (secure), no AD (insecure), failing validation (bogus), or a failed lookup. */
export type DnssecState = Validated['state'];

function validationEde(errors: ExtendedDnsError[]): ExtendedDnsError | undefined {
  return errors.find((e) => VALIDATION_FAILURE_EDE.has(e.code));
}

/** Asks with DO (so AD is reported, RFC 6840 §5.7); on SERVFAIL asks again with CD to tell bogus from broken. */
export async function validatedLookup(lookups: LookupSource, name: string, type: string): Promise<Validated> {
  const lookup = await lookups.lookup(name, type, { flags: { dnssecOk: true } });
  if (lookup.ok) return { state: lookup.flags.ad ? 'secure' : 'insecure', answer: lookup };
  const ede = validationEde(lookup.extendedErrors);
  if (ede) return { state: 'bogus', failure: lookup, evidence: `the resolver answered ${lookup.rcode ?? lookup.kind} with ${describeExtendedError(ede)}` };
  if (lookup.kind !== 'servfail') return { state: 'failed', failure: lookup };
  const unchecked = await lookups.lookup(name, type, { flags: { dnssecOk: true, checkingDisabled: true } });
  if (unchecked.ok) {
    return { state: 'bogus', failure: lookup, evidence: `the resolver answered SERVFAIL, and ${unchecked.rcode} with checking disabled (CD): the data is there but does not validate` };
  }
  return { state: 'failed', failure: lookup };
}

/** How a resolver stands on DNSSEC, judged from its answers. */
export type ResolverValidation =
  /** It set AD on some answer (the root zone's SOA, or any other): it validates. */
  | { state: 'validating' }
  /** It set AD nowhere, not even on the root zone, which is signed: it does not validate (or has no trust anchor). */
  | { state: 'not-validating' }
  /** The root SOA lookup failed and no other answer carried AD: unknown. */
  | { state: 'unknown'; failure: LookupFailure };

/** The root zone is signed (since 2010): a validating resolver with the root trust anchor sets AD on its SOA. */
export const VALIDATION_PROBE = { name: '.', type: 'SOA' } as const;

export async function resolverValidation(lookups: LookupSource, seen: readonly Validated[]): Promise<ResolverValidation> {
  const root = await validatedLookup(lookups, VALIDATION_PROBE.name, VALIDATION_PROBE.type);
  if (root.state === 'secure' || [...seen, root].some((v) => v.state === 'secure' || v.state === 'bogus')) return { state: 'validating' };
  if (root.state === 'insecure') return { state: 'not-validating' };
  return { state: 'unknown', failure: root.failure };
}
