import type { AddressProbe } from '../../facts/smtp-probes.js';
import { formatHostPort } from '../../net/host-port.js';

/** Readings of SMTP probes that the families probing servers (smtp, relay) and the Postfix mode share. */

export type ProbedAddress = Extract<AddressProbe, { state: 'probed' }>;

export function probed(facts: { probes: readonly AddressProbe[] }): ProbedAddress[] {
  return facts.probes.filter((p): p is ProbedAddress => p.state === 'probed');
}

/** "mx1.example.com (185.199.108.25, port 25)", and where the connection really went if redirected. */
export function where(probe: ProbedAddress, port: number): string {
  const redirected = probe.target.via ? `, connected to ${formatHostPort(probe.target.host, probe.target.port)} by --connect-to` : '';
  return `${probe.exchange} (${probe.address} port ${port}${redirected})`;
}
