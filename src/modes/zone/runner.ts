import { ServedData } from '../../dns/zone-data/served-data.js';
import { collect, concurrencyOf, resolverOptions } from '../../engine/run-options.js';
import type { RunOptions } from '../../engine/run-options.js';
import { OptionError } from '../../core/errors.js';
import { mapBounded } from '../../engine/bounded-map.js';
import { checkName, nameResult } from '../../engine/check-name.js';
import { createSmtpProber } from '../../facts/smtp-prober.js';
import type { SmtpProber } from '../../facts/smtp-prober.js';
import { Resolver } from '../../dns/resolver.js';
import { isRecordOf } from '../../dns/records.js';
import { canonicalDomain } from '../../facts/mail.js';
import type { DomainResult } from '../../engine/result.js';
import type { Finding } from '../../core/finding.js';
import { notAskedInMailFacts, readerFindings, zoneExternalNotChecked, zoneRules } from './rules/index.js';
import { guessedProfile, ownersToCheck, zoneApexNoMail } from './rules/mail-owners.js';
import { readSuppressionComments } from './suppressions.js';
import { baselineNames } from '../../engine/judge.js';
import type { JudgeScope } from '../../engine/judge.js';
import { findingOf } from '../../core/rule.js';
import type { Question } from '../../dns/message.js';
import { mxFamily } from '../../families/mx/index.js';
import type { CheckFamily } from '../../families/index.js';
import { requestedFamilies, validateOptions } from '../../engine/validate-options.js';
import type { OwnedFinding } from './rules/index.js';
import { readFailure } from '../../core/files.js';
import { readZoneFile } from '../../dns/zone-file/reader.js';
import type { ParsedZone, ZoneEntry } from '../../dns/zone-file/types.js';
import type { SourceLocation } from '../../core/finding.js';
import { NotAskedRecorder, ZoneLookupSource } from './zone-source.js';

export interface ZoneCheckOptions extends RunOptions {
  /** Ask no server: names outside the zone files are reported as not checked (zone-external-not-checked). */
  offline?: boolean;
}

/**
 * Reads zone files for checking. Whatever is wrong inside a file becomes a finding; a file that cannot
 * be read at all is an OptionError. `origin` is the origin of every file given (usually one).
 */
export function readZones(files: readonly string[], origin?: string): ParsedZone[] {
  return files.map((file) => {
    try {
      return readZoneFile(file, origin === undefined ? {} : { origin });
    } catch (error) {
      throw new OptionError(`cannot read zone file ${file}: ${readFailure(error)}`);
    }
  });
}

/** One name to check: the apex of a zone, or an owner of MX records in it. */
interface OwnerJob {
  zone: ParsedZone;
  owner: string;
  /** The zone rules' findings that belong in this owner's result. */
  zoneFindings: Finding[];
  /** The zone's other names checked as mail domains, for the apex's note when it is none. */
  mailOwners: string[];
  /** The zone file and its suppression comments; for the apex also the names the baseline has that have no result now. */
  scope: JudgeScope;
}

/** Every record of every zone file by owner, to point findings at the line they are about. */
type EntriesByOwner = Map<string, ZoneEntry[]>;

function entriesByOwner(zones: readonly ParsedZone[]): EntriesByOwner {
  const index: EntriesByOwner = new Map();
  for (const entry of zones.flatMap((zone) => zone.entries)) {
    const at = index.get(entry.record.name);
    if (at) at.push(entry);
    else index.set(entry.record.name, [entry]);
  }
  return index;
}

/** Each zone finding goes to the result of its owner when that owner has one, else to the apex's. */
function ownerJobs(zone: ParsedZone, served: ServedData, options: ZoneCheckOptions): OwnerJob[] {
  const owners = ownersToCheck(zone);
  const mailOwners = owners.filter((owner) => owner !== zone.origin && guessedProfile(zone, owner) !== 'reverse');
  const suppressions = readSuppressionComments(zone);
  const scope = { zone: { file: zone.file, comments: suppressions.comments } };
  const gone = baselineNames(options, zone.file).filter((name) => !owners.includes(name));
  const jobs = new Map(owners.map((owner): [string, OwnerJob] => [owner, {
    zone, owner, zoneFindings: [], mailOwners, scope: owner === zone.origin ? { ...scope, absentNames: gone } : scope,
  }]));
  const owned: OwnedFinding[] = [...readerFindings(zone), ...suppressions.findings, ...zoneRules.flatMap((rule) => rule.check({ zone, served }))];
  for (const { owner, finding } of owned) (jobs.get(owner ?? zone.origin) ?? jobs.get(zone.origin)!).zoneFindings.push(finding);
  return [...jobs.values()];
}

