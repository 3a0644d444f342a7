import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { collectDkimFacts } from './collect.js';
import { dkimRules } from './rules/index.js';
import { dkimSection } from './section.js';
import { dkimLines } from './text.js';

export const dkimFamily = defineFamily({
  name: 'dkim',
  summary: 'the DKIM keys (RFC 6376) at SELECTOR._domainkey.DOMAIN for the selectors given or, with --dkim-discover, common ones',
  collect: ({ lookups, mail, options }: CheckContext) => collectDkimFacts(lookups, mail, { selectors: options.dkimSelectors ?? [], discover: options.dkimDiscover === true }),
  rules: dkimRules,
  section: dkimSection,
  text: dkimLines,
});
