import type { Finding, Severity, Status } from '../../core/finding.js';
import type { SectionLine } from '../../core/family.js';
import { worstStatus } from '../../core/status.js';
import { counts } from '../../core/finding.js';
import { countedFindings } from '../reporter.js';
import type { DomainResult } from '../../engine/result.js';
import type { CheckFamily } from '../../families/index.js';
import { CHECK_FAMILY_NAMES, linesByFamily } from '../../families/index.js';
import { postfixLines } from '../../modes/postfix/text.js';
import { readinessLines } from '../../engine/readiness.js';
import type { ReadinessState } from '../../engine/readiness.js';
import { rules } from '../../catalog/rules.js';
import { rfcLinks } from '../rfc-links.js';
import { excerpt, formatLocation } from '../source-excerpt.js';
import type { SourceLines } from '../source-excerpt.js';
import { displayName, findingStanding, mxLine, nameServerLines, painter, SEVERITY_STATUS, STATUS_MARK, verdict } from '../text.js';
import { html } from './markup.js';
import type { Html } from './markup.js';
import { mailPathDrawing } from './mail-path.js';

/** A panel of the domain's page: a check family, what a mode adds, or findings of a rule not in the catalog. */
export type PanelName = 'readiness' | CheckFamily | 'zone' | 'authoritative' | 'postfix' | 'other';

/** Each panel's heading. */
export const PANEL_TITLES: Record<PanelName, string> = {
  readiness: 'Bulk-sender readiness', mx: 'MX', spf: 'SPF', dmarc: 'DMARC', dkim: 'DKIM', 'mta-sts': 'MTA-STS', tlsrpt: 'TLS-RPT', dnssec: 'DNSSEC', dane: 'DANE', ptr: 'Reverse DNS (PTR)',
  smtp: 'SMTP', tls: 'TLS quality', relay: 'Open relay test', dnsbl: 'Block lists (DNSBL)', bimi: 'BIMI', takeover: 'Takeover risks', authoritative: 'Name servers', postfix: 'Postfix', zone: 'Zone file', other: 'Other',
};
/** The order the panels are shown in: the readiness summary (asked for by name), the registry's, then the modes'. */
const PANEL_ORDER: readonly PanelName[] = ['readiness', ...CHECK_FAMILY_NAMES, 'authoritative', 'postfix', 'zone', 'other'];

const PANEL_OF_RULE: ReadonlyMap<string, PanelName> = new Map(rules.map((rule) => [rule.id, rule.family as PanelName]));

/** The panel a rule's findings are shown in: its family in the catalog. */
export function panelOf(rule: string): PanelName {
  return PANEL_OF_RULE.get(rule) ?? 'other';
}

/** A finding's severity in words, with a sign that reads without colour. */
export const SEVERITY_LABEL: Record<Severity, { mark: string; word: string }> = {
  error: { mark: '✗', word: 'error' },
  unknown: { mark: '?', word: 'not checked' },
  warning: { mark: '!', word: 'warning' },
  info: { mark: 'i', word: 'info' },
};

/** "✓ PASS" as markup: the sign for the eye (hidden from screen readers, which read the word). */
export function statusBadge(status: Status, detail?: string): Html {
  return html`<span class="badge mark-${status}"><span class="mark" aria-hidden="true">${STATUS_MARK[status]}</span> ${status.toUpperCase()}</span>${detail ? html` <span class="badge-detail">${detail}</span>` : ''}`;
}

interface Panel {
  name: PanelName;
  title: string;
  lines: readonly (string | SectionLine)[];
  findings: Finding[];
  /** Its verdict when not its findings' (the readiness summary has none of its own). */
  status?: Status;
}

const READINESS_STATUS: Record<ReadinessState, Status> = { met: 'pass', 'not-met': 'fail', unknown: 'unknown' };

function rfcMarkup(rfc: string): Html {
  const links = rfcLinks(rfc);
  if (links.length === 0) return html`${rfc}`;
  return html`${links.map((link, i) => html`${i > 0 ? ', ' : ''}<a href="${link.url}" rel="noopener noreferrer">${link.label}</a>`)}`;
}

