import { setTimeout as sleep } from 'node:timers/promises';
import { checkDomainTimed } from '../engine/inputs.js';
import type { CheckOptions } from '../core/options.js';
import type { RunOptions } from '../engine/run-options.js';
import type { TimedResult } from '../engine/inputs.js';
import type { CheckPhase } from '../engine/check-name.js';
import { LookupCache } from '../dns/cache.js';
import { Resolver } from '../dns/resolver.js';
import type { ResolverOptions } from '../dns/resolver.js';
import type { Status } from '../core/finding.js';
import { Exposition } from '../report/exposition.js';
import type { MetricMeta } from '../report/exposition.js';
import { addResultSamples, RESULT_METRICS } from '../report/result-metrics.js';

const PROBE_METRICS: readonly MetricMeta[] = [
  { name: 'mxlint_probe_success', type: 'gauge', help: 'Whether the domain can receive mail as far as the checks tell: 1 for pass or warn, 0 for fail, unknown or a timeout.' },
  { name: 'mxlint_probe_timed_out', type: 'gauge', help: 'Whether the probe ran out of time before the check finished.' },
  { name: 'mxlint_probe_duration_seconds', type: 'gauge', help: 'Time the probe spent by phase: mx (the MX question), exchanges (their addresses), checks (the check families).' },
  { name: 'mxlint_probe_dns_queries', type: 'gauge', help: 'DNS queries the probe sent, by transport.' },
  ...RESULT_METRICS,
];

const PHASES: readonly CheckPhase[] = ['mx', 'exchanges', 'checks'];
const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'unknown'];

export type ProbeOutcome = { kind: 'done'; timed: TimedResult } | { kind: 'timeout'; elapsedMs: number };

export interface ProbeRun {
  /** What the scrape gets: the check's result, or the timeout, whichever came first. */
  outcome: Promise<ProbeOutcome>;
  /** When the check itself is over (at the timeout it is cancelled, and ends at once), with the queries it sent. */
  finished: Promise<{ udpQueries: number; tcpQueries: number }>;
}

/**
 * Runs one probe with a resolver and cache of its own: every scrape asks afresh, so a fix shows at
 * the next scrape (as far as the resolver it asks allows), and within the probe identical questions
 * are still asked once. The rate limit, if any, is shared by all probes through `resolverOptions`.
 * At the timeout (or when `stop` is aborted: the exporter shutting down) the scrape is answered and
 * the check cancelled: its lookups and probes stop, nothing of it runs on.
 */
export function runProbe(domain: string, checkOptions: CheckOptions, resolverOptions: ResolverOptions, timeoutMs: number, stop?: AbortSignal): ProbeRun {
  const started = performance.now();
  const resolver = new Resolver({ ...resolverOptions, cache: new LookupCache() });
  const cancel = new AbortController();
  const onStop = (): void => cancel.abort(stop!.reason);
  stop?.addEventListener('abort', onStop, { once: true });
  const options: RunOptions = { ...checkOptions, resolver, signal: cancel.signal };
  const check = checkDomainTimed(domain, options);
  const timer = new AbortController();
  const timedOut = sleep(timeoutMs, undefined, { signal: timer.signal }).then((): ProbeOutcome => {
    cancel.abort(new Error(`the probe's timeout (${Math.round(timeoutMs)} ms) passed`));
    return { kind: 'timeout', elapsedMs: performance.now() - started };
  }, () => new Promise<never>(() => {}));
  const outcome = Promise.race([check.then((timed): ProbeOutcome => ({ kind: 'done', timed })), timedOut]);
  const finished = check.then(() => undefined, () => undefined).then(() => {
    timer.abort();
    stop?.removeEventListener('abort', onStop);
    const { udpQueries, tcpQueries } = resolver.stats;
    resolver.close();
    return { udpQueries, tcpQueries };
  });
  return { outcome, finished };
}

/** Milliseconds as seconds to the microsecond: more digits are only timer noise. */
function seconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

/** The probe's answer to Prometheus, in the text exposition format. */
export function probeMetrics(outcome: ProbeOutcome, queries: { udpQueries: number; tcpQueries: number } | null): string {
  const exposition = new Exposition(PROBE_METRICS);
  if (outcome.kind === 'timeout') {
    exposition.add('mxlint_probe_success', {}, 0);
    exposition.add('mxlint_probe_timed_out', {}, 1);
    for (const status of STATUSES) exposition.add('mxlint_status', { status }, status === 'unknown' ? 1 : 0);
    return exposition.render();
  }
  const { result, phases } = outcome.timed;
  exposition.add('mxlint_probe_success', {}, result.status === 'pass' || result.status === 'warn' ? 1 : 0);
  exposition.add('mxlint_probe_timed_out', {}, 0);
  for (const phase of PHASES) exposition.add('mxlint_probe_duration_seconds', { phase }, seconds(phases[phase]));
  if (queries) {
    exposition.add('mxlint_probe_dns_queries', { transport: 'udp' }, queries.udpQueries);
    exposition.add('mxlint_probe_dns_queries', { transport: 'tcp' }, queries.tcpQueries);
  }
  addResultSamples(exposition, result, {});
  return exposition.render();
}
