import { isIP } from 'node:net';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import type { SmtpFailure, SmtpPhase } from '../../../smtp/session.js';
import { probed } from '../../common/smtp-probe.js';
import type { ProbedAddress } from '../../common/smtp-probe.js';

/** Readings of SMTP facts that several rules of the family share. */

/**
 * Failures that say nothing lasting about the server, whatever the step (smtp-not-probed reports
 * them as unknown): the check's deadline cut the probe short, the run's connection budget was spent,
 * or the server answered 421 (busy, rate limit, postscreen).
 */
const NOT_THE_SERVERS: readonly SmtpFailure['kind'][] = ['cancelled', 'budget', 'busy'];

/**
 * The probes that failed in one of these phases, with their failure; failures that say nothing
 * lasting about the server (NOT_THE_SERVERS) are not among them.
 */
export function failedIn(facts: SmtpFacts, phases: SmtpPhase[]): { probe: ProbedAddress; failure: SmtpFailure }[] {
  return probed(facts).flatMap((probe) => {
    const failure = probe.session.failure;
    return failure && !NOT_THE_SERVERS.includes(failure.kind) && phases.includes(failure.phase) ? [{ probe, failure }] : [];
  });
}

/** The probes whose failure has this kind, with it. */
export function failedWith(facts: SmtpFacts, kind: SmtpFailure['kind']): { probe: ProbedAddress; failure: SmtpFailure }[] {
  return probed(facts).flatMap((probe) => {
    const failure = probe.session.failure;
    return failure?.kind === kind ? [{ probe, failure }] : [];
  });
}

/**
 * A connection that timed out is the server's fault only where the run has seen connections of the
 * same family to the same port succeed: otherwise this machine may be what cannot connect (outbound
 * port 25 blocked, IPv6 without a working route).
 */
export function connectionsWorkFromHere(facts: SmtpFacts, probe: ProbedAddress): boolean {
  return facts.connectivity[connectedFamily(probe)].connected;
}

/** The family of the address really connected to (--connect-to may send an IPv4 exchange address to ::1). */
export function connectedFamily(probe: ProbedAddress): 4 | 6 {
  return isIP(probe.target.host) === 6 ? 6 : 4;
}
