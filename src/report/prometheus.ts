import { Exposition } from './exposition.js';
import type { MetricMeta } from './exposition.js';
import { addResultSamples, RESULT_METRICS } from './result-metrics.js';
import type { Reporter } from './reporter.js';

const TEXTFILE_METRICS: readonly MetricMeta[] = [
  ...RESULT_METRICS,
  { name: 'mxlint_check_duration_seconds', type: 'gauge', help: 'How long the check of the domain took.' },
];

/**
 * Prometheus text exposition for node_exporter's textfile collector, every metric labelled with the
 * domain. The format wants each metric's samples together, so the report is written at the end:
 * meant for the domains one watches, not for million-line scans (use jsonl or csv for those).
 */
export function prometheusReporter(): Reporter {
  const exposition = new Exposition(TEXTFILE_METRICS);
  return {
    start: () => '',
    result: (result) => {
      const labels = { domain: result.domain ?? result.input };
      addResultSamples(exposition, result, labels);
      exposition.add('mxlint_check_duration_seconds', labels, result.durationMs / 1000);
      return '';
    },
    finish: () => exposition.render(),
  };
}
