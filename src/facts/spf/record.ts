/**
 * Reading one SPF record (RFC 7208 §4.6, §5, §6, §12): version, terms, mechanisms with their
 * qualifiers, domain-specs and CIDR lengths, modifiers. The whole record is read before anything is
 * evaluated, since a syntax error anywhere makes the result permerror (§4.6).
 */
import { isIPv6 } from 'node:net';
import { Memo } from '../../core/memo.js';
import { parseDomainSpec, parseMacroString } from './macro.js';
import type { DomainSpec } from './macro.js';

export type Qualifier = '+' | '-' | '~' | '?';

interface Term {
  qualifier: Qualifier;
  /** The term as written, for messages and the trace. */
  text: string;
}

export type Mechanism =
  | (Term & { kind: 'all' })
  | (Term & { kind: 'include'; domain: DomainSpec })
  | (Term & { kind: 'a' | 'mx'; domain: DomainSpec | null; ip4Prefix: number; ip6Prefix: number })
  | (Term & { kind: 'ptr'; domain: DomainSpec | null })
  | (Term & { kind: 'ip4'; network: string; prefix: number })
  | (Term & { kind: 'ip6'; network: string; prefix: number })
  | (Term & { kind: 'exists'; domain: DomainSpec });

export type MechanismKind = Mechanism['kind'];

/** RFC 7208 §4.6.4: the terms that cost a DNS query and count toward the limit of 10 (redirect too). */
export const DNS_MECHANISMS: ReadonlySet<MechanismKind> = new Set<MechanismKind>(['include', 'a', 'mx', 'ptr', 'exists']);

export interface SpfRecord {
  text: string;
  /** In the order written; evaluation stops at the first match. */
  mechanisms: Mechanism[];
  redirect: { text: string; domain: DomainSpec } | null;
  exp: { text: string; domain: DomainSpec } | null;
}

export type SpfRecordParse =
  | { ok: true; record: SpfRecord }
  /** `term` is the term at fault, when one is. */
  | { ok: false; term: string | null; reason: string };

/** record = version terms *SP; version = "v=spf1" (RFC 7208 §4.5, §12), case-insensitive, then a space or the end. */
const VERSION = /^v=spf1(?= |$)/i;
const SPF_VERSION_TAG = 'v=spf1';

/** Whether a TXT string is an SPF record at all (RFC 7208 §4.5): other TXT records are none of SPF's business. */
export function isSpfRecord(text: string): boolean {
  return VERSION.test(text);
}

const IPV4_CIDR_MAX = 32;
const IPV6_CIDR_MAX = 128;
/** qnum = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35: no leading zeros. */
const QNUM = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)';
const IP4_NETWORK = new RegExp(`^${QNUM}\\.${QNUM}\\.${QNUM}\\.${QNUM}$`);
/** A CIDR length is "0" or digits without a leading zero. */
const CIDR_DIGITS = /^(?:0|[1-9]\d*)$/;
const MODIFIER = /^([a-z][a-z0-9\-_.]*)=(.*)$/is;
const MECHANISM = /^([+\-~?]?)([a-z0-9]*)(.*)$/is;
/** [ ":" domain-spec ] [ ip4-cidr-length ] [ "/" ip6-cidr-length ], the CIDR lengths read from the end. */
const DUAL_CIDR_ARGUMENT = /^(?::(.*?))?(?:\/(\d+))?(?:\/\/(\d+))?$/s;

class TermError extends Error {}

function cidr(written: string | undefined, max: number, family: string): number {
  if (written === undefined) return max;
  if (!CIDR_DIGITS.test(written) || Number(written) > max) {
    throw new TermError(`"/${written}" is not an ${family} prefix length (0 to ${max}, no leading zeros)`);
  }
  return Number(written);
}

function domainSpec(text: string): DomainSpec {
  const parsed = parseDomainSpec(text);
  if (!parsed.ok) throw new TermError(parsed.reason);
  return parsed.spec;
}

