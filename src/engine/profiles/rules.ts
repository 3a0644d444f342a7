import { defineRule } from '../../core/rule.js';
import type { MailFacts } from '../../facts/mail.js';
import type { ProfileFacts } from './facts.js';
import { parseDkimKeyRecord } from '../../families/dkim/record.js';
import { knownEmpty } from '../../facts/host.js';

/**
 * The rules a profile adds (family `profile`): what a parked or a sending-only domain must publish,
 * judged from what the families found. Each says nothing where a family already reports that it
 * could not tell (a failed lookup) or that the domain does not exist.
 */

/** The domain's MX records, when the MX question was answered with some. */
function exchangesOf(mail: MailFacts): string[] | null {
  return mail.mx.state === 'found' ? mail.mx.records.map((r) => r.data.exchange) : null;
}

function isNullMx(mail: MailFacts): boolean {
  const exchanges = exchangesOf(mail);
  return exchanges !== null && exchanges.length > 0 && exchanges.every((exchange) => exchange === '.');
}

/** The SPF record that authorizes no sender, as it is best published. */
export const SPF_NO_SENDER = 'v=spf1 -all';
/** The DMARC record that has receivers reject all mail in the domain's name. */
export const DMARC_REJECT = 'v=DMARC1; p=reject;';

/** "v=spf1 -all" however it is spaced or cased. */
function authorizesNoSender(record: string): boolean {
  return record.trim().toLowerCase().split(/\s+/).join(' ') === SPF_NO_SENDER;
}

export const parkedMx = defineRule({
  id: 'parked-mx', family: 'profile', severity: 'error', rfc: 'RFC 7505 §3',
  summary: 'a parked domain without a null MX: senders try to deliver to it, or to its own addresses',
  fix: 'publish a null MX, "DOMAIN. MX 0 .", and no other MX record',
  messages: {
    missing: {
      message: '{{domain}} is parked but has no MX record: senders deliver to its own addresses if it has any (implicit MX), and nothing says it takes no mail.',
      fix: 'publish "{{domain}}. MX 0 ."',
    },
    notNull: {
      message: '{{domain}} is parked but its MX records name exchanges ({{exchanges}}): mail to it is delivered there.',
      fix: 'replace its MX records by "{{domain}}. MX 0 ."',
    },
  },
}, (facts: ProfileFacts, report) => {
  const { mail, domain } = facts;
  if (mail.mx.state === 'nodata' || mail.mx.state === 'loop') return [report('missing', { domain })];
  const exchanges = exchangesOf(mail)?.filter((exchange) => exchange !== '.') ?? [];
  return exchanges.length > 0 ? [report('notNull', { domain, exchanges: exchanges.join(', ') })] : [];
});

export const parkedSpf = defineRule({
  id: 'parked-spf', family: 'profile', severity: 'error', rfc: 'RFC 7208 §4.6.2, §5.1',
  summary: 'a parked domain whose SPF record is not "v=spf1 -all": receivers cannot tell that no mail comes from it',
  fix: 'publish "DOMAIN. TXT \\"v=spf1 -all\\"" as its only SPF record',
  messages: {
    missing: {
      message: '{{domain}} is parked but has no SPF record: receivers cannot tell that mail in its name is forged.',
      fix: 'publish "{{domain}}. TXT \\"v=spf1 -all\\""',
    },
    authorizes: {
      message: '{{domain}} is parked but its SPF record "{{record}}" does not end every check in fail: mail in its name can pass.',
      fix: 'replace it by "{{domain}}. TXT \\"v=spf1 -all\\""',
    },
    several: {
      message: '{{domain}} is parked but has several SPF records: every SPF check of mail in its name is permerror.',
      fix: 'replace them by one, "{{domain}}. TXT \\"v=spf1 -all\\""',
    },
  },
}, (facts: ProfileFacts, report) => {
  const { spf } = facts.sections;
  const { domain } = facts;
  if (spf === undefined || facts.mail.mx.state === 'nxdomain') return [];
  switch (spf.state) {
    case 'none': return [report('missing', { domain })];
    case 'multiple': return [report('several', { domain })];
    case 'found': return spf.record !== null && !authorizesNoSender(spf.record) ? [report('authorizes', { domain, record: spf.record })] : [];
    case 'failed': return [];
  }
});

