/**
 * docs/limits.md is a contract: every row names an exported constant of the file it names, with the
 * value the code has, and every exported MAX_* constant in src/ has a row. A changed limit fails here
 * until its documentation says the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const LIMITS_DOC = readFileSync(join(ROOT, 'docs', 'limits.md'), 'utf8');
/** Numeric ranges of fields (MAX_UINT32), not limits mxlint chose or enforces on input. */
const FIELD_RANGE = /^MAX_UINT/;

interface LimitRow {
  name: string;
  value: number;
  source: string;
}

function documentedLimits(): LimitRow[] {
  return LIMITS_DOC.split('\n').flatMap((line) => {
    const match = /^\| `([A-Z0-9_]+)` \| ([^|]+) \| `(src\/[^`]+\.ts)` \| .+ \|$/.exec(line);
    return match ? [{ name: match[1]!, value: Number(match[2]!.trim()), source: match[3]! }] : [];
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

test('docs/limits.md: every row is an exported constant of its file, with the value the code has', async () => {
  const rows = documentedLimits();
  assert.ok(rows.length >= 40, `only ${rows.length} rows read from docs/limits.md`);
  assert.equal(new Set(rows.map((row) => row.name)).size, rows.length, 'each constant documented once');
  for (const row of rows) {
    const compiled = pathToFileURL(join(ROOT, 'dist', row.source.replace(/\.ts$/, '.js'))).href;
    const module = (await import(compiled)) as Record<string, unknown>;
    assert.ok(row.name in module, `${row.name} is not exported by ${row.source}`);
    assert.equal(module[row.name], row.value, `${row.name} in ${row.source}`);
  }
});

test('docs/limits.md: every exported MAX_* constant in src/ has a row naming its file', () => {
  const documented = new Map(documentedLimits().map((row) => [row.name, row.source]));
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const source = relative(ROOT, file);
    for (const [, name] of readFileSync(file, 'utf8').matchAll(/^export const (MAX_[A-Z0-9_]+) =/gm)) {
      if (FIELD_RANGE.test(name!)) continue;
      assert.equal(documented.get(name!), source, `${name} (${source}) has no row in docs/limits.md`);
    }
  }
});
