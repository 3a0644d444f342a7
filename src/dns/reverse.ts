import ipaddr from 'ipaddr.js';

/**
 * An address's labels in reverse order, as PTR (RFC 1035 §3.5, RFC 3596 §2.5) and DNSBL (RFC 5782
 * §2.1, §2.4) names use them: "4.3.2.1" for 1.2.3.4, 32 nibbles for an IPv6 address.
 */
export function reversedLabels(address: string): string {
  const parsed = ipaddr.parse(address);
  const bytes = parsed.toByteArray();
  if (parsed.kind() === 'ipv4') return bytes.reverse().join('.');
  return bytes.flatMap((byte) => [byte >> 4, byte & 15]).reverse().map((nibble) => nibble.toString(16)).join('.');
}

/** The PTR name of an address: under in-addr.arpa or ip6.arpa. */
export function reverseName(address: string): string {
  return `${reversedLabels(address)}.${ipaddr.parse(address).kind() === 'ipv4' ? 'in-addr.arpa' : 'ip6.arpa'}`;
}

/** The same address whatever its spelling (":: 1" forms, leading zeros in IPv6 groups). */
export function sameAddress(a: string, b: string): boolean {
  try {
    return ipaddr.parse(a).toNormalizedString() === ipaddr.parse(b).toNormalizedString();
  } catch {
    return false;
  }
}
