import { StringDecoder } from 'node:string_decoder';

/**
 * A domain name is at most 253 characters; a line this much longer is no domain whatever follows.
 * Reading stops keeping characters there, so a file without line breaks cannot fill memory.
 */
export const MAX_LINE_CHARS = 4096;

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
 * reports why they are not domains.
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
        line += piece.slice(0, MAX_LINE_CHARS - line.length);
        dropping = line.length >= MAX_LINE_CHARS;
      }
      if (newline === -1) return;
      const domain = domainOfLine(line);
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
