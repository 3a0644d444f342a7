import { X509Certificate } from 'node:crypto';
import type { CheckContext } from '../../facts/context.js';
import type { LookupFailure } from '../../dns/lookup.js';
import { daneLookupsFor } from '../../facts/dane.js';
import type { DaneLookups, HostTlsa } from '../../facts/dane.js';
import { smtpFactsFor } from '../../facts/smtp-probes.js';
import type { AddressProbe } from '../../facts/smtp-probes.js';
import { certificateFacts, pemCertificates } from '../../tls/certificate.js';
import type { CertificateFacts } from '../../tls/certificate.js';

export interface DaneHost extends HostTlsa {
  /** What the SMTP probe saw at each address; null when the probe did not run (no --checks smtp). */
  probes: AddressProbe[] | null;
}

export interface DaneFacts extends Omit<DaneLookups, 'hosts'> {
  hosts: DaneHost[];
  /** The MX lookup failed: which hosts to look at is unknown. */
  unresolved: LookupFailure | null;
  /** The certificate about to be installed (`daneCertificate`, --cert), server certificate first; null when none was given. */
  newCertificate: { chain: CertificateFacts[]; x509: X509Certificate } | null;
}

/** The certificate and chain of the `daneCertificate` option (validated PEM), as the probe reads a presented chain. */
function certificateToInstall(pem: string | undefined): DaneFacts['newCertificate'] {
  if (pem === undefined) return null;
  const chain = pemCertificates(pem).map((block) => certificateFacts(new X509Certificate(block).raw));
  return { chain, x509: new X509Certificate(pemCertificates(pem)[0]!) };
}

export async function collectDaneFacts(context: CheckContext): Promise<DaneFacts> {
  // The probe is opt-in (it opens connections): DANE compares certificates only when smtp was asked for too.
  const probing = context.checks.has('smtp');
  const [lookups, smtp] = await Promise.all([daneLookupsFor(context), probing ? smtpFactsFor(context) : Promise.resolve(null)]);
  const hosts = lookups.hosts.map((host) => ({ ...host, probes: smtp && smtp.probes.filter((p) => p.exchange === host.name) }));
  const unresolved = context.mail.mx.state === 'failed' ? context.mail.mx.failure : null;
  return { ...lookups, hosts, unresolved, newCertificate: certificateToInstall(context.options.daneCertificate) };
}
