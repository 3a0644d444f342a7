import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../common/lookup-failed.js';
import { knownAbsent, multipleRecordsRule, recordSyntaxRule } from '../common/published-record.js';
import type { MtaStsFacts } from './collect.js';
import { mtaStsName, policyUrl } from './collect.js';
import { describeRange } from '../../net/address.js';
import { mxPatternMatches } from './record.js';

/** Rules about MTA-STS (RFC 8461): the _mta-sts record, the policy behind it, and the MX it allows. */

export const mtaStsMissing = defineRule({
  id: 'mta-sts-missing', family: 'mta-sts', severity: 'info', rfc: 'RFC 8461 §3.1',
  summary: 'no MTA-STS record at _mta-sts.DOMAIN: senders may deliver without TLS, or to a forged MX, without noticing',
  fix: 'publish a policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt and _mta-sts.DOMAIN TXT "v=STSv1; id=…"',
  messages: {
    missing: {
      message: '{{domain}} has no MTA-STS record (no "v=STSv1" TXT at {{name}}): senders fall back to opportunistic TLS, which an attacker on the path can strip.',
      fix: 'publish a policy at {{url}} (start with "mode: testing") and announce it with "{{name}}. TXT \\"v=STSv1; id=2026010101\\""',
    },
  },
}, (facts: MtaStsFacts, report) => {
  const { published } = facts;
  if (!knownAbsent(published)) return [];
  return [report('missing', { domain: facts.domain, name: published.name, url: policyUrl(facts.domain) })];
});

export const mtaStsMultiple = multipleRecordsRule({
  id: 'mta-sts-multiple', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.1',
  summary: 'more than one MTA-STS record at _mta-sts.DOMAIN: senders use no policy',
  fix: 'keep a single v=STSv1 TXT record',
}, { kind: 'MTA-STS', readers: 'senders' }, (facts: MtaStsFacts) => facts.published);

export const mtaStsRecordSyntax = recordSyntaxRule({
  id: 'mta-sts-record-syntax', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.1',
  summary: 'the _mta-sts record is malformed (not v=STSv1 first, id missing or not 1–32 letters and digits): senders use no policy',
  fix: 'write it as v=STSv1; id=YYYYMMDDHHMMSS, a new id each time the policy changes',
}, 'MTA-STS', (facts: MtaStsFacts) => facts.published);

/** What a sender needs of the policy server, said of this domain's. */
const SERVE_POLICY = 'serve the policy at {{url}} with status 200, no redirect, under 64 KiB and a certificate valid for {{host}}';

export const mtaStsPolicyFetchFailed = defineRule({
  id: 'mta-sts-policy-fetch-failed', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.3',
  summary: 'the policy cannot be fetched: mta-sts.DOMAIN has no address, a certificate senders reject, no TLS or no HTTP on port 443, a redirect, a status other than 200 or a body over 64 KiB',
  fix: 'serve the policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt with status 200, no redirect, under 64 KiB and a certificate valid for mta-sts.DOMAIN',
  messages: {
    failed: {
      message: 'The MTA-STS policy of {{domain}} cannot be fetched from {{url}}: {{reason}}. New senders get no policy, and senders that cached an earlier one keep applying it until its max_age runs out, unable to learn of any change.',
      fix: SERVE_POLICY,
    },
    noAddress: {
      message: 'The MTA-STS policy of {{domain}} cannot be fetched from {{url}}: {{host}} has no A or AAAA record. New senders get no policy, and senders that cached an earlier one keep applying it until its max_age runs out, unable to learn of any change.',
      fix: `publish the web server's A (and AAAA) record for {{host}} and ${SERVE_POLICY}`,
    },
    notTls: {
      message: 'The MTA-STS policy of {{domain}} cannot be fetched from {{url}}: {{where}} does not answer in TLS ({{reason}}), as when plain HTTP or another service listens there. New senders get no policy, and senders that cached an earlier one keep applying it until its max_age runs out, unable to learn of any change.',
      fix: 'serve HTTPS on port 443 of {{host}}, with a certificate valid for {{host}}, and the policy at {{url}}',
    },
    notHttp: {
      message: 'The MTA-STS policy of {{domain}} cannot be fetched from {{url}}: what {{where}} answers over TLS is not HTTP ({{reason}}). New senders get no policy, and senders that cached an earlier one keep applying it until its max_age runs out, unable to learn of any change.',
      fix: 'make the web server of {{host}} answer well-formed HTTP/1.1 over TLS on port 443, with the policy at {{url}} and status 200',
    },
  },
}, (facts: MtaStsFacts, report) => {
  const { fetch } = facts;
  if (fetch === null || (fetch.state !== 'failed' && fetch.state !== 'no-address')) return [];
  const data = { domain: facts.domain, url: policyUrl(facts.domain), host: fetch.host };
  if (fetch.state === 'no-address') return [report('noAddress', data)];
  if (fetch.problem === 'answer') return [report('failed', { ...data, reason: fetch.reason })];
  return [report(fetch.problem === 'not-tls' ? 'notTls' : 'notHttp', { ...data, reason: fetch.reason, where: fetch.where })];
});

