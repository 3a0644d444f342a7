/**
 * What judges a run beside the rules: the configuration file, --rules and --ignore, suppression
 * comments in zone files, and baselines; and how the reporters show what does not count. Offline
 * zone data only: nothing is sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { mergedSettings, parseRuleLevels, readBaselineFile, readConfigFile } from '../../src/cli/settings-files.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { checkZones } from '../../src/modes/zone/runner.js';
import type { ZoneCheckOptions } from '../../src/modes/zone/runner.js';
import type { DomainResult } from '../../src/engine/result.js';
import { sarifReporter } from '../../src/report/sarif.js';
import { csvRecord } from '../../src/report/csv.js';
import { sarifProblems } from '../support/sarif-check.js';
import { renderRun } from '../support/render.js';
import { comZone } from '../support/zone-com.js';
import { schemaValidator, assertMatchesSchema } from '../support/result-schema.js';

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\nns1 A 185.199.108.53\n';
const MAIL = '@ MX 10 mx\nmx A 185.199.108.25\n';

function zoneOf(body: string, file = 'db.zone') {
  return readZoneText(`${HEAD}${body}`, { file });
}

async function check(body: string, options: ZoneCheckOptions = {}): Promise<DomainResult[]> {
  const results = await checkZones([zoneOf(body), comZone()], { offline: true, ...options });
  return results.filter((result) => result.zone?.file === 'db.zone');
}

const state = (result: DomainResult): [string, string | undefined, string | undefined][] =>
  result.findings.map((f) => [f.rule, f.suppressed?.by, f.baseline]);

describe('the configuration file and the flags over it', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('mxlint.config.json is read from the working directory when there is one; --no-config reads none', () => {
    assert.deepEqual(readConfigFile(undefined, dir), {});
    writeFileSync(join(dir, 'mxlint.config.json'), JSON.stringify({ $schema: 'x', profile: 'parked', rules: { 'mx-single': 'off' } }));
    assert.deepEqual(readConfigFile(undefined, dir), { profile: 'parked', rules: { 'mx-single': 'off' } });
    assert.deepEqual(readConfigFile(false, dir), {});
  });

  test('a bad file is one line naming the file and the key', () => {
    const file = join(dir, 'bad.json');
    const refused = (text: string, message: RegExp): void => {
      writeFileSync(file, text);
      assert.throws(() => readConfigFile(file, dir), message);
    };
    refused('{ "rules": ', /bad\.json: not JSON/);
    refused('[]', /bad\.json: must be a JSON object/);
    refused('{ "servers": ["127.0.0.1"] }', /bad\.json: unknown key "servers" \(known: checks, profile, rules, ignore, domains\)/);
    refused('{ "rules": { "mx-single": "loud" } }', /bad\.json: "rules": the level of mx-single must be one of off, info, warning, error/);
    refused('{ "domains": { "*.": {} } }', /bad\.json: "domains": "\*\." is neither a domain name nor \*\.SUFFIX/);
    refused('{ "ignore": ["nope@x"] }', /bad\.json: "ignore": "nope" is not one of the rule ids/);
    assert.throws(() => readConfigFile(join(dir, 'absent.json'), dir), /--config .*absent\.json: cannot be read \(no such file\)/);
  });

  test('flags win: --profile and each --rules level over the file, --ignore entries added to its own', () => {
    const config = { profile: 'parked', rules: { 'mx-single': 'off', 'spf-missing': 'error' }, ignore: ['dmarc-missing'], checks: 'mx', domains: { 'a.example': { profile: 'reverse' } } } as const;
    assert.deepEqual(mergedSettings(config, { profile: 'receiving', rules: { 'mx-single': 'warning' }, ignore: ['spf-missing@x.example'] }), {
      checks: 'mx', profile: 'receiving', rules: { 'mx-single': 'warning', 'spf-missing': 'error' }, ignore: ['dmarc-missing', 'spf-missing@x.example'],
      domains: { 'a.example': { profile: 'reverse' } },
    });
    assert.deepEqual(parseRuleLevels(['mx-single=off,spf-missing=error', ' mx-single = info ']), { 'mx-single': 'info', 'spf-missing': 'error' });
    assert.throws(() => parseRuleLevels(['mx-single']), /--rules "mx-single": write RULE=LEVEL/);
  });

  test('a baseline is read as JSON (one array) or JSON Lines', () => {
    const results = [{ input: 'a.example', domain: 'a.example', findings: [] }, { input: 'b', domain: null, findings: [] }];
    writeFileSync(join(dir, 'base.json'), JSON.stringify(results, null, 2));
    writeFileSync(join(dir, 'base.jsonl'), `${results.map((r) => JSON.stringify(r)).join('\n')}\n\n`);
    assert.deepEqual(readBaselineFile(join(dir, 'base.json')), results);
    assert.deepEqual(readBaselineFile(join(dir, 'base.jsonl')), results);
    writeFileSync(join(dir, 'bad.jsonl'), '{"input":"a"}\n{oops\n');
    assert.throws(() => readBaselineFile(join(dir, 'bad.jsonl')), /bad\.jsonl line 2: not JSON/);
  });
});

describe('suppression comments in zone files', () => {
  test('next-line, line and disable…enable cover the findings at those lines, with the reason; reported, not counted', async () => {
    const results = await check([
      '; mxlint-disable-next-line spf-missing, mx-single -- mail goes out through the provider',
      '@ MX 10 mx',
      'mx A 185.199.108.25',
      '; mxlint-disable dmarc-missing',
      'shop MX 10 mx ; mxlint-disable-line spf-missing',
      '; mxlint-enable',
      'lab MX 10 mx',
    ].join('\n'));
    const [apex, shop, lab] = results;
    // spf-missing is about the apex as a whole: it points at the apex's first record, the SOA, not the MX line.
    assert.deepEqual(state(apex!).filter(([, by]) => by !== undefined), [['mx-single', 'comment', undefined]]);
    assert.deepEqual(apex!.findings.find((f) => f.rule === 'mx-single')!.suppressed,
      { by: 'comment', location: { file: 'db.zone', line: 6, column: 1 }, reason: 'mail goes out through the provider' });
    assert.deepEqual(state(shop!).filter(([, by]) => by !== undefined).map(([rule]) => rule), ['dmarc-missing', 'spf-missing']);
    assert.deepEqual(state(lab!).filter(([, by]) => by !== undefined), []);
    assert.equal(apex!.status, 'warn'); // dmarc-missing still counts at the apex
  });

  test('a ";" inside a quoted string is no comment; an unknown rule is reported where the comment is', async () => {
    const [apex] = await check(`${MAIL}@ TXT "v=spf1 -all; mxlint-disable-line dmarc-missing"\n; mxlint-disable-next-line mx-singel\nwww A 185.199.108.80\n`);
    assert.ok(!apex!.findings.some((f) => f.rule === 'dmarc-missing' && f.suppressed));
    const invalid = apex!.findings.find((f) => f.rule === 'zone-suppression-invalid')!;
    assert.equal(invalid.severity, 'warning');
    assert.deepEqual(invalid.location, { file: 'db.zone', line: 9, column: 1 });
  });
});

describe('baselines', () => {
  test('new, unchanged and absent by domain, rule, target and zone file, not by line; only new findings count', async () => {
    const before = await check(`${MAIL}shop MX 10 mx\n`);
    // The records move down a line, shop gets an SPF record, and a new owner appears.
    const after = await check(`www A 185.199.108.80\n${MAIL}shop MX 10 mx\nshop TXT "v=spf1 mx -all"\nlab MX 10 gone\n`, { baseline: before });
    const byName = new Map(after.map((r) => [r.domain, r]));
    assert.ok(byName.get('example.com')!.findings.every((f) => f.baseline === 'unchanged'));
    assert.equal(byName.get('example.com')!.status, 'pass');
    assert.deepEqual(byName.get('shop.example.com')!.absent!.map((f) => f.rule), ['spf-missing']);
    assert.equal(byName.get('shop.example.com')!.status, 'pass');
    const lab = byName.get('lab.example.com')!;
    assert.ok(lab.findings.every((f) => f.baseline === 'new'));
    assert.equal(lab.status, 'fail');
    // Another file is another finding.
    const elsewhere = await checkZones([zoneOf(MAIL, 'other.zone'), comZone()], { offline: true, baseline: before });
    assert.ok(elsewhere[0]!.findings.every((f) => f.baseline === 'new'));
  });

  test('an owner gone from the zone: its findings are absent on the apex', async () => {
    const before = await check(`${MAIL}shop MX 10 mx\n`);
    const [apex] = await check(MAIL, { baseline: before });
    // mx-single of shop's exchange, shared with the apex, was reported at the apex: not shop's to lose.
    assert.deepEqual([...new Set(apex!.absent!.map((f) => f.rule))].sort(), ['dmarc-missing', 'mx-no-ipv6', 'spf-missing']);
  });

  test('what does not count is marked in JSON (schema-valid) and SARIF, and left out of CSV', async () => {
    const before = await check(MAIL);
    const results = await check(`; mxlint-disable-next-line mx-single -- one host by design\n${MAIL}lab MX 10 mx\n`, { baseline: before, ignore: ['mx-no-ipv6'] });
    const validate = schemaValidator();
    for (const result of results) assertMatchesSchema(validate, result, result.domain ?? result.input);
    const log = JSON.parse(renderRun(sarifReporter(), results)) as { runs: { results: { ruleId: string; baselineState?: string; suppressions?: { kind: string; justification?: string }[] }[] }[] };
    assert.deepEqual(sarifProblems(log), []);
    const sarif = log.runs[0]!.results;
    assert.deepEqual(sarif.find((r) => r.ruleId === 'mx-single' && r.suppressions)!.suppressions!.map((s) => [s.kind, s.justification]), [['inSource', 'one host by design']]);
    assert.deepEqual(sarif.find((r) => r.ruleId === 'mx-no-ipv6')!.suppressions!.map((s) => s.kind), ['external']);
    assert.deepEqual([...new Set(sarif.map((r) => r.baselineState))].sort(), ['new', 'unchanged']);
    const apex = results.find((r) => r.domain === 'example.com')!;
    assert.deepEqual(csvRecord(apex).slice(1, 5), ['pass', '', '', '']);
  });

  test('the CLI: --baseline of its own JSON output exits 0 when nothing is new, and the bad file is one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlint-baseline-'));
    try {
      const zone = join(dir, 'db.zone');
      writeFileSync(zone, `${HEAD}${MAIL}`);
      let out = '';
      let err = '';
      const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, env: {} };
      assert.equal(await runCli(['--zone', zone, '--offline', '--no-config', '--format', 'json'], io), 1);
      writeFileSync(join(dir, 'base.json'), out);
      out = '';
      assert.equal(await runCli(['--zone', zone, '--offline', '--no-config', '--baseline', join(dir, 'base.json')], io), 0);
      assert.match(out, /PASS: 0 errors, 0 warnings \(\d+ unchanged since the baseline\)/);
      writeFileSync(join(dir, 'base.json'), '[{"input": "x"}]');
      assert.equal(await runCli(['--zone', zone, '--offline', '--no-config', '--baseline', join(dir, 'base.json')], io), 3);
      assert.match(err, /--baseline\[0\]\.domain must be text, not missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
