/**
 * The SMTP probe end to end: the built CLI with --checks smtp against real Postfix instances on
 * 127.0.5.x (STARTTLS with a certificate from a test CA, no STARTTLS, a wrong-name, a self-signed and
 * an expiring certificate, IPv4 and IPv6 side by side) and against misbehaving fake servers for the
 * deadlines and caps (silent, trickling, a 1 MB line, a broken STARTTLS, a 554 greeting, a refused
 * port, a rejected EHLO). DNS comes from a real NSD. Every address is loopback; the one public-looking
 * address in the zone is only ever reached through --connect-to.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { e2eGate, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { startPostfix, type PostfixServer } from '../support/postfix.js';
import { startFakeSmtp, type FakeSmtpBehaviour, type FakeSmtpServer } from '../support/fake-smtp.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/pki.js';
import { freePort } from '../support/ports.js';

const gate = [e2eGate('postfix'), e2eGate('nsd'), e2eGate('openssl')].find((g) => g.skip !== false) ?? { skip: false as const };

const ZONE = `
$ORIGIN smtp.test.
$TTL 300
@            SOA  ns1 hostmaster 1 3600 600 86400 300
@            NS   ns1
ns1          A    127.0.5.53
good         MX   10 mx.good
mx.good      A    127.0.5.10
plain        MX   10 mx.plain
mx.plain     A    127.0.5.11
wrongname    MX   10 mx.wrongname
mx.wrongname A    127.0.5.12
expiring     MX   10 mx.expiring
mx.expiring  A    127.0.5.13
untrusted    MX   10 mx.untrusted
mx.untrusted A    127.0.5.14
dual         MX   10 mx.dual
mx.dual      A    127.0.5.15
mx.dual      AAAA ::1
silent       MX   10 mx.silent
mx.silent    A    127.0.5.20
trickle      MX   10 mx.trickle
mx.trickle   A    127.0.5.21
longline     MX   10 mx.longline
mx.longline  A    127.0.5.22
droptls      MX   10 mx.droptls
mx.droptls   A    127.0.5.23
refuse       MX   10 mx.refuse
mx.refuse    A    127.0.5.24
closed       MX   10 mx.closed
mx.closed    A    127.0.5.25
picky        MX   10 mx.picky
mx.picky     A    127.0.5.26
; a public-looking address: reached only through --connect-to
public       MX   10 mx.public
mx.public    A    185.199.108.25
`;

const PTR_ZONE = `
$ORIGIN 5.0.127.in-addr.arpa.
$TTL 300
@   SOA  ns1.smtp.test. hostmaster.smtp.test. 1 3600 600 86400 300
@   NS   ns1.smtp.test.
10  PTR  mx.good.smtp.test.
12  PTR  relay.smtp.test.
`;

/** The deadline of each SMTP phase where the misbehaving servers must run into it. */
const PHASE_TIMEOUT_MS = 1000;
/** Elsewhere: Postfix's answers and TLS handshakes on a loaded machine come nowhere near it (the product's default). */
const PATIENT_PHASE_TIMEOUT_MS = 10_000;

let nsd: NsdServer;
let ca: TestCa;
let pkiDir: string;
let dualPort: number;
const postfixes: PostfixServer[] = [];
const fakes = new Map<FakeSmtpBehaviour, FakeSmtpServer>();

async function mxlint(args: string[], phaseTimeoutMs = PATIENT_PHASE_TIMEOUT_MS): Promise<CliResult> {
  return runCli(['--server', nsd.server, '--checks', 'smtp', '--smtp-timeout', String(phaseTimeoutMs), '--smtp-greeting-timeout', String(phaseTimeoutMs),
    '--format', 'json', ...args]);
}

async function check(domain: string, ...args: string[]): Promise<{ run: CliResult; result: DomainResult }> {
  const run = await mxlint([...args, domain]);
  assert.equal(run.stderr, '', `stderr of ${domain}`);
  const results = JSON.parse(run.stdout) as DomainResult[];
  return { run, result: results[0]! };
}

