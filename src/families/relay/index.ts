import { defineFamily } from '../../core/family.js';
import { collectRelayFacts } from './collect.js';
import { relayRules } from './rules.js';
import { relaySection } from './section.js';
import { relayLines } from './text.js';

export const relayFamily = defineFamily({
  name: 'relay',
  summary: 'every exchange address asked to relay: MAIL FROM:<>, RCPT TO an address elsewhere (--relay-test-address), QUIT, never DATA (opt-in: it connects)',
  collect: collectRelayFacts,
  rules: relayRules,
  section: relaySection,
  text: relayLines,
});
