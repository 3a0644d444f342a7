/**
 * The bulk and monitoring formats on results built by hand: CSV (RFC 4180 quoting), the Nagios
 * plugin output (monitoring-plugins conventions), the Prometheus text exposition (grouping, HELP
 * and TYPE, escaping), the progress line, and the address classification shortcut. No network.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import type { DomainResult } from '../../src/engine/result.js';
import { csvField, csvReporter, CSV_COLUMNS } from '../../src/report/csv.js';
import { nagiosReporter } from '../../src/report/nagios.js';
import { prometheusReporter } from '../../src/report/prometheus.js';
import { escapeHelp, escapeLabelValue, Exposition } from '../../src/report/exposition.js';
import { ProgressLine } from '../../src/cli/progress.js';
import { classifyAddress } from '../../src/net/address.js';
import { seededRandom } from '../support/random.js';
import { renderRun } from '../support/render.js';

const good: DomainResult = {
  input: 'good.example', domain: 'good.example', canonical: 'good.example', status: 'pass',
  mx: [
    { preference: 10, exchange: 'mx1.good.example', addresses: [{ address: '185.199.108.25', family: 4 }, { address: '2a01:4f8::25', family: 6 }], cname: [] },
    { preference: 20, exchange: 'mx2.good.example', addresses: [{ address: '185.199.108.26', family: 4 }], cname: [] },
  ],
  findings: [],
  durationMs: 12,
};
const broken: DomainResult = {
  input: 'Broken.Example', domain: 'broken.example', canonical: 'broken.example', status: 'fail',
  mx: [
    { preference: 10, exchange: 'alias.broken.example', addresses: [{ address: '185.199.1.1', family: 4 }], cname: ['host.example'] },
    { preference: 20, exchange: 'gone.broken.example', addresses: [], cname: [] },
  ],
  findings: [
    { rule: 'mx-target-cname', messageId: 'test', fix: 'fix it', severity: 'error', message: 'MX 10 alias | points to an alias.', rfc: 'RFC 2181 §10.3', target: 'alias.broken.example' },
    { rule: 'mx-target-no-address', messageId: 'test', fix: 'fix it', severity: 'error', message: 'gone has no address.', rfc: 'RFC 5321 §5.1', target: 'gone.broken.example' },
    { rule: 'mx-no-ipv6', messageId: 'test', fix: 'fix it', severity: 'info', message: 'no IPv6.', rfc: 'RFC 3974' },
  ],
  durationMs: 250,
};
const warned: DomainResult = {
  input: 'implicit.example', domain: 'implicit.example', canonical: 'implicit.example', status: 'warn', mx: [],
  implicit: { addresses: [{ address: '185.199.2.2', family: 4 }] },
  findings: [{ rule: 'mx-implicit', messageId: 'test', fix: 'fix it', severity: 'warning', message: 'no MX.', rfc: 'RFC 5321 §5.1' }],
  durationMs: 3,
};
const invalid: DomainResult = {
  input: 'https://x,"y"', domain: null, canonical: null, status: 'unknown', mx: [],
  findings: [{ rule: 'domain-invalid', messageId: 'test', fix: 'fix it', severity: 'unknown', message: 'not a domain', rfc: 'RFC 1035 §2.3.1' }],
  durationMs: 0,
};

describe('csv', () => {
  test('a header, then one row per domain: error, warning and unknown rule ids, exchanges, duration', () => {
    const out = renderRun(csvReporter(), [good, broken, warned, invalid]);
    assert.deepEqual(out.split('\n'), [
      CSV_COLUMNS.join(','),
      'good.example,pass,,,,mx1.good.example mx2.good.example,12',
      'broken.example,fail,mx-target-cname mx-target-no-address,,,alias.broken.example gone.broken.example,250',
      'implicit.example,warn,,mx-implicit,,,3',
      '"https://x,""y""",unknown,,,domain-invalid,,0',
      '',
    ]);
  });

  test('RFC 4180 quoting: only fields with a comma, a double quote or a line break, quotes doubled', () => {
    assert.equal(csvField('plain text'), 'plain text');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\r'), '"cr\r"');
    // Before: a hostile exchange name or input line reached a spreadsheet as a formula.
    assert.equal(csvField('=HYPERLINK("http://x.example","y")'), '"\'=HYPERLINK(""http://x.example"",""y"")"');
    for (const start of ['+', '-', '@']) assert.equal(csvField(`${start}1+1`), `'${start}1+1`);
    assert.equal(csvField('mx=1.example'), 'mx=1.example');
  });
});

describe('nagios', () => {
  test('one failing domain: CRITICAL, the errors with their exchanges, perfdata, details; no pipe in the text', () => {
    const lines = renderRun(nagiosReporter(), [broken]).trimEnd().split('\n');
    assert.equal(lines[0], 'MXLINT CRITICAL - broken.example: mx-target-cname (alias.broken.example), mx-target-no-address (gone.broken.example) '
      + '| time=0.250s;;;0 mx=2 errors=2 warnings=0');
    assert.deepEqual(lines.slice(1), [
      'error mx-target-cname: MX 10 alias / points to an alias. (RFC 2181 §10.3)',
      'error mx-target-no-address: gone has no address. (RFC 5321 §5.1)',
      'info mx-no-ipv6: no IPv6. (RFC 3974)',
    ]);
    assert.equal(lines.filter((line) => line.includes('|')).length, 1, 'the pipe only before the perfdata');
  });

  test('the state follows the status: OK, WARNING, UNKNOWN', () => {
    assert.match(renderRun(nagiosReporter(), [good]), /^MXLINT OK - good\.example: mail accepted by 2 exchanges \| time=0\.012s;;;0 mx=2 errors=0 warnings=0\n$/);
    assert.match(renderRun(nagiosReporter(), [warned]), /^MXLINT WARNING - implicit\.example: mx-implicit \| time=0\.003s;;;0 mx=0 errors=0 warnings=1\n/);
    assert.match(renderRun(nagiosReporter(), [invalid]), /^MXLINT UNKNOWN - https:\/\/x,"y": domain-invalid \|/);
  });

  test('findings of the families that judge each address are named once on the first line, each in the details', () => {
    const perAddress = (rule: string, address: string) => ({ rule, messageId: 'test', fix: 'fix it', severity: 'error' as const, message: `${address}: ${rule}.`, rfc: 'RFC 7672 §3.1', target: 'mx.rollover.example' });
    const rollover: DomainResult = {
      ...broken, input: 'rollover.example', domain: 'rollover.example', canonical: 'rollover.example',
      findings: [perAddress('dane-tlsa-mismatch', '185.199.111.25'), perAddress('dane-tlsa-mismatch', '2a01:4f8::25'), perAddress('smtp-unreachable', '185.199.111.25')],
    };
    const lines = renderRun(nagiosReporter(), [rollover]).trimEnd().split('\n');
    assert.equal(lines[0], 'MXLINT CRITICAL - rollover.example: dane-tlsa-mismatch (mx.rollover.example), smtp-unreachable (mx.rollover.example) '
      + '| time=0.250s;;;0 mx=2 errors=3 warnings=0');
    assert.deepEqual(lines.slice(1).map((line) => line.split(':')[0]), ['error dane-tlsa-mismatch', 'error dane-tlsa-mismatch', 'error smtp-unreachable']);
  });

  test('several domains: the worst state, the tally, the worst domains first; the details of each domain with problems', () => {
    const lines = renderRun(nagiosReporter(), [good, warned, broken, invalid]).trimEnd().split('\n');
    assert.equal(lines[0], 'MXLINT CRITICAL - 4 domains: 1 fail, 1 unknown, 1 warn, 1 pass; '
      + 'broken.example: mx-target-cname (alias.broken.example), mx-target-no-address (gone.broken.example); https://x,"y": domain-invalid; implicit.example: mx-implicit '
      + '| time=1.500s;;;0 domains=4 pass=1 warn=1 fail=1 unknown=1 errors=2 warnings=1');
    assert.deepEqual(lines.slice(1), [
      'implicit.example warning mx-implicit: no MX.',
      'broken.example error mx-target-cname: MX 10 alias / points to an alias.',
      'broken.example error mx-target-no-address: gone has no address.',
      'https://x,"y" unknown domain-invalid: not a domain',
    ]);
  });

  test('details are capped so a plugin buffer is not flooded', () => {
    const many = Array.from({ length: 300 }, (_, i) => ({ ...broken, input: `b${i}.example`, domain: `b${i}.example` }));
    const lines = renderRun(nagiosReporter(), many).trimEnd().split('\n');
    assert.equal(lines.length, 1 + 100 + 1);
    assert.equal(lines.at(-1), '… 500 more lines left out');
  });
});

describe('prometheus (textfile)', () => {
  test('each metric once with HELP and TYPE, all its samples together, labelled by domain', () => {
    const out = renderRun(prometheusReporter(), [good, broken]);
    const types = [...out.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(types, [
      'mxlint_status gauge', 'mxlint_findings gauge', 'mxlint_mx_records gauge', 'mxlint_mx_target_addresses gauge', 'mxlint_check_duration_seconds gauge',
    ]);
    for (const [, name] of out.matchAll(/^# HELP (\S+) /gm)) {
      const samples = out.split('\n').map((line, i) => ({ line, i })).filter(({ line }) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
      assert.ok(samples.length > 0);
      assert.equal(samples.at(-1)!.i - samples[0]!.i + 1, samples.length, `${name}'s samples are contiguous`);
    }
    assert.match(out, /^mxlint_status\{domain="broken\.example",status="fail"\} 1$/m);
    assert.match(out, /^mxlint_status\{domain="broken\.example",status="pass"\} 0$/m);
    assert.match(out, /^mxlint_findings\{domain="broken\.example",rule="mx-target-cname",severity="error"\} 1$/m);
    assert.match(out, /^mxlint_mx_records\{domain="good\.example"\} 2$/m);
    assert.match(out, /^mxlint_mx_target_addresses\{domain="good\.example",target="mx1\.good\.example",family="ipv6"\} 1$/m);
    assert.match(out, /^mxlint_mx_target_addresses\{domain="broken\.example",target="gone\.broken\.example",family="ipv4"\} 0$/m);
    assert.match(out, /^mxlint_check_duration_seconds\{domain="broken\.example"\} 0\.25$/m);
  });

  test('label values and HELP are escaped as the format says; control characters in labels as \\DDD, as everywhere', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd\u001b[2J\u202e'), 'a\\\\b\\"c\\\\010d\\\\027[2J\\\\226\\\\128\\\\174');
    assert.equal(escapeHelp('a\\b"c\nd'), 'a\\\\b"c\\nd');
    const out = renderRun(prometheusReporter(), [{ ...invalid, input: 'x"\\\ny' }]);
    assert.match(out, /^mxlint_status\{domain="x\\"\\\\\\\\010y",status="unknown"\} 1$/m);
  });

  test('an undeclared metric is a programming error; special values are written as the format spells them', () => {
    const exposition = new Exposition([{ name: 'm', type: 'gauge', help: 'h' }]);
    assert.throws(() => exposition.add('other', {}, 1), /not declared/);
    exposition.add('m', { a: '1' }, Number.NaN);
    exposition.add('m', { a: '2' }, Infinity);
    assert.equal(exposition.render(), '# HELP m h\n# TYPE m gauge\nm{a="1"} NaN\nm{a="2"} +Inf\n');
  });
});

describe('progress line', () => {
  test('done of total, rate, ETA and counts per status, within the terminal width', () => {
    let now = 0;
    const written: string[] = [];
    const line = new ProgressLine({ write: (text: string) => written.push(text), columns: 200 }, () => now);
    line.setTotal(10_000);
    now = 2000;
    line.update({ done: 4000, byStatus: { pass: 3900, warn: 50, fail: 40, unknown: 10 } });
    assert.equal(line.render(), 'mxlint: 4000/10000 domains (40%) · 2000/s · ETA 0:03 · pass 3900 warn 50 fail 40 unknown 10');
    const narrow = new ProgressLine({ write: () => true, columns: 30 }, () => now);
    assert.ok(narrow.render().length < 30);
    line.clear();
    assert.deepEqual(written, [], 'nothing to clear before anything was drawn');
  });

  test('without a total: the count and the time elapsed', () => {
    let now = 0;
    const line = new ProgressLine({ write: () => true }, () => now);
    now = 65_000;
    line.update({ done: 650, byStatus: { pass: 650, warn: 0, fail: 0, unknown: 0 } });
    assert.match(line.render(), /^mxlint: 650 domains · 10\/s · elapsed 1:05 · pass 650/);
  });
});

describe('address classification', () => {
  test('reading DNS spellings itself, it agrees with ipaddr.process on random and special addresses', () => {
    const random = seededRandom(6);
    const byte = (): number => Math.floor(random() * 256);
    const group = (): string => (random() < 0.4 ? '0' : Math.floor(random() * 0x10000).toString(16));
    const special = ['0.0.0.0', '10.1.2.3', '127.0.0.1', '169.254.1.1', '172.16.0.1', '192.168.1.1', '100.64.0.1', '192.0.2.1', '224.0.0.1', '255.255.255.255',
      '::', '::1', 'fe80::1', 'fc00::1', 'ff02::1', '2001:db8::1', '::ffff:10.0.0.1', '::ffff:a00:1', '64:ff9b::1.2.3.4', '2002:c000:201::1', '100::1',
      // Spellings no DNS answer comes in, which its own reading must leave to ipaddr.process or read the same.
      'ABCD:EF01::1', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:0:0:0:0:0:0:8', '0:0:0:0:0:0:0:0', '0177.0.0.1', '1.2.3.04', '0.0.0.10'];
    const generated = Array.from({ length: 3000 }, () => (random() < 0.5
      ? `${byte()}.${byte()}.${byte()}.${byte()}`
      : ipaddr.IPv6.parse(Array.from({ length: 8 }, group).join(':')).toString()));
    for (const address of [...special, ...generated]) {
      const expected = ipaddr.process(address);
      const family = address.includes(':') ? 6 : 4;
      const got = classifyAddress(address, family);
      assert.equal(got.range, expected.range(), address);
      assert.equal(got.effectiveFamily, expected.kind() === 'ipv4' ? 4 : 6, address);
    }
  });
});
