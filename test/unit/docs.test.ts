import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../../src/catalog/rules.js';
import { runCli } from '../../src/cli/main.js';
import { severityLabel } from '../../src/core/rule.js';
import { docsFolder, renderRuleDocs } from '../../src/catalog/rule-docs.js';

// The docs are a contract too: every rule and every flag documented, with the severity the code uses,
// and every relative link pointing at a file and heading that exist.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const readme = read('README.md');
const ruleDocs = read(join('docs', 'rules.md'));
const cliDocs = read(join('docs', 'cli.md'));
const formatDocs = read(join('docs', 'output-formats.md'));
const DOC_PAGES = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`);


const readSource = (path: string): string | null => (existsSync(join(ROOT, path)) ? read(path) : null);

test('docs/rules.md is what `npm run docs` generates from the rules (run it after changing a rule)', () => {
  assert.equal(ruleDocs, renderRuleDocs(rules, readSource));
});

test('docs/rules.md has a section per rule with its severity, RFC and fix', () => {
  for (const rule of rules) {
    const start = ruleDocs.indexOf(`### \`${rule.id}\``);
    assert.notEqual(start, -1, `docs/rules.md has no section for ${rule.id}`);
    const next = ruleDocs.indexOf('\n### ', start + 1);
    const section = ruleDocs.slice(start, next === -1 ? undefined : next);
    assert.match(section, new RegExp(`\\*\\*Severity:\\*\\* ${severityLabel(rule)} · \\*\\*RFC:\\*\\* ${rule.rfc.replace(/[.§]/g, '\\$&')}`), rule.id);
    assert.match(section, /\*\*Fix:\*\*/, `${rule.id} has a fix`);
  }
});

test('every explanation file beside the rules belongs to a rule of its folder (no orphans)', () => {
  const explained = new Set(rules.map((rule) => `${docsFolder(rule.family)}/${rule.id}.md`));
  for (const folder of new Set(rules.map((rule) => docsFolder(rule.family)))) {
    for (const file of readdirSync(join(ROOT, folder))) {
      if (file !== 'family.md') assert.ok(explained.has(`${folder}/${file}`), `${folder}/${file} explains no rule of that folder`);
    }
  }
});

/** The part of docs/cli.md under `## \`mxlint …\``, up to the next second-level heading. */
function cliSection(command: readonly string[]): string {
  const heading = `\n## \`${['mxlint', ...command].join(' ')}\``;
  const start = cliDocs.indexOf(heading);
  assert.notEqual(start, -1, `docs/cli.md has no section headed ${heading.trim()}`);
  const next = cliDocs.indexOf('\n## ', start + 1);
  return cliDocs.slice(start, next === -1 ? undefined : next);
}

for (const [command, minimum] of [[[], 10], [['serve'], 10], [['spf'], 8], [['postfix'], 10]] as const) {
  test(`docs/cli.md documents every flag of mxlint ${[...command, '--help'].join(' ')} in its section`, async () => {
    let help = '';
    const code = await runCli([...command, '--help'], { stdout: { write: (t: string) => (help += t) }, stderr: { write: () => true }, env: {} });
    assert.equal(code, 0);
    // The Options block: the usage lines of the main command name the subcommands' flags too.
    const options = help.slice(help.indexOf('\nOptions:\n'), help.includes('\nExamples:') ? help.indexOf('\nExamples:') : undefined);
    const flags = [...options.matchAll(/--([a-z][a-z-]+)/g)].map((m) => m[1]!).filter((f) => f !== 'no-color' && f !== 'no-progress');
    assert.ok(flags.length >= minimum, `found flags in --help: ${flags.join(', ')}`);
    const section = cliSection(command);
    for (const flag of new Set(flags)) {
      assert.match(section, new RegExp(`--${flag}(?![a-z-])`), `docs/cli.md (mxlint ${command.join(' ')}) does not document --${flag}`);
    }
  });
}

test('docs/output-formats.md documents every output format', async () => {
  const { FORMAT_NAMES } = await import('../../src/report/formats.js');
  for (const format of FORMAT_NAMES) {
    assert.match(formatDocs, new RegExp(`^- \\*\\*\`${format}\`\\*\\*`, 'm'), `docs/output-formats.md has no entry for --format ${format}`);
  }
});

test('README is a front page: short, with the two commands and a link to every docs page', () => {
  const bytes = Buffer.byteLength(readme);
  assert.ok(bytes <= 16 * 1024, `README.md is ${bytes} bytes; reference material belongs in docs/`);
  assert.ok(readme.includes('npm install && npm run demo'), 'README shows `npm install && npm run demo`');
  assert.ok(readme.includes('npm test'), 'README shows `npm test`');
  for (const page of DOC_PAGES) {
    assert.ok(readme.includes(`](${page})`), `README does not link to ${page}`);
  }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Markdown outside fenced code blocks, with inline code spans blanked (their text kept). */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker !== undefined && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
      lines.push('');
      continue;
    }
    lines.push(fence === null ? line : '');
  }
  return lines;
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  return anchors;
}

test('every relative link in README.md and docs/*.md points at a file and heading that exist', () => {
  const problems: string[] = [];
  for (const page of ['README.md', ...DOC_PAGES]) {
    const text = read(page);
    for (const [index, line] of prose(text).entries()) {
      const withoutCode = line.replace(/`[^`]*`/g, 'code');
      for (const m of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = m[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [path = '', fragment] = target.split('#', 2);
        const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURIComponent(path));
        const where = `${page}:${index + 1}: ${target}`;
        const fromRoot = relative(ROOT, file);
        if (fromRoot.startsWith('..')) {
          problems.push(`${where}: outside the repository`);
          continue;
        }
        if (!existsSync(file)) {
          problems.push(`${where}: no such file`);
          continue;
        }
        if (fragment === undefined || statSync(file).isDirectory() || !file.endsWith('.md')) continue;
        if (!anchorsOf(readFileSync(file, 'utf8')).has(fragment)) problems.push(`${where}: no heading with that anchor in ${fromRoot}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
