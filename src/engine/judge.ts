import { compareFindings } from '../core/finding.js';
import type { Finding, SourceLocation, Suppression } from '../core/finding.js';
import type { CheckOptions } from '../core/options.js';
import type { ProfileName, RuleLevel } from '../core/settings.js';
import { statusOf } from '../core/status.js';
import { isSubdomainOf } from '../dns/name.js';
import { isReverseName } from '../dns/reverse.js';
import { PROFILES } from './profiles/index.js';
import type { DomainResult } from './result.js';
import { readDomainScope, readIgnoreEntries } from './validate-settings.js';
import type { DomainScope, IgnoreEntry } from './validate-settings.js';

/**
 * The one place findings are judged, for every mode and every reporter: after the rules, before the
 * result. A rule's level (the most specific setting that names it: a domain's over a suffix's over
 * the run's over the profile's), `off` leaving its findings out; suppression by a zone-file comment
 * or an ignore entry (reported, not dropped); and, with a baseline, whether each finding is new.
 * The status counts only findings that are neither suppressed nor unchanged.
 */

/** Settings of one scope: the run's, or those of a domain or suffix (`domains`). */
interface Layer {
  profile?: ProfileName;
  levels: ReadonlyMap<string, RuleLevel>;
  ignores: readonly IgnoreEntry[];
}

interface ScopedLayer extends Layer {
  scope: DomainScope;
}

/** A finding's identity between runs: its domain, rule and target, and in zone mode its zone file; not its line or text. */
type BaselineIndex = ReadonlyMap<string, readonly Finding[]>;

/** The run's settings read once: the layers, and the baseline indexed by name. */
interface RunJudgement {
  run: Layer;
  /** The run's layer alone: the layers of every name when no domain setting applies to it. */
  runOnly: readonly Layer[];
  /** Least specific first: suffixes by length, then names. */
  scoped: readonly ScopedLayer[];
  baseline: BaselineIndex | null;
}

/** A `; mxlint-disable…` comment of a zone file, as the lines it covers. */
export interface CommentSuppression {
  file: string;
  firstLine: number;
  /** Infinity: to the end of the file. */
  lastLine: number;
  /** null: every rule. */
  rules: ReadonlySet<string> | null;
  /** The comment itself. */
  location: SourceLocation;
  reason?: string;
}

/** What the judge needs to know of one result beyond its findings. */
export interface JudgeScope {
  /** Zone mode: the zone file the name was checked from (a finding's identity in a baseline includes it) and its suppression comments. */
  zone?: { file: string; comments: readonly CommentSuppression[] };
  /** Zone mode, the apex: names of the zone that the baseline has findings for and that have no result now; theirs are absent here. */
  absentNames?: readonly string[];
}

function layerOf(settings: { profile?: ProfileName; rules?: Readonly<Record<string, RuleLevel>>; ignore?: CheckOptions['ignore'] }, name: string): Layer {
  return {
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
    levels: new Map(Object.entries(settings.rules ?? {})),
    ignores: readIgnoreEntries(settings.ignore, name),
  };
}

function specificity(scope: DomainScope): number {
  return scope.name.split('.').length * 2 + (scope.kind === 'name' ? 1 : 0);
}

function baselineKey(domain: string, file: string | undefined): string {
  return JSON.stringify([file ?? null, domain]);
}

function indexBaseline(options: CheckOptions): BaselineIndex | null {
  if (options.baseline === undefined) return null;
  const index = new Map<string, Finding[]>();
  for (const result of options.baseline) {
    const key = baselineKey(result.domain ?? result.input, result.zone?.file);
    index.set(key, [...(index.get(key) ?? []), ...result.findings]);
  }
  return index;
}

const judgements = new WeakMap<CheckOptions, RunJudgement>();

/** The run's settings, read once per options object (a run passes the same one for every name). */
function runJudgement(options: CheckOptions): RunJudgement {
  let judgement = judgements.get(options);
  if (judgement === undefined) {
    const scoped = Object.entries(options.domains ?? {})
      .map(([key, settings]) => ({ scope: readDomainScope(key, 'domains'), ...layerOf(settings, `domains["${key}"]`) }))
      .sort((a, b) => specificity(a.scope) - specificity(b.scope));
    const run = layerOf(options, 'ignore');
    judgement = { run, runOnly: [run], scoped, baseline: indexBaseline(options) };
    judgements.set(options, judgement);
  }
  return judgement;
}

function inScope(scope: DomainScope, domain: string): boolean {
  return scope.kind === 'name' ? domain === scope.name : domain !== scope.name && isSubdomainOf(domain, scope.name);
}

/** The layers that apply to a name, most specific first; the run's last. */
function layersFor(judgement: RunJudgement, domain: string | null): readonly Layer[] {
  const scoped = domain === null ? [] : judgement.scoped.filter((layer) => inScope(layer.scope, domain));
  return scoped.length === 0 ? judgement.runOnly : [...scoped.reverse(), judgement.run];
}

