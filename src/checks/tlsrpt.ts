import { collectTlsRptFacts } from '../facts/tlsrpt.js';
import type { TlsRptFacts } from '../facts/tlsrpt.js';
import { publishedSection } from '../facts/txt-record.js';
import { tlsRptRules } from '../rules/tlsrpt/index.js';
import type { TlsRptSection } from '../result.js';
import { defineFamily } from './family.js';

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
