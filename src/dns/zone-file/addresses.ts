import { isIP } from 'node:net';

/** Dotted quad only: node's isIP refuses the short forms (`127.1`) and leading zeros that inet_aton takes. */
export function isIpv4(text: string): boolean {
  return isIP(text) === 4;
}

/** Without a zone index (`fe80::1%eth0`), which isIP accepts but an AAAA record cannot hold. */
export function isIpv6(text: string): boolean {
  return !text.includes('%') && isIP(text) === 6;
}

/** The RFC 5952 text form (lower case, longest run of zeros compressed), as the WHATWG URL parser writes it. */
export function normalizeIpv6(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

export function ipv4FromOctets(octets: Uint8Array): string {
  return Array.from(octets).join('.');
}

export function ipv6FromOctets(octets: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((octets[i]! << 8) | octets[i + 1]!).toString(16));
  return normalizeIpv6(groups.join(':'));
}
