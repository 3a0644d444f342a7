/**
 * The per-domain deadline (issue 12, item 3) against a domain that is slow but valid: every reply
 * correct and just under the per-try timeout, behind 8 + 8 aliases and a 45-deep SPF include chain
 * (test/support/slow-world.ts), served by the in-process server. Unbounded, one check of it asks
 * some 75 questions one after another; with a deadline it ends there, what it did not learn is
 * unknown and says why, and nothing it started asks anything afterwards. Times are compared with
 * the unbounded run's with a wide margin, never tightly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDomain } from '../../src/modes/domains.js';
import type { DomainResult } from '../../src/engine/result.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { runCli } from '../support/e2e.js';
import { SLOW_DOMAIN, slowWorldBehaviour, slowWorldRecords } from '../support/slow-world.js';
import { describeSlowViolation, fuzzSlowButValid } from '../support/slow-fuzz.js';

/** Each reply this late, the per-try timeout a little more: slow, never a timeout. */
const DELAY_MS = 400;
/** Far above each reply's delay, so a busy machine makes no lookup time out before the deadline cuts it. */
const TIMEOUT_MS = 5000;
const DEADLINE_MS = 2000;
/** The questions the check asks one after another before its families start: 9 on the way to the MX, 9 to the exchange. */
const SEQUENTIAL_BEFORE_FAMILIES = 18;
/** Unbounded, the check needs at least this long: a wide margin under it still proves the bound. */
const UNBOUNDED_AT_LEAST_MS = SEQUENTIAL_BEFORE_FAMILIES * DELAY_MS;
/** Node's start and the report, on top of the check, for the CLI run: generous for a busy machine. */
const STARTUP_MARGIN_MS = 5000;
/** Its first 8 cases include checks the deadline cuts short and checks that end by themselves. */
const SLOW_FUZZ_SEED = 11;
/** How long to listen for questions a cancelled check might still ask. */
const AFTERWARDS_MS = 1500;

function deadlineFindings(result: DomainResult): string[] {
  return result.findings.filter((f) => f.message.includes(`the check's deadline (${DEADLINE_MS} ms) passed`)).map((f) => f.rule);
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('the per-domain deadline against a slow but valid domain', () => {
  let server: LocalDnsServer;
  before(async () => {
    server = await startLocalDnsServer({ records: slowWorldRecords(), behave: slowWorldBehaviour(DELAY_MS) });
  });
  after(() => server.close());

  it('the check ends at its deadline: unknown, the findings say the deadline passed, and nothing it started asks afterwards', async () => {
    const started = performance.now();
    const result = await checkDomain(SLOW_DOMAIN, { servers: [server.address], timeoutMs: TIMEOUT_MS, retries: 0, deadlineMs: DEADLINE_MS });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= DEADLINE_MS - 20, `ended after ${Math.round(elapsed)} ms, before its deadline: the world is not that slow`);
    assert.ok(elapsed < UNBOUNDED_AT_LEAST_MS, `ended after ${Math.round(elapsed)} ms, as late as the unbounded check (over ${UNBOUNDED_AT_LEAST_MS} ms)`);
    assert.equal(result.status, 'unknown');
    assert.ok(deadlineFindings(result).includes('dns-lookup-failed'), result.findings.map((f) => `${f.rule}: ${f.message}`).join('\n'));
    assert.deepEqual(server.errors, []);
    const asked = server.queries.length;
    await wait(AFTERWARDS_MS);
    assert.equal(server.queries.length, asked, 'no question after the check ended');
  });

  it('the library\'s signal ends the check the same way, with the reason it was given', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('the caller lost patience')), 500);
    const result = await checkDomain(SLOW_DOMAIN, { servers: [server.address], timeoutMs: TIMEOUT_MS, retries: 0, signal: controller.signal });
    assert.equal(result.status, 'unknown');
    assert.ok(result.findings.some((f) => f.rule === 'dns-lookup-failed' && f.message.includes('when the caller lost patience')),
      result.findings.map((f) => f.message).join('\n'));
  });

  it('the CLI: --deadline ends the check there, exit 3, the reason in the findings', async () => {
    const result = await runCli(['--server', server.address, '--timeout', String(TIMEOUT_MS), '--retries', '0', '--deadline', String(DEADLINE_MS),
      '--format', 'json', SLOW_DOMAIN], { timeoutMs: 30_000 });
    assert.equal(result.code, 3, result.stderr);
    const [domain] = JSON.parse(result.stdout) as DomainResult[];
    assert.equal(domain!.status, 'unknown');
    assert.ok(deadlineFindings(domain!).length > 0, result.stdout);
    // Node's start and the report come on top of the deadline; unbounded the check alone takes far longer.
    assert.ok(result.durationMs < UNBOUNDED_AT_LEAST_MS + STARTUP_MARGIN_MS, `took ${Math.round(result.durationMs)} ms`);
  });

  it('--deadline takes a whole number of milliseconds, at least 1: anything else is a usage error naming it', async () => {
    for (const value of ['0', 'abc', '1.5', '600001']) {
      const result = await runCli(['--deadline', value, 'example.com'], { isolateNetwork: true });
      assert.equal(result.code, 3, value);
      assert.match(result.stderr, /^mxlint: --deadline must be a whole number from 1 to 600000, not .+ \(see mxlint --help\)\n$/, value);
    }
  });
});

describe('the same domain, fast: the deadline changes nothing', () => {
  it('replies 20 ms late: the full verdict, no finding about a deadline', async (t) => {
    const server = await startLocalDnsServer({ records: slowWorldRecords(), behave: slowWorldBehaviour(20) });
    t.after(() => server.close());
    const result = await checkDomain(SLOW_DOMAIN, { servers: [server.address], timeoutMs: TIMEOUT_MS, retries: 0 });
    assert.equal(result.status, 'fail');
    assert.deepEqual(result.findings.filter((f) => f.message.includes('deadline')), []);
    assert.ok(result.findings.some((f) => f.rule === 'spf-lookup-limit'), 'the SPF chain was followed to its end');
  });
});

describe('the slow-but-valid fuzz, seeded and bounded (npm run fuzz -- --only slow runs it long)', () => {
  it('every case ends within its deadline, asks nothing after, never passes; those that end by themselves find the fast verdict', { timeout: 120_000 }, async () => {
    const totals = await fuzzSlowButValid({ seed: SLOW_FUZZ_SEED, cases: 8, concurrency: 4 });
    assert.deepEqual(totals.violations.map(describeSlowViolation), []);
    assert.equal(totals.cases, 8);
    // The run proves something only if both kinds of case came up.
    assert.ok(totals.cutShort > 0 && totals.cutShort < totals.cases, `${totals.cutShort} of ${totals.cases} cut short`);
  });
});
