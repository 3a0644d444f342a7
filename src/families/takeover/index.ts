import { defineFamily } from '../../core/family.js';
import { collectTakeoverFacts } from './collect.js';
import { takeoverRules } from './rules.js';
import { takeoverSection } from './section.js';
import { takeoverLines } from './text.js';

export const takeoverFamily = defineFamily({
  name: 'takeover',
  summary: 'every domain the mail setup depends on (MX hosts, SPF targets, report addresses, the MTA-STS policy host, name servers), through every CNAME: does it exist, or may anyone register it?',
  collect: collectTakeoverFacts,
  rules: takeoverRules,
  section: takeoverSection,
  text: takeoverLines,
});
