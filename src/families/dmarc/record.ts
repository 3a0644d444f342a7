import { DKIM_TAG_NAME, parseTagList, tagValue } from '../common/tag-list.js';
import type { Tag, TagList } from '../common/tag-list.js';
import { parseReportUri, REPORT_URI_SIZE } from '../common/report-uri.js';
import type { ReportUri } from '../common/report-uri.js';

/** A DMARC Policy Record (RFC 9989 §4.7, §4.8) as a receiver reads it, with everything wrong in it. */

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
/** The psd tag (§4.7): y, the domain is a public suffix; n, it is an Organizational Domain; u (the default), not said. */
export type PsdFlag = 'y' | 'n' | 'u';

/** The policies receivers read from a record (§4.10.1). */
export interface DmarcPolicies {
  p: DmarcPolicy;
  /** For existing subdomains, when written (else p applies). */
  sp: DmarcPolicy | null;
  /** For subdomains that do not exist, when written (else sp, else p). */
  np: DmarcPolicy | null;
  /**
   * Why receivers act as if the record said p=none, when it does not: no p tag, or a bad p, sp or np
   * beside a valid rua (then sp and np are dropped too); null when p is written right.
   */
  implied: 'no-p' | 'invalid' | null;
}

export interface DmarcRecord {
  /** What receivers act on; null when they apply no DMARC processing (a bad p, sp or np and no valid rua). */
  policies: DmarcPolicies | null;
  /** t=y: the Domain Owner tests its policy and asks receivers to apply one level lower. */
  testing: boolean;
  psd: PsdFlag;
  rua: ReportUri[];
  ruf: ReportUri[];
  /** Tags RFC 9989 removed (pct, rf, ri), as written: receivers that follow it ignore them. */
  removed: Tag[];
  /** Tags DMARC does not define: receivers ignore them. */
  unknown: Tag[];
  /** Report URIs written with the "!size" limit RFC 9989 removed, as written (limit included). */
  sizeLimited: string[];
  /** One sentence per problem; empty for a valid record. */
  problems: string[];
}

const POLICIES: readonly DmarcPolicy[] = ['none', 'quarantine', 'reject'];
const KNOWN_TAGS = ['v', 'p', 'sp', 'np', 'psd', 't', 'adkim', 'aspf', 'fo', 'rua', 'ruf'];
/** Defined by RFC 7489, removed by RFC 9989 (Appendix C.5.2). */
export const REMOVED_TAGS = ['pct', 'rf', 'ri'] as const;

/** The version tag exactly as §4.8 writes it, first in the record, nothing before it. */
const DMARC_VERSION = /^v[ \t]*=[ \t]*DMARC1[ \t]*(;|$)/;
/** A field that is a version tag of some DMARC, however written: v=dmarc1, V = DMARC2. */
const isVersion = (field: string): boolean => /^v\s*=\s*dmarc/i.test(field);

/** Why a TXT record at a _dmarc name, meant as a DMARC record, is not one. */
export type DiscardReason =
  /** White space before v=DMARC1: outside the grammar (§4.8); receivers that trim it keep the record, the others do not. */
  | 'white-space'
  /** The first tag is a version tag, but not v=DMARC1 exactly (v=dmarc1, V=DMARC1, v=DMARC2). */
  | 'version'
  /** v=DMARC1 is there, but not first. */
  | 'not-first'
  /** No version tag at all, though DMARC tags are there (p=reject; rua=…). */
  | 'no-version';

/** What a TXT record at a _dmarc name is (§4.10 step 2): a DMARC record, one receivers discard, or something else. */
export type DmarcText = { kind: 'record' } | { kind: 'discarded'; reason: DiscardReason } | { kind: 'other' };

const dkimTags = (text: string): TagList => parseTagList(text, { spaceAroundEquals: true, tagName: DKIM_TAG_NAME });

