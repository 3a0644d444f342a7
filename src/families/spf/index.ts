import { defineFamily } from '../../core/family.js';
import { collectSpfFacts } from './collect.js';
import { spfSection } from './section.js';
import { spfRules } from './rules/index.js';

/** SPF (RFC 7208): the domain's record and everything it includes, judged without a client address. */
export const spfFamily = defineFamily({
  name: 'spf',
  collect: ({ domain, lookups, mail }) => collectSpfFacts(lookups, domain, mail),
  rules: spfRules,
  section: (facts) => spfSection(facts.policy),
});
