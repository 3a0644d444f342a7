/**
 * Headless Chromium (Debian's `chromium` package) driven by puppeteer-core, for tests and the
 * benchmark that look at mxlint's pages as a person would: a fresh profile per launch, nothing in
 * the background that could reach the network, every request a page makes recorded (and those to
 * anywhere but where the page is allowed to ask refused), every Content-Security-Policy complaint
 * kept, screenshots under test-output/ (not committed), and axe-core's accessibility audit of a page.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { findOnPath, REPO_ROOT } from './e2e.js';

/** Where tests put what they make for people to look at (pages, screenshots); in .gitignore. */
export const TEST_OUTPUT = join(REPO_ROOT, 'test-output');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'mxlint-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: findOnPath('chromium') ?? '/usr/bin/chromium',
    // A profile of its own (puppeteer sees the flag and makes none of its own).
    args: [...FLAGS, `--user-data-dir=${profile}`],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WatchedPage {
  page: Page;
  /** Every request the page made to somewhere it may not ask (refused before it left). */
  strayRequests: string[];
  /** Console messages of the page that say the Content-Security-Policy refused something, and uncaught errors. */
  complaints: string[];
}

/**
 * A page whose requests are intercepted: those `allowed` says yes to go on, the others are recorded
 * and aborted. Uncaught errors and policy violations are kept for the test to assert none.
 */
export async function watchedPage(browser: Browser, allowed: (url: string) => boolean, options: { javaScript?: boolean } = {}): Promise<WatchedPage> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.setJavaScriptEnabled(options.javaScript ?? true);
  const strayRequests: string[] = [];
  const complaints: string[] = [];
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (allowed(request.url())) {
      void request.continue();
    } else {
      strayRequests.push(request.url());
      void request.abort();
    }
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) complaints.push(message.text());
  });
  page.on('pageerror', (error) => complaints.push(`uncaught: ${error instanceof Error ? error.message : String(error)}`));
  return { page, strayRequests, complaints };
}

/** Where a test's file of this name goes under test-output/ (its folder made). */
export function outputPath(folder: string, name: string): string {
  const dir = join(TEST_OUTPUT, folder);
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/**
 * Resolves when `check`, a JavaScript expression evaluated in the page (text: the tests are compiled
 * without the DOM's types), holds; rejects after `ms` saying what was waited for.
 */
export async function pageUntil(page: Page, what: string, check: string, ms = 30_000): Promise<void> {
  try {
    await page.waitForFunction(check, { timeout: ms, polling: 50 });
  } catch (error) {
    throw new Error(`waited ${ms} ms for ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** axe-core's engine, to run inside a page (read once; it is put in by DevTools, which the page's policy does not govern). */
let axeSource: string | undefined;

/** The WCAG 2.0 and 2.1 success criteria of levels A and AA, as axe-core tags its rules. */
const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * What axe-core finds against WCAG 2.1 A and AA in the page as it is drawn now (labels, landmarks,
 * headings, names of controls, contrast as rendered…), one line per rule broken with the elements
 * that break it; none when the page passes. `within` limits it to the elements a selector matches.
 */
export async function accessibilityViolations(page: Page, within?: string): Promise<string[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (await page.evaluate('typeof window.axe') === 'undefined') await page.evaluate(axeSource);
  const violations = await page.evaluate(`axe.run(${within ? JSON.stringify(within) : 'document'}, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_AA_TAGS)} }, resultTypes: ['violations'] })
    .then((results) => results.violations.map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ' (' + n.failureSummary.replace(/\\s+/g, ' ') + ')' : '')).join('; ')))`) as string[];
  return violations;
}