/** The MX family's rule ids: their findings point at an MX record. */
const MX_RULES = new Set<string>(mxFamily.rules.map((meta) => meta.id));

/**
 * Where a finding points: one of the MX rules (or about an exchange) at the data of the MX record
 * naming its target, else of the name's first MX record; any other at the name's first record. Names
 * are the owner and, after a CNAME, its canonical name.
 */
function locationFor(finding: Finding, names: string[], index: EntriesByOwner): SourceLocation | undefined {
  const entries = names.flatMap((name) => index.get(name) ?? []);
  const mx = entries.filter((entry) => isRecordOf(entry.record, 'MX'));
  const aboutTarget = mx.find(({ record }) => isRecordOf(record, 'MX') && record.data.exchange === finding.target);
  const entry = aboutTarget ?? (MX_RULES.has(finding.rule) ? mx[0] : undefined);
  return entry === undefined ? entries[0]?.location : entry.dataLocation;
}

/** zone-external-not-checked for the names other families left unasked (an SPF include); the MX rule covers the rest. */
function otherNotAsked(questions: Question[], covered: Set<string>): Finding[] {
  const types = new Map<string, string[]>();
  for (const { name, type } of questions) {
    if (covered.has(name)) continue;
    types.set(name, [...new Set([...(types.get(name) ?? []), type])]);
  }
  return [...types].map(([name, asked]) => findingOf(zoneExternalNotChecked.meta, 'recordsNotAsked', { types: asked.join(' and '), name }, { target: name }));
}

async function checkOwner(source: ZoneLookupSource, job: OwnerJob, index: EntriesByOwner, options: ZoneCheckOptions, prober: SmtpProber): Promise<DomainResult> {
  const started = performance.now();
  const recorder = new NotAskedRecorder(source);
  const check = await checkName(recorder, job.owner, options, { guess: guessedProfile(job.zone, job.owner), prober });
  const names = [job.owner, canonicalDomain(check.facts)];
  // A name not judged as a mail domain has no mail facts to speak of: only the apex's one calm note.
  const notChecked = check.profile === null
    ? zoneApexNoMail.check({ domain: job.owner, file: job.zone.file, mailOwners: job.mailOwners })
    : [...zoneExternalNotChecked.check(check.facts), ...otherNotAsked(recorder.questions, notAskedInMailFacts(check.facts))];
  const located = [...check.findings, ...notChecked].map((finding) => {
    const location = finding.location ?? locationFor(finding, names, index);
    return location === undefined ? finding : { ...finding, location };
  });
  return nameResult(job.owner, check, [...located, ...job.zoneFindings], started, options, { zone: { file: job.zone.file, origin: job.zone.origin } }, job.scope);
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
  const served = new ServedData(zones.flatMap((zone) => zone.entries.map((entry) => entry.record)), zones.map((zone) => zone.origin));
  const index = entriesByOwner(zones);
  const resolver = options.offline ? null : (options.resolver ?? new Resolver(resolverOptions(options)));
  const source = new ZoneLookupSource(served, resolver ?? 'offline', `zone file${zones.length === 1 ? '' : 's'} ${zones.map((z) => z.file).join(', ')}`);
  try {
    const jobs = zones.flatMap((zone) => ownerJobs(zone, served, options));
    const prober = createSmtpProber(options);
    yield* mapBounded(jobs, concurrencyOf(options), 'input', (job) => checkOwner(source, job, index, options, prober));
  } finally {
    if (resolver !== null && !options.resolver) resolver.close();
  }
}

export function checkZones(zones: readonly ParsedZone[], options: ZoneCheckOptions = {}): Promise<DomainResult[]> {
  return collect(streamZoneChecks(zones, options));
}
