import { defineRule } from '../../../core/rule.js';
import type { MailFacts } from '../../../facts/mail.js';
import { takesNoMail } from '../../../facts/mail-domain.js';

/** RFC 7505: "MX 0 ." says a domain takes no mail, and only means that when it stands alone. */

function mxRecords(facts: MailFacts): { preference: number; exchange: string }[] {
  return facts.mx.state === 'found' ? facts.mx.records.map((r) => r.data) : [];
}

export const nullMx = defineRule({
  id: 'null-mx', family: 'mx', severity: 'info', rfc: 'RFC 7505',
  summary: 'the only MX has the root "." as exchange: the domain declares it takes no mail (a pass)',
  fix: 'nothing, if the domain sends no mail to itself; replace it with real MX records if it should receive mail',
  messages: {
    nullMx: '{{domain}} publishes a null MX ("MX 0 ."): it declares that it accepts no mail, and senders fail at once instead of retrying.',
  },
}, (facts: MailFacts, report) => (takesNoMail(facts) ? [report('nullMx', { domain: facts.domain })] : []));

export const nullMxMixed = defineRule({
  id: 'null-mx-mixed', family: 'mx', severity: 'error', rfc: 'RFC 7505 §3',
  summary: 'an MX with exchange "." together with other MX records',
  fix: 'remove the null MX if the domain receives mail, or the other MX records if it does not',
  messages: {
    mixed: '{{domain}} mixes a null MX ("MX {{preference}} .") with other MX records ({{others}}); a null MX must be the only MX record.',
  },
}, (facts: MailFacts, report) => {
  const records = mxRecords(facts);
  const others = records.filter((r) => r.exchange !== '.');
  if (others.length === 0 || others.length === records.length) return [];
  return [report('mixed', { domain: facts.domain, preference: records.find((r) => r.exchange === '.')!.preference, others: others.map((r) => r.exchange).join(', ') })];
});

export const nullMxPreference = defineRule({
  id: 'null-mx-preference', family: 'mx', severity: 'warning', rfc: 'RFC 7505 §3',
  summary: 'a null MX with a preference other than 0',
  fix: 'publish the null MX as "MX 0 ."',
  messages: {
    preference: {
      message: '{{domain}} has a null MX with preference {{preferences}}; it must be 0.',
      fix: 'publish it as "{{domain}}. MX 0 ."',
    },
  },
}, (facts: MailFacts, report) => {
  if (!takesNoMail(facts)) return [];
  const odd = mxRecords(facts).filter((r) => r.preference !== 0);
  return odd.length === 0 ? [] : [report('preference', { domain: facts.domain, preferences: odd.map((r) => r.preference).join(', ') })];
});
