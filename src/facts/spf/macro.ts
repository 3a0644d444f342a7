/**
 * SPF macros (RFC 7208 §7): reading a macro-string into tokens, checking a domain-spec's syntax,
 * and expanding the tokens with the values of one check_host() evaluation.
 */

export type MacroLetter = 's' | 'l' | 'o' | 'd' | 'i' | 'p' | 'h' | 'c' | 'r' | 't' | 'v';

const MACRO_LETTERS = new Set<string>(['s', 'l', 'o', 'd', 'i', 'p', 'h', 'c', 'r', 't', 'v']);
/** RFC 7208 §7.2: "c", "r" and "t" are allowed only in explanation text. */
const EXPLANATION_ONLY_LETTERS = new Set<string>(['c', 'r', 't']);

export type MacroToken =
  | { kind: 'literal'; text: string }
  /** "%%", "%_" or "%-", with what it stands for. */
  | { kind: 'escape'; text: string }
  | {
    kind: 'macro';
    letter: MacroLetter;
    /** Written in upper case: the value is URL-escaped (RFC 7208 §7.3). */
    urlEscape: boolean;
    /** Keep this many parts from the right; null: all. */
    rightParts: number | null;
    reverse: boolean;
    /** Characters to split the value on; "" means ".". */
    delimiters: string;
  };

/**
 * Where a macro-string is written: a domain-spec (of a mechanism, redirect or exp), the value of an
 * unknown modifier (any macro letter; never expanded), or explanation text (spaces and c, r, t too).
 */
export type MacroPlace = 'domain-spec' | 'modifier' | 'explanation';

export type MacroParse = { ok: true; tokens: MacroToken[] } | { ok: false; reason: string };

/** macro-expand = "%{" macro-letter transformers *delimiter "}" (RFC 7208 §7.1). */
const MACRO_EXPAND = /^%\{([a-zA-Z])(\d*)([rR]?)([.\-+,/_=]*)\}/;
const ESCAPES: Record<string, string> = { '%%': '%', '%_': ' ', '%-': '%20' };

function isLiteral(code: number, place: MacroPlace): boolean {
  // macro-literal = %x21-24 / %x26-7E; explanation text also allows SP between macro-strings.
  return (code >= 0x21 && code <= 0x7e && code !== 0x25) || (place === 'explanation' && code === 0x20);
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x21 && code <= 0x7e ? `"${char}"` : `the character 0x${code.toString(16).padStart(2, '0')}`;
}

export function parseMacroString(text: string, place: MacroPlace): MacroParse {
  const tokens: MacroToken[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let i = 0; i < text.length;) {
    const char = text[i]!;
    if (char !== '%') {
      if (!isLiteral(char.charCodeAt(0), place)) return { ok: false, reason: `${describeChar(char)} is not allowed in "${text}"` };
      literal += char;
      i++;
      continue;
    }
    const escape = ESCAPES[text.slice(i, i + 2)];
    if (escape !== undefined) {
      flush();
      tokens.push({ kind: 'escape', text: escape });
      i += 2;
      continue;
    }
    const match = MACRO_EXPAND.exec(text.slice(i));
    if (!match) return { ok: false, reason: `"%" must start %{…}, %%, %_ or %- (in "${text}")` };
    const [written, letterWritten, digits, reverse, delimiters] = match as unknown as [string, string, string, string, string];
    const letter = letterWritten.toLowerCase();
    if (!MACRO_LETTERS.has(letter)) return { ok: false, reason: `${written}: "${letterWritten}" is not a macro letter` };
    if (place === 'domain-spec' && EXPLANATION_ONLY_LETTERS.has(letter)) {
      return { ok: false, reason: `${written}: the macro letter "${letterWritten}" is allowed only in explanation text` };
    }
    if (digits !== '' && Number(digits) === 0) return { ok: false, reason: `${written}: the number of parts to keep must not be zero` };
    flush();
    tokens.push({
      kind: 'macro', letter: letter as MacroLetter, urlEscape: letterWritten !== letter,
      rightParts: digits === '' ? null : Number(digits), reverse: reverse !== '', delimiters,
    });
    i += written.length;
  }
  flush();
  return { ok: true, tokens };
}

