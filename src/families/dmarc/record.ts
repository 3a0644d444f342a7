import { DKIM_TAG_NAME, parseTagList, startsWithVersionTag, tagValue } from '../common/tag-list.js';
import type { TagList } from '../common/tag-list.js';
import { parseReportUri, REPORT_URI_SIZE } from '../common/report-uri.js';
import type { ReportUri } from '../common/report-uri.js';

/** A DMARC record (RFC 7489 §6.3) as a receiver reads it, with everything wrong in it. */

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export interface DmarcRecord {
  /**
   * What receivers apply to the domain that published it: `p`, or `none` when `p` is unusable but a
   * valid rua is present (§6.6.3); null when they discard the record.
   */
  policy: DmarcPolicy | null;
  /** `p` as written, when it is valid. */
  declaredPolicy: DmarcPolicy | null;
  /** `sp` when valid: what applies to subdomains that have no record of their own. */
  subdomainPolicy: DmarcPolicy | null;
  pct: number;
  rua: ReportUri[];
  ruf: ReportUri[];
  /** One sentence per problem; empty for a valid record. */
  problems: string[];
}

const POLICIES: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];
const KNOWN_TAGS = ['v', 'p', 'sp', 'rua', 'ruf', 'adkim', 'aspf', 'pct', 'fo', 'rf', 'ri'];
const MAX_RI = 2 ** 32 - 1;

/** A TXT record at _dmarc is a DMARC record when it starts with a v= tag (its version judged later). */
export function looksLikeDmarc(text: string): boolean {
  return startsWithVersionTag(text, 'dmarc');
}

/** Starts with the version tag exactly as RFC 7489 §6.4 writes it: what receivers keep. */
export function startsWithDmarcVersion(text: string): boolean {
  return /^[ \t]*v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)/.test(text);
}

function policyValue(value: string | undefined): DmarcPolicy | null {
  const lower = value?.toLowerCase();
  return POLICIES.find((p) => p === lower) ?? null;
}

function colonList(value: string, allowed: RegExp): boolean {
  return value.split(':').every((item) => allowed.test(item.trim()));
}

function readUris(list: TagList, tag: 'rua' | 'ruf', problems: string[]): ReportUri[] {
  const value = tagValue(list, tag);
  if (value === undefined) return [];
  const uris: ReportUri[] = [];
  for (const written of value.split(',').map((s) => s.trim())) {
    if (written === '') {
      problems.push(`${tag} has an empty URI`);
      continue;
    }
    // Any scheme is a URI here; receivers need only support mailto: (RFC 7489 §6.2).
    const parsed = parseReportUri(written.replace(REPORT_URI_SIZE, ''), 'any');
    if (parsed.ok) uris.push(parsed.uri);
    else problems.push(`${tag}: ${parsed.problem}`);
  }
  return uris;
}

function checkValues(list: TagList, problems: string[]): void {
  const value = (name: string): string | undefined => tagValue(list, name);
  for (const tag of list.tags) {
    const known = KNOWN_TAGS.find((k) => k === tag.name.toLowerCase());
    if (known !== undefined && known !== tag.name) problems.push(`tag names are case-sensitive: "${tag.name}" is not "${known}", so receivers ignore it`);
  }
  const p = value('p');
  if (p === undefined) problems.push('the p tag (the policy) is missing; it is required');
  else if (policyValue(p) === null) problems.push(`p=${p} is not none, quarantine or reject`);
  const sp = value('sp');
  if (sp !== undefined && policyValue(sp) === null) problems.push(`sp=${sp} is not none, quarantine or reject`);
  for (const name of ['adkim', 'aspf']) {
    const v = value(name);
    if (v !== undefined && !/^[rs]$/i.test(v)) problems.push(`${name}=${v} is not r (relaxed) or s (strict)`);
  }
  const pct = value('pct');
  if (pct !== undefined && !(/^\d{1,3}$/.test(pct) && Number(pct) <= 100)) problems.push(`pct=${pct} is not a whole number from 0 to 100`);
  const fo = value('fo');
  if (fo !== undefined && !colonList(fo, /^[01ds]$/i)) problems.push(`fo=${fo} is not a colon-separated list of 0, 1, d and s`);
  const rf = value('rf');
  if (rf !== undefined && !colonList(rf, /^afrf$/i)) problems.push(`rf=${rf} names a report format other than afrf, the only one registered`);
  const ri = value('ri');
  if (ri !== undefined && !(/^\d{1,10}$/.test(ri) && Number(ri) <= MAX_RI)) problems.push(`ri=${ri} is not a number of seconds (a 32-bit unsigned integer)`);
}

export function parseDmarcRecord(text: string): DmarcRecord {
  const list = parseTagList(text, { spaceAroundEquals: true, tagName: DKIM_TAG_NAME });
  const problems = [...list.problems];
  const first = list.tags[0];
  let versionOk = false;
  if (first?.name !== 'v') problems.push('the record must start with v=DMARC1; receivers ignore one that does not');
  else if (first.value !== 'DMARC1') problems.push(`v=${first.value} is not v=DMARC1 (upper case, compared exactly); receivers ignore the record`);
  else versionOk = true;
  checkValues(list, problems);
  const rua = readUris(list, 'rua', problems);
  const ruf = readUris(list, 'ruf', problems);
  const p = policyValue(tagValue(list, 'p'));
  const pct = tagValue(list, 'pct');
  return {
    policy: !versionOk ? null : p ?? (rua.length > 0 ? 'none' : null),
    declaredPolicy: p,
    subdomainPolicy: policyValue(tagValue(list, 'sp')),
    pct: pct !== undefined && /^\d{1,3}$/.test(pct) && Number(pct) <= 100 ? Number(pct) : 100,
    rua,
    ruf,
    problems,
  };
}

/** The policy for a domain under this record: sp for a subdomain that inherits it (§6.6.3), else p. */
export function appliedPolicy(record: DmarcRecord, inherited: boolean): DmarcPolicy | null {
  return inherited && record.policy !== null ? record.subdomainPolicy ?? record.policy : record.policy;
}
