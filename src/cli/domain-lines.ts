import { StringDecoder } from 'node:string_decoder';
import { MAX_INPUT_CHARS } from '../dns/name.js';

/** The domain a list line names, or null for a blank or comment line: `#` starts a comment, blanks around it go. */
export function domainOfLine(line: string): string | null {
  const hash = line.indexOf('#');
  const text = (hash === -1 ? line : line.slice(0, hash)).trim();
  return text === '' ? null : text;
}

/** The domains of a whole list's text, in order. */
export function domainsOfText(text: string): string[] {
  return text.split('\n').flatMap((line) => domainOfLine(line) ?? []);
}

/**
 * The domains of a list read from a stream (a file, stdin), one per line, in order. The stream is
 * read only as fast as the lines are taken, so a caller that takes a line when it has room keeps
 * memory flat whatever the input's size. Invalid lines are handed on like any other: checking them
 * reports why they are not domains. Of a line longer than MAX_INPUT_CHARS only the start is kept:
 * it is handed on as it is, too long to be a domain, unless a `#` in it makes the rest a comment.
 */
export async function* readDomainLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let line = '';
  let dropping = false;
  let first = true;
  const take = function* (text: string): Generator<string> {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const piece = text.slice(start, newline === -1 ? text.length : newline);
      if (!dropping) {
        line += piece.slice(0, MAX_INPUT_CHARS + 1 - line.length);
        dropping = line.length > MAX_INPUT_CHARS;
      }
      if (newline === -1) return;
      const domain = dropping && !line.includes('#') ? line : domainOfLine(line);
      if (domain !== null) yield domain;
      line = '';
      dropping = false;
      start = newline + 1;
    }
  };
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    // A byte order mark some editors put at the start of a file is no part of the first domain.
    if (first && text !== '') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield* take(text);
  }
  yield* take(`${decoder.end()}\n`);
}
