/**
 * The takeover check end to end through the built CLI, against a real hierarchy on loopback
 * (127.0.14.x:53, one NSD per address, Unbound recursing from the root). victim.test depends on
 * domains the test. registry does not delegate — its MX host, an SPF include of its vendor, its
 * DMARC and TLS reports, its MTA-STS policy host, a DKIM selector's alias and one of its name
 * servers — so NXDOMAIN comes from test.'s own server, asked directly. vendor.test exists (a name merely missing there is no takeover, an alias into it that
 * leads nowhere is a dangling alias); dead-vendor.test is delegated to a server where nothing
 * listens, so the resolver fails and the registry's referral says it is registered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainResult } from '../../src/engine/result.js';
import { e2eGate, runCli } from '../support/e2e.js';
import { startHierarchy, type Hierarchy } from '../support/hierarchy.js';

const gates = [e2eGate('nsd'), e2eGate('unbound')];
const skip = gates.find((g) => g.skip !== false)?.skip ?? false;

const ADDRESS = { root: '127.0.14.1', tld: '127.0.14.2', victim: '127.0.14.3', vendor: '127.0.14.4', dead: '127.0.14.5', resolver: '127.0.14.53' };

const VICTIM = `@ NS ns1
@ NS ns.gone-dns.test.
ns1 A ${ADDRESS.victim}
@ MX 10 mx1
@ MX 20 mx.gone-mail.test.
@ MX 30 mx2
@ MX 40 nothing.vendor.test.
@ MX 50 mx.dead-vendor.test.
mx1 A 185.199.110.25
mx2 CNAME mx.vendor.test.
@ TXT "v=spf1 mx include:_spf.vendor.test -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@reports.gone-reports.test"
_smtp._tls TXT "v=TLSRPTv1; rua=mailto:tls@gone-tlsrpt.test"
_mta-sts TXT "v=STSv1; id=1"
mta-sts CNAME sts.gone-sts.test.
_domainkey TXT "o=~"
s1._domainkey CNAME s1.domainkey.gone-esp.test.
selector1._domainkey CNAME selector1-victim._domainkey.vendor.test.`;

const VENDOR = `_spf TXT "v=spf1 include:_spf.gone-spf.test ~all"
www A 185.199.110.80`;

const CLI = ['--timeout', '3000', '--retries', '0', '--format', 'json'];

describe('mxlint: names anyone may register, against a real hierarchy', { skip }, () => {
  let hierarchy: Hierarchy;
  let resolver: string;

  before(async () => {
    hierarchy = await startHierarchy({
      zones: [
        { name: '.', address: ADDRESS.root },
        { name: 'test.', address: ADDRESS.tld },
        { name: 'victim.test.', address: ADDRESS.victim, text: VICTIM },
        { name: 'vendor.test.', address: ADDRESS.vendor, text: VENDOR },
        { name: 'dead-vendor.test.', address: ADDRESS.dead, down: true },
      ],
      resolver: { address: ADDRESS.resolver },
    });
    resolver = hierarchy.resolver!.server;
  });
  after(() => hierarchy?.stop());

  async function check(...args: string[]): Promise<DomainResult> {
    const run = await runCli(['victim.test', '--server', resolver, ...CLI, ...args]);
    assert.ok(run.code !== null && !run.timedOut, `${run.stderr}\n${hierarchy.logs()}`);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    return result!;
  }

  it('reports each domain the registry does not delegate, confirmed by the registry\'s server, with the records that lead to it', async () => {
    const result = await check('--allow-private');
    const takeover = result.findings.filter((f) => f.rule.startsWith('takeover-'));
    assert.deepEqual(takeover.map((f) => [f.rule, f.severity, f.target]), [
      ['takeover-unregistered-domain', 'error', 'gone-dns.test'],
      ['takeover-unregistered-domain', 'error', 'gone-mail.test'],
      ['takeover-unregistered-domain', 'error', 'gone-reports.test'],
      ['takeover-unregistered-domain', 'error', 'gone-spf.test'],
      ['takeover-unregistered-domain', 'error', 'gone-sts.test'],
      ['takeover-unregistered-domain', 'error', 'gone-tlsrpt.test'],
      ['takeover-dangling-alias', 'warning', 'mx.vendor.test'],
    ], `${JSON.stringify(result, null, 2)}\n${hierarchy.logs()}`);
    const message = (target: string): string => takeover.find((f) => f.target === target)!.message;
    const confirmed = '(NXDOMAIN from ns1.test (127.0.14.2), a server of the parent zone test)';
    assert.equal(message('gone-mail.test'), `gone-mail.test does not exist ${confirmed}, yet victim.test depends on it: victim.test MX 20 mx.gone-mail.test. `
      + 'Anyone may be able to register gone-mail.test and then receive mail for victim.test.');
    assert.equal(message('gone-spf.test'), `gone-spf.test does not exist ${confirmed}, yet victim.test depends on it: `
      + 'victim.test SPF include:_spf.vendor.test → _spf.vendor.test SPF include:_spf.gone-spf.test. '
      + "Anyone may be able to register gone-spf.test and then send mail that passes victim.test's SPF check.");
    assert.match(message('gone-dns.test'), /depends on it: victim\.test NS ns\.gone-dns\.test\. .* answer for victim\.test's zone, every record of it\.$/);
    assert.match(message('gone-reports.test'), /depends on it: _dmarc\.victim\.test DMARC rua=mailto:dmarc@reports\.gone-reports\.test\. .* read victim\.test's DMARC reports\.$/);
    assert.match(message('gone-tlsrpt.test'), /depends on it: _smtp\._tls\.victim\.test TLS-RPT rua=mailto:tls@gone-tlsrpt\.test\. .* read victim\.test's TLS reports\.$/);
    assert.match(message('gone-sts.test'),
      /depends on it: _mta-sts\.victim\.test MTA-STS policy host mta-sts\.victim\.test → mta-sts\.victim\.test CNAME sts\.gone-sts\.test\. .* serve victim\.test's MTA-STS policy\.$/);
    assert.match(message('mx.vendor.test'), /^mx2\.victim\.test is an alias of mx\.vendor\.test, which does not exist, under vendor\.test, another organization's domain: victim\.test MX 30 mx2\.victim\.test → mx2\.victim\.test CNAME mx\.vendor\.test\./);
  });

  it('follows the DKIM selectors asked about: an alias under a lapsed domain is an error, one into a registered domain that leads nowhere a warning', async () => {
    const plain = await check('--allow-private');
    assert.ok(!plain.findings.some((f) => f.rule.startsWith('takeover-') && /_domainkey/.test(f.message)), 'no selector named, none followed');
    const result = await check('--allow-private', '--dkim-selector', 's1,selector1');
    const takeover = result.findings.filter((f) => f.rule.startsWith('takeover-') && /_domainkey/.test(f.message));
    assert.deepEqual(takeover.map((f) => [f.rule, f.severity, f.target]), [
      ['takeover-unregistered-domain', 'error', 'gone-esp.test'],
      ['takeover-dangling-alias', 'warning', 'selector1-victim._domainkey.vendor.test'],
    ], `${JSON.stringify(result.findings, null, 2)}\n${hierarchy.logs()}`);
    assert.equal(takeover[0]!.message, 'gone-esp.test does not exist (NXDOMAIN from ns1.test (127.0.14.2), a server of the parent zone test), yet victim.test depends on it: '
      + 's1._domainkey.victim.test CNAME s1.domainkey.gone-esp.test. '
      + "Anyone may be able to register gone-esp.test and then publish the DKIM key verifiers use for victim.test's signatures, and sign mail as victim.test.");
    assert.ok(result.findings.some((f) => f.rule === 'dkim-cname-broken'), 'the dkim family reports the broken aliases as well');
  });

  it('leaves a name merely missing under a registered domain to the other rules, and a delegated domain the resolver cannot reach alone', async () => {
    const result = await check('--allow-private');
    const states = new Map(result.takeover!.state === 'checked' ? result.takeover!.domains.map((d) => [d.domain, d.state]) : []);
    assert.equal(states.get('vendor.test'), 'registered');
    assert.equal(states.get('dead-vendor.test'), 'registered', 'the registry refers the question to its servers: delegated, so registered');
    assert.ok(!result.findings.some((f) => f.rule === 'takeover-lookup-failed'), JSON.stringify(result.findings));
    assert.ok(result.findings.some((f) => f.rule === 'mx-target-no-address' && f.target === 'nothing.vendor.test'));
    assert.ok(!result.findings.some((f) => f.rule.startsWith('takeover-') && (f.target === 'vendor.test' || f.target === 'nothing.vendor.test')));
  });

  it('without --allow-private the registry\'s loopback server is not asked: the resolver\'s NXDOMAIN stands, and the finding says why', async () => {
    const result = await check();
    const finding = result.findings.find((f) => f.rule === 'takeover-unregistered-domain' && f.target === 'gone-mail.test');
    assert.match(finding?.message ?? '', /^gone-mail\.test does not exist \(NXDOMAIN from the resolver; the servers of the parent zone test gave no answer to go by: ns1\.test \(127\.0\.14\.2\) is not asked: the address is not globally routable \(loopback\)\), yet/);
    const entry = result.takeover!.state === 'checked' ? result.takeover!.domains.find((d) => d.domain === 'gone-mail.test') : undefined;
    assert.equal(entry?.confirmedBy, 'resolver');
  });

  it('the text report lists what was found', async () => {
    const run = await runCli(['victim.test', '--server', resolver, '--allow-private', '--timeout', '3000', '--retries', '0']);
    assert.match(run.stdout, /^ {2}TAKEOVER ✓ registered: vendor\.test, dead-vendor\.test$/m, run.stdout);
    assert.match(run.stdout, /^ {2}TAKEOVER ✗ gone-mail\.test does not exist: mx\.gone-mail\.test {2}\(NXDOMAIN from ns1\.test \(127\.0\.14\.2\)\)$/m);
    assert.match(run.stdout, /^ {2}TAKEOVER ✗ mx2\.victim\.test → mx\.vendor\.test, which does not exist$/m);
  });
});
