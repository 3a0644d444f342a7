/**
 * End-to-end tests of the DMARC, TLS-RPT, MTA-STS, reverse DNS and DNSBL families: the built CLI
 * against a real NSD serving test/fixtures/policy/ and, for MTA-STS, a real HTTPS server (node:https)
 * on 127.0.6.1:443 with certificates from a test CA — a good policy, one missing an exchange, a
 * redirect, an oversized body, a wrong certificate, an expired one, a server that trickles, a policy
 * host reached through --connect-to, and more. Every address contacted is loopback; the fixtures'
 * public-looking addresses are only looked up.
 *
 * Needs nsd and openssl, and root for port 443; skipped with the reason otherwise (MXLINT_E2E=required
 * makes that a failure).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { DEFAULT_HTTPS_TIMEOUT_MS } from '../../src/facts/https-resource.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { e2eGate, REPO_ROOT, runCli, startDnsTap, type CliResult, type DnsTap, type Gate } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/pki.js';
import { readZoneFixtures, jsonResults } from '../support/cli-results.js';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'policy');
/** This suite's loopback block (fixed port 443): the policy server, and an address where nothing listens. */
const POLICY_SERVER = '127.0.6.1';
const PLAIN_HTTP_SERVER = '127.0.6.3';
const HTTPS_TIMEOUT_MS = 1500;
/** The deadline of the fetches that must end on their own merits: 15 fetches at once, TLS and all, on a loaded machine come nowhere near it. */
const PATIENT_HTTPS_TIMEOUT_MS = 20_000;

function rootGate(): Gate {
  if (process.getuid?.() === 0) return { skip: false };
  const reason = 'not root: cannot bind 127.0.6.1:443 for the MTA-STS policy server (set MXLINT_E2E=required to fail instead)';
  if (process.env.MXLINT_E2E === 'required') throw new Error(`${reason.split(' (')[0]} and MXLINT_E2E=required`);
  return { skip: reason };
}

const gates: Gate[] = [e2eGate('nsd'), e2eGate('openssl'), rootGate()];
const skip = gates.map((g) => g.skip).find((reason) => reason !== false) ?? false;



/** "rule" or "rule@target", sorted, with repeats: the exact findings of one domain. */
function keys(findings: Finding[]): string[] {
  return findings.map((f) => (f.target === undefined ? f.rule : `${f.rule}@${f.target}`)).sort();
}

function byDomain(list: DomainResult[]): Map<string, DomainResult> {
  return new Map(list.map((r) => [r.input, r]));
}

