/**
 * The SMTP servers in depth, end to end: the built CLI against real Postfix instances on 127.0.6.x
 * configured as users meet them — postscreen holding the greeting back, a connection rate limit that
 * answers 421, an open relay through mynetworks, a closed one (Postfix's default
 * defer_unauth_destination), one that checks the recipient's domain first — and, for what Postfix
 * will not do, in-process servers: one offering other extensions after STARTTLS, one counting the
 * sessions open at once for a bulk run of 1,000 domains, and an address whose connections time out.
 * DNS comes from a real NSD.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { e2eGate, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { startPostfix, type PostfixServer } from '../support/postfix.js';
import { startFakeSmtp, type FakeSmtpServer } from '../support/fake-smtp.js';
import { startBlackhole, type Blackhole } from '../support/blackhole.js';
import { createTestCa, type TestCa } from '../support/pki.js';

const gate = [e2eGate('postfix'), e2eGate('nsd'), e2eGate('openssl')].find((g) => g.skip !== false) ?? { skip: false as const };

const BULK_DOMAINS = 1000;
const SHARED_DOMAINS = 200;
const PER_HOST_DOMAINS = 30;
const BUDGET_DOMAINS = 12;
const BUDGET = 5;
const JOBS_DOMAINS = 40;

const ADDRESSES = {
  screen: '127.0.6.1', rate: '127.0.6.2', open: '127.0.6.3', closed: '127.0.6.4', checking: '127.0.6.5',
  lost: '127.0.6.10', blocked: '127.0.6.11', plain: '127.0.6.12', bulk: '127.0.6.20', shared: '127.0.6.21', perhost: '127.0.6.22', budget: '127.0.6.23', jobs: '127.0.6.24',
} as const;

function zone(): string {
  const lines = [
    '$ORIGIN depth.test.', '$TTL 300', '@ SOA ns1 hostmaster 1 3600 600 86400 300', '@ NS ns1', 'ns1 A 127.0.6.53',
    ...Object.entries(ADDRESSES).filter(([name]) => !['bulk', 'shared', 'perhost', 'budget', 'jobs'].includes(name)).flatMap(([name, address]) => [`${name} MX 10 mx.${name}`, `mx.${name} A ${address}`]),
    // A provider with an exchange name per customer, all on one address (Microsoft 365 style) …
    ...Array.from({ length: BULK_DOMAINS }, (_, i) => [`d${i}.bulk MX 10 mx.d${i}.bulk`, `mx.d${i}.bulk A ${ADDRESSES.bulk}`]).flat(),
    // … and one whose customers all name the same exchange (Google Workspace style).
    'mx.shared A 127.0.6.21',
    ...Array.from({ length: SHARED_DOMAINS }, (_, i) => `s${i}.shared MX 10 mx.shared`),
    ...Array.from({ length: PER_HOST_DOMAINS }, (_, i) => [`p${i}.perhost MX 10 mx.p${i}.perhost`, `mx.p${i}.perhost A ${ADDRESSES.perhost}`]).flat(),
    ...Array.from({ length: BUDGET_DOMAINS }, (_, i) => [`b${i}.budget MX 10 mx.b${i}.budget`, `mx.b${i}.budget A ${ADDRESSES.budget}`]).flat(),
    ...Array.from({ length: JOBS_DOMAINS }, (_, i) => [`j${i}.jobs MX 10 mx.j${i}.jobs`, `mx.j${i}.jobs A ${ADDRESSES.jobs}`]).flat(),
  ];
  return `${lines.join('\n')}\n`;
}

let nsd: NsdServer;
let ca: TestCa;
let dir: string;
let blackhole: Blackhole;
const postfix: Partial<Record<keyof typeof ADDRESSES, PostfixServer>> = {};
const fakes: Partial<Record<keyof typeof ADDRESSES, FakeSmtpServer>> = {};

function mxlint(args: string[]): Promise<CliResult> {
  return runCli(['--server', nsd.server, '--allow-private', '--ca', ca.caCertPath, '--format', 'json', ...args], { timeoutMs: 120_000 });
}

async function check(domain: string, ...args: string[]): Promise<DomainResult> {
  const run = await mxlint([...args, domain]);
  assert.equal(run.stderr, '', run.stderr);
  return (JSON.parse(run.stdout) as DomainResult[])[0]!;
}

function rules(result: DomainResult): string[] {
  return [...new Set(result.findings.filter((f) => f.rule !== 'smtp-banner-name-mismatch').map((f) => `${f.rule} ${f.messageId}`))].sort();
}

interface ProbeView {
  failure: { phase: string; kind: string; message: string } | null;
  ehlo: { keywords: string[] } | null;
  ehloAfterTls: { keywords: string[]; requiretls: boolean } | null;
}

function smtpOf(result: DomainResult): { connectivity: { ipv4: { connected: boolean } }; probes: ProbeView[] } {
  return (result as unknown as { smtp: { connectivity: { ipv4: { connected: boolean } }; probes: ProbeView[] } }).smtp;
}

function relayOf(result: DomainResult): { testAddress: string; probes: { verdict: string; reason?: string; rcptTo: string | null }[] } {
  return (result as unknown as { relay: { testAddress: string; probes: { verdict: string; reason?: string; rcptTo: string | null }[] } }).relay;
}

describe('SMTP servers in depth against Postfix and in-process servers', { skip: gate.skip }, () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-depth-'));
    ca = await createTestCa(join(dir, 'ca'));
    const leaf = await ca.issue({ names: ['mx.open.depth.test', 'mx.lost.depth.test'] });
    const tls = { keyPath: leaf.keyPath, certPath: leaf.chainPath };
    nsd = await startNsd({ host: '127.0.6.53', zones: { 'depth.test': zone() } });
    const [screen, rate, open, closed, checking, shared] = await Promise.all([
      // postscreen with its default 6 s greeting delay, for every client (loopback included).
      startPostfix({ addresses: [ADDRESSES.screen], port: 25, myhostname: 'mx.screen.depth.test', tls: null, postscreen: true,
        extraMainCf: ['postscreen_access_list =', 'postscreen_greet_action = enforce'] }),
      // One connection a minute per client, loopback not exempt: the readiness check takes it, every probe after gets 421.
      startPostfix({ addresses: [ADDRESSES.rate], port: 25, myhostname: 'mx.rate.depth.test', tls: null,
        extraMainCf: ['smtpd_client_connection_rate_limit = 1', 'smtpd_client_event_limit_exceptions =', 'anvil_rate_time_unit = 60s'] }),
      // mynetworks holds 127.0.0.0/8: Postfix relays for the prober, as it would for a careless mynetworks = 0.0.0.0/0.
      startPostfix({ addresses: [ADDRESSES.open], port: 25, myhostname: 'mx.open.depth.test', tls }),
      startPostfix({ addresses: [ADDRESSES.closed], port: 25, myhostname: 'mx.closed.depth.test', tls: null, extraMainCf: ['mynetworks = 192.0.2.0/24'] }),
      startPostfix({ addresses: [ADDRESSES.checking], port: 25, myhostname: 'mx.checking.depth.test', tls: null,
        extraMainCf: ['smtpd_recipient_restrictions = reject_unknown_recipient_domain'] }),
      startPostfix({ addresses: [ADDRESSES.shared], port: 25, myhostname: 'mx.shared.depth.test', tls: null }),
    ]);
    Object.assign(postfix, { screen, rate, open, closed, checking, shared });
    fakes.lost = await startFakeSmtp(ADDRESSES.lost, 25, {
      extensions: ['PIPELINING', 'SIZE 52428800', '8BITMIME', 'SMTPUTF8'], extensionsAfterTls: ['PIPELINING', 'SIZE 52428800'],
      tls: { key: leaf.keyPem, cert: leaf.chainPem }, greeting: '220 mx.lost.depth.test ESMTP',
    });
    fakes.plain = await startFakeSmtp(ADDRESSES.plain, 25, { extensions: ['PIPELINING'], greeting: '220 mx.plain.depth.test ESMTP' });
    // Each session held a few milliseconds so that sessions of a run that opened too many would overlap.
    fakes.bulk = await startFakeSmtp(ADDRESSES.bulk, 25, { extensions: ['PIPELINING'], ehloDelayMs: 5 });
    fakes.perhost = await startFakeSmtp(ADDRESSES.perhost, 25, { extensions: ['PIPELINING'], ehloDelayMs: 20 });
    fakes.budget = await startFakeSmtp(ADDRESSES.budget, 25, { extensions: ['PIPELINING'] });
    fakes.jobs = await startFakeSmtp(ADDRESSES.jobs, 25, { extensions: ['PIPELINING'], ehloDelayMs: 20 });
    blackhole = await startBlackhole(ADDRESSES.blocked, 25);
  });

  after(async () => {
    await Promise.all([...Object.values(postfix).map((p) => p.stop()), ...Object.values(fakes).map((f) => f.close()), blackhole?.stop(), nsd?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('postscreen\'s 6 s greeting delay: the default greeting deadline waits it out; a shorter one makes the server unknown, never failed', async () => {
    const impatient = await check('screen.depth.test', '--checks', 'smtp', '--smtp-greeting-timeout', '1000');
    assert.equal(impatient.status, 'unknown');
    assert.deepEqual(rules(impatient), ['smtp-not-probed slowGreeting']);
    assert.deepEqual(smtpOf(impatient).probes[0]!.failure?.phase, 'banner');
    const patient = await check('screen.depth.test', '--checks', 'smtp');
    assert.equal(smtpOf(patient).probes[0]!.failure, null, JSON.stringify(smtpOf(patient)));
    assert.match(postfix.screen!.logs(), /PASS NEW \[127\.0\.0\.1\]/);
    assert.deepEqual(rules(patient), ['smtp-starttls-missing missing']);
  });

  it('a 421 from a connection rate limit is unknown with the server\'s words, never smtp-banner-invalid', async () => {
    const result = await check('rate.depth.test', '--checks', 'smtp');
    assert.equal(result.status, 'unknown');
    assert.deepEqual(rules(result), ['smtp-not-probed busy']);
    assert.match(result.findings[0]!.message, /answered "421 4\.7\.0 mx\.rate\.depth\.test Error: too many connections from 127\.0\.0\.1" at the banner step/);
    assert.equal(smtpOf(result).probes[0]!.failure?.kind, 'busy');
  });

  it('every connection timing out, with nothing else connected in the run: unknown, naming this machine; beside a server that answers: unreachable', async () => {
    const alone = await check('blocked.depth.test', '--checks', 'smtp', '--smtp-timeout', '2000');
    assert.equal(alone.status, 'unknown');
    assert.deepEqual(rules(alone), ['smtp-not-probed noConnectivity']);
    assert.match(alone.findings[0]!.message, /No SMTP connection over IPv4 to port 25 has succeeded from the machine mxlint runs on during this run/);
    assert.equal(smtpOf(alone).connectivity.ipv4.connected, false);
    const run = await mxlint(['--checks', 'smtp', '--smtp-timeout', '5000', 'plain.depth.test', 'blocked.depth.test']);
    const [plain, blocked] = JSON.parse(run.stdout) as DomainResult[];
    assert.equal(smtpOf(plain!).probes[0]!.failure, null);
    assert.equal(blocked!.status, 'fail');
    assert.deepEqual(rules(blocked!), ['smtp-unreachable timedOut']);
    assert.equal(smtpOf(blocked!).connectivity.ipv4.connected, true);
  });

  it('extensions offered in clear text but not after STARTTLS: smtp-extensions-after-tls, both EHLO replies in the result', async () => {
    const result = await check('lost.depth.test', '--checks', 'smtp');
    assert.deepEqual(rules(result), ['smtp-extensions-after-tls lost']);
    assert.match(result.findings.find((f) => f.rule === 'smtp-extensions-after-tls')!.message, /offers 8BITMIME, SMTPUTF8 in clear text but not after STARTTLS/);
    const [probe] = smtpOf(result).probes;
    assert.deepEqual(probe!.ehlo?.keywords, ['PIPELINING', 'SIZE', '8BITMIME', 'SMTPUTF8', 'STARTTLS']);
    assert.deepEqual(probe!.ehloAfterTls?.keywords, ['PIPELINING', 'SIZE']);
  });

  it('Postfix offers the same extensions both times, so a well-configured server has no extension finding', async () => {
    const result = await check('open.depth.test', '--checks', 'smtp');
    assert.deepEqual(rules(result), []);
    const [probe] = smtpOf(result).probes;
    assert.deepEqual(probe!.ehloAfterTls?.keywords.filter((k) => k !== 'AUTH'), probe!.ehlo?.keywords.filter((k) => k !== 'STARTTLS'));
  });

  it('an open relay through mynetworks: relay-open, after STARTTLS, and never DATA', async () => {
    const result = await check('open.depth.test', '--checks', 'relay');
    assert.equal(result.status, 'fail');
    assert.deepEqual(rules(result), ['relay-open accepted']);
    assert.deepEqual(relayOf(result).probes.map((p) => [p.verdict, p.rcptTo?.slice(0, 3)]), [['open', '250']]);
    assert.equal(relayOf(result).testAddress, 'relay-test@mxlint.invalid');
    // Postfix counts every command of a session: MAIL and RCPT, never DATA or BDAT, and nothing queued.
    const sessions = postfix.open!.logs().split('\n').filter((line) => line.includes('disconnect from') && line.includes('rcpt='));
    assert.equal(sessions.length, 1, postfix.open!.logs());
    assert.match(sessions[0]!, /ehlo=2 starttls=1 mail=1 rcpt=1 quit=1 commands=6$/);
    assert.doesNotMatch(postfix.open!.logs(), /data=|bdat=|queued as|message-id=/i);
  });

  it('Postfix\'s default relay restrictions (454 4.7.1 Relay access denied): refused, no finding', async () => {
    const result = await check('closed.depth.test', '--checks', 'relay');
    assert.deepEqual(rules(result), []);
    assert.equal(result.status, 'pass');
    assert.match(relayOf(result).probes[0]!.rcptTo!, /^454 4\.7\.1 .*Relay access denied/);
    assert.equal(relayOf(result).probes[0]!.verdict, 'refused');
  });

  it('a server that checks the recipient\'s domain first (450 4.1.2 Domain not found): inconclusive, with the advice to give a real address', async () => {
    const result = await check('checking.depth.test', '--checks', 'relay');
    assert.equal(result.status, 'unknown');
    assert.deepEqual(rules(result), ['relay-inconclusive domainUnknown']);
    assert.match(result.findings[0]!.fix, /--relay-test-address at a real domain/);
    assert.deepEqual(relayOf(result).probes.map((p) => [p.verdict, p.reason]), [['inconclusive', 'domain-unknown']]);
  });

  it('--relay-test-address: an address elsewhere is relayed; one in the checked domain\'s own organization proves nothing', async () => {
    const elsewhere = await check('open.depth.test', '--checks', 'relay', '--relay-test-address', 'someone@elsewhere.example');
    assert.deepEqual(rules(elsewhere), ['relay-open accepted']);
    assert.match(elsewhere.findings[0]!.message, /RCPT TO:<someone@elsewhere\.example>/);
    const own = await check('open.depth.test', '--checks', 'relay', '--relay-test-address', 'postmaster@depth.test');
    assert.deepEqual(rules(own), ['relay-inconclusive ownDomain']);
  });

  it('--checks all leaves the relay test out', async () => {
    const before = postfix.closed!.logs().split('\n').filter((line) => line.includes('rcpt=')).length;
    const result = await check('closed.depth.test', '--checks', 'all');
    assert.equal('relay' in result, false);
    assert.equal(postfix.closed!.logs().split('\n').filter((line) => line.includes('rcpt=')).length, before);
  });

  it(`a bulk run of ${BULK_DOMAINS} domains with an exchange name each on one address opens at most 2 connections at a time to it, counted at the server`, async () => {
    const list = join(dir, 'bulk.txt');
    writeFileSync(list, `${Array.from({ length: BULK_DOMAINS }, (_, i) => `d${i}.bulk.depth.test`).join('\n')}\n`);
    const run = await runCli(['--server', nsd.server, '--allow-private', '--checks', 'smtp', '--format', 'jsonl', '-f', list], { timeoutMs: 300_000 });
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as DomainResult);
    assert.equal(results.length, BULK_DOMAINS);
    const failed = results.filter((r) => smtpOf(r).probes[0]?.failure !== null);
    assert.deepEqual(failed.map((r) => `${r.input}: ${JSON.stringify(smtpOf(r).probes[0]?.failure)}`), []);
    assert.equal(fakes.bulk!.connections(), BULK_DOMAINS, 'one probe per exchange name');
    assert.equal(fakes.bulk!.maxSessions(), 2);
  });

  it(`${SHARED_DOMAINS} domains on one shared exchange cost one probe, seen in Postfix's log`, async () => {
    const list = join(dir, 'shared.txt');
    writeFileSync(list, `${Array.from({ length: SHARED_DOMAINS }, (_, i) => `s${i}.shared.depth.test`).join('\n')}\n`);
    const connects = (): number => postfix.shared!.logs().split('\n').filter((line) => /smtpd\[\d+\]: connect from/.test(line)).length;
    const before = connects();
    const run = await runCli(['--server', nsd.server, '--allow-private', '--checks', 'smtp', '--format', 'jsonl', '-f', list], { timeoutMs: 120_000 });
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as DomainResult);
    assert.equal(results.length, SHARED_DOMAINS);
    assert.ok(results.every((r) => smtpOf(r).probes[0]?.failure === null));
    assert.equal(connects() - before, 1, postfix.shared!.logs());
  });

  it('--smtp-per-host 3: three connections at a time to the address, not two and not more', async () => {
    const domains = Array.from({ length: PER_HOST_DOMAINS }, (_, i) => `p${i}.perhost.depth.test`);
    const run = await runCli(['--server', nsd.server, '--allow-private', '--checks', 'smtp', '--format', 'jsonl', '--smtp-per-host', '3', ...domains], { timeoutMs: 120_000 });
    assert.equal(run.stdout.trim().split('\n').length, PER_HOST_DOMAINS);
    assert.equal(fakes.perhost!.connections(), PER_HOST_DOMAINS);
    assert.equal(fakes.perhost!.maxSessions(), 3);
  });

  it('--jobs 2: the two worker threads share --smtp-per-host 2, so still two connections at a time to the address, counted at the server', async () => {
    const domains = Array.from({ length: JOBS_DOMAINS }, (_, i) => `j${i}.jobs.depth.test`);
    const run = await runCli(['--server', nsd.server, '--allow-private', '--checks', 'smtp', '--format', 'jsonl', '--jobs', '2', ...domains], { timeoutMs: 120_000 });
    assert.equal(run.stdout.trim().split('\n').length, JOBS_DOMAINS, run.stderr);
    assert.equal(fakes.jobs!.connections(), JOBS_DOMAINS);
    assert.ok(fakes.jobs!.maxSessions() <= 2, `${fakes.jobs!.maxSessions()} sessions at once`);
  });

  it(`--smtp-budget ${BUDGET}: ${BUDGET} connections in the whole run, counted at the server; the servers left are unknown, never failed`, async () => {
    const domains = Array.from({ length: BUDGET_DOMAINS }, (_, i) => `b${i}.budget.depth.test`);
    const run = await runCli(['--server', nsd.server, '--allow-private', '--checks', 'smtp', '--format', 'jsonl', '--smtp-budget', String(BUDGET), ...domains], { timeoutMs: 120_000 });
    const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as DomainResult);
    assert.equal(results.length, BUDGET_DOMAINS);
    assert.equal(fakes.budget!.connections(), BUDGET);
    assert.equal(results.filter((r) => smtpOf(r).probes[0]!.failure === null).length, BUDGET);
    const left = results.filter((r) => smtpOf(r).probes[0]!.failure !== null);
    assert.equal(left.length, BUDGET_DOMAINS - BUDGET);
    for (const result of left) {
      assert.equal(result.status, 'unknown');
      assert.deepEqual(rules(result), ['smtp-not-probed budgetSpent']);
      assert.equal(smtpOf(result).probes[0]!.failure?.kind, 'budget');
    }
  });
});

describe('the new SMTP options on the command line', () => {
  it('refuses bad values with one line and exit 3, sending nothing', async () => {
    for (const [args, pattern] of [
      [['--relay-test-address', 'no-at-sign'], /--relay-test-address must be a mail address/],
      [['--relay-test-address', 'a b@example.net'], /--relay-test-address must be a mail address/],
      [['--relay-test-address', 'x@example.net>\r\nDATA'], /--relay-test-address must be a mail address/],
      [['--smtp-per-host', '0'], /--smtp-per-host must be a whole number from 1 to 16/],
      [['--smtp-per-host', '17'], /--smtp-per-host must be a whole number from 1 to 16/],
      [['--smtp-budget', '0'], /--smtp-budget must be a whole number from 1 to 1000000/],
      [['--jobs', '3'], /--jobs 3 with --checks smtp would open up to 3 connections at once to one SMTP server, past --smtp-per-host 2 \(each job takes a share of it\): give --jobs 2 or less/],
      [['--smtp-greeting-timeout', 'soon'], /--smtp-greeting-timeout must be a whole number/],
      [['--cert', '/nonexistent/new.pem'], /--cert \/nonexistent\/new\.pem: cannot be read \(no such file\)/],
      [['--cert', '/tmp'], /--cert \/tmp: cannot be read \(it is a directory/],
      [['--cert', '/etc/hostname'], /--cert \/etc\/hostname: no PEM certificate/],
    ] as const) {
      const run = await runCli([...args, '--checks', 'smtp,dane', 'example.com'], { isolateNetwork: true });
      assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, pattern);
      assert.equal(run.stderr.trim().split('\n').length, 1);
    }
  });
});
