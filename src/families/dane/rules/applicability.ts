import type { DaneFacts, DaneHost } from '../collect.js';
import type { Validated } from '../../../facts/dnssec-validation.js';

/** Whether DANE-aware senders use a host's TLSA records: every answer on the way must be secure (RFC 7672 §2.2). */
export type Applicability =
  | { applies: true }
  /** Named links of the chain that are not authenticated (each an answer without AD). */
  | { applies: false; insecure: string[] }
  /** A link failed, is bogus, or the resolver does not validate: cannot be told. */
  | { applies: 'unknown' };

export function applicability(facts: DaneFacts, host: DaneHost): Applicability {
  if (facts.resolver.state !== 'validating') return { applies: 'unknown' };
  const links: [string, Validated][] = [
    [`the MX answer for ${facts.domain}`, facts.mx],
    [`the address answers for ${host.name}`, host.addresses[0]!],
    [`the address answers for ${host.name}`, host.addresses[1]!],
    [`the TLSA answer at ${host.tlsaName}`, host.tlsa],
  ];
  if (links.some(([, v]) => v.state === 'failed' || v.state === 'bogus')) return { applies: 'unknown' };
  const insecure = [...new Set(links.filter(([, v]) => v.state === 'insecure').map(([what]) => what))];
  return insecure.length === 0 ? { applies: true } : { applies: false, insecure };
}
