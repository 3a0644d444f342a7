import { answerQuestion } from '../../../dns/zone-data/answer.js';
import type { MailFacts } from '../../../facts/mail.js';
import { lookupFailures, mailHosts } from '../../../facts/host.js';
import { defineRule } from '../../../core/rule.js';
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
  },
}, (facts: MailFacts, report) => {
  if (facts.mx.state === 'failed') {
    return facts.mx.failure.kind === 'not-asked' ? [report('mxNotAsked', { domain: facts.mx.failure.question.name })] : [];
  }
  return mailHosts(facts).flatMap((host) => {
    const names = [...new Set(lookupFailures(host).filter((f) => f.kind === 'not-asked').map((f) => f.question.name))];
    if (names.length === 0) return [];
    return [names.some((name) => name !== host.name)
      ? report('aliasNotAsked', { host: host.name, aliases: names.join(', ') }, { target: host.name })
      : report('addressesNotAsked', { host: host.name }, { target: host.name })];
  });
});
