import { defineFamily } from './family.js';
import { collectDnssecFacts } from '../dnssec/collect.js';
import type { DnssecFacts, ValidatedName } from '../dnssec/collect.js';
import { dnssecBogus, dnssecNotValidated, dnssecUnsigned } from '../rules/dnssec/validation.js';
import { describeExtendedError } from '../dns/wire.js';

export const dnssecRules = [dnssecBogus, dnssecUnsigned, dnssecNotValidated];

/** `authenticated` is null where it cannot be told: the lookup failed, or the resolver does not validate. */
function lookupSection({ name, type, result }: ValidatedName, validating: boolean) {
  const base = { name, type, state: result.state };
  if (result.state === 'secure' || result.state === 'insecure') {
    return { ...base, rcode: result.answer.rcode, authenticated: result.state === 'secure' ? true : validating ? false : null };
  }
  const ede = result.failure.extendedErrors.map(describeExtendedError);
  return result.state === 'bogus'
    ? { ...base, authenticated: false, evidence: result.evidence, extendedErrors: ede }
    : { ...base, authenticated: null, error: result.failure.message, extendedErrors: ede };
}

/** DNSSEC (`--checks dnssec`): the MX and address answers asked with DO through a validating resolver. */
export const dnssecFamily = defineFamily<DnssecFacts>({
  name: 'dnssec',
  collect: collectDnssecFacts,
  rules: dnssecRules,
  section: (facts) => {
    const validating = facts.resolver.state === 'validating';
    const lookups = [facts.mx, ...facts.hosts].map((lookup) => lookupSection(lookup, validating));
    return {
      resolverValidates: validating ? true : facts.resolver.state === 'not-validating' ? false : null,
      mxAuthenticated: lookups[0]!.authenticated,
      lookups,
    };
  },
});
