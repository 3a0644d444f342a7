/**
 * End-to-end: the built CLI (`node bin/mxlint.js`) against a real NSD serving the fixture zones of
 * test/fixtures/e2e-spf/ on loopback — the spf family (`--checks spf`) and the `mxlint spf`
 * subcommand, every result and exit code of the matrix in spf.test.zone's header. The CLI is always
 * given --server; runs that must reach nothing run in a network namespace of their own.
 *
 * Skipped with a visible reason when nsd is not installed; MXLINT_E2E=required makes that a failure.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import type { SpfOutcome, SpfResult } from '../../src/families/spf/check-host.js';
import { canIsolateNetwork, e2eGate, REPO_ROOT, runCli } from '../support/e2e.js';
import type { CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { readZoneFixtures } from '../support/cli-results.js';

const gate = e2eGate('nsd');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'e2e-spf');


/** Every domain of the family's matrix with the rules that fire for it ("rule" or "rule@target"), sorted. */
const FAMILY_CASES: Record<string, string[]> = {
  'good.spf.test': [],
  'split.spf.test': [],
  'softfail.spf.test': [],
  'neutral.spf.test': ['spf-permissive-all'],
  'none.spf.test': ['spf-missing'],
  'nullmx.spf.test': ['spf-missing'],
  'multiple.spf.test': ['spf-multiple'],
  'syntax.spf.test': ['spf-syntax'],
  'lookups.spf.test': ['spf-lookup-limit'],
  'voids.spf.test': ['spf-void-lookup-limit'],
  'plusall.spf.test': ['spf-permissive-all'],
  'ptr.spf.test': ['spf-ptr'],
  'unresolvable.spf.test': ['spf-include-unresolvable@_nowhere.spf.test'],
  'refused.spf.test': ['spf-lookup-failed@_spf.elsewhere.invalid'],
  'absent.spf.test': [],
  'mx11.spf.test': ['spf-mx-limit'],
  'v6host.spf.test': ['spf-void-lookup-limit'],
  'noall.spf.test': ['spf-permissive-all'],
  'nullmx-sends.spf.test': ['spf-null-mx-authorizes'],
};

/** `mxlint spf DOMAIN --ip IP`: the result, and the exit code it must give. */
const SUBCOMMAND_CASES: [string, string, SpfResult][] = [
  ['good.spf.test', '192.0.2.25', 'pass'],
  ['good.spf.test', '2001:db8::25', 'pass'],
  ['good.spf.test', '198.51.100.7', 'pass'],
  ['good.spf.test', '203.0.113.9', 'fail'],
  ['split.spf.test', '192.0.2.10', 'pass'],
  ['softfail.spf.test', '203.0.113.9', 'softfail'],
  ['neutral.spf.test', '203.0.113.9', 'neutral'],
  ['none.spf.test', '203.0.113.9', 'none'],
  ['multiple.spf.test', '192.0.2.25', 'permerror'],
  ['syntax.spf.test', '192.0.2.25', 'permerror'],
  ['lookups.spf.test', '203.0.113.9', 'permerror'],
  ['voids.spf.test', '203.0.113.9', 'permerror'],
  ['plusall.spf.test', '203.0.113.9', 'pass'],
  ['ptr.spf.test', '192.0.2.25', 'pass'],
  ['ptr.spf.test', '192.0.2.26', 'fail'],
  ['unresolvable.spf.test', '203.0.113.9', 'permerror'],
  ['refused.spf.test', '203.0.113.9', 'temperror'],
  ['mx11.spf.test', '192.0.2.25', 'permerror'],
  ['v6host.spf.test', '203.0.113.9', 'permerror'],
  ['v6host.spf.test', '2001:db8::99', 'fail'],
  ['noall.spf.test', '203.0.113.9', 'neutral'],
  ['nullmx-sends.spf.test', '192.0.2.10', 'pass'],
];

const EXIT_CODE: Record<SpfResult, number> = { pass: 0, softfail: 1, neutral: 1, none: 1, fail: 2, permerror: 2, temperror: 3 };

it('e2e prerequisite: nsd is installed', { skip: gate.skip }, () => {});

