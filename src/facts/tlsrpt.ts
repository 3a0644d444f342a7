import type { LookupSource } from '../dns/lookup.js';
import type { MailFacts } from './mail-facts.js';
import { collectPublishedRecords } from './txt-record.js';
import type { PublishedRecords } from './txt-record.js';
import { domainDoesNotExist, takesNoMail } from './mail-domain.js';
import { looksLikeTlsRpt, parseTlsRptRecord } from '../records/tlsrpt.js';
import type { TlsRptRecord } from '../records/tlsrpt.js';

export interface TlsRptFacts {
  domain: string;
  /** The _smtp._tls records; null when not looked at: the domain does not exist, or takes no mail. */
  published: PublishedRecords<TlsRptRecord> | null;
}

export function tlsRptName(domain: string): string {
  return `_smtp._tls.${domain}`;
}

export async function collectTlsRptFacts(lookups: LookupSource, mail: MailFacts): Promise<TlsRptFacts> {
  if (domainDoesNotExist(mail) || takesNoMail(mail)) return { domain: mail.domain, published: null };
  return { domain: mail.domain, published: await collectPublishedRecords(lookups, tlsRptName(mail.domain), looksLikeTlsRpt, parseTlsRptRecord) };
}
