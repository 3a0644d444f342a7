import type { DomainResult } from '../../src/engine/result.js';
import { summarize } from '../../src/report/reporter.js';
import type { Reporter } from '../../src/report/reporter.js';

/** A whole report as the CLI writes it: the opening, every result, and the closing for a run of `durationMs`. */
export function renderRun(reporter: Reporter, results: DomainResult[], durationMs = 1500): string {
  return reporter.start() + results.map((r) => reporter.result(r)).join('') + reporter.finish(summarize(results, durationMs));
}
