import type { SectionLine } from '../../core/family.js';
import { line } from '../common/text.js';
import type { PtrSection } from './section.js';
import { isReverseName } from '../../dns/reverse.js';

const UNRESOLVED: Record<NonNullable<PtrSection['unresolved']>[number]['reason'], string> = {
  'no-address': '? no address to check', 'not-routable': '? no globally routable address to check', failed: '? address lookup failed',
};

export function ptrLines(ptr: PtrSection): SectionLine[] {
  const sending = ptr.hosts === 'sending';
  /** Whose address it is: nothing for a sending host given as the address itself. */
  const whose = (host: string, address: string): string | undefined => (host === address ? 'sending address' : `${sending ? 'sending host' : 'address of'} ${host}`);
  return [
    ...ptr.addresses.map(({ host, address, names, forwardConfirmed }) => {
      if (names === null) return line('PTR', `${address} ? lookup failed`, whose(host, address));
      if (names.length === 0) return line('PTR', `${address} ✗ no PTR record`, whose(host, address));
      const fcrdns = forwardConfirmed === true ? '✓ FCrDNS' : forwardConfirmed === false ? '✗ no FCrDNS (no name resolves back)' : '? FCrDNS not known';
      // Whose address it is, where the PTR does not already say (a reverse name's result is the address's own).
      return line('PTR', `${address} → ${names.join(', ')} ${fcrdns}`, names.includes(host) || isReverseName(host) ? undefined : whose(host, address));
    }),
    ...(ptr.unresolved ?? []).map(({ host, reason }) => line('PTR', `${host} ${UNRESOLVED[reason]}`, 'sending host')),
  ];
}
