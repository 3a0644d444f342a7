import { ServedData } from '../../dns/zone-data/served-data.js';
import { collect, concurrencyOf, resolverOptions } from '../../engine/run-options.js';
import type { RunOptions } from '../../engine/run-options.js';
import { OptionError } from '../../core/errors.js';
import { mapBounded } from '../../engine/bounded-map.js';
import { reportSharedOnce } from '../../engine/shared-findings.js';
import { checkName, nameResult } from '../../engine/check-name.js';
import { createSmtpProber } from '../../facts/smtp-prober.js';
import type { SmtpProber } from '../../facts/smtp-prober.js';
import { Resolver } from '../../dns/resolver.js';
import { isRecordOf, txtToString } from '../../dns/records.js';
import type { DnsRecord } from '../../dns/records.js';
import { isReverseName } from '../../dns/reverse.js';
import { canonicalDomain } from '../../facts/mail.js';
import type { DomainResult } from '../../engine/result.js';
import { compareFindings } from '../../core/finding.js';
import type { Finding } from '../../core/finding.js';
import { collapseNotChecked, notAskedInMailFacts, readerFindings, unasked, zoneExternalNotChecked, zoneRules } from './rules/index.js';
import { guessedProfile, ownersToCheck, unreadableMxProblems, zoneApexNoMail } from './rules/mail-owners.js';
import { readSuppressionComments } from './suppressions.js';
import { baselineNames } from '../../engine/judge.js';
import type { JudgeScope } from '../../engine/judge.js';
import { findingOf } from '../../core/rule.js';
import type { Question } from '../../dns/message.js';
import { mxFamily } from '../../families/mx/index.js';
import { FAMILIES } from '../../families/index.js';
import type { AnyFamily, CheckFamily, FamilySections } from '../../families/index.js';
import { requestedFamilies, validateOptions } from '../../engine/validate-options.js';
import type { OwnedFinding } from './rules/index.js';
import { readFailure } from '../../core/files.js';
import { MAX_ZONE_RECORDS, readZoneFile } from '../../dns/zone-file/reader.js';
import type { ParsedZone, ZoneEntry } from '../../dns/zone-file/types.js';
import type { SourceLocation } from '../../core/finding.js';
import { NotAskedRecorder, ZoneLookupSource } from './zone-source.js';

export interface ZoneCheckOptions extends RunOptions {
  /** Ask no server: names outside the zone files are reported as not checked (zone-external-not-checked). */
  offline?: boolean;
}

export interface ReadZonesOptions {
  /** Records read for each zone (default DEFAULT_MAX_ZONE_RECORDS, at most MAX_ZONE_RECORDS); the CLI's --max-zone-records. */
  maxRecords?: number;
}

/**
 * Reads zone files for checking. Whatever is wrong inside a file becomes a finding; a file that cannot
 * be read at all, or a bad `maxRecords`, is an OptionError. `origin` is the origin of every file given (usually one).
 */
export function readZones(files: readonly string[], origin?: string, options: ReadZonesOptions = {}): ParsedZone[] {
  const { maxRecords } = options;
  if (maxRecords !== undefined && !(Number.isInteger(maxRecords) && maxRecords >= 1 && maxRecords <= MAX_ZONE_RECORDS)) {
    throw new OptionError(`maxRecords must be a whole number from 1 to ${MAX_ZONE_RECORDS}, not ${String(maxRecords)}`);
  }
  return files.map((file) => {
    try {
      return readZoneFile(file, { ...(origin === undefined ? {} : { origin }), ...(maxRecords === undefined ? {} : { maxRecords }) });
    } catch (error) {
      throw new OptionError(`cannot read zone file ${file}: ${readFailure(error)}`);
    }
  });
}

