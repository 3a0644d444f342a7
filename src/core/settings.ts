import type { Finding } from './finding.js';

/**
 * What a check's findings are judged by, beside the rules themselves: the profile (what a domain
 * is for), a level per rule, findings to ignore, settings per domain, and a baseline. Plain data,
 * validated by engine/validate-options.ts and applied in one place (engine/judge.ts).
 */

/** How much a rule's findings weigh, or `off`: not reported at all (as ESLint's rule levels, Zonemaster's profiles). */
export type RuleLevel = 'off' | 'info' | 'warning' | 'error';

export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'info', 'warning', 'error'];

/**
 * What a domain is for: `receiving` (it has mailboxes), `sending-only` (it sends, takes no mail),
 * `parked` (neither), `reverse` (a name under in-addr.arpa or ip6.arpa: its PTR records).
 */
export type ProfileName = 'receiving' | 'sending-only' | 'parked' | 'reverse';

export const PROFILE_NAMES: readonly ProfileName[] = ['receiving', 'sending-only', 'parked', 'reverse'];

/** A finding to report as suppressed: `"RULE"`, `"RULE@TARGET"` (TARGET is the finding's `target`), or the same with a reason. */
export type IgnoreSetting = string | { rule: string; target?: string; reason?: string };

/** The settings that can be given for the whole run and for one domain or suffix. */
export interface JudgementSettings {
  profile?: ProfileName;
  /** A level per rule id: `{ "mx-single": "off", "spf-missing": "error" }`. */
  rules?: Readonly<Record<string, RuleLevel>>;
  ignore?: readonly IgnoreSetting[];
}

/** An earlier run's result, as `--format json` or `jsonl` wrote it: what a baseline needs of it. */
export interface BaselineResult {
  input: string;
  domain: string | null;
  zone?: { file: string };
  findings: readonly Finding[];
}
