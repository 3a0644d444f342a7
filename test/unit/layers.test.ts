/**
 * The shape of src/ holds: no import cycle (type-only imports included), no import from a layer
 * above, no family importing another, no mode importing another, no test code (dependency-cruiser
 * with the rules of .dependency-cruiser.cjs; `npm run lint:deps` runs the same from the shell).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cruise } from 'dependency-cruiser';
import type { ICruiseResult } from 'dependency-cruiser';
import { REPO_ROOT } from '../support/e2e.js';

test('src/ has no import cycle and no import against its layers (dependency-cruiser)', async () => {
  process.chdir(REPO_ROOT);
  const config = createRequire(import.meta.url)(`${REPO_ROOT}/.dependency-cruiser.cjs`) as { forbidden: unknown[]; options: Record<string, unknown> };
  const result = await cruise(['src'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true } as never);
  const output = result.output as ICruiseResult;
  assert.ok(output.summary.totalCruised > 200, `only ${output.summary.totalCruised} modules cruised`);
  const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`);
  assert.deepEqual(violations, []);
});
