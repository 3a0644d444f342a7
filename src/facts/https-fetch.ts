import { request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { rootCertificates } from 'node:tls';

/**
 * One GET of a small text file over HTTPS, the way an MTA-STS sender fetches a policy (RFC 8461
 * §3.3): to addresses already resolved by mxlint (never the system resolver), certificate verified
 * against Node's CA list plus any extra trust anchors, no redirects followed, a cap on the body and
 * one deadline for the whole exchange, so a server that trickles bytes cannot hold it.
 */
export interface HttpsFetchRequest {
  /** The name the certificate must carry; also SNI and the Host header. */
  host: string;
  /** Where to connect, tried in order (happy eyeballs between families). */
  addresses: string[];
  port: number;
  path: string;
  /** Extra trust anchors (PEM) beside Node's built-in CA list. */
  ca: readonly string[];
  timeoutMs: number;
  maxBytes: number;
}

export type HttpsFetchOutcome =
  /** The server answered; non-200 statuses too (a redirect carries its Location). */
  | { state: 'response'; address: string; status: number; contentType: string | null; location: string | null; body: string }
  | { state: 'too-large'; address: string; maxBytes: number }
  /** The TLS handshake failed on the server's side: its certificate, or TLS itself. */
  | { state: 'tls-failed'; certificate: boolean; code: string; message: string }
  /** No answer: timeout, refused, reset, unreachable. Says nothing sure about the server. */
  | { state: 'network'; message: string };

const CERTIFICATE_ERROR = /CERT|UNABLE_TO|SELF_SIGNED|HOSTNAME|ALTNAME/;

class DeadlineError extends Error {}

function classify(error: NodeJS.ErrnoException & { reason?: string }, request: HttpsFetchRequest): HttpsFetchOutcome {
  const code = error.code ?? '';
  if (error instanceof DeadlineError) return { state: 'network', message: error.message };
  if (CERTIFICATE_ERROR.test(code)) return { state: 'tls-failed', certificate: true, code, message: error.reason ?? error.message };
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) return { state: 'tls-failed', certificate: false, code, message: error.message };
  return { state: 'network', message: `${request.host} port ${request.port} (${request.addresses.join(', ')}): ${error.message}` };
}

export function httpsFetch(fetch: HttpsFetchRequest): Promise<HttpsFetchOutcome> {
  const resolved: LookupAddress[] = fetch.addresses.map((address) => ({ address, family: isIP(address) }));
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: HttpsFetchOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(outcome);
    };
    const req = request({
      host: fetch.host,
      servername: fetch.host,
      port: fetch.port,
      path: fetch.path,
      method: 'GET',
      headers: { 'user-agent': 'mxlint', connection: 'close' },
      agent: false,
      ca: [...rootCertificates, ...fetch.ca],
      // Only the addresses mxlint resolved itself: the system resolver is never asked.
      lookup: (_hostname, options, callback) => {
        if (options.all) callback(null, resolved);
        else callback(null, resolved[0]!.address, resolved[0]!.family);
      },
    }, (response: IncomingMessage) => {
      const address = response.socket.remoteAddress ?? fetch.addresses[0]!;
      const status = response.statusCode ?? 0;
      const header = (name: string): string | null => {
        const value = response.headers[name];
        return typeof value === 'string' ? value : null;
      };
      const base = { address, status, contentType: header('content-type'), location: header('location') };
      if (status !== 200) {
        finish({ state: 'response', ...base, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > fetch.maxBytes) finish({ state: 'too-large', address, maxBytes: fetch.maxBytes });
        else chunks.push(chunk);
      });
      response.on('end', () => finish({ state: 'response', ...base, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => finish(classify(error, fetch)));
    });
    const deadline = setTimeout(() => {
      req.destroy(new DeadlineError(`no complete answer from ${fetch.host} port ${fetch.port} (${fetch.addresses.join(', ')}) within ${fetch.timeoutMs} ms`));
    }, fetch.timeoutMs);
    req.on('error', (error) => finish(classify(error, fetch)));
    req.end();
  });
}
