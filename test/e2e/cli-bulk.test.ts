/**
 * The built CLI's bulk and monitoring options against the in-process DNS server, which counts and
 * timestamps every query it receives: one cache for the whole run (a provider's exchanges are
 * asked once for 10,000 domains), --rate, --rotate, lists with invalid lines, stdin, list files that
 * cannot be read, and the nagios and prometheus formats with their exit codes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DnsRecord } from '../../src/dns/records.js';
import type { DomainResult } from '../../src/engine/result.js';
import { ANSWER } from '../../src/dns/local-server/behaviour.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { RATE_BURST_SECONDS } from '../../src/dns/rate-limit.js';
import { runCli } from '../support/e2e.js';
import { MAX_INPUT_CHARS } from '../../src/dns/name.js';
import { shardOf } from '../../src/cli/shard.js';
import { MAX_LIST_BYTES } from '../../src/cli/inputs.js';
import { zoneRecords } from '../support/zone-source.js';

const SHARED_DOMAINS = 10_000;

const zone = (text: string): DnsRecord[] => zoneRecords(text);

const PROVIDER = zone(`
$ORIGIN provider.test.
$TTL 3600
@    SOA ns1 hostmaster 1 3600 600 86400 300
@    NS  ns1
ns1  A   185.199.1.53
mx1  A   185.199.1.25
mx1  AAAA 2a01:4f8:c17:1::25
mx2  A   185.199.1.26
mx2  AAAA 2a01:4f8:c17:1::26
`);

/** 10,000 customer domains, all with MX 10 mx1 and MX 20 mx2 of the provider; a few monitoring subjects beside them. */
const CUSTOMERS = zone([
  '$ORIGIN customers.test.', '$TTL 3600', '@ SOA ns1.provider.test. hostmaster.provider.test. 1 3600 600 86400 300', '@ NS ns1.provider.test.',
  ...Array.from({ length: SHARED_DOMAINS }, (_, i) => `c${i} MX 10 mx1.provider.test.\nc${i} MX 20 mx2.provider.test.`),
  'single MX 10 mail.single', 'mail.single A 185.199.2.25', 'mail.single AAAA 2a01:4f8:c17:2::25',
  'alias MX 10 smtp.alias', 'smtp.alias CNAME mail.single',
  'implicit A 185.199.3.25',
].join('\n'));

let dir: string;
let server: LocalDnsServer;
/** Arrival time (performance.now) of every query. */
const arrivals: number[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxlint-cli-bulk-'));
  server = await startLocalDnsServer({ records: [...PROVIDER, ...CUSTOMERS], behave: () => { arrivals.push(performance.now()); return ANSWER; } });
});
after(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** A file of `size` octets that takes no room on disk. */
function sparse(name: string, size: number): string {
  const path = join(dir, name);
  writeFileSync(path, '');
  truncateSync(path, size);
  return path;
}

function queriesFor(name: string, type: string): number {
  return server.queries.filter((q) => q.name === name && q.type === type).length;
}

function jsonl(stdout: string): DomainResult[] {
  return stdout.trimEnd().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as DomainResult);
}

describe('one cache for the whole run', () => {
  it(`${SHARED_DOMAINS} domains on one provider: each of its exchanges is asked for A and AAAA once, counted at the server`, { timeout: 120_000 }, async () => {
    const before = server.queries.length;
    const list = file('shared.txt', Array.from({ length: SHARED_DOMAINS }, (_, i) => `c${i}.customers.test`));
    const run = await runCli(['--server', server.address, '--checks', 'mx', '-f', list, '--format', 'jsonl', '--concurrency', '200'], { timeoutMs: 120_000 });
    assert.equal(run.code, 0, run.stderr);
    const results = jsonl(run.stdout);
    assert.equal(results.length, SHARED_DOMAINS);
    assert.ok(results.every((r) => r.status === 'pass' && r.mx.length === 2 && r.mx.every((e) => 'addresses' in e && e.addresses.length === 2)));
    for (const exchange of ['mx1.provider.test', 'mx2.provider.test']) {
      assert.equal(queriesFor(exchange, 'A'), 1, `${exchange} A`);
      assert.equal(queriesFor(exchange, 'AAAA'), 1, `${exchange} AAAA`);
    }
    assert.equal(server.queries.length - before, SHARED_DOMAINS + 4, 'one MX question per domain, and the four exchange questions');
  });
});

