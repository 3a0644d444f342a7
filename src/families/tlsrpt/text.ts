import type { SectionLine } from '../../core/family.js';
import { line, list, recordState } from '../common/text.js';
import type { TlsRptSection } from './section.js';

export function tlsRptLines(tlsrpt: TlsRptSection): SectionLine[] {
  if (tlsrpt.state === 'skipped') return [];
  return [line('TLS-RPT', recordState(tlsrpt.state, tlsrpt.records) ?? `rua ${list(tlsrpt.rua ?? [])}`)];
}
