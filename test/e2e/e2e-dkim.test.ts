/**
 * End-to-end tests of the dkim family: the built CLI against a real NSD serving
 * test/fixtures/dkim/ on loopback — a DKIM case per selector (keys of every size and kind, flags,
 * malformed records, aliases to a provider's zone that lead to a key, to nothing or in a loop,
 * missing selectors), common selectors found by --dkim-discover, and a wildcard that answers under
 * every selector. Then --dkim-selector through every output format, and zone mode. Every query
 * goes to 127.0.0.1; the fixtures' public-looking addresses are only looked up.
 *
 * Skipped with the reason when nsd is not installed (MXLINT_E2E=required makes that a failure).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { DKIM_DISCOVERY_SELECTORS } from '../../src/facts/dkim-selectors.js';
import { FORMAT_NAMES } from '../../src/report/formats.js';
import { e2eGate, REPO_ROOT, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { assertMatchesSchema, schemaValidator } from '../support/result-schema.js';
import { readZoneFixtures, jsonResults } from '../support/cli-results.js';

const gate = e2eGate('nsd');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'dkim');



/** "rule/messageId@selector" for each dkim finding, sorted. */
function dkimFindings(result: DomainResult): string[] {
  return result.findings.filter((f) => f.rule.startsWith('dkim-'))
    .map((f) => `${f.rule}/${f.messageId}${f.target === undefined ? '' : `@${f.target.split('.')[0]}`}`).sort();
}

it('e2e prerequisites: nsd', { skip: gate.skip }, () => {});