function finding(result: DomainResult | undefined, rule: string): Finding {
  const found = result?.findings.find((f) => f.rule === rule);
  assert.ok(found, `${result?.input} has ${rule}: ${JSON.stringify(result?.findings.map((f) => f.rule))}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The policy server: one HTTPS server, a behaviour per policy host (by SNI and Host header).

const GOOD_POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.good.policy.test\r\nmx: *.good.policy.test\r\nmax_age: 86400\r\n';

type Route = (res: import('node:http').ServerResponse) => void;

function text(body: string, contentType = 'text/plain; charset=utf-8'): Route {
  return (res) => {
    res.writeHead(200, { 'content-type': contentType });
    res.end(body);
  };
}

const trickles = new Set<NodeJS.Timeout>();

const ROUTES: Record<string, Route> = {
  'good': text(GOOD_POLICY),
  'sts-good': text(GOOD_POLICY),
  'sts-badrecord': text(GOOD_POLICY),
  // "*.policy.test" stands for one label: mx2.good.policy.test is not allowed.
  'sts-missing': text('version: STSv1\nmode: enforce\nmx: mx1.good.policy.test\nmx: *.policy.test\nmax_age: 604800\n'),
  'sts-redirect': (res) => {
    res.writeHead(301, { location: 'https://mta-sts.good.policy.test/.well-known/mta-sts.txt' });
    res.end();
  },
  'sts-big': text(`${GOOD_POLICY}${'# padding\n'.repeat(7000)}`),
  'sts-wrongcert': text(GOOD_POLICY),
  'sts-expired': text(GOOD_POLICY),
  'sts-connect': text(GOOD_POLICY),
  'sts-slow': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('v'), 100);
    trickles.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      trickles.delete(timer);
    });
  },
  'sts-html': text(GOOD_POLICY, 'text/html'),
  // The good policy with "x-note: café" in Latin-1: é is one octet 0xE9, not UTF-8.
  'sts-latin1': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
    res.end(Buffer.concat([Buffer.from(`${GOOD_POLICY}x-note: caf`), Buffer.from([0xe9]), Buffer.from('\r\n')]));
  },
  'sts-notfound': (res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  },
  'sts-badpolicy': text('version: STSv1\nmode: enforcing\nmx: mx1.good.policy.test\n'),
  // TLS, then bytes that are no HTTP response (an escape sequence among them).
  'sts-nothttp': (res) => {
    res.socket?.end('SSH-2.0-OpenSSH_9.6\u001b]0;owned\u0007\r\n');
  },
  // Compressed though the request asked for the body as it is (Accept-Encoding: identity).
  'sts-gzip': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
    res.end(gzipSync(GOOD_POLICY));
  },
  // Lines that would retitle and clear the terminal of whoever reads the findings.
  'sts-hostile': text(`${GOOD_POLICY}\u001b]0;owned\u0007\u001b[2J\u202e\r\n`),
};

/** What a web server without TLS says to a TLS ClientHello: plain HTTP (a misconfigured port 443). */
async function startPlainHttpServer(): Promise<NetServer> {
  const server = createNetServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, PLAIN_HTTP_SERVER, () => resolve());
  });
  return server;
}

interface PolicyServer {
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function startPolicyServer(ca: TestCa): Promise<PolicyServer> {
  const names = Object.keys(ROUTES).map((label) => `mta-sts.${label}.policy.test`);
  const leaf = await ca.issue({ names });
  const other = await ca.issue({ names: ['www.elsewhere.test'] });
  const expired = await ca.issue({ names: ['mta-sts.sts-expired.policy.test'], days: -1 });
  const context = (issued: IssuedCertificate): SecureContext => createSecureContext({ key: issued.keyPem, cert: issued.chainPem });
  const right = context(leaf);
  const contexts = new Map<string, SecureContext>(names.map((name) => [name, right]));
  contexts.set('mta-sts.sts-wrongcert.policy.test', context(other));
  contexts.set('mta-sts.sts-expired.policy.test', context(expired));
  const state: PolicyServer = { connections: 0, requests: [], close: async () => undefined };
  const sockets = new Set<Socket>();
  const server: Server = createServer({
    key: leaf.keyPem, cert: leaf.chainPem,
    SNICallback: (servername, callback) => callback(null, contexts.get(servername) ?? right),
  }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    state.requests.push(`${host}${req.url ?? ''}`);
    const label = /^mta-sts\.(.+)\.policy\.test$/.exec(host)?.[1] ?? '';
    const route = req.url === '/.well-known/mta-sts.txt' ? ROUTES[label] : undefined;
    if (route) route(res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  server.on('connection', (socket: Socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, POLICY_SERVER, () => resolve());
  });
  state.close = async () => {
    for (const timer of trickles) clearInterval(timer);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

// ---------------------------------------------------------------------------------------------

it('e2e prerequisites: nsd, openssl, root for port 443', { skip }, () => {});

describe('policy families end to end: NSD and an HTTPS policy server on loopback', { skip }, () => {
  let nsd: NsdServer;
  let ca: TestCa;
  let policy: PolicyServer;
  let plainHttp: NetServer;
  let dir: string;
  const taps: DnsTap[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-policy-'));
    ca = await createTestCa(dir);
    [nsd, policy, plainHttp] = await Promise.all([startNsd({ zones: readZoneFixtures(FIXTURES) }), startPolicyServer(ca), startPlainHttpServer()]);
  });

  after(async () => {
    for (const tap of taps) await tap.close();
    await policy?.close();
    await new Promise((resolve) => (plainHttp ? plainHttp.close(resolve) : resolve(undefined)));
    await nsd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const mxlint = (args: string[]): Promise<CliResult> => runCli(['--server', nsd.server, '--format', 'json', ...args], { timeoutMs: 30_000 });

  describe('DMARC and TLS-RPT', () => {
    // policy.test's record says sp=none: under RFC 9989 it is also the Organizational Domain's record for
    // the subdomains of good, syntax and extrep, whose own records say reject or quarantine.
    const expected: Record<string, string[]> = {
      'good.policy.test': ['dmarc-removed-tag', 'dmarc-subdomain-policy-weaker'],
      'inherit.policy.test': ['dmarc-policy-none', 'tlsrpt-missing'],
      'multi.policy.test': ['dmarc-multiple', 'dmarc-policy-none', 'tlsrpt-missing'],
      'syntax.policy.test': ['dmarc-no-aggregate-reports', 'dmarc-removed-tag', 'dmarc-subdomain-policy-weaker', 'dmarc-syntax', 'tlsrpt-missing'],
      'extrep.policy.test': ['dmarc-external-report-unauthorized', 'dmarc-subdomain-policy-weaker', 'tlsrpt-missing'],
      'redir.policy.test': ['dmarc-external-report-unauthorized', 'dmarc-no-aggregate-reports', 'dmarc-policy-none', 'tlsrpt-missing'],
      'tlsmulti.policy.test': ['dmarc-policy-none', 'tlsrpt-multiple'],
      'tlssyntax.policy.test': ['dmarc-policy-none', 'tlsrpt-syntax'],
      'nodmarc.test': ['dmarc-missing', 'tlsrpt-missing'],
      'nx.policy.test': ['domain-nxdomain'],
      'bis.policy.test': ['dmarc-removed-tag', 'dmarc-testing', 'dmarc-unknown-tag', 'tlsrpt-missing'],
      'bis-space.policy.test': ['dmarc-policy-none', 'dmarc-record-discarded', 'tlsrpt-missing'],
      'order.policy.test': ['dmarc-policy-none', 'dmarc-record-discarded', 'tlsrpt-missing'],
      'team.division.policy.test': ['dmarc-no-aggregate-reports', 'tlsrpt-missing'],
      'a.b.c.d.e.f.g.h.i.deep.policy.test': ['dmarc-policy-none', 'tlsrpt-missing'],
      'giant.bank.test': ['dmarc-no-aggregate-reports', 'tlsrpt-missing'],
      'www.pct.test': ['dmarc-no-aggregate-reports', 'dmarc-policy-none', 'dmarc-removed-tag', 'tlsrpt-missing'],
    };
    let run: CliResult;
    let found: Map<string, DomainResult>;
    before(async () => {
      run = await mxlint(['--checks', 'mx,dmarc,tlsrpt', ...Object.keys(expected)]);
      found = byDomain(jsonResults(run));
    });

    for (const [domain, rules] of Object.entries(expected)) {
      it(`${domain}: ${rules.join(', ') || 'no findings'} (beside mx-single)`, () => {
        // One run over many names: what they share (policy.test's record) is reported once, and listed where it applies too.
        const result = found.get(domain)!;
        const met = [...result.findings.map((f) => f.rule), ...(result.reportedElsewhere ?? []).map((e) => e.rule)];
        assert.deepEqual([...new Set(met)].filter((rule) => rule !== 'mx-single').sort(), rules);
      });
    }

    it('policy.test\'s sp=none is reported once, at the first name it applies to; the others say where', () => {
      const where = [...found.values()].flatMap((r) => [
        ...r.findings.filter((f) => f.rule === 'dmarc-policy-none' && f.shared?.name === '_dmarc.policy.test').map(() => `${r.domain} reports`),
        ...(r.reportedElsewhere ?? []).filter((e) => e.rule === 'dmarc-policy-none' && e.shared === '_dmarc.policy.test').map((e) => `${r.domain} at ${e.reportedAt}`),
      ]);
      assert.equal(where.filter((w) => w.endsWith(' reports')).length, 1, where.join('; '));
      assert.ok(where.includes('multi.policy.test at inherit.policy.test'), where.join('; '));
    });

    it('good: its own record applies, with its rua URIs (size limit dropped); its subdomains get policy.test\'s sp; the TLS-RPT rua is read', () => {
      const good = found.get('good.policy.test')!;
      const own = { state: 'applied', name: '_dmarc.good.policy.test', policy: 'quarantine', declared: 'quarantine', tag: 'p', testing: false };
      const organization = { state: 'applied', name: '_dmarc.policy.test', policy: 'none', declared: 'none', tag: 'sp', testing: false };
      assert.deepEqual(good.dmarc, {
        state: 'found', name: '_dmarc.good.policy.test', inherited: false,
        records: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@policy.test,mailto:agg@reports.test!10m'],
        policy: 'quarantine', rua: ['mailto:dmarc@policy.test', 'mailto:agg@reports.test'], ruf: [],
        walk: [{ name: '_dmarc.good.policy.test', result: 'record' }, { name: '_dmarc.policy.test', result: 'record' }, { name: '_dmarc.test', result: 'none' }],
        organizationalDomain: { name: 'policy.test', how: 'highest-record' },
        effectivePolicy: { domain: own, subdomains: organization, nonExistentSubdomains: organization },
        discarded: [],
        // reports.test is an organization of its own (no DMARC record on its walk); its wildcard consents.
        reportAuthorizations: [{ host: 'reports.test', name: 'good.policy.test._report._dmarc.reports.test', uris: ['mailto:agg@reports.test'], state: 'authorized' }],
      });
      assert.match(finding(good, 'dmarc-removed-tag').message, /mailto:agg@reports\.test!10m with a size limit/);
      assert.deepEqual(good.tlsrpt, {
        state: 'found', records: ['v=TLSRPTv1; rua=mailto:tls@policy.test,https://reports.test/tlsrpt'],
        rua: ['mailto:tls@policy.test', 'https://reports.test/tlsrpt'],
      });
    });

    it('a subdomain without a record inherits the organizational domain\'s, with its sp', () => {
      const inherit = found.get('inherit.policy.test')!;
      assert.equal(inherit.dmarc?.name, '_dmarc.policy.test');
      assert.equal(inherit.dmarc?.inherited, true);
      assert.equal(inherit.dmarc?.policy, 'none');
      assert.match(finding(inherit, 'dmarc-policy-none').message, /sp=none \(inherited from _dmarc\.policy\.test/);
    });

    it('names what is wrong: the removed pct, the upper-case tag, the unauthorized and the redirected destination, the bad URI scheme', () => {
      const syntax = finding(found.get('syntax.policy.test'), 'dmarc-syntax').message;
      assert.match(syntax, /"P" is not "p"/);
      assert.match(finding(found.get('syntax.policy.test'), 'dmarc-removed-tag').message, /pct=101, a tag DMARC no longer defines \(and not a number from 0 to 100\)/);
      assert.match(finding(found.get('redir.policy.test'), 'dmarc-external-report-unauthorized').message,
        /redirect\.test consents at redir\.policy\.test\._report\._dmarc\.redirect\.test, but redirects them to mailto:agg@elsewhere\.test/);
      const external = finding(found.get('extrep.policy.test'), 'dmarc-external-report-unauthorized');
      assert.match(external.message, /extrep\.policy\.test\._report\._dmarc\.other\.reports\.test/);
      assert.doesNotMatch(external.message, /agg@reports\.test/, 'reports.test consents (wildcard): only other.reports.test is named');
      assert.match(finding(found.get('tlssyntax.policy.test'), 'tlsrpt-syntax').message, /ftp:/);
    });

    it('a domain that does not exist is not checked for DMARC or TLS-RPT', () => {
      assert.equal(found.get('nx.policy.test')!.dmarc?.state, 'skipped');
      assert.equal(found.get('nx.policy.test')!.tlsrpt?.state, 'skipped');
    });

    it('RFC 9989 tags: np, psd=n and t=y read, pct removed, an unknown tag noted; the same record with white space before it discarded', () => {
      const bis = found.get('bis.policy.test')!;
      assert.equal(bis.status, 'warn');
      assert.deepEqual(bis.dmarc?.walk, [{ name: '_dmarc.bis.policy.test', result: 'record', psd: 'n' }], 'psd=n ends the walk');
      assert.deepEqual(bis.dmarc?.organizationalDomain, { name: 'bis.policy.test', how: 'psd-n' });
      assert.deepEqual(bis.dmarc?.effectivePolicy?.domain, { state: 'applied', name: '_dmarc.bis.policy.test', policy: 'quarantine', declared: 'reject', tag: 'p', testing: true });
      assert.deepEqual(bis.dmarc?.effectivePolicy?.nonExistentSubdomains, { state: 'applied', name: '_dmarc.bis.policy.test', policy: 'quarantine', declared: 'reject', tag: 'np', testing: true });
      assert.deepEqual(bis.findings.filter((f) => f.rule.startsWith('dmarc-')).map((f) => [f.rule, f.severity]).sort(),
        [['dmarc-removed-tag', 'warning'], ['dmarc-testing', 'info'], ['dmarc-unknown-tag', 'info']]);
      const space = found.get('bis-space.policy.test')!;
      assert.equal(space.status, 'fail');
      assert.deepEqual(space.dmarc?.discarded?.map((d) => d.reason), ['white-space']);
      assert.equal(space.dmarc?.name, '_dmarc.policy.test', 'policy.test\'s record applies instead');
      assert.match(finding(found.get('order.policy.test'), 'dmarc-record-discarded').message,
        /^The TXT record "p=reject; v=DMARC1" at _dmarc\.order\.policy\.test is not a DMARC record: v=DMARC1 is not its first tag, so receivers discard it; the policy for order\.policy\.test comes from _dmarc\.policy\.test instead\.$/);
    });

    it('the Organizational Domain by the tree walk: psd=n, a psd=y suffix, the issue\'s sp=none beside pct=50', () => {
      const team = found.get('team.division.policy.test')!.dmarc!;
      assert.deepEqual(team.organizationalDomain, { name: 'division.policy.test', how: 'psd-n' });
      assert.deepEqual([team.name, team.policy], ['_dmarc.division.policy.test', 'reject'], 'division\'s sp, not policy.test\'s');
      const giant = found.get('giant.bank.test')!.dmarc!;
      assert.deepEqual(giant.organizationalDomain, { name: 'giant.bank.test', how: 'below-psd-y' });
      assert.deepEqual([giant.name, giant.policy], ['_dmarc.bank.test', 'quarantine'], 'the public suffix\'s record');
      const www = found.get('www.pct.test')!;
      assert.equal(www.dmarc?.policy, 'none');
      assert.equal(www.dmarc?.effectivePolicy?.domain.tag, 'sp');
    });

    it('DMARC and SPF are default families; TLS-RPT is not', async () => {
      const [result] = jsonResults(await mxlint(['multi.policy.test']));
      assert.deepEqual(keys(result!.findings), ['dmarc-multiple', 'dmarc-policy-none', 'mx-single@mx1.good.policy.test', 'spf-missing']);
      assert.equal(result!.tlsrpt, undefined);
    });

    it('a _dmarc lookup that fails is unknown, never missing (SERVFAIL from an in-process server)', async () => {
      const records = Object.entries(readZoneFixtures(FIXTURES)).flatMap(([zone, text]) => readZoneText(text, { file: `${zone}.zone` }).records);
      const server = await startLocalDnsServer({
        records, behave: (q) => (q.name === '_dmarc.good.policy.test' ? { kind: 'rcode', rcode: 'SERVFAIL' } : { kind: 'answer' }),
      });
      try {
        const failing = await runCli(['--server', server.address, '--retries', '0', '--format', 'json', 'good.policy.test']);
        const [result] = jsonResults(failing);
        assert.deepEqual(keys(result!.findings), ['dmarc-lookup-failed']);
        assert.equal(result!.status, 'unknown');
        assert.equal(failing.code, 3);
        assert.equal(result!.dmarc?.state, 'failed');
        assert.ok(!server.queries.some((q) => q.name === '_dmarc.policy.test'), 'no fallback to the organizational domain after a failure');
      } finally {
        await server.close();
      }
    });
  });

  describe('DMARC per RFC 9989, on the command line', () => {
    it('--checks dmarc on the RFC 9989 record and its leading-space variant: the verdicts and lines RFC 9989 implies', async () => {
      const run = await runCli(['--server', nsd.server, '--checks', 'dmarc', '--no-color', 'bis.policy.test', 'bis-space.policy.test', 'www.pct.test'], { timeoutMs: 30_000 });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stdout, /^bis\.policy\.test {2}! WARN$/m);
      assert.match(run.stdout, /^ {2}DMARC policy quarantine \(p=reject under t=y\), subdomains too, rua mailto:dmarc@bis\.policy\.test {2}\(_dmarc\.bis\.policy\.test\)$/m);
      assert.match(run.stdout, /^ {2}DMARC tree walk _dmarc\.bis\.policy\.test \(record, psd=n\); organizational domain bis\.policy\.test \(its record says psd=n\)$/m);
      assert.match(run.stdout, /^bis-space\.policy\.test {2}✗ FAIL$/m);
      assert.match(run.stdout, /^ {2}error {3}dmarc-record-discarded: The TXT record " v=DMARC1; p=reject; .*" at _dmarc\.bis-space\.policy\.test has white space before v=DMARC1/m);
      // The issue's sp=none beside pct=50: policy none, never "to 50% of mail".
      assert.match(run.stdout, /^ {2}DMARC policy none \(sp\), subdomains too, no aggregate reports {2}\(inherited from _dmarc\.pct\.test\)$/m);
      assert.doesNotMatch(run.stdout, /% of mail/);
    });

    it('a 12-label name: the tree walk asks NSD eight _dmarc names, never more', async () => {
      const tap = await startDnsTap({ upstream: { host: nsd.host, port: nsd.port }, udp: 'forward', tcp: 'forward' });
      taps.push(tap);
      const domain = 'a.b.c.d.e.f.g.h.i.deep.policy.test';
      const [result] = jsonResults(await runCli(['--server', tap.server, '--checks', 'dmarc', '--format', 'json', domain], { timeoutMs: 30_000 }));
      const asked = tap.queries.filter((q) => q.type === 'TXT' && q.name.startsWith('_dmarc.')).map((q) => q.name);
      assert.deepEqual(asked, [
        `_dmarc.${domain}`, '_dmarc.f.g.h.i.deep.policy.test', '_dmarc.g.h.i.deep.policy.test', '_dmarc.h.i.deep.policy.test',
        '_dmarc.i.deep.policy.test', '_dmarc.deep.policy.test', '_dmarc.policy.test', '_dmarc.test',
      ]);
      assert.deepEqual(result!.dmarc?.walk?.map((step) => step.name), asked);
      assert.deepEqual([result!.dmarc?.name, result!.dmarc?.policy], ['_dmarc.policy.test', 'none']);
    });
  });

  describe('reverse DNS', () => {
    it('mx1 is forward-confirmed in both families, mx2\'s PTR names another host, one has none, one cannot be looked up', async () => {
      const run = await mxlint(['--checks', 'ptr', 'ptr.policy.test']);
      const [result] = jsonResults(run);
      assert.deepEqual(keys(result!.findings), [
        'mx-ptr-lookup-failed@mx.refused.policy.test', 'mx-ptr-mismatch@mx2.good.policy.test', 'mx-ptr-missing@mx.noptr.policy.test',
      ]);
      assert.equal(result!.status, 'unknown');
      assert.equal(run.code, 3);
      assert.deepEqual(result!.ptr?.addresses, [
        { host: 'mx1.good.policy.test', address: '185.199.108.11', family: 4, names: ['mx1.good.policy.test'], forwardConfirmed: true },
        { host: 'mx1.good.policy.test', address: '2a01:4f8:c0c:1::11', family: 6, names: ['mx1.good.policy.test'], forwardConfirmed: true },
        { host: 'mx2.good.policy.test', address: '185.199.108.12', family: 4, names: ['wrong.policy.test'], forwardConfirmed: false },
        { host: 'mx.noptr.policy.test', address: '185.199.108.13', family: 4, names: [], forwardConfirmed: false },
        { host: 'mx.refused.policy.test', address: '185.199.109.5', family: 4, names: null, forwardConfirmed: null },
      ]);
      assert.match(finding(result, 'mx-ptr-mismatch').message, /wrong\.policy\.test → 185\.199\.108\.99/);
    });
  });

  describe('DNSBL', () => {
    it('--dnsbl: listed with the reason (IPv4 and nibble IPv6), the "refused" code unknown, a clean list silent', async () => {
      const run = await mxlint(['--checks', 'mx', '--dnsbl', 'bl.test,clean.test', 'good.policy.test']);
      const [result] = jsonResults(run);
      assert.deepEqual(keys(result!.findings), ['dnsbl-listed@mx1.good.policy.test', 'dnsbl-listed@mx1.good.policy.test', 'dnsbl-lookup-failed@mx2.good.policy.test']);
      assert.equal(run.code, 3);
      const listed = result!.findings.filter((f) => f.rule === 'dnsbl-listed').map((f) => f.message).sort();
      assert.match(listed[0]!, /185\.199\.108\.11 is listed on bl\.test .*127\.0\.0\.2.*"185\.199\.108\.11 listed for testing"/);
      assert.match(listed[1]!, /2a01:4f8:c0c:1::11 is listed on bl\.test .*127\.0\.0\.4.*no reason/);
      assert.match(finding(result, 'dnsbl-lookup-failed').message, /127\.255\.255\.254/);
      assert.deepEqual(result!.dnsbl?.zones, ['bl.test', 'clean.test']);
      const clean = result!.dnsbl!.listings.filter((l) => l.zone === 'clean.test');
      assert.equal(clean.length, 3);
      assert.ok(clean.every((l) => l.state === 'not-listed'));
    });

    it('--checks dnsbl without --dnsbl is a usage error', async () => {
      const run = await mxlint(['--checks', 'dnsbl', 'good.policy.test']);
      assert.equal(run.code, 3);
      assert.match(run.stderr, /^mxlint: --checks dnsbl needs the block lists to ask/);
      assert.equal(run.stdout, '');
    });
  });

  describe('MTA-STS', () => {
    const expected: Record<string, string[]> = {
      'good.policy.test': [],
      'sts-good.policy.test': [],
      'sts-missing.policy.test': ['mta-sts-mx-mismatch@mx2.good.policy.test'],
      'sts-redirect.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-big.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-wrongcert.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-expired.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-slow.policy.test': ['mta-sts-policy-unreachable'],
      'sts-html.policy.test': ['mta-sts-policy-content-type'],
      'sts-latin1.policy.test': ['mta-sts-policy-syntax'],
      'sts-notfound.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-badpolicy.policy.test': ['mta-sts-policy-syntax'],
      'sts-badrecord.policy.test': ['mta-sts-record-syntax'],
      'sts-refused.policy.test': ['mta-sts-policy-unreachable'],
      'sts-noaddr.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-nottls.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-nothttp.policy.test': ['mta-sts-policy-fetch-failed'],
      'sts-gzip.policy.test': ['mta-sts-policy-syntax'],
      'sts-hostile.policy.test': ['mta-sts-policy-syntax'],
      'inherit.policy.test': ['mta-sts-missing'],
    };
    let run: CliResult;
    /** The trickling server alone, with the short deadline it must be cut off by. */
    let slowRun: CliResult;
    let found: Map<string, DomainResult>;
    let tap: DnsTap;
    before(async () => {
      tap = await startDnsTap({ upstream: { host: nsd.host, port: nsd.port }, udp: 'forward', tcp: 'forward' });
      taps.push(tap);
      const caFile = join(dir, 'trust.pem');
      writeFileSync(caFile, ca.caCertPem);
      const args = ['--server', tap.server, '--format', 'json', '--checks', 'mta-sts', '--ca', caFile, '--allow-private'];
      const slow = 'sts-slow.policy.test';
      // One run for the trickle with the 1500 ms deadline, one for the rest with a deadline only a hang
      // reaches: under load, with all of them in one run, good fetches ran into the 1500 ms too.
      [run, slowRun] = await Promise.all([
        runCli([...args, '--https-timeout', String(PATIENT_HTTPS_TIMEOUT_MS), ...Object.keys(expected).filter((d) => d !== slow)], { timeoutMs: 60_000 }),
        runCli([...args, '--https-timeout', String(HTTPS_TIMEOUT_MS), slow], { timeoutMs: 60_000 }),
      ]);
      found = byDomain([...jsonResults(run), ...jsonResults(slowRun)]);
    });

    for (const [domain, rules] of Object.entries(expected)) {
      it(`${domain}: ${rules.join(', ') || 'no findings'}`, () => {
        assert.deepEqual(keys(found.get(domain)!.findings), rules);
      });
    }

    it('the good policy is fetched from the test server and read', () => {
      assert.deepEqual(found.get('sts-good.policy.test')!['mta-sts'], {
        state: 'found', records: ['v=STSv1; id=1'], id: '1',
        policy: {
          url: 'https://mta-sts.sts-good.policy.test/.well-known/mta-sts.txt', fetch: 'fetched', address: POLICY_SERVER,
          contentType: 'text/plain; charset=utf-8', mode: 'enforce', maxAge: 86400, mx: ['mx1.good.policy.test', '*.good.policy.test'],
        },
      });
      assert.ok(policy.requests.includes('mta-sts.sts-good.policy.test/.well-known/mta-sts.txt'));
    });

    it('the policy hosts were resolved through the --server given', () => {
      for (const label of ['sts-good', 'sts-slow', 'sts-refused', 'sts-noaddr']) {
        assert.ok(tap.queries.some((q) => q.name === `mta-sts.${label}.policy.test` && q.type === 'A'), `A mta-sts.${label}.policy.test asked`);
      }
    });

    it('each failure says why: redirect, size, certificate, status, no address, connection refused, deadline', () => {
      const message = (domain: string): string => found.get(domain)!.findings[0]!.message;
      assert.match(message('sts-redirect.policy.test'), /answered 301 with a redirect to https:\/\/mta-sts\.good\.policy\.test/);
      assert.match(message('sts-big.policy.test'), /larger than 64 KiB/);
      assert.match(message('sts-wrongcert.policy.test'), /certificate was rejected \(ERR_TLS_CERT_ALTNAME_INVALID/);
      assert.match(message('sts-expired.policy.test'), /certificate was rejected \(CERT_HAS_EXPIRED/);
      assert.match(message('sts-notfound.policy.test'), /answered HTTP 404/);
      assert.match(message('sts-noaddr.policy.test'), /mta-sts\.sts-noaddr\.policy\.test has no A or AAAA record/);
      assert.match(message('sts-refused.policy.test'), /ECONNREFUSED/);
      assert.match(message('sts-slow.policy.test'), new RegExp(`within ${HTTPS_TIMEOUT_MS} ms`));
      assert.match(message('sts-missing.policy.test'), /mx2\.good\.policy\.test matches no mx pattern .*senders that apply the policy refuse/);
    });

    it('no TLS, or no HTTP over it, is the server\'s fault: an error with its own message and fix, not "retry from another network"', () => {
      const notTls = found.get('sts-nottls.policy.test')!.findings[0]!;
      assert.equal(notTls.messageId, 'notTls');
      assert.match(notTls.message, /mta-sts\.sts-nottls\.policy\.test at 127\.0\.6\.3:443 does not answer in TLS \(EPROTO: wrong version number\)/);
      assert.match(notTls.fix, /^serve HTTPS on port 443 of mta-sts\.sts-nottls\.policy\.test/);
      const notHttp = found.get('sts-nothttp.policy.test')!.findings[0]!;
      assert.equal(notHttp.messageId, 'notHttp');
      assert.match(notHttp.message, /what mta-sts\.sts-nothttp\.policy\.test at 127\.0\.6\.1:443 answers over TLS is not HTTP \(HPE_/);
      for (const finding of [notTls, notHttp]) {
        assert.equal(finding.severity, 'error');
        assert.doesNotMatch(`${finding.message} ${finding.fix}`, /retry|network/);
      }
      assert.equal(found.get('sts-nottls.policy.test')!['mta-sts']?.policy?.fetch, 'failed');
    });

    it('a gzip body is said to be one; a policy\'s own text is shown escaped, never raw', async () => {
      assert.match(found.get('sts-gzip.policy.test')!.findings[0]!.message, /the body is gzip-compressed data \(it starts with the octets 1f 8b\)/);
      const caFile = join(dir, 'trust.pem');
      const run = await runCli(['--server', nsd.server, '--checks', 'mta-sts', '--ca', caFile, '--allow-private',
        'sts-hostile.policy.test', 'sts-gzip.policy.test', 'sts-nothttp.policy.test']);
      assert.doesNotMatch(run.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\ufffd]/u, run.stdout);
      assert.ok(run.stdout.includes(String.raw`("\027]0;owned\007\027[2J\226\128\174") is not "key: value"`), run.stdout);
      assert.match(run.stdout, /is not HTTP \(HPE_\w+: /);
    });

    it('a policy server that trickles cannot hold the run past its deadline', () => {
      // The trickle never ends; its 1500 ms deadline ended the run, well before the default deadline could have.
      assert.equal(slowRun.timedOut, false);
      assert.ok(slowRun.durationMs < DEFAULT_HTTPS_TIMEOUT_MS, `took ${Math.round(slowRun.durationMs)} ms, as long as the default ${DEFAULT_HTTPS_TIMEOUT_MS} ms deadline`);
      assert.equal(slowRun.code, 3);
      assert.equal(run.code, 2);
    });

    it('the check\'s deadline stops a trickling fetch at once: unknown, saying so, not after the fetch\'s own timeout', async () => {
      const caFile = join(dir, 'trust.pem');
      const started = performance.now();
      const [result] = jsonResults(await mxlint(['--checks', 'mta-sts', '--ca', caFile, '--allow-private', '--https-timeout', '30000', '--deadline', '1500',
        'sts-slow.policy.test']));
      const took = performance.now() - started;
      assert.deepEqual(keys(result!.findings), ['mta-sts-policy-unreachable']);
      assert.match(result!.findings[0]!.message, /stopped fetching from mta-sts\.sts-slow\.policy\.test: the check's deadline \(1500 ms\) passed/);
      assert.ok(took < 30_000 / 2, `took ${Math.round(took)} ms; the fetch alone may take 30 s`);
    });

    it('without --ca the test CA is not trusted: the fetch fails on the certificate', async () => {
      const [result] = jsonResults(await mxlint(['--checks', 'mta-sts', '--allow-private', 'sts-good.policy.test']));
      assert.deepEqual(keys(result!.findings), ['mta-sts-policy-fetch-failed']);
      assert.match(result!.findings[0]!.message, /certificate was rejected/);
    });

    it('without --allow-private a loopback policy host is not contacted: unknown, and not one connection', async () => {
      const before = policy.connections;
      const [result] = jsonResults(await mxlint(['--checks', 'mta-sts', 'sts-good.policy.test']));
      assert.deepEqual(keys(result!.findings), ['mta-sts-policy-unreachable']);
      assert.match(result!.findings[0]!.message, /127\.0\.6\.1 \(loopback\).*--allow-private/);
      assert.equal(result!['mta-sts']?.policy?.fetch, 'not-public');
      assert.equal(policy.connections, before);
    });

    it('--connect-to sends the fetch for a public-looking policy host to the test server, without --allow-private', async () => {
      const before = policy.requests.length;
      const caFile = join(dir, 'trust.pem');
      const [connected, loopback] = jsonResults(await mxlint(['--checks', 'mta-sts', '--ca', caFile,
        '--connect-to', `mta-sts.sts-connect.policy.test=${POLICY_SERVER}`, 'sts-connect.policy.test', 'sts-good.policy.test']));
      assert.deepEqual(keys(connected!.findings), []);
      assert.deepEqual(connected!['mta-sts']?.policy, {
        url: 'https://mta-sts.sts-connect.policy.test/.well-known/mta-sts.txt', fetch: 'fetched', address: '185.199.108.80',
        connectedTo: `${POLICY_SERVER}:443`, contentType: 'text/plain; charset=utf-8', mode: 'enforce', maxAge: 86400,
        mx: ['mx1.good.policy.test', '*.good.policy.test'],
      });
      // The same route decision as the SMTP probe: no rule for this host, a loopback address, not contacted.
      assert.deepEqual(keys(loopback!.findings), ['mta-sts-policy-unreachable']);
      assert.equal(loopback!['mta-sts']?.policy?.fetch, 'not-public');
      assert.deepEqual(policy.requests.slice(before), ['mta-sts.sts-connect.policy.test/.well-known/mta-sts.txt']);
    });

    it('the default checks open no HTTPS connection', async () => {
      const before = policy.connections;
      const run = await mxlint(['sts-good.policy.test']);
      assert.equal(jsonResults(run)[0]!['mta-sts'], undefined);
      assert.equal(policy.connections, before);
    });

    it('a --ca file that is missing or holds no certificate is a usage error', async () => {
      const missing = await mxlint(['--checks', 'mta-sts', '--ca', join(dir, 'nope.pem'), 'sts-good.policy.test']);
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /^mxlint: --ca .*nope\.pem: cannot be read \(no such file\)/);
      const junk = join(dir, 'junk.pem');
      writeFileSync(junk, 'not a certificate\n');
      const empty = await mxlint(['--checks', 'mta-sts', '--ca', junk, 'sts-good.policy.test']);
      assert.equal(empty.code, 3);
      assert.match(empty.stderr, /no PEM certificate/);
    });
  });
});
