import type { SectionLine } from '../../core/family.js';
import { line, list, recordState } from '../common/text.js';
import type { MtaStsSection } from './section.js';

const POLICY_NOT_FETCHED: Record<Exclude<NonNullable<MtaStsSection['policy']>['fetch'], 'fetched'>, string> = {
  failed: '✗ policy not fetched: the server\'s answer is unusable',
  unreachable: '? policy not fetched: the server could not be reached',
  'not-public': '? policy not fetched: its host has no public address (not contacted without --allow-private)',
  'no-address': '✗ policy not fetched: its host has no address',
  'lookup-failed': '? policy not fetched: looking up its host failed',
};

export function mtaStsLines(mtaSts: MtaStsSection): SectionLine[] {
  if (mtaSts.state === 'skipped') return [];
  const state = recordState(mtaSts.state, mtaSts.records);
  const record = state ?? `id ${mtaSts.id ?? '? (malformed record)'}`;
  const { policy } = mtaSts;
  if (!policy) return [line('MTA-STS', record)];
  if (policy.fetch !== 'fetched') return [line('MTA-STS', `${record}; ${POLICY_NOT_FETCHED[policy.fetch]}`, policy.url)];
  const via = policy.connectedTo ? `, connected to ${policy.connectedTo}` : '';
  return [line('MTA-STS', `mode ${policy.mode ?? '?'}, max_age ${policy.maxAge ?? '?'}, mx ${list(policy.mx ?? [])}; ${record}`,
    `policy fetched from ${policy.address}${via}`)];
}