/** One name to check: the apex of a zone, or an owner of MX records in it. */
interface OwnerJob {
  zone: ParsedZone;
  owner: string;
  /** The profile its records suggest (guessedProfile). */
  profile: ReturnType<typeof guessedProfile>;
  /** The zone rules' findings that belong in this owner's result. */
  zoneFindings: Finding[];
  /** The zone's other names checked as mail domains, for the apex's note when it is none. */
  mailOwners: string[];
  /** The zone file and its suppression comments; for the apex also the names the baseline has that have no result now. */
  scope: JudgeScope;
}

/** The zone files of a run as their servers answer from them, with the entry of every record at hand. */
class ZoneSet {
  readonly served: ServedData;
  /** Where each zone's records begin among those served. */
  readonly firsts: number[] = [];

  constructor(readonly zones: readonly ParsedZone[]) {
    let first = 0;
    for (const zone of zones) {
      this.firsts.push(first);
      first += zone.records.length;
    }
    const records = zones.length === 1 ? zones[0]!.records : zones.flatMap((zone) => zone.records);
    this.served = new ServedData(records, zones.map((zone) => zone.origin));
  }

  /** The records of `owner` in the zone at `k` of the list. */
  recordsIn(k: number, owner: string): DnsRecord[] {
    const zone = this.zones[k]!;
    const first = this.firsts[k]!;
    return this.served.positionsAt(owner).filter((position) => position >= first && position < first + zone.records.length)
      .map((position) => zone.records[position - first]!);
  }

  /** The entries of every record of `name`, in the order the files give them. */
  entriesAt(name: string): ZoneEntry[] {
    return this.served.positionsAt(name).map((position) => {
      let k = this.zones.length - 1;
      while (this.firsts[k]! > position) k--;
      return this.zones[k]!.entryAt(position - this.firsts[k]!);
    });
  }
}

/**
 * Each zone finding goes to the result of its owner, else of its nearest ancestor that has one, else
 * to the apex's; the jobs are made as they are taken, so only the owners with findings are held ahead.
 */
function* ownerJobs(set: ZoneSet, k: number, options: ZoneCheckOptions): Generator<OwnerJob> {
  const zone = set.zones[k]!;
  const owners = ownersToCheck(zone);
  // Only names of the reverse trees are guessed `reverse`, whatever their records.
  const mailOwners = owners.filter((owner) => owner !== zone.origin && !isReverseName(owner));
  const suppressions = readSuppressionComments(zone);
  const scope = { zone: { file: zone.file, comments: suppressions.comments } };
  const owned: OwnedFinding[] = [
    ...readerFindings(zone), ...suppressions.findings, ...zoneRules.flatMap((rule) => rule.check({ zone, served: set.served, first: set.firsts[k]! })),
  ];
  const { byOwner, gone } = placeZoneFindings(zone, owners, owned, options);
  const unreadableMx = new Set(unreadableMxProblems(zone).map(({ owner }) => owner));
  for (const owner of owners) {
    yield {
      zone, owner, profile: profileOf(owner, set.recordsIn(k, owner), unreadableMx), zoneFindings: byOwner.get(owner) ?? [], mailOwners,
      scope: owner === zone.origin ? { ...scope, absentNames: gone } : scope,
    };
  }
}

/**
 * The zone findings by the owner whose result shows them, and the names of the baseline that have
 * no result now. The set of the owners checked (about 10 MB for a million records) is needed only
 * here, not while the owners are checked.
 */
function placeZoneFindings(zone: ParsedZone, owners: readonly string[], owned: readonly OwnedFinding[], options: ZoneCheckOptions): { byOwner: Map<string, Finding[]>; gone: string[] } {
  const checked = new Set(owners);
  const gone = baselineNames(options, zone.file).filter((name) => !checked.has(name));
  const byOwner = new Map<string, Finding[]>([[zone.origin, []]]);
  for (const { owner, finding } of owned) {
    const resultOf = nearestChecked(checked, owner) ?? zone.origin;
    const findings = byOwner.get(resultOf);
    if (findings) findings.push(finding);
    else byOwner.set(resultOf, [finding]);
  }
  return { byOwner, gone };
}

/**
 * The profile an owner's records suggest; an owner whose MX record could not be read (`sales MX mx1`)
 * and who has no other was meant to receive mail all the same.
 */
