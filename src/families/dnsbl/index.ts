import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { collectDnsblFacts } from './collect.js';
import { dnsblRules } from './rules.js';
import { dnsblSection } from './section.js';
import { dnsblLines } from './text.js';

export const dnsblFamily = defineFamily({
  name: 'dnsbl',
  summary: 'DNS block lists (RFC 5782): every exchange address looked up in the lists given with --dnsbl',
  collect: ({ lookups, mail, options }: CheckContext) => collectDnsblFacts(lookups, mail, options.dnsbl ?? []),
  rules: dnsblRules,
  section: dnsblSection,
  text: dnsblLines,
});
