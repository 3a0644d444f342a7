import type { LookupSource } from '../../dns/lookup.js';
import { nameLabels } from '../../dns/name.js';
import { lookupTxt } from '../../facts/txt-record.js';
import type { TxtAt } from '../../facts/txt-record.js';
import { classifyDmarcText, parseDmarcRecord } from './record.js';
import type { DiscardReason, DmarcRecord } from './record.js';

/**
 * The DNS Tree Walk of RFC 9989 §4.10: from a domain up to its top-level domain, one _dmarc name per
 * label, at most eight names however deep the domain, stopping at a record that says psd=y or psd=n.
 * Then, from what it found, the Organizational Domain (§4.10.2) and the record that applies (§4.10.1).
 */

/** §4.10: a walk asks at most this many names; a deeper domain skips to its last seven labels after the first. */
export const MAX_TREE_WALK_QUERIES = 8;

export function dmarcName(domain: string): string {
  return `_dmarc.${domain}`;
}

/** The domains a walk from `domain` asks about, in order (§4.10 steps 3, 4, 7). */
export function treeWalkDomains(domain: string): string[] {
  const labels = nameLabels(domain);
  const domains = [domain];
  for (let kept = Math.min(labels.length - 1, MAX_TREE_WALK_QUERIES - 1); kept >= 1; kept--) domains.push(labels.slice(-kept).join('.'));
  return domains;
}

export interface WalkStep {
  /** The domain whose _dmarc name was asked. */
  domain: string;
  txt: TxtAt;
  /** The DMARC Policy Records there (TXT starting with v=DMARC1); with more than one, receivers discard them all. */
  records: { text: string; parsed: DmarcRecord }[];
  /** TXT records there meant as DMARC records that receivers discard (version not first, white space before it…). */
  discarded: { text: string; reason: DiscardReason }[];
}

/** The one record of a step the walk uses; null with none or several. */
export function stepRecord(step: WalkStep): DmarcRecord | null {
  return step.records.length === 1 ? step.records[0]!.parsed : null;
}

/** A step from the TXT records at _dmarc.`domain`: the DMARC records parsed, the ones receivers discard named. */
export function stepOf(domain: string, txt: TxtAt): WalkStep {
  const step: WalkStep = { domain, txt, records: [], discarded: [] };
  for (const text of txt.state === 'found' ? txt.texts : []) {
    const kind = classifyDmarcText(text);
    if (kind.kind === 'record') step.records.push({ text, parsed: parseDmarcRecord(text) });
    else if (kind.kind === 'discarded') step.discarded.push({ text, reason: kind.reason });
  }
  return step;
}

/**
 * Walks from `domain`, one name after the other: up to the top-level domain, or to a record with
 * psd=y or psd=n, or to a lookup that failed (the walk's last step then; what lies above it is not known).
 */
export async function walkTree(lookups: LookupSource, domain: string): Promise<WalkStep[]> {
  const steps: WalkStep[] = [];
  for (const name of treeWalkDomains(domain)) {
    const step = stepOf(name, await lookupTxt(lookups, dmarcName(name)));
    steps.push(step);
    if (step.txt.state === 'failed') break;
    const record = stepRecord(step);
    if (record !== null && record.psd !== 'u') break;
  }
  return steps;
}

/** Whether the walk ended by its own rules: no failed lookup cut it short. */
export function walkComplete(steps: readonly WalkStep[]): boolean {
  return steps.at(-1)?.txt.state !== 'failed';
}

/** A name the walk passed and the record it found there, if any: what §4.10.2 and §4.10.1 decide on. */
export interface Walked {
  domain: string;
  record: DmarcRecord | null;
}

export function walked(steps: readonly WalkStep[]): Walked[] {
  return steps.map((step) => ({ domain: step.domain, record: stepRecord(step) }));
}

/** How §4.10.2 chose the Organizational Domain. */
export type OrganizationalHow =
  /** A record there says psd=n. */
  | 'psd-n'
  /** The name one label below a record that says psd=y. */
  | 'below-psd-y'
  /** The highest name with a record (fewest labels). */
  | 'highest-record'
  /** The walk found no record: the domain is its own. */
  | 'no-record';

export interface OrganizationalDomain {
  domain: string;
  how: OrganizationalHow;
}

/** The name one label below `ancestor` on the way down to `start`. */
function childToward(start: string, ancestor: string): string {
  return nameLabels(start).slice(-(nameLabels(ancestor).length + 1)).join('.');
}

/** §4.10.2 on a complete walk, `names[0]` being where it started: the records from the longest name to the shortest. */
export function organizationalDomain(names: readonly Walked[]): OrganizationalDomain {
  const start = names[0]!.domain;
  for (const [index, { domain, record }] of names.entries()) {
    if (record?.psd === 'n') return { domain, how: 'psd-n' };
    if (record?.psd === 'y' && index > 0) return { domain: childToward(start, domain), how: 'below-psd-y' };
  }
  const highest = names.findLast((name) => name.record !== null);
  return highest === undefined ? { domain: start, how: 'no-record' } : { domain: highest.domain, how: 'highest-record' };
}

/** Where the record that applies to `names[0]` is (§4.10.1): its own, its Organizational Domain's, or its public suffix's. */
export function applicableIndex(names: readonly Walked[], organizational: OrganizationalDomain): number | null {
  if (names[0]!.record !== null) return 0;
  const atOrganization = names.findIndex((name) => name.domain === organizational.domain && name.record !== null);
  if (atOrganization !== -1) return atOrganization;
  if (organizational.how !== 'below-psd-y') return null;
  const suffix = names.findIndex((name, index) => index > 0 && name.record?.psd === 'y');
  return suffix === -1 ? null : suffix;
}