export function classifyDmarcText(text: string): DmarcText {
  if (DMARC_VERSION.test(text)) return { kind: 'record' };
  if (DMARC_VERSION.test(text.trimStart())) return { kind: 'discarded', reason: 'white-space' };
  const fields = text.split(';').map((field) => field.trim());
  if (isVersion(fields[0]!)) return { kind: 'discarded', reason: 'version' };
  if (fields.slice(1).some(isVersion)) return { kind: 'discarded', reason: 'not-first' };
  const { tags } = dkimTags(text);
  const meantAsDmarc = tags.some(({ name, value }) => (name === 'p' && policyValue(value) !== null) || (name === 'rua' && /^mailto:/i.test(value)));
  return meantAsDmarc ? { kind: 'discarded', reason: 'no-version' } : { kind: 'other' };
}

/** A DMARC Policy Record: starts with v=DMARC1, exactly. */
export function isDmarcRecord(text: string): boolean {
  return classifyDmarcText(text).kind === 'record';
}

/** The first field of a text, trimmed: the version tag as written, for a record discarded for its version. */
export function firstField(text: string): string {
  return text.split(';')[0]!.trim();
}

/** A record discarded because v=DMARC1 is not first, rewritten with it first: what it was meant to say. */
export function withVersionFirst(text: string): string {
  const fields = text.split(';').map((field) => field.trim()).filter((field) => field !== '');
  return ['v=DMARC1', ...fields.filter((field) => !isVersion(field))].join('; ');
}

function policyValue(value: string | undefined): DmarcPolicy | null {
  const lower = value?.toLowerCase();
  return POLICIES.find((p) => p === lower) ?? null;
}

function readUris(list: TagList, tag: 'rua' | 'ruf', problems: string[], sizeLimited: string[]): ReportUri[] {
  const value = tagValue(list, tag);
  if (value === undefined) return [];
  const uris: ReportUri[] = [];
  for (const written of value.split(',').map((s) => s.trim())) {
    if (written === '') {
      problems.push(`${tag} has an empty URI`);
      continue;
    }
    if (REPORT_URI_SIZE.test(written)) sizeLimited.push(written);
    // Any scheme is a URI here; receivers need only support mailto: and ignore the schemes they do not (§4.7).
    const parsed = parseReportUri(written.replace(REPORT_URI_SIZE, ''), 'any');
    if (parsed.ok) uris.push(parsed.uri);
    else problems.push(`${tag}: ${parsed.problem}`);
  }
  return uris;
}

/** fo (§4.8): 0 or 1 (not both), d and s, each at most once, separated by colons. */
function foProblem(value: string): string | null {
  const items = value.split(':').map((item) => item.trim().toLowerCase());
  if (!items.every((item) => /^[01ds]$/.test(item))) return `fo=${value} is not a colon-separated list of 0, 1, d and s`;
  if (new Set(items).size !== items.length) return `fo=${value} names an option twice`;
  if (items.includes('0') && items.includes('1')) return `fo=${value} asks for both 0 and 1, which exclude each other`;
  return null;
}

interface TagSort {
  removed: Tag[];
  unknown: Tag[];
}

/** Sorts the tags beyond the known ones; a known or removed tag in the wrong case is a problem, not an unknown tag. */
function sortTags(list: TagList, problems: string[]): TagSort {
  const removed: Tag[] = [];
  const unknown: Tag[] = [];
  for (const tag of list.tags) {
    if (KNOWN_TAGS.includes(tag.name)) continue;
    if ((REMOVED_TAGS as readonly string[]).includes(tag.name)) {
      removed.push(tag);
      continue;
    }
    const meant = [...KNOWN_TAGS, ...REMOVED_TAGS].find((known) => known === tag.name.toLowerCase());
    if (meant !== undefined) problems.push(`tag names are case-sensitive: "${tag.name}" is not "${meant}", so receivers ignore it`);
    else unknown.push(tag);
  }
  return { removed, unknown };
}

