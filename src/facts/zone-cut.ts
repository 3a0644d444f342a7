import type { LookupFailure, LookupSource } from '../dns/lookup.js';
import { isSubdomainOf } from '../dns/name.js';
import { parentName } from '../dns/zone-data/served-data.js';

export type ZoneCut =
  | { ok: true; zone: string; nameServers: string[] }
  | { ok: false; failure: LookupFailure };

/** Without recursion: the server is to answer from its own zones. */
export const DIRECT = { recursionDesired: false } as const;

/**
 * The zone `domain` lies in and its NS set: ask NS at the name; NS records there mark the cut;
 * otherwise the SOA of a negative answer names the zone, or try one label up.
 */
export async function findZoneCut(lookups: LookupSource, domain: string): Promise<ZoneCut> {
  for (let name: string | undefined = domain; name !== undefined;) {
    const answer = await lookups.lookup(name, 'NS');
    if (!answer.ok) return { ok: false, failure: answer };
    const current: string = name;
    const nameServers = answer.answers.flatMap((r) => (r.type === 'NS' && r.name === current ? [r.data] : []));
    if (nameServers.length > 0) return { ok: true, zone: current, nameServers: [...new Set(nameServers)].sort() };
    const soa = answer.authorities.find((r) => r.type === 'SOA');
    const aliased = answer.answers.some((r) => r.type === 'CNAME' && r.name === current);
    name = soa !== undefined && !aliased && soa.name !== current && isSubdomainOf(current, soa.name) ? soa.name : parentName(current);
  }
  // Even the root has NS records; a resolver that denies them gave no usable answer.
  return { ok: false, failure: { ok: false, question: { name: '.', type: 'NS' }, kind: 'rcode', message: 'NS .: no name servers found for the root', extendedErrors: [], durationMs: 0 } };
}