describe('spf end to end against NSD', { skip: gate.skip }, () => {
  let nsd: NsdServer | undefined;
  let family: CliResult;
  let results = new Map<string, DomainResult>();
  const server = (): string => {
    assert.ok(nsd, 'NSD is running');
    return nsd.server;
  };
  const spf = (args: string[]): Promise<CliResult> => runCli(['spf', ...args, '--server', server(), '--timeout', '1000', '--retries', '0']);

  before(async () => {
    nsd = await startNsd({ zones: readZoneFixtures(FIXTURES) });
    family = await runCli(['--server', nsd.server, '--checks', 'spf', '--format', 'json', ...Object.keys(FAMILY_CASES)], { timeoutMs: 60_000 });
    results = new Map((JSON.parse(family.stdout) as DomainResult[]).map((r) => [r.domain!, r]));
  });
  after(async () => {
    await nsd?.stop();
  });

  describe('--checks spf', () => {
    it('reports every domain, and exits 2 (an error finding) with nothing on stderr', () => {
      assert.deepEqual([...results.keys()], Object.keys(FAMILY_CASES));
      assert.equal(family.code, 2, family.stderr);
      assert.equal(family.stderr, '');
    });

    for (const [domain, expected] of Object.entries(FAMILY_CASES)) {
      it(`${domain} → ${expected.join(', ') || 'no findings'}`, () => {
        const result = results.get(domain);
        assert.ok(result, domain);
        const found = result.findings.map((f) => (f.target === undefined ? f.rule : `${f.rule}@${f.target}`)).sort();
        assert.deepEqual(found, expected, result.findings.map((f) => f.message).join('\n'));
        assert.ok(result.findings.every((f) => f.rule.startsWith('spf-')), 'only spf rules run');
      });
    }

    it('the messages carry what was found: the count, the null-MX advice, the severity of ?all', () => {
      const message = (domain: string): string => results.get(domain)!.findings[0]!.message;
      assert.match(message('lookups.spf.test'), /takes 12 DNS lookups .*a:mail\.spf\.test 1, mx:good\.spf\.test 1, include:_six\.spf\.test 6, include:_four\.spf\.test 4/);
      assert.match(message('nullmx.spf.test'), /v=spf1 -all/);
      assert.equal(results.get('neutral.spf.test')!.findings[0]!.severity, 'warning');
      assert.equal(results.get('plusall.spf.test')!.findings[0]!.severity, 'error');
      assert.equal(results.get('refused.spf.test')!.status, 'unknown');
      assert.match(message('refused.spf.test'), /^TXT _spf\.elsewhere\.invalid: REFUSED from 127\.0\.0\.1:\d+( EDE 20 \(Not Authoritative\): it is not a recursive resolver, or not for us: ask one that is)?\. /);
    });

    it('the spf section: multi-string records joined, the include tree with its costs', () => {
      const { evaluations: _, ...split } = results.get('split.spf.test')!.spf!;
      assert.deepEqual(split, { state: 'found', record: 'v=spf1 ip4:192.0.2.0/24 -all', lookups: 0, voidLookups: 0, includes: [] });
      const lookups = results.get('lookups.spf.test')!.spf!;
      assert.equal(lookups.lookups, 12);
      assert.deepEqual(lookups.includes.map((i) => [i.term, i.lookups, i.record]), [
        ['include:_six.spf.test', 6, 'v=spf1 a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test ~all'],
        ['include:_four.spf.test', 4, 'v=spf1 a:mail.spf.test a:mail.spf.test a:mail.spf.test ~all'],
      ]);
      assert.equal(results.get('voids.spf.test')!.spf!.voidLookups, 3);
    });

    it('the limits a client meets, as mxlint spf meets them: 11 MX names, a: hosts with only AAAA for IPv4 clients', () => {
      const message = (domain: string): string => results.get(domain)!.findings[0]!.message;
      assert.match(message('mx11.spf.test'), /^"mx" in the SPF record of mx11\.spf\.test looks up mx11\.spf\.test, which has 11 MX records/);
      assert.match(message('v6host.spf.test'), /^For IPv4 clients that the record does not list \(evaluated as 192\.0\.2\.1\), .*\(a:v6a\.spf\.test, a:v6b\.spf\.test, a:gone1\.spf\.test\)/);
      const evaluations = (domain: string) => results.get(domain)!.spf!.evaluations.map((e) => [e.family, e.ip, e.result, e.limit]);
      assert.deepEqual(evaluations('mx11.spf.test'), [[4, '192.0.2.1', 'permerror', 'mxNames'], [6, '2001:db8::1', 'permerror', 'mxNames']]);
      assert.deepEqual(evaluations('v6host.spf.test'), [[4, '192.0.2.1', 'permerror', 'voidLookups'], [6, '2001:db8::1', 'fail', null]]);
      assert.deepEqual(evaluations('split.spf.test').map(([family, ip]) => [family, ip]), [[4, '198.51.100.1'], [6, '2001:db8::1']], 'an address ip4:192.0.2.0/24 lists is not used');
      assert.deepEqual(results.get('none.spf.test')!.spf!.evaluations, []);
      assert.match(message('noall.spf.test'), /has neither "all" nor "redirect="/);
      assert.equal(results.get('noall.spf.test')!.findings[0]!.severity, 'warning');
      assert.match(message('nullmx-sends.spf.test'), /takes no mail \(null MX\), yet its SPF record lets senders pass \("ip4:192\.0\.2\.0\/24"\)/);
    });

    it('each evaluation is what mxlint spf says for that address', async () => {
      for (const domain of ['good.spf.test', 'mx11.spf.test', 'v6host.spf.test', 'noall.spf.test']) {
        for (const evaluation of results.get(domain)!.spf!.evaluations) {
          const outcome = JSON.parse((await spf([domain, '--ip', evaluation.ip, '--format', 'json'])).stdout) as SpfOutcome;
          assert.deepEqual([outcome.result, outcome.reason, outcome.lookups, outcome.voidLookups, outcome.limit?.limit ?? null],
            [evaluation.result, evaluation.reason, evaluation.lookups, evaluation.voidLookups, evaluation.limit], `${domain} ${evaluation.ip}`);
        }
      }
    });

    it('text output shows the record and its lookup count', async () => {
      const run = await runCli(['--server', server(), '--checks', 'spf', 'good.spf.test']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^good\.spf\.test {2}✓ PASS$/m);
      assert.match(run.stdout, /^ {2}SPF v=spf1 mx include:_spf\.provider\.spf\.test -all exp=_why\.spf\.test {2}\(2 of 10 DNS lookups\)$/m);
    });
  });

  describe('mxlint spf DOMAIN --ip ADDRESS', () => {
    for (const [domain, ip, result] of SUBCOMMAND_CASES) {
      it(`${domain} --ip ${ip} → ${result}, exit ${EXIT_CODE[result]}`, async () => {
        const run = await spf([domain, '--ip', ip, '--format', 'json']);
        assert.equal(run.stderr, '');
        const outcome = JSON.parse(run.stdout) as SpfOutcome & { domain: string; ip: string };
        assert.equal(outcome.result, result, outcome.reason);
        assert.equal(run.code, EXIT_CODE[result]);
        assert.deepEqual([outcome.domain, outcome.ip], [domain, ip]);
      });
    }

    it('text: the trace of terms, through the include, and the result with its exp= explanation', async () => {
      const run = await spf(['good.spf.test', '--ip', '203.0.113.9', '--sender', 'bob@good.spf.test', '--helo', 'mail.spf.test']);
      assert.equal(run.code, 2, run.stderr);
      assert.deepEqual(run.stdout.split('\n'), [
        'good.spf.test  FAIL for 203.0.113.9 (sender bob@good.spf.test, HELO mail.spf.test)',
        '  good.spf.test: v=spf1 mx include:_spf.provider.spf.test -all exp=_why.spf.test',
        '    mx  no match: mail.spf.test 192.0.2.25',
        '    include:_spf.provider.spf.test  no match: _spf.provider.spf.test: softfail',
        '    _spf.provider.spf.test: v=spf1 ip4:198.51.100.0/24 ~all',
        '      ip4:198.51.100.0/24  no match',
        '      ~all  match: always matches',
        '      = softfail: "~all" in the SPF record of _spf.provider.spf.test matched',
        '    -all  match: always matches',
        '  fail: "-all" in the SPF record of good.spf.test matched',
        '  explanation: 203.0.113.9 is not one of good.spf.test\'s mail servers',
        '  DNS lookups: 2 of 10, void lookups: 0 of 2',
        '',
      ]);
    });

    it('over TCP the result is the same', async () => {
      const run = await spf(['lookups.spf.test', '--ip', '203.0.113.9', '--tcp', '--format', 'json']);
      const outcome = JSON.parse(run.stdout) as SpfOutcome;
      assert.equal(outcome.result, 'permerror');
      assert.equal(outcome.lookups, 11);
      assert.match(outcome.reason, /DNS-querying term number 11; at most 10/);
    });

    it('temperror names the failed lookup', async () => {
      const run = await spf(['refused.spf.test', '--ip', '203.0.113.9']);
      assert.equal(run.code, 3);
      assert.match(run.stdout, /^ {2}temperror: TXT _spf\.elsewhere\.invalid: REFUSED from 127\.0\.0\.1:\d+( EDE 20 \(Not Authoritative\): it is not a recursive resolver, or not for us: ask one that is)?$/m);
    });
  });

  describe('usage errors: one line on stderr, exit 3, nothing sent', () => {
    const cases: [string, string[], RegExp][] = [
      ['no --ip', ['good.spf.test'], /^mxlint: Missing required argument: ip \(see mxlint spf --help\)\n$/],
      ['an --ip that is not an address', ['good.spf.test', '--ip', '192.0.2'], /^mxlint: --ip: "192\.0\.2" is not an IPv4 or IPv6 address/],
      ['a domain that is not a domain', ['https://good.spf.test', '--ip', '192.0.2.25'], /is not a domain name: this is a URL/],
      ['a --sender without @', ['good.spf.test', '--ip', '192.0.2.25', '--sender', 'bob'], /--sender: "bob" is not an e-mail address/],
      ['an unknown flag', ['good.spf.test', '--ip', '192.0.2.25', '--checks', 'mx'], /^mxlint: unknown option --checks \(see mxlint spf --help\)/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const run = await runCli(['spf', ...args, '--server', '127.0.0.1:9'], canIsolateNetwork() ? { isolateNetwork: true } : {});
        assert.equal(run.code, 3);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, message);
        assert.equal(run.stderr.split('\n').length, 2, 'one line');
      });
    }

    it('mxlint spf --help prints its usage and exits 0', async () => {
      const run = await runCli(['spf', '--help'], canIsolateNetwork() ? { isolateNetwork: true } : { allowNoServer: true });
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^mxlint spf <domain> --ip <address> \[options\]/);
      assert.match(run.stdout, /Exit status: 0 pass, 1 softfail, neutral or none, 2 fail or permerror, 3 temperror/);
    });
  });
});
