/**
 * Load, scaled down (`npm run load` runs the full sizes): a bulk run of the real CLI with 5% of the
 * domains answered by a faulty server loses and duplicates nothing and gets every verdict right, and
 * `mxlint serve` under a burst of concurrent probes refuses what it cannot take with 429 and keeps
 * answering /healthz. Memory is reported, not timed; the full run's figures are in docs/reliability.md.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runFaultyBulk } from '../support/faulty-bulk.js';
import { runServeBurst } from '../support/serve-burst.js';

/** This suite's loopback addresses (issue 6's block). */
const BULK_HOST = '127.0.10.3';
const SERVE_HOST = '127.0.10.4';

describe('load', () => {
  it('5,000 domains in bulk, 5% with a faulty MX lookup: each reported once, the faulty ones unknown, the rest as built', { timeout: 300_000 }, async () => {
    const report = await runFaultyBulk({ domains: 5000, host: BULK_HOST, cliArgs: ['--timeout', '2000', '--retries', '1', '--concurrency', '256'] });
    assert.deepEqual(report.lost, []);
    assert.deepEqual(report.duplicated, []);
    assert.deepEqual(report.wrong.slice(0, 10), []);
    assert.equal(report.results, report.domains);
    assert.ok(report.faulty > 150 && report.faulty < 350, `${report.faulty} faulty domains`);
    assert.ok(Object.values(report.faultsServed).every((n) => n > 0), JSON.stringify(report.faultsServed));
    // The worst verdict: the world has failing domains, and fail outranks unknown.
    assert.equal(report.exitCode, 2, report.stderr);
    assert.ok(report.peakRssMb > 0);
  });

  it('mxlint serve: a burst of 300 probes over --max-probes 8 gets 200s and 429s only, /healthz answers throughout, the process lives', { timeout: 120_000 }, async () => {
    const report = await runServeBurst({ host: SERVE_HOST, requests: 300, maxProbes: 8, dnsDelayMs: 300 });
    assert.deepEqual(report.errors, []);
    assert.deepEqual(Object.keys(report.byStatus).sort(), ['200', '429']);
    assert.equal(report.byStatus[200]! + report.byStatus[429]!, 300);
    assert.ok(report.byStatus[429]! > 0, 'the burst went over capacity');
    assert.equal(report.healthFailures, 0, `${report.healthFailures} of ${report.healthChecks} /healthz requests failed`);
    assert.ok(report.alive);
  });
});
