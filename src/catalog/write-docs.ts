import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRuleDocs } from './rule-docs.js';
import { rules } from './rules.js';

/**
 * `npm run docs`: writes what is generated from the rule catalog — docs/rules.md (with the
 * explanations beside the rules), and the rule id and family enums of docs/result.schema.json.
 */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function readSource(path: string): string | null {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return null;
  }
}

writeFileSync(join(ROOT, 'docs', 'rules.md'), renderRuleDocs(rules, readSource));

const schemaPath = join(ROOT, 'docs', 'result.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $defs: Record<string, { enum?: string[] }> };
schema.$defs.RuleId!.enum = rules.map((rule) => rule.id);
schema.$defs.RuleFamily!.enum = [...new Set(rules.map((rule) => rule.family))];
writeFileSync(schemaPath, `${JSON.stringify(schema, null, 2)}\n`);
