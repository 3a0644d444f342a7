import type { LookupSource } from '../../dns/lookup.js';
import type { MailFacts } from '../../facts/mail.js';
import { collectPublishedRecords } from '../../facts/txt-record.js';
import type { PublishedRecords } from '../../facts/txt-record.js';
import { domainDoesNotExist, takesNoMail } from '../../facts/mail-domain.js';
import { fetchHttpsResource } from '../../facts/https-resource.js';
import type { HttpsFetchSettings, HttpsResourceFetch } from '../../facts/https-resource.js';
import { looksLikeMtaSts, parseMtaStsRecord, readMtaStsPolicy } from './record.js';
import type { MtaStsPolicy, MtaStsRecord } from './record.js';

/** RFC 8461 §3.3: the policy lives at this path of https://mta-sts.DOMAIN/, on the HTTPS port. */
export const POLICY_PATH = '/.well-known/mta-sts.txt';
export const POLICY_PORT = 443;
/** RFC 8461 §3.3 lets senders cap a policy at 64 KiB; a bigger one may be refused. */
export const MAX_POLICY_BYTES = 64 * 1024;

/** The policy fetch: how fetching it failed, or the policy read from what was served. */
export type PolicyFetch =
  | Exclude<HttpsResourceFetch, { state: 'fetched' }>
  | (Omit<Extract<HttpsResourceFetch, { state: 'fetched' }>, 'body'> & { body: string; policy: MtaStsPolicy });

export interface MtaStsFacts {
  domain: string;
  /** The _mta-sts records; null when not looked at: the domain does not exist, or takes no mail (null MX). */
  published: PublishedRecords<MtaStsRecord> | null;
  /** Fetched when there is any record: senders would fetch it once the record is fixed. */
  fetch: PolicyFetch | null;
  /** The names the MX records point to, which the policy must allow. */
  exchanges: string[];
}

export function mtaStsName(domain: string): string {
  return `_mta-sts.${domain}`;
}

export function policyUrl(domain: string): string {
  return `https://mta-sts.${domain}${POLICY_PATH}`;
}

async function fetchPolicy(lookups: LookupSource, domain: string, settings: HttpsFetchSettings): Promise<PolicyFetch> {
  const fetched = await fetchHttpsResource(lookups, {
    host: `mta-sts.${domain}`, port: POLICY_PORT, path: POLICY_PATH, maxBytes: MAX_POLICY_BYTES,
    what: 'the policy', readers: 'senders', redirects: 'senders must not follow redirects',
  }, settings);
  if (fetched.state !== 'fetched') return fetched;
  const { text, policy } = readMtaStsPolicy(fetched.body);
  return { ...fetched, body: text, policy };
}

export async function collectMtaStsFacts(lookups: LookupSource, mail: MailFacts, settings: HttpsFetchSettings): Promise<MtaStsFacts> {
  const domain = mail.domain;
  const exchanges = mail.exchanges.map((e) => e.name);
  if (domainDoesNotExist(mail) || takesNoMail(mail)) return { domain, published: null, fetch: null, exchanges };
  const published = await collectPublishedRecords(lookups, mtaStsName(domain), looksLikeMtaSts, parseMtaStsRecord);
  const fetch = published.records.length > 0 ? await fetchPolicy(lookups, domain, settings) : null;
  return { domain, published, fetch, exchanges };
}
