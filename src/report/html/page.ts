import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VERSION } from '../../core/version.js';
import { html, ownCode } from './markup.js';
import type { Html } from './markup.js';
import { REPORT_STYLE } from './style.js';

/**
 * The frame of every HTML page mxlint writes — the report file, and `mxlint serve --web`'s pages:
 * one inline stylesheet and one inline script, both ours, both allowed by their hash in the
 * Content-Security-Policy and nothing else (no other script, no inline handler, no style attribute,
 * no request to any host: not even the page's own, for a file opened from disk).
 */

interface PageCode { style: Html; script: Html; policy: string }
let pageCode: PageCode | undefined;

/**
 * The page's stylesheet, its script (compiled from browser/report.ts by the build, with its own
 * tsconfig: it runs in a browser) and the policy allowing both: read and hashed on the first page
 * written, not at every start of the CLI.
 */
function code(): PageCode {
  if (pageCode !== undefined) return pageCode;
  const script = readFileSync(new URL('./browser/report.js', import.meta.url), 'utf8');
  pageCode = {
    style: ownCode(REPORT_STYLE, 'style'),
    script: ownCode(script, 'script'),
    policy: `default-src 'none'; style-src ${sourceHash(REPORT_STYLE)}; script-src ${sourceHash(script)}; base-uri 'none'`,
  };
  return pageCode;
}

function sourceHash(code: string): string {
  return `'sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}'`;
}

/**
 * What the pages may load: their own inline stylesheet and script by hash, nothing else. Held in a
 * `<meta>` element too, so a report opened from disk is under it.
 */
export function pagePolicy(): string {
  return code().policy;
}

/** The opening of a page up to the start of `<main>`. */
export function pageStart(title: string, subtitle: string): Html {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${pagePolicy()}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="mxlint ${VERSION}">
<title>${title}</title>
<style>${code().style}</style>
</head><body>
<header class="page"><h1>${title}</h1><p>${subtitle}</p></header>
<main>
`;
}

/** The end of a page: `<main>` closed, then the script, which finds what it works on and does nothing on a page without it. */
export function pageEnd(): Html {
  return html`</main>
<footer class="page"><p>mxlint ${VERSION}: every finding links to its RFC; rule ids are explained in mxlint's docs/rules.md.</p></footer>
<script>${code().script}</script>
</body></html>
`;
}
