import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { collectSpfFacts } from './collect.js';
import { spfRules } from './rules/index.js';
import { spfSection } from './section.js';
import { spfLines } from './text.js';

export const spfFamily = defineFamily({
  name: 'spf',
  summary: "the domain's SPF record (RFC 7208) and everything it includes, judged without a client address: syntax, lookup limits, mechanisms",
  collect: ({ domain, lookups, mail }: CheckContext) => collectSpfFacts(lookups, domain, mail),
  rules: spfRules,
  section: spfSection,
  text: spfLines,
  recordPlace: (section, domain) => (section.record === null ? undefined : { name: domain, text: section.record }),
});
