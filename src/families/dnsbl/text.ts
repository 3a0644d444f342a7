import type { SectionLine } from '../../core/family.js';
import { line, list } from '../common/text.js';
import type { DnsblSection } from './section.js';

export function dnsblLines(dnsbl: DnsblSection): SectionLine[] {
  return dnsbl.zones.map((zone) => {
    const listings = dnsbl.listings.filter((l) => l.zone === zone);
    if (listings.length === 0) return line('DNSBL', `${zone}: no address to look up`);
    const listed = listings.filter((l) => l.state === 'listed')
      .map((l) => `✗ ${l.address} listed (${list(l.codes ?? [])}${l.reason ? ` "${l.reason}"` : ''})`);
    const unknown = listings.filter((l) => l.state === 'unknown').map((l) => `? ${l.address} not known`);
    const clean = listings.filter((l) => l.state === 'not-listed').length;
    const notListed = clean === 0 ? [] : clean === listings.length
      ? [`✓ not listed (${clean} address${clean === 1 ? '' : 'es'})`] : [`✓ ${clean} other${clean === 1 ? '' : 's'} not listed`];
    return line('DNSBL', `${zone}: ${[...listed, ...unknown, ...notListed].join(', ')}`);
  });
}
