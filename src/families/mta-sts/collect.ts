import type { LookupFailure, LookupSource } from '../../dns/lookup.js';
import type { AddressClass } from '../../net/address.js';
import { classifiedAddresses, knownEmpty, lookupFailures } from '../../facts/host.js';
import { collectHostFacts } from '../../facts/mail.js';
import type { MailFacts } from '../../facts/mail.js';
import { collectPublishedRecords } from '../../facts/txt-record.js';
import type { PublishedRecords } from '../../facts/txt-record.js';
import { domainDoesNotExist, takesNoMail } from '../../facts/mail-domain.js';
import { httpsFetch } from '../../net/https-fetch.js';
import type { HttpsFetchOutcome } from '../../net/https-fetch.js';
import { routeConnection } from '../../net/route.js';
import type { ConnectPolicy } from '../../net/route.js';
import type { ConnectTarget } from '../../net/connect-to.js';
import { formatHostPort } from '../../net/host-port.js';
import { looksLikeMtaSts, parseMtaStsRecord, readMtaStsPolicy } from './record.js';
import type { MtaStsPolicy, MtaStsRecord } from './record.js';

/** RFC 8461 §3.3: the policy lives at this path of https://mta-sts.DOMAIN/, on the HTTPS port. */
export const POLICY_PATH = '/.well-known/mta-sts.txt';
export const POLICY_PORT = 443;
/** RFC 8461 §3.3 lets senders cap a policy at 64 KiB; a bigger one may be refused. */
export const MAX_POLICY_BYTES = 64 * 1024;
/** Long enough for a slow web server, short enough for a lint run; --https-timeout changes it. */
export const DEFAULT_HTTPS_TIMEOUT_MS = 10_000;

export type PolicyFetch =
  /** mta-sts.DOMAIN has no address (NXDOMAIN, NODATA, a broken alias). */
  | { state: 'no-address'; host: string }
  | { state: 'lookup-failed'; host: string; failures: LookupFailure[] }
  /** Every address is private, loopback or reserved, and --allow-private was not given: not contacted. */
  | { state: 'not-public'; host: string; addresses: readonly AddressClass[] }
  /** No answer for network reasons (timeout, refused, reset): nothing sure about the server. */
  | { state: 'unreachable'; host: string; reason: string }
  /**
   * The server answered, or failed TLS, in a way no sender can use: `reason` says how. `answer`: a
   * certificate, a handshake, a status, a redirect or a size senders refuse; `not-tls`: what answers
   * on the port does not speak TLS; `not-http`: its answer over TLS is not HTTP. `where` names the
   * host and addresses for the last two.
   */
  | { state: 'failed'; host: string; problem: 'answer'; reason: string }
  | { state: 'failed'; host: string; problem: 'not-tls' | 'not-http'; reason: string; where: string }
  | {
    state: 'fetched'; host: string;
    /** The address (from DNS) the policy came from, and where --connect-to sent that connection, if it did. */
    address: string; connectedTo?: string;
    contentType: string | null; body: string; policy: MtaStsPolicy;
  };

export interface MtaStsFacts {
  domain: string;
  /** The _mta-sts records; null when not looked at: the domain does not exist, or takes no mail (null MX). */
  published: PublishedRecords<MtaStsRecord> | null;
  /** Fetched when there is any record: senders would fetch it once the record is fixed. */
  fetch: PolicyFetch | null;
  /** The names the MX records point to, which the policy must allow. */
  exchanges: string[];
}

export interface PolicyFetchSettings {
  connect: ConnectPolicy;
  ca: readonly string[];
  timeoutMs: number;
  /** The check's deadline: the fetch stops when it passes. */
  signal?: AbortSignal;
}

export function mtaStsName(domain: string): string {
  return `_mta-sts.${domain}`;
}

export function policyUrl(domain: string): string {
  return `https://mta-sts.${domain}${POLICY_PATH}`;
}

/** Where a connection for the policy went: the address from DNS, and the --connect-to target it was sent to. */
type PolicyTarget = ConnectTarget & { address: string };

