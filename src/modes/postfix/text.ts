import type { SectionLine } from '../../core/family.js';
import type { PostfixSection } from '../../engine/result.js';

/** `mxlint postfix`: what the server result was checked from, in one line. */
export function postfixLines(postfix: PostfixSection): SectionLine[] {
  const addresses = postfix.addresses.length > 0 ? postfix.addresses.map((a) => a.address).join(', ') : 'addresses not known';
  const size = postfix.messageSizeLimit === null ? 'SIZE ?' : postfix.messageSizeLimit === 0 ? 'no size limit' : `SIZE ${postfix.messageSizeLimit}`;
  const domains = postfix.acceptedDomains.length;
  return [{ label: 'POSTFIX', text: `${postfix.myhostname ?? 'myhostname not set'} at ${addresses}; ${domains} accepted domain${domains === 1 ? '' : 's'}; ${size}; TLS ${postfix.tlsSecurityLevel}`, note: postfix.file }];
}
