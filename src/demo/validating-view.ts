import dnsPacket from 'dns-packet';
import { isSubdomainOf } from '../dns/name.js';
import { ANSWER } from '../dns/local-server/behaviour.js';
import type { Behaviour } from '../dns/local-server/behaviour.js';
import type { IncomingQuery } from '../dns/local-server/incoming-query.js';
import { setRcode } from '../dns/local-server/reply.js';

/**
 * The demo's stand-in for a validating resolver. The example zones are not signed and nothing is
 * validated: answers from the zones the demo declares signed simply carry the AD bit, the way a
 * validating resolver marks answers it authenticated, so `--checks dnssec,dane` can be shown offline.
 * The root's SOA answers with AD too, as the signed root does through any validating resolver.
 * Questions in `unservedZones` are refused, as for a domain no server answers for: the example zones
 * include their top-level domain, so those names would otherwise be answered from it.
 * A real check needs a real validating resolver (--server).
 */
export function validatingView(signedZones: readonly string[], unservedZones: readonly string[] = []): (query: IncomingQuery) => Behaviour {
  return (query) => {
    if (unservedZones.some((zone) => isSubdomainOf(query.name, zone))) return { kind: 'rcode', rcode: 'REFUSED' };
    // RFC 6840 §5.7: AD only for a query that asked for DNSSEC (DO).
    if (!query.flags.do) return ANSWER;
    if (query.name === '.' && query.type === 'SOA') {
      return {
        kind: 'answer',
        edit: (reply) => {
          setRcode(reply, 'NOERROR');
          reply.answers = [{ name: '.', type: 'SOA', ttl: 86400, class: 'IN', data: {
            mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2026112800, refresh: 1800, retry: 900, expire: 604800, minimum: 86400,
          } }];
          reply.flags = (reply.flags ?? 0) | dnsPacket.AUTHENTIC_DATA;
        },
      };
    }
    if (!signedZones.some((zone) => isSubdomainOf(query.name, zone))) return ANSWER;
    return { kind: 'answer', edit: (reply) => { reply.flags = (reply.flags ?? 0) | dnsPacket.AUTHENTIC_DATA; } };
  };
}
