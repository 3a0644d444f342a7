import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { collectReverseDnsFacts } from '../../facts/reverse-dns.js';
import { ptrRules } from './rules.js';
import { ptrSection } from './section.js';
import { ptrLines } from './text.js';

export const ptrFamily = defineFamily({
  name: 'ptr',
  summary: 'reverse DNS: each exchange address has a PTR record that resolves back to it (forward-confirmed)',
  collect: ({ lookups, mail }: CheckContext) => collectReverseDnsFacts(lookups, mail),
  rules: ptrRules,
  section: ptrSection,
  text: ptrLines,
});
