/**
 * End-to-end tests of the built CLI (`node bin/mxlint.js`) against a real NSD serving the fixture
 * zones in test/fixtures/e2e/ on loopback. Every query goes to 127.0.0.1/::1: the CLI is always given
 * --server (runCli refuses otherwise), and the runs that must reach no server at all run in a network
 * namespace of their own. Fixture addresses that look public are only looked up, never connected to.
 *
 * Skipped with a visible reason when nsd is not installed; MXLINT_E2E=required turns that into a
 * failure. NSD is started once for the file. The fixtures are the MX family's, so the CLI runs with
 * --checks mx.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding, Severity, Status } from '../../src/core/finding.js';
import type { MxEntry } from '../../src/families/mx/section.js';
import { canIsolateNetwork, CLI_PATH, e2eGate, REPO_ROOT, runCli as runBuiltCli, startDnsTap, type CliResult, type DnsTap } from '../support/e2e.js';

/** These tests are about MX facts and DNS faults: every run asks for the MX family alone, so other families' lookups stay out of what they count. */
const runCli: typeof runBuiltCli = (args, options) => runBuiltCli(['--checks', 'mx', ...args], options);
import { startNsd, type NsdServer } from '../support/nsd.js';
import { readZoneFixtures } from '../support/cli-results.js';

const gate = e2eGate('nsd');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'e2e');

/** Every fixture zone: `NAME.zone` serves zone NAME. */

/** The rule catalogue of the contract, with each rule's fixed severity. */
const RULE_SEVERITY: Record<string, Severity> = {
  'domain-invalid': 'unknown',
  'domain-nxdomain': 'error',
  'mail-domain-alias': 'info',
  'mx-missing': 'error',
  'mx-implicit': 'warning',
  'null-mx': 'info',
  'null-mx-mixed': 'error',
  'null-mx-preference': 'warning',
  'mx-target-ip-literal': 'error',
  'mx-target-cname': 'error',
  'mx-target-no-address': 'error',
  'mx-target-private-address': 'error',
  'mx-target-ipv6-only': 'warning',
  'mx-target-duplicate': 'warning',
  'mx-target-missing-dot': 'warning',
  'mx-target-syntax': 'error',
  'mx-single': 'info',
  'mx-no-ipv6': 'info',
  'dns-lookup-failed': 'unknown',
};

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, unknown: 1, warning: 2, info: 3 };

function v4(address: string): { address: string; family: 4 } {
  return { address, family: 4 };
}
function v6(address: string): { address: string; family: 6 } {
  return { address, family: 6 };
}

const GOOD_MX1 = { exchange: 'mx1.good.mx.test', addresses: [v4('185.199.108.11'), v6('2a01:4f8:c0c:1::11')] };
const GOOD_MX2 = { exchange: 'mx2.good.mx.test', addresses: [v4('185.199.108.12'), v6('2a01:4f8:c0c:1::12')] };

interface ExpectedMx {
  preference: number;
  exchange: string;
  addresses?: { address: string; family: 4 | 6 }[];
  cname?: string[];
}

interface Case {
  /** As given on the command line. */
  input: string;
  /** What it demonstrates. */
  about: string;
  domain: string | null;
  status: Status;
  /**
   * The exact set of findings: "rule" compares the rule id only, "rule@target" the rule and its
   * target (used for every rule about one exchange).
   */
  findings: string[];
  canonical?: string;
  /** When given, the MX list must be exactly this (addresses compared as sets). */
  mx?: ExpectedMx[];
  check?: (result: DomainResult) => void;
}

