import type { SharedSubject } from '../../core/finding.js';
import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import type { FailedLookup } from '../common/lookup-failed.js';
import { multipleRecordsRule } from '../common/published-record.js';
import { outcomeRecord } from './collect.js';
import type { DmarcFacts, PolicyOutcome } from './collect.js';
import { firstField, withVersionFirst } from './record.js';
import type { AppliedPolicy, DmarcPolicy, DmarcRecord } from './record.js';
import { dmarcName } from './walk.js';
import type { WalkStep } from './walk.js';

/**
 * Rules about the DMARC record that applies to a domain (RFC 9989): found by the tree walk, exactly
 * one, valid, enforcing; what receivers discard, ignore or no longer read; who may take its reports.
 */

/** The distinct records that apply to the domain or to its subdomains, each with its _dmarc name. */
function appliedRecords(facts: DmarcFacts): { name: string; text: string; parsed: DmarcRecord }[] {
  const { walk, policies } = facts;
  if (walk === null || policies === null) return [];
  const steps = [policies.domain, policies.subdomains, policies.nonExistent].flatMap((o) => (o.state === 'record' ? [o.step] : []));
  return [...new Set(steps)].map((step) => ({ name: dmarcName(walk[step]!.domain), ...walk[step]!.records[0]! }));
}

/** The record that applies to the domain itself, where it is, and what receivers apply under it. */
function domainPolicy(facts: DmarcFacts): { name: string; inherited: boolean; record: DmarcRecord; applied: AppliedPolicy } | null {
  const outcome = facts.policies?.domain;
  const found = facts.walk && outcome ? outcomeRecord(facts.walk, outcome) : null;
  if (found === null || outcome?.state !== 'record' || outcome.applied === null) return null;
  return { name: dmarcName(found.domain), inherited: found.domain !== facts.domain, record: found.parsed, applied: outcome.applied };
}

/**
 * A finding about the record at `name`: every name below that inherits it meets it too, so in a run
 * over many names it is reported once (at the domain that owns it when that domain is in the run).
 */
function about(facts: DmarcFacts, name: string): { shared: SharedSubject } {
  return { shared: { name, own: name === dmarcName(facts.domain) } };
}

/** "sp=none at _dmarc.example.com": where a policy comes from, for a message. */
function source(name: string, applied: AppliedPolicy): string {
  const tag = applied.tag === null ? 'no valid p, read as p=none' : `${applied.tag}=${applied.declared}`;
  return `${tag} at ${name}${applied.testing ? ', t=y' : ''}`;
}

