import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readZoneText } from '../src/zone/reader.js';
import { MAX_TTL } from '../src/zone/ttl.js';
import type { ParsedZone, SourceLocation } from '../src/zone/types.js';
import { mutateZone, zoneMutations } from './support/zone-mutator.js';
import { seededRandom } from '../src/testing/random.js';

const FIXTURES = new URL('../../test/fixtures/zones-reader/', import.meta.url);
const SEED_FILES = ['bind/tricky.example.com.zone', 'bind/include.example.org.zone', 'bind/db.2.0.192.in-addr.arpa', 'include-main.zone'];
const SEED_TEXTS = SEED_FILES.map((file) => readFileSync(fileURLToPath(new URL(file, FIXTURES)), 'utf8'));
const INCLUDED = readFileSync(fileURLToPath(new URL('bind/inc/mail.inc', FIXTURES)), 'utf8');

const FUZZ_FILE = 'fuzz.zone';
const ITERATIONS = 3000;
const SEED = 20240101;

/** Why a location does not point into the text it names, or null when it does. */
function locationProblem(location: SourceLocation, zone: ParsedZone): string | null {
  const source = zone.sources.get(location.file);
  if (source === undefined) return `file ${location.file} is not among the sources`;
  const lines = source.split('\n');
  if (!Number.isInteger(location.line) || location.line < 1 || location.line > lines.length) return `line ${location.line} of ${lines.length}`;
  const lineLength = lines[location.line - 1]!.length;
  if (!Number.isInteger(location.column) || location.column < 1 || location.column > lineLength + 1) return `column ${location.column} of a ${lineLength}-character line`;
  return null;
}

/** Checks what any reading must satisfy, whatever the input; returns what is wrong. */
function invariantViolations(zone: ParsedZone): string[] {
  const wrong: string[] = [];
  for (const problem of zone.problems) {
    const where = locationProblem(problem.location, zone);
    if (where !== null) wrong.push(`problem "${problem.message}": ${where}`);
  }
  for (const entry of zone.entries) {
    const where = locationProblem(entry.location, zone);
    if (where !== null) wrong.push(`entry ${entry.record.name}: ${where}`);
    if (/[A-Z]/.test(entry.record.name) || (entry.record.name !== '.' && entry.record.name.endsWith('.') && !entry.record.name.endsWith('\\.'))) {
      wrong.push(`entry name ${entry.record.name} is not canonical`);
    }
    if (!Number.isInteger(entry.record.ttl) || entry.record.ttl < 0 || entry.record.ttl > MAX_TTL) wrong.push(`entry TTL ${entry.record.ttl}`);
  }
  return wrong;
}

describe('zone reader fuzz', () => {
  it('the mutator is deterministic for a seed', () => {
    const first = mutateZone(SEED_TEXTS[0]!, seededRandom(7));
    const again = mutateZone(SEED_TEXTS[0]!, seededRandom(7));
    const other = mutateZone(SEED_TEXTS[0]!, seededRandom(8));
    assert.deepEqual(again, first);
    assert.notDeepEqual(other.operations, first.operations);
  });

  it('the invariant check catches a location outside the file', () => {
    const zone = readZoneText('$TTL 1\nwww A 192.0.2.1\n', { file: FUZZ_FILE, origin: 'example.com' });
    assert.deepEqual(invariantViolations(zone), []);
    zone.entries[0]!.location = { file: FUZZ_FILE, line: 9, column: 1 };
    assert.deepEqual(invariantViolations(zone), ['entry www.example.com: line 9 of 3']);
  });

  it(`reads ${ITERATIONS} mutated zone files without throwing, every location inside its file`, () => {
    const started = Date.now();
    let problems = 0;
    let entries = 0;
    for (const mutation of zoneMutations(SEED_TEXTS, { seed: SEED, iterations: ITERATIONS, options: { includeTargets: [FUZZ_FILE, 'inc/mail.inc', 'missing.inc'] } })) {
      const loadFile = (path: string) => {
        if (path === FUZZ_FILE) return mutation.text;
        if (path === 'inc/mail.inc') return INCLUDED;
        throw new Error('no such file');
      };
      const replay = `seed ${SEED}, mutation ${mutation.index} of seed file ${SEED_FILES[mutation.seedText]}: ${mutation.operations.join(', ')}`;
      let zone: ParsedZone;
      try {
        zone = readZoneText(mutation.text, { file: FUZZ_FILE, origin: mutation.index % 3 === 0 ? undefined : 'example.com', loadFile });
      } catch (error) {
        assert.fail(`readZoneText threw on ${replay}: ${String(error)}`);
      }
      assert.deepEqual(invariantViolations(zone), [], replay);
      assert.ok(!zone.problems.some((problem) => problem.message.startsWith('mxlint failed')), `reader bug on ${replay}: ${zone.problems.find((p) => p.message.startsWith('mxlint failed'))?.message}`);
      problems += zone.problems.length;
      entries += zone.entries.length;
    }
    // The mutations must both break files and leave records readable, or the run tests little.
    assert.ok(problems > ITERATIONS / 2, `only ${problems} problems in ${ITERATIONS} mutations`);
    assert.ok(entries > ITERATIONS * 5, `only ${entries} records in ${ITERATIONS} mutations`);
    assert.ok(Date.now() - started < 30_000, 'the bounded run takes seconds; much longer means a quadratic path in the reader');
  });
});
