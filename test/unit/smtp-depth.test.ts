/**
 * The SMTP servers in depth without DNS: the probe against in-process servers for what Postfix will
 * not do on demand (a 421 or a late greeting on a port of the test's choosing, other extensions after
 * STARTTLS, any RCPT TO answer), the run's prober (connections at once per address, one probe per
 * server per run, a wait the deadline cuts), and the rules of fair verdicts, extensions and the relay
 * test on facts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeSmtp } from '../../src/smtp/session.js';
import { validateOptions } from '../../src/engine/validate-options.js';
import { OptionError } from '../../src/core/errors.js';
import type { SmtpFailure, SmtpSession } from '../../src/smtp/session.js';
import { parseEhlo } from '../../src/smtp/extensions.js';
import { SmtpProber } from '../../src/facts/smtp-prober.js';
import type { SmtpFacts } from '../../src/facts/smtp-probes.js';
import { smtpBannerInvalid, smtpNotProbed, smtpUnreachable } from '../../src/families/smtp/rules/connection.js';
import { smtpExtensionConflict, smtpExtensionsAfterTls } from '../../src/families/smtp/rules/extensions.js';
import { relayInconclusive, relayOpen } from '../../src/families/relay/rules.js';
import { relayVerdict } from '../../src/families/relay/verdict.js';
import type { RelayFacts } from '../../src/families/relay/collect.js';
import { startFakeSmtp, type FakeSmtpServer, type SmtpScript } from '../support/fake-smtp.js';
import { freePort } from '../support/ports.js';
import { e2eGate, REPO_ROOT } from '../support/e2e.js';
import { createTestCa, type TestCa } from '../support/pki.js';

const HOST = '127.0.0.1';
/** Far above what a loopback reply takes on a loaded machine; the deadlines tested are set apart from it by their own values. */
const PATIENT_MS = 10_000;

async function scripted(script: SmtpScript): Promise<FakeSmtpServer> {
  return startFakeSmtp(HOST, await freePort([HOST]), script);
}

function probeOf(server: FakeSmtpServer, extra: Partial<Parameters<typeof probeSmtp>[0]> = {}): Promise<SmtpSession> {
  return probeSmtp({ host: server.host, port: server.port, serverName: 'mx.example.test', phaseTimeoutMs: PATIENT_MS, greetingTimeoutMs: PATIENT_MS, ...extra });
}

const servers: FakeSmtpServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function start(script: SmtpScript): Promise<FakeSmtpServer> {
  const server = await scripted(script);
  servers.push(server);
  return server;
}

