import { DeadServersError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { findingOf } from '../core/rule.js';
import { parseDomainInput } from '../dns/name.js';
import { Resolver } from '../dns/resolver.js';
import { domainInvalid } from '../families/mx/rules/index.js';
import type { AnyFamily } from '../families/index.js';
import type { CheckOptions } from '../core/options.js';
import { mapBounded } from './bounded-map.js';
import { judgedResult } from './judge.js';
import { checkName, nameResult, selectedFamilies } from './check-name.js';
import { createSmtpProber } from '../facts/smtp-prober.js';
import type { SmtpProber } from '../facts/smtp-prober.js';
import type { CheckPhase } from './check-name.js';
import type { DomainResult } from './result.js';
import { concurrencyOf, resolverOptions, withResolver } from './run-options.js';
import { reportSharedOnce } from './shared-findings.js';
import type { RunOptions } from './run-options.js';

export interface TimedResult {
  result: DomainResult;
  /** Milliseconds per phase; phases a check never reached (invalid input, no MX to follow) are 0. */
  phases: Record<CheckPhase, number>;
}

/** The result for input that is not a domain name: unknown, and nothing looked up. */
export function invalidResult(input: string, reason: string, options: CheckOptions): DomainResult {
  const finding: Finding = findingOf(domainInvalid, 'notADomain', { input, reason });
  return judgedResult({ input, domain: null, canonical: null, mx: [], durationMs: 0 }, [finding], options);
}

async function checkTimed(resolver: Resolver, input: string, options: RunOptions, families: readonly AnyFamily[], prober: SmtpProber): Promise<TimedResult> {
  const started = performance.now();
  const parsed = parseDomainInput(input);
  if (!parsed.valid) return { result: invalidResult(input, parsed.reason, options), phases: { mx: 0, exchanges: 0, checks: 0 } };
  const check = await checkName(resolver, parsed.name, options, { families, prober, ...(options.signal === undefined ? {} : { cancel: options.signal }) });
  return { result: nameResult(input, check, check.findings, started, options), phases: check.phases };
}

/** How one input of a run is checked, with the run's resolver, families and SMTP prober. */
export type InputCheck = (resolver: Resolver, input: string, options: RunOptions, families: readonly AnyFamily[], prober: SmtpProber) => Promise<DomainResult>;

/** An input checked through the resolver. */
export const checkThroughResolver: InputCheck = async (resolver, input, options, families, prober) => (await checkTimed(resolver, input, options, families, prober)).result;

/** One domain through the resolver, with the time each phase took (for monitoring). */
export function checkDomainTimed(input: string, options: RunOptions = {}): Promise<TimedResult> {
  const families = selectedFamilies(options);
  return withResolver(options, (resolver) => checkTimed(resolver, input, options, families, createSmtpProber(options)));
}

/** One domain, checked the way `check` does it; resolves to the result the JSON output prints. */
export function checkOneInput(input: string, options: RunOptions, check: InputCheck): Promise<DomainResult> {
  const families = selectedFamilies(options);
  return withResolver(options, (resolver) => check(resolver, input, options, families, createSmtpProber(options)));
}

/**
 * The inputs, until the resolver's every server has been found dead (DEAD_SERVER_REFUSALS refusals
 * in a row, never an answer): then, with another input to check, the run stops with a
 * DeadServersError rather than fail every domain left.
 */
async function* whileServersListen(inputs: Iterable<string> | AsyncIterable<string>, resolver: Resolver): AsyncGenerator<string> {
  let checked = 0;
  for await (const input of inputs) {
    const dead = resolver.deadServers();
    if (dead !== null) throw new DeadServersError(`${dead}; the run stopped after ${checked} domain${checked === 1 ? '' : 's'}`);
    checked++;
    yield input;
  }
}

/**
 * Checks inputs as they are read from `inputs` (a list, a file's lines), at most `concurrency` at a
 * time, with one resolver and one cache for the whole run, handing each result over when it is done
 * (in input order by default), each finding about what several names share reported once
 * (reportSharedOnce). The next input is read only when there is room for it, so memory
 * stays flat however long the input is, and a consumer that stops taking results stops the reading too.
 * A run whose every DNS server is dead stops (whileServersListen).
 */
export async function* streamInputs(inputs: Iterable<string> | AsyncIterable<string>, options: RunOptions, check: InputCheck): AsyncGenerator<DomainResult> {
  const families = selectedFamilies(options);
  const concurrency = concurrencyOf(options);
  const resolver = options.resolver ?? new Resolver(resolverOptions(options));
  // One prober for the run: at most --smtp-per-host connections at once to an address, each server probed once.
  const prober = createSmtpProber(options);
  try {
    yield* reportSharedOnce(mapBounded(whileServersListen(inputs, resolver), concurrency, options.order ?? 'input', (input) => check(resolver, input, options, families, prober)));
  } finally {
    if (!options.resolver) resolver.close();
  }
}
