import type { RuleMeta } from '../core/rule.js';
import { severityLabel } from '../core/rule.js';
import type { Format } from '../report/formats.js';
import { csvRow } from '../report/csv.js';
import { sarifRules } from '../report/sarif.js';

const CATALOG_COLUMNS = ['id', 'family', 'severity', 'rfc', 'summary', 'fix'] as const;

/**
 * The rule catalog as `--list-rules` prints it: the metadata as JSON (Lines) or CSV, SARIF's rule
 * descriptors (tool.driver.rules, for tools that import rule help), a table otherwise.
 */
export function formatRuleList(catalog: readonly RuleMeta[], format: Format): string {
  if (format === 'json') return `${JSON.stringify(catalog, null, 2)}\n`;
  if (format === 'sarif') return `${JSON.stringify(sarifRules(catalog), null, 2)}\n`;
  if (format === 'jsonl') return catalog.map((meta) => `${JSON.stringify(meta)}\n`).join('');
  if (format === 'csv') return csvRow(CATALOG_COLUMNS) + catalog.map((meta) => csvRow(CATALOG_COLUMNS.map((column) => meta[column]))).join('');
  const idWidth = Math.max(...catalog.map((m) => m.id.length));
  const severityWidth = Math.max(...catalog.map((m) => severityLabel(m).length));
  return catalog.map((m) => `${m.id.padEnd(idWidth)}  ${severityLabel(m).padEnd(severityWidth)}  ${m.rfc}\n${' '.repeat(idWidth + 2)}${m.summary}\n${' '.repeat(idWidth + 2)}fix: ${m.fix}\n`).join('');
}
