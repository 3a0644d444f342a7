/**
 * The full load run: `npm run load -- [--domains N] [--requests N]`.
 *
 * bulk:  `mxlint -f` (the real CLI) over N domains (default 100,000), 5% with an MX lookup answered
 *        SERVFAIL, with garbage or not at all; the same at a tenth of the size first, so that the
 *        two peak RSS figures show whether memory grows with the list.
 * serve: `mxlint serve` (default --max-probes) under N concurrent /probe requests (default 1,000).
 *
 * The scaled-down versions run in npm test (test/e2e/load.test.ts). Exit 0 when everything held, 1 if not.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_PROBES } from '../src/serve/limits.js';
import { runFaultyBulk, type FaultyBulkReport } from '../test/support/faulty-bulk.js';
import { runServeBurst } from '../test/support/serve-burst.js';

/** Issue 6's loopback block; the test suite uses .3 and .4, so both may run at once. */
const BULK_HOST = '127.0.10.5';
const SERVE_HOST = '127.0.10.6';
const CLI_ARGS = ['--timeout', '500', '--retries', '1', '--concurrency', '256'];
const SMALL_SHARE = 10;

const { values } = parseArgs({ options: { domains: { type: 'string', default: '100000' }, requests: { type: 'string', default: '1000' } } });
const domains = Number(values.domains);
const requests = Number(values.requests);
if (!Number.isInteger(domains) || domains < SMALL_SHARE || !Number.isInteger(requests) || requests < 1) {
  process.stderr.write('usage: npm run load -- [--domains N] [--requests N]\n');
  process.exit(2);
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);
let failures = 0;
const check = (ok: boolean, what: string): void => {
  if (!ok) failures++;
  log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
};

function bulkSummary(report: FaultyBulkReport): string {
  const served = Object.entries(report.faultsServed).map(([fault, n]) => `${fault} ${n}`).join(', ');
  return `${report.domains} domains (${report.faulty} faulty: ${served} answers), ${report.results} results in ${report.seconds.toFixed(1)} s, ${report.queries} queries, peak RSS ${Math.round(report.peakRssMb)} MB`;
}

function checkBulk(report: FaultyBulkReport): void {
  check(report.results === report.domains, `${report.results} results for ${report.domains} domains`);
  check(report.lost.length === 0, `lost: ${report.lost.length}${report.lost.length ? ` (${report.lost.slice(0, 5).join(', ')} …)` : ''}`);
  check(report.duplicated.length === 0, `duplicated: ${report.duplicated.length}`);
  check(report.wrong.length === 0, `wrong verdicts: ${report.wrong.length}${report.wrong.length ? ` (${report.wrong.slice(0, 5).join('; ')} …)` : ''}`);
}

const small = Math.floor(domains / SMALL_SHARE);
log(`bulk: ${small} domains, then ${domains}, 5% faulty, mxlint ${CLI_ARGS.join(' ')}`);
const smallRun = await runFaultyBulk({ domains: small, host: BULK_HOST, cliArgs: CLI_ARGS });
log(`  ${bulkSummary(smallRun)}`);
checkBulk(smallRun);
const fullRun = await runFaultyBulk({ domains, host: BULK_HOST, cliArgs: CLI_ARGS });
log(`  ${bulkSummary(fullRun)}`);
checkBulk(fullRun);
log(`  memory: peak RSS ${Math.round(smallRun.peakRssMb)} MB for ${small} domains, ${Math.round(fullRun.peakRssMb)} MB for ${domains}`);

log(`serve: ${requests} concurrent probes, --max-probes ${DEFAULT_MAX_PROBES}, DNS answering each MX after 500 ms`);
const burst = await runServeBurst({ host: SERVE_HOST, requests, maxProbes: DEFAULT_MAX_PROBES, dnsDelayMs: 500 });
const statuses = Object.entries(burst.byStatus).map(([status, n]) => `${n}× ${status}`).join(', ');
log(`  ${statuses} in ${burst.seconds.toFixed(1)} s; /healthz ${burst.healthChecks - burst.healthFailures}/${burst.healthChecks} ok; RSS ${Math.round(burst.rssBeforeMb)} MB before, peak ${Math.round(burst.peakRssMb)} MB`);
check(burst.errors.length === 0, `requests without an HTTP answer: ${burst.errors.length}${burst.errors.length ? ` (${burst.errors.slice(0, 3).join('; ')})` : ''}`);
check(Object.keys(burst.byStatus).every((s) => s === '200' || s === '429'), 'only 200 and 429');
check((burst.byStatus[429] ?? 0) > 0, 'over capacity: 429s');
check(burst.healthFailures === 0, '/healthz answered every time');
check(burst.alive, 'the exporter is still running');

log(failures === 0 ? 'load: everything held' : `load: ${failures} checks failed`);
process.exit(failures === 0 ? 0 : 1);
