import type { ReportOptions, Reporter } from './reporter.js';
import { textReporter } from './text.js';
import { jsonlReporter, jsonReporter } from './json.js';
import { csvReporter } from './csv.js';
import { nagiosReporter } from './nagios.js';
import { prometheusReporter } from './prometheus.js';
import { sarifReporter } from './sarif.js';
import { junitReporter } from './junit.js';
import { githubReporter } from './github.js';
import type { ResultOrder } from '../core/options.js';

interface FormatDefinition {
  reporter(options: ReportOptions): Reporter;
  /**
   * `input`: results must come in input order whatever the run: a document whose order readers
   * rely on or compare between runs (a JSON array, a SARIF log, a JUnit suite).
   * `completion`: in a bulk run (-f) results are written as they complete: lines or rows that stand
   * on their own, and reports written only at the end whatever the order (nagios, prometheus).
   * Either way a run holds at most `--concurrency` results in flight; junit and prometheus also keep
   * what each domain adds to the report until the end, so they suit watched domains, not huge lists.
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
  sarif: { reporter: () => sarifReporter(), bulkOrder: 'input' },
  junit: { reporter: () => junitReporter(), bulkOrder: 'input' },
  github: { reporter: () => githubReporter(), bulkOrder: 'completion' },
} satisfies Record<string, FormatDefinition>;

export type Format = keyof typeof REPORT_FORMATS;

export const FORMAT_NAMES = Object.keys(REPORT_FORMATS) as Format[];
