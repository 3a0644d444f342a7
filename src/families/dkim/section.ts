import type { DkimFacts, DkimKeyFacts, DkimSelectorFacts, SelectorSource } from './collect.js';
import { keyUsable } from './reading.js';

/** How a selector's lookup came out: one record, several, no such name, the name without TXT, an alias loop, a failed lookup. */
export type DkimSelectorState = 'found' | 'multiple' | 'nxdomain' | 'nodata' | 'loop' | 'failed';

/** The key record of a selector with exactly one, as read. */
export interface DkimKeySection {
  /** k=, "rsa" when absent. */
  type: string;
  /** The RSA modulus length; null for Ed25519, and when there is no key to read (revoked, malformed, unknown type). */
  bits: number | null;
  /** A verifier can check e-mail signatures with it: well formed, for e-mail, sha256 allowed, a known key type that parses, RSA of 1024 bits or more. */
  usable: boolean;
  /** p= is empty. */
  revoked: boolean;
  /** h=: the hash algorithms allowed; null when absent (any). */
  hashes: string[] | null;
  /** s=: the services the key is for. */
  services: string[];
  /** t=: y (testing), s (strict i=), or others. */
  flags: string[];
}

export interface DkimSelectorSection {
  selector: string;
  /** SELECTOR._domainkey.DOMAIN */
  name: string;
  source: SelectorSource;
  state: DkimSelectorState;
  /** The aliases followed from the name, in order; empty when it is no alias. */
  cname: string[];
  /** The TXT records at the end of the chain (found, multiple). */
  records?: string[];
  key?: DkimKeySection;
}

/** `result.dkim` (--checks dkim): _domainkey.DOMAIN and each selector asked. */
export interface DkimSection {
  /** What _domainkey.DOMAIN answered: it exists (keys may be below), it does not (none can be), the lookup failed; skipped when the domain does not exist. */
  domainkey: 'exists' | 'nxdomain' | 'failed' | 'skipped';
  /** The selectors given, in order, then the common ones (--dkim-discover) that had something there. */
  selectors: DkimSelectorSection[];
  /** With --dkim-discover: how many common selectors were asked (none when _domainkey.DOMAIN does not exist). */
  discovery?: { asked: number };
}

function keySection(key: DkimKeyFacts): DkimKeySection {
  const { record } = key;
  return {
    type: record.keyType,
    bits: key.key?.ok ? key.key.bits : null,
    usable: keyUsable(key),
    revoked: record.publicKey === '',
    hashes: record.hashes,
    services: record.services,
    flags: record.flags,
  };
}

function selectorSection({ selector, name, source, lookup }: DkimSelectorFacts): DkimSelectorSection {
  const entry = { selector, name, source, cname: lookup.chain };
  if (lookup.state !== 'found') return { ...entry, state: lookup.state };
  const records = lookup.keys.map((key) => key.text);
  if (lookup.keys.length > 1) return { ...entry, state: 'multiple', records };
  return { ...entry, state: 'found', records, key: keySection(lookup.keys[0]!) };
}

export function dkimSection(facts: DkimFacts): DkimSection {
  return {
    domainkey: facts.domainkey?.state ?? 'skipped',
    selectors: facts.selectors.map(selectorSection),
    ...(facts.discovery === null ? {} : { discovery: { asked: facts.discovery.asked } }),
  };
}
