import { canonicalName, isIpLiteral, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '../../dns/name.js';

/**
 * A name as DNS can ask it after macro expansion (RFC 7208 §7.3): no trailing dot, labels dropped from
 * the left while it is longer than 253 characters; null when it still has an empty or over-long label.
 */
export function queryName(expanded: string): string | null {
  let name = expanded.endsWith('.') ? expanded.slice(0, -1) : expanded;
  while (name.length > MAX_NAME_LENGTH && name.includes('.')) name = name.slice(name.indexOf('.') + 1);
  if (name === '' || name.length > MAX_NAME_LENGTH) return null;
  if (name.split('.').some((label) => label === '' || Buffer.byteLength(label) > MAX_LABEL_LENGTH)) return null;
  return canonicalName(name);
}

/** RFC 7208 §4.3: a malformed or single-label <domain> (or an address literal) gives "none" at once. */
export function domainProblem(domain: string): string | null {
  if (domain.startsWith('[') || isIpLiteral(domain)) return `"${domain}" is an address literal, not a domain name`;
  const name = queryName(domain);
  if (name === null || name !== canonicalName(domain)) return `"${domain}" is not a valid domain name (an empty or over-long label)`;
  if (!name.includes('.')) return `"${domain}" is not a multi-label domain name`;
  return null;
}

