import { countedFindings } from './reporter.js';
import type { DomainResult } from '../engine/result.js';
import type { Status } from '../core/finding.js';
import type { Exposition, Labels, MetricMeta } from './exposition.js';

const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'unknown'];

/**
 * What one check says, as metrics: the same for the textfile format (labelled by domain) and the
 * exporter's probe (labelled by Prometheus with the target). Findings are counted by rule and
 * severity alone, so every check family's rules appear without this code knowing them.
 */
export const RESULT_METRICS: readonly MetricMeta[] = [
  { name: 'mxlint_status', type: 'gauge', help: 'Verdict of the check: 1 for its status (pass, warn, fail, unknown), 0 for the others.' },
  { name: 'mxlint_findings', type: 'gauge', help: 'Findings of the check by rule id and severity (error, unknown, warning, info).' },
  { name: 'mxlint_mx_records', type: 'gauge', help: 'MX records of the domain, a null MX included.' },
  { name: 'mxlint_mx_target_addresses', type: 'gauge', help: 'Addresses of each MX exchange by family (ipv4, ipv6); 0 when it has none.' },
];

export function addResultSamples(exposition: Exposition, result: DomainResult, labels: Labels): void {
  for (const status of STATUSES) exposition.add('mxlint_status', { ...labels, status }, result.status === status ? 1 : 0);
  const counts = new Map<string, { rule: string; severity: string; count: number }>();
  for (const finding of countedFindings(result)) {
    const key = `${finding.rule}\n${finding.severity}`;
    const entry = counts.get(key) ?? { rule: finding.rule, severity: finding.severity, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  for (const { rule, severity, count } of counts.values()) exposition.add('mxlint_findings', { ...labels, rule, severity }, count);
  exposition.add('mxlint_mx_records', labels, result.mx.length);
  for (const entry of result.mx) {
    if (!('addresses' in entry)) continue;
    for (const [family, label] of [[4, 'ipv4'], [6, 'ipv6']] as const) {
      const count = entry.addresses.filter((a) => a.family === family).length;
      exposition.add('mxlint_mx_target_addresses', { ...labels, target: entry.exchange, family: label }, count);
    }
  }
}
