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
  // Control characters would drive the terminal; one placeholder each keeps the caret's column.
  return text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
}

/** `file:line:column`, as compilers print it and editors jump to it. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/**
 * The source line under a compiler-style message, with a caret under the column:
 *
 *      17 | sales   MX  mx1
 *         |             ^
 *
 * Tabs before the column stay tabs under it, so the caret lines up however wide a tab is shown.
 */
export function excerpt(line: string, location: SourceLocation): string[] {
  const number = String(location.line);
  const gutter = ' '.repeat(number.length);
  const before = [...line.slice(0, location.column - 1)].map((char) => (char === '\t' ? '\t' : ' ')).join('');
  return [`  ${number} | ${line}`, `  ${gutter} | ${before}^`];
}
