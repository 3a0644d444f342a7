import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import type { MailFacts } from '../../facts/mail.js';
import { collectPublishedRecords, lookupTxt, textsOf } from '../../facts/txt-record.js';
import { organizationalDomain } from '../../facts/organizational-domain.js';
import { domainDoesNotExist, takesNoMail } from '../../facts/mail-domain.js';
import { looksLikeDmarc, parseDmarcRecord, startsWithDmarcVersion } from './record.js';
import type { DmarcRecord } from './record.js';

/** Where DMARC policy discovery (RFC 7489 §6.6.3) ended for a domain. */
export type DmarcDiscovery =
  /** The domain does not exist: there is nothing to protect, and domain-nxdomain says so. */
  | { state: 'skipped' }
  | { state: 'failed'; failure: LookupFailure }
  /** No record at the domain nor at its organizational domain; `asked` are the _dmarc names tried. */
  | { state: 'none'; asked: string[] }
  /**
   * Records at `_dmarc.<source>`: the domain itself, or its organizational domain when `inherited`.
   * More than one means receivers apply none of them.
   */
  | { state: 'found'; source: string; inherited: boolean; records: { text: string; parsed: DmarcRecord }[] };

/** Whether a report destination in another organization agreed to take the reports (§7.1). */
export interface ReportAuthorization {
  /** The domain that receives the reports. */
  host: string;
  /** The TXT name asked: <policy domain>._report._dmarc.<host>. */
  name: string;
  uris: string[];
  outcome: { state: 'authorized' } | { state: 'unauthorized' } | { state: 'failed'; failure: LookupFailure };
}

export interface DmarcFacts {
  domain: string;
  /** The domain announces that it takes no mail (null MX): its DMARC advice differs. */
  nullMx: boolean;
  discovery: DmarcDiscovery;
  /** Only for a single, parsed record. */
  authorizations: ReportAuthorization[];
}

export function dmarcName(domain: string): string {
  return `_dmarc.${domain}`;
}

/** The DMARC records at _dmarc.`source`: a discovery, or null when there are none (look further). */
async function discoverAt(lookups: LookupSource, source: string, inherited: boolean): Promise<DmarcDiscovery | null> {
  const published = await collectPublishedRecords(lookups, dmarcName(source), looksLikeDmarc, parseDmarcRecord);
  if (published.txt.state === 'failed') return { state: 'failed', failure: published.txt.failure };
  return published.records.length === 0 ? null : { state: 'found', source, inherited, records: published.records };
}

async function discover(lookups: LookupSource, domain: string, organizational: string | null): Promise<DmarcDiscovery> {
  const own = await discoverAt(lookups, domain, false);
  if (own) return own;
  if (organizational === null || organizational === domain) return { state: 'none', asked: [dmarcName(domain)] };
  const inherited = await discoverAt(lookups, organizational, true);
  return inherited ?? { state: 'none', asked: [dmarcName(domain), dmarcName(organizational)] };
}

function sameOrganization(a: string, b: string): boolean {
  return (organizationalDomain(a) ?? a) === (organizationalDomain(b) ?? b);
}

/** §7.1: each report destination outside the policy domain's organization must publish its consent. */
async function authorize(lookups: LookupSource, policyDomain: string, record: DmarcRecord): Promise<ReportAuthorization[]> {
  const byHost = new Map<string, string[]>();
  for (const uri of [...record.rua, ...record.ruf]) {
    if (sameOrganization(uri.host, policyDomain)) continue;
    byHost.set(uri.host, [...(byHost.get(uri.host) ?? []), uri.uri]);
  }
  return Promise.all([...byHost].map(async ([host, uris]): Promise<ReportAuthorization> => {
    const name = `${policyDomain}._report._dmarc.${host}`;
    const txt = await lookupTxt(lookups, name);
    if (txt.state === 'failed') return { host, name, uris, outcome: { state: 'failed', failure: txt.failure } };
    const consents = textsOf(txt, startsWithDmarcVersion).length > 0;
    return { host, name, uris, outcome: { state: consents ? 'authorized' : 'unauthorized' } };
  }));
}

export async function collectDmarcFacts(lookups: LookupSource, mail: MailFacts): Promise<DmarcFacts> {
  const domain = mail.domain;
  const organizational = organizationalDomain(domain);
  const base = { domain, nullMx: takesNoMail(mail) };
  if (domainDoesNotExist(mail)) return { ...base, discovery: { state: 'skipped' }, authorizations: [] };
  const discovery = await discover(lookups, domain, organizational);
  const single = discovery.state === 'found' && discovery.records.length === 1 ? discovery.records[0]!.parsed : null;
  const authorizations = single && discovery.state === 'found' ? await authorize(lookups, discovery.source, single) : [];
  return { ...base, discovery, authorizations };
}
