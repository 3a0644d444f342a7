import type { SectionLine } from '../../core/family.js';
import { line } from '../common/text.js';
import type { RelaySection } from './section.js';

const SHOWN: Record<RelaySection['probes'][number]['verdict'], string> = {
  open: '✗ open relay: accepted', refused: '✓ refused', inconclusive: '? inconclusive', 'not-tested': '? not tested',
};

export function relayLines(relay: RelaySection): SectionLine[] {
  return relay.probes.map((probe) => {
    const answer = probe.rcptTo ?? probe.mailFrom;
    const reason = probe.reason === undefined || probe.reason === 'failed' ? '' : ` (${probe.reason})`;
    return line('RELAY', `${probe.exchange} ${probe.address}: ${SHOWN[probe.verdict]}${reason}${answer === null ? '' : `: ${answer.split('\n')[0]}`}`, `RCPT TO:<${relay.testAddress}>`);
  });
}
