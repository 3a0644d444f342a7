import type { SectionLine } from '../../core/family.js';
import { line } from '../common/text.js';
import { RSA_MAX_VERIFIED_BITS, RSA_RECOMMENDED_BITS } from './reading.js';
import type { DkimKeySection, DkimSection, DkimSelectorSection } from './section.js';

/** What a verifier finds in a single key record, in a few words: ✓ usable, ! usable with a warning, ✗ not. */
function keyText(key: DkimKeySection): string {
  if (key.revoked) return 'revoked (empty p=)';
  const testing = key.flags.includes('y');
  const size = key.bits !== null ? `${key.type} ${key.bits} bits` : key.usable ? key.type : `${key.type}, no usable key`;
  const warned = testing || (key.bits !== null && (key.bits < RSA_RECOMMENDED_BITS || key.bits > RSA_MAX_VERIFIED_BITS));
  return `${!key.usable ? '✗' : warned ? '!' : '✓'} ${size}${testing ? ', testing (t=y)' : ''}`;
}

function stateText(entry: DkimSelectorSection): string {
  const target = entry.cname[entry.cname.length - 1];
  switch (entry.state) {
    case 'found': return entry.key === undefined ? '' : keyText(entry.key);
    case 'multiple': return `✗ ${entry.records?.length ?? 'several'} records: verifiers may use any`;
    case 'nxdomain': return target === undefined ? '✗ no key (NXDOMAIN)' : `✗ alias of ${target}, which does not exist`;
    case 'nodata': return target === undefined ? '✗ no key (no TXT record)' : `✗ alias of ${target}, which has no TXT record`;
    case 'loop': return '✗ the alias chain loops';
    case 'failed': return '? lookup failed';
  }
}

function selectorLine(entry: DkimSelectorSection): SectionLine {
  const via = entry.cname.length > 0 ? ` → ${entry.cname.join(' → ')}` : '';
  const found = entry.source === 'discovered' ? ' (common selector)' : '';
  return line('DKIM', `${entry.selector}${found}: ${stateText(entry)}`, `${entry.name}${via}`);
}

/** Said when no selector has anything to show: what _domainkey.DOMAIN hints at. */
function hint(dkim: DkimSection): string {
  switch (dkim.domainkey) {
    case 'nxdomain': return 'no key under any selector: _domainkey does not exist';
    case 'failed': return '? lookup failed';
    default: return dkim.discovery === undefined
      ? 'selectors unknown (--dkim-selector): _domainkey exists'
      : `none of the ${dkim.discovery.asked} common selectors has a key (which proves nothing)`;
  }
}

export function dkimLines(dkim: DkimSection): SectionLine[] {
  if (dkim.domainkey === 'skipped') return [];
  if (dkim.selectors.length === 0) return [line('DKIM', hint(dkim))];
  const lines = dkim.selectors.map(selectorLine);
  // Discovery that found nothing beside the selectors given still says that it looked.
  const asked = dkim.discovery?.asked ?? 0;
  if (asked > 0 && dkim.selectors.every((s) => s.source === 'given')) lines.push(line('DKIM', `none of the ${asked} other common selectors has a key`));
  return lines;
}
