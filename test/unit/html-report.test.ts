/**
 * The HTML report without a browser: its markup is escaped in every place DNS text can reach, its
 * Content-Security-Policy allows exactly its own inline stylesheet and script, the mail-path
 * drawing marks what it must, the file streams in blocks (static pages first, then compressed
 * ones), the charts stay bounded, and the colours pass WCAG AA. What a person sees in a real
 * browser is test/e2e/html-report.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { DomainResult } from '../../src/engine/result.js';
import { createReporter } from '../../src/report/formats.js';
import { escapeHtml, html, jsonData, markupText, ownCode } from '../../src/report/html/markup.js';
import { mailPathDrawing, MAX_DRAWN_ADDRESSES, MAX_DRAWN_MX } from '../../src/report/html/mail-path.js';
import { MAX_CHUNK_ROWS, MAX_STATIC_DETAILS } from '../../src/report/html/reporter.js';
import { barChart, MAX_CHART_BARS } from '../../src/report/html/charts.js';
import { ChartTally, MAX_COUNTED_NAMES } from '../../src/report/html/summary.js';
import { REPORT_STYLE } from '../../src/report/html/style.js';
import { pagePolicy } from '../../src/report/html/page.js';
import { summarize } from '../../src/report/reporter.js';
import { formPage, refusalAnswer, reportAnswer, webFormat, webHeaders } from '../../src/serve/web.js';
import { renderRun } from '../support/render.js';

const HOSTILE_TXT = 'v=spf1 <script>window.pwned=1</script> <img src=x onerror=alert(1)> "quoted" \'single\' & -all';

const good: DomainResult = {
  input: 'good.example', domain: 'good.example', canonical: 'good.example', status: 'pass', durationMs: 3,
  mx: [{ preference: 10, exchange: 'mx1.good.example', addresses: [{ address: '185.199.108.25', family: 4 }, { address: '2a01:4f8::25', family: 6 }], cname: [] }],
  findings: [{ rule: 'mx-single', messageId: 'single', fix: 'add a second exchange', severity: 'info', message: 'good.example has a single MX exchange.', rfc: 'RFC 5321 §5.1' }],
};

const hostile: DomainResult = {
  input: 'evil<b>.example', domain: 'evil.example', canonical: 'evil.example', status: 'fail', durationMs: 2,
  mx: [{ preference: 10, exchange: 'mx"><script>x()</script>.evil.example', addresses: [], cname: ['a\u001b[2J<i>'] }],
  spf: { state: 'found', record: HOSTILE_TXT, lookups: 0, voidLookups: 0, includes: [], evaluations: [] },
  dmarc: { state: 'found', name: '_dmarc.evil.example', inherited: false, records: ['v=DMARC1; p=none; rua=mailto:</script><script>alert(2)</script>'], policy: 'none', rua: [], ruf: [] },
  findings: [
    { rule: 'spf-syntax', messageId: 'syntax', severity: 'error', rfc: 'RFC 7208 §4.6', message: `The SPF record "${HOSTILE_TXT}" is broken.`, fix: 'write <b>it</b> again', target: '<svg onload=alert(3)>' },
    { rule: 'zone-syntax', messageId: 'syntax', severity: 'warning', rfc: 'RFC 1035 §5.1', message: 'bad line', fix: 'fix it', location: { file: 'db.<x>', line: 2, column: 4 } },
  ],
};

const sources = new Map([['db.<x>', '$ORIGIN evil.example.\n@  TXT "<script>alert(4)</script>"\n']]);

function render(results: DomainResult[], withSources = false): string {
  return renderRun(createReporter('html', { color: false, quiet: false, width: null, ...(withSources ? { sources } : {}) }), results);
}

/** Every element start tag of a kind in the page, as written. */
function tags(page: string, name: string): string[] {
  return [...page.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'gi'))].map((m) => m[0]);
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('markup: the one way the report writes', () => {
  it('escapes every interpolated string, in content and attributes alike; markup and lists pass as they are', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const name = '"><script>alert(1)</script>';
    assert.equal(markupText(html`<p title="${name}">${name}</p>`), '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    assert.equal(markupText(html`<ul>${['<a>', html`<li>${'<b>'}</li>`, null, false, 3]}</ul>`), '<ul>&lt;a&gt;<li>&lt;b&gt;</li>3</ul>');
  });

  it('JSON data blocks cannot be closed from inside, and read back the same value', () => {
    const value = { text: '</script><!-- \u2028 & <b>' };
    const block = markupText(jsonData(value));
    assert.doesNotMatch(block, /[<>&\u2028]/);
    assert.deepEqual(JSON.parse(block), value);
  });

  it('our own script and stylesheet are refused if they could close their element', () => {
    assert.throws(() => ownCode('a = "</SCRIPT>"', 'script'), /holds "<\/script"/);
    assert.throws(() => ownCode('x{}</style>', 'style'), /holds "<\/style"/);
  });
});

