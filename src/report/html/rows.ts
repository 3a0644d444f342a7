import type { Severity, Status } from '../../core/finding.js';
import type { DomainResult } from '../../engine/result.js';
import { countedFindings } from '../reporter.js';

/**
 * The table of domains as data: one compact row per domain, in JSON blocks of a chunk of rows each,
 * which the page's script reads to draw only the rows in view. Names that repeat from row to row
 * (exchanges, rule ids) are written once, in the block where they first appear, and referred to by
 * their number after that.
 */

/** Names given a number; past it new names are written out in each row that has them, so memory stays bounded. */
export const MAX_NUMBERED_NAMES = 50_000;

/** The order of verdicts in a row's status field; the page's script reads the same order. */
export const ROW_STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'unknown'];

/**
 * `[name, status, errors, unknown, warnings, infos, exchanges, rules, durationMs]`: `status` is an
 * index into ROW_STATUSES, the counts are findings by severity, `exchanges` the MX exchanges in
 * preference order (`.` for a null MX) and `rules` the rule ids reported, each a name's number or
 * the name itself.
 */
export type Row = [string, number, number, number, number, number, (number | string)[], (number | string)[], number];

/** Numbers names in order of first appearance, across the blocks of one report. */
export class NameNumbers {
  private readonly numbers = new Map<string, number>();
  private fresh: string[] = [];

  ref(name: string): number | string {
    const known = this.numbers.get(name);
    if (known !== undefined) return known;
    if (this.numbers.size >= MAX_NUMBERED_NAMES) return name;
    const number = this.numbers.size;
    this.numbers.set(name, number);
    this.fresh.push(name);
    return number;
  }

  /** The names numbered since the last call, to go with the block that first uses them. */
  takeFresh(): string[] {
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }
}

export function tableRow(result: DomainResult, names: NameNumbers): Row {
  const counted = countedFindings(result);
  const count = (severity: Severity): number => counted.filter((f) => f.severity === severity).length;
  return [
    result.domain ?? result.input,
    ROW_STATUSES.indexOf(result.status),
    count('error'), count('unknown'), count('warning'), count('info'),
    result.mx.map((entry) => names.ref(entry.exchange)),
    [...new Set(counted.map((f) => f.rule))].map((rule) => names.ref(rule)),
    result.durationMs,
  ];
}
