import type { SectionLine } from '../../core/family.js';
import { line } from '../common/text.js';
import type { PtrSection } from './section.js';
import { isReverseName } from '../../dns/reverse.js';

export function ptrLines(ptr: PtrSection): SectionLine[] {
  return ptr.addresses.map(({ host, address, names, forwardConfirmed }) => {
    if (names === null) return line('PTR', `${address} ? lookup failed`, `address of ${host}`);
    if (names.length === 0) return line('PTR', `${address} ✗ no PTR record`, `address of ${host}`);
    const fcrdns = forwardConfirmed === true ? '✓ FCrDNS' : forwardConfirmed === false ? '✗ no FCrDNS (no name resolves back)' : '? FCrDNS not known';
    // Whose address it is, where the PTR does not already say (a reverse name's result is the address's own).
    return line('PTR', `${address} → ${names.join(', ')} ${fcrdns}`, names.includes(host) || isReverseName(host) ? undefined : `address of ${host}`);
  });
}
