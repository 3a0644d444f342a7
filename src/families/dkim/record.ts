import { DKIM_TAG_NAME, parseTagList, tagValue } from '../common/tag-list.js';
import type { TagList } from '../common/tag-list.js';

/**
 * A DKIM key record (RFC 6376 §3.6.1): the TXT record at SELECTOR._domainkey.DOMAIN, a tag list
 * such as `v=DKIM1; k=rsa; p=MIIBIjANBg…`. Only its shape is judged here; what the key in p= is,
 * key.ts reads.
 */
export interface DkimKeyRecord {
  /** k=, lower-case; "rsa" when absent (the default). */
  keyType: string;
  /** p= without its white space: the base64 key, "" when the key is revoked; null when p= is missing (a syntax problem). */
  publicKey: string | null;
  /** h=: the hash algorithms the key may be used with; null when absent (any). */
  hashes: string[] | null;
  /** s=: the services the key is for; ["*"] when absent. */
  services: string[];
  /** t=: the flags ("y" testing, "s" strict i=); empty when absent. */
  flags: string[];
  /** One sentence per syntax problem; a verifier ignores a record with any (PERMFAIL, key syntax error). */
  problems: string[];
}

/** The key types a verifier knows: RSA (RFC 6376) and Ed25519 (RFC 8463). */
export const KNOWN_KEY_TYPES = ['rsa', 'ed25519'] as const;
export type KnownKeyType = (typeof KNOWN_KEY_TYPES)[number];

export function isKnownKeyType(type: string): type is KnownKeyType {
  return (KNOWN_KEY_TYPES as readonly string[]).includes(type);
}

/** RFC 6376 §2.10 hyphenated-word: ALPHA [ *(ALPHA / DIGIT / "-") (ALPHA / DIGIT) ]. */
const HYPHENATED_WORD = /^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const WSP = /[ \t\r\n]+/g;

/**
 * A colon-separated tag value (h=, s=, t=): its entries, white space around them dropped; `allowed`
 * says which are well formed. Problems go to `problems`, named after the tag.
 */
function colonList(value: string, tag: string, allowed: (entry: string) => boolean, problems: string[]): string[] {
  const entries = value.split(':').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !allowed(entry));
  if (bad.length > 0) problems.push(`${tag}= holds ${bad.map((entry) => (entry === '' ? 'an empty entry' : `"${entry}"`)).join(', ')}, which is not a colon-separated list of names`);
  return entries.filter(allowed).map((entry) => entry.toLowerCase());
}

/** The version tag: absent, or first and exactly "DKIM1" (§3.6.1: a record with another version is discarded). */
function versionProblems(list: TagList): string[] {
  const index = list.tags.findIndex((tag) => tag.name === 'v');
  if (index === -1) return [];
  const { value } = list.tags[index]!;
  if (value !== 'DKIM1') return [`v=${value} is not v=DKIM1 (compared exactly, case included): verifiers discard the record`];
  return index === 0 ? [] : ['v=DKIM1 is not the first tag, where it must be'];
}

export function parseDkimKeyRecord(text: string): DkimKeyRecord {
  const list = parseTagList(text, { spaceAroundEquals: true, tagName: DKIM_TAG_NAME });
  const problems = [...list.problems, ...versionProblems(list)];
  const keyType = tagValue(list, 'k');
  if (keyType !== undefined && !HYPHENATED_WORD.test(keyType)) problems.push(`k=${keyType} is not a key type name`);
  const p = tagValue(list, 'p');
  if (p === undefined) problems.push('the p= tag (the public key) is missing; it is required, even empty for a revoked key');
  const h = tagValue(list, 'h');
  const s = tagValue(list, 's');
  const t = tagValue(list, 't');
  return {
    keyType: (keyType ?? 'rsa').toLowerCase(),
    publicKey: p === undefined ? null : p.replace(WSP, ''),
    hashes: h === undefined ? null : colonList(h, 'h', (entry) => HYPHENATED_WORD.test(entry), problems),
    services: s === undefined ? ['*'] : colonList(s, 's', (entry) => entry === '*' || HYPHENATED_WORD.test(entry), problems),
    flags: t === undefined ? [] : colonList(t, 't', (entry) => HYPHENATED_WORD.test(entry), problems),
    problems,
  };
}

/**
 * Whether a TXT record found under a common selector (discovery) is meant as a DKIM key: `v=DKIM1`
 * first or a p= tag. A wildcard TXT record of the zone answers under every selector too; that is no key.
 */
export function looksLikeDkimKey(text: string): boolean {
  return /^[ \t]*v[ \t]*=[ \t]*DKIM1/i.test(text) || /(^|;)[ \t]*p[ \t]*=/.test(text);
}

/** The hash algorithms verifiers use (RFC 8301 §3.1: sha256 only; rsa-sha1 must not be verified). */
export function usableHashes(record: DkimKeyRecord): boolean {
  return record.hashes === null || record.hashes.includes('sha256');
}

/** Whether the record is for e-mail (s= lists "email" or "*"). */
export function coversEmail(record: DkimKeyRecord): boolean {
  return record.services.includes('email') || record.services.includes('*');
}
