import { defineFamily } from '../../core/family.js';
import type { CheckContext } from '../../facts/context.js';
import { singleRecordPlace } from '../common/record-place.js';
import { collectTlsRptFacts, tlsRptName } from './collect.js';
import { tlsRptRules } from './rules.js';
import { tlsRptSection } from './section.js';
import { tlsRptLines } from './text.js';

export const tlsRptFamily = defineFamily({
  name: 'tlsrpt',
  summary: 'the _smtp._tls record (RFC 8460) that tells senders where to report TLS failures',
  collect: ({ lookups, mail }: CheckContext) => collectTlsRptFacts(lookups, mail),
  rules: tlsRptRules,
  section: tlsRptSection,
  text: tlsRptLines,
  recordPlace: ({ records }, domain) => singleRecordPlace(tlsRptName(domain), records),
});
