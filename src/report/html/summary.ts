import type { Severity, Status } from '../../core/finding.js';
import { isIpLiteral } from '../../dns/name.js';
import type { DomainResult } from '../../engine/result.js';
import { organizationalDomain } from '../../facts/organizational-domain.js';
import { compareSeverities } from '../../core/finding.js';
import { countedFindings } from '../reporter.js';
import type { RunSummary } from '../reporter.js';
import { STATUS_MARK } from '../text.js';
import { barChart } from './charts.js';
import type { Bar, BarKind } from './charts.js';
import { panelOf, PANEL_TITLES, SEVERITY_LABEL } from './domain.js';
import type { PanelName } from './domain.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

/**
 * Distinct exchange (and provider) names counted for the charts of the most used ones. Past it the
 * names seen least are dropped, half of them at a time: the names many domains share stay and
 * are counted exactly, the tail is not, and the chart says its counts are approximate.
 */
export const MAX_COUNTED_NAMES = 10_000;

const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'unknown'];
const SEVERITIES: readonly Severity[] = ['error', 'unknown', 'warning', 'info'];

/** Counts names as they come, in bounded memory; the most counted are exact unless `approximate`. */
class NameCounter {
  private readonly counts = new Map<string, number>();
  approximate = false;

  add(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    if (this.counts.size > MAX_COUNTED_NAMES) this.prune();
  }

  private prune(): void {
    const sorted = [...this.counts.values()].sort((a, b) => a - b);
    const threshold = sorted[Math.floor(sorted.length / 2)]!;
    for (const [name, count] of this.counts) if (count <= threshold) this.counts.delete(name);
    this.approximate = true;
  }

  top(n: number): [string, number][] {
    return [...this.counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, n);
  }
}

type SeverityCounts = Record<Severity, number>;

const noSeverities = (): SeverityCounts => ({ error: 0, unknown: 0, warning: 0, info: 0 });

const SEVERITY_KIND: Record<Severity, BarKind> = { error: 'fail', unknown: 'unknown', warning: 'warn', info: 'info' };

function severityBar(label: string, counts: SeverityCounts): Bar {
  return { label, parts: SEVERITIES.map((severity) => ({ kind: SEVERITY_KIND[severity], value: counts[severity], word: SEVERITY_LABEL[severity].word })) };
}

const total = (counts: SeverityCounts): number => SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);

/** What the summary charts of a run need, gathered as results stream past: bounded whatever the run's length. */
export class ChartTally {
  /** Domains each rule was reported for, by the severity of its findings there. */
  private readonly byRule = new Map<string, SeverityCounts>();
  /** Domains with findings in each panel (family), by the worst of them. */
  private readonly byPanel = new Map<PanelName, SeverityCounts>();
  private readonly exchanges = new NameCounter();
  private readonly providers = new NameCounter();

  add(result: DomainResult): void {
    const worstInPanel = new Map<PanelName, Severity>();
    for (const key of new Set(countedFindings(result).map((f) => `${f.rule} ${f.severity}`))) {
      const [rule, severity] = key.split(' ') as [string, Severity];
      const counts = this.byRule.get(rule) ?? noSeverities();
      counts[severity]++;
      this.byRule.set(rule, counts);
      const panel = panelOf(rule);
      const worst = worstInPanel.get(panel);
      if (worst === undefined || compareSeverities(severity, worst) < 0) worstInPanel.set(panel, severity);
    }
    for (const [panel, severity] of worstInPanel) {
      const counts = this.byPanel.get(panel) ?? noSeverities();
      counts[severity]++;
      this.byPanel.set(panel, counts);
    }
    const exchanges = new Set(result.mx.map((entry) => entry.exchange).filter((exchange) => exchange !== '.'));
    for (const exchange of exchanges) this.exchanges.add(exchange);
    const providers = new Set([...exchanges].map((exchange) => (isIpLiteral(exchange) ? exchange : organizationalDomain(exchange) ?? exchange)));
    for (const provider of providers) this.providers.add(provider);
  }

  /** Rule ids by the number of domains they were reported for, most first: the table's rule filter. */
  rules(): [string, number][] {
    return [...this.byRule].map(([rule, counts]): [string, number] => [rule, total(counts)]).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  }

  /** The summary: the run in one sentence, then the charts. */
  section(summary: RunSummary): Html {
    const domains = summary.domains;
    const percent = (n: number): string => `${domains === 0 ? 0 : Math.round((n / domains) * 100)}%`;
    const verdicts: Bar[] = STATUSES.map((status) => ({
      label: `${STATUS_MARK[status]} ${status} (${percent(summary.byStatus[status])})`,
      parts: [{ kind: status, value: summary.byStatus[status], word: '' }],
    }));
    const rules = [...this.byRule].sort(([a, x], [b, y]) => total(y) - total(x) || (a < b ? -1 : 1)).map(([rule, counts]) => severityBar(rule, counts));
    const panels = [...this.byPanel].sort(([, x], [, y]) => total(y) - total(x)).map(([panel, counts]) => severityBar(PANEL_TITLES[panel], counts));
    const names = (counter: NameCounter): Bar[] => counter.top(10).map(([name, count]) => ({ label: name, parts: [{ kind: 'none', value: count, word: '' }] }));
    const approximate = (counter: NameCounter): string => (counter.approximate ? `(approximate: more than ${MAX_COUNTED_NAMES.toLocaleString('en-US')} names)` : '');
    const sentence = `${domains.toLocaleString('en-US')} domain${domains === 1 ? '' : 's'} checked in ${(summary.durationMs / 1000).toFixed(1)} s: `
      + STATUSES.filter((status) => summary.byStatus[status] > 0).map((status) => `${summary.byStatus[status].toLocaleString('en-US')} ${status}`).join(', ');
    return html`<section id="summary" aria-labelledby="summary-title"><h2 id="summary-title">Summary</h2><p>${sentence}</p><div class="charts">${[
      barChart('Verdicts', verdicts, '(domains)'),
      barChart('Findings by rule and severity', rules, '(domains)'),
      barChart('Findings by family', panels, '(domains, by their worst finding there)'),
      barChart('Most-used exchanges', names(this.exchanges), `(domains) ${approximate(this.exchanges)}`),
      barChart('Most-used providers', names(this.providers), `(domains; organizational domain of the exchanges) ${approximate(this.providers)}`),
    ]}</div></section>`;
  }
}
