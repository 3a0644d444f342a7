import type { MessageSpec, RuleMeta } from '../core/rule.js';
import { severityLabel } from '../core/rule.js';
import { CHECK_FAMILY_NAMES } from '../families/index.js';

/**
 * docs/rules.md, generated: every rule's metadata and messages, with the longer explanation kept
 * beside the rule (`docs/RULE-ID.md` in its family's or mode's folder) and each family's introduction
 * (`docs/family.md` there). Nothing about a rule is written by hand twice.
 */

/** Reads a file of the source tree (a path under src/), or null when there is none. */
export type SourceReader = (path: string) => string | null;

/** The source folder whose docs/ explain a family's rules: a check family's folder, the profiles' (family `profile`), or a mode's. */
export function docsFolder(family: string): string {
  if (family === 'profile') return 'src/engine/profiles/docs';
  return (CHECK_FAMILY_NAMES as readonly string[]).includes(family) ? `src/families/${family}/docs` : `src/modes/${family}/docs`;
}

/** A template as the docs show it: placeholders as ‹name›. */
function shownTemplate(template: string): string {
  return template.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, '‹$1›');
}

function messageLine(id: string, spec: MessageSpec): string {
  if (typeof spec === 'string') return `  - \`${id}\`: ${shownTemplate(spec)}`;
  return `  - \`${id}\`: ${shownTemplate(spec.message)} *Fix:* ${shownTemplate(spec.fix)}.`;
}

function sentence(text: string): string {
  return `${text[0]!.toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

function ruleSection(meta: RuleMeta, explanation: string | null): string {
  const messages = Object.entries(meta.messages);
  return [
    `### \`${meta.id}\``,
    sentence(meta.summary),
    '',
    `- **Severity:** ${severityLabel(meta)} · **RFC:** ${meta.rfc}`,
    ...(meta.severities ? Object.entries(meta.severities).map(([severity, when]) => `  - ${severity}: ${when}`) : []),
    ...(explanation === null ? [] : [explanation.trimEnd()]),
    `- **Fix:** ${sentence(meta.fix)}`,
    ...(messages.length === 0 ? [] : ['- **Messages** (`messageId`: text):', ...messages.map(([id, spec]) => messageLine(id, spec))]),
    '',
  ].join('\n');
}

export function renderRuleDocs(rules: readonly RuleMeta[], read: SourceReader): string {
  const intro = read('src/catalog/docs/intro.md');
  if (intro === null) throw new Error('src/catalog/docs/intro.md is missing');
  const families = [...new Set(rules.map((meta) => meta.family))];
  const parts = [intro.trimEnd(), ''];
  for (const family of families) {
    const folder = docsFolder(family);
    const introduction = read(`${folder}/family.md`);
    if (introduction === null) throw new Error(`${folder}/family.md is missing: every family introduces its rules`);
    parts.push(introduction.trimEnd(), '');
    for (const meta of rules.filter((m) => m.family === family)) parts.push(ruleSection(meta, read(`${folder}/${meta.id}.md`)));
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
