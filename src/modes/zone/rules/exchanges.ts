import { answerQuestion } from '../../../dns/authority/answer.js';
import type { MailFacts } from '../../../facts/mail.js';
import { lookupFailures, mailHosts } from '../../../facts/host.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import type { Rule } from '../../../core/rule.js';
import { mxTargetMissingDot, repeatedSuffix } from '../../../families/mx/rules/exchange-name.js';
import { defineZoneRule } from './zone-rule.js';
import type { ZoneRule } from './zone-rule.js';

/** Exchanges as a zone file writes them: relative names that lead nowhere, and names outside the files. */

function relativeTo(name: string, origin: string): string {
  return origin !== '.' && name.endsWith(`.${origin}`) ? name.slice(0, -(origin.length + 1)) : name;
}

/**
 * mx-target-missing-dot in a zone file: an exchange written without its final dot that names nothing
 * in the zone. (One that repeats its suffix, mail.example.com.example.com, the MX rule itself reports.)
 */
export const relativeExchangeMissing: ZoneRule = defineZoneRule(mxTargetMissingDot.meta, ({ zone, served }, report) =>
  zone.entries.flatMap(({ record, dataLocation, origin, rdataNameRelative }) => {
    if (record.type !== 'MX' || !rdataNameRelative) return [];
    const { exchange, preference } = record.data;
    if (repeatedSuffix(exchange) !== null || answerQuestion(served, exchange, 'A').rcode !== 'NXDOMAIN') return [];
    const written = relativeTo(exchange, origin);
    return [report(record.name, dataLocation,
      `MX ${preference} ${written} at ${record.name} has no final dot, so it means ${exchange}, which does not exist in the zone (RFC 1035 §5.1). If the host lies outside the zone, end its name with a dot ("${written}."); otherwise correct the name.`,
      exchange)];
  }));

/** Every name the MX facts left unasked (--offline): the domain's MX, the exchanges, their aliases. */
export function notAskedInMailFacts(facts: MailFacts): Set<string> {
  const failures = [...(facts.mx.state === 'failed' ? [facts.mx.failure] : []), ...mailHosts(facts).flatMap(lookupFailures)];
  return new Set(failures.filter((f) => f.kind === 'not-asked').map((f) => f.question.name));
}

export const zoneExternalNotChecked: Rule<MailFacts> = defineLegacyRule({
  id: 'zone-external-not-checked', family: 'zone', severity: 'info', rfc: 'RFC 5321 §5.1',
  summary: 'with --offline, a name outside the zone files (an exchange at a provider, an SPF include) was not looked up',
  fix: 'nothing, or run without --offline (with --server) to check the names outside the zone files too',
}, (facts, report) => {
  const offline = 'outside the zone files checked, and --offline asks no server';
  const rerun = 'Run without --offline (with --server) to check it.';
  if (facts.mx.state === 'failed') {
    return facts.mx.failure.kind === 'not-asked' ? [report(`The MX records of ${facts.mx.failure.question.name} were not looked up: ${offline}. ${rerun}`)] : [];
  }
  return mailHosts(facts).flatMap((host) => {
    const names = [...new Set(lookupFailures(host).filter((f) => f.kind === 'not-asked').map((f) => f.question.name))];
    if (names.length === 0) return [];
    const via = names.some((name) => name !== host.name) ? ` (through its alias ${names.join(', ')})` : '';
    return [report(`The addresses of ${host.name}${via} were not looked up: ${offline}. ${rerun}`, host.name)];
  });
});
