/**
 * The domain check runs check_host() (the engine of `mxlint spf`) once for an IPv4 and once for an
 * IPv6 client that the record does not list: what such a client meets is what the record costs, and
 * it differs by family: "a" asks for the addresses of the client's family only (RFC 7208 §5.3), so
 * it finds nothing, a void lookup, where only the other family's exist.
 */
import type { LookupSource } from '../../dns/lookup.js';
import { checkHostUnexplained } from './check-host.js';
import type { SpfOutcome } from './check-host.js';
import { addressMatches, parseClientAddress } from './client-address.js';
import type { ClientAddress } from './client-address.js';
import { policiesOf } from '../../facts/spf/policy.js';
import type { SpfPolicy } from '../../facts/spf/policy.js';

export type ClientFamily = ClientAddress['family'];

/**
 * The addresses tried as the client, in order: from the documentation ranges (RFC 5737; RFC 3849 and
 * RFC 9637), which no real network uses, so a record lists one only by mistake or in a test.
 */
export const UNLISTED_CANDIDATES: Readonly<Record<ClientFamily, readonly string[]>> = {
  4: ['192.0.2.1', '198.51.100.1', '203.0.113.1'],
  6: ['2001:db8::1', '3fff::1'],
};

/** check_host() runs per domain check, at most: each candidate in turn while a term lists the one before (each run within RFC 7208's limits). */
export const MAX_CLIENT_EVALUATIONS = UNLISTED_CANDIDATES[4].length + UNLISTED_CANDIDATES[6].length;

export interface ClientEvaluation {
  family: ClientFamily;
  /** The address evaluated as the client. */
  ip: string;
  outcome: SpfOutcome;
}

/** Whether an ip4/ip6 term of any record of the policy, reached or not, covers the address. */
function coveredByNetwork(policy: SpfPolicy, ip: string): boolean {
  const client = parseClientAddress(ip)!;
  return policiesOf(policy).some(({ policy: { parse } }) => parse?.ok === true && parse.record.mechanisms.some((m) =>
    (m.kind === 'ip4' || m.kind === 'ip6') && addressMatches(client, m.network, m.prefix)));
}

/** Whether a mechanism other than "all" matched the client somewhere: an a, mx, ptr or exists term, or a record reached only through macros, lists it. */
function listed(outcome: SpfOutcome): boolean {
  return outcome.trace.some((step) => step.step === 'term' && step.matched === true && !/^[+\-~?]?all$/i.test(step.term));
}

/**
 * The first candidate of the family that no term lists, evaluated; null when every one is listed.
 * A candidate an ip4/ip6 term covers is passed over without asking anything; one that another term
 * matches is known only once evaluated (most of whose lookups the next evaluation finds in the cache).
 */
async function evaluateFamily(source: LookupSource, domain: string, policy: SpfPolicy, family: ClientFamily): Promise<ClientEvaluation | null> {
  for (const ip of UNLISTED_CANDIDATES[family]) {
    if (coveredByNetwork(policy, ip)) continue;
    const outcome = await checkHostUnexplained(source, { domain, ip });
    if (!listed(outcome)) return { family, ip, outcome };
  }
  return null;
}

/** The record evaluated for an unlisted IPv4 and IPv6 client, in that order; a family whose every candidate is listed is left out. */
export async function evaluateUnlistedClients(source: LookupSource, domain: string, policy: SpfPolicy): Promise<ClientEvaluation[]> {
  const evaluations = await Promise.all(([4, 6] as const).map((family) => evaluateFamily(source, domain, policy, family)));
  return evaluations.filter((evaluation) => evaluation !== null);
}
