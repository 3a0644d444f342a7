import { terminalSafeJson } from '../core/escape.js';
import type { DomainResult } from '../engine/result.js';
import type { CheckFamily } from '../families/index.js';
import { createReporter } from '../report/formats.js';
import { PANEL_TITLES } from '../report/html/domain.js';
import { html, markupText } from '../report/html/markup.js';
import { pageEnd, pagePolicy, pageStart } from '../report/html/page.js';
import { summarize } from '../report/reporter.js';

/**
 * `mxlint serve --web`: a page with a form to check a domain, and the check's report as the HTML
 * report (or its JSON). The pages are the report's frame, under the same Content-Security-Policy as
 * a header (plus no framing and forms only to this server); every value they show is escaped by
 * the report's markup.
 */

const HTML_TYPE = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** Sent with every page and JSON answer of the web page. */
export const webHeaders = (): Readonly<Record<string, string>> => ({
  'content-security-policy': `${pagePolicy()}; form-action 'self'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
});

/** The formats of /report: the HTML report (default) or the JSON result. */
export type WebFormat = 'html' | 'json';

export interface WebAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** `?format=` of /report: html when absent; null when it is anything else than html or json. */
export function webFormat(params: URLSearchParams): WebFormat | null {
  const asked = params.getAll('format');
  if (asked.length === 0) return 'html';
  return asked.length === 1 && (asked[0] === 'html' || asked[0] === 'json') ? asked[0] : null;
}

/** `GET /`: the form, every family the server runs offered, those it runs by default ticked. */
export function formPage(checks: readonly CheckFamily[]): WebAnswer {
  const body = markupText([
    pageStart('mxlint', 'Can this domain really receive mail? Its MX records and what they lead to, family by family, with the RFC and the fix for every problem.'),
    html`<section aria-labelledby="check-title"><h2 id="check-title">Check a domain</h2>
<form class="check" method="get" action="report">
<div><label for="target">Domain</label><input type="text" id="target" name="target" required maxlength="253" autocomplete="off" spellcheck="false" autocapitalize="none" placeholder="example.com"></div>
<fieldset><legend>Check families</legend>${checks.map((family) => html`<label><input type="checkbox" name="checks" value="${family}" checked> ${PANEL_TITLES[family]}</label>`)}</fieldset>
<button type="submit">Check</button>
</form>
<p>The answer is the report of <code>mxlint --format html</code>; add <code>&amp;format=json</code> to the address for its JSON. No family ticked: all of them.</p>
</section>
`,
    pageEnd(),
  ]);
  return { status: 200, body, headers: { 'content-type': HTML_TYPE, ...webHeaders() } };
}

/** A refusal (a bad target, too many checks at once, a timeout) as a page, or as JSON `{"error": …}`. */
export function refusalAnswer(status: number, reason: string, format: WebFormat, headers: Record<string, string> = {}): WebAnswer {
  if (format === 'json') return { status, body: `${terminalSafeJson(JSON.stringify({ error: reason }))}\n`, headers: { 'content-type': JSON_TYPE, ...webHeaders(), ...headers } };
  const body = markupText([
    pageStart('mxlint', `The check was not run (HTTP ${status}).`),
    html`<section aria-labelledby="refusal-title"><h2 id="refusal-title">Not checked</h2><p class="refusal" role="alert">${reason}</p><p><a href="./">Check another domain</a></p></section>\n`,
    pageEnd(),
  ]);
  return { status, body, headers: { 'content-type': HTML_TYPE, ...webHeaders(), ...headers } };
}

/** The check's report: the HTML report of this one result, as `--format html` writes it, or the JSON result. */
export function reportAnswer(result: DomainResult, format: WebFormat): WebAnswer {
  if (format === 'json') return { status: 200, body: `${terminalSafeJson(JSON.stringify(result, null, 2))}\n`, headers: { 'content-type': JSON_TYPE, ...webHeaders() } };
  const reporter = createReporter('html', { color: false, quiet: false, width: null });
  const body = reporter.start() + reporter.result(result) + reporter.finish(summarize([result], result.durationMs));
  return { status: 200, body, headers: { 'content-type': HTML_TYPE, ...webHeaders() } };
}
