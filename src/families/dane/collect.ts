import type { CheckContext } from '../../facts/context.js';
import type { LookupFailure } from '../../dns/lookup.js';
import { daneLookupsFor } from '../../facts/dane.js';
import type { DaneLookups, HostTlsa } from '../../facts/dane.js';
import { smtpFactsFor } from '../../facts/smtp-probes.js';
import type { AddressProbe } from '../../facts/smtp-probes.js';

export interface DaneHost extends HostTlsa {
  /** What the SMTP probe saw at each address; null when the probe did not run (no --checks smtp). */
  probes: AddressProbe[] | null;
}

export interface DaneFacts extends Omit<DaneLookups, 'hosts'> {
  hosts: DaneHost[];
  /** The MX lookup failed: which hosts to look at is unknown. */
  unresolved: LookupFailure | null;
}

export async function collectDaneFacts(context: CheckContext): Promise<DaneFacts> {
  // The probe is opt-in (it opens connections): DANE compares certificates only when smtp was asked for too.
  const probing = context.checks.has('smtp');
  const [lookups, smtp] = await Promise.all([daneLookupsFor(context), probing ? smtpFactsFor(context) : Promise.resolve(null)]);
  const hosts = lookups.hosts.map((host) => ({ ...host, probes: smtp && smtp.probes.filter((p) => p.exchange === host.name) }));
  const unresolved = context.mail.mx.state === 'failed' ? context.mail.mx.failure : null;
  return { ...lookups, hosts, unresolved };
}