describe('the probe: greeting deadline, 421, EHLO after STARTTLS, the relay envelope', () => {
  it('a 421 greeting is its own failure kind, busy, not a rejection', async () => {
    const server = await start({ greeting: '421 4.7.0 mx.example.test Error: too many connections from 127.0.0.1' });
    const session = await probeOf(server);
    assert.equal(session.failure?.phase, 'banner');
    assert.equal(session.failure?.kind, 'busy');
    assert.equal(session.failure?.reply?.code, 421);
  });

  it('the greeting has a deadline of its own: a greeting later than the other steps\' deadline but within its own is waited for', async () => {
    const server = await start({ greetDelayMs: 400, extensions: ['PIPELINING'] });
    const patient = await probeOf(server, { phaseTimeoutMs: 100, greetingTimeoutMs: PATIENT_MS });
    assert.equal(patient.failure, null);
    assert.equal(patient.banner?.code, 220);
    const impatient = await probeOf(server, { phaseTimeoutMs: PATIENT_MS, greetingTimeoutMs: 100 });
    assert.deepEqual([impatient.failure?.phase, impatient.failure?.kind], ['banner', 'timeout']);
  });

  it('EHLO is sent again after STARTTLS and both replies are kept', { skip: e2eGate('openssl').skip }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlint-depth-pki-'));
    try {
      const ca: TestCa = await createTestCa(dir);
      const leaf = await ca.issue({ names: ['mx.example.test'] });
      const server = await start({
        extensions: ['PIPELINING', 'SIZE 10240000', '8BITMIME', 'SMTPUTF8', 'CHUNKING'],
        extensionsAfterTls: ['PIPELINING', 'SIZE 1000000', 'STARTTLS', 'REQUIRETLS'],
        tls: { key: leaf.keyPem, cert: leaf.chainPem },
      });
      const session = await probeOf(server, { ca: [readFileSync(ca.caCertPath, 'utf8')] });
      assert.equal(session.failure, null);
      assert.deepEqual(session.ehlo?.keywords, ['PIPELINING', 'SIZE', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'STARTTLS']);
      assert.deepEqual(session.ehloAfterTls?.keywords, ['PIPELINING', 'SIZE', 'STARTTLS', 'REQUIRETLS']);
      assert.equal(session.ehloAfterTls?.requireTls, true);
      assert.deepEqual(server.commands.filter((c) => c.startsWith('EHLO')).length, 2);
      const facts = factsOf([probed('127.0.0.1', session)]);
      assert.deepEqual(smtpExtensionsAfterTls.check(facts).map((f) => f.messageId).sort(), ['lost', 'smallerSize', 'starttlsAgain']);
      assert.match(smtpExtensionsAfterTls.check(facts).find((f) => f.messageId === 'lost')!.message, /offers 8BITMIME, SMTPUTF8, CHUNKING in clear text but not after STARTTLS/);
      assert.match(smtpExtensionsAfterTls.check(facts).find((f) => f.messageId === 'smallerSize')!.message, /SIZE 10240000 in clear text but SIZE 1000000 after STARTTLS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the relay envelope: MAIL FROM:<>, one RCPT TO, QUIT, and never DATA, whatever the server accepts', async () => {
    const server = await start({ extensions: ['PIPELINING', 'CHUNKING', '8BITMIME'], rcptReply: '250 2.1.5 Ok' });
    const session = await probeOf(server, { envelope: { mailFrom: '', rcptTo: 'relay-test@mxlint.invalid' } });
    assert.equal(session.failure, null);
    assert.equal(session.envelope?.mailFrom?.code, 250);
    assert.equal(session.envelope?.rcptTo?.code, 250);
    assert.deepEqual(server.commands.slice(1), ['MAIL FROM:<>', 'RCPT TO:<relay-test@mxlint.invalid>', 'QUIT']);
    assert.ok(server.commands.every((c) => !/^(DATA|BDAT)\b/i.test(c)), server.commands.join(' | '));
  });

  it('without an envelope the probe never says MAIL FROM', async () => {
    const server = await start({ extensions: ['PIPELINING'] });
    await probeOf(server);
    assert.deepEqual(server.commands.map((c) => c.split(' ')[0]), ['EHLO', 'QUIT']);
  });
});

describe('the run\'s prober', () => {
  it(`opens at most --smtp-per-host connections at once to one address, counted at the server`, async () => {
    const server = await start({ extensions: ['PIPELINING'], ehloDelayMs: 30 });
    const prober = new SmtpProber(2);
    // Twenty exchange names on one address (a provider with a name per customer): twenty probes, two at a time.
    const sessions = await Promise.all(Array.from({ length: 20 }, (_, i) => prober.probe({ host: server.host, port: server.port, serverName: `mx${i}.example.test`, phaseTimeoutMs: PATIENT_MS })));
    assert.ok(sessions.every((s) => s.failure === null));
    assert.equal(server.connections(), 20);
    assert.equal(server.maxSessions(), 2);
  });

  it('probes one server once per run however many checks ask, and a new run asks again', async () => {
    const server = await start({ extensions: ['PIPELINING'], ehloDelayMs: 10 });
    const prober = new SmtpProber();
    const asks = Array.from({ length: 50 }, () => prober.probe({ host: server.host, port: server.port, serverName: 'MX.shared.example.test', phaseTimeoutMs: PATIENT_MS }));
    const sessions = await Promise.all(asks);
    assert.ok(sessions.every((s) => s === sessions[0]));
    assert.equal(server.connections(), 1);
    await prober.probe({ host: server.host, port: server.port, serverName: 'mx.shared.example.test', phaseTimeoutMs: PATIENT_MS });
    assert.equal(server.connections(), 1, 'server names compare without case');
    await new SmtpProber().probe({ host: server.host, port: server.port, serverName: 'mx.shared.example.test', phaseTimeoutMs: PATIENT_MS });
    assert.equal(server.connections(), 2);
  });

  it('a check whose deadline passes while it waits for a free connection stops waiting, and opens nothing', async () => {
    const server = await start({ extensions: ['PIPELINING'], ehloDelayMs: 300 });
    const prober = new SmtpProber(1);
    const first = prober.probe({ host: server.host, port: server.port, serverName: 'a.example.test', phaseTimeoutMs: PATIENT_MS });
    const cancel = new AbortController();
    const waiting = prober.probe({ host: server.host, port: server.port, serverName: 'b.example.test', phaseTimeoutMs: PATIENT_MS }, cancel.signal);
    cancel.abort(new Error('the check\'s deadline (5 ms) passed'));
    const session = await waiting;
    assert.equal(session.failure?.kind, 'cancelled');
    assert.match(session.failure!.message, /waiting for one of the 1 connections at once to 127\.0\.0\.1:\d+: the check's deadline/);
    assert.equal((await first).failure, null);
    assert.equal(server.connections(), 1);
  });

  it('a probe another check\'s deadline cut short is not kept: the next check probes afresh', async () => {
    const server = await start({ extensions: ['PIPELINING'], ehloDelayMs: 200 });
    const prober = new SmtpProber();
    const cancel = new AbortController();
    const cut = prober.probe({ host: server.host, port: server.port, serverName: 'mx.example.test', phaseTimeoutMs: PATIENT_MS }, cancel.signal);
    const patient = prober.probe({ host: server.host, port: server.port, serverName: 'mx.example.test', phaseTimeoutMs: PATIENT_MS });
    setTimeout(() => cancel.abort(new Error('deadline')), 50);
    assert.equal((await cut).failure?.kind, 'cancelled');
    assert.equal((await patient).failure, null);
    assert.equal(server.connections(), 2);
  });

  it('opens no more connections in all than its budget: the servers left are not tried, and a cached probe costs nothing', async () => {
    const server = await start({ extensions: ['PIPELINING'] });
    const prober = new SmtpProber(2, 3);
    const ask = (name: string) => prober.probe({ host: server.host, port: server.port, serverName: name, phaseTimeoutMs: PATIENT_MS });
    const sessions = await Promise.all(Array.from({ length: 5 }, (_, i) => ask(`mx${i}.example.test`)));
    assert.equal(server.connections(), 3);
    assert.equal(prober.connectionsOpened, 3);
    assert.equal(sessions.filter((s) => s.failure === null).length, 3);
    const spent = sessions.filter((s) => s.failure !== null);
    assert.deepEqual(spent.map((s) => s.failure?.kind), ['budget', 'budget']);
    assert.match(spent[0]!.failure!.message, /^not connected to 127\.0\.0\.1:\d+: the run has opened 3 SMTP connections, its whole budget$/);
    const again = await ask('mx0.example.test');
    assert.equal(again.failure, null, 'a server probed before the budget ran out is answered from the cache');
    assert.equal(server.connections(), 3);
  });

  it('remembers for the run that a connection of a family to a port worked', async () => {
    const server = await start({ extensions: [] });
    const prober = new SmtpProber();
    assert.equal(prober.connectivity(4, server.port).connected, false);
    await prober.probe({ host: server.host, port: server.port, serverName: 'mx.example.test', phaseTimeoutMs: PATIENT_MS });
    assert.equal(prober.connectivity(4, server.port).connected, true);
    assert.equal(prober.connectivity(4, server.port + 1).connected, false);
    assert.equal(prober.connectivity(6, server.port).connected, false);
  });
});

// ---------------------------------------------------------------------------------------------
// Rules on facts

type Probe = SmtpFacts['probes'][number];

function session(parts: Partial<SmtpSession>): SmtpSession {
  return { banner: null, ehlo: null, tls: null, ehloAfterTls: null, envelope: null, failure: null, durationMs: 1, ...parts };
}

function probed(address: string, s: SmtpSession, family: 4 | 6 = address.includes(':') ? 6 : 4): Probe {
  return { exchange: 'mx.example.org', address, family, state: 'probed', target: { host: address, port: 25 }, ptr: { state: 'none' }, session: s };
}

function failing(address: string, failure: SmtpFailure): Probe {
  return probed(address, session({ failure }));
}

function factsOf(probes: Probe[], connected: { 4?: boolean; 6?: boolean } = { 4: true, 6: true }, globalIpv6 = true): SmtpFacts {
  return {
    port: 25, checkedAt: 0, unresolved: [], probes,
    connectivity: { 4: { connected: connected[4] ?? false, globalAddress: true }, 6: { connected: connected[6] ?? false, globalAddress: globalIpv6 } },
  };
}

const TIMEOUT: SmtpFailure = { phase: 'connect', kind: 'timeout', message: 'no TCP connection to 192.0.2.25:25 within 10000 ms' };

describe('fair verdicts', () => {
  it('a timeout while no connection of that family has worked in the run is unknown, naming this machine; once one has, it is the server\'s', () => {
    const lonely = factsOf([failing('192.0.2.25', TIMEOUT)], { 4: false, 6: false });
    assert.deepEqual(smtpUnreachable.check(lonely), []);
    const [unknown] = smtpNotProbed.check(lonely);
    assert.equal(unknown?.messageId, 'noConnectivity');
    assert.equal(unknown?.severity, 'unknown');
    assert.match(unknown!.message, /No SMTP connection over IPv4 to port 25 has succeeded from the machine mxlint runs on during this run, so outbound connections may be blocked here/);
    const proven = factsOf([failing('192.0.2.25', TIMEOUT)], { 4: true });
    assert.deepEqual(smtpNotProbed.check(proven), []);
    assert.match(smtpUnreachable.check(proven)[0]!.message, /while connections from here to other SMTP servers over IPv4 succeed/);
  });

  it('IPv6 counts on its own: working IPv4 proves nothing about IPv6, and a machine without a global IPv6 address says so', () => {
    const v6 = { ...TIMEOUT, message: 'no TCP connection to [2001:db8::25]:25 within 10000 ms' };
    const facts = factsOf([failing('2001:db8::25', v6)], { 4: true, 6: false }, false);
    assert.deepEqual(smtpUnreachable.check(facts), []);
    assert.match(smtpNotProbed.check(facts)[0]!.message, /over IPv6 .* during this run, and this machine has no global IPv6 address/);
  });

  it('a refused connection without a 421 stays unreachable, whatever the run saw', () => {
    const refused = factsOf([failing('192.0.2.25', { phase: 'connect', kind: 'refused', message: 'cannot connect to 192.0.2.25:25: ECONNREFUSED' })], {});
    assert.equal(smtpUnreachable.check(refused)[0]?.messageId, 'unreachable');
    assert.deepEqual(smtpNotProbed.check(refused), []);
  });

  it('a 421 at any step and a late greeting are unknown, never smtp-banner-invalid; a 554 greeting still is', () => {
    const busy: SmtpFailure = { phase: 'banner', kind: 'busy', message: 'answered "421 4.7.0 Error: too many connections from 192.0.2.1"', reply: { code: 421, lines: ['4.7.0 Error: too many connections from 192.0.2.1'] } };
    const late: SmtpFailure = { phase: 'banner', kind: 'timeout', message: 'no complete reply within 15000 ms' };
    const refusing: SmtpFailure = { phase: 'banner', kind: 'rejected', message: 'answered "554 5.7.1 no service"', reply: { code: 554, lines: ['5.7.1 no service'] } };
    const facts = factsOf([failing('192.0.2.1', busy), failing('192.0.2.2', late), failing('192.0.2.3', refusing)]);
    assert.deepEqual(smtpNotProbed.check(facts).map((f) => `${f.messageId} ${f.message.split(' ')[1]}`), ['busy (192.0.2.1', 'slowGreeting (192.0.2.2']);
    assert.match(smtpNotProbed.check(facts)[0]!.message, /answered "421 4\.7\.0 Error: too many connections from 192\.0\.2\.1" at the banner step: "service not available"/);
    assert.deepEqual(smtpBannerInvalid.check(facts).map((f) => f.message.split(' ')[1]), ['(192.0.2.3']);
  });

  it('a server the run\'s budget left untried is unknown, naming --smtp-budget, and nothing else', () => {
    const spent: SmtpFailure = { phase: 'connect', kind: 'budget', message: 'not connected to 192.0.2.25:25: the run has opened 10000 SMTP connections, its whole budget' };
    const facts = factsOf([failing('192.0.2.25', spent)], { 4: false });
    const findings = smtpNotProbed.check(facts);
    assert.deepEqual(findings.map((f) => [f.messageId, f.severity]), [['budgetSpent', 'unknown']]);
    assert.match(findings[0]!.message, /was not probed: not connected to 192\.0\.2\.25:25: the run has opened 10000 SMTP connections, its whole budget \(--smtp-budget\), so its state is unknown/);
    assert.deepEqual([...smtpUnreachable.check(facts), ...smtpBannerInvalid.check(facts)], []);
  });
});

describe('EHLO extensions', () => {
  const ehlo = (...lines: string[]) => parseEhlo({ code: 250, lines: ['mx.example.org', ...lines] });

  it('the same transport extensions before and after STARTTLS, and AUTH only over TLS, is fine', () => {
    const facts = factsOf([probed('192.0.2.1', session({ ehlo: ehlo('SIZE 1000000', '8BITMIME', 'STARTTLS'), ehloAfterTls: ehlo('SIZE 1000000', '8BITMIME', 'AUTH PLAIN') }))]);
    assert.deepEqual(smtpExtensionsAfterTls.check(facts), []);
    assert.deepEqual(smtpExtensionConflict.check(facts), []);
  });

  it('a bare SIZE after TLS where there was a limit before is not smaller; a limit where there was none is', () => {
    const larger = factsOf([probed('192.0.2.1', session({ ehlo: ehlo('SIZE 1000000', 'STARTTLS'), ehloAfterTls: ehlo('SIZE') }))]);
    assert.deepEqual(smtpExtensionsAfterTls.check(larger), []);
    const smaller = factsOf([probed('192.0.2.1', session({ ehlo: ehlo('SIZE', 'STARTTLS'), ehloAfterTls: ehlo('SIZE 1000000') }))]);
    assert.deepEqual(smtpExtensionsAfterTls.check(smaller).map((f) => f.messageId), ['smallerSize']);
  });

  it('SMTPUTF8 without 8BITMIME, BINARYMIME without CHUNKING and a SIZE below 64 KiB contradict the standards, in the reply senders act on', () => {
    const facts = factsOf([probed('192.0.2.1', session({ ehlo: ehlo('STARTTLS', '8BITMIME', 'SMTPUTF8'), ehloAfterTls: ehlo('SMTPUTF8', 'BINARYMIME', 'SIZE 10000') }))]);
    const found = smtpExtensionConflict.check(facts);
    assert.deepEqual(found.map((f) => f.messageId), ['smtputf8Without8bitmime', 'binarymimeWithoutChunking', 'sizeTooSmall']);
    assert.ok(found.every((f) => f.message.includes('after STARTTLS')));
  });
});

describe('the relay test\'s verdicts', () => {
  const reply = (text: string) => ({ code: Number(text.slice(0, 3)), lines: [text.slice(4)] });
  const withRcpt = (text: string): Probe => probed('192.0.2.1', session({ envelope: { mailFrom: reply('250 2.1.0 Ok'), rcptTo: reply(text) } }));

  it('reads each answer to RCPT TO', () => {
    const cases: [string, string, string?][] = [
      ['250 2.1.5 Ok', 'open'],
      ['251 User not local; will forward', 'open'],
      ['554 5.7.1 <relay-test@mxlint.invalid>: Relay access denied', 'refused'],
      ['454 4.7.1 <relay-test@mxlint.invalid>: Relay access denied', 'refused'],
      ['530 5.7.0 Must issue a STARTTLS command first', 'refused'],
      ['450 4.1.2 <relay-test@mxlint.invalid>: Recipient address rejected: Domain not found', 'inconclusive', 'domain-unknown'],
      ['550 5.1.2 bad destination system', 'inconclusive', 'domain-unknown'],
      ['556 5.1.10 Recipient address has null MX', 'inconclusive', 'domain-unknown'],
      ['550 Unrouteable address', 'inconclusive', 'domain-unknown'],
      ['451 4.3.0 Temporary lookup failure', 'inconclusive', 'temporary'],
      ['450 4.2.0 Greylisted, try again later', 'inconclusive', 'temporary'],
      ['451 4.7.1 Greylisted, please try again', 'inconclusive', 'temporary'],
      ['421 4.3.2 Service shutting down', 'inconclusive', 'temporary'],
    ];
    for (const [text, verdict, why] of cases) {
      const found = relayVerdict(withRcpt(text), false);
      assert.equal(found.verdict, verdict, text);
      assert.equal('why' in found ? found.why : undefined, why, text);
    }
  });

  it('an accepted recipient in the checked domain\'s own organization proves nothing; a refused null sender, a skipped address and a probe that stopped early are inconclusive or not tested', () => {
    assert.deepEqual(relayVerdict(withRcpt('250 Ok'), true), { verdict: 'inconclusive', why: 'own-domain', rcptTo: reply('250 Ok') });
    const sender = probed('192.0.2.1', session({
      envelope: { mailFrom: reply('553 5.7.1 null sender refused'), rcptTo: null },
      failure: { phase: 'mail-from', kind: 'rejected', message: 'answered "553 5.7.1 null sender refused"', reply: reply('553 5.7.1 null sender refused') },
    }));
    assert.equal(relayVerdict(sender, false).verdict, 'inconclusive');
    assert.equal(relayVerdict(failing('192.0.2.1', TIMEOUT), false).verdict, 'not-tested');
  });

  it('relay-open for an accepted recipient, relay-inconclusive with the advice to give a real address', () => {
    const facts: RelayFacts = {
      ...factsOf([withRcpt('250 2.1.5 Ok'), { ...withRcpt('450 4.1.2 <relay-test@mxlint.invalid>: Recipient address rejected: Domain not found'), address: '192.0.2.2' }]),
      domain: 'example.org', testAddress: 'relay-test@mxlint.invalid', ownDomain: false,
    };
    const [open] = relayOpen.check(facts);
    assert.match(open!.message, /^mx\.example\.org \(192\.0\.2\.1 port 25\) accepted RCPT TO:<relay-test@mxlint\.invalid> after MAIL FROM:<> with "250 2\.1\.5 Ok": .* an open relay/);
    const [unknown] = relayInconclusive.check(facts);
    assert.equal(unknown!.messageId, 'domainUnknown');
    assert.match(unknown!.fix, /--relay-test-address at a real domain/);
  });
});

describe('the options of the SMTP servers in depth', () => {
  it('are refused in the library\'s words when wrong, or given without the family that uses them', () => {
    for (const [options, pattern] of [
      [{ checks: 'smtp', smtp: { perHost: 0 } }, /smtp\.perHost must be a whole number from 1 to 16, not 0/],
      [{ checks: 'smtp', smtp: { budget: 0 } }, /smtp\.budget must be a whole number from 1 to 1000000, not 0/],
      [{ checks: 'smtp', smtp: { budget: 1.5 } }, /smtp\.budget must be a whole number/],
      [{ checks: 'smtp', smtp: { greetingTimeoutMs: -1 } }, /smtp\.greetingTimeoutMs must be a whole number/],
      [{ checks: 'relay', relayTestAddress: 'x@y@' }, /relayTestAddress must be a mail address/],
      [{ checks: 'relay', relayTestAddress: 'postmaster@-bad-.example' }, /relayTestAddress must be a mail address .*\(the domain: /],
      [{ checks: 'smtp', relayTestAddress: 'postmaster@example.net' }, /relayTestAddress is the recipient of the relay test: add relay to checks/],
      [{ checks: 'all', relayTestAddress: 'postmaster@example.net' }, /add relay to checks/],
      [{ checks: 'dane', daneCertificate: 'not a certificate' }, /daneCertificate holds no PEM certificate/],
      [{ checks: 'dane', daneCertificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, /daneCertificate: a certificate does not parse/],
      [{ checks: 'smtp', daneCertificate: readFileSync(join(REPO_ROOT, 'examples', 'tls', 'mx.good.example.pem'), 'utf8') }, /daneCertificate is compared with the TLSA records: add dane to checks/],
    ] as const) {
      assert.throws(() => validateOptions(options), (error: Error) => error instanceof OptionError && pattern.test(error.message), JSON.stringify(options));
    }
    assert.doesNotThrow(() => validateOptions({ checks: 'relay,smtp', relayTestAddress: 'Probe.Test+relay@Example.NET', smtp: { perHost: 16, greetingTimeoutMs: 30_000, budget: 1_000_000 } }));
  });
});
