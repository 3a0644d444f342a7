import { X509Certificate } from 'node:crypto';
import type { CheckContext } from '../../facts/context.js';
import type { LookupFailure } from '../../dns/lookup.js';
import type { TlsaData } from '../../dns/records.js';
import { mailHosts } from '../../facts/host.js';
import { aliasChainFailure, chainInAnswer } from '../../facts/chain.js';
import { resolverValidation, validatedLookup } from '../../facts/dnssec-validation.js';
import type { ResolverValidation, Validated } from '../../facts/dnssec-validation.js';
import { smtpFactsFor } from '../../facts/smtp-probes.js';
import type { AddressProbe } from '../../facts/smtp-probes.js';
import { certificateFacts, pemCertificates } from '../../tls/certificate.js';
import type { CertificateFacts } from '../../tls/certificate.js';

/** RFC 7672 §2.2.2: the TLSA records of an MX host for SMTP live at _25._tcp.HOST (port 25 always: that is where MX mail goes). */
export function tlsaName(host: string): string {
  return `_25._tcp.${host}`;
}

export interface DaneHost {
  /** The exchange (or the domain, as implicit MX). */
  name: string;
  tlsaName: string;
  tlsa: Validated;
  /** The TLSA records the answer holds (none for NODATA/NXDOMAIN or a failed lookup). */
  records: TlsaData[];
  /** The A and AAAA answers: DANE applies only where they are secure (RFC 7672 §2.2.2). */
  addresses: Validated[];
  /** What the SMTP probe saw at each address; null when the probe did not run (no --checks smtp). */
  probes: AddressProbe[] | null;
}

export interface DaneFacts {
  domain: string;
  resolver: ResolverValidation;
  /** DANE applies only below a secure MX answer (RFC 7672 §2.2.1). */
  mx: Validated;
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

async function collectHost(context: CheckContext, name: string, probes: AddressProbe[] | null): Promise<DaneHost> {
  const owner = tlsaName(name);
  const [tlsa, a, aaaa] = await Promise.all([
    validatedLookup(context.lookups, owner, 'TLSA'),
    validatedLookup(context.lookups, name, 'A'),
    validatedLookup(context.lookups, name, 'AAAA'),
  ]);
  const { tlsa: read, records } = tlsaRecords(owner, tlsa);
  return { name, tlsaName: owner, tlsa: read, records, addresses: [a, aaaa], probes: probes && probes.filter((p) => p.exchange === name) };
}

/**
 * The TLSA records at `owner`, or at the end of its CNAME chain in the answer (the resolver follows
 * it). A chain that loops or runs past MAX_CNAME_CHAIN makes the lookup failed: DANE senders cannot
 * resolve it either, and defer (RFC 7672 §2.2).
 */
function tlsaRecords(owner: string, tlsa: Validated): { tlsa: Validated; records: TlsaData[] } {
  if (tlsa.state !== 'secure' && tlsa.state !== 'insecure') return { tlsa, records: [] };
  const outcome = chainInAnswer(tlsa.answer, owner, 'TLSA');
  if (typeof outcome === 'string') return { tlsa, records: [] };
  if (outcome.state === 'loop') {
    return { tlsa: { state: 'failed', failure: aliasChainFailure(owner, 'TLSA', { why: 'loop', chain: outcome.chain }, tlsa.answer.server) }, records: [] };
  }
  if (outcome.state === 'failed') return { tlsa: { state: 'failed', failure: outcome.failure }, records: [] };
  return { tlsa, records: outcome.state === 'found' ? outcome.records.map((r) => r.data) : [] };
}

export async function collectDaneFacts(context: CheckContext): Promise<DaneFacts> {
  // The probe is opt-in (it opens connections): DANE compares certificates only when smtp was asked for too.
  const probing = context.checks.has('smtp');
  const [mx, smtp] = await Promise.all([
    validatedLookup(context.lookups, context.domain, 'MX'),
    probing ? smtpFactsFor(context) : Promise.resolve(null),
  ]);
  const hosts = await Promise.all(mailHosts(context.mail).map((host) => collectHost(context, host.name, smtp?.probes ?? null)));
  const resolver = await resolverValidation(context.lookups, [mx, ...hosts.flatMap((h) => [h.tlsa, ...h.addresses])]);
  const unresolved = context.mail.mx.state === 'failed' ? context.mail.mx.failure : null;
  return { domain: context.domain, resolver, mx, hosts, unresolved, newCertificate: certificateToInstall(context.options.daneCertificate) };
}
