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

/** The reverse trees: names there stand for addresses (PTR records), never for mail domains. */
export function isReverseName(name: string): boolean {
  return ['in-addr.arpa', 'ip6.arpa'].some((tree) => name === tree || name.endsWith(`.${tree}`));
}

/**
 * The address a name of the reverse trees stands for, when it names a whole one: four decimal labels
 * under in-addr.arpa, 32 hexadecimal nibbles under ip6.arpa. Null for the name of a block (a zone
 * apex, an RFC 2317 classless delegation such as "0-63.2.0.192.in-addr.arpa") and any other name.
 */
export function addressOfReverseName(name: string): { address: string; family: 4 | 6 } | null {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.');
  const tree = labels.splice(-2).join('.');
  if (tree === 'in-addr.arpa' && labels.length === 4 && labels.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) <= 255)) {
    return { address: labels.reverse().join('.'), family: 4 };
  }
  if (tree === 'ip6.arpa' && labels.length === 32 && labels.every((l) => /^[0-9a-f]$/.test(l))) {
    const nibbles = labels.reverse().join('');
    return { address: ipaddr.parse(nibbles.match(/.{4}/g)!.join(':')).toString(), family: 6 };
  }
  return null;
}