describe('--format html: hostile DNS data stays text', () => {
  const page = render([hostile, good], true);

  it('no markup from the data: only our own scripts, no image, no event handler, no style attribute', () => {
    const scripts = tags(page, 'script');
    assert.deepEqual(scripts.filter((tag) => tag !== '<script>' && !/^<script type="application\/(json|octet-stream)" class="mxlint-(rows|pages)" data-first="\d+">$/.test(tag)), []);
    assert.equal(scripts.filter((tag) => tag === '<script>').length, 1, 'one script of code, ours');
    assert.deepEqual(tags(page, 'img'), []);
    assert.deepEqual(tags(page, 'i'), []);
    assert.doesNotMatch(page, /<[a-z][^>]*\son[a-z]+\s*=/i, 'no element with an event handler attribute');
    assert.doesNotMatch(page, /<[a-z][^>]*\sstyle\s*=/i, 'no style attribute');
  });

  it('the record, the finding, the target, the source line and the exchange are there, as text', () => {
    assert.ok(page.includes(escapeHtml(HOSTILE_TXT)), 'the SPF record as text');
    assert.ok(page.includes('write &lt;b&gt;it&lt;/b&gt; again'));
    assert.ok(page.includes('&lt;svg onload=alert(3)&gt;'));
    assert.ok(page.includes('2 | @  TXT &quot;&lt;script&gt;alert(4)&lt;/script&gt;&quot;'), 'the zone line under the finding');
    assert.ok(page.includes('<code>db.&lt;x&gt;:2:4</code>'));
    assert.ok(page.includes('mx&quot;&gt;&lt;script&gt;x()&lt;/script&gt;.evil.example'));
    assert.ok(page.includes('<title>a\\027[2J&lt;i&gt; (canonical name, via 1 CNAME)</title>'), 'control characters escaped as in the text formats, then for HTML');
    assert.ok(page.includes('evil&lt;b&gt;.example'));
  });
});

