import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import { knownAbsent, multipleRecordsRule, recordSyntaxRule } from '../common/published-record.js';
import type { MtaStsFacts } from './collect.js';
import { MAX_POLICY_BYTES, mtaStsName, policyUrl } from './collect.js';
import { describeRange } from '../../net/address.js';
import { mxPatternMatches } from './record.js';

/** Rules about MTA-STS (RFC 8461): the _mta-sts record, the policy behind it, and the MX it allows. */

export const mtaStsMissing: Rule<MtaStsFacts> = defineLegacyRule({
  id: 'mta-sts-missing', family: 'mta-sts', severity: 'info', rfc: 'RFC 8461 §3.1',
  summary: 'no MTA-STS record at _mta-sts.DOMAIN: senders may deliver without TLS, or to a forged MX, without noticing',
  fix: 'publish a policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt and _mta-sts.DOMAIN TXT "v=STSv1; id=…"',
}, (facts, report) => {
  const { published } = facts;
  if (!knownAbsent(published)) return [];
  return [report(`${facts.domain} has no MTA-STS record (no "v=STSv1" TXT at ${published.name}): senders fall back to opportunistic TLS, which an attacker on the path can strip (RFC 8461 §3.1). Publish a policy at ${policyUrl(facts.domain)} (start with "mode: testing") and announce it with "${mtaStsName(facts.domain)}. TXT \\"v=STSv1; id=2026010101\\"".`)];
});

export const mtaStsMultiple: Rule<MtaStsFacts> = multipleRecordsRule({
  id: 'mta-sts-multiple', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.1',
  summary: 'more than one MTA-STS record at _mta-sts.DOMAIN: senders use no policy',
  fix: 'keep a single v=STSv1 TXT record',
}, { kind: 'MTA-STS', readers: 'senders' }, (facts: MtaStsFacts) => facts.published);

export const mtaStsRecordSyntax: Rule<MtaStsFacts> = recordSyntaxRule({
  id: 'mta-sts-record-syntax', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.1',
  summary: 'the _mta-sts record is malformed (not v=STSv1 first, id missing or not 1–32 letters and digits): senders use no policy',
  fix: 'write it as v=STSv1; id=YYYYMMDDHHMMSS, a new id each time the policy changes',
}, 'MTA-STS', (facts: MtaStsFacts) => facts.published);

export const mtaStsPolicyFetchFailed: Rule<MtaStsFacts> = defineLegacyRule({
  id: 'mta-sts-policy-fetch-failed', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.3',
  summary: 'the policy cannot be fetched: mta-sts.DOMAIN has no address, a certificate senders reject, a redirect, a status other than 200 or a body over 64 KiB',
  fix: 'serve the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt with status 200, no redirect and a certificate valid for mta-sts.DOMAIN',
}, (facts, report) => {
  const { fetch } = facts;
  if (fetch === null || (fetch.state !== 'failed' && fetch.state !== 'no-address')) return [];
  const why = fetch.state === 'no-address' ? `${fetch.host} has no A or AAAA record` : fetch.reason;
  return [report(`The MTA-STS policy of ${facts.domain} cannot be fetched from ${policyUrl(facts.domain)}: ${why} (RFC 8461 §3.3). New senders get no policy, and senders that cached an earlier one keep applying it until its max_age runs out, unable to learn of any change. Serve the policy there with status 200, no redirect, under ${MAX_POLICY_BYTES / 1024} KiB and a certificate valid for ${fetch.host}.`)];
});

export const mtaStsPolicyUnreachable: Rule<MtaStsFacts> = defineLegacyRule({
  id: 'mta-sts-policy-unreachable', family: 'mta-sts', severity: 'unknown', rfc: 'RFC 8461 §3.3',
  summary: 'the policy could not be fetched for network reasons (timeout, refused, reset), or its host has only non-public addresses and --allow-private was not given',
  fix: 'retry from a network that reaches the web server on port 443; if it persists, make https://mta-sts.DOMAIN/ reachable',
}, (facts, report) => {
  const { fetch } = facts;
  if (fetch?.state === 'unreachable') {
    return [report(`The MTA-STS policy of ${facts.domain} could not be fetched: ${fetch.reason}. Whether senders can fetch it is unknown: retry from a network that reaches ${fetch.host} on port 443; if it persists, make ${policyUrl(facts.domain)} reachable.`)];
  }
  if (fetch?.state === 'not-public') {
    const list = fetch.addresses.map((a) => `${a.address} (${describeRange(a.range)})`).join(', ');
    return [report(`The MTA-STS policy of ${facts.domain} was not fetched: ${fetch.host} has only addresses that are not globally routable (${list}), which no sender on the Internet can reach, and mxlint does not connect to them unless --allow-private is given. Publish the web server's public address for ${fetch.host}.`)];
  }
  return [];
});