describe('--rate and --rotate', () => {
  it('--rate Q: no second of the run sees more than Q queries plus the burst, counted at the server', { timeout: 60_000 }, async () => {
    const rate = 100;
    const list = file('rate.txt', Array.from({ length: 60 }, (_, i) => `r${i}.customers.test`));
    arrivals.length = 0;
    const started = performance.now();
    const run = await runCli(['--server', server.address, '--checks', 'mx', '-f', list, '--format', 'jsonl', '--rate', String(rate)], { timeoutMs: 60_000 });
    const elapsed = performance.now() - started;
    assert.equal(run.code, 2, run.stderr); // NXDOMAIN: fine, every lookup is a query all the same
    assert.equal(arrivals.length, 60);
    const burst = rate * RATE_BURST_SECONDS;
    for (const [i, t] of arrivals.entries()) {
      const within = arrivals.filter((u) => u >= t && u < t + 1000).length;
      assert.ok(within <= rate + burst, `${within} queries in the second from query ${i}`);
    }
    // 60 queries at 100/s, the first 5 at once: at least about half a second.
    assert.ok(elapsed >= ((60 - burst) / rate) * 1000 - 50, `took ${Math.round(elapsed)} ms`);
  });

  it('--rotate spreads the lookups over both servers; without it the first server gets them all', { timeout: 60_000 }, async (t) => {
    const second = await startLocalDnsServer({ records: [...PROVIDER, ...CUSTOMERS] });
    t.after(() => second.close());
    const list = file('rotate.txt', Array.from({ length: 50 }, (_, i) => `c${i}.customers.test`));
    const firstBefore = server.queries.length;
    const ordered = await runCli(['--server', server.address, '--checks', 'mx', '--server', second.address, '-f', list, '--format', 'jsonl']);
    assert.equal(ordered.code, 0, ordered.stderr);
    assert.equal(second.queries.length, 0);
    assert.equal(server.queries.length - firstBefore, 54);
    const rotatedBefore = server.queries.length;
    const rotated = await runCli(['--server', server.address, '--checks', 'mx', '--server', second.address, '--rotate', '-f', list, '--format', 'jsonl']);
    assert.equal(rotated.code, 0, rotated.stderr);
    const first = server.queries.length - rotatedBefore;
    assert.equal(first + second.queries.length, 54);
    assert.ok(first >= 20 && second.queries.length >= 20, `first ${first}, second ${second.queries.length}`);
  });
});

