import { gzipSync } from 'node:zlib';
import type { ReportOptions, Reporter, RunSummary } from '../reporter.js';
import { STATUS_MARK } from '../text.js';
import { VERSION } from '../../core/version.js';
import { domainArticle } from './domain.js';
import { SourceLines } from '../source-excerpt.js';
import { base64Data, html, jsonData, markupText } from './markup.js';
import type { Html } from './markup.js';
import { pageEnd, pageStart } from './page.js';
import { NameNumbers, ROW_STATUSES, tableRow } from './rows.js';
import type { Row } from './rows.js';
import { ChartTally } from './summary.js';

/**
 * `--format html`: one self-contained page, written as results come. The first MAX_STATIC_DETAILS
 * domains are written as they are, readable without JavaScript (one domain: that is the whole
 * page). Every domain also gets a row of the table's data, and each domain past those a page of its
 * own, gzip-compressed, both in data blocks of MAX_CHUNK_ROWS domains; the page's script draws only
 * the rows in view and unpacks a domain's page when asked for it. The summary — charts of the
 * verdicts, rules, families, exchanges and providers — and the table's frame come at the end, and
 * the stylesheet moves them to the top.
 */

/** Domains written as static pages in the report, readable without JavaScript; the others are unpacked on demand. */
export const MAX_STATIC_DETAILS = 100;
/** Domains per data block: the rows and the compressed pages a report holds in memory before writing them. */
export const MAX_CHUNK_ROWS = 500;

const STATUS_LABEL = ROW_STATUSES.map((status) => html`<label><input type="checkbox" name="status" value="${ROW_STATUSES.indexOf(status)}" checked> <span aria-hidden="true">${STATUS_MARK[status]}</span> ${status}</label>`);

const COLUMNS: readonly { key: string; title: string; numeric?: true }[] = [
  { key: 'name', title: 'Domain' }, { key: 'status', title: 'Verdict' }, { key: 'errors', title: 'Errors', numeric: true },
  { key: 'unknown', title: 'Not checked', numeric: true }, { key: 'warnings', title: 'Warnings', numeric: true },
  { key: 'exchanges', title: 'Exchanges' }, { key: 'ms', title: 'Time (ms)', numeric: true },
];

/** The table's frame: filters, header, an empty body the script fills; hidden until the script shows it. */
function tableSection(rows: number, rules: [string, number][]): Html {
  return html`<section id="domains" aria-labelledby="domains-title" hidden><h2 id="domains-title">Domains</h2>
<div class="filters" role="search" aria-label="Filter the domains">
<div><label for="filter-text">Domain or exchange contains</label><input type="search" id="filter-text" autocomplete="off" spellcheck="false"></div>
<fieldset id="filter-status"><legend>Verdict</legend>${STATUS_LABEL}</fieldset>
<div><label for="filter-rule">Rule reported</label><select id="filter-rule"><option value="">any rule, or none</option>${
  rules.map(([rule, count]) => html`<option value="${rule}">${rule} (${count.toLocaleString('en-US')})</option>`)
}</select></div></div>
<p class="table-status" id="table-status" role="status"></p>
<div class="table-scroll" id="table-scroll" tabindex="0" role="region" aria-label="Domains, scrollable">
<table class="domains" id="domains-table" aria-rowcount="${rows + 1}"><caption class="visually-hidden">The domains checked, a row each; choose one to see its page below the table</caption><thead><tr aria-rowindex="1">${
  COLUMNS.map((column) => html`<th scope="col"${column.numeric ? html` class="num"` : ''} aria-sort="none"><button type="button" data-sort="${column.key}">${column.title}</button></th>`)
}</tr></thead><tbody></tbody></table></div>
<p class="details-hint">Choose a domain to see its mail path and findings below the table.</p>
</section>
<noscript><p>The table of domains${rows > MAX_STATIC_DETAILS ? ` and the pages of the domains after the first ${MAX_STATIC_DETAILS}` : ''} need JavaScript; the summary and the pages below do not.</p></noscript>
`;
}

export function htmlReporter(options: ReportOptions): Reporter {
  const names = new NameNumbers();
  const charts = new ChartTally();
  let written = 0;
  let rows: Row[] = [];
  /** Each row's page in this block when it is not static (null when it is). */
  let pages: (string | null)[] = [];

  /** The data block of the rows since the last one, and the compressed pages of those not written out. */
  const block = (): string => {
    if (rows.length === 0) return '';
    const first = written - rows.length;
    const packed = pages.some((page) => page !== null)
      ? html`<script type="application/octet-stream" class="mxlint-pages" data-first="${first}">${base64Data(gzipSync(JSON.stringify(pages)))}</script>\n`
      : '';
    const data = html`<script type="application/json" class="mxlint-rows" data-first="${first}">${jsonData({ names: names.takeFresh(), rows })}</script>\n${packed}`;
    rows = [];
    pages = [];
    return markupText(data);
  };

  const sourceLines = new SourceLines(options.sources);
  return {
    start: () => markupText([
      pageStart('mxlint report', `mxlint ${VERSION} · written ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`),
      html`<section class="details" id="details" aria-label="Domains checked">\n`,
    ]),
    result: (result) => {
      charts.add(result);
      const index = written++;
      const page = markupText(domainArticle(result, `d-${index}`, sourceLines));
      rows.push(tableRow(result, names));
      pages.push(index < MAX_STATIC_DETAILS ? null : page);
      const out = index < MAX_STATIC_DETAILS ? `${page}\n` : '';
      return rows.length === MAX_CHUNK_ROWS ? out + block() : out;
    },
    finish: (summary: RunSummary) => {
      const rest = block();
      const bulk = summary.domains > 1;
      return rest + markupText([
        html`</section>\n`,
        bulk ? [charts.section(summary), tableSection(written, charts.rules())] : '',
        pageEnd(),
      ]);
    },
  };
}
