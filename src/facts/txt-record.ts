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

export async function lookupTxt(lookups: LookupSource, name: string, encoding: 'utf8' | 'latin1' = 'utf8'): Promise<TxtAt> {
  const outcome = await followChain(lookups, name, 'TXT');
  switch (outcome.state) {
    case 'found': return { state: 'found', name, texts: outcome.records.map((r) => txtToString(r.data, encoding)) };
    case 'failed': return { state: 'failed', name, failure: outcome.failure };
    case 'nxdomain':
    case 'nodata': return { state: 'none', name, why: outcome.state };
    // A loop is certain: nobody can read a record there.
    case 'loop': return { state: 'none', name, why: 'broken-alias' };
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

/** How a TXT-published policy record came out: one, several (senders use none), none, a failed lookup, not looked at. */
export type PublishedState = 'found' | 'multiple' | 'none' | 'failed' | 'skipped';

/** How a record lookup came out, for the result: one record, several, none, a failed lookup, or not looked at (null). */
export function publishedState(published: PublishedRecords<unknown> | null): PublishedState {
  if (published === null) return 'skipped';
  if (published.txt.state === 'failed') return 'failed';
  return published.records.length === 0 ? 'none' : published.records.length === 1 ? 'found' : 'multiple';
}

/**
 * The part of a family's result section about its records: the state, the texts when there are
 * any, and what `read` takes from the record when there is exactly one.
 */
export function publishedSection<Parsed, Read extends object>(published: PublishedRecords<Parsed> | null, read: (record: Parsed) => Read):
  { state: PublishedState; records?: string[] } & Partial<Read> {
  const records: { records?: string[] } = published && published.records.length > 0 ? { records: published.records.map((r) => r.text) } : {};
  const single: Partial<Read> = published?.records.length === 1 ? read(published.records[0]!.parsed) : {};
  return Object.assign({ state: publishedState(published) }, records, single);
}
