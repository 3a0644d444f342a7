import type { LookupSource } from '../dns/lookup.js';
import type { TlsaData } from '../dns/records.js';
import { aliasChainFailure, chainInAnswer } from './chain.js';
import type { CheckContext } from './context.js';
import { resolverValidation, validatedLookup } from './dnssec-validation.js';
import type { ResolverValidation, Validated } from './dnssec-validation.js';
import { mailHosts } from './host.js';

/**
 * The DANE facts of a domain's mail hosts (RFC 7672): each host's _25._tcp TLSA records, the DNSSEC
 * state of every answer on the way, and whether senders use the records. The DANE family reports on
 * them; the TLS family reads them to know when a certificate's names, dates and chain stop mattering.
 */

/** RFC 7672 §2.2.2: the TLSA records of an MX host for SMTP live at _25._tcp.HOST (port 25 always: that is where MX mail goes). */
export function tlsaName(host: string): string {
  return `_25._tcp.${host}`;
}

/** One mail host's TLSA records and the answers that decide whether they count. */
export interface HostTlsa {
  /** The exchange (or the domain, as implicit MX). */
  name: string;
  tlsaName: string;
  tlsa: Validated;
  /** The TLSA records the answer holds (none for NODATA/NXDOMAIN or a failed lookup). */
  records: TlsaData[];
  /** The A and AAAA answers: DANE applies only where they are secure (RFC 7672 §2.2.2). */
  addresses: Validated[];
}

export interface DaneLookups {
  domain: string;
  resolver: ResolverValidation;
  /** DANE applies only below a secure MX answer (RFC 7672 §2.2.1). */
  mx: Validated;
  hosts: HostTlsa[];
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

async function collectHostTlsa(lookups: LookupSource, name: string): Promise<HostTlsa> {
  const owner = tlsaName(name);
  const [tlsa, a, aaaa] = await Promise.all([
    validatedLookup(lookups, owner, 'TLSA'),
    validatedLookup(lookups, name, 'A'),
    validatedLookup(lookups, name, 'AAAA'),
  ]);
  const { tlsa: read, records } = tlsaRecords(owner, tlsa);
  return { name, tlsaName: owner, tlsa: read, records, addresses: [a, aaaa] };
}

async function collectDaneLookups(context: CheckContext): Promise<DaneLookups> {
  const [mx, hosts] = await Promise.all([
    validatedLookup(context.lookups, context.domain, 'MX'),
    Promise.all(mailHosts(context.mail).map((host) => collectHostTlsa(context.lookups, host.name))),
  ]);
  const resolver = await resolverValidation(context.lookups, [mx, ...hosts.flatMap((h) => [h.tlsa, ...h.addresses])]);
  return { domain: context.domain, resolver, mx, hosts };
}

const lookupsByCheck = new WeakMap<CheckContext, Promise<DaneLookups>>();

/** The DANE lookups of one check, made once however many families ask. */
export function daneLookupsFor(context: CheckContext): Promise<DaneLookups> {
  let lookups = lookupsByCheck.get(context);
  if (!lookups) {
    lookups = collectDaneLookups(context);
    lookupsByCheck.set(context, lookups);
  }
  return lookups;
}

/** Whether DANE-aware senders use a host's TLSA records: every answer on the way must be secure (RFC 7672 §2.2). */
export type Applicability =
  | { applies: true }
  /** Named links of the chain that are not authenticated (each an answer without AD). */
  | { applies: false; insecure: string[] }
  /** A link failed, is bogus, or the resolver does not validate: cannot be told. */
  | { applies: 'unknown' };

export function applicability(lookups: Pick<DaneLookups, 'domain' | 'resolver' | 'mx'>, host: HostTlsa): Applicability {
  if (lookups.resolver.state !== 'validating') return { applies: 'unknown' };
  const links: [string, Validated][] = [
    [`the MX answer for ${lookups.domain}`, lookups.mx],
    [`the address answers for ${host.name}`, host.addresses[0]!],
    [`the address answers for ${host.name}`, host.addresses[1]!],
    [`the TLSA answer at ${host.tlsaName}`, host.tlsa],
  ];
  if (links.some(([, v]) => v.state === 'failed' || v.state === 'bogus')) return { applies: 'unknown' };
  const insecure = [...new Set(links.filter(([, v]) => v.state === 'insecure').map(([what]) => what))];
  return insecure.length === 0 ? { applies: true } : { applies: false, insecure };
}

