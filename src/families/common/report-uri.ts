import { canonicalName, hostnameProblem, isIpLiteral } from '../../dns/name.js';

/** Where a report goes: a DMARC rua/ruf or TLS-RPT rua destination. */
export interface ReportUri {
  /** As written (a DMARC size limit such as "!10m" left out). */
  uri: string;
  /** Lower-case, without the colon: "mailto", "https". */
  scheme: string;
  /** The domain that receives the reports: the address's domain for mailto:, else the URI's host. */
  host: string;
}

/** The obsolete size limit after a DMARC report URI: "mailto:d@example.com!10m" (RFC 9989 §4.8, obs-dmarc-report-size); not part of the URI. */
export const REPORT_URI_SIZE = /!\d+[kmgt]?$/i;

export type ReportUriParse = { ok: true; uri: ReportUri } | { ok: false; problem: string };

function hostProblem(host: string): string | null {
  return isIpLiteral(host) ? null : hostnameProblem(host);
}

/**
 * What a URI is written with (RFC 3986 §2: unreserved, reserved and "%"). Anything else — a
 * backslash, or `\DDD`, the way an octet of the record that is not UTF-8 is kept — is no URI.
 */
const URI_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/;

/** Reads one report URI; `schemes` are the ones the record's RFC defines, or 'any'. */
export function parseReportUri(text: string, schemes: readonly string[] | 'any'): ReportUriParse {
  if (!URI_CHARACTERS.test(text)) return { ok: false, problem: `"${text}" holds characters no URI can hold` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `"${text}" is not a URI` };
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (schemes !== 'any' && !schemes.includes(scheme)) {
    return { ok: false, problem: `"${text}" has the scheme ${scheme}:, but only ${schemes.map((s) => `${s}:`).join(' and ')} are defined` };
  }
  if (scheme === 'mailto') {
    let address: string;
    try {
      address = decodeURIComponent(url.pathname);
    } catch {
      return { ok: false, problem: `"${text}" has a broken %-escape` };
    }
    const at = address.lastIndexOf('@');
    const domain = canonicalName(address.slice(at + 1));
    if (at <= 0 || hostProblem(domain) !== null) {
      return { ok: false, problem: `"${text}" is not a mailto: URI with an address user@domain` };
    }
    return { ok: true, uri: { uri: text, scheme, host: domain } };
  }
  const host = canonicalName(url.hostname);
  const problem = url.hostname === '' ? 'it has no host' : hostProblem(host);
  if (problem !== null) return { ok: false, problem: `"${text}": ${problem}` };
  return { ok: true, uri: { uri: text, scheme, host } };
}
