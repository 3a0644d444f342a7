import type { Reporter } from './reporter.js';

/** A JSON array of results, written one element at a time. */
export function jsonReporter(): Reporter {
  let count = 0;
  return {
    start: () => '[',
    // Indented after each line feed only: /^/m would also match after U+2028 and U+2029 inside strings.
    result: (result) => `${count++ === 0 ? '\n' : ',\n'}  ${JSON.stringify(result, null, 2).replaceAll('\n', '\n  ')}`,
    finish: () => (count === 0 ? ']\n' : '\n]\n'),
  };
}

/** One result per line (JSON Lines), for streaming into jq, log pipelines and bulk jobs. */
export function jsonlReporter(): Reporter {
  return {
    start: () => '',
    result: (result) => `${JSON.stringify(result)}\n`,
    finish: () => '',
  };
}
