import { OptionError } from '../core/errors.js';
import type { Severity } from '../core/finding.js';
import { RULE_SEVERITIES } from '../core/rule-ids.js';
import { PROFILE_NAMES, RULE_LEVELS } from '../core/settings.js';
import type { IgnoreSetting, JudgementSettings } from '../core/settings.js';
import { parseDomainInput } from '../dns/name.js';

/**
 * The settings that judge findings (profile, rule levels, ignores, per-domain settings, a baseline),
 * checked and read into the forms the judge uses. `name` is how the caller writes the option, so
 * the library says `rules`, the CLI `--rules` and a config file `mxlint.config.json: "rules"`.
 */

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'unknown', 'info'];
const JUDGEMENT_KEYS = new Set(['profile', 'rules', 'ignore']);

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function knownRule(rule: unknown, name: string): string {
  if (typeof rule !== 'string' || !RULE_SEVERITIES.has(rule)) {
    throw new OptionError(`${name}: ${describe(rule)} is not one of the rule ids mxlint --list-rules lists`);
  }
  return rule;
}

export function validateProfile(profile: unknown, name: string): void {
  if (profile !== undefined && !(PROFILE_NAMES as readonly unknown[]).includes(profile)) {
    throw new OptionError(`${name} must be one of ${PROFILE_NAMES.join(', ')}, not ${describe(profile)}`);
  }
}

/**
 * `{ "RULE": "LEVEL" }`. A rule that only says what could not be checked (its findings are all
 * `unknown`) takes `off` alone: a level does not turn "could not check" into a verdict.
 */
export function validateRuleLevels(rules: unknown, name: string): void {
  if (rules === undefined) return;
  if (!isRecord(rules)) throw new OptionError(`${name} must be an object of rule ids and levels ({ "mx-single": "off" }), not ${describe(rules)}`);
  for (const [rule, level] of Object.entries(rules)) {
    knownRule(rule, name);
    if (!(RULE_LEVELS as readonly unknown[]).includes(level)) {
      throw new OptionError(`${name}: the level of ${rule} must be one of ${RULE_LEVELS.join(', ')}, not ${describe(level)}`);
    }
    const severities = RULE_SEVERITIES.get(rule)!;
    if (level !== 'off' && severities.every((severity) => severity === 'unknown')) {
      throw new OptionError(`${name}: ${rule} only says what could not be checked (unknown), which no level changes: it can be "off", not ${describe(level)}`);
    }
  }
}

/** An ignore entry as the judge matches it: the rule, and the target when one is named (canonical form). */
export interface IgnoreEntry {
  rule: string;
  target?: string;
  reason?: string;
  /** As written, for the finding's `suppressed.entry`. */
  text: string;
}

/** A target as findings carry it: lower-case, no trailing dot. */
function canonicalTarget(target: string): string {
  return target.toLowerCase().replace(/\.$/, '');
}

/** Reads one ignore entry: `"RULE"`, `"RULE@TARGET"`, or `{ rule, target?, reason? }`. */
export function readIgnoreEntry(entry: IgnoreSetting, name: string): IgnoreEntry {
  if (typeof entry === 'string') {
    const at = entry.indexOf('@');
    const rule = knownRule(at === -1 ? entry.trim() : entry.slice(0, at).trim(), name);
    const target = at === -1 ? undefined : entry.slice(at + 1).trim();
    if (target === '') throw new OptionError(`${name}: "${entry}" names no target after "@" (RULE@TARGET, or RULE alone for every target)`);
    return { rule, ...(target === undefined ? {} : { target: canonicalTarget(target) }), text: entry.trim() };
  }
  if (!isRecord(entry)) throw new OptionError(`${name}: an entry must be "RULE", "RULE@TARGET" or { "rule": …, "target": …, "reason": … }, not ${describe(entry)}`);
  for (const key of Object.keys(entry)) {
    if (!['rule', 'target', 'reason'].includes(key)) throw new OptionError(`${name}: unknown key "${key}" in an entry (known: rule, target, reason)`);
  }
  const rule = knownRule(entry.rule, name);
  for (const key of ['target', 'reason'] as const) {
    const value = entry[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) throw new OptionError(`${name}: the ${key} of an entry for ${rule} must be text, not ${describe(value)}`);
  }
  const target = entry.target === undefined ? undefined : canonicalTarget(entry.target.trim());
  return {
    rule, ...(target === undefined ? {} : { target }), ...(entry.reason === undefined ? {} : { reason: entry.reason.trim() }),
    text: target === undefined ? rule : `${rule}@${target}`,
  };
}

