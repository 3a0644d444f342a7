import type { LookupFailure, LookupSource } from '../dns/lookup.js';
import { txtToString } from '../dns/records.js';
import { followChain } from './chain.js';

/**
 * The TXT records at one name, as the policy records (DMARC, MTA-STS, TLS-RPT, …) are published:
 * their texts, or that there are none, or that the lookup failed. CNAMEs are followed, as a
 * receiver's resolver would.
 */
export type TxtAt =
  | { state: 'found'; name: string; texts: string[] }
  | { state: 'none'; name: string; why: 'nxdomain' | 'nodata' | 'broken-alias' }
  | { state: 'failed'; name: string; failure: LookupFailure };

export async function lookupTxt(lookups: LookupSource, name: string): Promise<TxtAt> {
  const outcome = await followChain(lookups, name, 'TXT');
  switch (outcome.state) {
    case 'found': return { state: 'found', name, texts: outcome.records.map((r) => txtToString(r.data)) };
    case 'failed': return { state: 'failed', name, failure: outcome.failure };
    case 'nxdomain':
    case 'nodata': return { state: 'none', name, why: outcome.state };
    case 'loop':
    case 'too-long': return { state: 'none', name, why: 'broken-alias' };
  }
}

/** The texts that are records of one kind (those starting with its version tag), the rest being ignored. */
export function textsOf(txt: TxtAt, isRecord: (text: string) => boolean): string[] {
  return txt.state === 'found' ? txt.texts.filter(isRecord) : [];
}

/** The records of one kind published at a name, each parsed. */
export interface PublishedRecords<Parsed> {
  name: string;
  txt: TxtAt;
  records: { text: string; parsed: Parsed }[];
}

export async function collectPublishedRecords<Parsed>(lookups: LookupSource, name: string, isRecord: (text: string) => boolean,
  parse: (text: string) => Parsed): Promise<PublishedRecords<Parsed>> {
  const txt = await lookupTxt(lookups, name);
  return { name, txt, records: textsOf(txt, isRecord).map((text) => ({ text, parsed: parse(text) })) };
}

/** How a record lookup came out, for the result: one record, several, none, a failed lookup, or not looked at (null). */
export function publishedState(published: PublishedRecords<unknown> | null): 'found' | 'multiple' | 'none' | 'failed' | 'skipped' {
  if (published === null) return 'skipped';
  if (published.txt.state === 'failed') return 'failed';
  return published.records.length === 0 ? 'none' : published.records.length === 1 ? 'found' : 'multiple';
}