describe('--format html: the page and its policy', () => {
  const page = render([good]);

  it('the meta policy allows the inline stylesheet and script by their hashes, and nothing else', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    assert.equal(style, REPORT_STYLE);
    assert.equal(pagePolicy(), `default-src 'none'; style-src ${sha256(style)}; script-src ${sha256(script)}; base-uri 'none'`);
    assert.ok(page.includes(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(pagePolicy())}">`));
    assert.ok(page.indexOf('Content-Security-Policy') < page.indexOf('<style>'), 'the policy comes before what it governs');
    assert.doesNotMatch(page, /\b(src|href)="(?!https:\/\/www\.rfc-editor\.org\/)/, 'no link or source but the RFC links');
  });

  it('one domain: its page alone, with the verdict, the drawing and the panels; no summary, no table', () => {
    assert.match(page, /<h2 id="d-0-name">good\.example<\/h2>/);
    assert.match(page, /<span class="badge mark-pass"><span class="mark" aria-hidden="true">✓<\/span> PASS<\/span>/);
    assert.match(page, /<svg [^>]*role="img"/);
    assert.match(page, /data-panel="mx"/);
    assert.ok(page.includes('<a href="https://www.rfc-editor.org/rfc/rfc5321#section-5.1" rel="noopener noreferrer">RFC 5321 §5.1</a>'));
    assert.doesNotMatch(page, /id="summary"|id="domains"/);
  });

  it('a line that is not a domain name: its finding, no mail path', () => {
    const notADomain: DomainResult = {
      input: 'not a domain', domain: null, canonical: null, status: 'unknown', durationMs: 0, mx: [],
      findings: [{ rule: 'domain-invalid', messageId: 'notADomain', severity: 'unknown', message: '"not a domain" is not a domain name.', fix: 'give a bare domain name', rfc: 'RFC 1035 §2.3.1' }],
    };
    const invalid = render([notADomain]);
    assert.match(invalid, /<h2 id="d-0-name">not a domain<\/h2>/);
    assert.match(invalid, /domain-invalid/);
    assert.doesNotMatch(invalid, /class="mail-path"/);
    assert.match(page, /class="mail-path"/, 'a domain has one');
  });

  it('several domains: the summary and the table come after the pages, the stylesheet puts them first', () => {
    const bulk = render([good, hostile]);
    assert.ok(bulk.indexOf('id="d-1"') < bulk.indexOf('id="summary"'));
    assert.match(bulk, /<section id="domains" aria-labelledby="domains-title" hidden>/);
    assert.match(bulk, /<option value="spf-syntax">spf-syntax \(1\)<\/option>/);
    assert.match(REPORT_STYLE, /#summary\{order:-2\}#domains\{order:-1\}/);
    assert.match(bulk, /2 domains checked in 1\.5 s: 1 pass, 1 fail/);
  });
});

describe('--format html: what the modes add, each in its panel', () => {
  it('the name servers asked (--authoritative), the Postfix configuration, a rule of no family', () => {
    const result: DomainResult = {
      ...good,
      authoritative: { zone: 'good.example', source: 'given', servers: [
        { name: 'ns1.good.example', address: '192.0.2.53:53', status: 'authoritative', serial: 7 },
        { name: 'ns2.good.example', address: null, status: 'unreachable', problem: 'no address' },
      ] },
      postfix: {
        file: 'main.cf', myhostname: 'mx1.good.example', myorigin: 'good.example', addresses: [{ address: '192.0.2.25', family: 4, source: 'option' }],
        acceptedDomains: [{ domain: 'good.example', parameter: 'mydestination', file: 'main.cf', line: 3 }], messageSizeLimit: 0, tlsSecurityLevel: 'may', certificateFiles: [],
      },
      findings: [...good.findings, { rule: 'not-a-rule', messageId: 'x', severity: 'warning', message: 'something else', fix: 'see', rfc: 'RFC 5321' }],
    };
    const page = render([result]);
    assert.match(page, /data-panel="authoritative"[^]*<li>✓ ns1\.good\.example 192\.0\.2\.53:53 {2}authoritative, serial 7<\/li><li>\? ns2\.good\.example \(no address\) {2}unreachable: no address<\/li>/);
    assert.match(page, /data-panel="postfix"[^]*<span class="line-label">POSTFIX<\/span> mx1\.good\.example at 192\.0\.2\.25; 1 accepted domain/);
    assert.match(page, /data-panel="other"[^]*<code class="rule">not-a-rule<\/code>/);
    assert.ok(page.indexOf('data-panel="mx"') < page.indexOf('data-panel="authoritative"') && page.indexOf('data-panel="postfix"') < page.indexOf('data-panel="other"'));
  });
});

describe('--format html: suppressed and baseline findings', () => {
  it('say how they stand, as in the text report, and weigh in neither the panel\'s status nor the charts', () => {
    // Before: shown as any other finding, and counted in the findings chart.
    const result: DomainResult = {
      ...good, status: 'pass',
      findings: [
        { rule: 'spf-syntax', messageId: 'syntax', severity: 'error', rfc: 'RFC 7208 §4.6', message: 'broken', fix: 'fix it',
          suppressed: { by: 'comment', location: { file: 'db.example', line: 7, column: 1 }, reason: 'moving providers' } },
        { rule: 'mx-no-ipv6', messageId: 'none', severity: 'warning', rfc: 'RFC 5321 §5.1', message: 'no IPv6', fix: 'add AAAA', baseline: 'unchanged' },
      ],
    };
    const page = render([result]);
    assert.match(page, /<li class="finding sev-error not-counted"><p class="finding-head">[^]*?<span class="standing">\(suppressed by the comment at db\.example:7:1: moving providers\)<\/span>/);
    assert.match(page, /<li class="finding sev-warning not-counted"><p class="finding-head">[^]*?<span class="standing">\(unchanged\)<\/span>/);
    const tally = new ChartTally();
    tally.add(result);
    const charts = markupText(tally.section(summarize([result], 1)));
    assert.doesNotMatch(charts, /spf-syntax|mx-no-ipv6/);
  });
});

describe('--format html: the readiness summary (--readiness)', () => {
  it('a panel first, its verdict the summary\'s, a line per requirement with what stands behind it', () => {
    // Before: the summary was in the JSON and the text report only.
    const result: DomainResult = {
      ...good,
      readiness: { state: 'not-met', requirements: [
        { id: 'spf', state: 'met', findings: [] },
        { id: 'dmarc', state: 'not-met', findings: [{ rule: 'dmarc-policy-none', messageId: 'none' }] },
        { id: 'starttls', state: 'unknown', findings: [], reason: 'the smtp family did not run' },
      ] },
    };
    const page = render([result]);
    const panel = /<section class="panel" data-panel="readiness"[^]*?<\/section>/.exec(page)?.[0] ?? '';
    assert.match(panel, /<h3 [^>]*>Bulk-sender readiness <span class="badge mark-fail">/);
    assert.match(panel, /✓ met: [^<]*SPF/);
    assert.match(panel, /✗ not met: [^<]*DMARC[^<]*<span class="note">\(dmarc-policy-none\)<\/span>/);
    assert.match(panel, /\? unknown: [^<]*<span class="note">\(the smtp family did not run\)<\/span>/);
    assert.ok(page.indexOf('data-panel="readiness"') < page.indexOf('data-panel="mx"'));
    assert.doesNotMatch(render([good]), /data-panel="readiness"/);
  });
});

describe('--format html: written in blocks as results come', () => {
  const many = Array.from({ length: MAX_CHUNK_ROWS * 2 + 100 }, (_, i): DomainResult => ({
    ...good, input: `d${i}.example`, domain: `d${i}.example`, canonical: `d${i}.example`,
    mx: [{ preference: 10, exchange: i % 2 === 0 ? 'mx.shared.example' : `mx.d${i}.example`, addresses: [], cname: [] }],
  }));
  const reporter = createReporter('html', { color: false, quiet: false, width: null });
  const start = reporter.start();
  const pieces = many.map((result) => reporter.result(result));
  const end = reporter.finish(summarize(many, 1000));
  const page = start + pieces.join('') + end;

  it('the first pages are written at once, as they are; a data block follows each block of rows', () => {
    assert.match(start, /^<!DOCTYPE html>/);
    assert.ok(pieces.slice(0, MAX_STATIC_DETAILS).every((piece) => piece.startsWith('<article class="domain"')));
    assert.ok(pieces.slice(MAX_STATIC_DETAILS, MAX_CHUNK_ROWS - 1).every((piece) => piece === ''), 'later pages wait in their block');
    assert.match(pieces[MAX_CHUNK_ROWS - 1]!, /^<script type="application\/json" class="mxlint-rows" data-first="0">/);
    assert.match(pieces[2 * MAX_CHUNK_ROWS - 1]!, /data-first="500"/);
    assert.match(end, /class="mxlint-rows" data-first="1000"/, 'the last, short block at the end');
    assert.equal(tags(page, 'article').length, MAX_STATIC_DETAILS);
  });

  it('rows name a repeated exchange once; the packed pages unpack to the domains after the static ones', () => {
    const blocks = [...page.matchAll(/class="mxlint-rows" data-first="(\d+)">(.*?)<\/script>/g)].map((m) => JSON.parse(m[2]!) as { names: string[]; rows: unknown[][] });
    assert.deepEqual(blocks.map((b) => b.rows.length), [500, 500, 100]);
    const allNames = blocks.flatMap((b) => b.names);
    assert.equal(allNames.filter((n) => n === 'mx.shared.example').length, 1);
    assert.equal(blocks[1]!.rows[0]![0], 'd500.example');
    assert.equal(typeof (blocks[1]!.rows[0]![6] as unknown[])[0], 'number', 'the shared exchange by its number');
    const packed = [...page.matchAll(/class="mxlint-pages" data-first="(\d+)">([A-Za-z0-9+/=]+)<\/script>/g)];
    assert.deepEqual(packed.map((m) => m[1]), ['0', '500', '1000']);
    const first = JSON.parse(gunzipSync(Buffer.from(packed[0]![2]!, 'base64')).toString('utf8')) as (string | null)[];
    assert.equal(first.length, MAX_CHUNK_ROWS);
    assert.ok(first.slice(0, MAX_STATIC_DETAILS).every((p) => p === null));
    assert.match(first[MAX_STATIC_DETAILS]!, /^<article class="domain" id="d-100" /);
    assert.match(first[MAX_STATIC_DETAILS]!, />d100\.example<\/h2>/);
  });
});

describe('the mail-path drawing', () => {
  const nodes = (result: DomainResult): { kind: string; mark: string; text: string }[] => [...markupText(mailPathDrawing(result, 'x')).matchAll(
    /<g class="node mark-([a-z]+)" data-kind="([a-z]+)" transform="translate\(\d+ \d+\)"><title>([^<]*)<\/title>/g,
  )].map((m) => ({ mark: m[1]!, kind: m[2]!, text: m[3]! }));
  const base = { input: 'd.example', domain: 'd.example', canonical: 'd.example', durationMs: 1 } as const;

  it('domain → MX by preference → exchange → addresses, each exchange marked with its verdict', () => {
    const drawn = nodes({ ...base, status: 'pass', findings: [], mx: good.mx });
    assert.deepEqual(drawn.map((n) => `${n.kind}:${n.mark}`), ['domain:pass', 'mx:none', 'exchange:pass', 'address:none', 'address:none']);
    assert.match(drawn[3]!.text, /185\.199\.108\.25 \(IPv4\)/);
  });

  it('a null MX, an alias, an address literal and an exchange without address', () => {
    const drawn = nodes({
      ...base, status: 'fail',
      mx: [
        { preference: 0, exchange: '.' },
        { preference: 10, exchange: 'alias.d.example', addresses: [{ address: '192.0.2.1', family: 4 }], cname: ['host.d.example'] },
        { preference: 20, exchange: '192.0.2.9', addresses: [], cname: [] },
        { preference: 30, exchange: 'gone.d.example', addresses: [], cname: [] },
      ],
      findings: [{ rule: 'mx-target-cname', messageId: 'm', severity: 'error', message: 'm', fix: 'f', rfc: 'RFC 2181', target: 'alias.d.example' }],
    });
    const exchanges = drawn.filter((n) => n.kind === 'exchange');
    assert.deepEqual(exchanges.map((n) => n.mark), ['null', 'fail', 'pass', 'pass']);
    assert.match(exchanges[0]!.text, /null MX.*accepts no mail/);
    assert.equal(exchanges[1]!.text, 'alias.d.example (fail · CNAME, an alias)');
    assert.deepEqual(drawn.filter((n) => n.kind === 'alias').map((n) => n.text), ['host.d.example (canonical name, via 1 CNAME)']);
    const addresses = drawn.filter((n) => n.kind === 'address');
    assert.deepEqual(addresses.map((n) => `${n.text.split(' (')[0]}:${n.mark}`), ['192.0.2.1:none', 'not looked up:fail', 'no address:fail']);
  });

  it('no MX: the implicit MX, or nothing at all', () => {
    const implicit = nodes({ ...base, status: 'warn', mx: [], implicit: { addresses: [{ address: '192.0.2.7', family: 4 }] }, findings: [] });
    assert.deepEqual(implicit.map((n) => `${n.kind}:${n.mark}`), ['domain:warn', 'mx:warn', 'exchange:warn', 'address:none']);
    assert.match(implicit[2]!.text, /implicit MX/);
    const none = nodes({ ...base, status: 'unknown', mx: [], findings: [] });
    assert.deepEqual(none.map((n) => `${n.kind}:${n.mark}`), ['domain:unknown', 'mx:unknown']);
  });

  it('bounded: many records and addresses end in a node counting the rest', () => {
    const addresses = Array.from({ length: MAX_DRAWN_ADDRESSES + 3 }, (_, i) => ({ address: `192.0.2.${i}`, family: 4 as const }));
    const mx = Array.from({ length: MAX_DRAWN_MX + 5 }, (_, i) => ({ preference: i, exchange: `mx${i}.d.example`, addresses, cname: [] }));
    const drawn = nodes({ ...base, status: 'pass', mx, findings: [] });
    assert.equal(drawn.filter((n) => n.kind === 'mx').length, MAX_DRAWN_MX);
    assert.ok(drawn.some((n) => n.kind === 'more' && n.text.startsWith('+5 more (MX records)')));
    assert.ok(drawn.some((n) => n.kind === 'more' && n.text.startsWith('+3 more (addresses)')));
  });
});

describe('charts', () => {
  it(`at most ${MAX_CHART_BARS} bars, the rest counted; every bar's numbers in words`, () => {
    const bars = Array.from({ length: MAX_CHART_BARS + 4 }, (_, i) => ({ label: `rule-${i}`, parts: [{ kind: 'fail' as const, value: 100 - i, word: 'error' }, { kind: 'warn' as const, value: 1, word: 'warning' }] }));
    const chart = markupText(barChart('Findings', bars));
    assert.equal([...chart.matchAll(/<g class="bar-row">/g)].length, MAX_CHART_BARS);
    assert.match(chart, /\(4 more not shown\)/);
    assert.match(chart, />101: 100 error, 1 warning</);
    assert.match(markupText(barChart('Verdicts', [{ label: '? unknown', parts: [{ kind: 'unknown', value: 0, word: '' }] }])), /class="bar-value"[^>]*>0</, 'nothing, as a number');
  });

  it(`exchanges past ${MAX_COUNTED_NAMES} distinct names: the shared ones stay exact, the chart says it is approximate`, () => {
    const tally = new ChartTally();
    const results: DomainResult[] = [];
    for (let i = 0; i < MAX_COUNTED_NAMES * 1.5; i++) {
      const result: DomainResult = { ...good, mx: [{ preference: 10, exchange: i % 3 === 0 ? 'mx.shared.example' : `mx.own${i}.example`, addresses: [], cname: [] }] };
      tally.add(result);
      if (i < 3) results.push(result);
    }
    const section = markupText(tally.section(summarize(results, 1)));
    assert.match(section, /Most-used exchanges <span class="chart-note">\(domains\) \(approximate: more than 10,000 names\)/);
    assert.match(section, /<title>mx\.shared\.example: 5,000<\/title>/);
  });
});

describe('colours: WCAG 2.1 AA', () => {
  const variables = new Map([...REPORT_STYLE.matchAll(/--([a-z-]+):(#[0-9a-f]{6})/g)].map((m) => [m[1]!, m[2]!]));
  const luminance = (hex: string): number => {
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const ratio = (a: string, b: string): number => {
    assert.ok(variables.has(a) && variables.has(b), `--${a} and --${b} are colours of the stylesheet`);
    const [x, y] = [luminance(variables.get(a)!), luminance(variables.get(b)!)].sort((m, n) => n - m);
    return (x! + 0.05) / (y! + 0.05);
  };

  it('every colour is a variable of :root, measured below', () => {
    const rules = REPORT_STYLE.replace(/:root\{[^}]*\}/, '');
    assert.deepEqual(rules.match(/[:\s,(]#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?)\(|:(?:white|black)\b/gi) ?? [], []);
  });

  it('text against its backgrounds: at least 4.5:1', () => {
    const pairs: [string, string][] = [['text', 'bg'], ['text', 'panel'], ['muted', 'bg'], ['muted', 'panel'], ['link', 'bg'], ['link', 'panel'],
      ['pass', 'pass-bg'], ['warn', 'warn-bg'], ['fail', 'fail-bg'], ['unknown', 'unknown-bg'], ['info', 'panel'], ['info', 'info-bg'], ['null', 'null-bg'],
      ['fail', 'panel'], ['warn', 'panel'], ['unknown', 'panel'], ['link', 'info-bg'], ['bg', 'link'],
      // A drawing's node: its name and caption on the background of its mark; the table's chosen row.
      ...['pass-bg', 'warn-bg', 'fail-bg', 'unknown-bg', 'null-bg', 'info-bg'].flatMap((background): [string, string][] => [['text', background], ['muted', background]])];
    for (const [text, background] of pairs) assert.ok(ratio(text, background) >= 4.5, `${text} on ${background}: ${ratio(text, background).toFixed(2)}:1`);
  });

  it('marks, bars and borders against the page: at least 3:1', () => {
    for (const mark of ['pass-mark', 'warn-mark', 'fail-mark', 'unknown-mark', 'info', 'line', 'focus']) {
      assert.ok(ratio(mark, 'bg') >= 3 && ratio(mark, 'panel') >= 3, `${mark}: ${ratio(mark, 'bg').toFixed(2)}:1`);
    }
    // A node's border against its own fill.
    for (const [mark, background] of [['pass-mark', 'pass-bg'], ['warn-mark', 'warn-bg'], ['fail-mark', 'fail-bg'], ['unknown-mark', 'unknown-bg'], ['null', 'null-bg']]) {
      assert.ok(ratio(mark!, background!) >= 3, `${mark} on ${background}: ${ratio(mark!, background!).toFixed(2)}:1`);
    }
  });
});

describe('mxlint serve --web: pages', () => {
  it('the form: a labelled field, the families the server runs, GET to report; the policy as a header', () => {
    const page = formPage(['mx', 'spf']);
    assert.equal(page.status, 200);
    assert.match(page.body, /<form class="check" method="get" action="report">/);
    assert.match(page.body, /<label for="target">Domain<\/label><input type="text" id="target" name="target" required/);
    assert.match(page.body, /<input type="checkbox" name="checks" value="spf" checked> SPF<\/label>/);
    assert.doesNotMatch(page.body, /<[a-z][^>]*\s(on[a-z]+|style)\s*=/i, 'no event handler, no style attribute');
    assert.equal(page.headers['content-security-policy'], `${pagePolicy()}; form-action 'self'; frame-ancestors 'none'`);
    assert.equal(page.headers['x-content-type-options'], 'nosniff');
  });

  it('a refusal echoes the reason as text, in HTML or JSON', () => {
    const reason = 'target "<script>x</script>" is not a domain name';
    const page = refusalAnswer(400, reason, 'html');
    assert.equal(page.status, 400);
    assert.ok(page.body.includes('<p class="refusal" role="alert">target &quot;&lt;script&gt;x&lt;/script&gt;&quot; is not a domain name</p>'));
    assert.deepEqual(JSON.parse(refusalAnswer(429, reason, 'json', { 'retry-after': '1' }).body), { error: reason });
    assert.equal(refusalAnswer(429, reason, 'json', { 'retry-after': '1' }).headers['retry-after'], '1');
  });

  it('the report: the HTML report of the one result, or its JSON', () => {
    assert.match(reportAnswer(hostile, 'html').body, /<h2 id="d-0-name">evil&lt;b&gt;\.example \(evil\.example\)<\/h2>/);
    assert.deepEqual(JSON.parse(reportAnswer(hostile, 'json').body), hostile);
    assert.equal(reportAnswer(good, 'json').headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(webHeaders()['referrer-policy'], 'no-referrer');
  });

  it('?format=: html by default, json, nothing else', () => {
    assert.equal(webFormat(new URLSearchParams('')), 'html');
    assert.equal(webFormat(new URLSearchParams('format=json')), 'json');
    assert.equal(webFormat(new URLSearchParams('format=xml')), null);
    assert.equal(webFormat(new URLSearchParams('format=json&format=html')), null);
  });
});
