import { parseDomainInput } from '../dns/name.js';
import { checkOneInput, checkThroughResolver, invalidResult, streamInputs } from '../engine/domains.js';
import type { InputCheck } from '../engine/domains.js';
import type { DomainResult } from '../engine/result.js';
import { collect } from '../engine/run-options.js';
import type { RunOptions } from '../engine/run-options.js';
import { checkAuthoritative } from './authoritative/runner.js';

/**
 * The domain checks the library and the CLI offer: through the resolver, or — with the
 * `authoritative` option — on the zone's own name servers, asked one by one.
 */

function inputCheckFor(options: RunOptions): InputCheck {
  const { authoritative } = options;
  if (authoritative === undefined) return checkThroughResolver;
  return async (resolver, input) => {
    const parsed = parseDomainInput(input);
    return parsed.valid ? checkAuthoritative(resolver, input, parsed.name, authoritative, options) : invalidResult(input, parsed.reason);
  };
}

/** Checks one domain; resolves to the result the JSON output prints. Never rejects for DNS trouble. */
export function checkDomain(input: string, options: RunOptions = {}): Promise<DomainResult> {
  return checkOneInput(input, options, inputCheckFor(options));
}

/**
 * Checks domains as they are read from `inputs`, a bounded number at a time with one resolver and
 * cache, yielding each result when it is done (in input order unless `order: 'completion'`).
 */
export function streamDomainChecks(inputs: Iterable<string> | AsyncIterable<string>, options: RunOptions = {}): AsyncGenerator<DomainResult> {
  return streamInputs(inputs, options, inputCheckFor(options));
}

/** Checks many domains with one shared resolver and cache, a bounded number at a time; results in input order. */
export function checkDomains(inputs: Iterable<string> | AsyncIterable<string>, options: RunOptions = {}): Promise<DomainResult[]> {
  return collect(streamDomainChecks(inputs, options));
}
