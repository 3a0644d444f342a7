import { OptionError } from '../core/errors.js';
import type { Family, SectionLine } from '../core/family.js';
import type { CheckContext } from '../facts/context.js';
import { mxFamily } from './mx/index.js';
import { spfFamily } from './spf/index.js';
import { dmarcFamily } from './dmarc/index.js';
import { dkimFamily } from './dkim/index.js';
import { mtaStsFamily } from './mta-sts/index.js';
import { tlsRptFamily } from './tlsrpt/index.js';
import { dnssecFamily } from './dnssec/index.js';
import { daneFamily } from './dane/index.js';
import { ptrFamily } from './ptr/index.js';
import { smtpFamily } from './smtp/index.js';
import { tlsFamily } from './tls/index.js';
import { relayFamily } from './relay/index.js';
import { dnsblFamily } from './dnsbl/index.js';
import { bimiFamily } from './bimi/index.js';
import { takeoverFamily } from './takeover/index.js';

/** Every check family, in the order they run, the text report shows them and the catalog lists their rules. */
export const FAMILIES = [
  mxFamily, spfFamily, dmarcFamily, dkimFamily, mtaStsFamily, tlsRptFamily, dnssecFamily, daneFamily, ptrFamily, smtpFamily, tlsFamily, relayFamily, dnsblFamily, bimiFamily, takeoverFamily,
] as const;

type RegisteredFamily = (typeof FAMILIES)[number];

/** The check families `--checks` selects. */
export type CheckFamily = RegisteredFamily['name'];

type SectionOf<F> = F extends Family<string, CheckContext, infer Section> ? Section : never;

/** The families' sections of a result, each under its family's name; families without one (mx) add none. */
export type FamilySections = {
  [F in RegisteredFamily as SectionOf<F> extends undefined ? never : F['name']]?: SectionOf<F>;
};

/** A family of the registry, its section type forgotten: for running the selected ones in a list. */
export type AnyFamily = Family<CheckFamily, CheckContext, unknown>;

export const CHECK_FAMILY_NAMES: readonly CheckFamily[] = FAMILIES.map((f) => f.name);

/** What runs when --checks is not given. */
export const DEFAULT_CHECKS: readonly CheckFamily[] = ['mx', 'spf', 'dmarc', 'takeover'];

/**
 * What `all` leaves out until named too (`all,tls`): the TLS scan costs dozens of handshakes per
 * address, and on real servers more than the default deadline; the relay test asks servers to take
 * mail for others, which no one should do unasked.
 */
export const NAMED_ONLY_CHECKS: readonly CheckFamily[] = ['tls', 'relay'];

export function isCheckFamily(name: string): name is CheckFamily {
  return (CHECK_FAMILY_NAMES as readonly string[]).includes(name);
}

/**
 * The families a checks option names, as the CLI takes them ("mx,spf", "all", "all,tls") or as a
 * list; in registry order, each once. A list whose every name starts with "+" or "-" changes `base`
 * (the default set) instead of replacing it: "+mta-sts,-dnsbl". `option` names the option in errors
 * ("--checks", "checks").
 */
export function readChecks(checks: string | readonly string[], option: string, base: readonly CheckFamily[] = DEFAULT_CHECKS): CheckFamily[] {
  const names = (typeof checks === 'string' ? [checks] : [...checks]).flatMap((text) => text.split(',')).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) throw new OptionError(`${option} names no check family`);
  const signed = names.filter((name) => name.startsWith('+') || name.startsWith('-'));
  if (signed.length > 0 && signed.length < names.length) {
    throw new OptionError(`${option} mixes a list (${names.filter((name) => !signed.includes(name)).join(',')}) with changes to the default set (${signed.join(',')}): give either "mx,spf" or "+mta-sts,-dnsbl"`);
  }
  const bare = signed.length > 0 ? names.map((name) => name.slice(1)) : names;
  if (bare.includes('all')) {
    if (signed.length > 0) throw new OptionError(`${option} cannot add or remove "all": write all alone`);
    return CHECK_FAMILY_NAMES.filter((name) => !NAMED_ONLY_CHECKS.includes(name) || names.includes(name));
  }
  for (const name of bare) {
    if (!isCheckFamily(name)) throw new OptionError(`unknown check family "${name}" in ${option} (known: ${CHECK_FAMILY_NAMES.join(', ')}, all)`);
  }
  if (signed.length === 0) return CHECK_FAMILY_NAMES.filter((name) => names.includes(name));
  const chosen = new Set<string>(base);
  for (const name of signed) {
    if (name.startsWith('+')) chosen.add(name.slice(1));
    else chosen.delete(name.slice(1));
  }
  if (chosen.size === 0) throw new OptionError(`${option} ${names.join(',')} leaves no check family to run`);
  return CHECK_FAMILY_NAMES.filter((name) => chosen.has(name));
}

/** The families a checks option removes from the default set ("-dnsbl"): none for a list that replaces it. */
export function removedChecks(checks: string | readonly string[]): string[] {
  return [checks].flat().flatMap((text) => text.split(',')).map((s) => s.trim().toLowerCase()).filter((s) => s.startsWith('-')).map((s) => s.slice(1));
}

/** Each family with a section in one result, and its lines, in registry order; families that did not run have none. */
export function linesByFamily(sections: FamilySections): { family: CheckFamily; lines: SectionLine[] }[] {
  return (FAMILIES as readonly AnyFamily[]).flatMap((family) => {
    const section = (sections as Record<string, unknown>)[family.name];
    return section === undefined ? [] : [{ family: family.name, lines: family.text(section) }];
  });
}

/** Every family's lines for one result's sections, in registry order; families that did not run have none. */
export function familyLines(sections: FamilySections): SectionLine[] {
  return linesByFamily(sections).flatMap(({ lines }) => lines);
}
