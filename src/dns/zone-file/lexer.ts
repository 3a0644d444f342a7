import type { SourceLocation, ZoneProblem } from './types.js';

/**
 * Longest entry (a line, or lines joined by parentheses) read as one record. A record's RDATA is at
 * most 65535 octets (RFC 1035 §3.2.1); written entirely as `\DDD` escapes that is four characters an
 * octet, plus room for owner, TTL, class, type and spacing. Nothing longer can be a valid record, and
 * refusing it bounds the work done on garbage.
 */
export const MAX_ENTRY_LENGTH = 4 * 65535 + 4096;

/**
 * Parentheses only join lines; nesting means nothing. BIND tolerates it, so a few levels are read;
 * deeper nesting is garbage and is reported instead.
 */
export const MAX_PAREN_DEPTH = 8;

/**
 * An unclosed "(" is found only at the end of the file (or of MAX_ENTRY_LENGTH), and reading then
 * resumes after it, so each one costs a rescan of up to MAX_ENTRY_LENGTH characters. Past this many
 * the file is garbage and the rest of it is skipped, which keeps the work linear in the input.
 */
export const MAX_UNCLOSED_PARENS = 64;

export interface Token {
  /** The text as written, escapes kept (`\.`, `\"`, `\032`), without the quotes of a quoted string. */
  text: string;
  quoted: boolean;
  location: SourceLocation;
}

/** One entry of the file: a line, or several joined by parentheses. Never empty. */
export interface LogicalLine {
  tokens: Token[];
  /** The line began with a blank: the record belongs to the previous owner (RFC 1035 §5.1). */
  ownerInherited: boolean;
}

/** A `$ORIGIN`, `$TTL`, `$INCLUDE`... line rather than a record. */
export function startsWithDirective(line: LogicalLine): boolean {
  const first = line.tokens[0]!;
  return !first.quoted && first.text.startsWith('$');
}

/** What lexing gives, in the order found: an entry, or a problem with one. */
export type LexedItem = { line: LogicalLine } | { problem: ZoneProblem };

const NEWLINE = '\n';

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\r';
}

/**
 * Splits a zone file into entries and tokens as they are taken, so only the entry being read is
 * held however long the file; every malformed entry is reported and left out.
 */
export function* lexZone(text: string, file: string): Generator<LexedItem> {
  const lexer = new Lexer(text, file);
  while (!lexer.atEnd()) {
    const line = lexer.readEntry();
    for (const problem of lexer.takeProblems()) yield { problem };
    if (line !== undefined) yield { line };
  }
}

/** The entries alone, for a look ahead that reports nothing (the origin the file states). */
export function* entriesOf(items: Iterable<LexedItem>): Generator<LogicalLine> {
  for (const item of items) if ('line' in item) yield item.line;
}

interface EntryState {
  tokens: Token[];
  ownerInherited: boolean;
  startOffset: number;
  /** Where the entry starts; it may span lines (parentheses), so this is kept, not recomputed. */
  start: SourceLocation;
  /** Problems reported before this entry: those after it are dropped if the entry is rescanned. */
  problemsBefore: number;
  depth: number;
  /** The outermost "(" still open. */
  openParen: SourceLocation | undefined;
  /** The first line inside the parentheses that starts with a name: where to resume if they never close. */
  resumeOffset: number | undefined;
  resumeLine: number;
  broken: boolean;
}

class Lexer {
  /** Problems since the last take; always taken between entries, so an entry's rescan drops only its own. */
  private problems: ZoneProblem[] = [];
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private unclosedParens = 0;

  constructor(private readonly text: string, private readonly file: string) {}

  atEnd(): boolean {
    return this.offset >= this.text.length;
  }

  takeProblems(): ZoneProblem[] {
    const taken = this.problems;
    this.problems = [];
    return taken;
  }

  private location(offset = this.offset): SourceLocation {
    return { file: this.file, line: this.line, column: offset - this.lineStart + 1 };
  }

  private report(message: string, location: SourceLocation): void {
    this.problems.push({ code: 'zone-syntax', message, location });
  }

  /** Reads the next entry: the logical line, or undefined when it was blank, a comment or malformed. */
  readEntry(): LogicalLine | undefined {
    const entry: EntryState = {
      tokens: [], ownerInherited: isBlank(this.text[this.offset]), startOffset: this.offset, start: this.location(),
      problemsBefore: this.problems.length, depth: 0, openParen: undefined, resumeOffset: undefined, resumeLine: 0, broken: false,
    };
    while (this.offset < this.text.length) {
      if (this.offset - entry.startOffset > MAX_ENTRY_LENGTH) {
        this.abandonOverlongEntry(entry);
        return undefined;
      }
      if (this.readOne(entry)) return finishedLine(entry);
    }
    if (entry.depth === 0) return finishedLine(entry);
    this.abandonUnclosedEntry(entry, 'is never closed');
    return undefined;
  }

