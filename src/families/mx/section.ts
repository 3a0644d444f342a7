import { compareText } from '../../core/finding.js';
import type { AddressEntry } from '../../net/address.js';
import { addressEntries } from '../../net/address.js';
import { addressesOf, aliasChain } from '../../facts/host.js';
import type { ExchangeFacts, HostFacts, MailFacts } from '../../facts/mail.js';

/** An MX record as the result shows it: the null MX, or an exchange with its aliases and addresses. */
export type MxEntry =
  | { preference: number; exchange: '.' }
  | { preference: number; exchange: string; addresses: AddressEntry[]; cname: string[] };

/** The fields every result has, whatever families ran: the MX records, and the implicit MX when there are none. */
export interface MxFields {
  /** Sorted by preference, then exchange. */
  mx: MxEntry[];
  /** Present when the domain has no MX and mail falls back to its own addresses (RFC 5321 §5.1). */
  implicit?: { addresses: AddressEntry[] };
}

export function hostAddresses(host: HostFacts): AddressEntry[] {
  return addressEntries(addressesOf(host.a), addressesOf(host.aaaa));
}

function mxEntries(facts: MailFacts): MxEntry[] {
  if (facts.mx.state !== 'found') return [];
  const byName = new Map<string, ExchangeFacts>(facts.exchanges.map((e) => [e.name, e]));
  return facts.mx.records
    .map(({ data }): MxEntry => {
      const exchange = byName.get(data.exchange);
      if (data.exchange === '.' || !exchange) return { preference: data.preference, exchange: '.' };
      return exchange.kind === 'host'
        ? { preference: data.preference, exchange: data.exchange, addresses: hostAddresses(exchange.host), cname: [...aliasChain(exchange.host)] }
        : { preference: data.preference, exchange: data.exchange, addresses: [], cname: [] };
    })
    .sort((a, b) => a.preference - b.preference || compareText(a.exchange, b.exchange));
}

export function mxFields(facts: MailFacts): MxFields {
  // Only when mail really falls back to the domain's own addresses: with none, there is no implicit MX.
  const implicit = facts.implicit ? hostAddresses(facts.implicit) : [];
  return implicit.length > 0 ? { mx: mxEntries(facts), implicit: { addresses: implicit } } : { mx: mxEntries(facts) };
}
