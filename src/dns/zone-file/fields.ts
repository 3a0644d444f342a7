import { decodeEscapes } from './escapes.js';
import type { Token } from './lexer.js';
import { readName, type DomainName } from './names.js';
import { syntaxProblem } from './problem.js';
import { readDuration } from './ttl.js';

/** RFC 1035 §3.3: a <character-string> is a length octet and at most 255 octets. */
export const MAX_CHARACTER_STRING = 255;

/** The RDATA fields of one record, taken in order; a missing or extra field is a problem at its place. */
export class Fields {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly typeToken: Token,
    readonly typeName: string,
  ) {}

  get remaining(): number {
    return this.tokens.length - this.index;
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(what: string): Token {
    const token = this.tokens[this.index];
    if (token === undefined) {
      const last = this.tokens.at(-1) ?? this.typeToken;
      throw syntaxProblem(`${this.typeName} record: the ${what} is missing`, last.location);
    }
    this.index += 1;
    return token;
  }

  /** The next field, which must not be a quoted string (numbers, names, addresses). */
  plain(what: string): Token {
    const token = this.next(what);
    if (token.quoted) throw syntaxProblem(`${this.typeName} record: a quoted string stands where the ${what} belongs`, token.location);
    return token;
  }

  /** All remaining fields, at least one. */
  rest(what: string): Token[] {
    this.next(what);
    const rest = this.tokens.slice(this.index - 1);
    this.index = this.tokens.length;
    return rest;
  }

  skipRemaining(): void {
    this.index = this.tokens.length;
  }

  end(): void {
    const extra = this.tokens[this.index];
    if (extra !== undefined) {
      throw syntaxProblem(`${this.typeName} record: unexpected "${extra.text}" after the data`, extra.location);
    }
  }
}

export function readUint(token: Token, max: number, what: string): number {
  if (!/^\d+$/.test(token.text)) throw syntaxProblem(`${what} "${token.text}" is not a number`, token.location);
  const value = Number(token.text);
  if (value > max) throw syntaxProblem(`${what} ${token.text} is out of range (0–${max})`, token.location);
  return value;
}

export function readDurationToken(token: Token, what: string, max: number): number {
  const reading = readDuration(token.text, what, max);
  if (!reading.ok) throw syntaxProblem(reading.reason, token.location);
  return reading.seconds;
}

export interface NameField {
  name: DomainName;
  relative: boolean;
}

export function readNameToken(token: Token, origin: DomainName, what: string): NameField {
  if (token.quoted) throw syntaxProblem(`a quoted string stands where the ${what} belongs`, token.location);
  const reading = readName(token.text, origin);
  if (!reading.ok) throw syntaxProblem(`${what}: ${reading.reason}`, token.location);
  return { name: reading.name, relative: reading.relative };
}

export function readOctets(token: Token, what: string): Uint8Array {
  const decoded = decodeEscapes(token.text);
  if (!decoded.ok) throw syntaxProblem(`${what}: ${decoded.reason}`, token.location);
  return decoded.octets;
}

export function readCharacterString(token: Token, what: string): Uint8Array {
  const octets = readOctets(token, what);
  if (octets.length > MAX_CHARACTER_STRING) {
    throw syntaxProblem(`${what} is ${octets.length} octets long; one string holds at most ${MAX_CHARACTER_STRING}: split it into several quoted strings`, token.location);
  }
  return octets;
}

/** Hex digits spread over one or more fields, as in TLSA and DS data. */
export function readHex(tokens: Token[], what: string): Uint8Array {
  for (const token of tokens) {
    if (token.quoted || !/^[0-9a-f]+$/i.test(token.text)) {
      throw syntaxProblem(`${what} "${token.text}" is not hexadecimal`, token.location);
    }
  }
  const hex = tokens.map((token) => token.text).join('');
  if (hex.length % 2 !== 0) throw syntaxProblem(`${what} has an odd number of hex digits (${hex.length})`, tokens[0]!.location);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Base64 spread over one or more fields, as in DNSKEY and RRSIG data. */
export function readBase64(tokens: Token[], what: string): Uint8Array {
  const text = tokens.map((token) => token.text).join('');
  if (tokens.some((token) => token.quoted) || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw syntaxProblem(`${what} is not valid base64`, tokens[0]!.location);
  }
  return Uint8Array.from(Buffer.from(text, 'base64'));
}
