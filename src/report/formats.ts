import type { ReportOptions, Reporter } from './reporter.js';
import { textReporter } from './text.js';
import { jsonlReporter, jsonReporter } from './json.js';
import { csvReporter } from './csv.js';
import { nagiosReporter } from './nagios.js';
import { prometheusReporter } from './prometheus.js';
import { sarifReporter } from './sarif.js';
import { junitReporter } from './junit.js';
import { githubReporter } from './github.js';
import { htmlReporter } from './html/reporter.js';
import type { ResultOrder } from '../core/options.js';
import { escapeUntrusted, terminalSafeJson } from '../core/escape.js';
import { escapeStrings } from './untrusted.js';

/**
 * How a format keeps text from DNS, files, servers and input lines from driving a terminal (or a
 * viewer) that shows the report. `escaped`: every string of each result reaches the reporter with
 * control, C1 and bidirectional characters as `\DDD`, as dig shows DNS data (text-like formats,
 * XML). `json`: the exact text, such characters written as JSON `\uXXXX` escapes.
 */
type UntrustedText = 'escaped' | 'json';

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
  untrusted: UntrustedText;
}

/** Every output format by its --format name; adding a format is adding an entry here. */
export const REPORT_FORMATS = {
  text: { reporter: (options) => textReporter(options), bulkOrder: 'completion', untrusted: 'escaped' },
  json: { reporter: () => jsonReporter(), bulkOrder: 'input', untrusted: 'json' },
  jsonl: { reporter: () => jsonlReporter(), bulkOrder: 'completion', untrusted: 'json' },
  csv: { reporter: () => csvReporter(), bulkOrder: 'completion', untrusted: 'escaped' },
  nagios: { reporter: () => nagiosReporter(), bulkOrder: 'completion', untrusted: 'escaped' },
  prometheus: { reporter: () => prometheusReporter(), bulkOrder: 'completion', untrusted: 'escaped' },
  sarif: { reporter: () => sarifReporter(), bulkOrder: 'input', untrusted: 'json' },
  junit: { reporter: () => junitReporter(), bulkOrder: 'input', untrusted: 'escaped' },
  github: { reporter: () => githubReporter(), bulkOrder: 'completion', untrusted: 'escaped' },
  html: { reporter: (options) => htmlReporter(options), bulkOrder: 'completion', untrusted: 'escaped' },
} satisfies Record<string, FormatDefinition>;

export type Format = keyof typeof REPORT_FORMATS;

export const FORMAT_NAMES = Object.keys(REPORT_FORMATS) as Format[];

/** The reporter of a format, with its handling of untrusted text applied: how the CLI makes every report. */
export function createReporter(format: Format, options: ReportOptions): Reporter {
  const definition: FormatDefinition = REPORT_FORMATS[format];
  if (definition.untrusted === 'json') {
    const reporter = definition.reporter(options);
    return {
      start: () => terminalSafeJson(reporter.start()),
      result: (result) => terminalSafeJson(reporter.result(result)),
      finish: (summary) => terminalSafeJson(reporter.finish(summary)),
    };
  }
  // Findings name their files as escaped now: the zone texts are found under the same names.
  const sources = options.sources && new Map([...options.sources].map(([file, text]) => [escapeUntrusted(file), text]));
  const reporter = definition.reporter({ ...options, ...(sources ? { sources } : {}) });
  return {
    start: () => reporter.start(),
    result: (result) => reporter.result(escapeStrings(result)),
    finish: (summary) => reporter.finish(escapeStrings(summary)),
  };
}
