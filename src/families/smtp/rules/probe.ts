import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import type { SmtpFailure, SmtpPhase } from '../../../smtp/session.js';
import { probed } from '../../common/smtp-probe.js';
import type { ProbedAddress } from '../../common/smtp-probe.js';

/** Readings of SMTP facts that several rules of the family share. */

/**
 * The probes that failed in one of these phases, with their failure. A probe cut short by the
 * check's deadline ('cancelled') failed nowhere: it says nothing about the server (smtp-not-probed).
 */
export function failedIn(facts: SmtpFacts, phases: SmtpPhase[]): { probe: ProbedAddress; failure: SmtpFailure }[] {
  return probed(facts).flatMap((probe) => {
    const failure = probe.session.failure;
    return failure && failure.kind !== 'cancelled' && phases.includes(failure.phase) ? [{ probe, failure }] : [];
  });
}

/** The probes the check's deadline cut short, with what they were doing. */
export function cutShort(facts: SmtpFacts): { probe: ProbedAddress; failure: SmtpFailure }[] {
  return probed(facts).flatMap((probe) => {
    const failure = probe.session.failure;
    return failure?.kind === 'cancelled' ? [{ probe, failure }] : [];
  });
}
