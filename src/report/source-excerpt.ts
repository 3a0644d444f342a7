import { escapeUntrusted } from '../core/escape.js';
import type { SourceLocation } from '../core/finding.js';

/**
 * The lines of the files findings point into, each file's line starts found once on first use: a
 * report of many findings in a big zone file takes each line directly instead of counting to it.
 */
export class SourceLines {
  private readonly lineStarts = new Map<string, Uint32Array>();

  constructor(private readonly sources: ReadonlyMap<string, string> | undefined) {}

  /** The line a location points into, or undefined when its file's text is not at hand. */
  line(location: SourceLocation): string | undefined {
    const text = this.sources?.get(location.file);
    if (text === undefined) return undefined;
    const starts = this.startsOf(location.file, text);
    const start = starts[location.line - 1];
    if (start === undefined) return undefined;
    const end = text.indexOf('\n', start);
    return text.slice(start, end === -1 ? undefined : end).replace(/\r$/, '');
  }

  private startsOf(file: string, text: string): Uint32Array {
    let starts = this.lineStarts.get(file);
    if (starts === undefined) {
      const found = [0];
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', end + 1)) found.push(end + 1);
      starts = Uint32Array.from(found);
      this.lineStarts.set(file, starts);
    }
    return starts;
  }
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
