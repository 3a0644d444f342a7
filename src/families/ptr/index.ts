import { defineFamily } from '../../core/family.js';
import { collectPtrFacts } from './collect.js';
import { ptrRules } from './rules.js';
import { ptrSection } from './section.js';
import { ptrLines } from './text.js';

export const ptrFamily = defineFamily({
  name: 'ptr',
  summary: 'reverse DNS: each exchange address (or each sending host\'s, --sending-host) has a PTR record that resolves back to it (forward-confirmed)',
  collect: collectPtrFacts,
  rules: ptrRules,
  section: ptrSection,
  text: ptrLines,
});
