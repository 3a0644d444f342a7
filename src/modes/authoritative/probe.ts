import type { Resolver } from '../../dns/resolver.js';
import { DIRECT } from '../../facts/zone-cut.js';
import type { ServerTarget } from './discovery.js';
import type { Probe } from './facts.js';

/** Error codes that say the server does not serve the zone; silence and garbage say nothing about it. */
const LAME_FAILURES = new Set(['servfail', 'refused', 'rcode']);

/**
 * Asks one server for the zone's SOA, without recursion, to see whether it serves the zone: with AA
 * and the SOA it does; an answer without AA comes from a cache, a resolver or a parent zone; an error
 * code or an authoritative answer without the SOA makes it lame; no usable reply, unreachable.
 */
export async function probeServer(resolver: Resolver, zone: string, target: ServerTarget): Promise<Probe> {
  if (target.address === null) return { status: 'unreachable', problem: target.problem ?? 'has no address' };
  const answer = await resolver.lookup(zone, 'SOA', { servers: [target.address], flags: DIRECT });
  if (!answer.ok) {
    return LAME_FAILURES.has(answer.kind)
      ? { status: 'lame', problem: `answers ${answer.rcode ?? 'an error'} for the zone ${zone}` }
      : { status: 'unreachable', problem: `gives no usable answer (${answer.message})` };
  }
  const soa = answer.answers.find((r) => r.type === 'SOA' && r.name === zone);
  if (!answer.flags.aa) {
    const referral = answer.answers.length === 0 && answer.authorities.some((r) => r.type === 'NS');
    return {
      status: 'not-authoritative',
      problem: referral
        ? `does not answer for ${zone} itself but refers to its parent's delegation (it serves a parent zone, not ${zone})`
        : `answers for ${zone} without the AA flag: from a cache or as a resolver, not from the zone itself`,
    };
  }
  if (soa === undefined || soa.type !== 'SOA') {
    const other = answer.authorities.find((r) => r.type === 'SOA');
    return { status: 'lame', problem: `answers ${answer.rcode} without an SOA for ${zone}${other ? `: it serves ${other.name}, not ${zone}` : ''}` };
  }
  return { status: 'authoritative', serial: soa.data.serial };
}