export const parkedDmarc = defineRule({
  id: 'parked-dmarc', family: 'profile', severity: 'error', rfc: 'RFC 7489 §6.3',
  summary: 'the DMARC policy that applies to a parked domain is not reject: receivers deliver mail forged in its name',
  fix: 'publish "_dmarc.DOMAIN. TXT \\"v=DMARC1; p=reject;\\""',
  messages: {
    missing: {
      message: '{{domain}} is parked but no DMARC record applies to it: receivers apply no policy to mail forged in its name.',
      fix: 'publish "_dmarc.{{domain}}. TXT \\"v=DMARC1; p=reject;\\""',
    },
    notReject: {
      message: '{{domain}} is parked but the DMARC policy that applies to it ({{name}}) is {{policy}}: receivers deliver mail forged in its name.',
      fix: 'publish "_dmarc.{{domain}}. TXT \\"v=DMARC1; p=reject;\\""',
    },
  },
}, (facts: ProfileFacts, report) => {
  const { dmarc } = facts.sections;
  const { domain } = facts;
  if (dmarc === undefined) return [];
  if (dmarc.state === 'none') return [report('missing', { domain })];
  if (dmarc.state === 'multiple') return [report('notReject', { domain, name: dmarc.name ?? `_dmarc.${domain}`, policy: 'none (several records: receivers apply none)' })];
  if (dmarc.state !== 'found' || dmarc.policy === 'reject') return [];
  return [report('notReject', { domain, name: dmarc.name ?? `_dmarc.${domain}`, policy: dmarc.policy ?? 'none (the record is discarded)' })];
});

export const sendingOnlyNullMx = defineRule({
  id: 'sending-only-null-mx', family: 'profile', severity: 'error', rfc: 'RFC 7505 §4.2',
  summary: 'a domain that sends mail publishes a null MX: receivers may refuse its mail (550 5.7.27), and bounces to it are lost',
  fix: 'replace the null MX by an MX record of a server that takes its bounces and replies',
  messages: {
    nullMx: '{{domain}} sends mail but publishes a null MX ("MX 0 ."), which says it takes none: receivers may refuse mail from it (550 5.7.27), and bounces and replies to it are lost.',
  },
}, (facts: ProfileFacts, report) => (isNullMx(facts.mail) ? [report('nullMx', { domain: facts.domain })] : []));

export const sendingOnlyUnroutable = defineRule({
  id: 'sending-only-unroutable', family: 'profile', severity: 'warning', rfc: 'RFC 5321 §6.1',
  summary: "a domain that sends mail has no MX and no address: bounces to it are lost, and receivers that check the sender's domain refuse its mail",
  fix: 'publish an MX record of a server that takes its bounces and replies',
  messages: {
    unroutable: {
      message: "{{domain}} sends mail but has no MX record and no address: bounces and replies to it cannot be delivered, and receivers that check the sender's domain (as Postfix's reject_unknown_sender_domain does) refuse its mail.",
      fix: 'publish an MX record of a server that takes its bounces and replies, e.g. "{{domain}}. MX 10 mail.{{domain}}."',
    },
  },
}, (facts: ProfileFacts, report) => {
  const host = facts.mail.implicit;
  return host !== null && knownEmpty(host.a) && knownEmpty(host.aaaa) ? [report('unroutable', { domain: facts.domain })] : [];
});

/** The DKIM key record that revokes every key: an empty p= (RFC 6376 §3.6.1). */
export const DKIM_EMPTY_KEY = 'v=DKIM1; p=';

/** "v=DKIM1; p=" and its spellings: a well-formed key record whose key is empty. */
function emptyKey(text: string): boolean {
  const record = parseDkimKeyRecord(text);
  return record.problems.length === 0 && record.publicKey === '';
}

export const parkedDkim = defineRule({
  id: 'parked-dkim', family: 'profile', severity: 'error', rfc: 'RFC 6376 §3.6.1',
  severities: { error: 'the wildcard selector has no empty key record', unknown: 'its lookup failed' },
  summary: 'a parked domain without an empty DKIM key at the wildcard selector: a signature in its name is not plainly revoked',
  fix: 'publish "*._domainkey.DOMAIN. TXT \\"v=DKIM1; p=\\"" (an empty key: every signature fails)',
  messages: {
    missing: {
      message: '{{domain}} is parked but has no DKIM key record at {{name}}: nothing says that every DKIM signature in its name is void.',
      fix: 'publish "{{name}}. TXT \\"v=DKIM1; p=\\""',
    },
    notEmpty: {
      message: '{{domain}} is parked but the TXT record at {{name}} is "{{record}}", not an empty key: a signature in its name can verify, or the record is no key at all.',
      fix: 'replace it by "{{name}}. TXT \\"v=DKIM1; p=\\""',
    },
    failed: {
      message: 'The TXT lookup of {{name}} failed ({{failure}}): whether {{domain}} revokes every DKIM key could not be checked.',
      fix: 'retry later or ask another server (--server); if it persists, fix the name servers of the zone asked',
    },
  },
}, (facts: ProfileFacts, report) => {
  const key = facts.wildcardKey;
  const { domain } = facts;
  if (key === undefined || facts.mail.mx.state === 'nxdomain') return [];
  if (key.state === 'failed') return key.failure.kind === 'not-asked' ? [] : [report('failed', { domain, name: key.name, failure: key.failure.message }, { severity: 'unknown' })];
  if (key.state === 'none') return [report('missing', { domain, name: key.name })];
  return key.texts.length === 1 && emptyKey(key.texts[0]!) ? [] : [report('notEmpty', { domain, name: key.name, record: key.texts.join('", "') })];
});
