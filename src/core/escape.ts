/**
 * Text that comes from outside — DNS data, files, servers, input lines — written the way dig writes
 * DNS data: an octet that cannot be shown as it is becomes `\DDD`, its value in decimal (RFC 1035
 * §5.1). Two places use it: decoding octets that should be UTF-8 (valid text is kept exactly, each
 * other octet is escaped), and writing text where a character could drive a terminal.
 */
import { isUtf8 } from 'node:buffer';

/** `\DDD`: one octet by its decimal value. */
export function escapeOctet(octet: number): string {
  return `\\${String(octet).padStart(3, '0')}`;
}

/**
 * Characters that must not reach a terminal or a viewer as they are: C0 controls (escape sequences,
 * carriage return, backspace…), DEL, C1 controls (U+009B is CSI on some terminals), the Unicode
 * bidirectional controls that reorder what is shown (embeddings, overrides, isolates and marks: the
 * "Trojan Source" characters), and the line and paragraph separators.
 */
const DRIVES_TERMINAL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/gu;

/** Each character that could drive a terminal as the `\DDD` escapes of its UTF-8 octets; the rest as it is. */
export function escapeUntrusted(text: string): string {
  return text.replace(DRIVES_TERMINAL, (char) => [...Buffer.from(char, 'utf8')].map(escapeOctet).join(''));
}

/** The same characters but C0 controls (which JSON.stringify already escapes) as JSON `\uXXXX` escapes. */
const UNESCAPED_BY_JSON = /[\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/gu;
const MAY_DRIVE_TERMINAL_IN_JSON = new RegExp(`${UNESCAPED_BY_JSON.source}|\\\\[bfnrtu]`, 'u');

/**
 * Whether the strings of a value, given as its JSON text, may hold a character escapeUntrusted
 * escapes: one JSON leaves as it is, or an escape JSON writes a C0 control or a lone surrogate with
 * (an escaped backslash before such a letter gives a false alarm, never a miss).
 */
export function jsonMayDriveTerminal(json: string): boolean {
  return MAY_DRIVE_TERMINAL_IN_JSON.test(json);
}

/**
 * JSON text with every character that could drive a terminal written as a `\uXXXX` escape: parsed,
 * it is the same value, exact text included. Safe on the whole text, as such characters can only
 * stand inside strings.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNESCAPED_BY_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How many octets the UTF-8 sequence starting at `i` holds, or 0 when it is not a valid one (Unicode Table 3-7). */
function utf8SequenceLength(octets: Uint8Array, i: number): number {
  const lead = octets[i]!;
  if (lead < 0x80) return 1;
  const continuation = (at: number, low = 0x80, high = 0xbf): boolean => {
    const octet = octets[i + at];
    return octet !== undefined && octet >= low && octet <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    // No overlong forms (E0 A0..), no surrogates (ED ..9F).
    const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    // No overlong forms (F0 90..), nothing above U+10FFFF (F4 ..8F).
    const [low, high] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

/** Where the first octet that is not part of a valid UTF-8 sequence is; -1 when they all are. */
export function firstNonUtf8Octet(octets: Uint8Array): number {
  if (isUtf8(octets)) return -1;
  let i = 0;
  for (let length = utf8SequenceLength(octets, i); length > 0; length = utf8SequenceLength(octets, i)) i += length;
  return i;
}

/**
 * Octets that should be UTF-8, as text: valid UTF-8 exactly as written (controls included: writing
 * them safely is the reporter's), every octet that is not part of a valid sequence as `\DDD`, where
 * a lenient decoder would put U+FFFD and lose it.
 */
export function decodeUtf8Escaped(octets: Uint8Array): string {
  const buffer = Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength);
  const first = firstNonUtf8Octet(buffer);
  if (first === -1) return buffer.toString('utf8');
  let text = '';
  let runStart = 0;
  let i = first;
  while (i < buffer.length) {
    const length = utf8SequenceLength(buffer, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += buffer.toString('utf8', runStart, i) + escapeOctet(buffer[i]!);
    i++;
    runStart = i;
  }
  return text + buffer.toString('utf8', runStart, i);
}
