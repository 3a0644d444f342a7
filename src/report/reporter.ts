import type { DomainResult, Status } from '../result.js';

/** What a whole run came to, for the closing lines of a report. */
export interface RunSummary {
  domains: number;
  byStatus: Record<Status, number>;
  /** How many domains each rule fired for. */
  byRule: Record<string, number>;
  durationMs: number;
}

export function summarize(results: readonly DomainResult[], durationMs: number): RunSummary {
  const byStatus: Record<Status, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  const byRule: Record<string, number> = {};
  for (const result of results) {
    byStatus[result.status]++;
    for (const rule of new Set(result.findings.map((f) => f.rule))) byRule[rule] = (byRule[rule] ?? 0) + 1;
  }
  return { domains: results.length, byStatus, byRule, durationMs };
}

/**
 * A report written as results arrive: the opening, one piece per result, the closing. Every format
 * is one of these, so the CLI streams them all the same way.
 */
export interface Reporter {
  start(): string;
  result(result: DomainResult): string;
  finish(summary: RunSummary): string;
}

export interface ReportOptions {
  color: boolean;
  /** Leave out passing domains (and, in text, informational findings). */
  quiet: boolean;
  /** Wrap text at this many columns (a terminal's width); null: one line per finding, for grep. */
  width: number | null;
}