const CASES: Case[] = [
  {
    input: 'good.mx.test',
    about: 'clean: two exchanges with A and AAAA',
    domain: 'good.mx.test',
    status: 'pass',
    findings: [],
    canonical: 'good.mx.test',
    mx: [
      { preference: 10, ...GOOD_MX1, cname: [] },
      { preference: 20, ...GOOD_MX2, cname: [] },
    ],
    check: (result) => assert.equal(result.implicit, undefined, 'no implicit MX when there is an MX'),
  },
  {
    input: 'GOOD.Mx.TEST',
    about: 'mixed-case input',
    domain: 'good.mx.test',
    status: 'pass',
    findings: [],
    canonical: 'good.mx.test',
    mx: [
      { preference: 10, ...GOOD_MX1 },
      { preference: 20, ...GOOD_MX2 },
    ],
  },
  {
    input: 'mixed.mx.test',
    about: 'records written in mixed case come out lower-case',
    domain: 'mixed.mx.test',
    status: 'pass',
    findings: [],
    mx: [
      { preference: 10, exchange: 'mx1.mixed.mx.test', addresses: [v4('185.199.108.13'), v6('2a01:4f8:c0c:1::13')], cname: [] },
      { preference: 20, exchange: 'mx2.mixed.mx.test', addresses: [v4('185.199.108.14'), v6('2a01:4f8:c0c:1::14')], cname: [] },
    ],
  },
  {
    input: 'alias.mx.test',
    about: 'the mail domain is a CNAME; SMTP follows it',
    domain: 'alias.mx.test',
    status: 'pass',
    findings: ['mail-domain-alias'],
    canonical: 'good.mx.test',
    mx: [
      { preference: 10, ...GOOD_MX1 },
      { preference: 20, ...GOOD_MX2 },
    ],
  },
  {
    input: 'nx.mx.test',
    about: 'the mail domain does not exist',
    domain: 'nx.mx.test',
    status: 'fail',
    findings: ['domain-nxdomain'],
    mx: [],
  },
  {
    input: 'nomail.mx.test',
    about: 'no MX and no address',
    domain: 'nomail.mx.test',
    status: 'fail',
    findings: ['mx-missing'],
    mx: [],
    check: (result) => assert.equal(result.implicit, undefined),
  },
  {
    input: 'implicit.mx.test',
    about: 'no MX, but A+AAAA: implicit MX',
    domain: 'implicit.mx.test',
    status: 'warn',
    findings: ['mx-implicit'],
    mx: [],
    check: (result) => {
      assert.ok(result.implicit, 'implicit is present');
      assert.deepEqual(sortAddresses(result.implicit.addresses), sortAddresses([v4('185.199.108.30'), v6('2a01:4f8:c0c:1::30')]));
    },
  },
  {
    input: 'null.mx.test',
    about: 'null MX (RFC 7505)',
    domain: 'null.mx.test',
    status: 'pass',
    findings: ['null-mx'],
    mx: [{ preference: 0, exchange: '.' }],
  },
  {
    input: 'nullmixed.mx.test',
    about: 'null MX next to real exchanges',
    domain: 'nullmixed.mx.test',
    status: 'fail',
    findings: ['null-mx-mixed'],
    mx: [
      { preference: 0, exchange: '.' },
      { preference: 10, ...GOOD_MX1 },
      { preference: 20, ...GOOD_MX2 },
    ],
  },
  {
    input: 'nullpref.mx.test',
    about: 'null MX with preference 10',
    domain: 'nullpref.mx.test',
    status: 'warn',
    findings: ['null-mx', 'null-mx-preference'],
    mx: [{ preference: 10, exchange: '.' }],
  },
  {
    input: 'iplit.mx.test',
    about: 'exchange written as an IP address',
    domain: 'iplit.mx.test',
    status: 'fail',
    findings: ['mx-target-ip-literal@192.0.2.1'],
    check: (result) => {
      assert.deepEqual(exchangesOf(result), ['5 192.0.2.1', '10 mx1.good.mx.test', '20 mx2.good.mx.test']);
    },
  },
  {
    input: 'cname.mx.test',
    about: 'exchanges that are aliases, directly and through a chain',
    domain: 'cname.mx.test',
    status: 'fail',
    findings: ['mx-target-cname@mail.cname.mx.test', 'mx-target-cname@chain.cname.mx.test'],
    check: (result) => {
      assert.deepEqual(exchangesOf(result), ['10 mail.cname.mx.test', '20 chain.cname.mx.test', '30 mx1.good.mx.test']);
      const direct = hostEntry(result, 'mail.cname.mx.test');
      assert.equal(direct.cname.at(-1), 'mx1.good.mx.test', `chain of mail.cname: ${JSON.stringify(direct.cname)}`);
      assert.deepEqual(sortAddresses(direct.addresses), sortAddresses(GOOD_MX1.addresses));
      const chain = hostEntry(result, 'chain.cname.mx.test');
      assert.ok(chain.cname.includes('step.cname.mx.test'), `chain of chain.cname: ${JSON.stringify(chain.cname)}`);
      assert.equal(chain.cname.at(-1), 'mx2.good.mx.test');
      assert.deepEqual(sortAddresses(chain.addresses), sortAddresses(GOOD_MX2.addresses));
      assert.deepEqual(hostEntry(result, 'mx1.good.mx.test').cname, []);
    },
  },
  {
    input: 'noaddr.mx.test',
    about: 'exchanges without address: NODATA and NXDOMAIN',
    domain: 'noaddr.mx.test',
    status: 'fail',
    findings: ['mx-target-no-address@nodata.noaddr.mx.test', 'mx-target-no-address@nxdomain.noaddr.mx.test'],
    check: (result) => {
      assert.deepEqual(hostEntry(result, 'nodata.noaddr.mx.test').addresses, []);
      assert.deepEqual(hostEntry(result, 'nxdomain.noaddr.mx.test').addresses, []);
    },
  },
  {
    input: 'loop.mx.test',
    about: 'a CNAME loop between two exchange names',
    domain: 'loop.mx.test',
    status: 'fail',
    findings: ['mx-target-cname@a.loop.mx.test', 'mx-target-no-address@a.loop.mx.test'],
    check: (result) => assert.deepEqual(hostEntry(result, 'a.loop.mx.test').addresses, []),
  },
  {
    input: 'longchain.mx.test',
    about: 'a CNAME chain of 10, longer than mxlint follows: its addresses are unknown, not missing',
    domain: 'longchain.mx.test',
    status: 'fail',
    findings: ['dns-lookup-failed@c1.longchain.mx.test', 'mx-target-cname@c1.longchain.mx.test'],
  },
  {
    input: 'private.mx.test',
    about: 'exchange addresses that are not globally routable',
    domain: 'private.mx.test',
    status: 'fail',
    findings: ['ten', 'loop', 'doc4', 'ula', 'll', 'doc6', 'mapped'].map(
      (host) => `mx-target-private-address@${host}.private.mx.test`,
    ),
  },
  {
    input: 'v6only.mx.test',
    about: 'an exchange with AAAA only',
    domain: 'v6only.mx.test',
    status: 'warn',
    findings: ['mx-target-ipv6-only@mx.v6only.mx.test'],
    check: (result) => assert.deepEqual(hostEntry(result, 'mx.v6only.mx.test').addresses, [v6('2a01:4f8:c0c:1::40')]),
  },
  {
    input: 'dup.mx.test',
    about: 'the same exchange twice',
    domain: 'dup.mx.test',
    status: 'warn',
    findings: ['mx-target-duplicate@mx1.good.mx.test'],
    check: (result) =>
      assert.deepEqual(exchangesOf(result), ['10 mx1.good.mx.test', '20 mx1.good.mx.test', '30 mx2.good.mx.test']),
  },
  {
    input: 'missingdot.mx.test',
    about: 'exchange written without the trailing dot in the zone',
    domain: 'missingdot.mx.test',
    status: 'warn',
    findings: ['mx-target-missing-dot@mail.missingdot.mx.test.mx.test'],
  },
  {
    input: 'syntax.mx.test',
    about: 'exchange that is not a host name',
    domain: 'syntax.mx.test',
    status: 'fail',
    findings: ['mx-target-syntax@mail_1.syntax.mx.test'],
  },
  {
    input: 'single.mx.test',
    about: 'only one exchange',
    domain: 'single.mx.test',
    status: 'pass',
    findings: ['mx-single'],
    mx: [{ preference: 10, exchange: 'mx.single.mx.test', addresses: [v4('185.199.108.80'), v6('2a01:4f8:c0c:1::80')], cname: [] }],
  },
  {
    input: 'noipv6.mx.test',
    about: 'no exchange has AAAA',
    domain: 'noipv6.mx.test',
    status: 'pass',
    findings: ['mx-no-ipv6'],
    mx: [
      { preference: 10, exchange: 'mx1.noipv6.mx.test', addresses: [v4('185.199.108.91')] },
      { preference: 20, exchange: 'mx2.noipv6.mx.test', addresses: [v4('185.199.108.92')] },
    ],
  },
  {
    input: 'refusedmx.mx.test',
    about: 'an exchange whose lookup is REFUSED',
    domain: 'refusedmx.mx.test',
    status: 'unknown',
    findings: ['dns-lookup-failed@mx.elsewhere.invalid'],
  },
  {
    // An authoritative server given as --server refers onwards instead of answering: not "no address".
    input: 'referral.mx.test',
    about: 'an exchange below a delegation, asked of a server that does not recurse (a referral)',
    domain: 'referral.mx.test',
    status: 'unknown',
    findings: ['dns-lookup-failed@mail.child.referral.mx.test'],
  },
  {
    input: 'anything.wild.mx.test',
    about: 'wildcard MX',
    domain: 'anything.wild.mx.test',
    status: 'pass',
    findings: [],
    mx: [
      { preference: 10, ...GOOD_MX1 },
      { preference: 20, ...GOOD_MX2 },
    ],
  },
  {
    input: 'bücher.mx.test',
    about: 'IDN input, A-label in the zone',
    domain: 'xn--bcher-kva.mx.test',
    status: 'pass',
    findings: [],
    mx: [
      { preference: 10, ...GOOD_MX1 },
      { preference: 20, ...GOOD_MX2 },
    ],
  },
  {
    input: 'example.invalid',
    about: 'a zone the server does not serve (REFUSED)',
    domain: 'example.invalid',
    status: 'unknown',
    findings: ['dns-lookup-failed'],
  },
  {
    input: 'big.tcp.test',
    about: '64 MX: truncated over UDP, complete over TCP',
    domain: 'big.tcp.test',
    status: 'pass',
    findings: [],
    check: (result) => assertBigComplete(result),
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers

function sortAddresses(addresses: { address: string; family: 4 | 6 }[]): { address: string; family: number }[] {
  return addresses
    .map((entry) => ({ address: ipaddr.parse(entry.address).toString(), family: entry.family }))
    .sort((a, b) => a.family - b.family || a.address.localeCompare(b.address));
}

function exchangesOf(result: DomainResult): string[] {
  return result.mx.map((entry) => `${entry.preference} ${entry.exchange}`);
}

type HostMx = Extract<MxEntry, { cname: string[] }>;

function hostEntry(result: DomainResult, exchange: string): HostMx {
  const entry = result.mx.find((candidate) => candidate.exchange === exchange);
  assert.ok(entry, `MX entry for ${exchange} in ${JSON.stringify(exchangesOf(result))}`);
  assert.ok('addresses' in entry && Array.isArray(entry.addresses), `${exchange} has addresses`);
  assert.ok(Array.isArray(entry.cname), `${exchange} has a cname chain`);
  return entry;
}

function findingKeys(findings: Finding[], expected: string[]): string[] {
  const byTarget = new Set(expected.filter((key) => key.includes('@')).map((key) => key.slice(0, key.indexOf('@'))));
  const keys = findings.map((finding) => (byTarget.has(finding.rule) ? `${finding.rule}@${finding.target ?? '(none)'}` : finding.rule));
  return [...new Set(keys)].sort();
}

function describeResult(result: DomainResult): string {
  return JSON.stringify(
    { status: result.status, findings: result.findings.map((f) => `${f.rule}@${f.target ?? ''}: ${f.message}`), mx: exchangesOf(result) },
    null,
    2,
  );
}

function assertCase(result: DomainResult | undefined, testCase: Case): void {
  assert.ok(result, `a result for ${testCase.input}`);
  const context = `${testCase.input} (${testCase.about}):\n${describeResult(result)}`;
  assert.equal(result.input, testCase.input, context);
  assert.equal(result.domain, testCase.domain, context);
  assert.deepEqual(findingKeys(result.findings, testCase.findings), [...new Set(testCase.findings)].sort(), context);
  assert.equal(result.status, testCase.status, context);
  if (testCase.canonical !== undefined) assert.equal(result.canonical, testCase.canonical, context);
  if (testCase.mx !== undefined) {
    assert.deepEqual(exchangesOf(result), testCase.mx.map((entry) => `${entry.preference} ${entry.exchange}`), context);
    for (const expected of testCase.mx) {
      if (expected.exchange === '.') continue;
      const actual = hostEntry(result, expected.exchange);
      if (expected.addresses !== undefined) {
        assert.deepEqual(sortAddresses(actual.addresses), sortAddresses(expected.addresses), `${context}\naddresses of ${expected.exchange}`);
      }
      if (expected.cname !== undefined) assert.deepEqual(actual.cname, expected.cname, `${context}\ncname of ${expected.exchange}`);
    }
  }
  testCase.check?.(result);
}

const BIG_EXCHANGE = /^mx(\d\d)-exchange-with-a-long-name-to-overflow-the-udp-payload\.big\.tcp\.test$/;

function assertBigComplete(result: DomainResult): void {
  assert.equal(result.status, 'pass', describeResult(result));
  assert.equal(result.mx.length, 64, `all 64 MX of big.tcp.test, got ${result.mx.length}`);
  result.mx.forEach((entry, index) => {
    const match = BIG_EXCHANGE.exec(entry.exchange);
    assert.ok(match, `exchange ${entry.exchange}`);
    assert.equal(entry.preference, (index + 1) * 10);
    assert.equal(Number(match[1]), index + 1);
    const host = hostEntry(result, entry.exchange);
    assert.deepEqual(sortAddresses(host.addresses), sortAddresses([v4(`185.199.110.${index + 1}`), v6(`2a01:4f8:c0c:2::${(index + 1).toString(16)}`)]));
  });
}

function parseResults(run: CliResult, what: string): DomainResult[] {
  const context = `${what}: exit ${run.code}${run.timedOut ? ' (timed out)' : ''}\n--- stdout ---\n${run.stdout.slice(0, 4000)}\n--- stderr ---\n${run.stderr.slice(0, 4000)}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch (error) {
    assert.fail(`stdout is not JSON (${(error as Error).message}). ${context}`);
  }
  assert.ok(Array.isArray(parsed), `a JSON array. ${context}`);
  return parsed as DomainResult[];
}

function statusOf(findings: Finding[]): Status {
  if (findings.some((finding) => finding.severity === 'error')) return 'fail';
  if (findings.some((finding) => finding.severity === 'unknown')) return 'unknown';
  if (findings.some((finding) => finding.severity === 'warning')) return 'warn';
  return 'pass';
}

function exitCodeOf(results: DomainResult[]): number {
  const statuses = new Set(results.map((result) => result.status));
  if (statuses.has('fail')) return 2;
  if (statuses.has('unknown')) return 3;
  if (statuses.has('warn')) return 1;
  return 0;
}

/** Every general promise of the result contract, whatever the domain. */
function assertWellFormed(result: DomainResult): void {
  const context = `${result.input}: ${describeResult(result)}`;
  assert.equal(typeof result.durationMs, 'number', context);
  assert.ok(result.durationMs >= 0, context);
  assert.ok(['pass', 'warn', 'fail', 'unknown'].includes(result.status), context);
  assert.equal(result.status, statusOf(result.findings), `status follows the findings. ${context}`);
  if (result.domain !== null) {
    assert.equal(result.domain, result.domain.toLowerCase(), context);
    assert.ok(!result.domain.endsWith('.'), context);
  }
  for (const finding of result.findings) {
    assert.ok(finding.rule in RULE_SEVERITY, `unknown rule ${finding.rule}. ${context}`);
    assert.equal(finding.severity, RULE_SEVERITY[finding.rule], `severity of ${finding.rule}. ${context}`);
    assert.ok(typeof finding.message === 'string' && finding.message.length > 0, `message of ${finding.rule}`);
    assert.ok(typeof finding.rfc === 'string' && finding.rfc.length > 0, `rfc of ${finding.rule}`);
    if (finding.target !== undefined) {
      assert.equal(finding.target, finding.target.toLowerCase(), `target lower-case. ${context}`);
      assert.ok(finding.target === '.' || !finding.target.endsWith('.'), `target without trailing dot. ${context}`);
    }
  }
  // Ordered by severity (error, unknown, warning, info), then rule, then target.
  const order = result.findings.map((f) => [SEVERITY_ORDER[f.severity], f.rule, f.target ?? ''] as const);
  for (let i = 1; i < order.length; i++) {
    const [a, b] = [order[i - 1]!, order[i]!];
    const cmp = a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]);
    assert.ok(cmp <= 0, `findings ordered by severity, rule, target. ${context}`);
  }
  // MX sorted by preference, then exchange; names lower-case without the trailing dot.
  for (let i = 1; i < result.mx.length; i++) {
    const [a, b] = [result.mx[i - 1]!, result.mx[i]!];
    assert.ok(a.preference < b.preference || (a.preference === b.preference && a.exchange <= b.exchange), `mx sorted. ${context}`);
  }
  for (const entry of result.mx) {
    assert.equal(entry.exchange, entry.exchange.toLowerCase(), context);
    assert.ok(entry.exchange === '.' || !entry.exchange.endsWith('.'), context);
    if (entry.exchange !== '.') {
      assert.ok('addresses' in entry && Array.isArray(entry.addresses), context);
      for (const address of entry.addresses) assert.ok(address.family === 4 || address.family === 6, context);
    }
  }
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

// Outside the suite so that a skip is counted as a skipped test, with its reason, in the summary.
it('e2e prerequisite: nsd is installed', { skip: gate.skip }, () => {});

describe('mxlint CLI end to end against NSD', { skip: gate.skip }, () => {
  let nsd: NsdServer | undefined;
  let batch: CliResult | undefined;
  let batchResults: DomainResult[] = [];
  const byInput = new Map<string, DomainResult>();
  const taps: DnsTap[] = [];

  const server = (): string => {
    assert.ok(nsd, 'NSD is running');
    return nsd.server;
  };

  before(async () => {
    nsd = await startNsd({ zones: readZoneFixtures(FIXTURES), ipv6: true });
    // All fixture domains in one run: also proves one result per domain, in input order.
    batch = await runCli(['--server', nsd.server, '--checks', 'mx', '--format', 'json', ...CASES.map((c) => c.input)], { timeoutMs: 60_000 });
    try {
      batchResults = JSON.parse(batch.stdout) as DomainResult[];
      for (const result of batchResults) byInput.set(result.input, result);
    } catch {
      batchResults = [];
    }
  });

  after(async () => {
    for (const tap of taps) await tap.close();
    await nsd?.stop();
  });

  it('the CLI is built (bin/mxlint.js) and NSD serves the fixtures', () => {
    assert.ok(existsSync(CLI_PATH), `${CLI_PATH} exists`);
    assert.ok(nsd);
    assert.match(nsd.server, /^127\.0\.0\.1:\d+$/);
  });

  it('prints one JSON result per domain, in input order, with exit code 2 for the mixed batch', () => {
    assert.ok(batch, 'the batch ran');
    const results = parseResults(batch, 'batch run');
    assert.deepEqual(results.map((result) => result.input), CASES.map((c) => c.input));
    assert.equal(batch.code, 2, `exit code (stderr: ${batch.stderr})`);
    assert.equal(batch.code, exitCodeOf(results));
  });

  it('every result is well formed (status from findings, severities, ordering, lower-case names)', () => {
    assert.ok(batchResults.length > 0, `batch produced results (stderr: ${batch?.stderr ?? ''})`);
    for (const result of batchResults) assertWellFormed(result);
  });

  for (const testCase of CASES) {
    it(`${testCase.input}: ${testCase.about} -> ${testCase.status} [${testCase.findings.join(', ') || 'no findings'}]`, () => {
      assertCase(byInput.get(testCase.input), testCase);
    });
  }

  it('a domain alone gives the same verdict as in the batch (no cross-talk), and --checks mx is accepted', async () => {
    const run = await runCli(['--server', server(), '--format', 'json', '--checks', 'mx', 'good.mx.test']);
    const [result] = parseResults(run, 'good.mx.test alone');
    assertCase(result, CASES[0]!);
    assert.equal(run.code, 0, run.stderr);
  });

  it('a server on ::1 works too', async () => {
    assert.ok(nsd);
    const run = await runCli(['--server', `[::1]:${nsd.port}`, '--checks', 'mx', '--format', 'json', 'good.mx.test']);
    const [result] = parseResults(run, 'via ::1');
    assertCase(result, CASES[0]!);
    assert.equal(run.code, 0);
  });

  it('falls back to TCP when the UDP answer is truncated, and only then', async () => {
    assert.ok(nsd);
    const tap = await startDnsTap({ upstream: { host: nsd.host, port: nsd.port }, udp: 'forward', tcp: 'forward' });
    taps.push(tap);
    const run = await runCli(['--server', tap.server, '--checks', 'mx', '--format', 'json', 'big.tcp.test']);
    const [result] = parseResults(run, 'big.tcp.test via tap');
    assert.ok(result);
    assertBigComplete(result);
    assert.deepEqual(result.findings, []);
    assert.equal(run.code, 0);
    const mxQueries = tap.queries.filter((q) => q.name === 'big.tcp.test' && q.type === 'MX');
    assert.ok(mxQueries.some((q) => q.transport === 'udp'), `MX asked over UDP first: ${JSON.stringify(tap.queries)}`);
    assert.ok(mxQueries.some((q) => q.transport === 'tcp'), `MX asked again over TCP: ${JSON.stringify(mxQueries)}`);

    tap.reset();
    const small = await runCli(['--server', tap.server, '--checks', 'mx', '--format', 'json', 'good.mx.test']);
    assertCase(parseResults(small, 'good.mx.test via tap')[0], CASES[0]!);
    assert.ok(tap.udpPackets() > 0);
    assert.equal(tap.tcpConnections(), 0, `no TCP for answers that fit: ${JSON.stringify(tap.queries)}`);
  });

  it('--tcp sends every query over TCP', async () => {
    assert.ok(nsd);
    const tap = await startDnsTap({ upstream: { host: nsd.host, port: nsd.port }, udp: 'drop', tcp: 'forward' });
    taps.push(tap);
    const inputs = ['good.mx.test', 'big.tcp.test', 'implicit.mx.test'];
    const run = await runCli(['--server', tap.server, '--checks', 'mx', '--tcp', '--timeout', '1000', '--retries', '0', '--format', 'json', ...inputs]);
    const results = parseResults(run, '--tcp');
    assert.deepEqual(results.map((r) => r.input), inputs);
    assertCase(results[0], CASES[0]!);
    assertBigComplete(results[1]!);
    assertCase(results[2], CASES.find((c) => c.input === 'implicit.mx.test')!);
    assert.equal(run.code, 1);
    assert.equal(tap.udpPackets(), 0, `nothing over UDP: ${JSON.stringify(tap.queries.filter((q) => q.transport === 'udp'))}`);
    assert.ok(tap.tcpConnections() > 0);
    assert.ok(tap.queries.some((q) => q.transport === 'tcp' && q.name === 'big.tcp.test' && q.type === 'MX'));
  });

  it('a zone the server does not serve: REFUSED -> unknown, dns-lookup-failed, exit 3', async () => {
    const run = await runCli(['--server', server(), '--checks', 'mx', '--format', 'json', 'example.invalid']);
    const [result] = parseResults(run, 'example.invalid');
    assertCase(result, CASES.find((c) => c.input === 'example.invalid')!);
    assert.equal(run.code, 3, run.stderr);
    // NSD says why it refuses (EDE 20): mxlint says what that means for the check.
    assert.match(result!.findings[0]!.message,
      /^MX example\.invalid: REFUSED from 127\.0\.0\.1:\d+ EDE 20 \(Not Authoritative\): it is not a recursive resolver, or not for us: ask one that is\. /);
  });

  it('a referral (NS in authority, no SOA) says the server is not recursive; it is no NODATA', () => {
    const result = byInput.get('referral.mx.test');
    assert.ok(result, 'referral.mx.test was checked');
    const finding = result.findings.find((f) => f.rule === 'dns-lookup-failed')!;
    assert.match(finding.message, /^A mail\.child\.referral\.mx\.test: 127\.0\.0\.1:\d+ referred the question to the name servers of child\.referral\.mx\.test \(ns\.child\.referral\.mx\.test\) instead of answering it: it is not a recursive resolver/);
    assert.ok(!result.findings.some((f) => f.rule === 'mx-target-no-address'), 'a referral is not "no address"');
  });

  it('a server that never answers: unknown after the retries, within the time budget', async () => {
    const tap = await startDnsTap({ udp: 'drop', tcp: 'drop' });
    taps.push(tap);
    const run = await runCli(['--server', tap.server, '--checks', 'mx', '--timeout', '200', '--retries', '1', '--format', 'json', 'good.mx.test'], {
      timeoutMs: 20_000,
    });
    const [result] = parseResults(run, 'silent server');
    assert.ok(result);
    assert.equal(result.status, 'unknown', describeResult(result));
    assert.deepEqual(findingKeys(result.findings, ['dns-lookup-failed']), ['dns-lookup-failed'], describeResult(result));
    assert.equal(run.code, 3);
    const mxAttempts = tap.queries.filter((q) => q.name === 'good.mx.test' && q.type === 'MX');
    assert.equal(mxAttempts.length, 2, `1 attempt + 1 retry for the MX query: ${JSON.stringify(tap.queries)}`);
    assert.ok(tap.queries.every((q) => q.name === 'good.mx.test'), `only the domain was asked: ${JSON.stringify(tap.queries)}`);
    assert.ok(run.durationMs < 10_000, `took ${Math.round(run.durationMs)} ms`);
  });

  it('invalid input: domain-invalid, domain null, exit 3, and not a single packet sent', async () => {
    const tap = await startDnsTap({ udp: 'drop', tcp: 'drop' });
    taps.push(tap);
    const inputs = ['http://x.test', 'a..b', 'x.test:25', `${'a'.repeat(64)}.mx.test`];
    const run = await runCli(['--server', tap.server, '--checks', 'mx', '--timeout', '200', '--retries', '0', '--format', 'json', ...inputs]);
    const results = parseResults(run, 'invalid inputs');
    assert.deepEqual(results.map((r) => r.input), inputs);
    for (const result of results) {
      assert.equal(result.domain, null, describeResult(result));
      assert.equal(result.status, 'unknown', describeResult(result));
      assert.deepEqual(findingKeys(result.findings, ['domain-invalid']), ['domain-invalid'], describeResult(result));
      assert.deepEqual(result.mx, []);
      assertWellFormed(result);
    }
    assert.equal(run.code, 3);
    await wait(100);
    assert.equal(tap.udpPackets(), 0, `UDP packets received: ${JSON.stringify(tap.queries)}`);
    assert.equal(tap.tcpConnections(), 0, 'TCP connections received');
  });

  it('exit codes over a list: 0 all pass (info allowed), 1 a warning, 3 an unknown, 2 a failure', async () => {
    const lists: [string[], number][] = [
      [['good.mx.test', 'single.mx.test', 'null.mx.test', 'noipv6.mx.test'], 0],
      [['good.mx.test', 'implicit.mx.test'], 1],
      [['implicit.mx.test', 'example.invalid', 'good.mx.test'], 3],
      [['implicit.mx.test', 'http://x.test'], 3],
      [['good.mx.test', 'implicit.mx.test', 'example.invalid', 'nx.mx.test'], 2],
    ];
    const runs = await Promise.all(lists.map(([inputs]) => runCli(['--server', server(), '--checks', 'mx', '--format', 'json', ...inputs])));
    runs.forEach((run, index) => {
      const [inputs, code] = lists[index]!;
      const results = parseResults(run, inputs.join(' '));
      assert.deepEqual(results.map((r) => r.input), inputs);
      assert.equal(run.code, code, `${inputs.join(' ')}: statuses ${results.map((r) => r.status).join(' ')}`);
    });
  });

  it('text format names each domain and its verdict, without colour under --no-color', async () => {
    const run = await runCli(['--server', server(), '--checks', 'mx', '--format', 'text', '--no-color', 'good.mx.test', 'nx.mx.test', 'implicit.mx.test']);
    assert.equal(run.code, 2, run.stderr);
    assert.doesNotMatch(run.stdout, /\x1b\[/, 'no ANSI escapes');
    assert.match(run.stdout, /good\.mx\.test/);
    assert.match(run.stdout, /nx\.mx\.test/);
    assert.match(run.stdout, /implicit\.mx\.test/);
    assert.match(run.stdout, /\bpass(ed)?\b/i, 'verdict pass');
    assert.match(run.stdout, /\bfail(ed)?\b/i, 'verdict fail');
    assert.match(run.stdout, /\bwarn(ing)?\b/i, 'verdict warn');
    assert.match(run.stdout, /domain-nxdomain/);
    assert.match(run.stdout, /mx-implicit/);
  });

  it('jsonl format: one JSON object per line, in input order', async () => {
    const inputs = ['good.mx.test', 'single.mx.test', 'implicit.mx.test'];
    const run = await runCli(['--server', server(), '--checks', 'mx', '--format', 'jsonl', ...inputs]);
    const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
    assert.equal(lines.length, inputs.length, run.stdout);
    const results = lines.map((line) => JSON.parse(line) as DomainResult);
    assert.deepEqual(results.map((r) => r.input), inputs);
    assertCase(results[1], CASES.find((c) => c.input === 'single.mx.test')!);
    assert.equal(run.code, 1);
  });

  it('--quiet keeps the exit code', async () => {
    const run = await runCli(['--server', server(), '--checks', 'mx', '--quiet', '--no-color', 'good.mx.test', 'implicit.mx.test']);
    assert.equal(run.code, 1, run.stderr);
  });

  it('--list-rules lists every rule id', async () => {
    const run = await runCli(['--list-rules'], canIsolateNetwork() ? { isolateNetwork: true } : { allowNoServer: true });
    assert.equal(run.code, 0, run.stderr);
    for (const rule of Object.keys(RULE_SEVERITY)) assert.match(run.stdout, new RegExp(`\\b${rule}\\b`), rule);
  });

  const usageErrors: [string, string[]][] = [
    ['a bad --server', ['--server', 'nonsense:99999', 'good.mx.test']],
    ['an unknown --format', ['--server', '127.0.0.1:9', '--format', 'xml', 'good.mx.test']],
    ['an unknown flag', ['--server', '127.0.0.1:9', '--no-such-flag', 'good.mx.test']],
    ['a bad --timeout', ['--server', '127.0.0.1:9', '--timeout', 'soon', 'good.mx.test']],
  ];
  for (const [what, args] of usageErrors) {
    it(
      `usage error (${what}): exit 3, one line on stderr, no stack trace`,
      // Run where no packet can leave the process: a usage error must send nothing, and a bad server
      // name must never reach the machine's resolver.
      { skip: canIsolateNetwork() ? false : 'unshare -n is not available: usage errors are not run outside a network namespace' },
      async () => {
        const run = await runCli(args, { isolateNetwork: true, timeoutMs: 15_000 });
        assert.equal(run.code, 3, `exit code; stderr: ${run.stderr}`);
        const lines = run.stderr.trim().split('\n');
        assert.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(run.stderr)}`);
        assert.ok(lines[0]!.length > 0);
        assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
      },
    );
  }
});