describe('lists', () => {
  it('invalid lines are results of their own, the run goes on; comments and blank lines are skipped; positional domains come first', async () => {
    const list = file('mixed.txt', ['# a list', 'c1.customers.test', '', 'https://c2.customers.test/', '192.0.2.1', 'c3.customers.test:25', 'c4.customers.test  # trailing']);
    const run = await runCli(['--server', server.address, '--checks', 'mx', 'single.customers.test', '-f', list, '--format', 'json']);
    assert.equal(run.code, 3, run.stderr);
    const results = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(results.map((r) => r.input), ['single.customers.test', 'c1.customers.test', 'https://c2.customers.test/', '192.0.2.1', 'c3.customers.test:25', 'c4.customers.test'],
      'json keeps input order even for a list');
    assert.deepEqual(results.map((r) => r.status), ['pass', 'pass', 'unknown', 'unknown', 'unknown', 'pass']);
    assert.ok(results.filter((r) => r.status === 'unknown').every((r) => r.findings[0]!.rule === 'domain-invalid'));
  });

  it('-f - reads the list from stdin', async () => {
    const run = await runCli(['--server', server.address, '--checks', 'mx', '-f', '-', '--format', 'jsonl'], { stdin: 'c5.customers.test\nc6.customers.test\n' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(jsonl(run.stdout).map((r) => r.domain).sort(), ['c5.customers.test', 'c6.customers.test']);
  });

  it('-f reads a pipe too, as -f <(command) gives it', async () => {
    const fifo = join(dir, 'list.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'printf "c5.customers.test\\nc6.customers.test\\n" > "$1"', 'sh', fifo]);
    const run = await runCli(['--server', server.address, '--checks', 'mx', '-f', fifo, '--format', 'jsonl']);
    writer.kill();
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(jsonl(run.stdout).map((r) => r.domain), ['c5.customers.test', 'c6.customers.test']);
  });

  it('a line past the line limit is an invalid input of its own, not the name it starts with', async () => {
    const list = join(dir, 'long-line.txt');
    writeFileSync(list, `c5.customers.test\ngood.example${' '.repeat(MAX_INPUT_CHARS * 10)}evil.example\nc6.customers.test\n`);
    const run = await runCli(['--server', server.address, '--checks', 'mx', '-f', list, '--format', 'jsonl']);
    const results = jsonl(run.stdout);
    assert.deepEqual(results.map((r) => `${r.domain} ${r.status}`).sort(), ['c5.customers.test pass', 'c6.customers.test pass', 'null unknown']);
    const invalid = results.find((r) => r.domain === null)!;
    assert.equal(invalid.findings[0]!.rule, 'domain-invalid');
    assert.match(invalid.findings[0]!.message, new RegExp(`longer than ${MAX_INPUT_CHARS} characters`));
    assert.equal(server.queries.filter((q) => q.name.startsWith('good.example')).length, 0);
  });

  const unreadable: [string, () => string[], RegExp][] = [
    ['a missing file', () => ['-f', join(dir, 'missing.txt')], /^mxlint: cannot read the domain list .*missing\.txt: no such file \(see mxlint --help\)\n$/],
    ['a directory', () => ['-f', dir], /^mxlint: cannot read the domain list .*: it is a directory, not a regular file or a pipe \(see mxlint --help\)\n$/],
    ['a list over 4 GiB (a sparse file)', () => ['-f', sparse('huge.txt', MAX_LIST_BYTES + 1)], /^mxlint: cannot read the domain list .*huge\.txt: it is larger than 4 GiB, the most mxlint reads of it \(see mxlint --help\)\n$/],
    ['a device', () => ['-f', '/dev/zero'], /^mxlint: cannot read the domain list \/dev\/zero: it is a character device, not a regular file or a pipe \(see mxlint --help\)\n$/],
    ['an empty list', () => ['-f', file('empty.txt', [])], /^mxlint: no domain to check: the domain list .*empty\.txt holds none \(only blank lines and # comments\) \(see mxlint --help\)\n$/],
    ['a list of comments', () => ['-f', file('comments.txt', ['# nothing yet', '', '   # still nothing'])], /^mxlint: no domain to check: the domain list .*comments\.txt holds none/],
    ['an empty stdin', () => ['-f', '-'], /^mxlint: no domain to check: the domain list standard input holds none/],
    ['a shard that selects nothing', () => ['-f', file('one.txt', ['c1.customers.test']), '--shard', `${shardOf('c1.customers.test', 2) === 1 ? 2 : 1}/2`],
      /^mxlint: no domain to check: --shard [12]\/2 selects none of the 1 given \(see mxlint --help\)\n$/],
    ['stdin twice', () => ['-f', '-', '-f', '-'], /^mxlint: -f - \(standard input\) can be given once only/],
    ['a bad shard', () => ['-f', '-', '--shard', '5/4'], /^mxlint: --shard: "5\/4" is not I\/N/],
    ['a bad rate', () => ['c1.customers.test', '--rate', '0'], /^mxlint: --rate must be a number of queries per second above 0/],
    ['a bad concurrency', () => ['c1.customers.test', '--concurrency', '0'], /^mxlint: --concurrency must be a whole number from 1/],
  ];
  for (const [what, args, message] of unreadable) {
    it(`${what}: one line on stderr, exit 3, nothing checked`, async () => {
      const before = server.queries.length;
      const run = await runCli(['--server', server.address, '--checks', 'mx', ...args()]);
      assert.equal(run.code, 3);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
      assert.equal(server.queries.length, before);
    });
  }
});

describe('a closed output pipe', () => {
  it('mxlint -f LIST -o jsonl | head -c 300: the run stops with exit 3, as what was not written was not reported', { timeout: 60_000 }, async () => {
    // Every domain passes: the whole run would exit 0.
    const list = file('head.txt', Array.from({ length: 2000 }, (_, i) => `c${i}.customers.test`));
    const before = server.queries.length;
    const run = await runCli(['--server', server.address, '--checks', 'mx', '-f', list, '--format', 'jsonl'], { closeOutputAfter: 300 });
    assert.equal(run.stdout.length, 300);
    assert.equal(run.code, 3, run.stderr);
    assert.equal(run.stderr, 'mxlint: the output was closed before the report was complete (EPIPE)\n');
    const checked = server.queries.slice(before).filter((q) => q.type === 'MX').length;
    assert.ok(checked < 2000, `the run stopped: ${checked} of 2000 domains were looked up`);
  });
});

describe('the order of each format in a bulk run', () => {
  /** The first domain of the list answers last: completion order puts it at the end, input order keeps it first. */
  const LIST = ['single.customers.test', 'c7.customers.test', 'c8.customers.test'];
  const orders: [string, (stdout: string) => string[], 'input' | 'completion'][] = [
    ['jsonl', (out) => jsonl(out).map((r) => r.input), 'completion'],
    ['github', (out) => [...new Set([...out.matchAll(/^::\w+ title=[\w-]+::([^:]+):/gm)].map((m) => m[1]!))], 'completion'],
    ['json', (out) => (JSON.parse(out) as DomainResult[]).map((r) => r.input), 'input'],
    ['sarif', (out) => [...new Set((JSON.parse(out) as { runs: { results: { properties: { domain: string } }[] }[] }).runs[0]!.results.map((r) => r.properties.domain))], 'input'],
    ['junit', (out) => [...out.matchAll(/<testcase name="([^"]+)"/g)].map((m) => m[1]!), 'input'],
  ];
  for (const [format, inputs, order] of orders) {
    it(`${format}: ${order} order`, async (t) => {
      const slow = await startLocalDnsServer({
        records: [...PROVIDER, ...CUSTOMERS],
        behave: (q) => (q.name === LIST[0] && q.type === 'MX' ? { kind: 'delay', ms: 300, then: ANSWER } : ANSWER),
      });
      t.after(() => slow.close());
      // mx-single (info) for the first domain, spf-missing for the others: every domain has a finding, so every format names it.
      const run = await runCli(['--server', slow.address, '--checks', 'mx,spf', '-f', file(`order-${format}.txt`, LIST), '--format', format]);
      assert.ok(run.code === 1 || run.code === 0, run.stderr);
      assert.deepEqual(inputs(run.stdout), order === 'input' ? LIST : [...LIST.slice(1), LIST[0]]);
    });
  }
});

describe('--jobs N', () => {
  /** Shared exchanges, an alias, an implicit MX, a name that does not exist, an invalid line and a domain twice. */
  const LIST = [
    ...Array.from({ length: 600 }, (_, i) => `c${i}.customers.test`),
    'single.customers.test', 'alias.customers.test', 'implicit.customers.test', 'missing.customers.test', 'not a domain', 'c7.customers.test',
  ];
  const withoutDuration = (results: DomainResult[]): Omit<DomainResult, 'durationMs'>[] => results.map(({ durationMs: _durationMs, ...rest }) => rest);

  it('json (input order): the same results, in the same order, with the same exit code as --jobs 1', { timeout: 120_000 }, async () => {
    const list = file('jobs.txt', LIST);
    const args = ['--server', server.address, '--checks', 'mx,spf,dmarc', '-f', list, '--format', 'json', '--concurrency', '32'];
    // Each worker keeps a cache of its own: the shared exchange asked more than once shows the work was split.
    const exchangeAsked = (from: number, to?: number): number => server.queries.slice(from, to).filter((q) => q.name === 'mx1.provider.test' && q.type === 'A').length;
    const before = server.queries.length;
    const one = await runCli([...args, '--jobs', '1'], { timeoutMs: 120_000 });
    const between = server.queries.length;
    const three = await runCli([...args, '--jobs', '3'], { timeoutMs: 120_000 });
    assert.equal(exchangeAsked(before, between), 1, 'one process, one cache');
    assert.ok(exchangeAsked(between) > 1, `--jobs 3 asked for mx1.provider.test ${exchangeAsked(between)} time(s): the domains did not reach several workers`);
    assert.equal(three.code, one.code, three.stderr);
    assert.equal(three.stderr, one.stderr);
    const expected = withoutDuration(JSON.parse(one.stdout) as DomainResult[]);
    assert.equal(expected.length, LIST.length);
    assert.deepEqual(withoutDuration(JSON.parse(three.stdout) as DomainResult[]), expected);
  });

  it('jsonl (completion order): every result once, and one summary in text', { timeout: 120_000 }, async () => {
    const list = file('jobs-lines.txt', LIST);
    const args = ['--server', server.address, '--checks', 'mx', '-f', list, '--concurrency', '16'];
    const one = await runCli([...args, '--format', 'jsonl'], { timeoutMs: 120_000 });
    const two = await runCli([...args, '--format', 'jsonl', '--jobs', '2'], { timeoutMs: 120_000 });
    assert.equal(two.code, one.code, two.stderr);
    const sorted = (out: string): string[] => withoutDuration(jsonl(out)).map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(sorted(two.stdout), sorted(one.stdout));
    const text = await runCli([...args, '--jobs', '2'], { timeoutMs: 120_000 });
    assert.equal([...text.stdout.matchAll(/^\d+ domains checked in /gm)].length, 1, text.stdout);
    assert.match(text.stdout, new RegExp(`^${LIST.length} domains checked in `, 'm'));
  });

  it('a slow first domain stays first in input order', async (t) => {
    const slow = await startLocalDnsServer({
      records: [...PROVIDER, ...CUSTOMERS],
      behave: (q) => (q.name === 'single.customers.test' && q.type === 'MX' ? { kind: 'delay', ms: 300, then: ANSWER } : ANSWER),
    });
    t.after(() => slow.close());
    const list = file('jobs-order.txt', ['single.customers.test', 'c7.customers.test', 'c8.customers.test', 'c9.customers.test']);
    const run = await runCli(['--server', slow.address, '--checks', 'mx', '-f', list, '--format', 'json', '--jobs', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as DomainResult[]).map((r) => r.input), ['single.customers.test', 'c7.customers.test', 'c8.customers.test', 'c9.customers.test']);
  });

  for (const [args, message] of [
    [['--jobs', '0', 'c1.customers.test'], /--jobs must be a whole number from 1 to 256, not 0/],
    [['--jobs', '2', '--zone', 'db.example'], /--jobs splits the checking of domains; zone mode/],
  ] as const) {
    it(`${args.join(' ')}: a usage error`, async () => {
      const run = await runCli([...args], { allowNoServer: true });
      assert.equal(run.code, 3);
      assert.match(run.stderr, message);
    });
  }
});

describe('monitoring formats', () => {
  const cases: [string, number, RegExp][] = [
    ['single.customers.test', 0, /^MXLINT OK - single\.customers\.test: mail accepted by 1 exchange \| time=[\d.]+s;;;0 mx=1 errors=0 warnings=0\ninfo mx-single: /],
    ['implicit.customers.test', 1, /^MXLINT WARNING - implicit\.customers\.test: mx-implicit \| time=[\d.]+s;;;0 mx=0 errors=0 warnings=1\n/],
    ['alias.customers.test', 2, /^MXLINT CRITICAL - alias\.customers\.test: mx-target-cname \(smtp\.alias\.customers\.test\) \| time=[\d.]+s;;;0 mx=1 errors=1 warnings=0\nerror mx-target-cname: /],
    ['not a domain', 3, /^MXLINT UNKNOWN - not a domain: domain-invalid \| time=0\.000s;;;0 mx=0 errors=0 warnings=0\n/],
  ];
  for (const [domain, code, output] of cases) {
    it(`nagios: ${domain} → exit ${code}`, async () => {
      const run = await runCli(['--server', server.address, '--checks', 'mx', '--format', 'nagios', domain]);
      assert.equal(run.code, code, run.stderr);
      assert.match(run.stdout, output);
    });
  }

  it('nagios: a silent server → UNKNOWN (exit 3) naming the failed lookup', async (t) => {
    const silent = await startLocalDnsServer({ records: CUSTOMERS, behave: () => ({ kind: 'silence' }) });
    t.after(() => silent.close());
    const run = await runCli(['--server', silent.address, '--checks', 'mx', '--timeout', '200', '--retries', '0', '--format', 'nagios', 'single.customers.test']);
    assert.equal(run.code, 3);
    assert.match(run.stdout, /^MXLINT UNKNOWN - single\.customers\.test: dns-lookup-failed \| /);
    assert.match(run.stdout, /\nunknown dns-lookup-failed: MX single\.customers\.test: no reply from /);
  });

  it('prometheus: textfile exposition for several domains, exit code as usual', async () => {
    const run = await runCli(['--server', server.address, '--checks', 'mx', '--format', 'prometheus', 'single.customers.test', 'alias.customers.test']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stdout, /^# HELP mxlint_status /);
    assert.match(run.stdout, /^mxlint_status\{domain="alias\.customers\.test",status="fail"\} 1$/m);
    assert.match(run.stdout, /^mxlint_findings\{domain="alias\.customers\.test",rule="mx-target-cname",severity="error"\} 1$/m);
    assert.match(run.stdout, /^mxlint_mx_target_addresses\{domain="single\.customers\.test",target="mail\.single\.customers\.test",family="ipv6"\} 1$/m);
    assert.equal([...run.stdout.matchAll(/^# TYPE mxlint_status gauge$/gm)].length, 1);
  });
});
