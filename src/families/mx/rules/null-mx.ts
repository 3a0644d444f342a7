import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import type { MailFacts } from '../../../facts/mail.js';
import { takesNoMail } from '../../../facts/mail-domain.js';

/** RFC 7505: "MX 0 ." says a domain takes no mail, and only means that when it stands alone. */

function mxRecords(facts: MailFacts): { preference: number; exchange: string }[] {
  return facts.mx.state === 'found' ? facts.mx.records.map((r) => r.data) : [];
}

export const nullMx: Rule<MailFacts> = defineLegacyRule({
  id: 'null-mx', family: 'mx', severity: 'info', rfc: 'RFC 7505',
  summary: 'the only MX has the root "." as exchange: the domain declares it takes no mail (a pass)',
  fix: 'nothing, if the domain sends no mail to itself; replace it with real MX records if it should receive mail',
}, (facts, report) => {
  if (!takesNoMail(facts)) return [];
  return [report(`${facts.domain} publishes a null MX ("MX 0 ."): it declares that it accepts no mail, and senders fail at once instead of retrying (RFC 7505). Replace it with real MX records if the domain should receive mail.`)];
});

export const nullMxMixed: Rule<MailFacts> = defineLegacyRule({
  id: 'null-mx-mixed', family: 'mx', severity: 'error', rfc: 'RFC 7505 §3',
  summary: 'an MX with exchange "." together with other MX records',
  fix: 'remove the null MX if the domain receives mail, or the other MX records if it does not',
}, (facts, report) => {
  const records = mxRecords(facts);
  const others = records.filter((r) => r.exchange !== '.');
  if (others.length === 0 || others.length === records.length) return [];
  return [report(`${facts.domain} mixes a null MX ("MX ${records.find((r) => r.exchange === '.')!.preference} .") with other MX records (${others.map((r) => r.exchange).join(', ')}); a null MX must be the only MX record (RFC 7505 §3). Remove the null MX if the domain receives mail, or the other records if it does not.`)];
});

export const nullMxPreference: Rule<MailFacts> = defineLegacyRule({
  id: 'null-mx-preference', family: 'mx', severity: 'warning', rfc: 'RFC 7505 §3',
  summary: 'a null MX with a preference other than 0',
  fix: 'publish the null MX as "MX 0 ."',
}, (facts, report) => {
  if (!takesNoMail(facts)) return [];
  const odd = mxRecords(facts).filter((r) => r.preference !== 0);
  if (odd.length === 0) return [];
  return [report(`${facts.domain} has a null MX with preference ${odd.map((r) => r.preference).join(', ')}; RFC 7505 §3 says it must be 0. Publish it as "${facts.domain}. MX 0 .".`)];
});
