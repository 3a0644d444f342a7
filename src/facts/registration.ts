/**
 * Whether a registrable domain (a public suffix plus one label, as organizationalDomain finds it)
 * exists in DNS: the takeover check's question about every domain a mail setup depends on. The
 * resolver is asked first; an NXDOMAIN (or a failure) is then put to the parent zone's own name
 * servers, asked directly and without recursion, whose answer is the registry's word on the name.
 */
import { isIP } from 'node:net';
import { isReferral } from '../dns/lookup.js';
import type { Lookup, LookupFailure, LookupSource } from '../dns/lookup.js';
import { DNS_PORT } from '../dns/server-address.js';
import { parentName } from '../dns/zone-data/served-data.js';
import { describeRange } from '../net/address.js';
import { routeConnection } from '../net/route.js';
import type { ConnectPolicy } from '../net/route.js';
import { addressesOf } from './host.js';
import { collectHostFacts } from './mail.js';
import { DIRECT, findZoneCut } from './zone-cut.js';

/**
 * Addresses of the parent zone's servers asked about one domain before the resolver's answer is
 * taken as it is: enough to get past a server or two that is down or lame, few enough that a zone
 * with dozens of servers (a TLD has up to 13 names, each with two addresses) costs little.
 */
export const MAX_PARENT_SERVERS_ASKED = 3;

export type Registration =
  /** The domain exists (the resolver finds it, or the parent delegates it or holds data for it). */
  | { state: 'registered' }
  /** NXDOMAIN: nothing exists at or below it, so anyone may be able to register it. */
  | { state: 'unregistered'; confirmation: Confirmation }
  /** Its public suffix does not exist either (a top-level domain nobody runs, such as .corp): nobody can register under it. */
  | { state: 'no-suffix'; suffix: string }
  | { state: 'failed'; failure: LookupFailure };

export type Confirmation =
  /** A server of the parent zone answered NXDOMAIN with authority: "ns1.example (192.0.2.53)", its address as DNS gave it. */
  | { by: 'parent'; zone: string; server: string }
  /** The parent's servers could not be asked, or gave no answer to go by: the resolver's NXDOMAIN stands. */
  | { by: 'resolver'; zone: string | null; why: string };

const REGISTERED: Registration = { state: 'registered' };

/**
 * What the parent's servers made of a resolver's answer, by that answer: while the run's cache
 * hands out the same answer, every check that depends on the domain shares one confirmation (and
 * one in flight); when it expires, or in another run with another cache, the question is put again.
 */
const confirmedBy = new WeakMap<Lookup, Promise<Registration>>();

/**
 * Whether `domain` exists: `lookups` answers for the check (and carries its deadline), `policy`
 * decides which of the parent's server addresses may be asked (--connect-to, --allow-private).
 */
export function registrationOf(lookups: LookupSource, domain: string, policy: ConnectPolicy): Promise<Registration> {
  return lookups.lookup(domain, 'NS').then((answer) => {
    if (answer.ok && answer.rcode === 'NOERROR') return REGISTERED;
    // Left unasked on purpose (offline) or cut short by the deadline: the parent would be too.
    if (!answer.ok && (answer.kind === 'not-asked' || answer.kind === 'deadline')) return { state: 'failed', failure: answer };
    let confirmation = confirmedBy.get(answer);
    if (confirmation === undefined) {
      confirmation = askParent(lookups, domain, answer, policy);
      confirmedBy.set(answer, confirmation);
    }
    return confirmation;
  });
}

/** What one reply of a parent server says about `domain`, or why it says nothing. */
function parentVerdict(reply: Lookup, domain: string): 'registered' | 'unregistered' | string {
  if (!reply.ok) return reply.message;
  if (reply.rcode === 'NXDOMAIN') return reply.flags.aa ? 'unregistered' : `NS ${domain}: NXDOMAIN without authority from ${reply.server}`;
  // A referral to the domain's own servers: it is delegated, so registered (whatever its servers say).
  if (isReferral(reply)) {
    return reply.authorities.some((r) => r.type === 'NS' && r.name === domain) ? 'registered' : `NS ${domain}: ${reply.server} referred elsewhere`;
  }
  return reply.flags.aa ? 'registered' : `NS ${domain}: an answer without authority from ${reply.server}`;
}

async function askParent(lookups: LookupSource, domain: string, answer: Lookup, policy: ConnectPolicy): Promise<Registration> {
  const suffix = parentName(domain);
  const taken = (zone: string | null, why: string): Registration => (answer.ok
    ? { state: 'unregistered', confirmation: { by: 'resolver', zone, why } }
    : { state: 'failed', failure: answer });
  if (suffix === undefined) return taken(null, 'a top-level name has no parent to ask');
  const suffixAnswer = await lookups.lookup(suffix, 'NS');
  if (suffixAnswer.ok && suffixAnswer.rcode === 'NXDOMAIN') return { state: 'no-suffix', suffix };
  const cut = await findZoneCut(lookups, suffix);
  if (!cut.ok) return taken(null, `the name servers of ${suffix} could not be found (${cut.failure.message})`);
  const unheard: string[] = [];
  let asked = 0;
  for (const nameServer of cut.nameServers) {
    const host = await collectHostFacts(lookups, nameServer);
    const addresses = [...addressesOf(host.a), ...addressesOf(host.aaaa)];
    if (addresses.length === 0) unheard.push(`${nameServer} has no address that could be found`);
    for (const address of addresses) {
      if (asked >= MAX_PARENT_SERVERS_ASKED) return taken(cut.zone, unheard.join('; '));
      const route = routeConnection(policy, nameServer, address, isIP(address) === 6 ? 6 : 4, DNS_PORT);
      if (!route.allowed) {
        unheard.push(`${nameServer} (${address}) is not asked: the address is not globally routable (${describeRange(route.address.range)})`);
        continue;
      }
      asked++;
      const server = { host: route.target.host, port: route.target.port, family: isIP(route.target.host) === 6 ? 6 as const : 4 as const };
      const verdict = parentVerdict(await lookups.lookup(domain, 'NS', { servers: [server], flags: DIRECT }), domain);
      if (verdict === 'registered') return REGISTERED;
      if (verdict === 'unregistered') return { state: 'unregistered', confirmation: { by: 'parent', zone: cut.zone, server: `${nameServer} (${address})` } };
      unheard.push(verdict);
    }
  }
  return taken(cut.zone, unheard.join('; '));
}