function rules(result: DomainResult): string[] {
  return result.findings.map((f: Finding) => f.rule).sort();
}

interface ProbeSection {
  exchange: string;
  address: string;
  family: 4 | 6;
  probed: boolean;
  skipped?: string;
  connectedTo?: string;
  banner: string | null;
  ehlo: { serverName: string | null; starttls: boolean; size: number | null; pipelining: boolean; '8bitmime': boolean; smtputf8: boolean; keywords: string[] } | null;
  ehloAfterTls: { keywords: string[] } | null;
  tls: { protocol: string; cipher: string; certificateValid: boolean; nameMatches: boolean; chain: { subject: string; altNames: string[]; validTo: string }[] } | null;
  failure: { phase: string; kind: string; message: string } | null;
  durationMs: number;
}

function probes(result: DomainResult): ProbeSection[] {
  return (result as unknown as { smtp: { probes: ProbeSection[] } }).smtp.probes;
}

describe('SMTP probe against Postfix and hostile servers', { skip: gate.skip }, () => {
  before(async () => {
    pkiDir = mkdtempSync(join(tmpdir(), 'mxlint-smtp-pki-'));
    ca = await createTestCa(join(pkiDir, 'ca'));
    // A CA nobody is told to trust: its leaf's chain ends in a self-signed root mxlint does not know.
    const stranger = await createTestCa(join(pkiDir, 'stranger'));
    const tls = (cert: IssuedCertificate) => ({ keyPath: cert.keyPath, certPath: cert.chainPath });
    nsd = await startNsd({ zones: { 'smtp.test': ZONE, '5.0.127.in-addr.arpa': PTR_ZONE } });
    dualPort = await freePort(['127.0.5.15', '::1']);
    const instances = await Promise.all([
      startPostfix({ addresses: ['127.0.5.10'], port: 25, myhostname: 'mx.good.smtp.test', tls: tls(await ca.issue({ names: ['mx.good.smtp.test'] })) }),
      startPostfix({ addresses: ['127.0.5.11'], port: 25, myhostname: 'mail.internal.example', tls: null }),
      startPostfix({ addresses: ['127.0.5.12'], port: 25, myhostname: 'relay.smtp.test', tls: tls(await ca.issue({ names: ['other.example.net'] })) }),
      startPostfix({ addresses: ['127.0.5.13'], port: 25, myhostname: 'mx.expiring.smtp.test', tls: tls(await ca.issue({ names: ['mx.expiring.smtp.test'], days: 5 })) }),
      startPostfix({ addresses: ['127.0.5.14'], port: 25, myhostname: 'mx.untrusted.smtp.test', tls: tls(await stranger.issue({ names: ['mx.untrusted.smtp.test'] })) }),
      startPostfix({ addresses: ['127.0.5.15', '::1'], port: dualPort, myhostname: 'mx.dual.smtp.test', tls: tls(await ca.issue({ names: ['mx.dual.smtp.test'] })) }),
    ]);
    postfixes.push(...instances);
    const hostile: [FakeSmtpBehaviour, string][] = [
      ['silent', '127.0.5.20'], ['trickle', '127.0.5.21'], ['long-line', '127.0.5.22'], ['drop-tls', '127.0.5.23'],
      ['refuse', '127.0.5.24'], ['reject-ehlo', '127.0.5.26'],
    ];
    for (const [behaviour, host] of hostile) fakes.set(behaviour, await startFakeSmtp(host, 25, behaviour));
  });

  after(async () => {
    await Promise.all([...postfixes.map((p) => p.stop()), ...[...fakes.values()].map((f) => f.close()), nsd?.stop()]);
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  it('a well-configured server: greeting, extensions, STARTTLS, TLS 1.3, a valid certificate for the name, no findings', async () => {
    const { run, result } = await check('good.smtp.test', '--allow-private', '--ca', ca.caCertPath);
    assert.equal(run.code, 0, run.stdout);
    assert.deepEqual(rules(result), []);
    const [probe] = probes(result);
    assert.equal(probe!.probed, true);
    assert.equal(probe!.banner, '220 mx.good.smtp.test ESMTP');
    assert.deepEqual({ ...probe!.ehlo, keywords: undefined }, {
      serverName: 'mx.good.smtp.test', starttls: true, size: 10240000, pipelining: true, '8bitmime': true, smtputf8: true, chunking: true, requiretls: false,
      keywords: undefined,
    });
    // Asked again over TLS (RFC 3207 §4.2): the same extensions, STARTTLS no more.
    assert.deepEqual(probe!.ehloAfterTls!.keywords, probe!.ehlo!.keywords.filter((k) => k !== 'STARTTLS'));
    assert.equal(probe!.tls!.protocol, 'TLSv1.3');
    assert.equal(probe!.tls!.certificateValid, true);
    assert.equal(probe!.tls!.nameMatches, true);
    assert.deepEqual(probe!.tls!.chain[0]!.altNames, ['mx.good.smtp.test']);
    assert.equal(probe!.failure, null);
  });

  it('"STARTTLS offered" and "certificate valid" are separate: without the test CA the same server has an unverified certificate', async () => {
    const { result } = await check('good.smtp.test', '--allow-private');
    assert.deepEqual(rules(result), ['smtp-cert-invalid']);
    const [probe] = probes(result);
    assert.equal(probe!.ehlo!.starttls, true);
    assert.equal(probe!.tls!.certificateValid, false);
    assert.equal(probe!.tls!.nameMatches, true);
  });

  it('no STARTTLS: smtp-starttls-missing, and a greeting naming neither the exchange nor the PTR', async () => {
    const { run, result } = await check('plain.smtp.test', '--allow-private', '--ca', ca.caCertPath);
    assert.equal(run.code, 1);
    assert.deepEqual(rules(result), ['smtp-starttls-missing', 'smtp-banner-name-mismatch'].sort());
    const [probe] = probes(result);
    assert.equal(probe!.ehlo!.starttls, false);
    assert.equal(probe!.tls, null);
    assert.match(result.findings.find((f) => f.rule === 'smtp-banner-name-mismatch')!.message, /mail\.internal\.example.*no PTR record/);
  });

  it('a certificate for another name: smtp-cert-name-mismatch while the chain itself verifies; a greeting matching the PTR is fine', async () => {
    const { result } = await check('wrongname.smtp.test', '--allow-private', '--ca', ca.caCertPath);
    assert.deepEqual(rules(result), ['smtp-cert-name-mismatch']);
    const [probe] = probes(result);
    assert.equal(probe!.tls!.certificateValid, true);
    assert.equal(probe!.tls!.nameMatches, false);
    assert.match(result.findings[0]!.message, /other\.example\.net/);
  });

  it('a certificate that expires in 5 days: smtp-cert-expiring', async () => {
    const { result } = await check('expiring.smtp.test', '--allow-private', '--ca', ca.caCertPath);
    assert.deepEqual(rules(result), ['smtp-cert-expiring']);
    assert.match(result.findings[0]!.message, /in [45]\.\d days/);
  });

  it('a certificate from an unknown CA: smtp-cert-invalid with the reason, the name still matching', async () => {
    const { result } = await check('untrusted.smtp.test', '--allow-private', '--ca', ca.caCertPath);
    assert.deepEqual(rules(result), ['smtp-cert-invalid']);
    assert.match(result.findings[0]!.message, /self.signed/i);
    assert.equal(probes(result)[0]!.tls!.nameMatches, true);
  });

  it('IPv4 and IPv6 addresses of one exchange are probed and reported separately', async () => {
    const { result } = await check('dual.smtp.test', '--allow-private', '--ca', ca.caCertPath, '--smtp-port', String(dualPort));
    assert.deepEqual(rules(result), []);
    const found = probes(result).map((p) => ({ address: p.address, family: p.family, starttls: p.ehlo?.starttls, valid: p.tls?.certificateValid }));
    assert.deepEqual(found, [
      { address: '127.0.5.15', family: 4, starttls: true, valid: true },
      { address: '::1', family: 6, starttls: true, valid: true },
    ]);
  });

  it('the probe never sends MAIL FROM: Postfix logs EHLO, STARTTLS, EHLO and QUIT only', async () => {
    const good = postfixes[0]!;
    await check('good.smtp.test', '--allow-private', '--ca', ca.caCertPath);
    // startPostfix's own readiness check says QUIT right after the greeting: those lines have no ehlo=.
    const disconnects = good.logs().split('\n').filter((line) => line.includes('disconnect from') && line.includes('ehlo='));
    assert.ok(disconnects.length > 0, good.logs());
    for (const line of disconnects) {
      assert.match(line, /ehlo=2 starttls=1 quit=1 commands=4$/, line);
      assert.doesNotMatch(line, /mail=|rcpt=|data=/);
    }
  });

  it('EHLO carries our own address as a literal by default, or --ehlo-name', async () => {
    const picky = fakes.get('reject-ehlo')!;
    picky.commands.length = 0;
    await check('picky.smtp.test', '--allow-private');
    assert.match(picky.commands[0]!, /^EHLO \[127\.\d+\.\d+\.\d+\]$/);
    picky.commands.length = 0;
    await check('picky.smtp.test', '--allow-private', '--ehlo-name', 'probe.example.org');
    assert.equal(picky.commands[0], 'EHLO probe.example.org');
  });

  it('misbehaving servers are reported within their phase deadline each', async () => {
    // A greeting that never comes (or never completes) may be a deliberate delay: unknown, not failed.
    const cases: [string, string, string, 'fail' | 'unknown'][] = [
      ['silent.smtp.test', 'smtp-not-probed', 'banner', 'unknown'],
      ['trickle.smtp.test', 'smtp-not-probed', 'banner', 'unknown'],
      ['longline.smtp.test', 'smtp-banner-invalid', 'banner', 'fail'],
      ['refuse.smtp.test', 'smtp-banner-invalid', 'banner', 'fail'],
      ['droptls.smtp.test', 'smtp-tls-failed', 'tls-handshake', 'fail'],
      ['closed.smtp.test', 'smtp-unreachable', 'connect', 'fail'],
      ['picky.smtp.test', 'smtp-ehlo-failed', 'ehlo', 'fail'],
    ];
    const run = await mxlint(['--allow-private', ...cases.map(([domain]) => domain)], PHASE_TIMEOUT_MS);
    const results = JSON.parse(run.stdout) as DomainResult[];
    // Checked side by side: the whole run is bounded by the slowest probe's phases, not the sum. The
    // silent and the trickling server each hold their connection for a phase deadline; one after the
    // other, one would have closed before the other opened.
    const [silent, trickle] = (['silent', 'trickle'] as const).map((behaviour) => fakes.get(behaviour)!.connectionTimes.at(-1)!);
    assert.ok(silent!.opened < (trickle!.closed ?? Infinity) && trickle!.opened < (silent!.closed ?? Infinity),
      `the silent server's connection (${JSON.stringify(silent)}) and the trickling one's (${JSON.stringify(trickle)}) were never open at the same time: probed one after the other`);
    for (const [index, [domain, rule, phase, status]] of cases.entries()) {
      const result = results[index]!;
      assert.equal(result.domain, domain);
      assert.equal(result.status, status, domain);
      // The fake servers greet with names of their own: smtp-banner-name-mismatch (info) comes on top.
      assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch'), [rule], domain);
      const [probe] = probes(result);
      assert.equal(probe!.failure!.phase, phase, domain);
      // One phase's deadline at most (a quit the server never answers is the only other wait): never a third.
      assert.ok(probe!.durationMs < 3 * PHASE_TIMEOUT_MS, `${domain} probe took ${probe!.durationMs} ms, as long as three ${PHASE_TIMEOUT_MS} ms phase deadlines`);
    }
    assert.equal(probes(results[2]!)[0]!.failure!.kind, 'line-too-long');
    assert.equal(probes(results[5]!)[0]!.failure!.kind, 'refused');
  });

  it('a probe the check\'s deadline cuts short says nothing about the server: smtp-not-probed, unknown, never smtp-banner-invalid', async () => {
    const deadlineMs = 1500;
    const run = await runCli(['--server', nsd.server, '--checks', 'smtp', '--smtp-greeting-timeout', '20000', '--deadline', String(deadlineMs),
      '--allow-private', '--format', 'json', 'silent.smtp.test']);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    assert.equal(result!.status, 'unknown');
    assert.deepEqual(rules(result!), ['smtp-not-probed']);
    const finding = result!.findings[0]!;
    assert.match(finding.message, /^The probe of mx\.silent\.smtp\.test \(127\.0\.5\.20 port 25\) was cut short at the banner step \(stopped: the check's deadline \(1500 ms\) passed\), so its state is unknown\.$/);
    assert.deepEqual(probes(result!)[0]!.failure, { phase: 'banner', kind: 'cancelled', message: `stopped: the check's deadline (${deadlineMs} ms) passed` });
    // The greeting's own timeout (20 s) was not waited for: the slow alternative the bound is held against.
    assert.ok(run.durationMs < 20_000, `run took ${run.durationMs} ms: as long as the greeting's own timeout`);
  });

  it('private addresses from DNS are not connected to without --allow-private: smtp-not-probed, unknown', async () => {
    const silent = fakes.get('silent')!;
    const before = silent.connections();
    const { run, result } = await check('silent.smtp.test');
    assert.equal(run.code, 3);
    assert.deepEqual(rules(result), ['smtp-not-probed']);
    assert.equal(probes(result)[0]!.probed, false);
    assert.equal(silent.connections(), before);
  });

  it('--connect-to sends the probe for a public-looking address to a loopback server, and says so', async () => {
    const { run, result } = await check('public.smtp.test', '--ca', ca.caCertPath, '--connect-to', 'mx.public.smtp.test=127.0.5.10:25');
    // The certificate is for mx.good: the redirect is visible in the findings, not hidden.
    assert.deepEqual(rules(result), ['smtp-banner-name-mismatch', 'smtp-cert-name-mismatch'].sort(), run.stdout);
    const [probe] = probes(result);
    assert.equal(probe!.address, '185.199.108.25');
    assert.equal(probe!.connectedTo, '127.0.5.10:25');
    assert.match(result.findings[0]!.message, /connected to 127\.0\.5\.10:25 by --connect-to/);
  });
});

describe('SMTP options on the command line', () => {
  it('refuses bad --connect-to, --ca and --ehlo-name values with one line and exit 3, sending nothing', async () => {
    for (const [args, pattern] of [
      [['--connect-to', 'mx.example.com=mail.example.net'], /--connect-to: "mail\.example\.net".*not an IP address/],
      [['--connect-to', 'nonsense'], /--connect-to: "nonsense" is not/],
      [['--ca', '/nonexistent/ca.pem'], /--ca \/nonexistent\/ca\.pem: cannot be read/],
      [['--ca', '/etc/hostname'], /no PEM certificate/],
      [['--ehlo-name', 'bad name\r\nMAIL FROM:<x>'], /--ehlo-name must be/],
      [['--smtp-port', '0'], /--smtp-port must be a whole number from 1 to 65535/],
    ] as const) {
      const run = await runCli([...args, '--checks', 'smtp', 'example.com'], { isolateNetwork: true });
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
  });
});
