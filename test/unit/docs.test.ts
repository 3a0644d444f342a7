import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../../src/modes/catalog.js';
import { runCli } from '../../src/cli/main.js';
import { severityLabel } from '../../src/core/rule.js';

// The docs are a contract too: every rule and every flag documented, with the severity the code uses.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ruleDocs = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');

test('README rule table lists every rule with its severity and RFC', () => {
  for (const rule of rules) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${rule.id}\` |`));
    assert.ok(row, `README has no row for ${rule.id}`);
    const cells = row.split('|').map((c) => c.trim());
    assert.equal(cells[2], severityLabel(rule), `README severity of ${rule.id}`);
    assert.equal(cells[4], rule.rfc, `README RFC of ${rule.id}`);
  }
});

test('docs/rules.md has a section per rule with its severity and RFC', () => {
  for (const rule of rules) {
    const start = ruleDocs.indexOf(`### \`${rule.id}\``);
    assert.notEqual(start, -1, `docs/rules.md has no section for ${rule.id}`);
    const next = ruleDocs.indexOf('\n### ', start + 1);
    const section = ruleDocs.slice(start, next === -1 ? undefined : next);
    assert.match(section, new RegExp(`\\*\\*Severity:\\*\\* ${severityLabel(rule)} · \\*\\*RFC:\\*\\* ${rule.rfc.replace(/[.§]/g, '\\$&')}`), rule.id);
    assert.match(section, /\*\*Fix:\*\*/, `${rule.id} has a fix`);
  }
});

for (const [command, minimum] of [[[], 10], [['serve'], 10], [['spf'], 8], [['postfix'], 10]] as const) {
  test(`README documents every flag of mxlint ${[...command, '--help'].join(' ')}`, async () => {
    let help = '';
    const code = await runCli([...command, '--help'], { stdout: { write: (t: string) => (help += t) }, stderr: { write: () => true }, env: {} });
    assert.equal(code, 0);
    const flags = [...help.matchAll(/--([a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== 'no-color' && f !== 'no-progress');
    assert.ok(flags.length >= minimum, `found flags in --help: ${flags.join(', ')}`);
    for (const flag of new Set(flags)) assert.match(readme, new RegExp(`--${flag}(?![a-z-])`), `README does not document --${flag}`);
  });
}

test('README documents every output format', async () => {
  const { FORMAT_NAMES } = await import('../../src/report/formats.js');
  for (const format of FORMAT_NAMES) assert.match(readme, new RegExp(`^- \\*\\*\`${format}\`\\*\\*`, 'm'), `README has no entry for --format ${format}`);
});
