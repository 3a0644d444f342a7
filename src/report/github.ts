import type { DomainResult } from '../engine/result.js';
import type { Finding, Severity } from '../core/finding.js';
import { countedFindings, messageWithFix } from './reporter.js';
import type { Reporter, RunSummary } from './reporter.js';

/**
 * GitHub Actions workflow commands: an annotation per finding, `::error file=F,line=L,col=C,title=RULE::message Fix: … (RFC)`,
 * shown on the pull request's files for findings in zone files and in the run's summary for the rest.
 */

/** unknown is something to look at, not a pass: a warning annotation. */
const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', unknown: 'warning', info: 'notice' };

/** The message: %, CR and LF escaped, as the runner decodes them. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: the message escapes, and the separators `:` and `,` too. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(result: DomainResult, finding: Finding): string {
  const where = finding.location
    ? [`file=${escapeProperty(finding.location.file)}`, `line=${finding.location.line}`, `col=${finding.location.column}`]
    : [];
  const properties = [...where, `title=${escapeProperty(finding.rule)}`].join(',');
  const name = result.domain ?? result.input;
  return `::${COMMAND[finding.severity]} ${properties}::${escapeData(`${name}: ${messageWithFix(finding)} (${finding.rfc})`)}\n`;
}

export function githubReporter(): Reporter {
  return {
    start: () => '',
    result: (result) => countedFindings(result).map((finding) => annotation(result, finding)).join(''),
    finish: (summary: RunSummary) => {
      const statuses = (['pass', 'warn', 'fail', 'unknown'] as const).map((s) => `${summary.byStatus[s]} ${s}`).join(', ');
      return `mxlint: ${summary.domains} checked: ${statuses}\n`;
    },
  };
}