/** Reads a record that starts with v=DMARC1 (see classifyDmarcText); what receivers cannot read is named in `problems`. */
export function parseDmarcRecord(text: string): DmarcRecord {
  const list = dkimTags(text);
  const problems = [...list.problems];
  const value = (name: string): string | undefined => tagValue(list, name);
  const { removed, unknown } = sortTags(list, problems);

  const written = { p: value('p'), sp: value('sp'), np: value('np') };
  const read = { p: policyValue(written.p), sp: policyValue(written.sp), np: policyValue(written.np) };
  let invalid = false;
  for (const name of ['p', 'sp', 'np'] as const) {
    if (written[name] === undefined || read[name] !== null) continue;
    problems.push(`${name}=${written[name]} is not none, quarantine or reject`);
    invalid = true;
  }
  for (const name of ['adkim', 'aspf']) {
    const v = value(name);
    if (v !== undefined && !/^[rs]$/i.test(v)) problems.push(`${name}=${v} is not r (relaxed) or s (strict); receivers use r`);
  }
  const t = value('t');
  if (t !== undefined && !/^[yn]$/i.test(t)) problems.push(`t=${t} is not y or n; receivers use n`);
  const psd = value('psd');
  if (psd !== undefined && !/^[ynu]$/i.test(psd)) problems.push(`psd=${psd} is not y, n or u; receivers use u`);
  const fo = value('fo');
  const foIssue = fo === undefined ? null : foProblem(fo);
  if (foIssue !== null) problems.push(foIssue);

  const sizeLimited: string[] = [];
  const rua = readUris(list, 'rua', problems, sizeLimited);
  const ruf = readUris(list, 'ruf', problems, sizeLimited);
  return {
    policies: readPolicies(read, invalid, rua.length > 0),
    testing: t?.toLowerCase() === 'y',
    psd: psd !== undefined && /^[ynu]$/i.test(psd) ? (psd.toLowerCase() as PsdFlag) : 'u',
    rua,
    ruf,
    removed,
    unknown,
    sizeLimited,
    problems,
  };
}

/** §4.10.1: a bad p, sp or np makes the record p=none when a valid rua is there, else void; a missing p is p=none. */
function readPolicies(read: { p: DmarcPolicy | null; sp: DmarcPolicy | null; np: DmarcPolicy | null }, invalid: boolean, reports: boolean): DmarcPolicies | null {
  if (invalid) return reports ? { p: 'none', sp: null, np: null, implied: 'invalid' } : null;
  return { p: read.p ?? 'none', sp: read.sp, np: read.np, implied: read.p === null ? 'no-p' : null };
}

/** Whom a record's policy is applied to: the domain it is published at, an existing subdomain, or one that does not exist. */
export type PolicyTarget = 'domain' | 'subdomain' | 'non-existent';

export interface AppliedPolicy {
  /** What receivers apply: the declared policy, one level lower when the record tests it (t=y). */
  effective: DmarcPolicy;
  declared: DmarcPolicy;
  /** The tag the declared policy is read from; null when receivers act as if p=none (see DmarcPolicies.implied). */
  tag: 'p' | 'sp' | 'np' | null;
  /** t=y on a policy other than none (t has no effect on none). */
  testing: boolean;
}

const ONE_LEVEL_LOWER: Record<DmarcPolicy, DmarcPolicy> = { reject: 'quarantine', quarantine: 'none', none: 'none' };

/** The policy under a record (§4.10.1, §4.7 t): p for the domain itself, sp for existing subdomains, np for those that do not exist. */
export function applyPolicy(record: DmarcRecord, target: PolicyTarget): AppliedPolicy | null {
  const { policies } = record;
  if (policies === null) return null;
  const choice: { tag: 'p' | 'sp' | 'np'; value: DmarcPolicy | null }[] = target === 'domain' ? [{ tag: 'p', value: policies.p }]
    : [...(target === 'non-existent' ? [{ tag: 'np' as const, value: policies.np }] : []), { tag: 'sp', value: policies.sp }, { tag: 'p', value: policies.p }];
  const { tag, value } = choice.find((c) => c.value !== null)!;
  const declared = value!;
  const testing = record.testing && declared !== 'none';
  return { effective: testing ? ONE_LEVEL_LOWER[declared] : declared, declared, tag: tag === 'p' && policies.implied !== null ? null : tag, testing };
}
