import type { SmtpReply } from './reply-reader.js';

/** What an EHLO reply says about the server (RFC 5321 §4.1.1.1): its name and the extensions it offers. */
export interface EhloFacts {
  /** The domain on the first line of the 250 reply, as sent; null when the line does not start with one. */
  serverName: string | null;
  /** Every keyword offered, upper-case, in the order offered. */
  keywords: string[];
  starttls: boolean;
  /**
   * SIZE (RFC 1870): the largest message in octets; 0 means "no fixed limit"; null when SIZE is not
   * offered, or offered without a number.
   */
  size: number | null;
  pipelining: boolean;
  eightBitMime: boolean;
  smtputf8: boolean;
  /** CHUNKING (RFC 3030): BDAT instead of DATA. */
  chunking: boolean;
  /** REQUIRETLS (RFC 8689): the sender may ask that the message travel over TLS all the way. */
  requireTls: boolean;
}

const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

export function parseEhlo(reply: SmtpReply): EhloFacts {
  const [greeting = '', ...rest] = reply.lines;
  const keywords: string[] = [];
  let size: number | null = null;
  for (const line of rest) {
    const [keyword = '', ...params] = line.trim().split(/\s+/);
    if (!KEYWORD.test(keyword)) continue;
    const upper = keyword.toUpperCase();
    keywords.push(upper);
    if (upper === 'SIZE' && params[0] !== undefined && /^\d{1,15}$/.test(params[0])) size = Number(params[0]);
  }
  const has = (keyword: string): boolean => keywords.includes(keyword);
  return {
    serverName: firstDomain(greeting),
    keywords,
    starttls: has('STARTTLS'),
    size,
    pipelining: has('PIPELINING'),
    eightBitMime: has('8BITMIME'),
    smtputf8: has('SMTPUTF8'),
    chunking: has('CHUNKING'),
    requireTls: has('REQUIRETLS'),
  };
}

/** RFC 5321 §4.1.2 Domain or address-literal, as the first word of a greeting or EHLO reply. */
const DOMAIN_OR_LITERAL = /^(?:\[[^\]\s]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?)$/;

/** The host name a 220 greeting or a 250 EHLO line starts with, or null when it starts with none. */
export function firstDomain(text: string): string | null {
  const word = text.trim().split(/\s+/)[0] ?? '';
  // "220 ESMTP ready" names no host: a single word without a dot is not taken for one.
  if (!DOMAIN_OR_LITERAL.test(word) || (!word.includes('.') && !word.startsWith('['))) return null;
  return word;
}
