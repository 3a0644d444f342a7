/**
 * Signal over noise, end to end through the built CLI: the zone mistakes of
 * test/fixtures/noise/mistakes.example.zone each at its line (offline, in a network namespace), and a
 * finding about what several names share reported once, against a real NSD serving
 * test/fixtures/noise/ (an inherited DMARC record, one exchange for every domain).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { canIsolateNetwork, e2eGate, REPO_ROOT, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { jsonResults } from '../support/cli-results.js';

const FIXTURES = join('test', 'fixtures', 'noise');
const MISTAKES = join(FIXTURES, 'mistakes.example.zone');
const OFFLINE = canIsolateNetwork() ? { isolateNetwork: true } : { allowNoServer: true };


function keys(list: DomainResult[], rules?: (rule: string) => boolean): string[] {
  return list.flatMap((r) => r.findings.filter((f) => rules?.(f.rule) ?? true)
    .map((f) => `${r.input} ${f.rule}${f.location ? ` ${f.location.line}:${f.location.column}` : ''}`));
}

describe('zone mistakes, offline', () => {
  it('each mistake at its line, on the result of the name it is about', async () => {
    const run = await runCli(['--zone', MISTAKES, '--offline', '--format', 'json'], OFFLINE);
    assert.equal(run.code, 2, run.stderr);
    const list = jsonResults(run);
    assert.deepEqual(list.map((r) => r.input), ['mistakes.example', 'shop.mistakes.example', 'sales.mistakes.example']);
    assert.deepEqual(keys(list, (rule) => rule.startsWith('zone-') && rule !== 'zone-external-not-checked' || rule.startsWith('mx-preference')), [
      'mistakes.example zone-txt-unquoted 10:15',
      'mistakes.example zone-owner-origin-twice 11:1',
      'mistakes.example zone-ttl-missing 5:1',
      'shop.mistakes.example zone-spf-split 14:1',
      'shop.mistakes.example zone-txt-unquoted 15:17',
      'sales.mistakes.example mx-preference-missing 16:15',
    ]);
    const ttl = list[0]!.findings.find((f) => f.rule === 'zone-ttl-missing')!;
    assert.equal(ttl.severity, 'warning');
    const [words] = list[0]!.findings.filter((f) => f.rule === 'zone-txt-unquoted');
    assert.equal(words!.fix, 'write it in quotes: @ TXT "v=spf1 mx include:_spf.provider.example -all"');
    // What the other rules see follows from the mistakes: no SPF at the apex, DMARC cut to "v=DMARC1" at shop.
    assert.ok(list[0]!.findings.some((f) => f.rule === 'spf-missing'));
    assert.ok(list[1]!.findings.some((f) => f.rule === 'dmarc-policy-none'));
  });

  it('in text, like a compiler: file:line:col, the line and a caret', async () => {
    const run = await runCli(['--zone', MISTAKES, '--offline', '--no-color'], OFFLINE);
    assert.match(run.stdout, new RegExp(`^${MISTAKES.replaceAll('.', '\\.')}:14:1: error zone-spf-split: shop\\.mistakes\\.example has the SPF record `, 'm'));
    assert.match(run.stdout, new RegExp(`^${MISTAKES.replaceAll('.', '\\.')}:5:1: warning zone-ttl-missing: no \\$TTL`, 'm'));
  });
});

describe('a finding about what names share, reported once (NSD)', { skip: e2eGate('nsd').skip }, () => {
  let nsd: NsdServer;
  before(async () => {
    const zones = Object.fromEntries(readdirSync(join(REPO_ROOT, FIXTURES)).filter((f) => f.endsWith('.zone') && join(FIXTURES, f) !== MISTAKES)
      .map((f) => [f.slice(0, -'.zone'.length), readFileSync(join(REPO_ROOT, FIXTURES, f), 'utf8')]));
    nsd = await startNsd({ zones });
  });
  after(async () => {
    await nsd?.stop();
  });

  const mxlint = (args: string[]): Promise<CliResult> => runCli(['--server', nsd.server, '--format', 'json', '--timeout', '3000', ...args], { timeoutMs: 30_000 });
  const shared = (rule: string) => rule.startsWith('dmarc-') || rule === 'mx-single';

  it('many names: at the owner of the record and the first user of the exchange; the others list them', async () => {
    const list = jsonResults(await mxlint(['noise.test', 'shop.noise.test', 'sales.noise.test', 'hosted.noise.test']));
    assert.deepEqual(keys(list, shared), [
      'noise.test dmarc-external-report-unauthorized',
      'noise.test dmarc-removed-tag',
      'noise.test dmarc-no-aggregate-reports',
      'noise.test dmarc-policy-none',
      'noise.test mx-single',
      'hosted.noise.test dmarc-removed-tag',
      'hosted.noise.test dmarc-no-aggregate-reports',
      'hosted.noise.test dmarc-subdomain-policy-weaker',
    ]);
    const shop = list[1]!;
    assert.deepEqual(shop.reportedElsewhere?.map((e) => `${e.severity} ${e.rule} ${e.shared} ${e.reportedAt}`), [
      'warning dmarc-external-report-unauthorized _dmarc.noise.test noise.test',
      'warning dmarc-removed-tag _dmarc.noise.test noise.test',
      'info dmarc-no-aggregate-reports _dmarc.noise.test noise.test',
      'info dmarc-policy-none _dmarc.noise.test noise.test',
      'info mx-single mail.noise.test noise.test',
    ]);
    assert.equal(shop.status, 'pass', 'what is reported at noise.test does not count again here');
    // hosted has a record of its own (its ri reported there) and a provider's exchange (no mx-single);
    // the apex's record still applies to hosted's names that do not exist (np), with its pct.
    assert.deepEqual(list[3]!.reportedElsewhere?.map((e) => `${e.rule} ${e.messageId} ${e.reportedAt}`), ['dmarc-removed-tag pct noise.test']);
  });

  it('the subdomain first: reported there once, and at the owner (its own record) too; in text one line says where', async () => {
    const list = jsonResults(await mxlint(['shop.noise.test', 'sales.noise.test', 'noise.test']));
    assert.deepEqual(keys(list, (rule) => rule === 'dmarc-removed-tag'), ['shop.noise.test dmarc-removed-tag', 'noise.test dmarc-removed-tag']);
    const text = await runCli(['--server', nsd.server, '--no-color', '--timeout', '3000', 'noise.test', 'shop.noise.test'], { timeoutMs: 30_000 });
    assert.match(text.stdout, /\nshop\.noise\.test {2}\S+ WARN|\nshop\.noise\.test {2}\S+ PASS/);
    assert.match(text.stdout, /^ {2}reported at noise\.test, about what both share: dmarc-external-report-unauthorized \(warning\), dmarc-removed-tag \(warning\)$/m);
  });

  it('a name checked alone shows everything it inherits', async () => {
    const [shop] = jsonResults(await mxlint(['shop.noise.test']));
    assert.deepEqual(keys([shop!], shared), [
      'shop.noise.test dmarc-external-report-unauthorized', 'shop.noise.test dmarc-removed-tag', 'shop.noise.test dmarc-no-aggregate-reports',
      'shop.noise.test dmarc-policy-none', 'shop.noise.test mx-single',
    ]);
    assert.equal(shop!.reportedElsewhere, undefined);
    assert.equal(shop!.findings.find((f) => f.rule === 'dmarc-policy-none')!.messageId, 'inheritedNone');
  });
});
