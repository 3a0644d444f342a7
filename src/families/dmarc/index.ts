import { defineFamily } from '../../core/family.js';
import { singleRecordPlace } from '../common/record-place.js';
import type { CheckContext } from '../../facts/context.js';
import { collectDmarcFacts } from './collect.js';
import { dmarcRules } from './rules.js';
import { dmarcSection } from './section.js';
import { dmarcLines } from './text.js';

export const dmarcFamily = defineFamily({
  name: 'dmarc',
  summary: 'the DMARC record (RFC 9989) that applies to the domain, found by the DNS tree walk as receivers find it',
  collect: ({ lookups, mail }: CheckContext) => collectDmarcFacts(lookups, mail),
  rules: dmarcRules,
  section: dmarcSection,
  text: dmarcLines,
  recordPlace: ({ name, records }) => singleRecordPlace(name, records),
});