function describeTarget(target: PolicyTarget): string {
  return target.via ? `${target.address} (connected to ${formatHostPort(target.host, target.port)} by --connect-to)` : target.address;
}

/** Why a sender cannot use what the server answered; null for a 200 answer, which is read. */
function describeHttpFailure(outcome: Exclude<HttpsFetchOutcome<PolicyTarget>, { state: 'network' }>, host: string): PolicyFetch | null {
  const failed = (reason: string): PolicyFetch => ({ state: 'failed', host, problem: 'answer', reason });
  switch (outcome.state) {
    case 'too-large': return failed(`the policy from ${describeTarget(outcome.target)} is larger than ${outcome.maxBytes / 1024} KiB, more than senders need to read`);
    case 'tls-failed':
      if (outcome.failure === 'not-tls') return { state: 'failed', host, problem: 'not-tls', reason: `${outcome.code}: ${outcome.message}`, where: outcome.where };
      return failed(outcome.failure === 'certificate'
        ? `its TLS certificate was rejected (${outcome.code}: ${outcome.message}), and senders must verify it`
        : `the TLS handshake failed (${outcome.code}: ${outcome.message})`);
    case 'not-http': return { state: 'failed', host, problem: 'not-http', reason: `${outcome.code}: ${outcome.message}`, where: outcome.where };
    case 'response':
      if (outcome.status >= 300 && outcome.status < 400) {
        return failed(`${describeTarget(outcome.target)} answered ${outcome.status} with a redirect${outcome.location ? ` to ${outcome.location}` : ''}, and senders must not follow redirects`);
      }
      return outcome.status === 200 ? null : failed(`${describeTarget(outcome.target)} answered HTTP ${outcome.status} instead of 200`);
  }
}

async function fetchPolicy(lookups: LookupSource, domain: string, settings: PolicyFetchSettings): Promise<PolicyFetch> {
  const host = `mta-sts.${domain}`;
  const facts = await collectHostFacts(lookups, host);
  const failures = lookupFailures(facts);
  const addresses = classifiedAddresses(facts);
  if (addresses.length === 0) {
    if (failures.length > 0) return { state: 'lookup-failed', host, failures };
    if (knownEmpty(facts.a) && knownEmpty(facts.aaaa)) return { state: 'no-address', host };
  }
  const routes = addresses.map((a) => ({ address: a, route: routeConnection(settings.connect, host, a.address, a.family, POLICY_PORT) }));
  const targets = routes.flatMap(({ address, route }) => (route.allowed ? [{ ...route.target, address: address.address }] : []));
  if (targets.length === 0) return { state: 'not-public', host, addresses };
  const outcome = await httpsFetch({
    host, targets, path: POLICY_PATH, ca: settings.ca, timeoutMs: settings.timeoutMs, maxBytes: MAX_POLICY_BYTES,
    ...(settings.signal ? { signal: settings.signal } : {}),
  });
  if (outcome.state === 'network') return { state: 'unreachable', host, reason: outcome.message };
  const failure = describeHttpFailure(outcome, host);
  if (failure !== null || outcome.state !== 'response') return failure ?? { state: 'failed', host, problem: 'answer', reason: 'no usable answer' };
  const { target } = outcome;
  const { text, policy } = readMtaStsPolicy(outcome.body);
  return {
    state: 'fetched', host, address: target.address, ...(target.via ? { connectedTo: formatHostPort(target.host, target.port) } : {}),
    contentType: outcome.contentType, body: text, policy,
  };
}

export async function collectMtaStsFacts(lookups: LookupSource, mail: MailFacts, settings: PolicyFetchSettings): Promise<MtaStsFacts> {
  const domain = mail.domain;
  const exchanges = mail.exchanges.map((e) => e.name);
  if (domainDoesNotExist(mail) || takesNoMail(mail)) return { domain, published: null, fetch: null, exchanges };
  const published = await collectPublishedRecords(lookups, mtaStsName(domain), looksLikeMtaSts, parseMtaStsRecord);
  const fetch = published.records.length > 0 ? await fetchPolicy(lookups, domain, settings) : null;
  return { domain, published, fetch, exchanges };
}
