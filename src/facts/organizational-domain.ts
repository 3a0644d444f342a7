import { getDomain } from 'tldts';

/**
 * The registrable domain of a name: its public suffix plus one label, by the Public Suffix List that
 * tldts ships (ICANN and private sections: a github.io user site is its own). Null for a name that
 * is itself a public suffix. DMARC does not use it: RFC 9989 finds the Organizational Domain by the
 * DNS tree walk (src/families/dmarc/walk.ts).
 */
export function organizationalDomain(name: string): string | null {
  return getDomain(name, { allowPrivateDomains: true, extractHostname: false });
}
