import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import type { DnsblFacts } from './collect.js';

/** Rules about DNS block lists (RFC 5782): is an exchange address listed on the lists asked. */

export const dnsblListed: Rule<DnsblFacts> = defineLegacyRule({
  id: 'dnsbl-listed', family: 'dnsbl', severity: 'warning', rfc: 'RFC 5782 §2.1',
  summary: 'an exchange address is listed on a DNS block list given with --dnsbl',
  fix: "find out why from the list's reason (TXT) and its web site, stop the cause, then ask the list to delist the address",
}, (facts, report) => facts.entries.flatMap((entry) => {
  if (entry.verdict.state !== 'listed') return [];
  const reason = entry.verdict.reason === null ? 'it gives no reason (no TXT record)' : `its reason: "${entry.verdict.reason}"`;
  return [report(
    `${entry.host} address ${entry.address} is listed on ${entry.zone} (${entry.name} A ${entry.verdict.codes.join(', ')}); ${reason}. Receivers that use this list reject or junk mail from the address — the bounces and any mail this host sends (RFC 5782 §2.1). Find out why from the list, stop the cause, then ask the list to delist it.`,
    entry.host)];
}));

export const dnsblLookupFailed: Rule<DnsblFacts> = lookupFailedRule({ id: 'dnsbl-lookup-failed', family: 'dnsbl', subject: 'the block list listing' },
  (facts) => facts.entries.flatMap((entry) => {
    const { verdict } = entry;
    if (verdict.state === 'failed') return [failedLookup(verdict.failure, entry.host)];
    if (verdict.state !== 'error-code') return [];
    return [{
      message: `A ${entry.name}: ${entry.zone} answered ${verdict.codes.join(', ')}, an error code rather than a listing (127.255.255.x: the list refused the query — public resolvers and over-quota users are refused; outside 127.0.0.0/8: no list code at all), so whether ${entry.address} is listed is not known; ask through your own resolver, or check the list's terms`,
      target: entry.host,
    }];
  }));

export const dnsblRules: readonly Rule<DnsblFacts>[] = [dnsblListed, dnsblLookupFailed];
