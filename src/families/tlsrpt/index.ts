import { collectTlsRptFacts } from './collect.js';
import type { TlsRptFacts } from './collect.js';
import { publishedSection } from '../../facts/txt-record.js';
import { tlsRptRules } from './rules.js';
import type { TlsRptSection } from '../../engine/result.js';
import { defineFamily } from '../../core/family.js';

function tlsRptSection(facts: TlsRptFacts): TlsRptSection {
  return publishedSection(facts.published, (record) => ({ rua: record.rua.map((u) => u.uri) }));
}

/** TLS-RPT (RFC 8460): the _smtp._tls record that tells senders where to report TLS failures. */
export const tlsRptFamily = defineFamily({
  name: 'tlsrpt',
  collect: ({ lookups, mail }) => collectTlsRptFacts(lookups, mail),
  rules: tlsRptRules,
  section: tlsRptSection,
});