function findingMarkup(finding: Finding, sources: SourceLines): Html {
  const { mark, word } = SEVERITY_LABEL[finding.severity];
  const source = finding.location && sources.line(finding.location);
  const standing = findingStanding(finding);
  return html`<li class="finding sev-${finding.severity}${counts(finding) ? '' : ' not-counted'}">${[
    html`<p class="finding-head"><span class="severity sev-${finding.severity}"><span class="mark" aria-hidden="true">${mark}</span> ${word}</span> <code class="rule">${finding.rule}</code>${finding.target ? html` <span class="target">${finding.target}</span>` : ''}${standing === undefined ? '' : html` <span class="standing">(${standing})</span>`}</p>`,
    finding.location ? html`<p class="location"><code>${formatLocation(finding.location)}</code></p>` : '',
    source !== undefined && finding.location ? html`<pre class="source"><code>${excerpt(source, finding.location).join('\n')}</code></pre>` : '',
    html`<p class="message">${finding.message}</p>`,
    html`<p class="fix"><strong>Fix:</strong> ${finding.fix}</p>`,
    html`<p class="refs">${rfcMarkup(finding.rfc)}</p>`,
  ]}</li>`;
}

function lineMarkup(line: string | SectionLine): Html {
  if (typeof line === 'string') return html`<li>${line}</li>`;
  return html`<li><span class="line-label">${line.label}</span> ${line.text}${line.note === undefined ? '' : html` <span class="note">(${line.note})</span>`}</li>`;
}

function panelMarkup(panel: Panel, id: string, sources: SourceLines): Html {
  const status = panel.status ?? worstStatus(panel.findings.filter(counts).map((f) => SEVERITY_STATUS[f.severity]));
  const count = panel.findings.length;
  return html`<section class="panel" data-panel="${panel.name}" aria-labelledby="${id}"><h3 id="${id}">${panel.title} ${statusBadge(status, count === 0 ? '' : `${count} finding${count === 1 ? '' : 's'}`)}</h3>${[
    panel.lines.length > 0 ? html`<ul class="lines">${panel.lines.map(lineMarkup)}</ul>` : '',
    count > 0 ? html`<ul class="findings">${panel.findings.map((f) => findingMarkup(f, sources))}</ul>` : '',
  ]}</section>`;
}

/** What each panel shows: the records and what was found (as the text report's lines), and its findings. */
function panels(result: DomainResult): Panel[] {
  const plain = painter(false);
  const lines = new Map<PanelName, readonly (string | SectionLine)[]>();
  for (const { family, lines: familyLines } of linesByFamily(result)) lines.set(family, familyLines);
  // The mx family shows the result's own fields (its "section" is the result's `mx` list, its lines none).
  lines.set('mx', [
    ...result.mx.map((entry) => mxLine(entry, countedFindings(result), result, plain).trim()),
    ...(result.implicit ? [`(no MX) implicit MX: ${result.canonical ?? result.domain ?? result.input} ${result.implicit.addresses.map((a) => a.address).join(', ') || 'no address'}`] : []),
  ]);
  if (result.authoritative) lines.set('authoritative', nameServerLines(result.authoritative, plain).map((l) => l.trim()));
  if (result.postfix) lines.set('postfix', postfixLines(result.postfix));
  if (result.zone) lines.set('zone', [`zone ${result.zone.origin}, read from ${result.zone.file}`]);
  if (result.readiness) lines.set('readiness', readinessLines(result.readiness));
  const findings = new Map<PanelName, Finding[]>();
  for (const finding of result.findings) {
    const panel = panelOf(finding.rule);
    findings.set(panel, [...(findings.get(panel) ?? []), finding]);
  }
  return PANEL_ORDER.filter((name) => lines.has(name) || findings.has(name))
    .map((name) => ({
      name, title: PANEL_TITLES[name], lines: lines.get(name) ?? [], findings: findings.get(name) ?? [],
      ...(name === 'readiness' && result.readiness ? { status: READINESS_STATUS[result.readiness.state] } : {}),
    }));
}

/**
 * One domain's page: its name and verdict, the drawing of its mail path, and a panel per family
 * with what was found and the findings (rule id, RFC links, fix, zone-file place). `id` is the
 * element id, unique in the report.
 */
export function domainArticle(result: DomainResult, id: string, sources: SourceLines): Html {
  const alias = result.canonical && result.canonical !== result.domain ? ` (alias of ${result.canonical})` : '';
  const from = result.zone ? `zone ${result.zone.origin}, ${result.zone.file} · ` : '';
  return html`<article class="domain" id="${id}" aria-labelledby="${id}-name">${[
    html`<header class="domain-head"><h2 id="${id}-name">${displayName(result)}${alias}</h2>`,
    html`<p class="verdict mark-${result.status}">${statusBadge(result.status, verdict(result).replace(/^[A-Z]+: /, ''))}</p>`,
    html`<p class="meta">${from}checked in ${result.durationMs} ms</p></header>`,
    // A line that is not a domain name has no mail path to draw: its finding says why.
    result.domain === null ? '' : mailPathDrawing(result, `${id}-path`),
    html`<div class="panels">${panels(result).map((panel, i) => panelMarkup(panel, `${id}-p${i}`, sources))}</div>`,
  ]}</article>`;
}
