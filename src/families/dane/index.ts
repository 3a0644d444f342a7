import { defineFamily } from '../../core/family.js';
import { collectDaneFacts } from './collect.js';
import { daneRules } from './rules/index.js';
import { daneSection } from './section.js';
import { daneLines } from './text.js';

export const daneFamily = defineFamily({
  name: 'dane',
  summary: "each exchange's _25._tcp TLSA records (RFC 7672), authenticated, and matched against the certificates when smtp runs too",
  collect: collectDaneFacts,
  rules: daneRules,
  section: daneSection,
  text: daneLines,
});
