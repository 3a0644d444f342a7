import { domainToASCII } from 'node:url';
import { isIP } from 'node:net';

/** RFC 1035 §2.3.4: 63 octets per label; 253 characters in presentation form without the final dot. */
export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 253;

/**
 * Longest input read as a domain (an argument, a line of a list), blanks around it included: far past
 * any name, so nothing that could be one is refused. A longer list line is refused whole, never cut
 * short into a name it does not say.
 */
export const MAX_INPUT_CHARS = 4096;

/** Lower-case, without the trailing dot; the root stays ".". The one canonical form names are kept in. */
export function canonicalName(name: string): string {
  if (name === '.' || name === '') return '.';
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function namesEqual(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

/** True when `name` is `ancestor` or lies below it. */
export function isSubdomainOf(name: string, ancestor: string): boolean {
  const n = canonicalName(name);
  const a = canonicalName(ancestor);
  return a === '.' || n === a || n.endsWith(`.${a}`);
}

/** An IPv4 or IPv6 address written where a name belongs ("192.0.2.1" or "192.0.2.1."). */
export function isIpLiteral(name: string): boolean {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  return isIP(bare) !== 0 || (bare.startsWith('[') && bare.endsWith(']') && isIP(bare.slice(1, -1)) !== 0);
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The labels of a name in text form, split at each "." that is not escaped with "\": a label read
 * from the wire may hold a "." (RFC 2181 §11), written "\.", as in presentation form.
 */
export function nameLabels(name: string): string[] {
  if (!name.includes('\\')) return name.split('.');
  const labels: string[] = [];
  let label = '';
  for (let i = 0; i < name.length; i++) {
    const char = name[i]!;
    if (char === '\\' && i + 1 < name.length) {
      label += char + name[++i]!;
    } else if (char === '.') {
      labels.push(label);
      label = '';
    } else {
      label += char;
    }
  }
  labels.push(label);
  return labels;
}

/**
 * Why `name` (canonical form) is not a valid host name (RFC 952, RFC 1123 §2.1: letters, digits and
 * interior hyphens), or null when it is one.
 */
export function hostnameProblem(name: string): string | null {
  if (name === '.' || name === '') return 'the name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`;
  for (const label of nameLabels(name)) {
    if (label === '') return 'it has an empty label';
    if (label.includes('\\.')) return `label "${label}" contains a "." (written \\.), which no host name can hold`;
    if (label.length > MAX_LABEL_LENGTH) return `label "${label}" is longer than ${MAX_LABEL_LENGTH} characters`;
    if (label.includes('_')) return `label "${label}" contains an underscore`;
    if (!LDH_LABEL.test(label)) return `label "${label}" is not letters, digits and interior hyphens`;
  }
  return null;
}

export type DomainInput =
  | { valid: true; name: string }
  | { valid: false; reason: string };

/**
 * Turns what a user typed into the domain to query: IDN to A-labels, lower case, no trailing dot.
 * Anything that is not a plain host name (URLs, ports, addresses, e-mail addresses, bad labels) is
 * refused with the reason, so it never reaches the wire.
 */
export function parseDomainInput(input: string): DomainInput {
  if (input.length > MAX_INPUT_CHARS) return { valid: false, reason: `it is longer than ${MAX_INPUT_CHARS} characters (a domain name has at most ${MAX_NAME_LENGTH})` };
  const typed = input.trim();
  if (typed === '') return { valid: false, reason: 'the domain is empty' };
  if (/\s/.test(typed)) return { valid: false, reason: 'a domain name cannot contain spaces' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(typed)) return { valid: false, reason: 'this is a URL' };
  if (typed.includes('@')) return { valid: false, reason: 'this is an e-mail address (the domain is the part after "@")' };
  if (isIpLiteral(typed)) return { valid: false, reason: 'this is an IP address, not a domain name' };
  if (/:\d*$/.test(typed)) return { valid: false, reason: 'a domain name cannot carry a port' };
  if (typed.includes('/')) return { valid: false, reason: 'a domain name cannot contain "/"' };
  // domainToASCII would decode %41 to "A": the name typed would not be the name checked.
  if (typed.includes('%')) return { valid: false, reason: 'a domain name cannot contain "%"' };
  const withoutDot = typed.endsWith('.') ? typed.slice(0, -1) : typed;
  if (withoutDot === '' || withoutDot.startsWith('.') || withoutDot.includes('..')) {
    return { valid: false, reason: 'the name has an empty label' };
  }
  const ascii = domainToASCII(withoutDot);
  if (ascii === '') return { valid: false, reason: 'the name is not a valid internationalized domain name' };
  // WHATWG URL parsing turns "127.1" and "1234" into IPv4 addresses; so would many mail programs.
  if (isIpLiteral(ascii) || /^\d+$/.test(ascii.slice(ascii.lastIndexOf('.') + 1))) {
    return { valid: false, reason: 'this reads as an IP address (the last label is all digits), not a domain name' };
  }
  const problem = hostnameProblem(ascii);
  if (problem !== null) return { valid: false, reason: problem };
  return { valid: true, name: ascii };
}
