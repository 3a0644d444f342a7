import type { SectionLine } from '../../core/family.js';
import { line } from '../common/text.js';
import { MAX_DNS_TERMS } from './limits.js';
import type { SpfSection } from './section.js';

export function spfLines(spf: SpfSection): SectionLine[] {
  return spf.record ? [line('SPF', spf.record, `${spf.lookups} of ${MAX_DNS_TERMS} DNS lookups`)] : [];
}
