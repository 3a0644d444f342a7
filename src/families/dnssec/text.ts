import type { SectionLine } from '../../core/family.js';
import type { DnssecState } from '../../facts/dnssec-validation.js';
import { DNSSEC_STATE, line } from '../common/text.js';
import type { DnssecSection } from './section.js';

/** The worse of two states, for a host's A and AAAA answers. */
const DNSSEC_RANK: Record<DnssecState, number> = { secure: 0, insecure: 1, failed: 2, bogus: 3 };

export function dnssecLines(dnssec: DnssecSection): SectionLine[] {
  if (dnssec.resolverValidates !== true) {
    return [line('DNSSEC', `? not known: ${dnssec.resolverValidates === false ? 'the resolver does not validate' : 'whether the resolver validates could not be told'}`)];
  }
  const [mx, ...addresses] = dnssec.lookups;
  const hosts = new Map<string, DnssecState>();
  for (const { name, state } of addresses) {
    const known = hosts.get(name);
    if (known === undefined || DNSSEC_RANK[state] > DNSSEC_RANK[known]) hosts.set(name, state);
  }
  const byState = (['secure', 'insecure', 'bogus', 'failed'] as const).flatMap((state) => {
    const names = [...hosts].filter(([, s]) => s === state).map(([name]) => name);
    return names.length > 0 ? [`${DNSSEC_STATE[state]}: ${names.join(', ')}`] : [];
  });
  const addressPart = byState.length > 0 ? `; addresses ${byState.join('; ')}` : '';
  return [line('DNSSEC', `MX answer ${mx ? DNSSEC_STATE[mx.state] : '?'}${addressPart}`)];
}
