/**
 * The long zone-reader fuzz: `npm run fuzz:zone -- --iterations 200000 --seed 7`. The same mutations
 * and invariants as the bounded run in the test suite (test/zone-reader-fuzz.test.ts), as many as
 * asked; a failure prints the seed, index and mutations to replay it, and exits 1.
 */
import { parseArgs } from 'node:util';
import { fuzzZoneReader } from '../test/support/zone-fuzz.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '100000' }, seed: { type: 'string', default: String(Date.now() % 2 ** 31) } } });
const iterations = Number(values.iterations);
const seed = Number(values.seed);
if (!Number.isInteger(iterations) || iterations < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz:zone -- [--iterations N] [--seed S]\n');
  process.exit(2);
}

const REPORT_EVERY = 10_000;
const started = performance.now();
process.stdout.write(`zone reader fuzz: seed ${seed}, ${iterations} mutations\n`);
try {
  const totals = fuzzZoneReader(seed, iterations, (done) => {
    if (done % REPORT_EVERY === 0) process.stdout.write(`  ${done} done\n`);
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`ok: ${totals.iterations} files, ${totals.entries} records, ${totals.problems} problems, ${totals.findings} zone findings in ${seconds.toFixed(1)} s\n`);
} catch (error) {
  process.stderr.write(`FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
