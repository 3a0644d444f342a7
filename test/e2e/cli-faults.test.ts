/**
 * The built CLI (bin/mxlint.js, run as a child process) against the in-process DNS server started by
 * the test, misbehaving on purpose: a lookup that fails makes the domain unknown (exit 3) with
 * dns-lookup-failed, never a pass and never a wrong error; it does so within the time the timeout
 * and retries allow; invalid input sends nothing; --tcp is obeyed. These are the MX family's
 * faults, so the CLI runs with --checks mx.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { fileURLToPath } from 'node:url';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS, RETRY_BACKOFF_MS } from '../../src/dns/resolver.js';
import type { DnsRecord } from '../../src/dns/records.js';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { startLocalDnsServer, type Behaviour, type LocalDnsServerOptions, type LocalDnsServer, type IncomingQuery } from '../../src/dns/local-server/server.js';
import * as hostile from '../support/hostile-answers.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { runCli as runBuiltCli, type CliResult } from '../support/e2e.js';

/** These tests are about MX facts and DNS faults: every run asks for the MX family alone, so other families' lookups stay out of what they count. */
const runCli: typeof runBuiltCli = (args, options) => runBuiltCli(['--checks', 'mx', ...args], options);

const ZONE = `
$ORIGIN cli.test.
$TTL 300
@            SOA  ns1 hostmaster 1 3600 600 86400 300
@            NS   ns1
ns1          A    192.0.2.53
; healthy: one exchange with A and AAAA
good         MX   10 mail.good
mail.good    A    185.199.108.25
mail.good    AAAA 2a01:4f8:c17:1::25
; the exchange has an A record only: its AAAA is NODATA
v4only       MX   10 mx.v4only
mx.v4only    A    185.199.108.26
; an error of its own (an IP literal) beside a normal exchange
mixed        MX   10 192.0.2.27.
mixed        MX   20 mx.mixed
mx.mixed     A    185.199.108.28
mx.mixed     AAAA 2a01:4f8:c17:1::28
`;

const RECORDS: DnsRecord[] = (() => {
  const zone = readZoneText(ZONE, { file: 'cli.test.zone' });
  assert.deepEqual(zone.problems, []);
  return zone.records;
})();

const TIMEOUT_MS = 300;
const RETRIES = 1;
const ATTEMPTS = RETRIES + 1;
/** One lookup that times out on every attempt: 2 × 300 ms and a 100 ms pause. */
const LOOKUP_TIMEOUT_MS = ATTEMPTS * TIMEOUT_MS + RETRY_BACKOFF_MS;
const FAST_OPTIONS = ['--timeout', String(TIMEOUT_MS), '--retries', String(RETRIES)];
/**
 * One lookup that times out with the defaults (no --timeout, no --retries): 3 × 2000 ms and pauses of
 * 100 and 200 ms. The slow alternative a run with FAST_OPTIONS is held against: far above its own
 * 700 ms, however slow node starts on a loaded machine.
 */
const DEFAULT_LOOKUP_TIMEOUT_MS = (DEFAULT_RETRIES + 1) * DEFAULT_TIMEOUT_MS + RETRY_BACKOFF_MS * (2 ** DEFAULT_RETRIES - 1);
/** A per-attempt timeout that starting the CLI and checking a domain does not come near, even five times slower than on an idle machine. */
const LONG_TIMEOUT_MS = 5000;
/** The run is killed as hung after this; above every wait a test here may provoke. */
const KILL_AFTER_MS = 60_000;

async function serve(t: TestContext, behave?: LocalDnsServerOptions['behave']): Promise<LocalDnsServer> {
  const server = await startLocalDnsServer({ records: RECORDS, ...(behave ? { behave } : {}) });
  t.after(() => server.close());
  return server;
}

async function mxlint(server: string, args: string[]): Promise<CliResult> {
  const result = await runCli(['--server', server, '--checks', 'mx', ...args], { timeoutMs: KILL_AFTER_MS });
  assert.equal(result.timedOut, false, `the CLI was killed after ${KILL_AFTER_MS / 1000} s`);
  assert.equal(result.signal, null);
  return result;
}

