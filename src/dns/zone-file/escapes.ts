/**
 * Backslash escapes of the master file format (RFC 1035 §5.1): `\X` is the character X taken
 * literally, `\DDD` the octet with decimal value DDD. Text between escapes becomes UTF-8 octets.
 */

export type DecodedOctets = { ok: true; octets: Uint8Array } | { ok: false; reason: string };

const BACKSLASH = 0x5c;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const ASCII_END = 0x80;

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** The characters (UTF-16 units) of the character starting at `index`: 2 for a surrogate pair. */
function charLength(text: string, index: number): number {
  return (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
}

/** Where the escape sequence starting at `backslash` ends (exclusive). */
export function escapeEnd(text: string, backslash: number): number {
  const length = isDigitAt(text, backslash + 1) ? 4 : 1 + charLength(text, backslash + 1);
  return Math.min(backslash + length, text.length);
}

function pushUtf8(octets: number[], char: string): void {
  for (const octet of Buffer.from(char, 'utf8')) octets.push(octet);
}

/** Text without escapes or non-ASCII characters: its octets are its character codes. */
const PLAIN_ASCII = /^[\x00-\x5b\x5d-\x7f]*$/;

/** The octets `text` stands for, or why it is not well formed. */
export function decodeEscapes(text: string): DecodedOctets {
  // Most names and strings in a zone are plain ASCII: their octets are taken at once.
  if (PLAIN_ASCII.test(text)) {
    const plain = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) plain[i] = text.charCodeAt(i);
    return { ok: true, octets: plain };
  }
  const octets: number[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      const problem = pushEscape(octets, text, i);
      if (problem !== undefined) return { ok: false, reason: problem };
      i = escapeEnd(text, i);
    } else if (code < ASCII_END) {
      octets.push(code);
      i += 1;
    } else {
      const length = charLength(text, i);
      pushUtf8(octets, text.slice(i, i + length));
      i += length;
    }
  }
  return { ok: true, octets: Uint8Array.from(octets) };
}

/** Appends the octets of the escape at `backslash`; returns why it is malformed, if it is. */
function pushEscape(octets: number[], text: string, backslash: number): string | undefined {
  if (backslash + 1 >= text.length) return 'a backslash ends the text with nothing to escape';
  if (!isDigitAt(text, backslash + 1)) {
    const code = text.charCodeAt(backslash + 1);
    if (code < ASCII_END) octets.push(code);
    else pushUtf8(octets, text.slice(backslash + 1, escapeEnd(text, backslash)));
    return undefined;
  }
  const digits = text.slice(backslash + 1, backslash + 4);
  if (!/^\d{3}$/.test(digits)) return `"\\${digits}" is not an escape: \\DDD needs exactly three digits`;
  const value = Number(digits);
  if (value > 255) return `"\\${digits}" is not an octet: \\DDD is at most \\255`;
  octets.push(value);
  return undefined;
}

/** Characters that must be escaped to be read back as part of a label (`.` and the format's specials). */
const SPECIAL_IN_LABEL = new Set(['.', '\\', '"', '(', ')', ';', '@', '$']);

/** 1 for the octets shown as they are: printable ASCII other than the specials. */
const PLAIN_IN_LABEL = Uint8Array.from({ length: 256 }, (_, octet) => (octet > 0x20 && octet < 0x7f && !SPECIAL_IN_LABEL.has(String.fromCharCode(octet)) ? 1 : 0));

/**
 * A label's octets in presentation form, as named-checkzone prints them: specials as `\X`, space,
 * control and non-ASCII octets as `\DDD`.
 */
export function encodeLabel(octets: Uint8Array): string {
  // Labels are at most 63 octets, and nearly all are plain: one string from their codes.
  let plain = true;
  for (let i = 0; i < octets.length && plain; i++) plain = PLAIN_IN_LABEL[octets[i]!] === 1;
  if (plain) return String.fromCharCode.apply(null, octets as unknown as number[]);
  let out = '';
  for (const octet of octets) {
    const char = String.fromCharCode(octet);
    if (octet <= 0x20 || octet >= 0x7f) out += `\\${String(octet).padStart(3, '0')}`;
    else if (SPECIAL_IN_LABEL.has(char)) out += `\\${char}`;
    else out += char;
  }
  return out;
}
