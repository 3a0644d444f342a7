/**
 * Profiles, the configuration file, suppression comments and baselines end to end through the built
 * CLI, offline in a network namespace of their own: the example reverse zones, and a pull request's
 * gate (a config file, a comment, a baseline, SARIF) on a zone file that changes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { canIsolateNetwork, runCli } from '../support/e2e.js';
import { sarifProblems } from '../support/sarif-check.js';

const OFFLINE = canIsolateNetwork() ? { isolateNetwork: true } : { allowNoServer: true };
const REVERSE_ZONES = ['examples/zones/185.in-addr.arpa.zone', 'examples/zones/7.1.c.0.8.f.4.0.1.0.a.2.ip6.arpa.zone'];

describe('the example reverse zones', () => {
  it('are judged reverse name by name, with no mail-domain finding', async () => {
    for (const zone of REVERSE_ZONES) {
      const run = await runCli(['--zone', zone, '--offline', '--format', 'json'], OFFLINE);
      assert.equal(run.code, 0, run.stderr);
      const results = JSON.parse(run.stdout) as DomainResult[];
      assert.ok(results.length >= 4, zone);
      assert.ok(results.every((r) => r.profile === 'reverse'), zone);
      // Offline, the PTR names' forward lookups are outside the file: noted as not checked, nothing else.
      assert.deepEqual([...new Set(results.flatMap((r) => r.findings.map((f) => f.rule)))], ['zone-external-not-checked'], zone);
    }
  });

  it('checked together with the forward zones, each PTR resolves back (forward-confirmed)', async () => {
    const run = await runCli(['--zone', REVERSE_ZONES[0]!, '--zone', 'examples/zones/good.example.zone', '--offline', '--format', 'json'], OFFLINE);
    const mx1 = (JSON.parse(run.stdout) as DomainResult[]).find((r) => r.domain === '25.108.199.185.in-addr.arpa')!;
    assert.deepEqual(mx1.ptr?.addresses.map((a) => [a.address, a.names, a.forwardConfirmed]), [['185.199.108.25', ['mx1.good.example'], true]]);
    assert.deepEqual(mx1.findings, []);
  });
});

describe('a pull request gated on what it adds', () => {
  let dir: string;
  // The DMARC record at the apex covers every name the change adds (the tree walk finds it above them).
  const head = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 185.199.108.53\n'
    + '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@example.com"\n';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-gate-'));
    writeFileSync(join(dir, 'mxlint.config.json'), JSON.stringify({
      rules: { 'mx-no-ipv6': 'off' },
      ignore: [{ rule: 'spf-missing', reason: 'receive-only names' }],
      domains: { 'old.example.com': { profile: 'parked' } },
    }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const zone = (body: string): string => {
    const file = join(dir, 'example.com.zone');
    writeFileSync(file, `${head}${body}`);
    return file;
  };
  const mxlint = (file: string, ...args: string[]) => runCli(['--zone', file, '--offline', '--config', join(dir, 'mxlint.config.json'), ...args], OFFLINE);

  it('the main branch writes a baseline; the change fails only on what it adds, and SARIF says which', async () => {
    const base = zone('@ MX 10 mx\nmx A 185.199.108.25\nold MX 0 .\n');
    const baseline = await mxlint(base, '--format', 'jsonl');
    assert.equal(baseline.stderr, '');
    assert.notEqual(baseline.code, 0);
    writeFileSync(join(dir, 'baseline.jsonl'), baseline.stdout);

    // The change moves the records, adds a lab relay (suppressed by a comment) and an exchange with no address.
    const changed = zone([
      'www A 185.199.108.80', '@ MX 10 mx', 'mx A 185.199.108.25', 'old MX 0 .',
      '; mxlint-disable-next-line mx-target-private-address -- the lab relay, over the VPN', 'lab MX 10 relay', 'relay A 10.0.0.25',
      'shop MX 10 nowhere',
    ].join('\n'));
    const text = await mxlint(changed, '--baseline', join(dir, 'baseline.jsonl'));
    assert.equal(text.code, 2, text.stdout);
    assert.match(text.stdout, /error mx-target-no-address \[new\]/);
    assert.match(text.stdout, /mx-target-private-address \[suppressed by the comment at .*example\.com\.zone:11:1: the lab relay, over the VPN\]/);

    const sarif = await mxlint(changed, '--baseline', join(dir, 'baseline.jsonl'), '--format', 'sarif');
    assert.equal(sarif.code, 2);
    const log = JSON.parse(sarif.stdout) as {
      runs: { results: { ruleId: string; level: string; baselineState?: string; suppressions?: { kind: string }[]; properties: { domain: string } }[] }[];
    };
    assert.deepEqual(sarifProblems(log), []);
    const results = log.runs[0]!.results;
    const counted = results.filter((r) => r.baselineState === 'new' && r.suppressions === undefined && (r.level === 'error' || r.level === 'warning'));
    // What counts is about the names the change added; the apex's and old's findings are unchanged.
    assert.deepEqual([...new Set(counted.map((r) => r.properties.domain))].sort(), ['shop.example.com']);
    assert.ok(counted.some((r) => r.ruleId === 'mx-target-no-address'));
    assert.ok(results.some((r) => r.ruleId === 'mx-target-private-address' && r.suppressions?.[0]?.kind === 'inSource'));
    assert.ok(results.some((r) => r.ruleId === 'spf-missing' && r.suppressions?.[0]?.kind === 'external'));
    assert.ok(!results.some((r) => r.ruleId === 'mx-no-ipv6'), 'a rule turned off in the config file is not reported');

    // Fixing the new exchange: nothing new is left, exit 0, whatever the baseline already had.
    const fixed = zone(['www A 185.199.108.80', '@ MX 10 mx', 'mx A 185.199.108.25', 'old MX 0 .', '; mxlint-disable-next-line mx-target-private-address', 'lab MX 10 relay', 'relay A 10.0.0.25'].join('\n'));
    const json = await mxlint(fixed, '--baseline', join(dir, 'baseline.jsonl'), '--format', 'json');
    const parsed = JSON.parse(json.stdout) as DomainResult[];
    assert.equal(parsed.find((r) => r.domain === 'old.example.com')!.profile, 'parked');
    assert.equal(json.code, 0, json.stdout);
    assert.ok(parsed.some((r) => r.findings.some((f) => f.baseline === 'unchanged' && f.severity === 'error')), 'the baseline\'s errors are still reported, unchanged');
  });
});
