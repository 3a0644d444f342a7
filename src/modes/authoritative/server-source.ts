import { isReferral } from '../../dns/lookup.js';
import type { Lookup, LookupSource, LookupSourceOptions } from '../../dns/lookup.js';
import { canonicalName, isSubdomainOf } from '../../dns/name.js';
import type { Resolver } from '../../dns/resolver.js';
import type { ServerAddress } from '../../dns/server-address.js';

/**
 * Answers as one authoritative server does for the names of its zone — asked directly, without
 * recursion — and as the resolver does for the rest (exchanges at a provider, and names below a
 * delegation, which the server only refers onwards).
 */
export class AuthoritativeServerSource implements LookupSource {
  constructor(
    private readonly resolver: Resolver,
    private readonly zone: string,
    private readonly server: ServerAddress,
  ) {}

  async lookup(name: string, type: string, options: LookupSourceOptions = {}): Promise<Lookup> {
    if (!isSubdomainOf(canonicalName(name), this.zone)) return this.resolver.lookup(name, type, options);
    const answer = await this.resolver.lookup(name, type, { ...options, servers: [this.server], flags: { ...options.flags, recursionDesired: false } });
    return answer.ok && isReferral(answer) ? this.resolver.lookup(name, type, options) : answer;
  }
}
