import { decodeUtf8Escaped, firstNonUtf8Octet } from '../../core/escape.js';
import { canonicalName, hostnameProblem } from '../../dns/name.js';
import { parseVersionedRecord, startsWithVersionTag, tagValue } from '../common/tag-list.js';

/** MTA-STS (RFC 8461): the `_mta-sts` TXT record and the policy file it announces. */

export interface MtaStsRecord {
  /** The policy's id: senders fetch the policy again when it changes. */
  id: string | null;
  problems: string[];
}

export type MtaStsMode = 'enforce' | 'testing' | 'none';

export interface MtaStsPolicy {
  mode: MtaStsMode | null;
  maxAge: number | null;
  /** The mx patterns as written, lower-case; only valid ones. */
  mx: string[];
  /** One sentence per problem; empty for a valid policy. */
  problems: string[];
  /** Senders use it: version, mode, max_age valid and mx present unless mode is none. */
  usable: boolean;
}

/** RFC 8461 §3.2: max_age is at most 31557600 seconds (a year). */
export const MAX_POLICY_MAX_AGE = 31_557_600;
const MODES: readonly MtaStsMode[] = ['enforce', 'testing', 'none'];
// The value is trimmed by trimBlanks, not by the pattern: "(.*?)[ \t]*$" backtracks quadratically on a long run of blanks.
const POLICY_LINE = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,31}):(.*)$/;

/** The text without the spaces and tabs around it (RFC 8461 §3.2 field values), in linear time. */
function trimBlanks(text: string): string {
  const blank = (i: number): boolean => text[i] === ' ' || text[i] === '\t';
  let start = 0;
  let end = text.length;
  while (start < end && blank(start)) start++;
  while (end > start && blank(end - 1)) end--;
  return text.slice(start, end);
}

export function looksLikeMtaSts(text: string): boolean {
  return startsWithVersionTag(text, 'stsv1');
}

export function parseMtaStsRecord(text: string): MtaStsRecord {
  const list = parseVersionedRecord(text, 'STSv1');
  const problems = [...list.problems];
  const id = tagValue(list, 'id');
  if (id === undefined) problems.push('the id tag is missing; it is required');
  else if (!/^[A-Za-z0-9]{1,32}$/.test(id)) problems.push(`id=${id} is not 1 to 32 letters and digits`);
  return { id: id !== undefined && /^[A-Za-z0-9]{1,32}$/.test(id) ? id : null, problems };
}

function mxPatternProblem(pattern: string): string | null {
  const host = pattern.startsWith('*.') ? pattern.slice(2) : pattern;
  const problem = hostnameProblem(canonicalName(host));
  return problem === null ? null : `mx: ${pattern} is not a host name or "*." and a host name (${problem})`;
}

export function parseMtaStsPolicy(body: string): MtaStsPolicy {
  const problems: string[] = [];
  const fields = new Map<string, string>();
  const mx: string[] = [];
  body.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const match = POLICY_LINE.exec(line);
    if (!match) {
      problems.push(`line ${index + 1} ("${line.slice(0, 60)}") is not "key: value"`);
      return;
    }
    const [, key, rawValue] = match as unknown as [string, string, string];
    const value = trimBlanks(rawValue);
    if (key === 'mx') {
      const problem = mxPatternProblem(value);
      if (problem === null) mx.push(canonicalName(value));
      else problems.push(problem);
    } else if (fields.has(key)) {
      problems.push(`${key} appears more than once; senders use the first`);
    } else {
      fields.set(key, value);
    }
  });
  const version = fields.get('version');
  if (version !== 'STSv1') problems.push(version === undefined ? 'the version field is missing; write "version: STSv1" first' : `version: ${version} is not STSv1`);
  const modeText = fields.get('mode');
  const mode = MODES.find((m) => m === modeText) ?? null;
  if (mode === null) problems.push(modeText === undefined ? 'the mode field is missing' : `mode: ${modeText} is not enforce, testing or none (lower case)`);
  const ageText = fields.get('max_age');
  const maxAge = ageText !== undefined && /^\d{1,10}$/.test(ageText) && Number(ageText) <= MAX_POLICY_MAX_AGE ? Number(ageText) : null;
  if (maxAge === null) problems.push(ageText === undefined ? 'the max_age field is missing' : `max_age: ${ageText} is not a number of seconds from 0 to ${MAX_POLICY_MAX_AGE}`);
  const needsMx = mode === 'enforce' || mode === 'testing';
  if (needsMx && mx.length === 0) problems.push(`there is no valid mx field, so in mode ${mode} no MX host is allowed`);
  return { mode, maxAge, mx, problems, usable: version === 'STSv1' && mode !== null && maxAge !== null && (!needsMx || mx.length > 0) };
}

/** What every gzip stream starts with (RFC 1952 §2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * A fetched policy file, octets as served: RFC 8461 §3.2 allows ASCII and UTF-8 only. Octets that are
 * not UTF-8 make the policy unusable (senders' parsers refuse it); they are kept in the text as
 * `\DDD`, and the text read past them is still checked, so the other problems show too. A body that
 * is gzip data is said to be that, not read line by line.
 */
export function readMtaStsPolicy(octets: Uint8Array): { text: string; policy: MtaStsPolicy } {
  const text = decodeUtf8Escaped(octets);
  const policy = parseMtaStsPolicy(text);
  if (GZIP_MAGIC.every((octet, i) => octets[i] === octet)) {
    return { text, policy: { ...policy, problems: ['the body is gzip-compressed data (it starts with the octets 1f 8b), not the policy as text'], usable: false } };
  }
  const bad = firstNonUtf8Octet(octets);
  if (bad === -1) return { text, policy };
  const line = octets.subarray(0, bad).filter((octet) => octet === 0x0a).length + 1;
  return { text, policy: { ...policy, problems: [`line ${line} holds octets that are not UTF-8`, ...policy.problems], usable: false } };
}

/** RFC 8461 §4.1: an exact name, or "*." matching exactly one leftmost label; case-insensitive. */
export function mxPatternMatches(pattern: string, host: string): boolean {
  const name = canonicalName(host);
  const lower = canonicalName(pattern);
  if (!lower.startsWith('*.')) return lower === name;
  const suffix = lower.slice(1);
  const label = name.slice(0, -suffix.length);
  return name.endsWith(suffix) && label !== '' && !label.includes('.');
}
