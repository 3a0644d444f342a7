/**
 * The HTML report and `mxlint serve --web` in a real browser: headless Chromium (Debian's package)
 * driven by puppeteer-core, every request a page makes intercepted. The demo domains' report (the
 * summary, the table and a filter that narrows it, by mouse and keyboard, a domain's verdict, its
 * mail-path drawing and an RFC link; without JavaScript, the pages as written), a 10,000-domain run
 * against NSD (rows drawn only in view, filters, a domain's page unpacked on demand), a TXT record
 * and an exchange name holding markup that show as text (on their own, and in a list: in the
 * table, the charts and a page unpacked on demand, beside a list line that is markup), and the web
 * page: the form submitted, the report it gives, a 400 for a bad target. No page asks any other host, and none trips its Content-Security-Policy.
 * Screenshots and pages go to test-output/ (not committed).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { buildZoneSet } from '../support/bulk-zones.js';
import { accessibilityViolations, launchChromium, outputPath, pageUntil, watchedPage } from '../support/browser.js';
import type { Chromium, WatchedPage } from '../support/browser.js';
import { CLI_PATH, e2eGate, REPO_ROOT, runCli } from '../support/e2e.js';
import { startNsd } from '../support/nsd.js';
import type { NsdServer } from '../support/nsd.js';
import { freePort } from '../support/ports.js';
import { MAX_STATIC_DETAILS } from '../../src/report/html/reporter.js';
import type { Status } from '../../src/core/finding.js';
import { STATUS_MARK } from '../../src/report/text.js';
import type { DomainResult } from '../../src/engine/result.js';

const BULK_DOMAINS = 10_000;
const RUN_TIMEOUT_MS = 180_000;
const DEMO = join(REPO_ROOT, 'dist', 'src', 'demo', 'main.js');

/** What the hostile domain's records hold: markup that would run if it were not escaped. */
const HOSTILE_SPF = `v=spf1 <script>document.title='pwned'</script><img src=x onerror=alert(1)> -all`;
/** An exchange whose name is markup (any byte may stand in a DNS label), as a zone file spells it. */
const HOSTILE_EXCHANGE_IN_ZONE = '\\<img\\ src\\=x\\ onerror\\=alert\\(3\\)\\>.hostile.bench.';
/** That exchange as mxlint shows it. */
const HOSTILE_EXCHANGE = '<img src=x onerror=alert(3)>.hostile.bench';
/** A line of a domain list that is markup, not a domain name. */
const HOSTILE_LINE = '<img src=y onerror=alert(4)>';
const HOSTILE_ZONE = `$ORIGIN hostile.bench.
$TTL 300
@      SOA  ns1 hostmaster 1 3600 600 86400 300
@      NS   ns1
ns1    A    185.53.0.1
@      MX   10 mail
@      MX   20 ${HOSTILE_EXCHANGE_IN_ZONE}
mail   A    185.199.108.25
@      TXT  "${HOSTILE_SPF}"
_dmarc TXT  "v=DMARC1; p=reject; rua=mailto:</script><svg onload=alert(2)>@hostile.bench"
`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function runDemo(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`demo exited with ${code}: ${stderr}`))));
  });
}

/** A page the test wrote, and only that file, allowed to load. */
async function openFile(chromium: Chromium, file: string, options: { javaScript?: boolean } = {}): Promise<WatchedPage> {
  const url = pathToFileURL(file).href;
  const watched = await watchedPage(chromium.browser, (asked) => asked === url, options);
  await watched.page.goto(url, { waitUntil: 'load' });
  return watched;
}

/** The expression that holds when the table's status line says `shown`. */
const statusIs = (shown: string): string => `document.getElementById('table-status')?.textContent === ${JSON.stringify(shown)}`;
const text = (page: Page, selector: string): Promise<string> => page.$eval(selector, (element) => element.textContent ?? '');
const visibleRows = (page: Page): Promise<string[]> => page.$$eval('#domains-table tbody tr:not(.spacer) button.open', (buttons) => buttons.map((b) => b.textContent ?? ''));

