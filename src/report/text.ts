import { styleText } from 'node:util';
import { isIpLiteral } from '../dns/name.js';
import type { AuthoritativeSection, DomainResult, NameServerStatus } from '../engine/result.js';
import type { Finding, Severity, Status } from '../core/finding.js';
import type { MxEntry } from '../families/mx/section.js';
import type { SectionLine } from '../core/family.js';
import { familyLines } from '../families/index.js';
import { readinessLines } from '../engine/readiness.js';
import { postfixLines } from '../modes/postfix/text.js';
import { countedFindings } from './reporter.js';
import type { ReportOptions, Reporter, RunSummary } from './reporter.js';
import { excerpt, formatLocation, SourceLines } from './source-excerpt.js';
import type { SourceLocation } from '../core/finding.js';

type Style = Parameters<typeof styleText>[0];

const STATUS_STYLE: Record<Status, Style> = { pass: 'green', warn: 'yellow', fail: 'red', unknown: 'magenta' };
const SEVERITY_STYLE: Record<Severity, Style> = { error: 'red', unknown: 'magenta', warning: 'yellow', info: 'cyan' };
/** Marks that read without colour, too. */
export const STATUS_MARK: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?' };
/** The verdict a finding of each severity gives what it is about. */
export const SEVERITY_STATUS: Record<Severity, Status> = { error: 'fail', unknown: 'unknown', warning: 'warn', info: 'pass' };
const RANK: Record<Status, number> = { pass: 0, warn: 1, unknown: 2, fail: 3 };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

type Painter = (style: Style, text: string) => string;

export function painter(color: boolean): Painter {
  // The CLI has already decided (--color, NO_COLOR, TTY); styleText must not decide again from process.stdout.
  return color ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
}

/** The worst verdict among the findings about one exchange. */
export function exchangeStatus(findings: Finding[], exchange: string): Status {
  let worst: Status = 'pass';
  for (const f of findings) {
    const status = SEVERITY_STATUS[f.severity];
    if (f.target === exchange && RANK[status] > RANK[worst]) worst = status;
  }
  return worst;
}

/** An MX record's line: its exchange marked by the findings about it; `result` says what zone mode left unasked. */
export function mxLine(entry: MxEntry, findings: Finding[], result: DomainResult, paint: Painter): string {
  if (entry.exchange === '.') return `  MX ${entry.preference} .  (null MX: accepts no mail)`;
  if (!('addresses' in entry)) return `  MX ${entry.preference} ${entry.exchange}`;
  const notAsked = result.zone?.notAsked?.includes(entry.exchange) === true;
  const status = notAsked ? 'unknown' : exchangeStatus(findings, entry.exchange);
  const alias = entry.cname.length > 0 ? ` → ${entry.cname.join(' → ')}` : '';
  const addresses = isIpLiteral(entry.exchange) ? 'an address, not a host name: not looked up'
    : notAsked ? 'outside the zone files: not looked up (--offline)'
    : entry.addresses.length > 0 ? entry.addresses.map((a) => a.address).join(', ') : 'no address';
  return `  ${paint(STATUS_STYLE[status], STATUS_MARK[status])} MX ${entry.preference} ${entry.exchange}${alias}  ${paint('dim', addresses)}`;
}

const SERVER_STATUS: Record<NameServerStatus, Status> = { authoritative: 'pass', 'not-authoritative': 'fail', lame: 'fail', unreachable: 'unknown' };

/** Each name server asked, marked, with what it answered. */
export function nameServerLines(section: AuthoritativeSection, paint: Painter): string[] {
  const how = section.source === 'given' ? 'given with --ns' : 'NS set';
  return [
    `  name servers of ${section.zone} (${how}):`,
    ...section.servers.map((server) => {
      const status = SERVER_STATUS[server.status];
      const said = server.status === 'authoritative' ? `authoritative, serial ${server.serial}` : `${server.status.replace('-', ' ')}: ${server.problem}`;
      return `    ${paint(STATUS_STYLE[status], STATUS_MARK[status])} ${server.name} ${server.address ?? '(no address)'}  ${paint('dim', said)}`;
    }),
  ];
}

