import type { ReportOptions, Reporter } from './reporter.js';
import { textReporter } from './text.js';
import { jsonlReporter, jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { junitReporter } from './junit.js';
import { githubReporter } from './github.js';

/** Every output format by its --format name; adding a format is adding an entry here. */
export const REPORT_FORMATS = {
  text: (options: ReportOptions) => textReporter(options),
  json: () => jsonReporter(),
  jsonl: () => jsonlReporter(),
  sarif: () => sarifReporter(),
  junit: () => junitReporter(),
  github: () => githubReporter(),
} satisfies Record<string, (options: ReportOptions) => Reporter>;

export type Format = keyof typeof REPORT_FORMATS;

export const FORMAT_NAMES = Object.keys(REPORT_FORMATS) as Format[];
