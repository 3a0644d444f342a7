import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainResult } from '../src/result.js';
import { textReporter, wrap } from '../src/report/text.js';
import { jsonlReporter, jsonReporter } from '../src/report/json.js';
import { renderRun } from './support/render.js';

const passing: DomainResult = {
  input: 'good.example', domain: 'good.example', canonical: 'good.example', status: 'pass',
  mx: [{ preference: 10, exchange: 'mx1.good.example', addresses: [{ address: '185.199.108.25', family: 4 }, { address: '2a01:4f8::25', family: 6 }], cname: [] }],
  findings: [{ rule: 'mx-single', severity: 'info', message: 'good.example has a single MX exchange.', rfc: 'RFC 5321 §5.1' }],
  durationMs: 3,
};
const failing: DomainResult = {
  input: 'Bücher.example', domain: 'xn--bcher-kva.example', canonical: 'xn--bcher-kva.example', status: 'fail',
  mx: [
    { preference: 0, exchange: '.' },
    { preference: 10, exchange: 'alias.xn--bcher-kva.example', addresses: [{ address: '185.199.1.1', family: 4 }], cname: ['host.example'] },
    { preference: 20, exchange: '192.0.2.1', addresses: [], cname: [] },
  ],
  findings: [
    { rule: 'mx-target-cname', severity: 'error', message: 'MX 10 alias points to an alias.', rfc: 'RFC 2181 §10.3', target: 'alias.xn--bcher-kva.example' },
    { rule: 'mx-target-ip-literal', severity: 'error', message: 'MX 20 192.0.2.1 names an IP address.', rfc: 'RFC 1035 §3.3.9', target: '192.0.2.1' },
    { rule: 'mx-single', severity: 'info', message: 'informational.', rfc: 'RFC 5321 §5.1' },
  ],
  durationMs: 5,
};

test('text: a tree per domain with marks, alias chains, addresses and the verdict', () => {
  const out = renderRun(textReporter({ color: false, quiet: false, width: null }), [passing, failing]);
  assert.match(out, /^good\.example {2}✓ PASS$/m);
  assert.match(out, /^ {2}✓ MX 10 mx1\.good\.example {2}185\.199\.108\.25, 2a01:4f8::25$/m);
  assert.match(out, /^Bücher\.example \(xn--bcher-kva\.example\) {2}✗ FAIL$/m, 'IDN shown as typed with its A-label');
  assert.match(out, /^ {2}MX 0 \. {2}\(null MX: accepts no mail\)$/m);
  assert.match(out, /^ {2}✗ MX 10 alias\.xn--bcher-kva\.example → host\.example {2}185\.199\.1\.1$/m);
  assert.match(out, /^ {2}✗ MX 20 192\.0\.2\.1 {2}an address, not a host name: not looked up$/m);
  assert.match(out, /^ {2}error {3}mx-target-cname: MX 10 alias points to an alias\.$/m);
  assert.match(out, /^ {10}RFC 2181 §10\.3$/m);
  assert.match(out, /^ {2}FAIL: 2 errors, 0 warnings$/m);
  assert.match(out, /^2 domains checked in 1\.5 s: 1 pass, 1 fail$/m);
  assert.match(out, /^domains per rule: mx-single 2, mx-target-cname 1, mx-target-ip-literal 1$/m);
  assert.doesNotMatch(out, /\x1b\[/, 'no colour codes');
});

test('text: colour only when asked', () => {
  assert.match(renderRun(textReporter({ color: true, quiet: false, width: null }), [failing]), /\x1b\[31m/);
});

test('text: one domain has no summary; quiet drops the tree and informational findings', () => {
  const out = renderRun(textReporter({ color: false, quiet: true, width: null }), [failing]);
  assert.doesNotMatch(out, /domains checked/);
  assert.doesNotMatch(out, /MX 10 alias\.xn--bcher-kva\.example →/);
  assert.doesNotMatch(out, /mx-single/);
  assert.match(out, /mx-target-ip-literal/);
});

test('text: findings wrap under their text at the terminal width', () => {
  const long: DomainResult = { ...failing, findings: [{ ...failing.findings[0]!, message: 'word '.repeat(40).trim() }] };
  const lines = renderRun(textReporter({ color: false, quiet: false, width: 60 }), [long]).split('\n');
  const start = lines.findIndex((l) => l.startsWith('  error   mx-target-cname: word'));
  assert.ok(start > 0);
  assert.ok(lines[start]!.length <= 60 && lines[start + 1]!.startsWith(' '.repeat(10) + 'word'));
  assert.deepEqual(wrap('a b c', null), ['a b c']);
  assert.deepEqual(wrap('aaaa bbbb cccc dddd eeee ffff', 20), ['aaaa bbbb cccc dddd', 'eeee ffff']);
});

test('json: a valid array in input order, also when empty; jsonl: one object per line', () => {
  assert.deepEqual(JSON.parse(renderRun(jsonReporter(), [passing, failing])), [passing, failing]);
  assert.deepEqual(JSON.parse(renderRun(jsonReporter(), [])), []);
  const lines = renderRun(jsonlReporter(), [passing, failing]).trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [passing, failing]);
});
