import { decodeUtf8Escaped } from '../../core/escape.js';
import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import { lookupTxt, textsOf } from '../txt-record.js';
import { isSpfRecord } from './record.js';

/** Where the search for a domain's SPF record ended (RFC 7208 §4.4, §4.5). */
export type SpfRecordLookup =
  /**
   * `raw` holds one character per octet, for the record reader to find octets outside ASCII;
   * `text` is what to show: exactly as published where it is valid UTF-8, any other octet as `\DDD`.
   */
  | { state: 'found'; domain: string; text: string; raw: string }
  /** No SPF record: the name does not exist, has no TXT record starting "v=spf1", or its CNAME chain is broken. */
  | { state: 'none'; domain: string; why: 'nxdomain' | 'no-record' | 'broken-alias' }
  | { state: 'multiple'; domain: string; texts: string[] }
  | { state: 'failed'; domain: string; failure: LookupFailure };

function shownText(raw: string): string {
  return decodeUtf8Escaped(Buffer.from(raw, 'latin1'));
}

/** The TXT records at `domain` that are SPF records; type SPF (99) is not asked (RFC 7208 §3.1). */
export async function lookUpSpfRecord(source: LookupSource, domain: string): Promise<SpfRecordLookup> {
  const txt = await lookupTxt(source, domain, 'latin1');
  if (txt.state === 'failed') return { state: 'failed', domain, failure: txt.failure };
  const texts = textsOf(txt, isSpfRecord);
  if (texts.length === 0) return { state: 'none', domain, why: txt.state === 'none' && txt.why !== 'nodata' ? txt.why : 'no-record' };
  if (texts.length > 1) return { state: 'multiple', domain, texts: texts.map(shownText) };
  return { state: 'found', domain, text: shownText(texts[0]!), raw: texts[0]! };
}

export function describeNoRecord(lookup: Extract<SpfRecordLookup, { state: 'none' }>): string {
  switch (lookup.why) {
    case 'nxdomain': return `${lookup.domain} does not exist (NXDOMAIN)`;
    case 'no-record': return `${lookup.domain} has no TXT record starting "v=spf1"`;
    case 'broken-alias': return `${lookup.domain} is an alias whose CNAME chain loops or is too long`;
  }
}
