import type { LookupSource } from '../../dns/lookup.js';
import { addressOfReverseName } from '../../dns/reverse.js';
import type { MailFacts } from '../../facts/mail.js';
import { reverseDnsOf } from '../../facts/reverse-dns.js';
import type { ReverseDnsEntry } from '../../facts/reverse-dns.js';
import { lookupTxt } from '../../facts/txt-record.js';
import type { TxtAt } from '../../facts/txt-record.js';
import type { FamilySections } from '../../families/index.js';

/** What a profile's own rules read. */
export interface ProfileFacts {
  /** A-label form, lower-case, no trailing dot. */
  domain: string;
  mail: MailFacts;
  /** What the families that ran found (a profile makes the families it reads run). */
  sections: FamilySections;
  /** The reverse profile's: the PTR records of the address the name stands for. */
  reverse?: ReverseNameFacts;
  /** The parked profile's: the TXT records at the wildcard DKIM selector, *._domainkey.DOMAIN. */
  wildcardKey?: TxtAt;
}

/**
 * What the reverse profile finds at a name under in-addr.arpa or ip6.arpa: the PTR records of the
 * address it stands for and whether their names resolve back to it; `entry` null when the name is
 * that of a block (a reverse zone's apex, an RFC 2317 classless delegation), which has none to check.
 */
export interface ReverseNameFacts {
  entry: ReverseDnsEntry | null;
}

export async function collectReverseNameFacts(lookups: LookupSource, domain: string): Promise<ReverseNameFacts> {
  const address = addressOfReverseName(domain);
  return { entry: address === null ? null : await reverseDnsOf(lookups, { host: domain, ...address }) };
}

/** The TXT records at the wildcard selector, where a parked domain publishes its empty DKIM key (the name asked as written, `*` included). */
export async function collectWildcardKey(lookups: LookupSource, domain: string): Promise<TxtAt> {
  return lookupTxt(lookups, `*._domainkey.${domain}`);
}