export const mtaStsPolicyUnreachable = defineRule({
  id: 'mta-sts-policy-unreachable', family: 'mta-sts', severity: 'unknown', rfc: 'RFC 8461 §3.3',
  summary: 'the policy could not be fetched for network reasons (timeout, refused, reset), or its host has only non-public addresses and --allow-private was not given',
  fix: 'retry from a network that reaches the web server on port 443; if it persists, make https://mta-sts.DOMAIN/ reachable',
  messages: {
    unreachable: {
      message: 'The MTA-STS policy of {{domain}} could not be fetched: {{reason}}. Whether senders can fetch it is unknown.',
      fix: 'retry from a network that reaches {{host}} on port 443; if it persists, make {{url}} reachable',
    },
    notPublic: {
      message: 'The MTA-STS policy of {{domain}} was not fetched: {{host}} has only addresses that are not globally routable ({{addresses}}), which no sender on the Internet can reach, and mxlint does not connect to them unless --allow-private is given.',
      fix: "publish the web server's public address for {{host}}",
    },
  },
}, (facts: MtaStsFacts, report) => {
  const { fetch } = facts;
  if (fetch?.state === 'unreachable') return [report('unreachable', { domain: facts.domain, reason: fetch.reason, host: fetch.host, url: policyUrl(facts.domain) })];
  if (fetch?.state === 'not-public') {
    const addresses = fetch.addresses.map((a) => `${a.address} (${describeRange(a.range)})`).join(', ');
    return [report('notPublic', { domain: facts.domain, host: fetch.host, addresses })];
  }
  return [];
});

export const mtaStsPolicyContentType = defineRule({
  id: 'mta-sts-policy-content-type', family: 'mta-sts', severity: 'warning', rfc: 'RFC 8461 §3.3',
  summary: 'the policy is not served as text/plain: senders that check the media type ignore it',
  fix: 'serve /.well-known/mta-sts.txt with Content-Type: text/plain',
  messages: {
    notTextPlain: '{{url}} is served as {{contentType}}, not text/plain: senders that validate the media type, as MTA-STS asks them to, ignore the policy.',
    noContentType: '{{url}} is served without a Content-Type, not text/plain: senders that validate the media type, as MTA-STS asks them to, ignore the policy.',
  },
}, (facts: MtaStsFacts, report) => {
  const { fetch } = facts;
  if (fetch?.state !== 'fetched') return [];
  const mediaType = fetch.contentType?.split(';')[0]!.trim().toLowerCase() ?? null;
  if (mediaType === 'text/plain') return [];
  const url = policyUrl(facts.domain);
  return [fetch.contentType === null ? report('noContentType', { url }) : report('notTextPlain', { url, contentType: fetch.contentType })];
});

export const mtaStsPolicySyntax = defineRule({
  id: 'mta-sts-policy-syntax', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §3.2',
  summary: 'the policy file is malformed: version, mode or max_age missing or invalid, a bad mx pattern, or no mx in enforce/testing mode',
  fix: 'write the policy as lines "version: STSv1", "mode: testing|enforce|none", one "mx: HOST" per MX host (or *.DOMAIN) and "max_age: SECONDS"',
  messages: {
    malformed: 'The MTA-STS policy at {{url}} is malformed: {{problems}}; senders skip what they cannot read.',
    unusable: 'The MTA-STS policy at {{url}} is malformed: {{problems}}; senders cannot use it and act as if there were no policy.',
  },
}, (facts: MtaStsFacts, report) => {
  const { fetch } = facts;
  if (fetch?.state !== 'fetched' || fetch.policy.problems.length === 0) return [];
  return [report(fetch.policy.usable ? 'malformed' : 'unusable', { url: policyUrl(facts.domain), problems: fetch.policy.problems.join('; ') })];
});

const ALLOW_EXCHANGE = 'add "mx: {{exchange}}" to the policy and publish a new id in {{name}}, or point the MX at an allowed host';

export const mtaStsMxMismatch = defineRule({
  id: 'mta-sts-mx-mismatch', family: 'mta-sts', severity: 'error', rfc: 'RFC 8461 §4.1',
  summary: 'an MX exchange matches no mx pattern of the policy: in enforce mode senders refuse to deliver to it',
  fix: 'add an mx line for the exchange to the policy (and change the id in _mta-sts), or point the MX at an allowed host',
  messages: {
    notAllowed: {
      message: 'MX exchange {{exchange}} matches no mx pattern of the MTA-STS policy of {{domain}} ({{patterns}}; "*." stands for exactly one label): senders that apply the policy refuse to deliver to it, and mail that has no other exchange bounces.',
      fix: ALLOW_EXCHANGE,
    },
    notAllowedTesting: {
      message: 'MX exchange {{exchange}} matches no mx pattern of the MTA-STS policy of {{domain}} ({{patterns}}; "*." stands for exactly one label): in testing mode senders still deliver and only report the failure, but mail will bounce once the mode is enforce.',
      fix: ALLOW_EXCHANGE,
    },
  },
}, (facts: MtaStsFacts, report) => {
  const { fetch } = facts;
  if (fetch?.state !== 'fetched' || !fetch.policy.usable) return [];
  const { mode, mx } = fetch.policy;
  if (mode !== 'enforce' && mode !== 'testing') return [];
  return facts.exchanges.filter((exchange) => !mx.some((pattern) => mxPatternMatches(pattern, exchange))).map((exchange) => report(
    mode === 'enforce' ? 'notAllowed' : 'notAllowedTesting',
    { exchange, domain: facts.domain, patterns: mx.join(', '), name: mtaStsName(facts.domain) }, { target: exchange }));
});

export const mtaStsLookupFailed = lookupFailedRule({ id: 'mta-sts-lookup-failed', family: 'mta-sts', subject: 'MTA-STS' }, (facts: MtaStsFacts) => [
  ...(facts.published?.txt.state === 'failed' ? [failedLookup(facts.published.txt.failure)] : []),
  ...(facts.fetch?.state === 'lookup-failed' ? facts.fetch.failures.map((failure) => failedLookup(failure)) : []),
]);

export const mtaStsRules = [
  mtaStsMissing, mtaStsMultiple, mtaStsRecordSyntax, mtaStsPolicyFetchFailed, mtaStsPolicyUnreachable,
  mtaStsPolicyContentType, mtaStsPolicySyntax, mtaStsMxMismatch, mtaStsLookupFailed,
];
