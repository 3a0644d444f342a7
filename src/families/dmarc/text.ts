import type { SectionLine } from '../../core/family.js';
import { line, recordState } from '../common/text.js';
import type { DmarcSection } from './section.js';

export function dmarcLines(dmarc: DmarcSection): SectionLine[] {
  if (dmarc.state === 'skipped') return [];
  const where = dmarc.name === undefined ? undefined : dmarc.inherited ? `inherited from ${dmarc.name}` : dmarc.name;
  const state = recordState(dmarc.state, dmarc.records);
  if (state !== null) return [line('DMARC', state, where)];
  if (dmarc.policy === null || dmarc.policy === undefined) return [line('DMARC', '✗ the record is discarded by receivers (malformed)', where)];
  const pct = dmarc.pct !== undefined && dmarc.pct < 100 ? ` to ${dmarc.pct}% of mail` : '';
  const reports = dmarc.rua && dmarc.rua.length > 0 ? `, rua ${dmarc.rua.join(', ')}` : ', no aggregate reports';
  return [line('DMARC', `policy ${dmarc.policy}${pct}${reports}`, where)];
}
