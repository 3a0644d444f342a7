import { parseVersionedRecord, startsWithVersionTag, tagValue } from '../common/tag-list.js';
import { parseReportUri } from '../common/report-uri.js';
import type { ReportUri } from '../common/report-uri.js';

/** A TLS-RPT record (RFC 8460 §3): `v=TLSRPTv1; rua=mailto:…,https://…`. */
export interface TlsRptRecord {
  rua: ReportUri[];
  /** One sentence per problem; empty for a valid record. */
  problems: string[];
}

const SCHEMES = ['mailto', 'https'];

/** A TXT record at _smtp._tls is taken for a TLS-RPT record when it starts with a v= tag naming it. */
export function looksLikeTlsRpt(text: string): boolean {
  return startsWithVersionTag(text, 'tlsrptv1');
}

export function parseTlsRptRecord(text: string): TlsRptRecord {
  const list = parseVersionedRecord(text, 'TLSRPTv1');
  const problems = [...list.problems];
  const rua: ReportUri[] = [];
  const value = tagValue(list, 'rua');
  if (value === undefined) problems.push('the rua tag (where reports go) is missing; it is required');
  else {
    for (const written of value.split(',').map((s) => s.trim())) {
      const parsed = parseReportUri(written, SCHEMES);
      if (parsed.ok) rua.push(parsed.uri);
      else problems.push(`rua: ${written === '' ? 'an empty URI' : parsed.problem}`);
    }
  }
  return { rua, problems };
}
