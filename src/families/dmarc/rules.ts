import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import { multipleRecordsRule } from '../common/published-record.js';
import type { DmarcFacts } from './collect.js';
import { dmarcName } from './collect.js';
import { appliedPolicy } from './record.js';
import type { DmarcRecord } from './record.js';

/** Rules about a domain's DMARC record (RFC 7489): is there one, exactly one, valid, enforcing. */

function singleRecord(facts: DmarcFacts): { text: string; parsed: DmarcRecord; source: string; inherited: boolean } | null {
  const { discovery } = facts;
  if (discovery.state !== 'found' || discovery.records.length !== 1) return null;
  return { ...discovery.records[0]!, source: discovery.source, inherited: discovery.inherited };
}

export const dmarcMissing = defineRule({
  id: 'dmarc-missing', family: 'dmarc', severity: 'warning', rfc: 'RFC 7489 §6.1',
  summary: 'no DMARC record at _dmarc.DOMAIN nor at its organizational domain: receivers apply no policy to mail forged in its name',
  fix: 'publish _dmarc.DOMAIN TXT "v=DMARC1; p=none; rua=mailto:…" and move to p=quarantine or p=reject once the reports look right',
  messages: {
    missing: {
      message: '{{domain}} has no DMARC record (no "v=DMARC1" at {{where}}): receivers apply no DMARC policy to mail that forges its name, and many large mailbox providers now expect one from every sender.',
      fix: 'publish "{{name}}. TXT \\"v=DMARC1; p=none; rua=mailto:dmarc-reports@{{domain}}\\"" to receive reports, then move to p=quarantine or p=reject once they show all your own mail passes',
    },
    // A domain that takes no mail most likely sends none either: the policy to advise is reject.
    missingNullMx: {
      message: '{{domain}} takes no mail (null MX) and has no DMARC record (no "v=DMARC1" at {{where}}): receivers apply no DMARC policy to mail that forges its name, and many large mailbox providers now expect one from every sender.',
      fix: 'if {{domain}} sends no mail either, publish "{{name}}. TXT \\"v=DMARC1; p=reject;\\"" so receivers reject mail forged in its name',
    },
  },
}, (facts: DmarcFacts, report) => {
  if (facts.discovery.state !== 'none') return [];
  const data = { domain: facts.domain, where: facts.discovery.asked.map((name) => `TXT ${name}`).join(' nor at '), name: dmarcName(facts.domain) };
  return [report(facts.nullMx ? 'missingNullMx' : 'missing', data)];
});

export const dmarcMultiple = multipleRecordsRule({
  id: 'dmarc-multiple', family: 'dmarc', severity: 'error', rfc: 'RFC 7489 §6.6.3',
  summary: 'more than one DMARC record at the same _dmarc name: receivers apply none of them',
  fix: 'merge them into a single v=DMARC1 TXT record',
}, { kind: 'DMARC', readers: 'receivers' }, ({ discovery }: DmarcFacts) => (discovery.state === 'found' ? { name: dmarcName(discovery.source), records: discovery.records } : null));

export const dmarcSyntax = defineRule({
  id: 'dmarc-syntax', family: 'dmarc', severity: 'error', rfc: 'RFC 7489 §6.4',
  summary: 'the DMARC record is malformed: version not first, p missing, an invalid tag value or report URI',
  fix: 'rewrite the record as v=DMARC1; p=none|quarantine|reject; followed by valid tags, e.g. rua=mailto:reports@DOMAIN',
  messages: {
    malformed: 'The DMARC record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers still apply p={{policy}} and skip what they cannot read.',
    treatedAsNone: 'The DMARC record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers treat it as p=none because it names a valid rua.',
    ignored: 'The DMARC record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers ignore the record, so no DMARC policy is in effect.',
  },
}, (facts: DmarcFacts, report) => {
  const record = singleRecord(facts);
  if (!record || record.parsed.problems.length === 0) return [];
  const { policy, declaredPolicy } = record.parsed;
  const data = { name: dmarcName(record.source), record: record.text, problems: record.parsed.problems.join('; ') };
  if (policy === null) return [report('ignored', data)];
  return [declaredPolicy === null ? report('treatedAsNone', data) : report('malformed', { ...data, policy })];
});

export const dmarcPolicyNone = defineRule({
  id: 'dmarc-policy-none', family: 'dmarc', severity: 'info', rfc: 'RFC 7489 §6.3',
  summary: 'the DMARC policy that applies is none: receivers report, but deliver forged mail as usual',
  fix: 'once the aggregate reports show that all legitimate mail passes, move to p=quarantine, then p=reject',
  messages: {
    none: 'The DMARC policy for {{domain}} is p=none: receivers only report failures and deliver mail forged in its name as usual.',
    inheritedNone: 'The DMARC policy for {{domain}} is {{tag}} (inherited from {{name}}, its organizational domain): receivers only report failures and deliver mail forged in its name as usual.',
  },
}, (facts: DmarcFacts, report) => {
  const record = singleRecord(facts);
  if (!record || record.parsed.policy === null) return [];
  if (appliedPolicy(record.parsed, record.inherited) !== 'none') return [];
  if (!record.inherited) return [report('none', { domain: facts.domain })];
  const tag = record.parsed.subdomainPolicy !== null ? 'sp=none' : 'p=none';
  return [report('inheritedNone', { domain: facts.domain, tag, name: dmarcName(record.source) })];
});

export const dmarcExternalReportUnauthorized = defineRule({
  id: 'dmarc-external-report-unauthorized', family: 'dmarc', severity: 'warning', rfc: 'RFC 7489 §7.1',
  summary: 'rua/ruf sends reports to another domain that has not published its consent (<domain>._report._dmarc.<other> TXT "v=DMARC1")',
  fix: 'have the receiving domain publish DOMAIN._report._dmarc.THEIRDOMAIN TXT "v=DMARC1", or send reports to an address in your own domain',
  messages: {
    unauthorized: {
      message: 'The DMARC record at {{name}} sends reports to {{uris}}, in another organization, but {{host}} has not agreed to receive them: there is no "v=DMARC1" TXT record at {{consent}}, so receivers send no reports there.',
      fix: 'ask {{host}} to publish "{{consent}}. TXT \\"v=DMARC1\\"", or send reports to an address of your own domain',
    },
  },
}, (facts: DmarcFacts, report) => {
  const record = singleRecord(facts);
  if (!record) return [];
  return facts.authorizations.filter((a) => a.outcome.state === 'unauthorized').map((a) => report(
    'unauthorized', { name: dmarcName(record.source), uris: a.uris.join(', '), host: a.host, consent: a.name }));
});

export const dmarcLookupFailed = lookupFailedRule({ id: 'dmarc-lookup-failed', family: 'dmarc', subject: 'DMARC' }, (facts: DmarcFacts) => [
  ...(facts.discovery.state === 'failed' ? [failedLookup(facts.discovery.failure)] : []),
  ...facts.authorizations.flatMap((a) => (a.outcome.state === 'failed' ? [failedLookup(a.outcome.failure)] : [])),
]);

export const dmarcRules = [
  dmarcMissing, dmarcMultiple, dmarcSyntax, dmarcPolicyNone, dmarcExternalReportUnauthorized, dmarcLookupFailed,
];
