import type { Finding } from '../core/finding.js';
import type { CheckOptions } from '../core/options.js';
import type { ProfileName } from '../core/settings.js';
import { boundToSignal, Canceller } from '../dns/lookup.js';
import type { LookupSource } from '../dns/lookup.js';
import type { CheckContext } from '../facts/context.js';
import { followChain } from '../facts/chain.js';
import { canonicalDomain, collectMailFactsAfterMx } from '../facts/mail.js';
import type { MailFacts } from '../facts/mail.js';
import { createSmtpProber } from '../facts/smtp-prober.js';
import type { SmtpProber } from '../facts/smtp-prober.js';
import { FAMILIES } from '../families/index.js';
import { requestedFamilies } from './validate-options.js';
import type { AnyFamily, CheckFamily, FamilySections } from '../families/index.js';
import { judgedResult, profileFor } from './judge.js';
import type { JudgeScope } from './judge.js';
import { PROFILES } from './profiles/index.js';
import type { Profile } from './profiles/index.js';
import type { ProfileFacts } from './profiles/facts.js';
import { mxFields } from '../families/mx/section.js';
import type { DomainResult } from './result.js';
import { readinessOf } from './readiness.js';

/**
 * One name through the selected check families, whatever answers the questions (the resolver, zone
 * files, one authoritative server), and the result the JSON output prints for it.
 */

/**
 * How long one domain's check may take in all when the options do not say (`deadlineMs`): room for
 * an SPF evaluation's own limit (20 s, RFC 7208 §4.6.4) beside an MTA-STS fetch (10 s), and for a
 * slow but working domain's lookups one after another; far below the 86 s that chains of slow
 * aliases and includes took without one.
 */
export const DEFAULT_DEADLINE_MS = 30_000;

/** Where a check's time went: the MX question, the exchanges' addresses, the check families' own work. */
export type CheckPhase = 'mx' | 'exchanges' | 'checks';

/** The MX facts of one valid name and what the selected check families make of them. */
export interface NameCheck {
  facts: MailFacts;
  /** The profile the name is judged by; null when it is not judged as a mail domain. */
  profile: ProfileName | null;
  findings: Finding[];
  sections: FamilySections;
  /** The families that ran. */
  families: ReadonlySet<string>;
  /** Milliseconds per phase (the exporter reports them). */
  phases: Record<CheckPhase, number>;
}

/** How a name is checked beyond the options: what a run over many names works out once, or what the mode sees. */
export interface NameCheckPlan {
  /** The families the options select (default: worked out from them); the name's profile narrows or widens them. */
  families?: readonly AnyFamily[];
  /** Aborted: the check ends at once, as at its deadline. */
  cancel?: AbortSignal;
  /** The profile the mode sees in the data, when no setting names one (zone mode; `none`: not a mail domain). */
  guess?: ProfileName | 'none';
  /** The run's SMTP prober, which its checks share (default: one of the check's own). */
  prober?: SmtpProber;
}

/**
 * A check's deadline: aborted `deadlineMs` after the start, or when `cancel` is, with a reason that
 * says which. Every lookup listens to it, every probe and fetch to its `signal`.
 */