/** The verdict line, "FAIL: 1 error, 0 warnings, 2 not checked": what counts, then what was reported without counting (suppressed, unchanged since the baseline, absent now). */
export function verdict(result: DomainResult): string {
  const counted = countedFindings(result);
  const count = (severity: Severity): number => counted.filter((f) => f.severity === severity).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  if (count('unknown') > 0) parts.push(`${count('unknown')} not checked`);
  const suppressed = result.findings.filter((f) => f.suppressed !== undefined).length;
  const unchanged = result.findings.filter((f) => f.suppressed === undefined && f.baseline === 'unchanged').length;
  const aside = [
    ...(suppressed > 0 ? [`${suppressed} suppressed`] : []),
    ...(unchanged > 0 ? [`${unchanged} unchanged since the baseline`] : []),
    ...((result.absent?.length ?? 0) > 0 ? [`${result.absent!.length} absent since the baseline`] : []),
  ];
  return `${result.status.toUpperCase()}: ${parts.join(', ')}${aside.length > 0 ? ` (${aside.join(', ')})` : ''}`;
}

/** How a finding stands beside its severity: suppressed (and by what), or new or unchanged against the baseline; undefined for a plain one. */
export function findingStanding(f: Finding): string | undefined {
  if (f.suppressed?.by === 'comment') return `suppressed by the comment at ${formatLocation(f.suppressed.location)}${f.suppressed.reason === undefined ? '' : `: ${f.suppressed.reason}`}`;
  if (f.suppressed?.by === 'ignore') return `suppressed: ignore ${f.suppressed.entry}${f.suppressed.reason === undefined ? '' : `: ${f.suppressed.reason}`}`;
  return f.baseline;
}

function findingState(f: Finding): string {
  const standing = findingStanding(f);
  return standing === undefined ? '' : ` [${standing}]`;
}

/** Continuation lines of a finding line up under its text, after "  error   ". */
const FINDING_INDENT = ' '.repeat(10);

