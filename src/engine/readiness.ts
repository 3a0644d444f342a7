import type { SectionLine } from '../core/family.js';
import type { Finding } from '../core/finding.js';
import { line } from '../families/common/text.js';
import type { CheckFamily, FamilySections, FAMILIES } from '../families/index.js';

/**
 * The bulk-sender readiness summary (`--readiness`): what the large mailbox providers publish as
 * sender requirements (Gmail's and Yahoo's of February 2024, Microsoft's for Outlook.com of May
 * 2025; docs/checks.md cites them), one line each, read off the findings and sections of the
 * families that ran. It judges nothing itself: REQUIREMENTS maps each requirement to the families it
 * needs and the rule ids that mean "not met" or "not known"; the state follows from the findings.
 */

/** A rule id of a registered family: the table below is checked against the catalog by the compiler. */
type FamilyRuleId = (typeof FAMILIES)[number]['rules'][number]['id'];

/** A rule's findings, or only those of some of its messages ("rule/messageId"). */
type FindingMatch = FamilyRuleId | `${FamilyRuleId}/${string}`;

export type RequirementId = 'spf' | 'dkim' | 'dmarc' | 'fcrdns' | 'starttls';

/** met: the findings and sections show it; not-met: a finding says it is not; unknown: a lookup failed, a family did not run, or there was nothing to judge. */
export type ReadinessState = 'met' | 'not-met' | 'unknown';

interface Requirement {
  id: RequirementId;
  /** What it asks, as the text report says it. */
  title: string;
  families: readonly CheckFamily[];
  /** Why it is unknown when one of its families did not run. */
  notRun: string;
  notMet: readonly FindingMatch[];
  unknown: readonly FindingMatch[];
  /** Why it is unknown when no finding says anything: the section shows nothing that was judged; null when something was. */
  nothingJudged(sections: FamilySections): string | null;
}

/** The requirements, in the order the summary lists them. */
export const REQUIREMENTS: readonly Requirement[] = [
  {
    id: 'spf',
    title: 'SPF: one valid record',
    families: ['spf'],
    notRun: 'the spf check did not run',
    notMet: [
      'domain-nxdomain', 'spf-missing', 'spf-multiple', 'spf-syntax', 'spf-lookup-limit', 'spf-void-lookup-limit', 'spf-mx-limit', 'spf-include-unresolvable',
      'spf-permissive-all/passAll', 'spf-permissive-all/redirectPassAll', 'spf-permissive-all/includePassAll',
    ],
    unknown: ['spf-lookup-failed'],
    nothingJudged: ({ spf }) => (spf?.record === null ? 'no SPF record was read' : null),
  },
  {
    id: 'dkim',
    title: 'DKIM: a usable key for each selector',
    families: ['dkim'],
    notRun: 'no DKIM selector known: name the ones mail is signed with (--dkim-selector), or try common ones (--dkim-discover)',
    notMet: [
      'dkim-selector-missing', 'dkim-cname-broken', 'dkim-multiple', 'dkim-syntax', 'dkim-key-type-unknown', 'dkim-key-invalid', 'dkim-key-revoked',
      'dkim-key-too-short/tooShort', 'dkim-key-hash-unusable', 'dkim-key-not-for-email',
    ],
    unknown: ['dkim-lookup-failed', 'dkim-selectors-unknown'],
    nothingJudged: ({ dkim }) => (dkim?.selectors.some((s) => s.state === 'found') ? null : 'no DKIM key was found under a selector known'),
  },
  {
    id: 'dmarc',
    title: 'DMARC: a policy of p=none or stricter, with aggregate reports',
    families: ['dmarc'],
    notRun: 'the dmarc check did not run',
    notMet: ['domain-nxdomain', 'dmarc-missing', 'dmarc-multiple', 'dmarc-record-discarded', 'dmarc-syntax/ignored', 'dmarc-no-aggregate-reports'],
    unknown: ['dmarc-lookup-failed'],
    nothingJudged: ({ dmarc }) => (dmarc?.state === 'found' && dmarc.policy !== null ? null : 'no DMARC policy was read'),
  },
  {
    id: 'fcrdns',
    title: 'reverse DNS of the sending hosts, forward-confirmed',
    families: ['mx', 'ptr'],
    notRun: 'the ptr check did not run',
    notMet: ['mx-ptr-missing', 'mx-ptr-mismatch'],
    // The exchanges' own lookups (mx) decide which addresses there are to check.
    unknown: ['mx-ptr-lookup-failed', 'sending-host-no-address', 'dns-lookup-failed'],
    nothingJudged: ({ ptr }) => ((ptr?.addresses.length ?? 0) > 0 ? null
      : 'no globally routable address of a sending host to check: name the hosts mail leaves from (--sending-host)'),
  },
  {
    id: 'starttls',
    title: 'STARTTLS on the exchanges',
    families: ['mx', 'smtp'],
    notRun: 'the smtp check did not run',
    notMet: ['smtp-starttls-missing', 'smtp-tls-failed'],
    // A server that cannot be reached or talked to says nothing about STARTTLS.
    unknown: ['smtp-not-probed', 'smtp-unreachable', 'smtp-banner-invalid', 'smtp-ehlo-failed', 'dns-lookup-failed'],
    nothingJudged: ({ smtp }) => (smtp?.probes.some((p) => p.probed) ? null : 'no exchange address was found to probe'),
  },
];

