import type { DomainResult } from '../engine/result.js';
import type { Finding, Status } from '../core/finding.js';
import { worstStatus } from '../core/status.js';
import { countedFindings } from './reporter.js';
import type { Reporter, RunSummary } from './reporter.js';

/** monitoring-plugins service states, by status; the exit code (0–3) is the CLI's usual one. */
const STATE: Record<Status, string> = { pass: 'OK', warn: 'WARNING', fail: 'CRITICAL', unknown: 'UNKNOWN' };
const RANK: Record<Status, number> = { pass: 0, warn: 1, unknown: 2, fail: 3 };
/** Findings named on the first line; the rest are in the details. */
const FIRST_LINE_FINDINGS = 3;
/** Domains named on the first line of a run over several. */
const FIRST_LINE_DOMAINS = 3;
/**
 * Nagios keeps only the first few KiB of a plugin's output (NRPE 4 KiB by default): details past
 * this many lines are counted, not written.
 */
const MAX_DETAIL_LINES = 100;

/** `|` starts the performance data; it must not appear in the text (line breaks cannot: text from outside comes escaped). */
function text(value: string): string {
  return value.replace(/\|/g, '/');
}

/** The findings that decide the status (errors for fail, unknown ones for unknown, warnings for warn). */
function decisive(result: DomainResult): Finding[] {
  const severity = { fail: 'error', unknown: 'unknown', warn: 'warning', pass: null }[result.status];
  return severity === null ? [] : countedFindings(result).filter((f) => f.severity === severity);
}

function findingLabel(finding: Finding): string {
  return finding.target === undefined ? finding.rule : `${finding.rule} (${finding.target})`;
}

function headline(result: DomainResult): string {
  const name = result.domain ?? result.input;
  const worst = decisive(result);
  if (worst.length === 0) {
    const exchanges = result.mx.filter((e) => e.exchange !== '.').length;
    return `${name}: ${exchanges === 0 ? 'no problems found' : `mail accepted by ${exchanges} exchange${exchanges === 1 ? '' : 's'}`}`;
  }
  // A family that judges each address (DANE, SMTP, PTR) repeats rule and exchange: the first line names them once.
  const labels = [...new Set(worst.map(findingLabel))];
  const named = labels.slice(0, FIRST_LINE_FINDINGS).join(', ');
  return `${name}: ${named}${labels.length > FIRST_LINE_FINDINGS ? ` and ${labels.length - FIRST_LINE_FINDINGS} more` : ''}`;
}

function count(result: DomainResult, severity: Finding['severity']): number {
  return countedFindings(result).filter((f) => f.severity === severity).length;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/**
 * A monitoring plugin's output (monitoring-plugins guidelines): the first line is the state, the
 * worst findings and the performance data; the details follow, one line each. For one domain the
 * details are its findings; for several, the findings of each domain with problems.
 */
export function nagiosReporter(): Reporter {
  let single: DomainResult | null = null;
  let results = 0;
  let errors = 0;
  let warnings = 0;
  const worstDomains: DomainResult[] = [];
  const details: string[] = [];
  let detailsLeftOut = 0;
  const detail = (line: string): void => {
    if (details.length < MAX_DETAIL_LINES) details.push(text(line));
    else detailsLeftOut++;
  };

  return {
    start: () => '',
    result: (result) => {
      results++;
      single = results === 1 ? result : null;
      errors += count(result, 'error');
      warnings += count(result, 'warning');
      if (result.status !== 'pass') {
        const name = result.domain ?? result.input;
        for (const f of countedFindings(result).filter((finding) => finding.severity !== 'info')) detail(`${name} ${f.severity} ${f.rule}: ${f.message}`);
        worstDomains.push(result);
        worstDomains.sort((a, b) => RANK[b.status] - RANK[a.status]);
        worstDomains.length = Math.min(worstDomains.length, FIRST_LINE_DOMAINS);
      }
      return '';
    },
    finish: (summary: RunSummary) => {
      const status = worstStatus((Object.keys(summary.byStatus) as Status[]).filter((s) => summary.byStatus[s] > 0));
      const one: DomainResult | null = summary.domains === 1 ? single : null;
      let first: string;
      let perfdata: string;
      if (one !== null) {
        first = headline(one);
        perfdata = `time=${seconds(one.durationMs)};;;0 mx=${one.mx.length} errors=${errors} warnings=${warnings}`;
        details.length = 0;
        detailsLeftOut = 0;
        for (const f of countedFindings(one)) detail(`${f.severity} ${f.rule}: ${f.message} (${f.rfc})`);
      } else {
        const tally = (['fail', 'unknown', 'warn', 'pass'] as const).filter((s) => summary.byStatus[s] > 0).map((s) => `${summary.byStatus[s]} ${s}`);
        const named = worstDomains.map(headline).join('; ');
        first = `${summary.domains} domain${summary.domains === 1 ? '' : 's'}: ${tally.join(', ') || 'none checked'}${named === '' ? '' : `; ${named}`}`;
        perfdata = `time=${seconds(summary.durationMs)};;;0 domains=${summary.domains} pass=${summary.byStatus.pass} warn=${summary.byStatus.warn} `
          + `fail=${summary.byStatus.fail} unknown=${summary.byStatus.unknown} errors=${errors} warnings=${warnings}`;
      }
      const lines = [`MXLINT ${STATE[status]} - ${text(first)} | ${perfdata}`, ...details];
      if (detailsLeftOut > 0) lines.push(`… ${detailsLeftOut} more line${detailsLeftOut === 1 ? '' : 's'} left out`);
      return `${lines.join('\n')}\n`;
    },
  };
}
