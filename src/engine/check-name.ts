import { compareFindings } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { CheckOptions } from '../core/options.js';
import { statusOf } from '../core/status.js';
import { setMaxListeners } from 'node:events';
import { boundToSignal } from '../dns/lookup.js';
import type { LookupSource } from '../dns/lookup.js';
import type { CheckContext } from '../facts/context.js';
import { followChain } from '../facts/chain.js';
import { canonicalDomain, collectMailFactsAfterMx } from '../facts/mail.js';
import type { MailFacts } from '../facts/mail.js';
import { createSmtpProber } from '../facts/smtp-prober.js';
import type { SmtpProber } from '../facts/smtp-prober.js';
import { FAMILIES } from '../families/index.js';
import { requestedFamilies } from './validate-options.js';
import type { AnyFamily, FamilySections } from '../families/index.js';
import { mxFields } from '../families/mx/section.js';
import type { DomainResult } from './result.js';

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
  findings: Finding[];
  sections: FamilySections;
  /** Milliseconds per phase (the exporter reports them). */
  phases: Record<CheckPhase, number>;
}

/**
 * A check's deadline: its signal is aborted `deadlineMs` after the start, or when `cancel` is, with
 * a reason that says which. Every lookup, probe and fetch of the check listens to it.
 */
function startDeadline(deadlineMs: number, cancel: AbortSignal | undefined): { signal: AbortSignal; stop(): void } {
  const controller = new AbortController();
  // One listener per lookup in flight: a check may well have more than Node's default of 10.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(() => controller.abort(new Error(`the check's deadline (${deadlineMs} ms) passed`)), deadlineMs);
  const onCancel = (): void => controller.abort(cancel!.reason);
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    stop: () => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}

/** What a check shares with the rest of its run: a signal that cancels the run, and the run's SMTP prober (default: one of its own). */
export interface RunShare {
  cancel?: AbortSignal;
  prober?: SmtpProber;
}

/**
 * Collects the MX facts of `domain` (canonical form) from `lookups` and runs the selected families on
 * them, within the options' deadline (or until `cancel` is aborted): past it every lookup and probe
 * still running is cut short, and what it would have told is unknown. A run over many names works
 * out `families` once and passes it, with the prober its checks share.
 */
export async function checkName(lookups: LookupSource, domain: string, options: CheckOptions, families: readonly AnyFamily[] = selectedFamilies(options),
  { cancel, prober = createSmtpProber(options) }: RunShare = {}): Promise<NameCheck> {
  const deadline = startDeadline(options.deadlineMs ?? DEFAULT_DEADLINE_MS, cancel);
  try {
    const bound = boundToSignal(lookups, deadline.signal);
    const started = performance.now();
    const mx = await followChain(bound, domain, 'MX');
    const mxDone = performance.now();
    const facts = await collectMailFactsAfterMx(bound, domain, mx);
    const factsDone = performance.now();
    const context: CheckContext = {
      domain, lookups: bound, mail: facts, options, checks: new Set(families.map((family) => family.name)), signal: deadline.signal, prober,
    };
    const outcomes = await Promise.all(families.map(async (family) => ({ family, outcome: await family.run(context) })));
    const sections: Record<string, unknown> = {};
    for (const { family, outcome } of outcomes) if (outcome.section !== undefined) sections[family.name] = outcome.section;
    return {
      facts,
      findings: outcomes.flatMap(({ outcome }) => outcome.findings),
      sections: sections as FamilySections,
      phases: { mx: mxDone - started, exchanges: factsDone - mxDone, checks: performance.now() - factsDone },
    };
  } finally {
    deadline.stop();
  }
}

/** What a mode adds to a name's result: its own section. */
export type ModeSections = Pick<DomainResult, 'zone' | 'authoritative' | 'postfix'>;

/** The result for a checked name, with the findings given (sorted here) and what else the mode adds. */
export function nameResult(input: string, check: NameCheck, findings: Finding[], started: number, extra: ModeSections = {}): DomainResult {
  const sorted = [...findings].sort(compareFindings);
  return {
    input,
    domain: check.facts.domain,
    canonical: canonicalDomain(check.facts),
    status: statusOf(sorted),
    ...mxFields(check.facts),
    ...extra,
    ...check.sections,
    findings: sorted,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The check families `options` select, in registry order; throws OptionError for an unknown one. */
export function selectedFamilies(options: CheckOptions): AnyFamily[] {
  const wanted = requestedFamilies(options);
  return (FAMILIES as readonly AnyFamily[]).filter((family) => wanted.includes(family.name));
}