function profileOf(owner: string, records: readonly DnsRecord[], unreadableMx: ReadonlySet<string>): OwnerJob['profile'] {
  const guess = guessedProfile(owner, records);
  return (guess === 'none' || guess === 'sending-only') && unreadableMx.has(owner) ? 'receiving' : guess;
}

/** The owner itself when it is checked, else its nearest checked ancestor. */
function nearestChecked(checked: ReadonlySet<string>, owner: string | null): string | undefined {
  for (let name = owner; name !== null && name !== ''; name = name.includes('.') ? name.slice(name.indexOf('.') + 1) : null) {
    if (checked.has(name)) return name;
  }
  return undefined;
}

/** The MX family's rule ids: their findings point at an MX record. */
const MX_RULES = new Set<string>(mxFamily.rules.map((meta) => meta.id));
/** The family of each rule that has one. */
const FAMILY_OF_RULE = new Map<string, AnyFamily>((FAMILIES as readonly AnyFamily[]).flatMap((family) => family.rules.map((meta) => [meta.id, family] as const)));

/** The TXT record in the files that a family's finding is about (its record, read at `domain`), if it is there. */
function familyRecordEntry(finding: Finding, domain: string, sections: FamilySections, set: ZoneSet): ZoneEntry | undefined {
  const family = FAMILY_OF_RULE.get(finding.rule);
  const section = family && (sections as Record<string, unknown>)[family.name];
  const place = section === undefined ? undefined : family!.recordPlace?.(section, domain);
  if (place === undefined || (finding.target !== undefined && finding.target !== place.name)) return undefined;
  return set.entriesAt(place.name).find(({ record }) => isRecordOf(record, 'TXT') && txtToString(record.data) === place.text);
}

/**
 * Where a finding points: one of the MX rules (or about an exchange) at the data of the MX record
 * naming its target, else of the name's first MX record; a finding about a family's record (SPF,
 * DMARC, …) at that TXT record; any other at the name's first record. Names are the owner and,
 * after a CNAME, its canonical name; `entries` are those of their records.
 */
function locationFor(finding: Finding, names: readonly string[], entries: readonly ZoneEntry[], sections: FamilySections, set: ZoneSet): SourceLocation | undefined {
  const mx = entries.filter((entry) => isRecordOf(entry.record, 'MX'));
  const aboutTarget = mx.find(({ record }) => isRecordOf(record, 'MX') && record.data.exchange === finding.target);
  const entry = aboutTarget ?? (MX_RULES.has(finding.rule) ? mx[0] : names.map((name) => familyRecordEntry(finding, name, sections, set)).find((e) => e !== undefined));
  return entry === undefined ? entries[0]?.location : entry.dataLocation;
}

/** zone-external-not-checked for the names other families left unasked (an SPF include); the MX rule covers the rest. */
function otherNotAsked(questions: Question[], covered: Set<string>): Finding[] {
  const types = new Map<string, string[]>();
  for (const { name, type } of questions) {
    if (covered.has(name)) continue;
    types.set(name, [...new Set([...(types.get(name) ?? []), type])]);
  }
  return [...types].map(([name, asked]) => findingOf(zoneExternalNotChecked.meta, 'recordsNotAsked', { types: asked.join(' and '), name }, unasked(name)));
}

