import type { LookupFailure, LookupSource } from '../dns/lookup.js';
import type { AddressClass } from '../net/address.js';
import type { ConnectTarget } from '../net/connect-to.js';
import { formatHostPort } from '../net/host-port.js';
import { httpsFetch } from '../net/https-fetch.js';
import type { HttpsFetchOutcome } from '../net/https-fetch.js';
import { routeConnection } from '../net/route.js';
import type { ConnectPolicy } from '../net/route.js';
import { classifiedAddresses, knownEmpty, lookupFailures } from './host.js';
import { collectHostFacts } from './mail.js';

/**
 * One small file fetched over HTTPS the way the mail software that reads it would: an MTA-STS policy
 * (senders), a BIMI logo or evidence document (receivers). The host is resolved by mxlint's own
 * resolver, the connection goes where `--connect-to` and `--allow-private` let it (src/net/route.ts),
 * and the fetch follows no redirect and stops at a size and a deadline (src/net/https-fetch.ts).
 */
export type HttpsResourceFetch =
  /** The host has no address (NXDOMAIN, NODATA, a broken alias). */
  | { state: 'no-address'; host: string }
  | { state: 'lookup-failed'; host: string; failures: LookupFailure[] }
  /** Every address is private, loopback or reserved, and --allow-private was not given: not contacted. */
  | { state: 'not-public'; host: string; addresses: readonly AddressClass[] }
  /** No answer for network reasons (timeout, refused, reset): nothing sure about the server. */
  | { state: 'unreachable'; host: string; reason: string }
  /**
   * The server answered, or failed TLS, in a way its readers cannot use: `reason` says how. `answer`: a
   * certificate, a handshake, a status, a redirect or a size they refuse; `not-tls`: what answers on
   * the port does not speak TLS; `not-http`: its answer over TLS is not HTTP. `where` names the host
   * and addresses for the last two.
   */
  | { state: 'failed'; host: string; problem: 'answer'; reason: string }
  | { state: 'failed'; host: string; problem: 'not-tls' | 'not-http'; reason: string; where: string }
  | {
    state: 'fetched'; host: string;
    /** The address (from DNS) the file came from, and where --connect-to sent that connection, if it did. */
    address: string; connectedTo?: string;
    contentType: string | null;
    /** The octets as served. */
    body: Buffer;
  };

/** The whole fetch (connect, TLS, answer): long enough for a slow web server, short enough for a lint run; --https-timeout changes it. */
export const DEFAULT_HTTPS_TIMEOUT_MS = 10_000;

export interface HttpsFetchSettings {
  connect: ConnectPolicy;
  ca: readonly string[];
  timeoutMs: number;
  /** The check's deadline: the fetch stops when it passes. */
  signal?: AbortSignal;
}

/** What is fetched, and how its failures are told: "the policy", read by "senders", who "must not follow redirects". */
export interface HttpsResource {
  host: string;
  port: number;
  /** Path and query, as sent in the request line. */
  path: string;
  maxBytes: number;
  what: string;
  readers: string;
  /** Said after a redirect: why it is not followed. */
  redirects: string;
}

/** Where a connection for the file went: the address from DNS, and the --connect-to target it was sent to. */
type ResourceTarget = ConnectTarget & { address: string };

function describeTarget(target: ResourceTarget): string {
  return target.via ? `${target.address} (connected to ${formatHostPort(target.host, target.port)} by --connect-to)` : target.address;
}

/** Why the readers cannot use what the server answered; null for a 200 answer, which is read. */
function describeHttpFailure(outcome: Exclude<HttpsFetchOutcome<ResourceTarget>, { state: 'network' }>, resource: HttpsResource): HttpsResourceFetch | null {
  const { host, what, readers } = resource;
  const failed = (reason: string): HttpsResourceFetch => ({ state: 'failed', host, problem: 'answer', reason });
  switch (outcome.state) {
    case 'too-large': return failed(`${what} from ${describeTarget(outcome.target)} is larger than ${outcome.maxBytes / 1024} KiB, more than ${readers} need to read`);
    case 'tls-failed':
      if (outcome.failure === 'not-tls') return { state: 'failed', host, problem: 'not-tls', reason: `${outcome.code}: ${outcome.message}`, where: outcome.where };
      return failed(outcome.failure === 'certificate'
        ? `its TLS certificate was rejected (${outcome.code}: ${outcome.message}), and ${readers} must verify it`
        : `the TLS handshake failed (${outcome.code}: ${outcome.message})`);
    case 'not-http': return { state: 'failed', host, problem: 'not-http', reason: `${outcome.code}: ${outcome.message}`, where: outcome.where };
    case 'response':
      if (outcome.status >= 300 && outcome.status < 400) {
        return failed(`${describeTarget(outcome.target)} answered ${outcome.status} with a redirect${outcome.location ? ` to ${outcome.location}` : ''}, and ${resource.redirects}`);
      }
      return outcome.status === 200 ? null : failed(`${describeTarget(outcome.target)} answered HTTP ${outcome.status} instead of 200`);
  }
}

export async function fetchHttpsResource(lookups: LookupSource, resource: HttpsResource, settings: HttpsFetchSettings): Promise<HttpsResourceFetch> {
  const { host } = resource;
  const facts = await collectHostFacts(lookups, host);
  const failures = lookupFailures(facts);
  const addresses = classifiedAddresses(facts);
  if (addresses.length === 0) {
    if (failures.length > 0) return { state: 'lookup-failed', host, failures };
    if (knownEmpty(facts.a) && knownEmpty(facts.aaaa)) return { state: 'no-address', host };
  }
  const routes = addresses.map((a) => ({ address: a, route: routeConnection(settings.connect, host, a.address, a.family, resource.port) }));
  const targets = routes.flatMap(({ address, route }) => (route.allowed ? [{ ...route.target, address: address.address }] : []));
  if (targets.length === 0) return { state: 'not-public', host, addresses };
  const outcome = await httpsFetch({
    host, targets, path: resource.path, urlPort: resource.port, ca: settings.ca, timeoutMs: settings.timeoutMs, maxBytes: resource.maxBytes,
    ...(settings.signal ? { signal: settings.signal } : {}),
  });
  if (outcome.state === 'network') return { state: 'unreachable', host, reason: outcome.message };
  const failure = describeHttpFailure(outcome, resource);
  if (failure !== null || outcome.state !== 'response') return failure ?? { state: 'failed', host, problem: 'answer', reason: 'no usable answer' };
  const { target } = outcome;
  return {
    state: 'fetched', host, address: target.address, ...(target.via ? { connectedTo: formatHostPort(target.host, target.port) } : {}),
    contentType: outcome.contentType, body: outcome.body,
  };
}
