/**
 * The zone-reader fuzz, shared by the bounded run in the test suite and the long run in bench/:
 * seeded mutations of real fixture files read with readZoneText, every reading held to invariants
 * that must hold for any input, and the zone rules run over it, each finding placed on a line.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ServedData } from '../../src/dns/zone-data/served-data.js';
import { readerFindings, zoneRules, type OwnedFinding } from '../../src/modes/zone/rules/index.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import type { FileText } from '../../src/core/files.js';
import { MAX_TTL } from '../../src/dns/zone-file/ttl.js';
import type { ParsedZone } from '../../src/dns/zone-file/types.js';
import type { SourceLocation } from '../../src/core/finding.js';
import { zoneMutations } from './zone-mutator.js';

const FIXTURES = new URL('../../../test/fixtures/zones-reader/', import.meta.url);
export const SEED_FILES = ['bind/tricky.example.com.zone', 'bind/include.example.org.zone', 'bind/db.2.0.192.in-addr.arpa', 'include-main.zone'];
const SEED_TEXTS = SEED_FILES.map((file) => readFileSync(fileURLToPath(new URL(file, FIXTURES)), 'utf8'));
const INCLUDED = readFileSync(fileURLToPath(new URL('bind/inc/mail.inc', FIXTURES)), 'utf8');
export const FUZZ_FILE = 'fuzz.zone';

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

/** What any reading must satisfy, whatever the input; returns what is wrong. */
export function invariantViolations(zone: ParsedZone): string[] {
  const wrong: string[] = [];
  for (const problem of zone.problems) {
    const where = locationProblem(problem.location, zone);
    if (where !== null) wrong.push(`problem "${problem.message}": ${where}`);
    if (problem.message.startsWith('mxlint failed')) wrong.push(`reader bug: ${problem.message}`);
  }
  for (const entry of zone.entries) {
    for (const location of [entry.location, entry.dataLocation]) {
      const where = locationProblem(location, zone);
      if (where !== null) wrong.push(`entry ${entry.record.name}: ${where}`);
    }
    if (/[A-Z]/.test(entry.record.name) || (entry.record.name !== '.' && entry.record.name.endsWith('.') && !entry.record.name.endsWith('\\.'))) {
      wrong.push(`entry name ${entry.record.name} is not canonical`);
    }
    if (!Number.isInteger(entry.record.ttl) || entry.record.ttl < 0 || entry.record.ttl > MAX_TTL) wrong.push(`entry TTL ${entry.record.ttl}`);
  }
  return wrong;
}

/** Every finding of the zone rules must point at a line of the files read. */
function findingsWithoutPlace(findings: readonly OwnedFinding[], zone: ParsedZone): string[] {
  return findings.flatMap(({ finding }) => {
    if (finding.location === undefined) return [`finding ${finding.rule} has no location`];
    const where = locationProblem(finding.location, zone);
    return where === null ? [] : [`finding ${finding.rule}: ${where}`];
  });
}

export interface FuzzTotals {
  iterations: number;
  problems: number;
  entries: number;
  findings: number;
}

/**
 * Reads `iterations` mutated files from `seed` and runs the zone rules on each; throws with the seed,
 * the index and the mutations (enough to replay it) at the first reading that throws or breaks an
 * invariant.
 */
export function fuzzZoneReader(seed: number, iterations: number, progress?: (done: number) => void): FuzzTotals {
  const totals: FuzzTotals = { iterations, problems: 0, entries: 0, findings: 0 };
  for (const mutation of zoneMutations(SEED_TEXTS, { seed, iterations, options: { includeTargets: [FUZZ_FILE, 'inc/mail.inc', 'missing.inc'] } })) {
    const loadFile = (path: string): FileText => {
      if (path === FUZZ_FILE) return { text: mutation.text, identity: path };
      if (path === 'inc/mail.inc') return { text: INCLUDED, identity: path };
      throw new Error('no such file');
    };
    const replay = `seed ${seed}, mutation ${mutation.index} of seed file ${SEED_FILES[mutation.seedText]}: ${mutation.operations.join(', ')}`;
    let zone: ParsedZone;
    let findings: OwnedFinding[];
    try {
      zone = readZoneText(mutation.text, { file: FUZZ_FILE, origin: mutation.index % 3 === 0 ? undefined : 'example.com', loadFile });
      const served = new ServedData(zone.records, [zone.origin]);
      findings = [...readerFindings(zone), ...zoneRules.flatMap((rule) => rule.check({ zone, served, first: 0 }))];
    } catch (error) {
      throw new Error(`threw on ${replay}: ${error instanceof Error ? error.stack : String(error)}`);
    }
    const wrong = [...invariantViolations(zone), ...findingsWithoutPlace(findings, zone)];
    if (wrong.length > 0) throw new Error(`${wrong.join('; ')} on ${replay}`);
    totals.problems += zone.problems.length;
    totals.entries += zone.entries.length;
    totals.findings += findings.length;
    progress?.(mutation.index + 1);
  }
  return totals;
}
