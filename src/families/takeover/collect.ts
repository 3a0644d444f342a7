import type { LookupFailure } from '../../dns/lookup.js';
import { isIpLiteral, isSubdomainOf } from '../../dns/name.js';
import type { CheckContext } from '../../facts/context.js';
import { domainDoesNotExist } from '../../facts/mail-domain.js';
import { organizationalDomain } from '../../facts/organizational-domain.js';
import { registrationOf } from '../../facts/registration.js';
import type { Registration } from '../../facts/registration.js';
import { connectPolicy } from '../../net/route.js';
import { collectDependencies } from './dependencies.js';
import type { DanglingAlias, Dependency } from './dependencies.js';

/**
 * Registrable domains looked up for one check. A mail setup depends on a handful of other
 * organizations (a mail provider, an SPF vendor or two, a report service); a record listing dozens
 * is built to make the check do the work, and the rest are listed as not checked.
 */
export const MAX_REGISTRABLE_DOMAINS = 30;

/** A registrable domain outside the checked domain's own that the mail setup depends on. */
export interface DependedDomain {
  domain: string;
  registration: Registration;
  /** The names under it, each with the way the setup reaches it. */
  dependents: Dependency[];
}

export interface TakeoverFacts {
  domain: string;
  /** False when the domain does not exist: nothing depends on anything (domain-nxdomain says it all). */
  checked: boolean;
  domains: DependedDomain[];
  /** Registrable domains past MAX_REGISTRABLE_DOMAINS, not looked up. */
  notChecked: string[];
  /** Aliases whose target does not exist, under a registered domain of another organization. */
  dangling: (DanglingAlias & { registrable: string })[];
  /** Record lookups that failed: what depends on those records is not known. */
  unread: LookupFailure[];
  /** Those of them no other family of the check reports (takeover-lookup-failed does). */
  unreported: LookupFailure[];
}

/** The registrable domain of a name the setup depends on, or null when there is nothing to ask: the domain's own (it exists), a public suffix, an address. */
function outsideDomain(name: string, domain: string): string | null {
  if (isIpLiteral(name) || name.includes('\\')) return null;
  const registrable = organizationalDomain(name);
  // The checked domain exists, so its ancestors do too: its own registrable domain needs no asking.
  return registrable === null || isSubdomainOf(domain, registrable) ? null : registrable;
}

export async function collectTakeoverFacts({ domain, lookups, mail, options, checks }: CheckContext): Promise<TakeoverFacts> {
  const none = { domain, domains: [], notChecked: [], dangling: [], unread: [], unreported: [] };
  if (domainDoesNotExist(mail)) return { ...none, checked: false };
  const dependencies = await collectDependencies(lookups, mail, options);
  const byDomain = new Map<string, Dependency[]>();
  for (const dependency of dependencies.names) {
    const registrable = outsideDomain(dependency.name, domain);
    if (registrable !== null) byDomain.set(registrable, [...(byDomain.get(registrable) ?? []), dependency]);
  }
  const names = [...byDomain.keys()];
  const policy = connectPolicy(options);
  const domains = await Promise.all(names.slice(0, MAX_REGISTRABLE_DOMAINS).map(async (registrable): Promise<DependedDomain> => ({
    domain: registrable, registration: await registrationOf(lookups, registrable, policy), dependents: byDomain.get(registrable)!,
  })));
  const registered = new Set(domains.filter((d) => d.registration.state === 'registered').map((d) => d.domain));
  const dangling = dependencies.dangling.flatMap((alias) => {
    const registrable = outsideDomain(alias.target, domain);
    // Under the alias's own organization, only that organization can create the target: a broken alias, not a takeover.
    return registrable !== null && registered.has(registrable) && organizationalDomain(alias.alias) !== registrable ? [{ ...alias, registrable }] : [];
  });
  return {
    domain, checked: true, domains, notChecked: names.slice(MAX_REGISTRABLE_DOMAINS), dangling,
    unread: dependencies.unread.map((u) => u.failure),
    unreported: dependencies.unread.flatMap((u) => (u.family !== null && checks.has(u.family) ? [] : [u.failure])),
  };
}
