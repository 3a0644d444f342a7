import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { seededRandom } from '../support/random.js';
import { mutateZone } from '../support/zone-mutator.js';
import { FUZZ_FILE, fuzzZoneReader, invariantViolations } from '../support/zone-fuzz.js';

/** Bounded here; `npm run fuzz -- --only zone --iterations N --seed S` runs as long as wanted. */
const ITERATIONS = 3000;
const SEED = 20240101;

describe('zone reader fuzz', () => {
  it('the mutator is deterministic for a seed', () => {
    const text = '$TTL 1\n@ SOA ns1 host 1 2 3 4 5\nwww A 192.0.2.1\n';
    const first = mutateZone(text, seededRandom(7));
    const again = mutateZone(text, seededRandom(7));
    const other = mutateZone(text, seededRandom(8));
    assert.deepEqual(again, first);
    assert.notDeepEqual(other.operations, first.operations);
  });

  it('the invariant check catches a location outside the file', () => {
    const zone = readZoneText('$TTL 1\nwww A 192.0.2.1\n', { file: FUZZ_FILE, origin: 'example.com' });
    assert.deepEqual(invariantViolations(zone), []);
    const misplaced = { ...zone, entries: [{ ...zone.entries[0]!, location: { file: FUZZ_FILE, line: 9, column: 1 } }] };
    assert.deepEqual(invariantViolations(misplaced), ['entry www.example.com: line 9 of 3']);
  });

  it(`reads ${ITERATIONS} mutated zone files without throwing, every location inside its file, the zone rules run`, () => {
    const started = Date.now();
    const totals = fuzzZoneReader(SEED, ITERATIONS);
    // The mutations must both break files and leave records readable, or the run tests little.
    assert.ok(totals.problems > ITERATIONS / 2, `only ${totals.problems} problems in ${ITERATIONS} mutations`);
    assert.ok(totals.entries > ITERATIONS * 5, `only ${totals.entries} records in ${ITERATIONS} mutations`);
    // A guard against a blow-up, not a speed test: about 5 s on an idle machine, so 120 s
    // holds on one many times slower and still catches a path that blows up.
    assert.ok(Date.now() - started < 120_000, 'the bounded run takes seconds; much longer means a quadratic path in the reader');
  });
});