/** Types into the text filter, then lets two frames pass: the table is redrawn for the whole text, not a prefix of it. */
async function setFilterText(page: Page, value: string): Promise<void> {
  await page.$eval('#filter-text', (input) => { (input as unknown as { value: string }).value = ''; });
  await page.focus('#filter-text');
  await page.keyboard.type(value);
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** Opens a domain's page from the table (the row's button) and waits until it shows. */
async function openDomain(page: Page, name: string): Promise<void> {
  await setFilterText(page, name);
  await pageUntil(page, `${name} in the table`, "document.querySelectorAll('#domains-table button.open').length === 1");
  await page.click('#domains-table button.open');
  await pageUntil(page, `the page of ${name}`, `document.querySelector('.domain.open h2')?.textContent === ${JSON.stringify(name)}`, 10_000);
}

/** What the open page's mail-path drawing shows: each node's kind, mark and tooltip. */
function drawnNodes(page: Page): Promise<{ kind: string; mark: string; title: string; shown: boolean }[]> {
  return page.$$eval('.domain.open .mail-path g.node', (nodes) => nodes.map((node) => ({
    kind: node.getAttribute('data-kind') ?? '',
    mark: [...node.classList].find((c) => c.startsWith('mark-'))?.slice(5) ?? '',
    title: node.querySelector('title')?.textContent ?? '',
    shown: node.getBoundingClientRect().width > 0,
  })));
}

const gate = e2eGate('chromium');