/** Greedy word wrap; words longer than the width stay whole. */
export function wrap(text: string, width: number | null): string[] {
  if (width === null || width < 20) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** "  LABEL text  (note)", the note dimmed; wrapped under the text at the terminal width, the note kept whole where it fits. */
function formatSectionLine({ label, text, note }: SectionLine, width: number | null, paint: Painter): string[] {
  const indent = ' '.repeat(2 + label.length + 1);
  const room = width === null ? null : width - indent.length;
  const lines = wrap(text, room);
  if (note !== undefined) {
    const noted = `(${note})`;
    const last = lines.length - 1;
    if (room === null || lines[last]!.length + 2 + noted.length <= room) lines[last] = `${lines[last]!}  ${paint('dim', noted)}`;
    else for (const l of wrap(noted, room)) lines.push(paint('dim', l));
  }
  return lines.map((l, i) => (i === 0 ? `  ${label} ${l}` : `${indent}${l}`));
}

function finding(f: Finding, options: ReportOptions, paint: Painter): string[] {
  const [first, ...rest] = wrap(`${f.rule}${findingState(f)}: ${f.message}`, options.width === null ? null : options.width - FINDING_INDENT.length);
  return [
    `  ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(7))} ${paint('bold', f.rule)}${first!.slice(f.rule.length)}`,
    ...rest.map((line) => `${FINDING_INDENT}${line}`),
    `${FINDING_INDENT}${paint('dim', f.rfc)}`,
    ...wrap(`fix: ${f.fix}`, options.width === null ? null : options.width - FINDING_INDENT.length).map((line) => `${FINDING_INDENT}${line}`),
  ];
}

/**
 * A finding in a zone file reads like a compiler's: `file:line:col: severity rule: message` on one
 * line (never wrapped, so editors and grep take it), the source line with a caret, then the RFC and the fix.
 */
function locatedFinding(f: Finding, location: SourceLocation, sourceLines: SourceLines, paint: Painter): string[] {
  const line = sourceLines.line(location);
  const head = `${paint('bold', `${formatLocation(location)}:`)} ${paint(SEVERITY_STYLE[f.severity], f.severity)} ${paint('bold', f.rule)}${findingState(f)}: ${f.message}`;
  const gutter = ' '.repeat(String(location.line).length + 2);
  const [source, caret] = line === undefined ? [] : excerpt(line, location);
  return [
    head,
    ...(source === undefined || caret === undefined ? [] : [paint('dim', source), paint(SEVERITY_STYLE[f.severity], caret)]),
    `${gutter} ${paint('dim', `= ${f.rfc}`)}`,
    `${gutter} = fix: ${f.fix}`,
  ];
}

/**
 * What this name shares with a name reported before it, one line per name reported at: the warnings
 * and errors (what could change the verdict), the rest left to --format json.
 */
function elsewhereLines(result: DomainResult, options: ReportOptions, paint: Painter): string[] {
  const worth = (result.reportedElsewhere ?? []).filter((e) => e.severity !== 'info');
  const byName = new Map<string, string[]>();
  for (const { reportedAt, rule, severity } of worth) byName.set(reportedAt, [...new Set([...(byName.get(reportedAt) ?? []), `${rule} (${severity})`])]);
  return [...byName].flatMap(([at, rules]) => wrap(`reported at ${at}, about what both share: ${rules.join(', ')}`, options.width === null ? null : options.width - 2)
    .map((text) => `  ${paint('dim', text)}`));
}

/** What the user typed, and the A-label form when it differs (IDN). */
export function displayName(result: DomainResult): string {
  return result.domain === null || result.input.toLowerCase().replace(/\.$/, '') === result.domain
    ? result.domain ?? result.input
    : `${result.input} (${result.domain})`;
}

function formatResult(result: DomainResult, options: ReportOptions, sourceLines: SourceLines): string {
  const paint = painter(options.color);
  const name = displayName(result);
  const alias = result.canonical && result.canonical !== result.domain ? ` (alias of ${result.canonical})` : '';
  const from = result.zone ? `  ${paint('dim', `(zone ${result.zone.origin}, ${result.zone.file})`)}` : '';
  const lines = [`${paint('bold', name)}${alias}  ${paint(STATUS_STYLE[result.status], `${STATUS_MARK[result.status]} ${result.status.toUpperCase()}`)}${from}`];
  if (!options.quiet) {
    for (const entry of result.mx) lines.push(mxLine(entry, countedFindings(result), result, paint));
    if (result.implicit) {
      const addresses = result.implicit.addresses.map((a) => a.address).join(', ') || 'no address';
      lines.push(`  (no MX) implicit MX: ${result.canonical ?? name} ${paint('dim', addresses)}`);
    }
    if (result.authoritative) for (const line of nameServerLines(result.authoritative, paint)) lines.push(line);
    for (const section of [...(result.postfix ? postfixLines(result.postfix) : []), ...familyLines(result)]) {
      for (const line of formatSectionLine(section, options.width, paint)) lines.push(line);
    }
  }
  // Asked for by name: shown under --quiet too.
  for (const section of result.readiness ? readinessLines(result.readiness) : []) {
    for (const line of formatSectionLine(section, options.width, paint)) lines.push(line);
  }
  const shown = options.quiet ? countedFindings(result).filter((f) => f.severity !== 'info') : result.findings;
  for (const f of shown) for (const line of f.location ? locatedFinding(f, f.location, sourceLines, paint) : finding(f, options, paint)) lines.push(line);
  for (const line of elsewhereLines(result, options, paint)) lines.push(line);
  if (!options.quiet) for (const f of result.absent ?? []) lines.push(`  ${paint('green', 'absent ')} ${paint('bold', f.rule)}${f.target === undefined ? '' : ` (${f.target})`}: ${paint('dim', 'the baseline had it, this run does not')}`);
  lines.push(`  ${paint(STATUS_STYLE[result.status], verdict(result))}`);
  return `${lines.join('\n')}\n\n`;
}

function formatSummary(summary: RunSummary, color: boolean): string {
  const paint = painter(color);
  const statuses = (['pass', 'warn', 'fail', 'unknown'] as const)
    .filter((s) => summary.byStatus[s] > 0)
    .map((s) => paint(STATUS_STYLE[s], `${summary.byStatus[s]} ${s}`));
  const rules = Object.entries(summary.byRule).sort(([, a], [, b]) => b - a).map(([rule, n]) => `${rule} ${n}`);
  return `${plural(summary.domains, 'domain')} checked in ${(summary.durationMs / 1000).toFixed(1)} s: ${statuses.join(', ') || 'none'}\n`
    + (rules.length > 0 ? `domains per rule: ${rules.join(', ')}\n` : '');
}

/**
 * A tree per domain — MX records with their addresses and marks, what each family found, findings
 * with RFCs, a verdict — then a summary.
 */
export function textReporter(options: ReportOptions): Reporter {
  const sourceLines = new SourceLines(options.sources);
  return {
    start: () => '',
    result: (result) => formatResult(result, options, sourceLines),
    finish: (summary) => (summary.domains > 1 ? formatSummary(summary, options.color) : ''),
  };
}