export const dmarcMissing = defineRule({
  id: 'dmarc-missing', family: 'dmarc', severity: 'warning', rfc: 'RFC 9989 §4.10.1, §5.1.4',
  summary: 'the tree walk finds no DMARC record for the domain, at its own _dmarc name nor above it: receivers apply no policy to mail forged in its name',
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
    // Zone review (--zone --offline): the walk found nothing in the zone files and was not let out of them.
    missingInZoneFiles: {
      message: '{{domain}} has no DMARC record in the zone files (no "v=DMARC1" at {{where}}); {{above}} lies outside them and was not asked (--offline), and only a public suffix\'s record (psd=y) could apply from there: receivers would most likely apply no DMARC policy to mail that forges its name.',
      fix: 'add "{{name}}. TXT \\"v=DMARC1; p=none; rua=mailto:dmarc-reports@{{domain}}\\"" to the zone to receive reports, then move to p=quarantine or p=reject once they show all your own mail passes',
    },
  },
}, (facts: DmarcFacts, report) => {
  const { walk } = facts;
  if (walk === null) return [];
  const last = walk.at(-1);
  const leftZoneFiles = last?.txt.state === 'failed' && last.txt.failure.kind === 'not-asked';
  if (facts.policies?.domain.state !== 'none' && !leftZoneFiles) return [];
  // Several records, or one receivers discard, have rules of their own that say what applies instead.
  if (leftZoneFiles && walk.some((step) => step.records.length > 0)) return [];
  if (walk.some((step) => step.records.length > 1 || step.discarded.length > 0)) return [];
  const names = (leftZoneFiles ? walk.slice(0, -1) : walk).map((step) => dmarcName(step.domain));
  if (names.length === 0) return [];
  const where = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}` : names[0]!;
  const data = { domain: facts.domain, where, name: dmarcName(facts.domain) };
  if (leftZoneFiles) return [report('missingInZoneFiles', { ...data, above: dmarcName(last.domain) })];
  return [report(facts.nullMx ? 'missingNullMx' : 'missing', data)];
});

export const dmarcMultiple = multipleRecordsRule({
  id: 'dmarc-multiple', family: 'dmarc', severity: 'error', rfc: 'RFC 9989 §4.10',
  summary: 'more than one DMARC record at the same _dmarc name: receivers discard them all and walk on up the tree',
  fix: 'merge them into a single v=DMARC1 TXT record',
}, { kind: 'DMARC', readers: 'receivers' }, ({ walk }: DmarcFacts) => {
  const several = walk?.find((step) => step.records.length > 1);
  return several === undefined ? null : { name: dmarcName(several.domain), records: several.records };
});

/** What applies instead of a discarded record at walk step `index`: the sentence after "receivers discard it". */
function instead(facts: DmarcFacts, walk: readonly WalkStep[], index: number): string {
  if (walk[index]!.records.length === 1) return 'the DMARC record beside it applies';
  const policies = facts.policies!;
  // Above a domain that has its own record, a discarded record can only matter to its subdomains.
  const ownRecord = policies.domain.state === 'record' && policies.domain.step === 0;
  const [who, outcome]: [string, PolicyOutcome] = index > 0 && ownRecord ? [`the subdomains of ${facts.domain}`, policies.subdomains] : [facts.domain, policies.domain];
  switch (outcome.state) {
    case 'record': return `the policy for ${who} comes from ${dmarcName(walk[outcome.step]!.domain)} instead`;
    case 'none': return `no DMARC policy applies to ${who}`;
    case 'unknown': return `what applies to ${who} instead is not known (a lookup failed)`;
  }
}

export const dmarcRecordDiscarded = defineRule({
  id: 'dmarc-record-discarded', family: 'dmarc', severity: 'error', rfc: 'RFC 9989 §4.7, §4.8, §4.10',
  summary: 'a TXT record at a _dmarc name is meant as a DMARC record but does not start with v=DMARC1 (a tag before it, white space, another spelling, no version): receivers discard it',
  fix: 'start the record with v=DMARC1 exactly, nothing before it',
  messages: {
    notFirst: {
      message: 'The TXT record "{{record}}" at {{name}} is not a DMARC record: v=DMARC1 is not its first tag, so receivers discard it; {{instead}}.',
      fix: 'put v=DMARC1 first: "{{meant}}"',
    },
    whiteSpace: {
      message: 'The TXT record "{{record}}" at {{name}} has white space before v=DMARC1: receivers that read it by the DMARC grammar discard it ({{instead}}), others trim the space and apply it.',
      fix: 'remove the white space before v=DMARC1',
    },
    version: {
      message: 'The TXT record "{{record}}" at {{name}} is not a DMARC record: its version tag is "{{version}}", but only v=DMARC1, written exactly so, makes one; receivers discard it; {{instead}}.',
      fix: 'write the version tag as v=DMARC1 (lower-case v, upper-case DMARC1)',
    },
    noVersion: {
      message: 'The TXT record "{{record}}" at {{name}} holds DMARC tags but no v=DMARC1, so receivers discard it; {{instead}}.',
      fix: 'start the record with v=DMARC1;',
    },
  },
}, (facts: DmarcFacts, report) => {
  const { walk } = facts;
  if (walk === null) return [];
  return walk.flatMap((step, index) => step.discarded.map(({ text, reason }) => {
    const data = { record: text, name: dmarcName(step.domain), instead: instead(facts, walk, index) };
    const place = about(facts, data.name);
    switch (reason) {
      case 'not-first': return report('notFirst', { ...data, meant: withVersionFirst(text) }, place);
      case 'white-space': return report('whiteSpace', data, place);
      case 'version': return report('version', { ...data, version: firstField(text) }, place);
      case 'no-version': return report('noVersion', data, place);
    }
  }));
});

export const dmarcSyntax = defineRule({
  id: 'dmarc-syntax', family: 'dmarc', severity: 'error', rfc: 'RFC 9989 §4.7, §4.8, §4.10.1',
  summary: 'the DMARC record that applies is malformed: an invalid tag value (p, sp, np, adkim, aspf, t, psd, fo), a bad report URI, a repeated tag, a known tag in the wrong case',
  fix: 'rewrite the record as v=DMARC1; p=none|quarantine|reject; followed by valid tags, e.g. rua=mailto:reports@DOMAIN',
  messages: {
    malformed: 'The DMARC record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers skip what they cannot read and apply the rest.',
    treatedAsNone: 'The DMARC record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers treat it as p=none, for the domain and its subdomains, because it names a valid rua.',
    ignored: 'The DMARC record at {{name}} ("{{record}}") is malformed: {{problems}}; receivers apply no DMARC policy under it.',
  },
}, (facts: DmarcFacts, report) => appliedRecords(facts).filter((r) => r.parsed.problems.length > 0).map(({ name, text, parsed }) => {
  const data = { name, record: text, problems: parsed.problems.join('; ') };
  if (parsed.policies === null) return report('ignored', data, about(facts, name));
  return report(parsed.policies.implied === 'invalid' ? 'treatedAsNone' : 'malformed', data, about(facts, name));
}));

export const dmarcRemovedTag = defineRule({
  id: 'dmarc-removed-tag', family: 'dmarc', severity: 'warning', rfc: 'RFC 9989 §4.8, Appendix A.6, Appendix C.5',
  summary: 'the DMARC record uses what RFC 9989 removed: the pct, rf or ri tag, or a "!size" limit after a report URI; current receivers ignore it, older ones may not',
  fix: 'remove the tag; to test a policy before enforcing it, use t=y instead of pct',
  messages: {
    pct: {
      message: 'The DMARC record at {{name}} has pct={{value}}, a tag DMARC no longer defines: receivers that follow the current specification ignore it and apply the policy to all failing mail, older ones to {{value}}% of it.',
      fix: 'remove pct; to test a policy before enforcing it, use t=y',
    },
    pctZero: {
      message: 'The DMARC record at {{name}} has pct=0, a tag DMARC no longer defines: older receivers read it as "apply one level lower", which t=y now says; receivers that follow the current specification ignore it and apply the policy to all failing mail.',
      fix: 'replace pct=0 with t=y',
    },
    pctFull: { message: 'The DMARC record at {{name}} has pct=100, a tag DMARC no longer defines; it changes nothing.', fix: 'remove pct=100' },
    pctInvalid: {
      message: 'The DMARC record at {{name}} has pct={{value}}, a tag DMARC no longer defines (and not a number from 0 to 100): receivers ignore it.',
      fix: 'remove pct; to test a policy before enforcing it, use t=y',
    },
    rf: { message: 'The DMARC record at {{name}} has rf={{value}}, a tag DMARC no longer defines: failure reports have one format, and receivers ignore it.', fix: 'remove rf' },
    ri: {
      message: 'The DMARC record at {{name}} has ri={{value}}, a tag DMARC no longer defines: receivers choose how often they send aggregate reports (daily, as a rule) and ignore it.',
      fix: 'remove ri',
    },
    reportSize: {
      message: 'The DMARC record at {{name}} writes the report URI {{uri}} with a size limit, syntax DMARC no longer defines: receivers ignore the limit.',
      fix: 'remove the "!size" suffix from the URI',
    },
  },
}, (facts: DmarcFacts, report) => appliedRecords(facts).flatMap(({ name, parsed }) => [
  ...parsed.removed.map(({ name: tag, value }) => {
    const place = about(facts, name);
    if (tag === 'rf' || tag === 'ri') return report(tag, { name, value }, place);
    if (!/^\d{1,3}$/.test(value) || Number(value) > 100) return report('pctInvalid', { name, value }, place);
    const percent = Number(value);
    return percent === 0 ? report('pctZero', { name }, place) : percent === 100 ? report('pctFull', { name }, place) : report('pct', { name, value: String(percent) }, place);
  }),
  ...parsed.sizeLimited.map((uri) => report('reportSize', { name, uri }, about(facts, name))),
]));

export const dmarcUnknownTag = defineRule({
  id: 'dmarc-unknown-tag', family: 'dmarc', severity: 'info', rfc: 'RFC 9989 §4.7, §4.8',
  summary: 'the DMARC record has tags DMARC does not define: receivers ignore them (no error)',
  fix: 'remove them, or correct the name of the tag meant',
  messages: {
    unknown: 'The DMARC record at {{name}} has tags DMARC does not define ({{tags}}): receivers ignore them.',
  },
}, (facts: DmarcFacts, report) => appliedRecords(facts).filter((r) => r.parsed.unknown.length > 0).map(({ name, parsed }) => report(
  'unknown', { name, tags: parsed.unknown.map((tag) => `${tag.name}=${tag.value}`).join(', ') }, about(facts, name))));

export const dmarcPolicyNone = defineRule({
  id: 'dmarc-policy-none', family: 'dmarc', severity: 'info', rfc: 'RFC 9989 §3.2.12, §4.7',
  summary: 'the DMARC policy that applies is none: receivers report, but deliver forged mail as usual',
  fix: 'once the aggregate reports show that all legitimate mail passes, move to p=quarantine, then p=reject',
  messages: {
    none: 'The DMARC policy for {{domain}} is {{how}}: receivers only report failures and deliver mail forged in its name as usual.',
    inheritedNone: 'The DMARC policy for {{domain}} is {{how}} (inherited from {{name}}, {{whose}}): receivers only report failures and deliver mail forged in its name as usual.',
  },
}, (facts: DmarcFacts, report) => {
  const found = domainPolicy(facts);
  if (found === null || found.applied.declared !== 'none') return [];
  const { applied, record } = found;
  const how = applied.tag !== null ? `${applied.tag}=none`
    : record.policies?.implied === 'no-p' ? 'none (the record has no p tag)' : 'none (its policy tags are invalid and it names a valid rua)';
  if (!found.inherited) return [report('none', { domain: facts.domain, how }, about(facts, found.name))];
  const whose = record.psd === 'y' ? 'its public suffix (psd=y)' : 'its organizational domain';
  return [report('inheritedNone', { domain: facts.domain, how, name: found.name, whose }, about(facts, found.name))];
});

export const dmarcTesting = defineRule({
  id: 'dmarc-testing', family: 'dmarc', severity: 'info', rfc: 'RFC 9989 §4.7, Appendix A.6',
  summary: 'the DMARC record that applies says t=y (testing): receivers apply one level lower than its policy — quarantine for reject, none for quarantine',
  fix: 'once the aggregate reports show that all legitimate mail passes, remove t=y so receivers apply the policy as written',
  messages: {
    testing: {
      message: 'The DMARC record at {{name}} says t=y (testing): receivers apply {{effective}} instead of {{tag}}={{declared}} to mail that fails DMARC for {{domain}}.',
      fix: 'once the aggregate reports show that all legitimate mail passes, remove t=y from {{name}} so receivers apply {{tag}}={{declared}}',
    },
  },
}, (facts: DmarcFacts, report) => {
  const found = domainPolicy(facts);
  if (found === null || !found.applied.testing) return [];
  const { applied } = found;
  return [report('testing', { name: found.name, effective: applied.effective, tag: applied.tag ?? 'p', declared: applied.declared, domain: facts.domain }, about(facts, found.name))];
});

const STRENGTH: Record<DmarcPolicy, number> = { none: 0, quarantine: 1, reject: 2 };

export const dmarcSubdomainPolicyWeaker = defineRule({
  id: 'dmarc-subdomain-policy-weaker', family: 'dmarc', severity: 'info', rfc: 'RFC 9989 §4.7, §4.10.1',
  summary: 'subdomains (existing ones through sp, or names that do not exist through np) get a weaker DMARC policy than the domain itself: forgers use them',
  fix: 'raise sp and np to the domain\'s policy, unless subdomains still send mail that does not pass DMARC',
  messages: {
    subdomains: {
      message: 'The DMARC policy for existing subdomains of {{domain}} (without a record of their own) is {{policy}} ({{source}}), weaker than {{domainPolicy}} for {{domain}} itself: mail forged in a subdomain\'s name meets less resistance.',
      fix: 'raise sp in {{name}} to {{domainPolicy}} (or remove it, so p applies), unless subdomains still send mail that does not pass DMARC',
    },
    nonExistent: {
      message: 'The DMARC policy for subdomains of {{domain}} that do not exist is {{policy}} ({{source}}), weaker than {{domainPolicy}} for {{domain}} itself: mail from made-up names under it meets less resistance.',
      fix: 'publish np=reject in {{name}}: names that do not exist send no legitimate mail',
    },
  },
}, (facts: DmarcFacts, report) => {
  const own = domainPolicy(facts);
  const { walk, policies } = facts;
  if (own === null || walk === null || policies === null || own.applied.effective === 'none') return [];
  const weaker = (outcome: PolicyOutcome): { name: string; applied: AppliedPolicy } | null => {
    if (outcome.state !== 'record' || outcome.applied === null) return null;
    if (STRENGTH[outcome.applied.effective] >= STRENGTH[own.applied.effective]) return null;
    return { name: dmarcName(walk[outcome.step]!.domain), applied: outcome.applied };
  };
  const data = (found: { name: string; applied: AppliedPolicy }) => (
    { domain: facts.domain, policy: found.applied.effective, source: source(found.name, found.applied), domainPolicy: own.applied.effective, name: found.name });
  const subdomains = weaker(policies.subdomains);
  const nonExistent = weaker(policies.nonExistent);
  return [
    ...(subdomains ? [report('subdomains', data(subdomains))] : []),
    // np that falls back to the weaker sp says nothing more.
    ...(nonExistent && (nonExistent.applied.tag === 'np' || !subdomains) ? [report('nonExistent', data(nonExistent))] : []),
  ];
});

export const dmarcExternalReportUnauthorized = defineRule({
  id: 'dmarc-external-report-unauthorized', family: 'dmarc', severity: 'warning', rfc: 'RFC 9990 §4, RFC 9991 §5',
  summary: 'rua/ruf sends reports to a domain of another organization that has not published its consent (<domain>._report._dmarc.<other> TXT "v=DMARC1")',
  fix: 'have the receiving domain publish DOMAIN._report._dmarc.THEIRDOMAIN TXT "v=DMARC1", or send reports to an address in your own domain',
  messages: {
    unauthorized: {
      message: 'The DMARC record at {{name}} sends reports to {{uris}}, in another organization, but {{host}} has not agreed to receive them: there is no "v=DMARC1" TXT record at {{consent}}, so receivers send no reports there.',
      fix: 'ask {{host}} to publish "{{consent}}. TXT \\"v=DMARC1\\"", or send reports to an address of your own domain',
    },
    tooLong: {
      message: 'The DMARC record at {{name}} sends reports to {{uris}}, in another organization, but the name where {{host}} would consent, {{consent}}, is longer than a DNS name can be: receivers send no reports there.',
      fix: 'send reports to an address of your own domain, or to a report service whose domain is shorter',
    },
    redirected: {
      message: 'The DMARC record at {{name}} sends reports to {{uris}}; {{host}} consents at {{consent}}, but redirects them to {{elsewhere}}, on another host: receivers send them to neither.',
      fix: 'ask {{host}} to redirect reports only to addresses of {{host}} itself, or to drop the rua from its consent record',
    },
  },
}, (facts: DmarcFacts, report) => {
  const found = domainPolicy(facts);
  if (found === null) return [];
  return facts.authorizations.flatMap((a) => {
    const data = { name: found.name, uris: a.uris.join(', '), host: a.host, consent: a.name };
    // One finding per report host: the same record's reports to two hosts are two findings.
    const place = { ...about(facts, found.name), target: a.host };
    switch (a.outcome.state) {
      case 'unauthorized': return [report('unauthorized', data, place)];
      case 'too-long': return [report('tooLong', data, place)];
      case 'redirected': return [report('redirected', { ...data, elsewhere: a.outcome.uris.join(', ') }, place)];
      default: return [];
    }
  });
});

/** Report destinations receivers refuse to send to: another organization's, without its consent (RFC 9990 §4). */
const REFUSED_DESTINATIONS: ReadonlySet<string> = new Set(['unauthorized', 'too-long', 'redirected']);

export const dmarcNoAggregateReports = defineRule({
  id: 'dmarc-no-aggregate-reports', family: 'dmarc', severity: 'info', rfc: 'RFC 9989 §4.7, RFC 9990 §4',
  summary: 'the DMARC record that applies asks for no aggregate reports (no rua), or only at destinations that have not agreed to take them: nobody sees which mail passes or fails',
  fix: 'add rua=mailto:… with an address of your own domain (or of a report service that consents) to the DMARC record',
  messages: {
    noRua: {
      message: 'The DMARC record at {{name}} names no aggregate report destination (no rua): receivers send no reports, so nobody sees which mail in the name of {{domain}} passes or fails DMARC.',
      fix: 'add rua=mailto:dmarc-reports@{{domain}} (or a report service\'s address) to {{name}}',
    },
    noneAccepted: {
      message: 'The DMARC record at {{name}} sends aggregate reports only to {{uris}}, where receivers send none (the destination has not agreed to take them): nobody sees which mail in the name of {{domain}} passes or fails DMARC.',
      fix: 'add rua=mailto:dmarc-reports@{{domain}} to {{name}}, or have the report destination publish its consent',
    },
  },
}, (facts: DmarcFacts, report) => {
  const found = domainPolicy(facts);
  // A domain that takes no mail most likely sends none: its p=reject needs no reports (dmarc-missing's advice).
  if (found === null || facts.nullMx) return [];
  const data = { name: found.name, domain: facts.domain };
  const { rua } = found.record;
  if (rua.length === 0) return [report('noRua', data, about(facts, found.name))];
  const refused = new Set(facts.authorizations.filter((a) => REFUSED_DESTINATIONS.has(a.outcome.state)).flatMap((a) => a.uris));
  return rua.every((uri) => refused.has(uri.uri)) ? [report('noneAccepted', { ...data, uris: rua.map((uri) => uri.uri).join(', ') }, about(facts, found.name))] : [];
});

export const dmarcLookupFailed = lookupFailedRule({ id: 'dmarc-lookup-failed', family: 'dmarc', subject: 'DMARC' }, (facts: DmarcFacts) => {
  const last = facts.walk?.at(-1);
  const failures: FailedLookup[] = [
    ...(last?.txt.state === 'failed' ? [failedLookup(last.txt.failure)] : []),
    ...facts.authorizations.flatMap((a) => (a.outcome.state === 'failed' ? [failedLookup(a.outcome.failure)] : [])),
  ];
  // A report host's walk can fail where the domain's did (the same top-level domain): said once.
  return failures.filter((failure, index) => failures.findIndex((f) => f.message === failure.message) === index);
});

export const dmarcRules = [
  dmarcMissing, dmarcMultiple, dmarcRecordDiscarded, dmarcSyntax, dmarcRemovedTag, dmarcUnknownTag, dmarcPolicyNone, dmarcTesting,
  dmarcSubdomainPolicyWeaker, dmarcExternalReportUnauthorized, dmarcNoAggregateReports, dmarcLookupFailed,
];
