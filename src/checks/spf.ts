import { defineFamily } from './family.js';
import { collectSpfFacts } from '../spf/facts.js';
import { spfSection } from '../spf/section.js';
import { spfRules } from '../rules/spf/index.js';

/** SPF (RFC 7208): the domain's record and everything it includes, judged without a client address. */
export const spfFamily = defineFamily({
  name: 'spf',
  collect: ({ domain, lookups, mail }) => collectSpfFacts(lookups, domain, mail),
  rules: spfRules,
  section: (facts) => spfSection(facts.policy),
});
