import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import type { MailFacts } from '../../facts/mail.js';
import { domainDoesNotExist } from '../../facts/mail-domain.js';
import { organizationalDomain } from '../../facts/organizational-domain.js';
import { collectPublishedRecords } from '../../facts/txt-record.js';
import { fetchHttpsResource } from '../../facts/https-resource.js';
import type { HttpsFetchSettings, HttpsResourceFetch } from '../../facts/https-resource.js';
import { collectDmarcEnforcement } from './dmarc-enforcement.js';
import type { DmarcEnforcementFacts } from './dmarc-enforcement.js';
import { readEvidence } from './evidence.js';
import type { EvidenceReading } from './evidence.js';
import { bimiName, looksLikeBimi, parseBimiRecord } from './record.js';
import type { BimiRecord, HttpsUrl } from './record.js';
import { readIndicator } from './svg.js';
import type { IndicatorReading } from './svg.js';

/** draft-brand-indicators-for-message-identification §4.4: the selector used when a message names none. */
export const DEFAULT_BIMI_SELECTOR = 'default';
/** A logo is read up to this many octets as served (eight times the profile's 32 KiB), so an oversized one is still judged. */
export const MAX_INDICATOR_FETCH_BYTES = 256 * 1024;
/** An evidence document is a few certificates, each with its logo embedded: this is ample. */
export const MAX_EVIDENCE_FETCH_BYTES = 256 * 1024;

/** Where assertion record discovery (§7.2) ended. */
export type BimiDiscovery =
  /** The domain does not exist: domain-nxdomain says so. */
  | { state: 'skipped' }
  | { state: 'failed'; name: string; failure: LookupFailure }
  /** No record at SELECTOR._bimi.DOMAIN nor at the Organizational Domain; `asked` are the names tried. */
  | { state: 'none'; asked: string[] }
  /** Records at SELECTOR._bimi.`source`: the domain, or its Organizational Domain when `inherited`. */
  | { state: 'found'; name: string; source: string; inherited: boolean; records: { text: string; parsed: BimiRecord }[] };

/** A file fetched for BIMI: how fetching it failed, or what was read from it. */
export type FetchOf<Read> = { url: string } & (
  | Exclude<HttpsResourceFetch, { state: 'fetched' }>
  | (Omit<Extract<HttpsResourceFetch, { state: 'fetched' }>, 'body'> & Read));

export type IndicatorFetch = FetchOf<{ size: number; reading: IndicatorReading }>;
export type EvidenceFetch = FetchOf<{ reading: EvidenceReading }>;

export interface BimiFacts {
  domain: string;
  selector: string;
  /** By the Public Suffix List; null for a name that is itself a public suffix. */
  organizational: string | null;
  discovery: BimiDiscovery;
  /** Read when a single record asks for a logo: BIMI requires DMARC enforcement. */
  dmarc: DmarcEnforcementFacts | null;
  /** The logo fetched from l=, when it names one. */
  indicator: IndicatorFetch | null;
  /** The evidence document fetched from a=, when it names one. */
  evidence: EvidenceFetch | null;
  /** When the check ran: the Mark Certificate's validity is judged at this time. */
  now: Date;
}

export interface BimiSettings extends HttpsFetchSettings {
  selector: string;
}

/** The single record of a discovery, when there is exactly one. */
export function singleRecord(discovery: BimiDiscovery): BimiRecord | null {
  return discovery.state === 'found' && discovery.records.length === 1 ? discovery.records[0]!.parsed : null;
}

async function discover(lookups: LookupSource, selector: string, domain: string, organizational: string | null): Promise<BimiDiscovery> {
  const asked: string[] = [];
  for (const [source, inherited] of [[domain, false], [organizational, true]] as const) {
    if (source === null || (inherited && source === domain)) continue;
    const name = bimiName(selector, source);
    asked.push(name);
    const published = await collectPublishedRecords(lookups, name, looksLikeBimi, parseBimiRecord);
    if (published.txt.state === 'failed') return { state: 'failed', name, failure: published.txt.failure };
    if (published.records.length > 0) return { state: 'found', name, source, inherited, records: published.records };
  }
  return { state: 'none', asked };
}

function fetchFile<Read>(lookups: LookupSource, url: HttpsUrl, what: string, maxBytes: number, settings: HttpsFetchSettings,
  read: (body: Buffer) => Read): Promise<FetchOf<Read>> {
  return fetchHttpsResource(lookups, {
    host: url.host, port: url.port, path: url.path, maxBytes, what, readers: 'receivers',
    redirects: 'receivers are not required to follow them (mxlint follows none)',
  }, settings).then((fetched) => {
    if (fetched.state !== 'fetched') return { url: url.url, ...fetched };
    const { body, ...rest } = fetched;
    return { url: url.url, ...rest, ...read(body) };
  });
}

export async function collectBimiFacts(lookups: LookupSource, mail: MailFacts, settings: BimiSettings): Promise<BimiFacts> {
  const { domain } = mail;
  const { selector } = settings;
  const organizational = organizationalDomain(domain);
  const now = new Date();
  const base = { domain, selector, organizational, now };
  if (domainDoesNotExist(mail)) return { ...base, discovery: { state: 'skipped' }, dmarc: null, indicator: null, evidence: null };
  const discovery = await discover(lookups, selector, domain, organizational);
  const record = singleRecord(discovery);
  if (record === null || record.declined || record.discarded) return { ...base, discovery, dmarc: null, indicator: null, evidence: null };
  const { location, evidence: evidenceUrl } = record;
  const [dmarc, indicator, evidence] = await Promise.all([
    collectDmarcEnforcement(lookups, domain, organizational),
    location === null ? null : fetchFile(lookups, location, 'the logo', MAX_INDICATOR_FETCH_BYTES, settings,
      (body) => ({ size: body.length, reading: readIndicator(body) })),
    evidenceUrl === null ? null : fetchFile(lookups, evidenceUrl, 'the evidence document', MAX_EVIDENCE_FETCH_BYTES, settings,
      (body) => ({ reading: readEvidence(body.toString('latin1'), settings.ca, now) })),
  ]);
  return { ...base, discovery, dmarc, indicator, evidence };
}