async function checkOwner(source: ZoneLookupSource, job: OwnerJob, set: ZoneSet, options: ZoneCheckOptions, prober: SmtpProber): Promise<DomainResult> {
  const started = performance.now();
  const recorder = new NotAskedRecorder(source);
  const check = await checkName(recorder, job.owner, options, { guess: job.profile, prober });
  const names = [job.owner, canonicalDomain(check.facts)];
  // A name not judged as a mail domain has no mail facts to speak of: only the apex's one calm note.
  const notChecked = check.profile === null
    ? zoneApexNoMail.check({ domain: job.owner, file: job.zone.file, mailOwners: job.mailOwners })
    : [...zoneExternalNotChecked.check(check.facts), ...otherNotAsked(recorder.questions, notAskedInMailFacts(check.facts))];
  // The entries are made once for the owner's findings, and only when one has no place of its own.
  let entries: ZoneEntry[] | undefined;
  const located = [...check.findings, ...notChecked].map((finding) => {
    if (finding.location !== undefined) return finding;
    entries ??= names.flatMap((name) => set.entriesAt(name));
    const location = locationFor(finding, names, entries, check.sections, set);
    return location === undefined ? finding : { ...finding, location };
  });
  const notAsked = [...new Set(notChecked.flatMap((finding) => (finding.rule === zoneExternalNotChecked.meta.id ? [finding.target!] : [])))];
  const zone = { file: job.zone.file, origin: job.zone.origin, ...(notAsked.length > 0 ? { notAsked } : {}) };
  return nameResult(job.owner, check, [...located, ...job.zoneFindings], started, options, { zone }, job.scope);
}

/** Families that mean nothing on zone-file data: DNSSEC validation (no resolver vouches for a file). */
const NEED_VALIDATION: readonly CheckFamily[] = ['dnssec', 'dane'];
/** Families that connect to the servers they find, which --offline rules out. */
export const CONNECTING_FAMILIES: readonly CheckFamily[] = ['smtp', 'relay', 'tls', 'mta-sts', 'bimi'];

/** Throws OptionError for families zone mode cannot run as asked; call before reporting starts. */
export function assertZoneCheckOptions(options: ZoneCheckOptions): void {
  const { offline, resolver: _resolver, ...checkOptions } = options;
  const checks = requestedFamilies(validateOptions(checkOptions));
  if (offline !== undefined && typeof offline !== 'boolean') throw new OptionError(`offline must be true or false, not ${String(offline)}`);
  if (checkOptions.authoritative !== undefined) throw new OptionError('authoritative checks domains on their name servers, not zone files');
  const unvalidated = checks.filter((family) => NEED_VALIDATION.includes(family));
  if (unvalidated.length > 0) {
    throw new OptionError(`--checks ${unvalidated.join(',')} needs a validating resolver's answers, which zone files are not: check the domain once the zone is published and signed`);
  }
  const connecting = options.offline ? checks.filter((family) => CONNECTING_FAMILIES.includes(family)) : [];
  if (connecting.length > 0) throw new OptionError(`--checks ${connecting.join(',')} connects to servers, which --offline rules out`);
}

/**
 * Checks zone files as their servers would serve them: a result for each zone's apex and for every
 * owner of MX records, each finding at the line it is about. Names inside the files are answered from
 * them; others are asked of the resolver, or left unasked with `offline`. Results in file order.
 */
export async function* streamZoneChecks(zones: readonly ParsedZone[], options: ZoneCheckOptions = {}): AsyncGenerator<DomainResult> {
  assertZoneCheckOptions(options);
  const set = new ZoneSet(zones);
  const resolver = options.offline ? null : (options.resolver ?? new Resolver(resolverOptions(options)));
  const source = new ZoneLookupSource(set.served, resolver ?? 'offline', `zone file${zones.length === 1 ? '' : 's'} ${zones.map((z) => z.file).join(', ')}`);
  try {
    const jobs = (function* () {
      for (let k = 0; k < zones.length; k++) yield* ownerJobs(set, k, options);
    })();
    const prober = createSmtpProber(options);
    for await (const result of reportSharedOnce(mapBounded(jobs, concurrencyOf(options), 'input', (job) => checkOwner(source, job, set, options, prober)))) {
      const findings = collapseNotChecked(result.findings);
      yield findings.length === result.findings.length ? result : { ...result, findings: findings.sort(compareFindings) };
    }
  } finally {
    if (resolver !== null && !options.resolver) resolver.close();
  }
}

export function checkZones(zones: readonly ParsedZone[], options: ZoneCheckOptions = {}): Promise<DomainResult[]> {
  return collect(streamZoneChecks(zones, options));
}
