/**
 * What `npm pack` would publish: the built library and CLI, the docs and the examples — no test
 * code, no fixtures, no benchmark, and nothing built from a source file that no longer exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/e2e.js';

test('npm pack --dry-run holds no test code, and every built module has its source', () => {
  // --ignore-scripts: packing would run `prepare` (a build), which must not happen under a running test.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  assert.ok(files.includes('bin/mxlint.js') && files.includes('dist/src/index.js') && files.includes('docs/rules.md'), 'the CLI, the library and the docs are packed');
  assert.deepEqual(files.filter((path) => /^(test|bench|dist\/test|dist\/bench)\//.test(path) || /\.test\.(js|ts)$/.test(path)), [], 'test code in the package');
  const orphans = files.filter((path) => path.startsWith('dist/src/') && path.endsWith('.js'))
    .filter((path) => !existsSync(join(REPO_ROOT, path.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
  assert.deepEqual(orphans, [], 'built modules without a source file (a stale dist/)');
});
