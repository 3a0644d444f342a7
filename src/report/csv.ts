import type { DomainResult } from '../engine/result.js';
import type { Severity } from '../core/finding.js';
import { countedFindings } from './reporter.js';
import type { Reporter } from './reporter.js';

/** One row per domain; rule ids and exchanges are space-separated lists within their field. */
export const CSV_COLUMNS = ['domain', 'status', 'errors', 'warnings', 'unknown', 'exchanges', 'duration_ms'] as const;

/** What spreadsheets read as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * RFC 4180 §2: a field with a comma, a double quote or a line break is quoted, its quotes doubled.
 * A field a spreadsheet would run as a formula (an input line or an exchange name chosen by whoever
 * owns the domain: `=HYPERLINK(…)`) gets a leading `'`, which spreadsheets show as text.
 */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

function ruleIds(result: DomainResult, severity: Severity): string {
  return [...new Set(countedFindings(result).filter((f) => f.severity === severity).map((f) => f.rule))].join(' ');
}

export function csvRecord(result: DomainResult): string[] {
  return [
    result.domain ?? result.input,
    result.status,
    ruleIds(result, 'error'),
    ruleIds(result, 'warning'),
    ruleIds(result, 'unknown'),
    result.mx.map((entry) => entry.exchange).join(' '),
    String(result.durationMs),
  ];
}

/** A header, then a row per domain as it completes: for spreadsheets and `csvkit`/`mlr`/`duckdb`. */
export function csvReporter(): Reporter {
  return {
    start: () => csvRow(CSV_COLUMNS),
    result: (result) => csvRow(csvRecord(result)),
    finish: () => '',
  };
}
