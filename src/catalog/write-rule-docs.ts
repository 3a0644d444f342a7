import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRuleDocs } from './rule-docs.js';
import { rules } from './rules.js';

/** `npm run docs`: writes docs/rules.md from the rule catalog and the explanations beside the rules. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function readSource(path: string): string | null {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return null;
  }
}

writeFileSync(join(ROOT, 'docs', 'rules.md'), renderRuleDocs(rules, readSource));