describe('dkim end to end: NSD on loopback', { skip: gate.skip }, () => {
  let nsd: NsdServer;
  before(async () => {
    nsd = await startNsd({ zones: readZoneFixtures(FIXTURES) });
  });
  after(async () => {
    await nsd?.stop();
  });

  const mxlint = (args: string[], format = 'json'): Promise<CliResult> =>
    runCli(['--server', nsd.server, '--timeout', '5000', '--retries', '1', '--format', format, '--checks', 'mx,dkim', ...args], { timeoutMs: 60_000 });
  const one = async (args: string[]): Promise<DomainResult> => {
    const [result] = jsonResults(await mxlint(args));
    assertMatchesSchema(schemaValidator('DomainResult'), result, args.join(' '));
    return result!;
  };

  it('good keys: RSA 2048 with t=s, Ed25519, and a key at a provider behind a CNAME: no finding', async () => {
    const result = await one(['--dkim-selector', 'rsa2048,ed,hosted', 'good.dkim.test']);
    assert.deepEqual(dkimFindings(result), []);
    assert.equal(result.status, 'pass');
    assert.deepEqual(result.dkim?.domainkey, 'exists');
    assert.deepEqual(result.dkim?.selectors.map((s) => [s.selector, s.source, s.state, s.cname, s.key?.type, s.key?.bits, s.key?.usable, s.key?.flags]), [
      ['rsa2048', 'given', 'found', [], 'rsa', 2048, true, ['s']],
      ['ed', 'given', 'found', [], 'ed25519', null, true, []],
      ['hosted', 'given', 'found', ['good-key.provider.test'], 'rsa', 2048, true, []],
    ]);
    assert.equal(result.dkim?.discovery, undefined);
  });

  it('key sizes: 512 bits an error, 1024 a warning, 5120 a warning', async () => {
    const result = await one(['--dkim-selector', 'k512,k1024,k5120', 'weak.dkim.test']);
    assert.deepEqual(dkimFindings(result), ['dkim-key-too-long/tooLong@k5120', 'dkim-key-too-short/short@k1024', 'dkim-key-too-short/tooShort@k512']);
    assert.deepEqual(result.findings.filter((f) => f.rule === 'dkim-key-too-short').map((f) => f.severity).sort(), ['error', 'warning']);
    assert.deepEqual(result.dkim?.selectors.map((s) => s.key?.bits), [512, 1024, 5120]);
  });

  it('flags and tags: testing, sha1 only, an unknown hash only, another service, an unknown key type, revoked', async () => {
    const result = await one(['--dkim-selector', 'testing,sha1,sha512,service,ktype,revoked', 'flags.dkim.test']);
    assert.deepEqual(dkimFindings(result), [
      'dkim-key-hash-unusable/sha1Only@sha1', 'dkim-key-hash-unusable/unknownOnly@sha512', 'dkim-key-not-for-email/notForEmail@service',
      'dkim-key-revoked/revoked@revoked', 'dkim-key-type-unknown/unknown@ktype', 'dkim-testing/testing@testing',
    ]);
    const revoked = result.dkim?.selectors.find((s) => s.selector === 'revoked');
    assert.deepEqual(revoked?.key, { type: 'rsa', bits: null, usable: false, revoked: true, hashes: null, services: ['*'], flags: [] });
  });

  it('broken records: syntax, no p=, not base64, an Ed25519 key in a SubjectPublicKeyInfo, an RSA key for k=ed25519, two records', async () => {
    const result = await one(['--dkim-selector', 'syntax,nop,badkey,edspki,rsaased,multi', 'broken.dkim.test']);
    assert.deepEqual(dkimFindings(result), [
      'dkim-key-invalid/invalid@badkey', 'dkim-key-invalid/invalid@edspki', 'dkim-key-invalid/invalid@rsaased',
      'dkim-multiple/multiple@multi', 'dkim-syntax/malformed@nop', 'dkim-syntax/malformed@syntax',
    ]);
    const message = (selector: string): string => result.findings.find((f) => f.target === `${selector}._domainkey.broken.dkim.test`)!.message;
    assert.match(message('edspki'), /wrapped in a SubjectPublicKeyInfo \(44 octets\)/);
    assert.match(message('syntax'), /v=DKIM1 is not the first tag/);
    // A record of several strings is read joined, as verifiers read it (RFC 6376 §3.6.2.2).
    const multi = result.dkim?.selectors.find((s) => s.selector === 'multi');
    assert.equal(multi?.state, 'multiple');
    assert.ok(multi?.records?.every((r) => !r.includes('"')) && multi.records.some((r) => r.length > 255), JSON.stringify(multi?.records));
  });

  it('aliases: to a name that does not exist (the removed key), to a name without TXT, a loop', async () => {
    const result = await one(['--dkim-selector', 'gone,empty,loop1', 'cname.dkim.test']);
    assert.deepEqual(dkimFindings(result), ['dkim-cname-broken/loop@loop1', 'dkim-cname-broken/nodata@empty', 'dkim-cname-broken/nxdomain@gone']);
    assert.deepEqual(result.dkim?.selectors.map((s) => [s.selector, s.state, s.cname]), [
      ['gone', 'nxdomain', ['removed.provider.test']],
      ['empty', 'nodata', ['empty.provider.test']],
      ['loop1', 'loop', ['loop2._domainkey.cname.dkim.test', 'loop1._domainkey.cname.dkim.test']],
    ]);
  });

  it('missing selectors: NXDOMAIN and NODATA told apart', async () => {
    const result = await one(['--dkim-selector', 'absent,nodata', 'missing.dkim.test']);
    assert.deepEqual(dkimFindings(result), ['dkim-selector-missing/nodata@nodata', 'dkim-selector-missing/nxdomain@absent']);
    assert.equal(result.status, 'fail');
  });

  it('--dkim-discover: keys under common selectors (one at a provider), a wildcard that is no key, nothing under _domainkey', async () => {
    const run = await mxlint(['--dkim-discover', 'discover.dkim.test', 'wild.dkim.test', 'nokeys.dkim.test', 'hint.dkim.test']);
    const byDomain = new Map(jsonResults(run).map((r) => [r.domain, r]));
    const discover = byDomain.get('discover.dkim.test')!;
    assert.deepEqual(dkimFindings(discover), []);
    assert.deepEqual(discover.dkim?.selectors.map((s) => [s.selector, s.source, s.state, s.cname, s.key?.usable]), [
      ['google', 'discovered', 'found', [], true], ['selector1', 'discovered', 'found', ['good-key.provider.test'], true],
    ]);
    assert.deepEqual(discover.dkim?.discovery, { asked: DKIM_DISCOVERY_SELECTORS.length });
    assert.deepEqual(byDomain.get('wild.dkim.test')?.dkim?.selectors, [], 'the wildcard TXT is no key');
    assert.deepEqual(dkimFindings(byDomain.get('wild.dkim.test')!), ['dkim-selectors-unknown/noneDiscovered']);
    assert.deepEqual(byDomain.get('nokeys.dkim.test')?.dkim, { domainkey: 'nxdomain', selectors: [], discovery: { asked: 0 } });
    assert.deepEqual(dkimFindings(byDomain.get('nokeys.dkim.test')!), ['dkim-selectors-unknown/nxdomain']);
    assert.deepEqual(dkimFindings(byDomain.get('hint.dkim.test')!), ['dkim-selectors-unknown/noneDiscovered']);
    for (const result of byDomain.values()) assert.equal(result.status, 'pass', result.domain ?? '');
  });

  it('--dkim-selector in every output format: the finding and its rule id are there', async () => {
    const args = ['--dkim-selector', 'testing', '--dkim-selector', 'revoked', 'flags.dkim.test'];
    const runs = await Promise.all(FORMAT_NAMES.map(async (format) => [format, await mxlint(args, format)] as const));
    for (const [format, run] of runs) {
      assert.equal(run.code, 1, `${format}: exit 1 (a warning)\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, `${format}: ${run.stderr}`);
      assert.ok(run.stdout.includes('dkim-testing'), `${format} names dkim-testing:\n${run.stdout}`);
    }
    const output = new Map(runs.map(([format, run]) => [format, run.stdout]));
    assert.match(output.get('text')!, /^ {2}DKIM testing: ! rsa 2048 bits, testing \(t=y\) {2}\(testing\._domainkey\.flags\.dkim\.test\)$/m);
    assert.match(output.get('text')!, /^ {2}DKIM revoked: revoked \(empty p=\) {2}\(revoked\._domainkey\.flags\.dkim\.test\)$/m);
    assert.deepEqual(JSON.parse(output.get('json')!)[0].dkim.selectors.map((s: { selector: string }) => s.selector), ['testing', 'revoked']);
    assert.deepEqual(JSON.parse(output.get('jsonl')!.trim()).dkim.selectors.map((s: { selector: string }) => s.selector), ['testing', 'revoked']);
    assert.match(output.get('csv')!, /^flags\.dkim\.test,warn,,dkim-testing,,mx\.flags\.dkim\.test,\d+$/m);
    assert.match(output.get('prometheus')!, /^mxlint_findings\{domain="flags\.dkim\.test",rule="dkim-testing",severity="warning"\} 1$/m);
    assert.match(output.get('github')!, /^::warning title=dkim-testing::flags\.dkim\.test: Selector testing/m);
    assert.match(output.get('nagios')!, /^MXLINT WARNING - flags\.dkim\.test: dkim-testing \(testing\._domainkey\.flags\.dkim\.test\) \|/);
    assert.equal(JSON.parse(output.get('sarif')!).runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'dkim-testing').length, 1);
    assert.match(output.get('junit')!, /dkim-testing/);
  });

  it('zone mode: the selectors are looked up in the zone file, names outside it are not asked', async () => {
    const run = await runCli(['--zone', join(FIXTURES, 'dkim.test.zone'), '--offline', '--format', 'json', '--checks', 'dkim', '--dkim-selector', 'k512,hosted'],
      { isolateNetwork: true, timeoutMs: 60_000 });
    const byDomain = new Map(jsonResults(run).map((r) => [r.domain, r]));
    assert.deepEqual(dkimFindings(byDomain.get('weak.dkim.test')!).filter((k) => k.startsWith('dkim-key')), ['dkim-key-too-short/tooShort@k512']);
    const hosted = byDomain.get('good.dkim.test')?.dkim?.selectors.find((s) => s.selector === 'hosted');
    assert.deepEqual([hosted?.state, hosted?.cname], ['failed', ['good-key.provider.test']]);
    assert.ok(byDomain.get('good.dkim.test')?.findings.some((f) => f.rule === 'zone-external-not-checked'), 'the provider\'s name is reported as not checked');
    assert.ok(!byDomain.get('good.dkim.test')?.findings.some((f) => f.rule === 'dkim-lookup-failed'), 'not as a failed lookup');
  });
});
