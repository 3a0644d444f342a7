/**
 * The "slow but valid" fuzz (issue 12, item 3): checkDomain against the slow world of slow-world.ts
 * — long alias and include chains, every reply correct but just under the per-try timeout, or the
 * first tries of every question unanswered — with seeded timeouts, delays and deadlines. Oracles:
 * the check never throws; it ends within its deadline and a margin; a check the deadline cut short
 * says so and never passes; and once it has ended, nothing of it asks the server anything more.
 * `npm run fuzz -- --only slow` runs it long; a bounded run is part of the e2e tests.
 */
import { checkDomain } from '../../src/modes/domains.js';
import type { DomainResult } from '../../src/engine/result.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { seededRandom } from './random.js';
import { SLOW_DOMAIN, slowWorldBehaviour, slowWorldRecords } from './slow-world.js';

/** What a busy machine may add to a deadline before a check counts as running past it. */
export const SLOW_FUZZ_MARGIN_MS = 2000;
const TIMEOUTS_MS = [250, 400, 600] as const;
const COMPLETING_SHARE = 0.2;

export interface SlowCase {
  index: number;
  timeoutMs: number;
  /** Each reply this late: just under the timeout. */
  delayMs: number;
  /** The first tries of each question that get no reply (the retries make up for them). */
  silentAttempts: number;
  deadlineMs: number;
}

export interface SlowViolation {
  seed: number;
  slowCase: SlowCase;
  problem: string;
}

export interface SlowTotals {
  cases: number;
  queries: number;
  /** Cases the deadline ended (a finding says so). */
  cutShort: number;
  /** Cases where a reply came after the timeout all the same (a busy machine): their verdict is not compared. */
  timedOut: number;
  /** The longest a check ran past its deadline. */
  maxOverrunMs: number;
  violations: SlowViolation[];
}

/** The parameters of one case, from the run's seed and the case's index alone (so it replays alone). */
export function slowCase(seed: number, index: number): SlowCase {
  const random = seededRandom((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  // Some checks are given the time to end by themselves (about 60 replies in a row), to hold them to the fast verdict.
  const completes = random() < COMPLETING_SHARE;
  const timeoutMs = completes ? TIMEOUTS_MS[0] : TIMEOUTS_MS[Math.floor(random() * TIMEOUTS_MS.length)]!;
  const delayMs = Math.round(timeoutMs * (0.5 + 0.35 * random()));
  const silentAttempts = !completes && random() < 0.3 ? 1 + Math.floor(random() * 2) : 0;
  const deadlineMs = Math.round(timeoutMs * (completes ? 100 : 2 + 10 * random()));
  return { index, timeoutMs, delayMs, silentAttempts, deadlineMs };
}

/** The rules a check of the slow world finds, sorted. */
function verdict(result: DomainResult): string {
  return `${result.status} ${result.findings.map((f) => f.rule).sort().join(' ')}`;
}

/** The verdict with every reply at once: what a slow check that was not cut short must find too. */
async function fastVerdict(): Promise<string> {
  const server = await startLocalDnsServer({ records: slowWorldRecords(), behave: slowWorldBehaviour(0) });
  try {
    return verdict(await checkDomain(SLOW_DOMAIN, { servers: [server.address], retries: 0 }));
  } finally {
    await server.close();
  }
}

async function runCase(seed: number, slowCase: SlowCase, baseline: string, totals: SlowTotals): Promise<void> {
  const violation = (problem: string): void => void totals.violations.push({ seed, slowCase, problem });
  const server = await startLocalDnsServer({ records: slowWorldRecords(), behave: slowWorldBehaviour(slowCase.delayMs, slowCase.silentAttempts) });
  try {
    const started = performance.now();
    let result: DomainResult;
    try {
      result = await checkDomain(SLOW_DOMAIN, {
        servers: [server.address], timeoutMs: slowCase.timeoutMs, retries: slowCase.silentAttempts, deadlineMs: slowCase.deadlineMs,
      });
    } catch (error) {
      violation(`threw: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return;
    }
    const elapsed = performance.now() - started;
    totals.maxOverrunMs = Math.max(totals.maxOverrunMs, elapsed - slowCase.deadlineMs);
    if (elapsed > slowCase.deadlineMs + SLOW_FUZZ_MARGIN_MS) violation(`ran ${Math.round(elapsed)} ms, past its deadline of ${slowCase.deadlineMs} ms`);
    const said = result.findings.some((f) => f.message.includes(`the check's deadline (${slowCase.deadlineMs} ms) passed`));
    if (said) totals.cutShort++;
    if (result.status === 'pass' || result.status === 'warn') violation(`status ${result.status}: the slow world always fails (its SPF needs 45 lookups), or is unknown`);
    const timedOut = result.findings.some((f) => f.message.includes(': no reply from '));
    if (timedOut) totals.timedOut++;
    // Slow but valid: a check the deadline did not cut finds what a fast one finds.
    if (!said && !timedOut && verdict(result) !== baseline) violation(`verdict "${verdict(result)}", not the fast one "${baseline}"`);
    // Whatever was in flight at the end would be answered within a delay, or asked again after a timeout.
    const asked = server.queries.length;
    await new Promise((resolve) => setTimeout(resolve, slowCase.timeoutMs + 100));
    if (server.queries.length !== asked) {
      const late = server.queries.slice(asked).map((q) => `${q.type} ${q.name} (try ${q.attempt}, ${q.transport})`);
      violation(`${late.length} queries after the check ended: ${late.join(', ')}`);
    }
    totals.queries += server.queries.length;
    if (server.errors.length > 0) violation(`the server's script failed: ${server.errors[0]!.message}`);
  } finally {
    await server.close();
  }
}

/** Cases `first` … `first + cases - 1`, `concurrency` at a time, each on a server of its own. */
export async function fuzzSlowButValid(options: { seed: number; cases: number; first?: number; concurrency?: number;
  progress?: (totals: SlowTotals) => void }): Promise<SlowTotals> {
  const totals: SlowTotals = { cases: 0, queries: 0, cutShort: 0, timedOut: 0, maxOverrunMs: -Infinity, violations: [] };
  const first = options.first ?? 0;
  const baseline = await fastVerdict();
  let next = first;
  const worker = async (): Promise<void> => {
    while (next < first + options.cases) {
      const index = next++;
      await runCase(options.seed, slowCase(options.seed, index), baseline, totals);
      totals.cases++;
      options.progress?.(totals);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, options.cases) }, worker));
  return totals;
}

export function describeSlowViolation(v: SlowViolation): string {
  const c = v.slowCase;
  return `seed ${v.seed} case ${c.index} (timeout ${c.timeoutMs} ms, replies ${c.delayMs} ms late, ${c.silentAttempts} silent tries, deadline ${c.deadlineMs} ms): ${v.problem}`;
}