/**
 * The profile a name is judged by: one a domain or suffix setting names; else `reverse` for a name
 * under in-addr.arpa or ip6.arpa; else the run's; else what the mode sees in the data (`guess`:
 * zone mode's, `none` for a zone apex with no mail records at all); else `receiving`. Null: no mail
 * profile (the families do not run).
 */
export function profileFor(domain: string, options: CheckOptions, guess?: ProfileName | 'none'): ProfileName | null {
  const judgement = runJudgement(options);
  const named = layersFor(judgement, domain).slice(0, -1).find((layer) => layer.profile !== undefined)?.profile;
  if (named !== undefined) return named;
  if (isReverseName(domain)) return 'reverse';
  const chosen = judgement.run.profile ?? guess ?? 'receiving';
  return chosen === 'none' ? null : chosen;
}

function levelOf(rule: string, layers: readonly Layer[], profile: ProfileName | null): RuleLevel | undefined {
  for (const layer of layers) {
    const level = layer.levels.get(rule);
    if (level !== undefined) return level;
  }
  return profile === null ? undefined : PROFILES[profile].levels[rule];
}

function commentSuppression(finding: Finding, comments: readonly CommentSuppression[]): Suppression | undefined {
  const { location } = finding;
  if (location === undefined) return undefined;
  const comment = comments.find((c) => c.file === location.file && location.line >= c.firstLine && location.line <= c.lastLine
    && (c.rules === null || c.rules.has(finding.rule)));
  return comment && { by: 'comment', location: comment.location, ...(comment.reason === undefined ? {} : { reason: comment.reason }) };
}

function ignoreSuppression(finding: Finding, layers: readonly Layer[]): Suppression | undefined {
  for (const layer of layers) {
    const entry = layer.ignores.find((e) => e.rule === finding.rule && (e.target === undefined || e.target === finding.target));
    if (entry) return { by: 'ignore', entry: entry.text, ...(entry.reason === undefined ? {} : { reason: entry.reason }) };
  }
  return undefined;
}

/** A finding after its level: undefined when the level is off; `unknown` stays unknown (a level does not turn "could not check" into a verdict). */
function leveled(finding: Finding, level: RuleLevel | undefined): Finding | undefined {
  if (level === 'off') return undefined;
  if (level === undefined || finding.severity === 'unknown' || level === finding.severity) return finding;
  return { ...finding, severity: level };
}

function identity(finding: Finding): string {
  return JSON.stringify([finding.rule, finding.target ?? null]);
}

/** Marks each finding new or unchanged against the baseline's findings for the name (as many times as it has them); the rest are absent. */
function compared(findings: Finding[], earlier: readonly Finding[]): { findings: Finding[]; absent: Finding[] } {
  const left = new Map<string, Finding[]>();
  for (const finding of earlier) left.set(identity(finding), [...(left.get(identity(finding)) ?? []), finding]);
  const marked = findings.map((finding): Finding => {
    const same = left.get(identity(finding));
    return { ...finding, baseline: same !== undefined && same.shift() !== undefined ? 'unchanged' : 'new' };
  });
  const absent = [...left.values()].flat().map(({ baseline: _state, ...finding }) => finding);
  return { findings: marked, absent };
}

/** A result without its verdict yet: what a mode has put together. */
export type UnjudgedResult = Omit<DomainResult, 'status' | 'findings' | 'absent'>;

/**
 * The result with its findings judged (levels, suppressions, baseline), in report order, and its
 * status. Every mode makes its results here.
 */
export function judgedResult(result: UnjudgedResult, findings: readonly Finding[], options: CheckOptions, scope: JudgeScope = {}): DomainResult {
  const judgement = runJudgement(options);
  const layers = layersFor(judgement, result.domain);
  const profile = result.profile ?? null;
  const kept = findings.flatMap((finding) => {
    const judged = leveled(finding, levelOf(finding.rule, layers, profile));
    if (judged === undefined) return [];
    const suppressed = commentSuppression(judged, scope.zone?.comments ?? []) ?? ignoreSuppression(judged, layers);
    return [suppressed === undefined ? judged : { ...judged, suppressed }];
  }).sort(compareFindings);
  const { baseline } = judgement;
  const earlier = (name: string): readonly Finding[] => baseline?.get(baselineKey(name, scope.zone?.file)) ?? [];
  const { findings: marked, absent } = baseline === null ? { findings: kept, absent: null } : compared(kept, earlier(result.domain ?? result.input));
  if (absent !== null) for (const name of scope.absentNames ?? []) absent.push(...earlier(name).map(({ baseline: _state, ...finding }) => finding));
  const { input, domain, canonical, durationMs, ...sections } = result;
  return {
    input, domain, canonical, status: statusOf(marked), ...sections, findings: marked, ...(absent === null ? {} : { absent }), durationMs,
  };
}

/** The names the baseline has findings for in one zone file, to tell which of them have no result in this run. */
export function baselineNames(options: CheckOptions, file: string): string[] {
  if (options.baseline === undefined) return [];
  return [...new Set(options.baseline.filter((result) => result.zone?.file === file && result.findings.length > 0).map((result) => result.domain ?? result.input))];
}