/** A domain-spec as written, and its tokens. */
export interface DomainSpec {
  text: string;
  tokens: MacroToken[];
}

/** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
const DOMAIN_END = /\.(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])\.?$/i;

export type DomainSpecParse = { ok: true; spec: DomainSpec } | { ok: false; reason: string };

/** domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand (RFC 7208 §7.1). */
export function parseDomainSpec(text: string): DomainSpecParse {
  if (text === '') return { ok: false, reason: 'the domain is empty' };
  const parsed = parseMacroString(text, 'domain-spec');
  if (!parsed.ok) return parsed;
  const last = parsed.tokens[parsed.tokens.length - 1]!;
  if (last.kind === 'literal' && !DOMAIN_END.test(last.text)) {
    return { ok: false, reason: `"${text}" does not end in a dot and a top-level label of letters, digits and hyphens (nor in a macro)` };
  }
  return { ok: true, spec: { text, tokens: parsed.tokens } };
}

export function hasMacros(spec: DomainSpec): boolean {
  return spec.tokens.some((token) => token.kind === 'macro');
}

/** What the macro letters stand for in one evaluation; %{p} costs DNS lookups, so it is asked only when used. */
export interface MacroValues {
  /** s: <sender>. */
  sender: string;
  /** l: the local-part of <sender>. */
  localPart: string;
  /** o: the domain of <sender>. */
  senderDomain: string;
  /** d: <domain>, the domain whose record is being evaluated. */
  domain: string;
  /** i: the client address, dotted (nibbles for IPv6). */
  ip: string;
  /** c: the client address as people write it. */
  readableIp: string;
  /** v: "in-addr" or "ip6". */
  ipVersion: 'in-addr' | 'ip6';
  /** h: the HELO/EHLO domain. */
  helo: string;
  /** r: the receiving host's domain. */
  receiver: string;
  /** t: seconds since the epoch. */
  timestamp: number;
  /** p: the validated domain name of the client, or "unknown". */
  validatedName(): Promise<string>;
}

async function valueOf(letter: MacroLetter, values: MacroValues): Promise<string> {
  switch (letter) {
    case 's': return values.sender;
    case 'l': return values.localPart;
    case 'o': return values.senderDomain;
    case 'd': return values.domain;
    case 'i': return values.ip;
    case 'p': return values.validatedName();
    case 'h': return values.helo;
    case 'c': return values.readableIp;
    case 'r': return values.receiver;
    case 't': return String(values.timestamp);
    case 'v': return values.ipVersion;
  }
}

/** RFC 3986 unreserved characters stay; every other octet becomes %XX. */
function urlEscape(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** RFC 7208 §7.3: split on the delimiters, reverse if asked, keep the rightmost parts, join with dots. */
function transform(value: string, token: Extract<MacroToken, { kind: 'macro' }>): string {
  const delimiters = token.delimiters === '' ? '.' : token.delimiters;
  let parts = value.split(new RegExp(`[${escapeRegExp(delimiters)}]`));
  if (token.reverse) parts = parts.reverse();
  if (token.rightParts !== null && token.rightParts < parts.length) parts = parts.slice(parts.length - token.rightParts);
  return parts.join('.');
}

export async function expandMacros(tokens: readonly MacroToken[], values: MacroValues): Promise<string> {
  let expanded = '';
  for (const token of tokens) {
    if (token.kind !== 'macro') {
      expanded += token.text;
      continue;
    }
    const text = transform(await valueOf(token.letter, values), token);
    expanded += token.urlEscape ? urlEscape(text) : text;
  }
  return expanded;
}
