import type { ReportOptions, Reporter } from './reporter.js';
import { textReporter } from './text.js';
import { jsonlReporter, jsonReporter } from './json.js';
import { csvReporter } from './csv.js';
import { nagiosReporter } from './nagios.js';
import { prometheusReporter } from './prometheus.js';
import type { ResultOrder } from '../bulk/bounded-map.js';

interface FormatDefinition {
  reporter(options: ReportOptions): Reporter;
  /**
   * `input`: results must come in input order whatever the run (a JSON array promises it).
   * `completion`: in a bulk run (-f) results are written as they complete.
   */
  bulkOrder: ResultOrder;
}

/** Every output format by its --format name; adding a format is adding an entry here. */
export const REPORT_FORMATS = {
  text: { reporter: (options) => textReporter(options), bulkOrder: 'completion' },
  json: { reporter: () => jsonReporter(), bulkOrder: 'input' },
  jsonl: { reporter: () => jsonlReporter(), bulkOrder: 'completion' },
  csv: { reporter: () => csvReporter(), bulkOrder: 'completion' },
  nagios: { reporter: () => nagiosReporter(), bulkOrder: 'completion' },
  prometheus: { reporter: () => prometheusReporter(), bulkOrder: 'completion' },
} satisfies Record<string, FormatDefinition>;

export type Format = keyof typeof REPORT_FORMATS;

export const FORMAT_NAMES = Object.keys(REPORT_FORMATS) as Format[];
