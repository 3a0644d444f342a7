import type { LogicalLine, Token } from './lexer.js';
import { syntaxProblem } from './problem.js';
import { rrclassNumber } from '../rr/classes.js';
import { rrtypeCode } from '../rr/types.js';
import { looksLikeTtl } from './ttl.js';

/** The fields before the RDATA: `owner [ttl] [class] type` or `owner [class] [ttl] type` (RFC 1035 §5.1). */
export interface RecordHeader {
  /** Undefined when the line starts with a blank and the owner is the previous one. */
  ownerToken: Token | undefined;
  ttlToken: Token | undefined;
  classToken: Token | undefined;
  typeToken: Token;
  rrtype: number;
  rdataTokens: Token[];
}

export function splitRecordHeader(line: LogicalLine): RecordHeader {
  const tokens = line.tokens;
  let index = 0;
  const ownerToken = line.ownerInherited ? undefined : tokens[index++];
  let ttlToken: Token | undefined;
  let classToken: Token | undefined;
  for (let token = tokens[index]; token !== undefined && !token.quoted; token = tokens[index]) {
    if (ttlToken === undefined && looksLikeTtl(token.text)) ttlToken = token;
    else if (classToken === undefined && rrclassNumber(token.text) !== undefined) classToken = token;
    else break;
    index += 1;
  }
  const typeToken = tokens[index];
  if (typeToken === undefined) throw syntaxProblem('the record type is missing', tokens.at(-1)!.location);
  const rrtype = typeToken.quoted ? undefined : rrtypeCode(typeToken.text);
  if (rrtype === undefined) throw syntaxProblem(notATypeMessage(typeToken, ttlToken, classToken), typeToken.location);
  return { ownerToken, ttlToken, classToken, typeToken, rrtype, rdataTokens: tokens.slice(index + 1) };
}

function notATypeMessage(token: Token, ttlToken: Token | undefined, classToken: Token | undefined): string {
  if (ttlToken !== undefined && looksLikeTtl(token.text)) return `"${token.text}" is a second TTL where the record type belongs`;
  if (classToken !== undefined && rrclassNumber(token.text) !== undefined) return `"${token.text}" is a second class where the record type belongs`;
  return `"${token.text}" is not a record type`;
}
