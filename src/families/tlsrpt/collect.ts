import type { LookupSource } from '../../dns/lookup.js';
import type { MailFacts } from '../../facts/mail.js';
import { collectPublishedRecords } from '../../facts/txt-record.js';
import type { PublishedRecords } from '../../facts/txt-record.js';
import { domainDoesNotExist, takesNoMail } from '../../facts/mail-domain.js';
import { looksLikeTlsRpt, parseTlsRptRecord } from './record.js';
import type { TlsRptRecord } from './record.js';

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