  /** Consumes one character or token; true when it ended the entry. */
  private readOne(entry: EntryState): boolean {
    const char = this.text[this.offset];
    if (char === NEWLINE) return this.readNewline(entry);
    if (isBlank(char)) {
      this.offset += 1;
    } else if (char === ';') {
      this.skipToEndOfLine();
    } else if (char === '(') {
      this.openParen(entry);
    } else if (char === ')') {
      this.closeParen(entry);
    } else if (char === '"') {
      this.readQuoted(entry);
    } else {
      this.readWord(entry);
    }
    return false;
  }

  private readNewline(entry: EntryState): boolean {
    this.offset += 1;
    this.line += 1;
    this.lineStart = this.offset;
    if (entry.depth === 0) return true;
    if (entry.resumeOffset === undefined && this.startsWithName()) {
      entry.resumeOffset = this.offset;
      entry.resumeLine = this.line;
    }
    return false;
  }

  private startsWithName(): boolean {
    const char = this.text[this.offset];
    return char !== undefined && !isBlank(char) && char !== NEWLINE && char !== ';' && char !== ')';
  }

  private skipToEndOfLine(): void {
    const end = this.text.indexOf(NEWLINE, this.offset);
    this.offset = end === -1 ? this.text.length : end;
  }

  private openParen(entry: EntryState): void {
    if (entry.depth === 0) entry.openParen = this.location();
    entry.depth += 1;
    if (entry.depth === MAX_PAREN_DEPTH + 1) {
      this.report(`parentheses nested ${entry.depth} deep; they only join lines, at most ${MAX_PAREN_DEPTH} levels are read`, this.location());
      entry.broken = true;
    }
    this.offset += 1;
  }

  private closeParen(entry: EntryState): void {
    if (entry.depth === 0) {
      this.report('unbalanced parentheses: ")" without an open "("', this.location());
      entry.broken = true;
    } else {
      entry.depth -= 1;
    }
    this.offset += 1;
  }

  private readQuoted(entry: EntryState): void {
    const location = this.location();
    const start = this.offset + 1;
    let i = start;
    while (i < this.text.length && this.text[i] !== '"' && this.text[i] !== NEWLINE) {
      i += this.text[i] === '\\' && this.text[i + 1] !== NEWLINE ? 2 : 1;
    }
    if (this.text[i] !== '"') {
      this.report('unterminated quoted string: the closing " is missing on this line', location);
      entry.broken = true;
      this.offset = Math.min(i, this.text.length);
      return;
    }
    entry.tokens.push({ text: this.text.slice(start, i), quoted: true, location });
    this.offset = i + 1;
  }

  private readWord(entry: EntryState): void {
    const location = this.location();
    const start = this.offset;
    let i = start;
    while (i < this.text.length && !this.endsWord(i)) {
      if (this.text[i] === '\\') {
        if (i + 1 >= this.text.length || this.text[i + 1] === NEWLINE) {
          this.report('a backslash at the end of the line escapes nothing', this.location(i));
          entry.broken = true;
          i += 1;
          break;
        }
        i += 2;
      } else {
        i += 1;
      }
    }
    entry.tokens.push({ text: this.text.slice(start, i), quoted: false, location });
    this.offset = i;
  }

  private endsWord(index: number): boolean {
    const char = this.text[index];
    return char === NEWLINE || isBlank(char) || char === ';' || char === '(' || char === ')' || char === '"';
  }

  private abandonOverlongEntry(entry: EntryState): void {
    if (entry.depth > 0) {
      this.abandonUnclosedEntry(entry, `is not closed within ${MAX_ENTRY_LENGTH} characters`);
      return;
    }
    this.report(`line longer than ${MAX_ENTRY_LENGTH} characters; no record is that long`, entry.start);
    this.skipToEndOfLine();
  }

  /**
   * Reports the "(" that never closed and resumes at the first line inside it that starts with a name.
   * What was reported inside the entry goes: the lines after the resume point are read again.
   */
  private abandonUnclosedEntry(entry: EntryState, why: string): void {
    this.problems.length = entry.problemsBefore;
    this.report(`unbalanced parentheses: this "(" ${why}`, entry.openParen ?? entry.start);
    this.unclosedParens += 1;
    if (this.unclosedParens >= MAX_UNCLOSED_PARENS) {
      this.report(`${MAX_UNCLOSED_PARENS} unclosed parentheses: the rest of the file is not read`, entry.openParen ?? this.location());
      this.offset = this.text.length;
      return;
    }
    if (entry.resumeOffset === undefined) {
      this.offset = this.text.length;
      return;
    }
    this.offset = entry.resumeOffset;
    this.line = entry.resumeLine;
    this.lineStart = entry.resumeOffset;
  }
}

function finishedLine(entry: EntryState): LogicalLine | undefined {
  return !entry.broken && entry.tokens.length > 0 ? { tokens: entry.tokens, ownerInherited: entry.ownerInherited } : undefined;
}
