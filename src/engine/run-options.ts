import { OptionError } from '../core/errors.js';
import type { CheckOptions } from '../core/options.js';
import { QueryRateLimit } from '../dns/rate-limit.js';
import { readSystemResolvConf } from '../dns/resolv-conf.js';
import { Resolver } from '../dns/resolver.js';
import type { ResolverOptions } from '../dns/resolver.js';
import { serverAddresses } from '../dns/server-address.js';
import { validateOptions } from './validate-options.js';

export const DEFAULT_CONCURRENCY = 64;

/** The options of a run: what to check, and a resolver to share between runs (kept open), else one made for the run and closed after it. */
export interface RunOptions extends CheckOptions {
  resolver?: Resolver;
  /** Aborted: every check of the run still going ends at once, what it had not found out unknown (as at its deadline). */
  signal?: AbortSignal;
}

/** The resolver settings for these options: given servers, else /etc/resolv.conf, else 127.0.0.1 as glibc does. */
export function resolverOptions(options: CheckOptions): ResolverOptions {
  const system = options.servers === undefined ? readSystemResolvConf() : null;
  const servers = serverAddresses(options.servers ?? [], (reason) => new OptionError(`invalid server: ${reason}`));
  if (system) for (const server of system.servers.length > 0 ? system.servers : [{ host: '127.0.0.1', port: 53, family: 4 as const }]) servers.push(server);
  return {
    servers,
    timeoutMs: options.timeoutMs ?? system?.timeoutMs,
    retries: options.retries ?? (system?.attempts === undefined ? undefined : system.attempts - 1),
    tcp: options.tcp ?? false,
    ...(options.rate === undefined ? {} : { rateLimit: rateLimitOf(options.rate) }),
    rotate: options.rotate ?? false,
  };
}

function rateLimitOf(perSecond: number): QueryRateLimit {
  if (!Number.isFinite(perSecond) || perSecond <= 0) throw new OptionError(`rate must be a positive number of queries per second, not ${perSecond}`);
  return new QueryRateLimit(perSecond);
}

/**
 * A resolver with the DNS settings of `options` (servers, timeout, retries, TCP, rate, rotation),
 * validated as every entry point validates them: to share between calls, and for `checkHost`.
 * The caller closes it.
 */
export function createResolver(options: CheckOptions = {}): Resolver {
  return new Resolver(resolverOptions(validateOptions(options)));
}

/** Runs `run` with the options' resolver, or with one made for it and closed when it is done. */
export async function withResolver<T>(options: RunOptions, run: (resolver: Resolver) => Promise<T>): Promise<T> {
  if (options.resolver) return run(options.resolver);
  const resolver = new Resolver(resolverOptions(options));
  try {
    return await run(resolver);
  } finally {
    resolver.close();
  }
}

/** The domains (or owners) checked at once: the option, validated, or the default. */
export function concurrencyOf(options: CheckOptions): number {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new OptionError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  return concurrency;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
