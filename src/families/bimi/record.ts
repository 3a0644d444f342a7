import { canonicalName, hostnameProblem, isIpLiteral } from '../../dns/name.js';
import { DKIM_TAG_NAME, parseTagList, startsWithVersionTag, tagValue } from '../common/tag-list.js';
import type { TagList } from '../common/tag-list.js';

/**
 * A BIMI Assertion Record (draft-brand-indicators-for-message-identification §4.3): the TXT record at
 * SELECTOR._bimi.DOMAIN that names the logo (l=) and the evidence of the right to show it (a=).
 */

/** An https: URL of the record, split as the fetch needs it. */
export interface HttpsUrl {
  url: string;
  /** Canonical host name. */
  host: string;
  port: number;
  /** Path and query, as sent in the request line. */
  path: string;
}

export interface BimiRecord {
  /** l=: the logo's location; null when empty, missing or invalid. */
  location: HttpsUrl | null;
  /** a=: where the evidence document (VMC or CMC) is; null when empty, missing or invalid. */
  evidence: HttpsUrl | null;
  /** a= names something (valid or not): false when it is empty or missing. */
  evidenceNamed: boolean;
  /** l= and a= both empty: the domain declines to show a logo (§4.3.1). */
  declined: boolean;
  /** Not v=BIMI1 first: receivers discard the record (§7.2 step 4). */
  discarded: boolean;
  /** What makes receivers discard the record or fail its evaluation, one sentence each. */
  problems: string[];
  /** Values receivers ignore (avp=, lps=), which some may treat as a failing record. */
  ignored: string[];
}

/** §4.3.2: l= may name only an SVG (or SVGZ); another image format's suffix is a permanent error. */
const OTHER_IMAGE_SUFFIX = /\.(png|jpe?g|gif|webp|bmp|ico|tiff?|avif|heic)$/i;
const KNOWN_TAGS = ['v', 'l', 'a', 'lps', 'avp'];

/** A TXT record at SELECTOR._bimi is taken for a BIMI record when it starts with a v=BIMI tag (its version judged later). */
export function looksLikeBimi(text: string): boolean {
  return startsWithVersionTag(text, 'bimi');
}

export function bimiName(selector: string, domain: string): string {
  return `${selector}._bimi.${domain}`;
}

type UrlReading = { url: HttpsUrl | null; problem: string | null };

/** l= or a= (§4.3): empty, or one https: URI with a fully qualified domain name, commas encoded. */
function readUrl(tag: 'l' | 'a', value: string): UrlReading {
  if (value === '') return { url: null, problem: null };
  const invalid = (why: string): UrlReading => ({ url: null, problem: `${tag}=${value} ${why}` });
  if (value.includes(',')) return invalid('holds a comma: it must be a single URI (commas within it encoded as %2C)');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return invalid('is not a URI');
  }
  if (url.protocol !== 'https:') return invalid(`uses ${url.protocol}, but only https: is allowed`);
  const host = canonicalName(url.hostname);
  if (isIpLiteral(url.hostname)) return invalid('names an IP address where a fully qualified domain name is required');
  const problem = hostnameProblem(host);
  if (problem !== null) return invalid(`does not name a valid host (${problem})`);
  if (url.username !== '' || url.password !== '') return invalid('carries a user name or password');
  if (tag === 'l' && OTHER_IMAGE_SUFFIX.test(url.pathname)) return invalid('names an image format other than SVG, which receivers treat as a permanent error');
  return { url: { url: value, host, port: url.port === '' ? 443 : Number(url.port), path: `${url.pathname}${url.search}` }, problem: null };
}

function misspelledTags(list: TagList): string[] {
  return list.tags.flatMap((tag) => {
    const known = KNOWN_TAGS.find((k) => k === tag.name.toLowerCase());
    return known !== undefined && known !== tag.name ? [`tag names are case-sensitive: "${tag.name}" is not "${known}", so receivers ignore it`] : [];
  });
}

export function parseBimiRecord(text: string): BimiRecord {
  const list = parseTagList(text, { spaceAroundEquals: true, tagName: DKIM_TAG_NAME });
  const problems = [...list.problems];
  const first = list.tags[0];
  if (first?.name !== 'v') problems.push('it does not start with v=BIMI1');
  else if (first.value !== 'BIMI1') problems.push(`v=${first.value} is not v=BIMI1 (compared exactly)`);
  problems.push(...misspelledTags(list));
  const l = tagValue(list, 'l');
  const a = tagValue(list, 'a') ?? '';
  if (l === undefined) problems.push('the l= tag (the logo\'s location) is missing; it is required, empty to decline');
  const location = readUrl('l', l ?? '');
  const evidence = readUrl('a', a);
  for (const reading of [location, evidence]) if (reading.problem !== null) problems.push(reading.problem);
  const ignored: string[] = [];
  const lps = tagValue(list, 'lps');
  if (lps !== undefined && lps !== 'true' && lps !== 'false') ignored.push(`lps=${lps} is not true or false`);
  const avp = tagValue(list, 'avp');
  if (avp !== undefined && avp !== 'brand' && avp !== 'personal') ignored.push(`avp=${avp} is not brand or personal`);
  return { location: location.url, evidence: evidence.url, evidenceNamed: a !== '', declined: l === '' && a === '', discarded: first?.name !== 'v' || first.value !== 'BIMI1', problems, ignored };
}