function parseMechanism(term: string): Mechanism {
  const [, qualifierWritten, nameWritten, rest] = MECHANISM.exec(term) as unknown as [string, string, string, string];
  const qualifier = (qualifierWritten || '+') as Qualifier;
  const name = nameWritten.toLowerCase();
  const base = { qualifier, text: term };
  switch (name) {
    case 'all':
      if (rest !== '') throw new TermError('"all" takes no argument');
      return { ...base, kind: 'all' };
    case 'include':
    case 'exists':
      if (!rest.startsWith(':')) throw new TermError(`"${name}" needs a domain: ${name}:example.com`);
      return { ...base, kind: name, domain: domainSpec(rest.slice(1)) };
    case 'a':
    case 'mx': {
      const match = DUAL_CIDR_ARGUMENT.exec(rest);
      if (!match) throw new TermError(`"${rest}" is not [:domain][/ip4-length][//ip6-length]`);
      const [, domain, ip4, ip6] = match;
      return {
        ...base, kind: name, domain: domain === undefined ? null : domainSpec(domain),
        ip4Prefix: cidr(ip4, IPV4_CIDR_MAX, 'IPv4'), ip6Prefix: cidr(ip6, IPV6_CIDR_MAX, 'IPv6'),
      };
    }
    case 'ptr':
      if (rest !== '' && !rest.startsWith(':')) throw new TermError('"ptr" takes only a domain (ptr:example.com), no prefix length');
      return { ...base, kind: 'ptr', domain: rest === '' ? null : domainSpec(rest.slice(1)) };
    case 'ip4':
    case 'ip6': {
      const match = /^:([^/]*)(?:\/(.*))?$/s.exec(rest);
      if (!match) throw new TermError(`"${name}" needs a network: ${name}:${name === 'ip4' ? '192.0.2.0/24' : '2001:db8::/32'}`);
      const [, network, prefix] = match as unknown as [string, string, string | undefined];
      if (name === 'ip4') {
        if (!IP4_NETWORK.test(network)) throw new TermError(`"${network}" is not an IPv4 address (four numbers 0-255, no leading zeros)`);
        return { ...base, kind: 'ip4', network, prefix: cidr(prefix, IPV4_CIDR_MAX, 'IPv4') };
      }
      if (!isIPv6(network) || network.includes('%')) throw new TermError(`"${network}" is not an IPv6 address`);
      return { ...base, kind: 'ip6', network, prefix: cidr(prefix, IPV6_CIDR_MAX, 'IPv6') };
    }
    default:
      throw new TermError(nameWritten === '' ? 'a term must be a mechanism or name=value' : `"${nameWritten}" is not a mechanism`);
  }
}

/** The first character that is not printable ASCII or a space, if any: SPF records are 7-bit text (RFC 7208 §3). */
function firstBadCharacter(text: string): { char: string; index: number } | null {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return { char: text[index]!, index };
  }
  return null;
}

/**
 * Parses remembered, by text: the policy's facts and check_host() read the same records, and a bulk
 * run meets the providers' records (include:, redirect=) in domain after domain. Past this many the
 * memo starts afresh, so it stays small.
 */
export const MAX_SPF_PARSES_REMEMBERED = 2_000;
const parses = new Memo(MAX_SPF_PARSES_REMEMBERED, readSpfRecord);

/** Reads a record that `isSpfRecord` accepted. The parse is shared by every caller that reads the same text, so never changed. */
export function parseSpfRecord(text: string): SpfRecordParse {
  return parses.get(text);
}

function readSpfRecord(text: string): SpfRecordParse {
  const bad = firstBadCharacter(text);
  if (bad) {
    const code = bad.char.charCodeAt(0).toString(16).padStart(2, '0');
    return { ok: false, term: null, reason: `the character 0x${code} at position ${bad.index + 1} is not printable ASCII: SPF records are 7-bit text` };
  }
  if (!isSpfRecord(text)) return { ok: false, term: null, reason: `the record does not start with "${SPF_VERSION_TAG}" and a space` };
  const record: SpfRecord = { text, mechanisms: [], redirect: null, exp: null };
  for (const term of text.slice(SPF_VERSION_TAG.length).split(' ').filter((t) => t !== '')) {
    try {
      const modifier = MODIFIER.exec(term);
      if (!modifier) {
        record.mechanisms.push(parseMechanism(term));
        continue;
      }
      const [, nameWritten, value] = modifier as unknown as [string, string, string];
      const name = nameWritten.toLowerCase();
      if (name === 'redirect' || name === 'exp') {
        if (record[name] !== null) throw new TermError(`"${name}=" may appear only once`);
        record[name] = { text: term, domain: domainSpec(value) };
        continue;
      }
      // Unknown modifiers are ignored (RFC 7208 §6), but their value must still be a macro-string.
      const macro = parseMacroString(value, 'modifier');
      if (!macro.ok) throw new TermError(macro.reason);
    } catch (error) {
      if (!(error instanceof TermError)) throw error;
      return { ok: false, term, reason: error.message };
    }
  }
  return { ok: true, record };
}

/** What to show for a syntax error: the term and the reason. */
export function describeSyntaxError(parse: Extract<SpfRecordParse, { ok: false }>): string {
  return parse.term === null ? parse.reason : `"${parse.term}": ${parse.reason}`;
}
