import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import { canonicalName } from '../../dns/name.js';
import { txtToString } from '../../dns/records.js';
import { followChain } from '../../facts/chain.js';
import type { ChainOutcome } from '../../facts/chain.js';
import type { MailFacts } from '../../facts/mail.js';
import { domainDoesNotExist } from '../../facts/mail-domain.js';
import { readPublicKey } from './key.js';
import type { PublicKeyReading } from './key.js';
import { isKnownKeyType, looksLikeDkimKey, parseDkimKeyRecord } from './record.js';
import type { DkimKeyRecord } from './record.js';
import { DKIM_DISCOVERY_SELECTORS, domainkeyName, selectorName } from '../../facts/dkim-selectors.js';

/** Where a selector was taken from: given (`--dkim-selector`), or one of the common ones tried (`--dkim-discover`). */
export type SelectorSource = 'given' | 'discovered';

/** A TXT record at a selector, read as a key record, and the key in it when it has one to read. */
export interface DkimKeyFacts {
  text: string;
  record: DkimKeyRecord;
  /** null: nothing to read (a syntax problem, p= empty, an unknown key type). */
  key: PublicKeyReading | null;
}

/** What one selector's name answered, CNAMEs followed as a verifier's resolver follows them. */
export type SelectorLookup =
  | { state: 'found'; chain: string[]; keys: DkimKeyFacts[] }
  | { state: 'nxdomain' | 'nodata' | 'loop'; chain: string[] }
  | { state: 'failed'; chain: string[]; failure: LookupFailure };

export interface DkimSelectorFacts {
  selector: string;
  /** SELECTOR._domainkey.DOMAIN */
  name: string;
  source: SelectorSource;
  lookup: SelectorLookup;
}

/** What _domainkey.DOMAIN itself answered: below a name that does not exist there is nothing (RFC 8020). */
export type DomainkeyState = { state: 'exists' } | { state: 'nxdomain' } | { state: 'failed'; failure: LookupFailure };

export interface DkimFacts {
  domain: string;
  /** `_domainkey.DOMAIN` */
  domainkeyName: string;
  /** null: not looked at, the domain does not exist (domain-nxdomain says so). */
  domainkey: DomainkeyState | null;
  /** The given selectors, then the common ones that had something to show. */
  selectors: DkimSelectorFacts[];
  /** With --dkim-discover: the common selectors asked, and those whose lookup failed (reported together). */
  discovery: { asked: number; failed: { selector: string; failure: LookupFailure }[] } | null;
}

export interface DkimSettings {
  selectors: readonly string[];
  discover: boolean;
}

/** A TXT record at a selector, read as a verifier reads it. */
export function keyFacts(text: string): DkimKeyFacts {
  const record = parseDkimKeyRecord(text);
  const { keyType, publicKey } = record;
  // An empty p= (revoked) and a null one (missing) have no key to read.
  return { text, record, key: record.problems.length === 0 && publicKey && isKnownKeyType(keyType) ? readPublicKey(keyType, publicKey) : null };
}

function selectorLookup(outcome: ChainOutcome<'TXT'>): SelectorLookup {
  switch (outcome.state) {
    case 'found': return { state: 'found', chain: outcome.chain, keys: outcome.records.map((r) => keyFacts(txtToString(r.data))) };
    case 'failed': return { state: 'failed', chain: outcome.chain, failure: outcome.failure };
    default: return { state: outcome.state, chain: outcome.chain };
  }
}

async function askSelector(lookups: LookupSource, domain: string, selector: string, source: SelectorSource): Promise<DkimSelectorFacts> {
  const name = selectorName(selector, domain);
  return { selector, name, source, lookup: selectorLookup(await followChain(lookups, name, 'TXT')) };
}

async function askDomainkey(lookups: LookupSource, domain: string): Promise<DomainkeyState> {
  const outcome = await followChain(lookups, domainkeyName(domain), 'TXT');
  if (outcome.state === 'failed') return { state: 'failed', failure: outcome.failure };
  // NXDOMAIN after an alias speaks for the alias's target, not for _domainkey.DOMAIN.
  return outcome.state === 'nxdomain' && outcome.chain.length === 0 ? { state: 'nxdomain' } : { state: 'exists' };
}

/** A common selector worth showing: something that looks like a key, or an alias that leads nowhere. */
function shown(facts: DkimSelectorFacts): boolean {
  const { lookup } = facts;
  if (lookup.state === 'found') return lookup.keys.some((key) => looksLikeDkimKey(key.text));
  return lookup.state !== 'failed' && lookup.chain.length > 0;
}

/**
 * The DKIM keys of `domain`: `_domainkey.DOMAIN`, each given selector, and with `discover` each
 * common selector not given — unless `_domainkey.DOMAIN` does not exist (nothing can be below it)
 * or could not be asked. All at once: each is one lookup.
 */
export async function collectDkimFacts(lookups: LookupSource, mail: MailFacts, settings: DkimSettings): Promise<DkimFacts> {
  const { domain } = mail;
  const base = { domain, domainkeyName: domainkeyName(domain) };
  if (domainDoesNotExist(mail)) return { ...base, domainkey: null, selectors: [], discovery: null };
  const given = [...new Set(settings.selectors.map(canonicalName))];
  const [domainkey, asked] = await Promise.all([
    askDomainkey(lookups, domain),
    Promise.all(given.map((selector) => askSelector(lookups, domain, selector, 'given'))),
  ]);
  if (!settings.discover) return { ...base, domainkey, selectors: asked, discovery: null };
  const common = domainkey.state === 'exists' ? DKIM_DISCOVERY_SELECTORS.map((s) => s.selector).filter((s) => !given.includes(s)) : [];
  const tried = await Promise.all(common.map((selector) => askSelector(lookups, domain, selector, 'discovered')));
  const failed = tried.flatMap((facts) => (facts.lookup.state === 'failed' ? [{ selector: facts.selector, failure: facts.lookup.failure }] : []));
  return { ...base, domainkey, selectors: [...asked, ...tried.filter(shown)], discovery: { asked: common.length, failed } };
}