describe('the HTML report in Chromium', gate, () => {
  let chromium: Chromium;
  before(async () => { chromium = await launchChromium(); });
  after(async () => { await chromium?.close(); });

  describe('the demo domains (npm run demo -- --format html)', () => {
    let file: string;
    /** The demo's verdicts as its JSON gives them (test/e2e/examples.test.ts holds them to the examples). */
    let verdicts: Status[];
    /** "N of ALL domains shown". */
    const shownOf = (n: number): string => `${n} of ${verdicts.length} domains shown`;
    before(async () => {
      file = outputPath('html', 'demo.html');
      writeFileSync(file, await runDemo(['--format', 'html']));
      verdicts = (JSON.parse(await runDemo(['--format', 'json'])) as DomainResult[]).map((result) => result.status);
    });

    it('the summary and the table of the demo domains; a filter narrows it, by mouse and by keyboard', async () => {
      const { page, strayRequests, complaints } = await openFile(chromium, file);
      await pageUntil(page, 'the table', statusIs(shownOf(verdicts.length)));
      const counted = (['pass', 'warn', 'fail', 'unknown'] as const).map((status) => [status, verdicts.filter((v) => v === status).length] as const).filter(([, n]) => n > 0);
      assert.match(await text(page, '#summary'), new RegExp(`${verdicts.length} domains checked in [\\d.]+ s: ${counted.map(([status, n]) => `${n} ${status}`).join(', ')}`));
      assert.equal((await visibleRows(page)).length, verdicts.length);
      await setFilterText(page, 'spf-');
      await pageUntil(page, 'the text filter', statusIs(shownOf(6)));
      assert.deepEqual((await visibleRows(page)).sort(), ['spf-all', 'spf-include', 'spf-lookups', 'spf-ptr', 'spf-syntax', 'spf-twice'].map((d) => `${d}.mistakes.example`));
      await setFilterText(page, '');
      await page.select('#filter-rule', 'mx-target-cname');
      await pageUntil(page, 'the rule filter', statusIs(shownOf(1)));
      assert.deepEqual(await visibleRows(page), ['cname.mistakes.example']);
      await page.select('#filter-rule', '');
      // The keyboard alone: from the text field, Tab to the first verdict box (pass), Space unticks it.
      await page.focus('#filter-text');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate('document.activeElement.value'), '0', 'Tab reaches the "pass" box');
      await page.keyboard.press('Space');
      await pageUntil(page, 'the verdict filter', statusIs(shownOf(verdicts.filter((v) => v !== 'pass').length)));
      await page.keyboard.press('Space');
      await pageUntil(page, 'all verdicts again', statusIs(shownOf(verdicts.length)));
      // Sorting by verdict, twice: worst first.
      await page.click('button[data-sort="status"]');
      await page.click('button[data-sort="status"]');
      assert.match(await text(page, '#domains-table tbody tr:not(.spacer) .badge'), /✗ FAIL/);
      assert.equal(await page.$eval('button[data-sort="status"]', (b) => b.parentElement!.getAttribute('aria-sort')), 'descending');
      await page.screenshot({ path: outputPath('screenshots', 'demo-bulk.png'), fullPage: true });
      assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2.1 AA: the summary, the table and the page shown');
      assert.deepEqual(strayRequests, []);
      assert.deepEqual(complaints, []);
      await page.close();
    });

    it("a domain's page: the verdict in a sign and a word, the mail path drawn with the alias marked, an RFC link", async () => {
      const { page, strayRequests, complaints } = await openFile(chromium, file);
      await openDomain(page, 'cname.mistakes.example');
      assert.match(await text(page, '.domain.open .verdict'), /^✗ FAIL 1 error, 0 warnings$/);
      const nodes = await drawnNodes(page);
      assert.ok(nodes.every((node) => node.shown), 'every node is drawn');
      assert.deepEqual(nodes.map((n) => n.kind), ['domain', 'mx', 'exchange', 'alias', 'address', 'address']);
      assert.equal(nodes[0]!.title, 'cname.mistakes.example (fail)');
      assert.equal(nodes[2]!.title, 'smtp.cname.mistakes.example (fail · CNAME, an alias)');
      assert.equal(nodes[2]!.mark, 'fail');
      assert.equal(nodes[3]!.title, 'mail.mistakes.example (canonical name, via 1 CNAME)');
      const link = await page.$eval('.domain.open .finding.sev-error a', (a) => ({ href: a.getAttribute('href'), text: a.textContent, shown: a.getBoundingClientRect().height > 0 }));
      assert.deepEqual(link, { href: 'https://www.rfc-editor.org/rfc/rfc2181#section-10.3', text: 'RFC 2181 §10.3', shown: true });
      assert.match(await text(page, '.domain.open .finding.sev-error'), /✗ error mx-target-cname/);
      assert.equal(new URL(page.url()).hash, await page.$eval('.domain.open', (a) => `#${a.id}`), 'the address names the page shown');
      await (await page.$('.domain.open'))!.screenshot({ path: outputPath('screenshots', 'demo-domain.png') });
      assert.deepEqual(await accessibilityViolations(page, '.domain.open'), [], "WCAG 2.1 AA: a domain's page with its findings");
      await openDomain(page, 'nullmx.example');
      assert.equal(await text(page, '#domains-table tr[aria-current="true"] td.exchanges'), 'null MX "."', "the row of the page shown is marked, a null MX in words");
      const nullMx = (await drawnNodes(page)).find((n) => n.kind === 'exchange');
      assert.equal(nullMx?.mark, 'null');
      assert.match(nullMx?.title ?? '', /null MX "\." \(accepts no mail/);
      assert.deepEqual(strayRequests, []);
      assert.deepEqual(complaints, []);
      await page.close();
    });

    it('without JavaScript: the summary and every domain\'s page as written; the table, which needs the script, hidden', async () => {
      const { page, strayRequests } = await openFile(chromium, file, { javaScript: false });
      assert.equal(await page.$$eval('article.domain', (pages) => pages.filter((a) => a.getBoundingClientRect().height > 0).length), verdicts.length);
      assert.equal(await page.$eval('#domains', (section) => section.getBoundingClientRect().height), 0);
      assert.match(await text(page, '#summary'), new RegExp(`${verdicts.length} domains checked`));
      assert.ok(await page.$eval('#summary', (s) => s.getBoundingClientRect().top) < await page.$eval('article.domain', (a) => a.getBoundingClientRect().top), 'the summary first');
      const badges = await page.$$eval('article.domain .verdict .badge', (found) => found.map((badge) => badge.textContent ?? ''));
      assert.deepEqual(badges.sort(), verdicts.map((v) => `${STATUS_MARK[v]} ${v.toUpperCase()}`).sort(), 'each verdict in a sign and a word');
      assert.deepEqual(strayRequests, []);
      await page.close();
    });
  });

  describe(`${BULK_DOMAINS.toLocaleString('en-US')} domains and a hostile record, from NSD`, e2eGate('nsd'), () => {
    let nsd: NsdServer;
    let bulkDomains: string[];
    let bulkFile: string;
    let hostileFile: string;
    before(async () => {
      const world = buildZoneSet(BULK_DOMAINS);
      bulkDomains = world.domains;
      nsd = await startNsd({ zones: { ...world.zones, 'hostile.bench': HOSTILE_ZONE }, checkZones: false, startTimeoutMs: 60_000 });
      const list = outputPath('html', 'domains-10000.txt');
      writeFileSync(list, `${world.domains.join('\n')}\n`);
      const bulk = await runCli(['--server', nsd.server, '--checks', 'mx', '-f', list, '--format', 'html', '--no-progress'], { timeoutMs: RUN_TIMEOUT_MS });
      assert.equal(bulk.code, 2, bulk.stderr);
      bulkFile = outputPath('html', 'bulk-10000.html');
      writeFileSync(bulkFile, bulk.stdout);
      const hostile = await runCli(['--server', nsd.server, '--checks', 'mx,spf,dmarc', 'hostile.bench', '--format', 'html']);
      hostileFile = outputPath('html', 'hostile.html');
      writeFileSync(hostileFile, hostile.stdout);
    });
    after(async () => { await nsd?.stop(); });

    it('the table draws only the rows in view; scrolled to the end, the last; filters narrow it', async () => {
      const { page, strayRequests, complaints } = await openFile(chromium, bulkFile);
      await pageUntil(page, 'the table', statusIs('10,000 of 10,000 domains shown'));
      const drawn = (await visibleRows(page)).length;
      assert.ok(drawn > 0 && drawn < 200, `${drawn} rows drawn of 10,000`);
      await page.$eval('#table-scroll', (scroller) => { scroller.scrollTop = scroller.scrollHeight; });
      await pageUntil(page, 'the last row', `document.querySelector('#domains-table tr[aria-rowindex="10001"]') !== null`);
      assert.ok((await visibleRows(page)).length < 200);
      await setFilterText(page, 'shop-4242.');
      await pageUntil(page, 'the text filter', statusIs('1 of 10,000 domains shown'));
      assert.deepEqual(await visibleRows(page), ['shop-4242.c02.bench']);
      await setFilterText(page, '');
      const option = await page.$eval('#filter-rule option[value="mx-target-cname"]', (o) => o.textContent ?? '');
      const expected = Number(/\((\d+)\)$/.exec(option)?.[1]);
      assert.ok(expected > 0, option);
      await page.select('#filter-rule', 'mx-target-cname');
      await pageUntil(page, 'the rule filter', statusIs(`${expected} of 10,000 domains shown`));
      const drawnNow = (await visibleRows(page)).length;
      assert.ok(drawnNow > 0 && drawnNow <= expected, `${drawnNow} rows drawn of ${expected}`);
      assert.equal(await page.$eval('#domains-table', (table) => table.getAttribute('aria-rowcount')), String(expected + 1));
      await page.select('#filter-rule', '');
      await pageUntil(page, 'all rows again', statusIs('10,000 of 10,000 domains shown'));
      // The top of the page, tall enough for the charts and the start of the table.
      await page.setViewport({ width: 1280, height: 1500 });
      await page.evaluate('document.activeElement.blur(); window.scrollTo(0, 0)');
      await page.screenshot({ path: outputPath('screenshots', 'bulk-10000.png') });
      assert.deepEqual(strayRequests, []);
      assert.deepEqual(complaints, []);
      await page.close();
    });

    it(`a domain past the first ${MAX_STATIC_DETAILS}: its page unpacked when chosen, with its findings`, async () => {
      const { page, strayRequests, complaints } = await openFile(chromium, bulkFile);
      await pageUntil(page, 'the table', statusIs('10,000 of 10,000 domains shown'));
      assert.equal(await page.$$eval('article.domain', (pages) => pages.length), MAX_STATIC_DETAILS, 'only the first pages are in the document');
      await page.select('#filter-rule', 'mx-target-cname');
      await page.click('button[data-sort="name"]');
      await page.click('button[data-sort="name"]');
      await pageUntil(page, 'the filtered rows', "document.querySelectorAll('#domains-table button.open').length > 0");
      const late = await page.$$eval('#domains-table tbody tr[data-index]', (rows) => rows.map((r) => ({ index: Number(r.getAttribute('data-index')), name: r.querySelector('button')!.textContent! })).find((r) => r.index >= 100));
      assert.ok(late, 'a domain checked after the first 100 has this finding');
      await page.click(`#domains-table tr[data-index="${late.index}"] button.open`);
      await pageUntil(page, `the page of ${late.name}`, `document.querySelector('.domain.open h2')?.textContent === ${JSON.stringify(late.name)}`, 10_000);
      assert.equal(await page.$eval('.domain.open', (a) => a.id), `d-${late.index}`);
      assert.match(await text(page, '.domain.open'), /mx-target-cname/);
      const nodes = await drawnNodes(page);
      assert.ok(nodes.some((n) => n.kind === 'exchange' && n.mark === 'fail' && /CNAME, an alias/.test(n.title)) && nodes.some((n) => n.kind === 'alias'));
      assert.deepEqual(strayRequests, []);
      assert.deepEqual(complaints, []);
      await page.close();
    });

    it('a TXT record holding <script> and an event handler: shown as text, nothing runs', async () => {
      const { page, strayRequests, complaints } = await openFile(chromium, hostileFile);
      assert.equal(await page.title(), 'mxlint report');
      assert.match(await text(page, '.panel[data-panel="spf"]'), new RegExp(escapeRegExp(HOSTILE_SPF)));
      assert.match(await text(page, '.panel[data-panel="dmarc"]'), /rua=mailto:<\/script><svg onload=alert\(2\)>@hostile\.bench/);
      assert.equal(await page.$$eval('img', (images) => images.length), 0);
      assert.equal(await page.$$eval('.domain svg[onload], .domain [onerror]', (found) => found.length), 0);
      const scripts = await page.$$eval('script', (all) => all.map((s) => s.getAttribute('type') ?? 'code'));
      assert.deepEqual(scripts.filter((type) => type === 'code'), ['code'], 'one script runs: ours');
      assert.deepEqual(scripts.filter((type) => type !== 'code' && type !== 'application/json' && type !== 'application/octet-stream'), []);
      await (await page.$('article.domain'))!.screenshot({ path: outputPath('screenshots', 'hostile.png') });
      assert.deepEqual(strayRequests, []);
      assert.deepEqual(complaints, []);
      await page.close();
    });

    it(`hostile data in a list: the table, the charts and a page unpacked past the first ${MAX_STATIC_DETAILS} show it as text`, async () => {
      // One domain at a time, so the results come in the list's order: hostile.bench and the line
      // after it land past the static pages, in a packed block the page's script unpacks.
      const list = outputPath('html', 'hostile-list.txt');
      writeFileSync(list, `${[...bulkDomains.slice(0, MAX_STATIC_DETAILS + 10), 'hostile.bench', HOSTILE_LINE].join('\n')}\n`);
      const run = await runCli(['--server', nsd.server, '--checks', 'mx,spf,dmarc', '--concurrency', '1', '-f', list, '--format', 'html', '--no-progress'], { timeoutMs: RUN_TIMEOUT_MS });
      const file = outputPath('html', 'hostile-list.html');
      writeFileSync(file, run.stdout);
      const { page, strayRequests, complaints } = await openFile(chromium, file);
      const total = MAX_STATIC_DETAILS + 12;
      await pageUntil(page, 'the table', statusIs(`${total} of ${total} domains shown`));
      assert.match(await text(page, '#summary'), new RegExp(`${escapeRegExp(HOSTILE_EXCHANGE)}: 1`), 'the exchange in the chart of the most used');
      await setFilterText(page, 'onerror');
      await pageUntil(page, 'the text filter', statusIs(`2 of ${total} domains shown`));
      assert.deepEqual(await visibleRows(page), ['hostile.bench', HOSTILE_LINE]);
      assert.match(await text(page, '#domains-table tbody tr[data-index] td.exchanges'), new RegExp(`^mail\\.hostile\\.bench, ${escapeRegExp(HOSTILE_EXCHANGE)}$`));
      await page.click('#domains-table tbody tr[data-index] button.open');
      await pageUntil(page, 'the page of hostile.bench', "document.querySelector('.domain.open h2')?.textContent === 'hostile.bench'", 10_000);
      assert.equal(await page.$eval('.domain.open', (a) => a.id), `d-${MAX_STATIC_DETAILS + 10}`, 'a page unpacked from its block');
      assert.match(await text(page, '.domain.open .panel[data-panel="spf"]'), new RegExp(escapeRegExp(HOSTILE_SPF)));
      assert.ok((await drawnNodes(page)).some((n) => n.kind === 'exchange' && n.title.startsWith(`${HOSTILE_EXCHANGE} (`)), 'the exchange drawn, its name as text');
      const [, line] = await page.$$('#domains-table tbody tr[data-index] button.open');
      await line!.click();
      await pageUntil(page, 'the page of the list line', `document.querySelector('.domain.open h2')?.textContent === ${JSON.stringify(HOSTILE_LINE)}`, 10_000);
      assert.match(await text(page, '.domain.open .finding'), /domain-invalid/);
      assert.equal(await page.$('.domain.open .mail-path'), null, 'no mail path drawn for what is not a domain name');
      await (await page.$('.domain.open'))!.screenshot({ path: outputPath('screenshots', 'hostile-list.png') });
      assert.equal(await page.title(), 'mxlint report');
      assert.equal(await page.$$eval('img, .domain svg[onload], .domain [onerror]', (found) => found.length), 0);
      assert.deepEqual(await page.$$eval('script:not([type])', (all) => all.length), 1, 'one script runs: ours');
      assert.deepEqual(strayRequests, []);
      assert.deepEqual(complaints, []);
      await page.close();
    });

    describe('mxlint serve --web', () => {
      let server: ChildProcess;
      let origin: string;
      before(async () => {
        const port = await freePort();
        origin = `http://127.0.0.1:${port}`;
        server = spawn(process.execPath, [CLI_PATH, 'serve', '--web', '--listen', `127.0.0.1:${port}`, '--server', nsd.server, '--checks', 'mx,spf,dmarc', '--allow', 'bench'],
          { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        const deadline = Date.now() + 10_000;
        while (!stderr.includes('listening on')) {
          if (server.exitCode !== null || Date.now() > deadline) throw new Error(`mxlint serve did not start: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      after(async () => {
        server?.kill('SIGKILL');
        if (server && server.exitCode === null) await new Promise((resolve) => server.once('close', resolve));
      });
      const sameOrigin = (url: string): boolean => url.startsWith(`${origin}/`);

      it('the form, submitted: the report of the domain, its record as text, under the page policy', async () => {
        const { page, strayRequests, complaints } = await watchedPage(chromium.browser, sameOrigin);
        const form = await page.goto(`${origin}/`, { waitUntil: 'load' });
        assert.equal(form?.status(), 200);
        assert.match(form?.headers()['content-security-policy'] ?? '', /^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'$/);
        await page.type('#target', 'hostile.bench');
        await page.click('input[name="checks"][value="dmarc"]');
        await page.screenshot({ path: outputPath('screenshots', 'serve-form.png') });
        assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2.1 AA: the form');
        const [answer] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.check button[type="submit"]')]);
        assert.equal(answer?.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/report');
        assert.equal(new URL(page.url()).search, '?target=hostile.bench&checks=mx&checks=spf');
        assert.equal(await text(page, 'article.domain h2'), 'hostile.bench');
        assert.match(await text(page, 'article.domain .verdict'), /^✗ FAIL/);
        assert.match(await text(page, '.panel[data-panel="spf"]'), /<script>document\.title='pwned'<\/script>/);
        assert.equal(await page.$('.panel[data-panel="dmarc"]'), null, 'the unticked family did not run');
        assert.equal(await page.title(), 'mxlint report');
        assert.deepEqual(await page.$$eval('img', (images) => images.length), 0);
        await page.screenshot({ path: outputPath('screenshots', 'serve-report.png'), fullPage: true });
        assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2.1 AA: the report of one domain');
        assert.deepEqual(strayRequests, []);
        assert.deepEqual(complaints.filter((c) => !c.includes('favicon')), []);
        await page.close();
      });

      it('a bad target: 400, and a page that says why', async () => {
        const { page, strayRequests, complaints } = await watchedPage(chromium.browser, sameOrigin);
        await page.goto(`${origin}/`, { waitUntil: 'load' });
        await page.type('#target', 'https://hostile.bench/<b>');
        const [answer] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.check button[type="submit"]')]);
        assert.equal(answer?.status(), 400);
        assert.match(await text(page, '.refusal'), /^target "https:\/\/hostile\.bench\/<b>" is not a domain name: this is a URL/);
        assert.equal(await page.$$eval('b', (found) => found.length), 0);
        assert.deepEqual(await accessibilityViolations(page), [], 'WCAG 2.1 AA: the refusal');
        assert.deepEqual(strayRequests, []);
        assert.deepEqual(complaints, []);
        await page.close();
      });
    });
  });
});
