import { answerQuestion } from '../../../dns/zone-data/answer.js';
import type { MailFacts } from '../../../facts/mail.js';
import { lookupFailures, mailHosts } from '../../../facts/host.js';
import { defineRule, findingOf } from '../../../core/rule.js';
import type { Finding, SharedSubject } from '../../../core/finding.js';
import { mxTargetMissingDot, repeatedSuffix } from '../../../families/mx/rules/exchange-name.js';
import { defineZoneRule } from './zone-rule.js';
import type { OwnedFinding } from './zone-rule.js';
import { isRecordOf } from '../../../dns/records.js';

/** Exchanges as a zone file writes them: relative names that lead nowhere, and names outside the files. */

function relativeTo(name: string, origin: string): string {
  return origin !== '.' && name.endsWith(`.${origin}`) ? name.slice(0, -(origin.length + 1)) : name;
}

/**
 * mx-target-missing-dot in a zone file: an exchange written without its final dot that names nothing
 * in the zone. (One that repeats its suffix, mail.example.com.example.com, the MX rule itself reports.)
 */
export const relativeExchangeMissing = defineZoneRule(mxTargetMissingDot.meta, ({ zone, served }, report) => {
  const findings: OwnedFinding[] = [];
  zone.records.forEach((record, index) => {
    if (!isRecordOf(record, 'MX')) return;
    const { dataLocation, origin, rdataNameRelative } = zone.entryAt(index);
    const { exchange, preference } = record.data;
    if (!rdataNameRelative || repeatedSuffix(exchange) !== null || answerQuestion(served, exchange, 'A').rcode !== 'NXDOMAIN') return;
    findings.push(report(record.name, 'relativeNotInZone', { preference, written: relativeTo(exchange, origin), owner: record.name, exchange },
      { location: dataLocation, target: exchange }));
  });
  return findings;
});

/** Every name the MX facts left unasked (--offline): the domain's MX, the exchanges, their aliases. */
export function notAskedInMailFacts(facts: MailFacts): Set<string> {
  const failures = [...(facts.mx.state === 'failed' ? [facts.mx.failure] : []), ...mailHosts(facts).flatMap(lookupFailures)];
  return new Set(failures.filter((f) => f.kind === 'not-asked').map((f) => f.question.name));
}

/** A name left unasked is the same for every name checked that needs it: in a run it is reported once. */
export function unasked(name: string): { target: string; shared: SharedSubject } {
  return { target: name, shared: { name, own: false } };
}

/**
 * The zone-external-not-checked findings of one result in one, listing the names: a zone's owners
 * need the same names outside it, and each is listed once in a run (at the first owner needing it).
 */
export function collapseNotChecked(findings: readonly Finding[]): Finding[] {
  const notChecked = findings.filter((f) => f.rule === zoneExternalNotChecked.meta.id);
  if (notChecked.length < 2) return [...findings];
  // Suppressed ones and those a baseline had stay apart: each group keeps what marks it.
  const groups = new Map<string, Finding[]>();
  for (const finding of notChecked) {
    const key = JSON.stringify([finding.suppressed ?? null, finding.baseline ?? null]);
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...findings.filter((f) => f.rule !== zoneExternalNotChecked.meta.id), ...[...groups.values()].flatMap(collapseGroup)];
}

function collapseGroup(group: Finding[]): Finding[] {
  if (group.length < 2) return group;
  const names = group.map((f) => f.target!);
  const { location, suppressed, baseline } = group.find((f) => f.location !== undefined) ?? group[0]!;
  const collapsed = findingOf(zoneExternalNotChecked.meta, 'namesNotAsked', { count: names.length, names: names.join(', ') }, location === undefined ? {} : { location });
  return [{ ...collapsed, ...(suppressed === undefined ? {} : { suppressed }), ...(baseline === undefined ? {} : { baseline }) }];
}

/** Why a name was not looked up, in every message of zone-external-not-checked. */
const OFFLINE = 'outside the zone files checked, and --offline asks no server';

export const zoneExternalNotChecked = defineRule({
  id: 'zone-external-not-checked', family: 'zone', severity: 'info', rfc: 'RFC 5321 §5.1',
  summary: 'with --offline, a name outside the zone files (an exchange at a provider, an SPF include) was not looked up',
  fix: 'nothing, or run without --offline (with --server) to check the names outside the zone files too',
  messages: {
    mxNotAsked: `The MX records of {{domain}} were not looked up: ${OFFLINE}.`,
    addressesNotAsked: `The addresses of {{host}} were not looked up: ${OFFLINE}.`,
    aliasNotAsked: `The addresses of {{host}} (through its alias {{aliases}}) were not looked up: ${OFFLINE}.`,
    // The names other families need (an SPF include, a _dmarc record): the zone runner reports them.
    recordsNotAsked: `The {{types}} records of {{name}} were not looked up: ${OFFLINE}.`,
    // Several of the above at one name checked, in one finding (collapseNotChecked).
    namesNotAsked: `{{count}} names were not looked up: {{names}}; ${OFFLINE}.`,
  },
}, (facts: MailFacts, report) => {
  if (facts.mx.state === 'failed') {
    const { name } = facts.mx.failure.question;
    return facts.mx.failure.kind === 'not-asked' ? [report('mxNotAsked', { domain: name }, unasked(name))] : [];
  }
  return mailHosts(facts).flatMap((host) => {
    const names = [...new Set(lookupFailures(host).filter((f) => f.kind === 'not-asked').map((f) => f.question.name))];
    if (names.length === 0) return [];
    return [names.some((name) => name !== host.name)
      ? report('aliasNotAsked', { host: host.name, aliases: names.join(', ') }, unasked(host.name))
      : report('addressesNotAsked', { host: host.name }, unasked(host.name))];
  });
});
