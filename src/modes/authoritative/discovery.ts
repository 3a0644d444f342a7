import { isIP } from 'node:net';
import { canonicalName, isSubdomainOf } from '../../dns/name.js';
import type { Resolver } from '../../dns/resolver.js';
import { DNS_PORT, formatServerAddress } from '../../dns/server-address.js';
import type { ServerAddress } from '../../dns/server-address.js';
import { collectHostFacts } from '../../facts/mail.js';
import { addressesOf, lookupFailures } from '../../facts/host.js';
import { DIRECT } from '../../facts/zone-cut.js';
import type { NameServerSpec } from '../../core/options.js';

/** A name server to ask: its name, and its address (null when none could be found, with the reason). */
export interface ServerTarget {
  name: string;
  address: ServerAddress | null;
  problem?: string;
}

/** Every address of every name, A before AAAA; a name without any is kept, with the reason. */
export async function resolveTargets(resolver: Resolver, names: readonly string[]): Promise<ServerTarget[]> {
  const resolved = await Promise.all(names.map(async (name) => {
    const host = await collectHostFacts(resolver, name);
    const addresses = [...addressesOf(host.a), ...addressesOf(host.aaaa)];
    if (addresses.length > 0) {
      return addresses.map((address): ServerTarget => ({ name, address: { host: address, port: DNS_PORT, family: isIP(address) === 6 ? 6 : 4 } }));
    }
    const failures = lookupFailures(host);
    const problem = failures.length > 0 ? `its address could not be looked up (${failures.map((f) => f.message).join('; ')})` : 'has no address (no A or AAAA record)';
    return [{ name, address: null, problem }];
  }));
  return resolved.flat();
}

/** The servers of --ns: as given, names without an address resolved. */
export async function targetsFromSpecs(resolver: Resolver, specs: readonly NameServerSpec[]): Promise<ServerTarget[]> {
  const unresolved = [...new Set(specs.filter((spec) => spec.address === undefined).map((spec) => spec.name))];
  const resolved = await resolveTargets(resolver, unresolved);
  const given = specs.flatMap((spec) => (spec.address === undefined ? [] : [{ name: spec.name, address: spec.address }]));
  const seen = new Set<string>();
  return [...given, ...resolved].filter((target) => {
    const key = `${target.name} ${target.address === null ? '' : formatServerAddress(target.address)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The zone of `domain` on servers not (yet) delegated to: the owner of the SOA the first of them
 * answers with authority — at the domain itself, or in a negative answer below it. The domain when
 * none does.
 */
export async function zoneOnServers(resolver: Resolver, domain: string, targets: readonly ServerTarget[]): Promise<string> {
  for (const target of targets) {
    if (target.address === null) continue;
    const answer = await resolver.lookup(domain, 'SOA', { servers: [target.address], flags: DIRECT });
    if (!answer.ok || !answer.flags.aa) continue;
    const soa = [...answer.answers, ...answer.authorities].find((r) => r.type === 'SOA' && isSubdomainOf(domain, r.name));
    if (soa !== undefined) return canonicalName(soa.name);
  }
  return domain;
}