function jsonResults(result: CliResult): DomainResult[] {
  assert.doesNotMatch(result.stderr, /internal error|at .+\.js:\d+/, 'no internal error or stack trace');
  try {
    return JSON.parse(result.stdout) as DomainResult[];
  } catch {
    return assert.fail(`stdout is not JSON:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

function rulesOf(result: DomainResult): string[] {
  return result.findings.map((f) => f.rule).sort();
}

function findingOf(result: DomainResult, rule: string): Finding {
  const finding = result.findings.find((f) => f.rule === rule);
  assert.ok(finding, `${result.input} has a ${rule} finding (has: ${rulesOf(result).join(', ')})`);
  return finding;
}

/**
 * The run ended before `lookups` lookups timing out with the default timeout and retries could have:
 * it waited for its own --timeout and --retries, not more, and nothing kept it from exiting.
 */
function fasterThanDefaults(result: CliResult, lookups: number): void {
  const bound = lookups * DEFAULT_LOOKUP_TIMEOUT_MS;
  assert.ok(result.durationMs < bound, `the CLI took ${Math.round(result.durationMs)} ms, as long as ${lookups} lookup(s) with the default timeouts (${bound} ms)`);
}

/** The run (with a LONG_TIMEOUT_MS timeout) ended before one attempt could time out: it waited for no timeout. */
function waitedForNoTimeout(result: CliResult): void {
  assert.ok(result.durationMs < LONG_TIMEOUT_MS, `the CLI took ${Math.round(result.durationMs)} ms: as long as a ${LONG_TIMEOUT_MS} ms timeout`);
}

function lookupFailsOn(name: string, type: string, behaviour: Behaviour) {
  return (q: IncomingQuery): Behaviour => (q.name === name && q.type === type ? behaviour : { kind: 'answer' });
}

async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------

describe('mxlint CLI: the controls (a server that answers)', () => {
  let server: LocalDnsServer;
  before(async () => {
    server = await startLocalDnsServer({ records: RECORDS });
  });
  after(() => server.close());

  it('a healthy domain passes with exit 0, over UDP', async () => {
    const before = server.queries.length;
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'good.cli.test']);
    assert.equal(result.code, 0, result.stderr);
    const [domain] = jsonResults(result);
    assert.equal(domain!.status, 'pass');
    assert.deepEqual(rulesOf(domain!), ['mx-single']);
    assert.deepEqual(server.queries.slice(before).map((q) => `${q.transport} ${q.type} ${q.name}`).sort(),
      ['udp A mail.good.cli.test', 'udp AAAA mail.good.cli.test', 'udp MX good.cli.test']);
  });

  it('--tcp sends every query over TCP, and the verdict is the same', async () => {
    const before = server.queries.length;
    const result = await mxlint(server.address, ['--format', 'json', '--tcp', ...FAST_OPTIONS, 'good.cli.test']);
    assert.equal(result.code, 0, result.stderr);
    const [domain] = jsonResults(result);
    assert.equal(domain!.status, 'pass');
    assert.deepEqual(domain!.mx, [{
      preference: 10, exchange: 'mail.good.cli.test', cname: [],
      addresses: [{ address: '185.199.108.25', family: 4 }, { address: '2a01:4f8:c17:1::25', family: 6 }],
    }]);
    assert.deepEqual(server.queries.slice(before).map((q) => `${q.transport} ${q.type} ${q.name}`).sort(),
      ['tcp A mail.good.cli.test', 'tcp AAAA mail.good.cli.test', 'tcp MX good.cli.test']);
  });
});

describe('mxlint CLI: a failed MX lookup makes the domain unknown, exit 3', () => {
  function assertUnknown(result: CliResult, message: RegExp): DomainResult {
    assert.equal(result.code, 3, `exit code (stderr: ${result.stderr})`);
    const results = jsonResults(result);
    assert.equal(results.length, 1);
    const [domain] = results;
    assert.equal(domain!.status, 'unknown');
    assert.equal(domain!.domain, 'good.cli.test');
    assert.deepEqual(domain!.mx, []);
    assert.deepEqual(rulesOf(domain!), ['dns-lookup-failed']);
    const finding = findingOf(domain!, 'dns-lookup-failed');
    assert.equal(finding.severity, 'unknown');
    assert.equal(finding.target, undefined);
    assert.match(finding.message, message);
    return domain!;
  }

  it('silence: no reply after 2 attempts of 300 ms, within the time they take', async (t) => {
    const server = await serve(t, () => ({ kind: 'silence' }));
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'good.cli.test']);
    assertUnknown(result, new RegExp(`^MX good\\.cli\\.test: no reply from ${server.address} after 2 attempts of 300 ms\\. `));
    assert.equal(server.queries.length, ATTEMPTS);
    assert.ok(result.durationMs >= LOOKUP_TIMEOUT_MS, `took ${Math.round(result.durationMs)} ms`);
    fasterThanDefaults(result, 1);
  });

  it('a closed port (nothing listens): at once, on the ICMP port unreachable, not after the timeouts', async () => {
    const port = await closedUdpPort();
    const result = await mxlint(`127.0.0.1:${port}`, ['--format', 'json', '--timeout', String(LONG_TIMEOUT_MS), '--retries', '2', 'good.cli.test']);
    assertUnknown(result, new RegExp(`^MX good\\.cli\\.test: nothing listens on 127\\.0\\.0\\.1:${port} \\(ICMP port unreachable\\)\\. `));
    // Before: 3 attempts of 5000 ms and the pauses between them.
    waitedForNoTimeout(result);
  });

  it('a closed port and a list of domains: the run stops with one line, exit 3, instead of failing every domain', async () => {
    const port = await closedUdpPort();
    const domains = Array.from({ length: 500 }, (_, i) => `d${i}.cli.test`).join('\n');
    const result = await runCli(['--server', `127.0.0.1:${port}`, '--format', 'jsonl', '--concurrency', '4', '--timeout', '5000', '-f', '-'],
      { stdin: `${domains}\n`, timeoutMs: 20_000 });
    assert.equal(result.code, 3);
    assert.equal(result.timedOut, false);
    assert.match(result.stderr, new RegExp(`^mxlint: the DNS server 127\\.0\\.0\\.1:${port} refused every query: nothing listens there \\(ICMP port unreachable or connection refused\\); the run stopped after \\d+ domains \\(see mxlint --help\\)\\n$`));
    const written = result.stdout.trim().split('\n').filter((line) => line !== '');
    assert.ok(written.length >= 1 && written.length < 50, `${written.length} results written before the stop`);
    for (const line of written) assert.equal((JSON.parse(line) as DomainResult).status, 'unknown');
  });

  it('REFUSED: at once, asked once', async (t) => {
    const server = await serve(t, () => ({ kind: 'rcode', rcode: 'REFUSED' }));
    const result = await mxlint(server.address, ['--format', 'json', '--timeout', String(LONG_TIMEOUT_MS), '--retries', String(RETRIES), 'good.cli.test']);
    assertUnknown(result, new RegExp(`^MX good\\.cli\\.test: REFUSED from ${server.address}\\. `));
    assert.equal(server.queries.length, 1);
    waitedForNoTimeout(result);
  });

  it('SERVFAIL with EDE 6: the finding names DNSSEC Bogus', async (t) => {
    const server = await serve(t, () => ({
      kind: 'answer',
      edit: (reply) => {
        reply.flags = ((reply.flags ?? 0) & ~0xf) | 2;
        reply.answers = [];
        const opt = reply.additionals?.find((r) => r.type === 'OPT') as { options?: unknown[] } | undefined;
        assert.ok(opt);
        opt.options = [{ code: 15, data: Buffer.from([0, 6]) }];
      },
    }));
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'good.cli.test']);
    assertUnknown(result, /SERVFAIL from 127\.0\.0\.1:\d+ EDE 6 \(DNSSEC Bogus\)\. /);
  });

  for (const [what, build] of [
    ['a compression loop', hostile.compressionLoop],
    ['counts that lie', hostile.countsThatLie],
    ['random octets after the question', (q: IncomingQuery) => hostile.randomAfterQuestion(q, 48, 7)],
  ] as const) {
    it(`garbage (${what}): malformed at once, even with a 5 s timeout and 2 retries`, async (t) => {
      const server = await serve(t, (q) => ({ kind: 'raw', bytes: build(q) }));
      const result = await mxlint(server.address, ['--format', 'json', '--timeout', String(LONG_TIMEOUT_MS), '--retries', '2', 'good.cli.test']);
      assertUnknown(result, new RegExp(`^MX good\\.cli\\.test: malformed reply from ${server.address} \\(.+\\)\\. `));
      assert.equal(server.queries.length, 1);
      waitedForNoTimeout(result);
    });
  }

  it('--tcp, and the TCP connection is reset: unknown, the reset named', async (t) => {
    const server = await serve(t, (q) => (q.transport === 'tcp' ? { kind: 'tcp-reset' } : { kind: 'answer' }));
    const result = await mxlint(server.address, ['--format', 'json', '--tcp', '--timeout', String(LONG_TIMEOUT_MS), '--retries', String(RETRIES), 'good.cli.test']);
    assertUnknown(result, /TCP to 127\.0\.0\.1:\d+: .*ECONNRESET/);
    assert.deepEqual(server.queries.map((q) => q.transport), ['tcp', 'tcp']);
    waitedForNoTimeout(result);
  });

  it('the text report says UNKNOWN and names the rule', async (t) => {
    const server = await serve(t, () => ({ kind: 'rcode', rcode: 'REFUSED' }));
    const result = await mxlint(server.address, [...FAST_OPTIONS, 'good.cli.test']);
    assert.equal(result.code, 3);
    assert.match(result.stdout, /^good\.cli\.test\s+\? UNKNOWN$/m);
    assert.match(result.stdout, /unknown\s+dns-lookup-failed: MX good\.cli\.test: REFUSED from/);
  });

  it('a silent first server, a good second one: failover, pass', async (t) => {
    const silent = await serve(t, () => ({ kind: 'silence' }));
    const good = await serve(t);
    const result = await runCli(['--server', silent.address, '--server', good.address, '--checks', 'mx', '--format', 'json', ...FAST_OPTIONS, 'good.cli.test']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(jsonResults(result)[0]!.status, 'pass');
    assert.equal(silent.queries.length, ATTEMPTS * 3, 'MX, A and AAAA each tried on the silent server first');
    // MX first, then A and AAAA side by side: two lookups' time.
    fasterThanDefaults(result, 2);
  });
});

describe('mxlint CLI: a failed lookup of an exchange address', () => {
  it('A of the only exchange fails (SERVFAIL), AAAA is NODATA: unknown, dns-lookup-failed on the exchange, no mx-target-no-address', async (t) => {
    const server = await serve(t, lookupFailsOn('mx.v4only.cli.test', 'A', { kind: 'rcode', rcode: 'SERVFAIL' }));
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'v4only.cli.test']);
    assert.equal(result.code, 3, result.stderr);
    const [domain] = jsonResults(result);
    assert.equal(domain!.status, 'unknown');
    assert.deepEqual(rulesOf(domain!), ['dns-lookup-failed'], 'no address known: mx-single says nothing');
    const finding = findingOf(domain!, 'dns-lookup-failed');
    assert.equal(finding.target, 'mx.v4only.cli.test');
    assert.match(finding.message, /^A mx\.v4only\.cli\.test: SERVFAIL from 127\.0\.0\.1:\d+\. /);
    assert.deepEqual(domain!.mx, [{ preference: 10, exchange: 'mx.v4only.cli.test', addresses: [], cname: [] }]);
    assert.equal(server.queries.filter((q) => q.name === 'mx.v4only.cli.test' && q.type === 'A').length, 1);
  });

  it('A of the only exchange times out: the same verdict, within one lookup\'s time', async (t) => {
    const server = await serve(t, lookupFailsOn('mx.v4only.cli.test', 'A', { kind: 'silence' }));
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'v4only.cli.test']);
    assert.equal(result.code, 3, result.stderr);
    const [domain] = jsonResults(result);
    assert.equal(domain!.status, 'unknown');
    assert.deepEqual(rulesOf(domain!), ['dns-lookup-failed'], 'no address known: mx-single says nothing');
    assert.equal(findingOf(domain!, 'dns-lookup-failed').target, 'mx.v4only.cli.test');
    assert.match(findingOf(domain!, 'dns-lookup-failed').message, /^A mx\.v4only\.cli\.test: no reply from 127\.0\.0\.1:\d+ after 2 attempts of 300 ms/);
    assert.equal(server.queries.filter((q) => q.name === 'mx.v4only.cli.test' && q.type === 'A').length, ATTEMPTS);
    // A and AAAA are asked side by side: AAAA goes out before the A lookup has timed out, not after it.
    const asked = server.queries.filter((q) => q.name === 'mx.v4only.cli.test').map((q) => q.type);
    assert.ok(asked.indexOf('AAAA') < asked.lastIndexOf('A'), `asked in this order: ${asked.join(', ')}`);
    fasterThanDefaults(result, 1);
  });

  it('an error finding and a failed lookup: fail (exit 2) — the error is certain, the rest unknown', async (t) => {
    const server = await serve(t, lookupFailsOn('mx.mixed.cli.test', 'A', { kind: 'rcode', rcode: 'SERVFAIL' }));
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'mixed.cli.test']);
    assert.equal(result.code, 2, result.stderr);
    const [domain] = jsonResults(result);
    assert.equal(domain!.status, 'fail');
    assert.deepEqual(rulesOf(domain!), ['dns-lookup-failed', 'mx-target-ip-literal']);
    assert.equal(findingOf(domain!, 'dns-lookup-failed').target, 'mx.mixed.cli.test');
    assert.equal(findingOf(domain!, 'mx-target-ip-literal').severity, 'error');
  });

  it('several domains: the exit code is the worst verdict (fail over unknown over pass)', async (t) => {
    const server = await serve(t, lookupFailsOn('mx.v4only.cli.test', 'A', { kind: 'rcode', rcode: 'SERVFAIL' }));
    const unknownAndPass = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'good.cli.test', 'v4only.cli.test']);
    assert.equal(unknownAndPass.code, 3);
    assert.deepEqual(jsonResults(unknownAndPass).map((r) => `${r.domain} ${r.status}`), ['good.cli.test pass', 'v4only.cli.test unknown']);
    const failAndUnknown = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'v4only.cli.test', 'nowhere.cli.test']);
    assert.equal(failAndUnknown.code, 2);
    assert.deepEqual(jsonResults(failAndUnknown).map((r) => `${r.domain} ${r.status} ${rulesOf(r).join(',')}`),
      ['v4only.cli.test unknown dns-lookup-failed', 'nowhere.cli.test fail domain-nxdomain']);
  });
});

describe('mxlint CLI: an exchange whose label holds a "."', () => {
  it('MX 10 mx\\.1.example (legal on the wire, RFC 2181 §11): mx-target-syntax, fail, the name never asked', async (t) => {
    const server = await serve(t, (q) => (q.name === 'good.cli.test' && q.type === 'MX'
      ? { kind: 'raw', bytes: hostile.mxExchangeLabels(q, ['mx.1', 'example']) } : { kind: 'answer' }));
    const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, 'good.cli.test']);
    assert.equal(result.code, 2, result.stderr);
    const [domain] = jsonResults(result);
    assert.equal(domain!.status, 'fail');
    assert.deepEqual(rulesOf(domain!), ['mx-target-syntax']);
    const finding = findingOf(domain!, 'mx-target-syntax');
    assert.equal(finding.target, 'mx\\.1.example');
    assert.equal(finding.message, 'MX 10 mx\\.1.example is not a valid host name: label "mx\\.1" contains a "." (written \\.), which no host name can hold; senders may refuse it.');
    assert.deepEqual(domain!.mx.map((mx) => mx.exchange), ['mx\\.1.example']);
    // Before: a malformed reply ("a label containing ."), unknown. Nothing is asked about the name either way.
    assert.deepEqual(server.queries.map((q) => `${q.type} ${q.name}`), ['MX good.cli.test']);
  });
});

describe('mxlint CLI: no file descriptor left', () => {
  it('every socket refused (EMFILE): unknown findings that say so, exit 3, never a crash', () => {
    // Three lookups at once (MX, SPF, DMARC) went out in one loop on a socket the kernel refused; the
    // second send threw ERR_SOCKET_DGRAM_NOT_RUNNING, uncaught: exit 1 and nothing on stdout.
    const script = fileURLToPath(new URL('../support/fd-exhaustion.js', import.meta.url));
    const child = spawnSync(process.execPath, [script, 'cli', '--checks', 'mx,spf,dmarc', '--format', 'json', 'fd.test'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.status, 3, `exit ${child.status}; stderr: ${child.stderr}`);
    const [domain] = JSON.parse(child.stdout) as DomainResult[];
    assert.equal(domain!.status, 'unknown');
    assert.deepEqual(rulesOf(domain!), ['dmarc-lookup-failed', 'dns-lookup-failed', 'spf-lookup-failed']);
    for (const finding of domain!.findings) assert.match(finding.message, /cannot open a UDP socket: too many open files \(EMFILE\)/);
  });
});

describe('mxlint CLI: invalid input sends no packet', () => {
  const inputs = ['http://good.cli.test', 'good..cli.test', '185.199.108.25', 'good.cli.test:25', `${'a'.repeat(64)}.cli.test`];
  for (const input of inputs) {
    it(`"${input}": domain-invalid, unknown, exit 3, nothing sent`, async (t) => {
      const server = await serve(t);
      const result = await mxlint(server.address, ['--format', 'json', ...FAST_OPTIONS, input]);
      assert.equal(result.code, 3, result.stderr);
      const [domain] = jsonResults(result);
      assert.equal(domain!.status, 'unknown');
      assert.equal(domain!.domain, null);
      assert.equal(domain!.input, input);
      assert.deepEqual(rulesOf(domain!), ['domain-invalid']);
      assert.match(findingOf(domain!, 'domain-invalid').message, /Nothing was looked up/);
      await waitMs(50);
      assert.deepEqual(server.queries, []);
    });
  }

  const usageErrors: [string, string[], RegExp][] = [
    ['a server that is not an address', ['--server', 'dns.example'], /--server: "dns\.example" is not an IP address/],
    ['a server port out of range', ['--server', '127.0.0.1:70000'], /no valid port/],
    ['a timeout of 0', ['--timeout', '0'], /--timeout must be a whole number/],
    ['11 retries', ['--retries', '11'], /--retries must be a whole number from 0 to 10/],
    ['an unknown option', ['--bogus'], /^mxlint: unknown option --bogus /],
    ['a mistyped option', ['--check', 'spf'], /^mxlint: unknown option --check \(did you mean --checks\?\) /],
    ['an e-mail address', ['postmaster@good.cli.test'], /is an e-mail address; mxlint checks the domain that receives its mail: mxlint .* good\.cli\.test good\.cli\.test /],
    ['a mistyped command', ['servee'], /"servee" is not a domain but a mistyped command: did you mean mxlint serve\?/],
  ];
  for (const [what, args, message] of usageErrors) {
    it(`${what}: a usage error, exit 3, nothing sent`, async (t) => {
      const server = await serve(t);
      const result = await runCli(['--server', server.address, '--checks', 'mx', ...args, 'good.cli.test']);
      assert.equal(result.code, 3);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^mxlint: /);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      await waitMs(50);
      assert.deepEqual(server.queries, []);
    });
  }
});
