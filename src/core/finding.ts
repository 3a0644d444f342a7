/**
 * `unknown` is a severity of its own: the check could not be completed (a lookup failed, the input
 * was not a domain). It is never folded into pass or into "missing".
 */
export type Severity = 'error' | 'warning' | 'unknown' | 'info';

export type Status = 'pass' | 'warn' | 'fail' | 'unknown';

/** Where something was written: 1-based line and column (in characters; a tab is one), file as given to the reader. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** What a rule found. `Id` narrows `rule` to the rule ids of the catalog in the library's public types. */
export interface Finding<Id extends string = string> {
  rule: Id;
  /** Which of the rule's messages this is (its `meta.messages` key): stable, unlike the text. */
  messageId: string;
  severity: Severity;
  /** What was found, with the names and records concerned. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** e.g. "RFC 2181 §10.3". */
  rfc: string;
  /** The name concerned (an exchange; for SPF, an included domain): lower-case, no trailing dot. */
  target?: string;
  /** Where the record was written, for findings on zone files and main.cf. */
  location?: SourceLocation;
  /**
   * What many checked names can share, when the finding is about it: a DMARC record that names
   * below it inherit, an exchange that serves several domains, a name left unasked. `own`: the
   * record is the checked name's own. In a run over many names such a finding is reported once.
   */
  shared?: SharedSubject;
  /** Reported but accepted: a suppression comment in the zone file, or an ignore setting. It does not count toward the status. */
  suppressed?: Suppression;
  /** With a baseline (an earlier run's results): whether the earlier run had this finding. Only new ones count toward the status. */
  baseline?: BaselineState;
}

/** The record or host a finding is about, by its name; `own` when it belongs to the name checked. */
export interface SharedSubject {
  name: string;
  own: boolean;
}

/**
 * Why a finding does not count: a `; mxlint-disable…` comment in the zone file (where it is
 * written), or an ignore setting (`--ignore RULE[@TARGET]`, the config file, the library's `ignore`).
 */
export type Suppression =
  | { by: 'comment'; location: SourceLocation; reason?: string }
  | { by: 'ignore'; entry: string; reason?: string };

/** A finding the baseline has too (`unchanged`), or not (`new`); the baseline's findings this run did not find are listed as `absent`. */
export type BaselineState = 'new' | 'unchanged';

/** Whether a finding weighs in the status and the exit code: not suppressed, and not already in the baseline. */
export function counts(finding: Finding): boolean {
  return finding.suppressed === undefined && finding.baseline !== 'unchanged';
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, unknown: 1, warning: 2, info: 3 };

/** Most severe first: error, unknown, warning, info. */
export function compareSeverities(a: Severity, b: Severity): number {
  return SEVERITY_ORDER[a] - SEVERITY_ORDER[b];
}

/** By severity (error, unknown, warning, info), then rule id, then target, then place in a file. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareSeverities(a.severity, b.severity)
    || compareText(a.rule, b.rule)
    || compareText(a.target ?? '', b.target ?? '')
    || compareLocations(a.location, b.location);
}

function compareLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) return 0;
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** Code-unit order, the same on every machine whatever its locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
