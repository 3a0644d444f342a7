import type { MailFacts } from './mail.js';

/** Readings of the MX facts that decide whether a policy family has anything to look at. */

/** The domain itself does not exist (NXDOMAIN at the name, not at an alias target). */
export function domainDoesNotExist(mail: MailFacts): boolean {
  return mail.mx.state === 'nxdomain' && mail.mx.chain.length === 0;
}

/** The domain says it takes no mail: its only MX is the null MX (RFC 7505). */
export function takesNoMail(mail: MailFacts): boolean {
  return mail.mx.state === 'found' && mail.mx.records.every((r) => r.data.exchange === '.');
}
