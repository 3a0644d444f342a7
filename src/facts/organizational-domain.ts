import { getDomain } from 'tldts';

/**
 * The Organizational Domain of RFC 7489 §3.2: the public suffix plus one label, by the Public Suffix
 * List that tldts ships (ICANN and private sections: a github.io user site is its own organization).
 * Null for a name that is itself a public suffix.
 */
export function organizationalDomain(name: string): string | null {
  return getDomain(name, { allowPrivateDomains: true, extractHostname: false });
}
