import { collectTlsRptFacts } from '../facts/tlsrpt.js';
import type { TlsRptFacts } from '../facts/tlsrpt.js';
import { publishedState } from '../facts/txt-record.js';
import { tlsRptRules } from '../rules/tlsrpt/index.js';
import type { TlsRptSection } from '../result.js';
import { defineFamily } from './family.js';

function tlsRptSection(facts: TlsRptFacts): TlsRptSection {
  const { published } = facts;
  const state = publishedState(published);
  if (!published || published.records.length === 0) return { state };
  const single = published.records.length === 1 ? published.records[0]!.parsed : null;
  return { state, records: published.records.map((r) => r.text), ...(single ? { rua: single.rua.map((u) => u.uri) } : {}) };
}

/** TLS-RPT (RFC 8460): the _smtp._tls record that tells senders where to report TLS failures. */
export const tlsRptFamily = defineFamily({
  name: 'tlsrpt',
  collect: ({ lookups, mail }) => collectTlsRptFacts(lookups, mail),
  rules: tlsRptRules,
  section: tlsRptSection,
});
