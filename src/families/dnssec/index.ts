import { defineFamily } from '../../core/family.js';
import { collectDnssecFacts } from './collect.js';
import { dnssecRules } from './rules.js';
import { dnssecSection } from './section.js';
import { dnssecLines } from './text.js';

export const dnssecFamily = defineFamily({
  name: 'dnssec',
  summary: 'the MX and address answers asked again with DO through a validating resolver: authenticated, unsigned or bogus',
  collect: collectDnssecFacts,
  rules: dnssecRules,
  section: dnssecSection,
  text: dnssecLines,
});
