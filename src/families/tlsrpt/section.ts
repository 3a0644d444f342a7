import type { PublishedState } from '../../facts/txt-record.js';
import { publishedSection } from '../../facts/txt-record.js';
import type { TlsRptFacts } from './collect.js';

/** `result.tlsrpt` (--checks tlsrpt): the _smtp._tls record. */
export interface TlsRptSection {
  state: PublishedState;
  records?: string[];
  rua?: string[];
}

export function tlsRptSection(facts: TlsRptFacts): TlsRptSection {
  return publishedSection(facts.published, (record) => ({ rua: record.rua.map((u) => u.uri) }));
}
