import type { TakeoverFacts } from './collect.js';
import { describePath } from './dependencies.js';
import type { DependencyRole } from './dependencies.js';

/** `result.takeover`: the domains outside the checked domain's own that its mail setup depends on, and whether each exists. */
export type TakeoverSection =
  /** The domain does not exist: nothing depends on anything. */
  | { state: 'skipped' }
  | {
    state: 'checked';
    domains: TakeoverDomainEntry[];
    /** Registrable domains past the limit of one check, not looked up. */
    notChecked?: string[];
    /** Aliases whose target does not exist under another organization's registered domain. */
    danglingAliases?: { alias: string; target: string; role: DependencyRole; path: string }[];
    /** The questions for records the setup is read from that failed ("TXT _dmarc.example.com"): what they would name is not known. */
    unread?: string[];
  };

export interface TakeoverDomainEntry {
  /** The registrable domain (public suffix plus one label). */
  domain: string;
  /** `not-asked`: outside the zone files checked, and --offline asks no server. */
  state: 'registered' | 'unregistered' | 'no-suffix' | 'failed' | 'not-asked';
  /** For `unregistered`: the parent zone's server that answered NXDOMAIN ("ns1.test (192.0.2.53)"), or "resolver". */
  confirmedBy?: string;
  /** The names under it the setup depends on, each with the records that lead there. */
  dependents: { name: string; role: DependencyRole; path: string }[];
}

export function takeoverSection(facts: TakeoverFacts): TakeoverSection {
  if (!facts.checked) return { state: 'skipped' };
  const domains = facts.domains.map(({ domain, registration, dependents }): TakeoverDomainEntry => ({
    domain,
    state: registration.state === 'failed' && registration.failure.kind === 'not-asked' ? 'not-asked' : registration.state,
    ...(registration.state === 'unregistered' ? { confirmedBy: registration.confirmation.by === 'parent' ? registration.confirmation.server : 'resolver' } : {}),
    dependents: dependents.map((d) => ({ name: d.name, role: d.role, path: describePath(d.path) })),
  }));
  return {
    state: 'checked',
    domains,
    ...(facts.notChecked.length > 0 ? { notChecked: facts.notChecked } : {}),
    ...(facts.dangling.length > 0 ? { danglingAliases: facts.dangling.map((a) => ({ alias: a.alias, target: a.target, role: a.role, path: describePath(a.path) })) } : {}),
    ...(facts.unread.length > 0 ? { unread: facts.unread.map((f) => `${f.question.type} ${f.question.name}`) } : {}),
  };
}
