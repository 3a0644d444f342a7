import type { LookupSource } from '../dns/lookup.js';
import { reverseName, sameAddress } from '../dns/reverse.js';
import { followChain } from './chain.js';
import type { ChainOutcome } from './chain.js';
import type { MailAddress } from './mail-addresses.js';

/** A PTR set of more names than this is a mistake; checking the first ones forward is enough to judge it. */
export const MAX_PTR_NAMES_CHECKED = 10;

/** Forward-confirmed reverse DNS (FCrDNS) of one mail host address. */
export interface ReverseDnsEntry extends MailAddress {
  /** The PTR name asked. */
  name: string;
  ptr: ChainOutcome<'PTR'>;
  /** For each PTR name (the first MAX_PTR_NAMES_CHECKED), its A or AAAA lookup, of the address's family. */
  forward: { name: string; outcome: ChainOutcome<'A' | 'AAAA'>; confirms: boolean }[];
}

export interface ReverseDnsFacts {
  entries: ReverseDnsEntry[];
}

/** The PTR records of an address, aliases followed (RFC 2317 delegates reverse zones with CNAMEs). */
export function lookupPtr(lookups: LookupSource, address: string): Promise<ChainOutcome<'PTR'>> {
  return followChain(lookups, reverseName(address), 'PTR');
}

/** The PTR names of one address and whether each leads back to it. */
export async function reverseDnsOf(lookups: LookupSource, mailAddress: MailAddress): Promise<ReverseDnsEntry> {
  const ptr = await lookupPtr(lookups, mailAddress.address);
  const names = ptr.state === 'found' ? [...new Set(ptr.records.map((r) => r.data))].slice(0, MAX_PTR_NAMES_CHECKED) : [];
  const forward = await Promise.all(names.map(async (ptrName) => {
    const outcome = await followChain(lookups, ptrName, mailAddress.family === 4 ? 'A' : 'AAAA');
    const confirms = outcome.state === 'found' && outcome.records.some((r) => sameAddress(r.data, mailAddress.address));
    return { name: ptrName, outcome, confirms };
  }));
  return { ...mailAddress, name: reverseName(mailAddress.address), ptr, forward };
}
