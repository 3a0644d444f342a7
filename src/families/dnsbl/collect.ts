import ipaddr from 'ipaddr.js';
import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import { canonicalName } from '../../dns/name.js';
import { reversedLabels } from '../../dns/reverse.js';
import { followChain } from '../../facts/chain.js';
import { lookupTxt } from '../../facts/txt-record.js';
import type { MailFacts } from '../../facts/mail.js';
import { publicMailAddresses } from '../../facts/mail-addresses.js';
import type { MailAddress } from '../../facts/mail-addresses.js';

/**
 * What one DNS block list says about one address (RFC 5782 §2.1): listed (an A record in 127.0.0.0/8)
 * with its TXT reason, not listed (NXDOMAIN, or no A record), or not known: the lookup failed, or the
 * list answered one of its error codes — 127.255.255.x (query refused: an open resolver, a quota) or
 * an address outside 127.0.0.0/8, which no list uses for a listing.
 */
export type DnsblVerdict =
  | { state: 'not-listed' }
  | { state: 'listed'; codes: string[]; reason: string | null }
  | { state: 'error-code'; codes: string[] }
  | { state: 'failed'; failure: LookupFailure };

export interface DnsblEntry extends MailAddress {
  zone: string;
  /** The name asked: the reversed address under the zone. */
  name: string;
  verdict: DnsblVerdict;
}

export interface DnsblFacts {
  zones: string[];
  entries: DnsblEntry[];
}

function isErrorCode(code: string): boolean {
  const address = ipaddr.parse(code);
  return !address.match(ipaddr.parse('127.0.0.0'), 8) || address.match(ipaddr.parse('127.255.255.0'), 24);
}

async function ask(lookups: LookupSource, zone: string, mailAddress: MailAddress): Promise<DnsblEntry> {
  const name = `${reversedLabels(mailAddress.address)}.${zone}`;
  const entry = { ...mailAddress, zone, name };
  const a = await followChain(lookups, name, 'A');
  if (a.state === 'failed') return { ...entry, verdict: { state: 'failed', failure: a.failure } };
  if (a.state !== 'found') return { ...entry, verdict: { state: 'not-listed' } };
  const codes = a.records.map((r) => r.data);
  if (codes.some(isErrorCode)) return { ...entry, verdict: { state: 'error-code', codes } };
  const txt = await lookupTxt(lookups, name);
  const reason = txt.state === 'found' ? txt.texts.join(' / ') : null;
  return { ...entry, verdict: { state: 'listed', codes, reason } };
}

export async function collectDnsblFacts(lookups: LookupSource, mail: MailFacts, zones: readonly string[]): Promise<DnsblFacts> {
  const lists = [...new Set(zones.map(canonicalName))];
  const addresses = publicMailAddresses(mail);
  const entries = await Promise.all(lists.flatMap((zone) => addresses.map((address) => ask(lookups, zone, address))));
  return { zones: lists, entries };
}