/** The families the summary reads: run whenever it is asked for (dkim only with selectors: without them it has nothing to ask). */
export const READINESS_FAMILIES: readonly CheckFamily[] = [...new Set(REQUIREMENTS.flatMap((r) => r.families))].filter((family) => family !== 'dkim');

/** A finding behind a requirement's state: enough to find it in `findings`. */
export interface ReadinessFinding {
  rule: string;
  messageId: string;
  target?: string;
}

export interface RequirementResult {
  id: RequirementId;
  state: ReadinessState;
  /** The findings that make it not met, or unknown; [] when met. */
  findings: ReadinessFinding[];
  /** Why it is unknown when no finding says (a family that did not run, nothing to judge). */
  reason?: string;
}

/** `result.readiness` (--readiness): each requirement's state, and the summary's: not-met if any is, else unknown if any is, else met. */
export interface ReadinessSection {
  state: ReadinessState;
  requirements: RequirementResult[];
}

function matches(finding: Finding, match: FindingMatch): boolean {
  return match === finding.rule || match === `${finding.rule}/${finding.messageId}`;
}

function behind(findings: readonly Finding[], matches_: readonly FindingMatch[]): ReadinessFinding[] {
  return findings.filter((f) => matches_.some((m) => matches(f, m)))
    .map((f) => ({ rule: f.rule, messageId: f.messageId, ...(f.target === undefined ? {} : { target: f.target }) }));
}

function requirementResult(requirement: Requirement, findings: readonly Finding[], sections: FamilySections, ran: ReadonlySet<string>): RequirementResult {
  const { id } = requirement;
  const notMet = behind(findings, requirement.notMet);
  if (notMet.length > 0) return { id, state: 'not-met', findings: notMet };
  const unknown = behind(findings, requirement.unknown);
  if (unknown.length > 0) return { id, state: 'unknown', findings: unknown };
  if (!requirement.families.every((family) => ran.has(family))) return { id, state: 'unknown', findings: [], reason: requirement.notRun };
  const nothing = requirement.nothingJudged(sections);
  return nothing === null ? { id, state: 'met', findings: [] } : { id, state: 'unknown', findings: [], reason: nothing };
}

/** The summary of one checked name: its findings (all of them, the modes' too), its families' sections, and which families ran. */
export function readinessOf(findings: readonly Finding[], sections: FamilySections, ran: ReadonlySet<string>): ReadinessSection {
  const requirements = REQUIREMENTS.map((requirement) => requirementResult(requirement, findings, sections, ran));
  const state: ReadinessState = requirements.some((r) => r.state === 'not-met') ? 'not-met'
    : requirements.some((r) => r.state === 'unknown') ? 'unknown' : 'met';
  return { state, requirements };
}

/** A requirement's title, by id (the text report's lines). */
export function requirementTitle(id: RequirementId): string {
  return REQUIREMENTS.find((r) => r.id === id)!.title;
}

const MARK: Record<ReadinessState, string> = { met: '✓ met', 'not-met': '✗ not met', unknown: '? unknown' };

/** What stands behind a requirement's state, for the text report: each finding as rule and target, or the reason. */
function behindNote(requirement: RequirementResult): string | undefined {
  if (requirement.findings.length === 0) return requirement.reason;
  return [...new Set(requirement.findings.map((f) => (f.target === undefined ? f.rule : `${f.rule} ${f.target}`)))].join('; ');
}

/** The summary in the text report: its state, then one line per requirement; marks and words, so colour never carries it alone. */
export function readinessLines(section: ReadinessSection): SectionLine[] {
  return [
    line('READINESS', MARK[section.state], 'the bulk-sender requirements of Gmail, Yahoo and Outlook.com'),
    ...section.requirements.map((r) => line('READINESS', `${MARK[r.state]}: ${requirementTitle(r.id)}`, behindNote(r))),
  ];
}
