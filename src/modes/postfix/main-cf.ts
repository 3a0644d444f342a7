/**
 * Reads a Postfix main.cf (or `postconf -n` output, which is the same syntax) the way Postfix does
 * (postconf(5), "Syntax"): `name = value` lines, a line that starts with whitespace continues the
 * one before, `#` starts a comment only at the start of a logical line, a later definition of a
 * name wins. Every parameter keeps where it was written. Nothing here throws on what a file holds:
 * what Postfix would complain about becomes a problem with its line.
 */
import type { SourceLocation } from '../../core/finding.js';

export interface MainCfParameter {
  name: string;
  /** The value as written (continuations joined with one space), not expanded. */
  value: string;
  /** Where the name was written. */
  location: SourceLocation;
}

export interface ConfigProblem {
  message: string;
  location: SourceLocation;
}

export interface MainCf {
  file: string;
  /** The file's text, for showing the lines findings point at. */
  text: string;
  /** By name; the last definition of a name. */
  parameters: ReadonlyMap<string, MainCfParameter>;
  problems: ConfigProblem[];
}

/** Postfix parameter names: letters, digits, `_` (and `-`, `.` in names of master.cf services' parameters). */
const PARAMETER_NAME = /^[A-Za-z0-9_.-]+$/;

interface LogicalLine {
  text: string;
  line: number;
}

/** Joins continuation lines onto the line they continue; comment and blank lines end nothing and are dropped. */
function logicalLines(text: string, file: string, problems: ConfigProblem[]): LogicalLine[] {
  const lines: LogicalLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) return;
    if (/^\s/.test(line)) {
      const last = lines[lines.length - 1];
      if (last === undefined) problems.push({ message: 'a continuation line (it starts with whitespace) with no parameter before it to continue', location: { file, line: index + 1, column: 1 } });
      else last.text += ` ${line.trim()}`;
      return;
    }
    lines.push({ text: line, line: index + 1 });
  });
  return lines;
}

export function parseMainCf(text: string, file: string): MainCf {
  const problems: ConfigProblem[] = [];
  const parameters = new Map<string, MainCfParameter>();
  for (const { text: line, line: number } of logicalLines(text, file, problems)) {
    const location = { file, line: number, column: 1 };
    const equals = line.indexOf('=');
    if (equals === -1) {
      problems.push({ message: `missing '=' after the parameter name: "${line.trim().slice(0, 80)}" is not a "name = value" line, so Postfix ignores it`, location });
      continue;
    }
    const name = line.slice(0, equals).trim();
    if (!PARAMETER_NAME.test(name)) {
      problems.push({ message: `"${name.slice(0, 80)}" is not a parameter name (letters, digits and _ only), so Postfix ignores the line`, location });
      continue;
    }
    parameters.set(name, { name, value: line.slice(equals + 1).trim(), location });
  }
  return { file, text, parameters, problems };
}
