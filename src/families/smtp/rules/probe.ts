import type { AddressProbe, SmtpFacts } from '../../../facts/smtp-probes.js';
import type { SmtpFailure, SmtpPhase } from '../../../smtp/session.js';
import { formatHostPort } from '../../../net/host-port.js';

/** Readings of SMTP facts that several rules share. */

export type ProbedAddress = Extract<AddressProbe, { state: 'probed' }>;

export function probed(facts: SmtpFacts): ProbedAddress[] {
  return facts.probes.filter((p): p is ProbedAddress => p.state === 'probed');
}

/** "mx1.example.com (185.199.108.25, port 25)", and where the connection really went if redirected. */
export function where(probe: ProbedAddress, port: number): string {
  const redirected = probe.target.via ? `, connected to ${formatHostPort(probe.target.host, probe.target.port)} by --connect-to` : '';
  return `${probe.exchange} (${probe.address} port ${port}${redirected})`;
}

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
