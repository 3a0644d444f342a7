/**
 * Backslash escapes of the master file format (RFC 1035 §5.1): `\X` is the character X taken
 * literally, `\DDD` the octet with decimal value DDD. Text between escapes becomes UTF-8 octets.
 */

export type DecodedOctets = { ok: true; octets: Uint8Array } | { ok: false; reason: string };

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** Where the escape sequence starting at `backslash` ends (exclusive). */
export function escapeEnd(text: string, backslash: number): number {
  return isDigitAt(text, backslash + 1) ? Math.min(backslash + 4, text.length) : Math.min(backslash + 2, text.length);
}

/** The octets `text` stands for, or why it is not well formed. */
export function decodeEscapes(text: string): DecodedOctets {
  const parts: Uint8Array[] = [];
  let literalStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '\\') {
      i += 1;
      continue;
    }
    if (i > literalStart) parts.push(Buffer.from(text.slice(literalStart, i), 'utf8'));
    const escaped = decodeOneEscape(text, i);
    if (!escaped.ok) return escaped;
    parts.push(escaped.octets);
    i = escapeEnd(text, i);
    literalStart = i;
  }
  if (text.length > literalStart) parts.push(Buffer.from(text.slice(literalStart), 'utf8'));
  return { ok: true, octets: Uint8Array.from(Buffer.concat(parts)) };
}

function decodeOneEscape(text: string, backslash: number): DecodedOctets {
  if (backslash + 1 >= text.length) return { ok: false, reason: 'a backslash ends the text with nothing to escape' };
  if (!isDigitAt(text, backslash + 1)) return { ok: true, octets: Buffer.from(text.slice(backslash + 1, backslash + 2), 'utf8') };
  const digits = text.slice(backslash + 1, backslash + 4);
  if (!/^\d{3}$/.test(digits)) return { ok: false, reason: `"\\${digits}" is not an escape: \\DDD needs exactly three digits` };
  const value = Number(digits);
  if (value > 255) return { ok: false, reason: `"\\${digits}" is not an octet: \\DDD is at most \\255` };
  return { ok: true, octets: Uint8Array.of(value) };
}

/** Characters that must be escaped to be read back as part of a label (`.` and the format's specials). */
const SPECIAL_IN_LABEL = new Set(['.', '\\', '"', '(', ')', ';', '@', '$']);

/**
 * A label's octets in presentation form, as named-checkzone prints them: specials as `\X`, space,
 * control and non-ASCII octets as `\DDD`.
 */
export function encodeLabel(octets: Uint8Array): string {
  let out = '';
  for (const octet of octets) {
    const char = String.fromCharCode(octet);
    if (octet <= 0x20 || octet >= 0x7f) out += `\\${String(octet).padStart(3, '0')}`;
    else if (SPECIAL_IN_LABEL.has(char)) out += `\\${char}`;
    else out += char;
  }
  return out;
}
