import type { SectionLine } from '../../core/family.js';
import type { DnssecState } from '../../facts/dnssec-validation.js';
import type { PublishedState } from '../../facts/txt-record.js';

/**
 * Helpers of the families' lines in the text report. Marks read without colour: ✓ as it should be,
 * ✗ not, ? not known.
 */

export const line = (label: string, text: string, note?: string): SectionLine => (note === undefined ? { label, text } : { label, text, note });

/** Lists join with ", "; an empty one is "none". */
export function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : 'none';
}

/** The record states every TXT-published family shares; null for `found`, which each family says in its own way. */
export function recordState(state: PublishedState, records: readonly string[] | undefined): string | null {
  switch (state) {
    case 'found': return null;
    case 'multiple': return `✗ ${records?.length ?? 'several'} records: none of them applies`;
    case 'none': return 'no record';
    case 'failed': return '? lookup failed';
    case 'skipped': return null;
  }
}

/** How a DNSSEC state reads in a line. */
export const DNSSEC_STATE: Record<DnssecState, string> = { secure: 'authenticated', insecure: 'not authenticated', bogus: '✗ bogus', failed: '? lookup failed' };
