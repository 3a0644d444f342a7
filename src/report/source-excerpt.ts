import { escapeUntrusted } from '../core/escape.js';
import type { SourceLocation } from '../core/finding.js';

/** The line a location points into, or undefined when its file's text is not at hand. */
export function sourceLine(sources: ReadonlyMap<string, string> | undefined, location: SourceLocation): string | undefined {
  const text = sources?.get(location.file);
  if (text === undefined) return undefined;
  let start = 0;
  for (let line = 1; line < location.line; line++) {
    const end = text.indexOf('\n', start);
    if (end === -1) return undefined;
    start = end + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
}

/** `file:line:column`, as compilers print it and editors jump to it. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/** A source line as shown: tabs kept, every other character that could drive the terminal as `\DDD`. */
function shown(text: string): string {
  return text.split('\t').map(escapeUntrusted).join('\t');
}

/**
 * The source line under a compiler-style message, with a caret under the column:
 *
 *      17 | sales   MX  mx1
 *         |             ^
 *
 * Tabs before the column stay tabs under it, so the caret lines up however wide a tab is shown;
 * an escape before it counts as the characters it is written with.
 */
export function excerpt(line: string, location: SourceLocation): string[] {
  const number = String(location.line);
  const gutter = ' '.repeat(number.length);
  const before = [...shown(line.slice(0, location.column - 1))].map((char) => (char === '\t' ? '\t' : ' ')).join('');
  return [`  ${number} | ${shown(line)}`, `  ${gutter} | ${before}^`];
}
