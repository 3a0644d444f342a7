import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainResult } from '../../src/index.js';
import type { CliResult } from './e2e.js';

/** The zone files of a fixture folder by zone name ("good.test.zone" → "good.test"), for startNsd. */
export function readZoneFixtures(folder: string): Record<string, string> {
  return Object.fromEntries(readdirSync(folder).filter((f) => f.endsWith('.zone'))
    .map((f) => [f.slice(0, -'.zone'.length), readFileSync(join(folder, f), 'utf8')]));
}

/** The results of a `--format json` run, after making sure it ended without an internal error. */
export function jsonResults(run: CliResult): DomainResult[] {
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, run.stderr);
  try {
    return JSON.parse(run.stdout) as DomainResult[];
  } catch {
    return assert.fail(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}
