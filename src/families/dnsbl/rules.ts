import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import type { DnsblFacts } from './collect.js';

/** Rules about DNS block lists (RFC 5782): is an exchange address listed on the lists asked. */

const LISTED_CONSEQUENCE = 'Receivers that use this list reject or junk mail from the address — the bounces and any mail this host sends.';

export const dnsblListed = defineRule({
  id: 'dnsbl-listed', family: 'dnsbl', severity: 'warning', rfc: 'RFC 5782 §2.1',
  summary: 'an exchange address is listed on a DNS block list given with --dnsbl',
  fix: "find out why from the list's reason (TXT) and its web site, stop the cause, then ask the list to delist the address",
  messages: {
    listed: `{{host}} address {{address}} is listed on {{zone}} ({{name}} A {{codes}}); its reason: "{{reason}}". ${LISTED_CONSEQUENCE}`,
    listedNoReason: `{{host}} address {{address}} is listed on {{zone}} ({{name}} A {{codes}}); it gives no reason (no TXT record). ${LISTED_CONSEQUENCE}`,
  },
}, (facts: DnsblFacts, report) => facts.entries.flatMap((entry) => {
  if (entry.verdict.state !== 'listed') return [];
  const data = { host: entry.host, address: entry.address, zone: entry.zone, name: entry.name, codes: entry.verdict.codes.join(', ') };
  return [entry.verdict.reason === null
    ? report('listedNoReason', data, { target: entry.host })
    : report('listed', { ...data, reason: entry.verdict.reason }, { target: entry.host })];
}));

export const dnsblLookupFailed = lookupFailedRule({
  id: 'dnsbl-lookup-failed', family: 'dnsbl', subject: 'the block list listing',
  fix: "retry later; ask through your own resolver (--server), as lists refuse public resolvers and over-quota users, and check the list's terms",
}, (facts: DnsblFacts) => facts.entries.flatMap((entry) => {
  const { verdict } = entry;
  if (verdict.state === 'failed') return [failedLookup(verdict.failure, entry.host)];
  if (verdict.state !== 'error-code') return [];
  return [{
    message: `A ${entry.name}: ${entry.zone} answered ${verdict.codes.join(', ')}, an error code rather than a listing (127.255.255.x: the list refused the query — public resolvers and over-quota users are refused; outside 127.0.0.0/8: no list code at all), so whether ${entry.address} is listed is not known`,
    target: entry.host,
  }];
}));

export const dnsblRules = [dnsblListed, dnsblLookupFailed];
