import { counts } from '../core/finding.js';
import type { Finding, Status } from '../core/finding.js';
import type { DomainResult } from '../engine/result.js';
import { worstStatus } from '../core/status.js';

/** What a whole run came to, for the closing lines of a report. */
export interface RunSummary {
  domains: number;
  byStatus: Record<Status, number>;
  /** How many domains each rule fired for (findings that count: not suppressed, not unchanged since a baseline). */
  byRule: Record<string, number>;
  durationMs: number;
}

/** Counts results as they stream past, so a run of any length keeps only its totals. */
export class RunTally {
  private readonly byStatus: Record<Status, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
  private readonly byRule: Record<string, number> = {};
  private domains = 0;

  /** Domains counted so far and their statuses, read live by a progress display. */
  get progress(): { done: number; byStatus: Readonly<Record<Status, number>> } {
    return { done: this.domains, byStatus: this.byStatus };
  }

  add(result: DomainResult): void {
    this.domains++;
    this.byStatus[result.status]++;
    for (const rule of new Set(countedFindings(result).map((f) => f.rule))) this.byRule[rule] = (this.byRule[rule] ?? 0) + 1;
  }

  /** The worst status seen: what the exit code reports. */
  get worst(): Status {
    return worstSeen(this.byStatus);
  }

  summary(durationMs: number): RunSummary {
    return { domains: this.domains, byStatus: { ...this.byStatus }, byRule: { ...this.byRule }, durationMs };
  }
}

/** The worst status with at least one domain: what the run's exit code reports. */
export function worstSeen(byStatus: Record<Status, number>): Status {
  return worstStatus((Object.keys(byStatus) as Status[]).filter((status) => byStatus[status] > 0));
}

export function summarize(results: readonly DomainResult[], durationMs: number): RunSummary {
  const tally = new RunTally();
  for (const result of results) tally.add(result);
  return tally.summary(durationMs);
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
  /** Zone mode: the text of every file findings point into, by name as in their locations, to show the line. */
  sources?: ReadonlyMap<string, string>;
}

/**
 * The findings that weigh in a result's status: not suppressed, and not already in the baseline.
 * The formats that say what failed (annotations, failures, plugin output, CSV columns, metrics) show
 * these; JSON, SARIF and the text report show every finding with its state.
 */
export function countedFindings(result: DomainResult): Finding[] {
  return result.findings.filter(counts);
}

/** A finding's message and fix as one line: "… found. Fix: do this." */
export function messageWithFix(finding: Finding): string {
  const message = /[.!?:]$/.test(finding.message) ? finding.message : `${finding.message}.`;
  return `${message} Fix: ${finding.fix}.`;
}
