import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { abortReason } from '../dns/lookup.js';
import { sameAddress } from '../dns/reverse.js';
import { formatHostPort } from './host-port.js';
import { trustStore } from '../tls/certificate.js';
import { tlsFailureReason } from '../tls/openssl-error.js';

/**
 * One GET of a small text file over HTTPS, the way an MTA-STS sender fetches a policy (RFC 8461
 * §3.3): to addresses already resolved (and routed) by mxlint, never through the system resolver,
 * certificate verified against Node's CA list plus any extra trust anchors, no redirects followed,
 * a cap on the body and one deadline for the whole exchange, so a server that trickles bytes
 * cannot hold it.
 */
export interface HttpsTarget {
  /** An IP address. */
  host: string;
  port: number;
}

export interface HttpsFetchRequest<Target extends HttpsTarget> {
  /** The name the certificate must carry; also SNI and the Host header, wherever the connection goes. */
  host: string;
  /** Where to connect, in order: those on one port raced as Node does (happy eyeballs), the ports one after another. */
  targets: readonly Target[];
  path: string;
  /** The port the URL names: written in the Host header when it is not 443, wherever the connection goes. */
  urlPort?: number;
  /** Extra trust anchors (PEM) beside Node's built-in CA list. */
  ca: readonly string[];
  timeoutMs: number;
  maxBytes: number;
  /** Aborted (the check's deadline): the fetch stops at once, as a network failure giving the reason. */
  signal?: AbortSignal;
}

export type HttpsFetchOutcome<Target extends HttpsTarget> =
  /** The server at `target` answered; non-200 statuses too (a redirect carries its Location). The body is octets as sent: decoding them is the reader's. */
  | { state: 'response'; target: Target; status: number; contentType: string | null; location: string | null; body: Buffer }
  | { state: 'too-large'; target: Target; maxBytes: number }
  /**
   * TLS failed on the server's side: its certificate was rejected, the handshake failed, or what
   * answered does not speak TLS at all (EPROTO: a plain-HTTP or other service on the port).
   */
  | { state: 'tls-failed'; failure: 'certificate' | 'handshake' | 'not-tls'; code: string; message: string; where: string }
  /** The server's answer over TLS is not HTTP (the parser's HPE_ codes): the server's fault too. */
  | { state: 'not-http'; code: string; message: string; where: string }
  /** No answer: timeout, refused, reset, unreachable. Says nothing sure about the server. */
  | { state: 'network'; message: string };

const CERTIFICATE_ERROR = /CERT|UNABLE_TO|SELF_SIGNED|HOSTNAME|ALTNAME/;

class DeadlineError extends Error {}

function classify<Target extends HttpsTarget>(error: NodeJS.ErrnoException & { reason?: string }, host: string, group: readonly Target[]): HttpsFetchOutcome<Target> {
  const code = error.code ?? '';
  const where = `${host} at ${group.map((t) => formatHostPort(t.host, t.port)).join(', ')}`;
  if (error instanceof DeadlineError) return { state: 'network', message: error.message };
  if (CERTIFICATE_ERROR.test(code)) return { state: 'tls-failed', failure: 'certificate', code, message: error.reason ?? tlsFailureReason(error), where };
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { state: 'tls-failed', failure: 'handshake', code, message: tlsFailureReason(error), where };
  if (code === 'EPROTO') return { state: 'tls-failed', failure: 'not-tls', code, message: tlsFailureReason(error), where };
  if (code.startsWith('HPE_')) return { state: 'not-http', code, message: error.message, where };
  return { state: 'network', message: `${where}: ${error.message}` };
}

/** The targets in order, those on one port together. */
function byPort<Target extends HttpsTarget>(targets: readonly Target[]): Target[][] {
  const groups = new Map<number, Target[]>();
  for (const target of targets) groups.set(target.port, [...(groups.get(target.port) ?? []), target]);
  return [...groups.values()];
}

/** One request to the targets of one port, within what is left of the deadline. */
function fetchFrom<Target extends HttpsTarget>(fetch: HttpsFetchRequest<Target>, group: readonly Target[], timeLeftMs: number): Promise<HttpsFetchOutcome<Target>> {
  const resolved: LookupAddress[] = group.map((target) => ({ address: target.host, family: isIP(target.host) }));
  const ca = trustStore(fetch.ca);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpsFetchOutcome<Target>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(outcome);
    };
    const req = request({
      host: fetch.host,
      servername: fetch.host,
      port: group[0]!.port,
      path: fetch.path,
      method: 'GET',
      // The policy's own host, as the URL has it, even where --connect-to sends the connection elsewhere.
      // identity: the body as it is, which is what is judged; a server that compresses it anyway is wrong.
      headers: { host: fetch.urlPort === undefined || fetch.urlPort === 443 ? fetch.host : formatHostPort(fetch.host, fetch.urlPort), 'user-agent': 'mxlint', connection: 'close', 'accept-encoding': 'identity' },
      agent: false,
      ...(ca ? { ca } : {}),
      // Only the addresses mxlint resolved itself: the system resolver is never asked.
      lookup: (_hostname, options, callback) => {
        if (options.all) callback(null, resolved);
        else callback(null, resolved[0]!.address, resolved[0]!.family);
      },
    }, (response: IncomingMessage) => {
      const remote = response.socket.remoteAddress;
      const target = group.find((t) => remote !== undefined && sameAddress(t.host, remote)) ?? group[0]!;
      const status = response.statusCode ?? 0;
      const header = (name: string): string | null => {
        const value = response.headers[name];
        return typeof value === 'string' ? value : null;
      };
      const base = { target, status, contentType: header('content-type'), location: header('location') };
      if (status !== 200) {
        finish({ state: 'response', ...base, body: Buffer.alloc(0) });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > fetch.maxBytes) finish({ state: 'too-large', target, maxBytes: fetch.maxBytes });
        else chunks.push(chunk);
      });
      response.on('end', () => finish({ state: 'response', ...base, body: Buffer.concat(chunks) }));
      response.on('error', (error) => finish(classify(error, fetch.host, group)));
    });
    const deadline = setTimeout(() => {
      const where = fetch.targets.map((t) => formatHostPort(t.host, t.port)).join(', ');
      req.destroy(new DeadlineError(`no complete answer from ${fetch.host} (${where}) within ${fetch.timeoutMs} ms`));
    }, timeLeftMs);
    const { signal } = fetch;
    const onAbort = (): void => void req.destroy(new DeadlineError(`stopped fetching from ${fetch.host}: ${abortReason(signal!)}`));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal?.removeEventListener('abort', onAbort));
    req.on('error', (error) => finish(classify(error, fetch.host, group)));
    req.end();
  });
}

export async function httpsFetch<Target extends HttpsTarget>(fetch: HttpsFetchRequest<Target>): Promise<HttpsFetchOutcome<Target>> {
  const deadline = performance.now() + fetch.timeoutMs;
  const failures: string[] = [];
  for (const group of byPort(fetch.targets)) {
    if (fetch.signal?.aborted) return { state: 'network', message: `not fetched from ${fetch.host}: ${abortReason(fetch.signal)}` };
    const timeLeftMs = deadline - performance.now();
    if (timeLeftMs <= 0) break;
    const outcome = await fetchFrom(fetch, group, timeLeftMs);
    if (outcome.state !== 'network') return outcome;
    failures.push(outcome.message);
  }
  return { state: 'network', message: failures.join('; ') || `no time left to connect to ${fetch.host} within ${fetch.timeoutMs} ms` };
}