export function readIgnoreEntries(ignore: unknown, name: string): IgnoreEntry[] {
  if (ignore === undefined) return [];
  if (!Array.isArray(ignore)) throw new OptionError(`${name} must be a list of "RULE" or "RULE@TARGET", not ${describe(ignore)}`);
  return ignore.map((entry: IgnoreSetting) => readIgnoreEntry(entry, name));
}

/** A key of `domains`: a name (`shop.example`) or every name below a suffix (`*.example.net`), in canonical form. */
export type DomainScope = { kind: 'name'; name: string } | { kind: 'below'; name: string };

export function readDomainScope(key: string, name: string): DomainScope {
  const below = key.startsWith('*.');
  const parsed = parseDomainInput(below ? key.slice(2) : key);
  if (!parsed.valid) throw new OptionError(`${name}: "${key}" is neither a domain name nor *.SUFFIX: ${parsed.reason}`);
  return { kind: below ? 'below' : 'name', name: parsed.name };
}

export function validateJudgementSettings(settings: JudgementSettings, name: (key: keyof JudgementSettings) => string): void {
  validateProfile(settings.profile, name('profile'));
  validateRuleLevels(settings.rules, name('rules'));
  readIgnoreEntries(settings.ignore, name('ignore'));
}

/** `{ "shop.example": { profile, rules, ignore }, "*.example.net": { … } }`. */
export function validateDomainSettings(domains: unknown, name: string): void {
  if (domains === undefined) return;
  if (!isRecord(domains)) throw new OptionError(`${name} must be an object of domain names (or *.SUFFIX) and their settings, not ${describe(domains)}`);
  for (const [key, settings] of Object.entries(domains)) {
    readDomainScope(key, name);
    const where = `${name}["${key}"]`;
    if (!isRecord(settings)) throw new OptionError(`${where} must be an object of profile, rules and ignore, not ${describe(settings)}`);
    for (const setting of Object.keys(settings)) {
      if (!JUDGEMENT_KEYS.has(setting)) throw new OptionError(`${where}: unknown key "${setting}" (known: ${[...JUDGEMENT_KEYS].join(', ')})`);
    }
    validateJudgementSettings(settings, (setting) => `${where}.${setting}`);
  }
}

function text(value: unknown, where: string, optional = false): void {
  if (optional && value === undefined) return;
  if (typeof value !== 'string') throw new OptionError(`${where} must be text, not ${value === undefined ? 'missing' : describe(value)}`);
}

/**
 * An earlier run's results, as `--format json` or `jsonl` printed them: each with `input`, `domain`,
 * `findings` (and `zone.file` in zone mode); each finding with its rule, severity and texts. Rule ids
 * a later mxlint no longer has are kept: such a finding is simply absent now.
 */
export function validateBaseline(baseline: unknown, name: string): void {
  if (baseline === undefined) return;
  if (!Array.isArray(baseline)) throw new OptionError(`${name} must be a list of results (what --format json prints), not ${describe(baseline)}`);
  baseline.forEach((result: unknown, index) => {
    const where = `${name}[${index}]`;
    if (!isRecord(result)) throw new OptionError(`${where} must be a result object, not ${describe(result)}`);
    text(result.input, `${where}.input`);
    if (result.domain !== null) text(result.domain, `${where}.domain`);
    if (result.zone !== undefined && !(isRecord(result.zone) && typeof result.zone.file === 'string')) throw new OptionError(`${where}.zone must be { "file": … }`);
    if (!Array.isArray(result.findings)) throw new OptionError(`${where}.findings must be a list, not ${result.findings === undefined ? 'missing' : describe(result.findings)}`);
    result.findings.forEach((finding: unknown, at) => {
      const here = `${where}.findings[${at}]`;
      if (!isRecord(finding)) throw new OptionError(`${here} must be a finding object, not ${describe(finding)}`);
      for (const key of ['rule', 'messageId', 'message', 'fix', 'rfc'] as const) text(finding[key], `${here}.${key}`);
      text(finding.target, `${here}.target`, true);
      if (!(SEVERITIES as readonly unknown[]).includes(finding.severity)) throw new OptionError(`${here}.severity must be one of ${SEVERITIES.join(', ')}, not ${describe(finding.severity)}`);
    });
  });
}
