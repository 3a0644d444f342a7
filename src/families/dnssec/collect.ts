import type { CheckContext } from '../../facts/context.js';
import { mailHosts } from '../../facts/host.js';
import { resolverValidation, validatedLookup } from '../../facts/dnssec-validation.js';
import type { ResolverValidation, Validated } from '../../facts/dnssec-validation.js';

/** One DNSSEC-validated lookup on the path mail takes. */
export interface ValidatedName {
  name: string;
  type: 'MX' | 'A' | 'AAAA';
  /** The mail host this lookup is for; absent for the domain's MX lookup. */
  host?: string;
  result: Validated;
}

export interface DnssecFacts {
  domain: string;
  resolver: ResolverValidation;
  /** The domain's MX lookup. */
  mx: ValidatedName;
  /** A and AAAA of every mail host (the exchanges, or the domain itself as implicit MX). */
  hosts: ValidatedName[];
}

/** Everything mail delivery reads from DNS, asked again with DO through the resolver given. */
export async function collectDnssecFacts({ domain, lookups, mail }: CheckContext): Promise<DnssecFacts> {
  const hostNames = mailHosts(mail).map((host) => host.name);
  const [mx, ...hosts] = await Promise.all([
    validatedLookup(lookups, domain, 'MX').then((result): ValidatedName => ({ name: domain, type: 'MX', result })),
    ...hostNames.flatMap((host) => (['A', 'AAAA'] as const).map(async (type): Promise<ValidatedName> => (
      { name: host, type, host, result: await validatedLookup(lookups, host, type) }))),
  ]);
  const resolver = await resolverValidation(lookups, [mx!, ...hosts].map((v) => v.result));
  return { domain, resolver, mx: mx!, hosts };
}
