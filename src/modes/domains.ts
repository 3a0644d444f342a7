import { parseDomainInput } from '../dns/name.js';
import { checkOneInput, checkThroughResolver, invalidResult, streamInputs } from '../engine/inputs.js';
import type { InputCheck } from '../engine/inputs.js';
import type { DomainResult } from '../engine/result.js';
import { collect } from '../engine/run-options.js';
import type { RunOptions } from '../engine/run-options.js';
import { validateOptions } from '../engine/validate-options.js';
import { checkAuthoritative } from './authoritative/runner.js';

/**
 * The domain checks the library and the CLI offer: through the resolver, or — with the
 * `authoritative` option — on the zone's own name servers, asked one by one. Each validates its
 * options first and rejects with an OptionError, never throwing synchronously.
 */

function inputCheckFor(options: RunOptions): InputCheck {
  const { authoritative } = options;
  if (authoritative === undefined) return checkThroughResolver;
  return async (resolver, input, _options, _families, prober) => {
    const parsed = parseDomainInput(input);
    return parsed.valid ? checkAuthoritative(resolver, input, parsed.name, authoritative, options, prober) : invalidResult(input, parsed.reason, options);
  };
}

/** The options checked, the shared resolver and the cancelling signal (not options the CLI has) kept as given. */
export function validatedRunOptions(options: RunOptions): RunOptions {
  const { resolver, signal, ...rest } = options;
  return { ...validateOptions(rest), ...(resolver === undefined ? {} : { resolver }), ...(signal === undefined ? {} : { signal }) };
}

/** Checks one domain; resolves to the result the JSON output prints. Never rejects for DNS trouble. */
export async function checkDomain(input: string, options: RunOptions = {}): Promise<DomainResult> {
  const valid = validatedRunOptions(options);
  return checkOneInput(input, valid, inputCheckFor(valid));
}

/**
 * Checks domains as they are read from `inputs`, a bounded number at a time with one resolver and
 * cache, yielding each result when it is done (in input order unless `order: 'completion'`).
 */
export async function* streamDomainChecks(inputs: Iterable<string> | AsyncIterable<string>, options: RunOptions = {}): AsyncGenerator<DomainResult> {
  const valid = validatedRunOptions(options);
  yield* streamInputs(inputs, valid, inputCheckFor(valid));
}

/** Checks many domains with one shared resolver and cache, a bounded number at a time; results in input order. */
export async function checkDomains(inputs: Iterable<string> | AsyncIterable<string>, options: RunOptions = {}): Promise<DomainResult[]> {
  return collect(streamDomainChecks(inputs, options));
}
