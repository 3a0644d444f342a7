import { defineFamily } from '../../core/family.js';
import { collectDnssecFacts } from './collect.js';
import type { DnssecFacts, ValidatedName } from './collect.js';
import { dnssecBogus, dnssecNotValidated, dnssecUnsigned } from './rules.js';
import { describeExtendedError } from '../../dns/message.js';
import type { DnssecLookup, DnssecSection } from '../../engine/result.js';

export const dnssecRules = [dnssecBogus, dnssecUnsigned, dnssecNotValidated];

/** `authenticated` is null where it cannot be told: the lookup failed, or the resolver does not validate. */
function lookupSection({ name, type, result }: ValidatedName, validating: boolean): DnssecLookup {
  if (result.state === 'secure' || result.state === 'insecure') {
    return { name, type, state: result.state, rcode: result.answer.rcode, authenticated: result.state === 'secure' ? true : validating ? false : null };
  }
  const extendedErrors = result.failure.extendedErrors.map(describeExtendedError);
  return result.state === 'bogus'
    ? { name, type, state: 'bogus', authenticated: false, evidence: result.evidence, extendedErrors }
    : { name, type, state: 'failed', authenticated: null, error: result.failure.message, extendedErrors };
}

function dnssecSection(facts: DnssecFacts): DnssecSection {
  const validating = facts.resolver.state === 'validating';
  const lookups = [facts.mx, ...facts.hosts].map((lookup) => lookupSection(lookup, validating));
  return {
    resolverValidates: validating ? true : facts.resolver.state === 'not-validating' ? false : null,
    mxAuthenticated: lookups[0]!.authenticated,
    lookups,
  };
}

/** DNSSEC (`--checks dnssec`): the MX and address answers asked with DO through a validating resolver. */
export const dnssecFamily = defineFamily<DnssecFacts>({
  name: 'dnssec',
  collect: collectDnssecFacts,
  rules: dnssecRules,
  section: dnssecSection,
});
