/**
 * The benchmark's HTML step: `mxlint -f LIST --checks mx --format html` over the first N domains of
 * a generated world (each size in `sizes`), the file's size, and for each file headless Chromium
 * opening it (until its table is drawn) and filtering it (a text filter, then a rule filter, each
 * until the rows are drawn again). The target: 10,000 domains open and filter within 2 s.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildZoneSet } from '../test/support/bulk-zones.js';
import { launchChromium, pageUntil, watchedPage } from '../test/support/browser.js';
import { findOnPath } from '../test/support/e2e.js';
import { measure } from '../test/support/measure.js';
import { startAuthoritative } from './authoritative.js';
import { median } from './report.js';

export interface HtmlRun {
  domains: number;
  /** Writing the report: mxlint's run, checks included. */
  seconds: number;
  peakRssMb: number;
  bytes: number;
  /** Median over the rounds, in Chromium: from asking for the file until its table is drawn. */
  openMs: number | null;
  /** Median: a text filter and a rule filter, each until the table is drawn again. */
  filterMs: number | null;
  /** Requests the page made to anything but its own file (must be none). */
  strayRequests: number | null;
}

/** The text and rule filters, timed in the page: input, then two animation frames (the redraw is in the first). */
const FILTER_IN_PAGE = `(async () => {
  const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const started = performance.now();
  const text = document.getElementById('filter-text');
  text.value = 'shop-42';
  text.dispatchEvent(new Event('input'));
  await frames();
  const rule = document.getElementById('filter-rule');
  rule.value = 'mx-target-cname';
  rule.dispatchEvent(new Event('change'));
  await frames();
  const elapsed = performance.now() - started;
  const shown = document.getElementById('table-status').textContent;
  text.value = '';
  rule.value = '';
  rule.dispatchEvent(new Event('change'));
  return { elapsed, shown };
})()`;

async function timeInBrowser(file: string, domains: number, rounds: number): Promise<Pick<HtmlRun, 'openMs' | 'filterMs' | 'strayRequests'>> {
  const chromium = await launchChromium();
  try {
    const open: number[] = [];
    const filter: number[] = [];
    let stray = 0;
    const url = pathToFileURL(file).href;
    for (let round = 0; round < rounds; round++) {
      const { page, strayRequests } = await watchedPage(chromium.browser, (asked) => asked === url);
      const started = performance.now();
      await page.goto(url, { waitUntil: 'load', timeout: 600_000 });
      const all = domains.toLocaleString('en-US');
      await pageUntil(page, 'the table', `document.getElementById('table-status')?.textContent === '${all} of ${all} domains shown'`, 600_000);
      open.push(performance.now() - started);
      const filtered = await page.evaluate(FILTER_IN_PAGE) as { elapsed: number; shown: string };
      if (!/ of /.test(filtered.shown)) throw new Error(`the filters did not apply: ${filtered.shown}`);
      filter.push(filtered.elapsed);
      stray += strayRequests.length;
      await page.close();
    }
    return { openMs: median(open), filterMs: median(filter), strayRequests: stray };
  } finally {
    await chromium.close();
  }
}

/** Each size, the report written and, when Chromium is installed, opened and filtered `rounds` times. */
export async function benchHtmlReport(cli: string, dir: string, sizes: number[], rounds: number, log: (text: string) => void): Promise<HtmlRun[]> {
  const world = buildZoneSet(Math.max(...sizes));
  const server = await startAuthoritative(world.zones);
  const browser = findOnPath('chromium') !== undefined;
  if (!browser) log('chromium not installed: HTML reports are written and measured, not opened');
  const runs: HtmlRun[] = [];
  try {
    for (const domains of sizes) {
      const list = join(dir, `html-${domains}.txt`);
      writeFileSync(list, `${world.domains.slice(0, domains).join('\n')}\n`);
      const run = await measure(cli, ['--server', server.server, '-f', list, '--checks', 'mx', '--format', 'html', '--no-progress'], { keepStdout: true });
      if (run.exitCode !== 2) throw new Error(`mxlint --format html exited with ${run.exitCode}:\n${run.stderr}`);
      const file = join(dir, `report-${domains}.html`);
      writeFileSync(file, run.stdout);
      const bytes = Buffer.byteLength(run.stdout);
      const timed = browser ? await timeInBrowser(file, domains, rounds) : { openMs: null, filterMs: null, strayRequests: null };
      runs.push({ domains, seconds: run.seconds, peakRssMb: run.peakRssMb, bytes, ...timed });
      log(`html: ${domains} domains, ${(bytes / 1e6).toFixed(1)} MB, peak RSS ${Math.round(run.peakRssMb)} MB`
        + (timed.openMs === null ? '' : `, opens in ${Math.round(timed.openMs)} ms, filters in ${Math.round(timed.filterMs!)} ms`));
    }
  } finally {
    await server.stop();
  }
  return runs;
}
