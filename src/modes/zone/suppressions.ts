import type { SourceLocation } from '../../core/finding.js';
import { defineMeta, findingOf } from '../../core/rule.js';
import { RULE_SEVERITIES } from '../../core/rule-ids.js';
import type { ParsedZone } from '../../dns/zone-file/types.js';
import type { CommentSuppression } from '../../engine/judge.js';
import type { OwnedFinding } from './rules/zone-rule.js';

/**
 * Suppression comments in zone files, in ESLint's manner:
 *
 *   ; mxlint-disable-next-line RULE[, RULE…] [-- reason]   the next line
 *   ; mxlint-disable-line RULE…                             this line (after a record)
 *   ; mxlint-disable RULE…                                  from here to mxlint-enable or the end of the file
 *   ; mxlint-enable [RULE…]
 *
 * No rule: every rule. The findings they cover are reported as suppressed, never left out.
 */

export const zoneSuppressionInvalid = defineMeta({
  id: 'zone-suppression-invalid', family: 'zone', severity: 'warning', rfc: 'RFC 1035 §5.1',
  summary: 'a "; mxlint-disable…" comment names a rule mxlint does not have, or an mxlint-enable closes nothing: it suppresses nothing',
  fix: 'name rule ids as mxlint --list-rules lists them, comma-separated',
  messages: {
    unknownRule: 'The comment "{{comment}}" names {{rule}}, which is no rule id of mxlint: it suppresses nothing for it.',
    enableOfAll: {
      message: 'The comment "{{comment}}" turns {{rule}} back on inside an mxlint-disable of every rule (line {{line}}), which cannot be split.',
      fix: 'write "; mxlint-enable" with no rule, or name the rules in the mxlint-disable',
    },
  },
});

/** `; mxlint-KIND rules -- reason`, after the `;` that starts a comment. */
const DIRECTIVE = /^;\s*mxlint-(disable-next-line|disable-line|disable|enable)(?=\s|$)(.*)$/;

/** Where the comment of a line starts: its first `;` outside a quoted string, or -1. */
function commentStart(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '\\') i++;
    else if (char === '"') quoted = !quoted;
    else if (char === ';' && !quoted) return i;
  }
  return -1;
}

interface Directive {
  kind: 'disable-next-line' | 'disable-line' | 'disable' | 'enable';
  /** null: every rule. */
  rules: string[] | null;
  reason?: string;
  location: SourceLocation;
  comment: string;
}

function directivesIn(file: string, text: string): Directive[] {
  return text.split('\n').flatMap((line, index): Directive[] => {
    const start = commentStart(line);
    const match = start === -1 ? null : DIRECTIVE.exec(line.slice(start).trimEnd());
    if (match === null) return [];
    const [rulesText, ...reason] = match[2]!.split(/\s--\s?/);
    const rules = rulesText!.split(/[\s,]+/).filter((rule) => rule !== '');
    return [{
      kind: match[1] as Directive['kind'], rules: rules.length === 0 ? null : rules,
      ...(reason.length === 0 || reason.join(' -- ').trim() === '' ? {} : { reason: reason.join(' -- ').trim() }),
      location: { file, line: index + 1, column: start + 1 }, comment: line.slice(start).trim(),
    }];
  });
}

/** The suppression comments of a zone's files, as the lines they cover, and a finding for each that names a rule mxlint does not have. */
export function readSuppressionComments(zone: ParsedZone): { comments: CommentSuppression[]; findings: OwnedFinding[] } {
  const comments: CommentSuppression[] = [];
  const findings: OwnedFinding[] = [];
  const invalid = (directive: Directive, rule: string, line?: number): void => {
    findings.push({
      owner: null,
      finding: line === undefined
        ? findingOf(zoneSuppressionInvalid, 'unknownRule', { comment: directive.comment, rule }, { location: directive.location })
        : findingOf(zoneSuppressionInvalid, 'enableOfAll', { comment: directive.comment, rule, line }, { location: directive.location }),
    });
  };
  for (const [file, text] of zone.sources) {
    const open: { rules: Set<string> | null; directive: Directive }[] = [];
    const covering = (directive: Directive, rules: Set<string> | null, firstLine: number, lastLine: number): void => {
      comments.push({ file, firstLine, lastLine, rules, location: directive.location, ...(directive.reason === undefined ? {} : { reason: directive.reason }) });
    };
    for (const directive of directivesIn(file, text)) {
      const known = directive.rules?.filter((rule) => RULE_SEVERITIES.has(rule)) ?? null;
      for (const rule of directive.rules?.filter((r) => !RULE_SEVERITIES.has(r)) ?? []) invalid(directive, rule);
      if (known !== null && known.length === 0) continue;
      const rules = known === null ? null : new Set(known);
      const { line } = directive.location;
      if (directive.kind === 'disable-next-line') covering(directive, rules, line + 1, line + 1);
      else if (directive.kind === 'disable-line') covering(directive, rules, line, line);
      else if (directive.kind === 'disable') open.push({ rules, directive });
      else {
        for (const disable of [...open]) {
          const { line: from } = disable.directive.location;
          if (rules === null) {
            covering(disable.directive, disable.rules, from, line);
            open.splice(open.indexOf(disable), 1);
          } else if (disable.rules === null) {
            for (const rule of rules) invalid(directive, rule, from);
          } else {
            const ended = [...rules].filter((rule) => disable.rules!.has(rule));
            if (ended.length === 0) continue;
            covering(disable.directive, new Set(ended), from, line);
            for (const rule of ended) disable.rules.delete(rule);
            if (disable.rules.size === 0) open.splice(open.indexOf(disable), 1);
          }
        }
      }
    }
    for (const disable of open) covering(disable.directive, disable.rules, disable.directive.location.line, Infinity);
  }
  return { comments, findings };
}