function startDeadline(deadlineMs: number, cancel: AbortSignal | undefined): { canceller: Canceller; stop(): void } {
  const canceller = new Canceller();
  const timer = setTimeout(() => canceller.abort(new Error(`the check's deadline (${deadlineMs} ms) passed`)), deadlineMs);
  const onCancel = (): void => canceller.abort(cancel!.reason);
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  return {
    canceller,
    stop: () => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}

/**
 * Collects the MX facts of `domain` (canonical form) from `lookups` and runs the families its
 * profile selects on them, then the profile's own rules, within the options' deadline (or until the
 * plan's `cancel` is aborted): past it every lookup and probe still running is cut short, and what it
 * would have told is unknown.
 */
export async function checkName(lookups: LookupSource, domain: string, options: CheckOptions, plan: NameCheckPlan = {}): Promise<NameCheck> {
  const deadline = startDeadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS, plan.cancel);
  const profileName = profileFor(domain, options, plan.guess);
  const profile = profileName === null ? null : PROFILES[profileName];
  const { families, names } = familyPlan(profile, plan.families ?? selectedFamilies(options));
  const prober = plan.prober ?? createSmtpProber(options);
  try {
    const { canceller } = deadline;
    const bound = boundToSignal(lookups, canceller);
    const started = performance.now();
    const mx = await followChain(bound, domain, 'MX');
    const mxDone = performance.now();
    const facts = await collectMailFactsAfterMx(bound, domain, mx);
    const factsDone = performance.now();
    const context: CheckContext = {
      domain, lookups: bound, mail: facts, options, checks: names, prober,
      // Made when a family first needs it (probes, fetches): most checks never do.
      get signal() { return canceller.signal; },
    };
    const [outcomes, own] = await Promise.all([
      Promise.all(families.map(async (family) => ({ family, outcome: await family.run(context) }))),
      profile?.collect?.(bound, domain) ?? {},
    ]);
    const sections: Record<string, unknown> = {};
    for (const { family, outcome } of outcomes) if (outcome.section !== undefined) sections[family.name] = outcome.section;
    const profileFacts: ProfileFacts = { domain, mail: facts, sections: sections as FamilySections, ...own };
    return {
      facts,
      profile: profileName,
      findings: [...outcomes.flatMap(({ outcome }) => outcome.findings), ...(profile?.rules.flatMap((rule) => rule.check(profileFacts)) ?? [])],
      sections: { ...sections, ...profile?.sections?.(profileFacts) } as FamilySections,
      families: context.checks,
      phases: { mx: mxDone - started, exchanges: factsDone - mxDone, checks: performance.now() - factsDone },
    };
  } finally {
    deadline.stop();
  }
}

interface FamilyPlan {
  families: readonly AnyFamily[];
  names: ReadonlySet<string>;
}

const NO_FAMILIES: FamilyPlan = { families: [], names: new Set() };
/** By the run's families asked for, then by profile: worked out once per run, not for every domain. */
const familyPlans = new WeakMap<readonly AnyFamily[], Map<Profile, FamilyPlan>>();

/** The families to run for the profile, and their names; none without a profile. */
function familyPlan(profile: Profile | null, asked: readonly AnyFamily[]): FamilyPlan {
  if (profile === null) return NO_FAMILIES;
  let byProfile = familyPlans.get(asked);
  if (byProfile === undefined) {
    byProfile = new Map();
    familyPlans.set(asked, byProfile);
  }
  let plan = byProfile.get(profile);
  if (plan === undefined) {
    const families = profileFamilies(profile, asked);
    plan = { families, names: new Set(families.map((family) => family.name)) };
    byProfile.set(profile, plan);
  }
  return plan;
}

/** The families asked for that mean something for the profile, and those it needs, in registry order. */
function profileFamilies(profile: Profile, asked: readonly AnyFamily[]): readonly AnyFamily[] {
  const fits = (name: CheckFamily): boolean => profile.families === 'all' || profile.families.includes(name);
  const names = new Set([...asked.map((family) => family.name).filter(fits), ...profile.needs]);
  return (FAMILIES as readonly AnyFamily[]).filter((family) => names.has(family.name));
}

/** What a mode adds to a name's result: its own section. */
export type ModeSections = Pick<DomainResult, 'zone' | 'authoritative' | 'postfix'>;

/**
 * The result for a checked name, with the findings given (judged and sorted by judgedResult) and
 * what else the mode adds. The readiness summary, when asked for, reads the findings before they are
 * judged: levels and suppressions change the verdict, not what the mailbox providers require.
 */
export function nameResult(input: string, check: NameCheck, findings: Finding[], started: number, options: CheckOptions, extra: ModeSections = {},
  scope: JudgeScope = {}): DomainResult {
  return judgedResult({
    input,
    domain: check.facts.domain,
    canonical: canonicalDomain(check.facts),
    ...(check.profile === null ? {} : { profile: check.profile }),
    ...mxFields(check.facts),
    ...extra,
    ...check.sections,
    ...(options.readiness === true ? { readiness: readinessOf(findings, check.sections, check.families) } : {}),
    durationMs: Math.round(performance.now() - started),
  }, findings, options, scope);
}

/** By a run's options: the same list for every name a run checks, so familyPlan's per-run plans are found again. */
const selectedByOptions = new WeakMap<CheckOptions, readonly AnyFamily[]>();

/** The check families `options` select, in registry order; throws OptionError for an unknown one. */
export function selectedFamilies(options: CheckOptions): readonly AnyFamily[] {
  let selected = selectedByOptions.get(options);
  if (selected === undefined) {
    const wanted = requestedFamilies(options);
    selected = (FAMILIES as readonly AnyFamily[]).filter((family) => wanted.includes(family.name));
    selectedByOptions.set(options, selected);
  }
  return selected;
}
