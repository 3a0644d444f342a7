/**
 * A big zone reviewed offline by the built CLI, as a user runs it: V8 would let the heap of a review
 * grow to several times the zone it holds before collecting, so the CLI sets the heap's growth for
 * zone mode itself (DEFAULT_ZONE_HEAP_GROWING_PERCENT). The same run with V8's own growth (node
 * given `--heap-growing-percent=0`, which the CLI leaves alone) is the comparison: the review must
 * peak well below it, with the same verdict. Peak memory is measured in the child, as the benchmark
 * measures it; docs/performance.md#zone-files has the figures at a million records.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchZone } from '../../bench/generate-zone.js';
import { CLI_PATH } from '../support/e2e.js';
import { measure } from '../support/measure.js';

/** Enough records for V8's own growth to show: at 100,000 it peaked some 60 MB above the CLI's. */
const RECORDS = 100_000;
/** Far less than the difference measured, far more than the spread of one run's peak. */
const MARGIN_MB = 25;
/** Far above what the run takes on a busy machine: a run that needs it hangs. */
const RUN_TIMEOUT_MS = 300_000;

let dir: string;
let zone: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxlint-zone-memory-'));
  zone = join(dir, 'bench-zone.example.zone');
  await writeBenchZone(RECORDS, zone);
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a big zone reviewed offline: memory', () => {
  it(`the CLI's heap growth keeps the peak at least ${MARGIN_MB} MB below V8's own, with the same verdict`, async () => {
    const args = ['--zone', zone, '--offline', '--max-zone-records', String(RECORDS), '--checks', 'mx', '--format', 'jsonl'];
    const cli = await measure(CLI_PATH, args, { timeoutMs: RUN_TIMEOUT_MS });
    const v8 = await measure(CLI_PATH, args, { timeoutMs: RUN_TIMEOUT_MS, nodeArgs: ['--heap-growing-percent=0'] });
    // 2: the zone's broken exchanges fail their owners.
    assert.deepEqual([cli.exitCode, v8.exitCode], [2, 2], `${cli.stderr}${v8.stderr}`);
    assert.ok(!Number.isNaN(cli.peakRssMb) && !Number.isNaN(v8.peakRssMb));
    assert.ok(cli.peakRssMb < v8.peakRssMb - MARGIN_MB, `peak RSS ${Math.round(cli.peakRssMb)} MB, with V8's own growth ${Math.round(v8.peakRssMb)} MB`);
  });
});
