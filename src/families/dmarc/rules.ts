import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
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

export const dmarcMissing: Rule<DmarcFacts> = defineLegacyRule({
  id: 'dmarc-missing', family: 'dmarc', severity: 'warning', rfc: 'RFC 7489 §6.1',
  summary: 'no DMARC record at _dmarc.DOMAIN nor at its organizational domain: receivers apply no policy to mail forged in its name',
  fix: 'publish _dmarc.DOMAIN TXT "v=DMARC1; p=none; rua=mailto:…" and move to p=quarantine or p=reject once the reports look right',
}, (facts, report) => {
  if (facts.discovery.state !== 'none') return [];
  const where = facts.discovery.asked.map((name) => `TXT ${name}`).join(' nor at ');
  const advice = facts.nullMx
    ? `${facts.domain} takes no mail (null MX); if it sends none either, publish "${dmarcName(facts.domain)}. TXT \\"v=DMARC1; p=reject;\\"" so receivers reject mail forged in its name.`
    : `Publish "${dmarcName(facts.domain)}. TXT \\"v=DMARC1; p=none; rua=mailto:dmarc-reports@${facts.domain}\\"" to receive reports, then move to p=quarantine or p=reject once they show all your own mail passes.`;
  return [report(`${facts.domain} has no DMARC record (no "v=DMARC1" at ${where}): receivers apply no DMARC policy to mail that forges its name, and many large mailbox providers now expect one from every sender (RFC 7489 §6.1). ${advice}`)];
});

export const dmarcMultiple: Rule<DmarcFacts> = multipleRecordsRule({
  id: 'dmarc-multiple', family: 'dmarc', severity: 'error', rfc: 'RFC 7489 §6.6.3',
  summary: 'more than one DMARC record at the same _dmarc name: receivers apply none of them',
  fix: 'merge them into a single v=DMARC1 TXT record',
}, { kind: 'DMARC', readers: 'receivers' }, ({ discovery }: DmarcFacts) => (discovery.state === 'found' ? { name: dmarcName(discovery.source), records: discovery.records } : null));

export const dmarcSyntax: Rule<DmarcFacts> = defineLegacyRule({
  id: 'dmarc-syntax', family: 'dmarc', severity: 'error', rfc: 'RFC 7489 §6.4',
  summary: 'the DMARC record is malformed: version not first, p missing, an invalid tag value or report URI',
  fix: 'rewrite the record as v=DMARC1; p=none|quarantine|reject; followed by valid tags, e.g. rua=mailto:reports@DOMAIN',
}, (facts, report) => {
  const record = singleRecord(facts);
  if (!record || record.parsed.problems.length === 0) return [];
  const { policy, declaredPolicy } = record.parsed;
  const effect = policy === null ? 'receivers ignore the record, so no DMARC policy is in effect'
    : declaredPolicy === null ? 'receivers treat it as p=none because it names a valid rua'
      : `receivers still apply p=${policy} and skip what they cannot read`;
  return [report(`The DMARC record at ${dmarcName(record.source)} ("${record.text}") is malformed: ${record.parsed.problems.join('; ')} (RFC 7489 §6.4); ${effect}. Rewrite it as "v=DMARC1; p=…;" followed by valid tags.`)];
});

export const dmarcPolicyNone: Rule<DmarcFacts> = defineLegacyRule({
  id: 'dmarc-policy-none', family: 'dmarc', severity: 'info', rfc: 'RFC 7489 §6.3',
  summary: 'the DMARC policy that applies is none: receivers report, but deliver forged mail as usual',
  fix: 'once the aggregate reports show that all legitimate mail passes, move to p=quarantine, then p=reject',
}, (facts, report) => {
  const record = singleRecord(facts);
  if (!record || record.parsed.policy === null) return [];
  if (appliedPolicy(record.parsed, record.inherited) !== 'none') return [];
  const tag = record.inherited && record.parsed.subdomainPolicy !== null ? 'sp=none' : 'p=none';
  const via = record.inherited ? ` (inherited from ${dmarcName(record.source)}, its organizational domain)` : '';
  return [report(`The DMARC policy for ${facts.domain} is ${tag}${via}: receivers only report failures and deliver mail forged in its name as usual (RFC 7489 §6.3). Once the aggregate reports show that all legitimate mail passes, move to p=quarantine, then p=reject.`)];
});

export const dmarcExternalReportUnauthorized: Rule<DmarcFacts> = defineLegacyRule({
  id: 'dmarc-external-report-unauthorized', family: 'dmarc', severity: 'warning', rfc: 'RFC 7489 §7.1',
  summary: 'rua/ruf sends reports to another domain that has not published its consent (<domain>._report._dmarc.<other> TXT "v=DMARC1")',
  fix: 'have the receiving domain publish DOMAIN._report._dmarc.THEIRDOMAIN TXT "v=DMARC1", or send reports to an address in your own domain',
}, (facts, report) => {
  const record = singleRecord(facts);
  if (!record) return [];
  return facts.authorizations.filter((a) => a.outcome.state === 'unauthorized').map((a) => report(
    `The DMARC record at ${dmarcName(record.source)} sends reports to ${a.uris.join(', ')}, in another organization, but ${a.host} has not agreed to receive them: there is no "v=DMARC1" TXT record at ${a.name}, so receivers send no reports there (RFC 7489 §7.1). Ask ${a.host} to publish "${a.name}. TXT \\"v=DMARC1\\"", or send reports to an address of your own domain.`,
  ));
});

export const dmarcLookupFailed: Rule<DmarcFacts> = lookupFailedRule({ id: 'dmarc-lookup-failed', family: 'dmarc', subject: 'DMARC' }, (facts) => [
  ...(facts.discovery.state === 'failed' ? [failedLookup(facts.discovery.failure)] : []),
  ...facts.authorizations.flatMap((a) => (a.outcome.state === 'failed' ? [failedLookup(a.outcome.failure)] : [])),
]);

export const dmarcRules: readonly Rule<DmarcFacts>[] = [
  dmarcMissing, dmarcMultiple, dmarcSyntax, dmarcPolicyNone, dmarcExternalReportUnauthorized, dmarcLookupFailed,
];