export const mtaStsPolicyContentType: Rule<MtaStsFacts> = defineLegacyRule({
  id: 'mta-sts-policy-content-type', family: 'mta-sts', severity: 'warning', rfc: 'RFC 8461 §3.3',
  summary: 'the policy is not served as text/plain: senders that check the media type ignore it',
  fix: 'serve /.well-known/mta-sts.txt with Content-Type: text/plain',
}, (facts, report) => {
  const { fetch } = facts;
  if (fetch?.state !== 'fetched') return [];
  const mediaType = fetch.contentType?.split(';')[0]!.trim().toLowerCase() ?? null;
  if (mediaType === 'text/plain') return [];
  return [report(`${policyUrl(facts.domain)} is served ${fetch.contentType === null ? 'without a Content-Type' : `as ${fetch.contentType}`}, not text/plain: senders that validate the media type, as RFC 8461 §3.3 asks, ignore the policy. Serve it with "Content-Type: text/plain".`)];
});

export const mtaStsPolicySyntax: Rule<MtaStsFacts> = defineLegacyRule({
  id: 'mta-sts-policy-syntax', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.2',
  summary: 'the policy file is malformed: version, mode or max_age missing or invalid, a bad mx pattern, or no mx in enforce/testing mode',
  fix: 'write the policy as lines "version: STSv1", "mode: testing|enforce|none", one "mx: HOST" per MX host (or *.DOMAIN) and "max_age: SECONDS"',
}, (facts, report) => {
  const { fetch } = facts;
  if (fetch?.state !== 'fetched' || fetch.policy.problems.length === 0) return [];
  const effect = fetch.policy.usable ? 'senders skip what they cannot read' : 'senders cannot use it and act as if there were no policy';
  return [report(`The MTA-STS policy at ${policyUrl(facts.domain)} is malformed: ${fetch.policy.problems.join('; ')} (RFC 8461 §3.2); ${effect}. Write it as "version: STSv1", "mode: …", one "mx: …" line per MX host and "max_age: …".`)];
});

export const mtaStsMxMismatch: Rule<MtaStsFacts> = defineLegacyRule({
  id: 'mta-sts-mx-mismatch', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §4.1',
  summary: 'an MX exchange matches no mx pattern of the policy: in enforce mode senders refuse to deliver to it',
  fix: 'add an mx line for the exchange to the policy (and change the id in _mta-sts), or point the MX at an allowed host',
}, (facts, report) => {
  const { fetch } = facts;
  if (fetch?.state !== 'fetched' || !fetch.policy.usable) return [];
  const { mode, mx } = fetch.policy;
  if (mode !== 'enforce' && mode !== 'testing') return [];
  const consequence = mode === 'enforce'
    ? 'senders that apply the policy refuse to deliver to it, and mail that has no other exchange bounces'
    : 'in testing mode senders still deliver and only report the failure, but mail will bounce once the mode is enforce';
  return facts.exchanges.filter((exchange) => !mx.some((pattern) => mxPatternMatches(pattern, exchange))).map((exchange) => report(
    `MX exchange ${exchange} matches no mx pattern of the MTA-STS policy of ${facts.domain} (${mx.join(', ')}; "*." stands for exactly one label): ${consequence} (RFC 8461 §4.1). Add "mx: ${exchange}" to the policy and publish a new id in ${mtaStsName(facts.domain)}, or point the MX at an allowed host.`,
    exchange));
});

export const mtaStsLookupFailed: Rule<MtaStsFacts> = lookupFailedRule({ id: 'mta-sts-lookup-failed', family: 'mta-sts', subject: 'MTA-STS' }, (facts) => [
  ...(facts.published?.txt.state === 'failed' ? [failedLookup(facts.published.txt.failure)] : []),
  ...(facts.fetch?.state === 'lookup-failed' ? facts.fetch.failures.map((failure) => failedLookup(failure)) : []),
]);

export const mtaStsRules: readonly Rule<MtaStsFacts>[] = [
  mtaStsMissing, mtaStsMultiple, mtaStsRecordSyntax, mtaStsPolicyFetchFailed, mtaStsPolicyUnreachable,
  mtaStsPolicyContentType, mtaStsPolicySyntax, mtaStsMxMismatch, mtaStsLookupFailed,
];
