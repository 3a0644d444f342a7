import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { abortReason } from '../dns/lookup.js';
import { tlsFacts, trustStore } from '../tls/certificate.js';
import type { TlsFacts } from '../tls/certificate.js';
import { connectionOptions, keyExchangeOf } from '../tls/offer.js';
import type { KeyExchange, TlsOffer } from '../tls/offer.js';
import { tlsFailureReason } from '../tls/openssl-error.js';
import { parseEhlo } from './extensions.js';
import { ReplyReader } from './reply-reader.js';
import { addressLiteral, command, connectWithin, DEFAULT_SMTP_GREETING_TIMEOUT_MS, DEFAULT_SMTP_PHASE_TIMEOUT_MS, expect } from './session.js';
import type { SmtpFailure } from './session.js';

/** Where one STARTTLS handshake goes, and how long each step may take. */
export interface StarttlsTarget {
  /** IP address to connect to. */
  host: string;
  port: number;
  /** The exchange's name: SNI, and the name the certificate is matched against. */
  serverName: string;
  /** The name sent with EHLO; default: our own address as an address literal. */
  ehloName?: string;
  phaseTimeoutMs?: number;
  /** The greeting's deadline: servers delay it on purpose (postscreen). */
  greetingTimeoutMs?: number;
  /** Extra trust anchors, PEM. */
  ca?: readonly string[];
  /** Aborted (the check's deadline): the step under way ends at once, as a 'cancelled' failure. */
  signal?: AbortSignal;
}

/** What the server chose for an offer it accepted. */
export interface NegotiatedTls {
  protocol: string;
  /** The IANA name of the suite. */
  suite: string;
  /** null: no ephemeral key (RSA key exchange, or the server's TLS 1.3 choice hidden). */
  keyExchange: KeyExchange | null;
  /** The chain, its verification and its name match. */
  certificates: TlsFacts;
  /** Whether a stapled OCSP response came; null when none was asked for. */
  ocspStapled: boolean | null;
}

/** One handshake's outcome: accepted with what was chosen, refused by the server, or not tried to the end. */
export type HandshakeOutcome =
  | { state: 'accepted'; negotiated: NegotiatedTls }
  /** The server ended the handshake (an alert, or it closed the connection): it does not take this offer. */
  | { state: 'refused'; reason: string }
  /** EHLO did not offer STARTTLS. */
  | { state: 'no-starttls' }
  /** Something before or around TLS failed (connect, greeting, EHLO, STARTTLS, a timeout, the deadline): the offer was not judged. */
  | { state: 'failed'; failure: SmtpFailure };

/**
 * One connection of the TLS scan: connect, greeting, EHLO, STARTTLS, then a handshake that offers
 * exactly `offer`, then QUIT. Never MAIL FROM. Resolves with the outcome; never rejects; every step
 * within its deadline.
 */
export async function starttlsHandshake(target: StarttlsTarget, offer: TlsOffer): Promise<HandshakeOutcome> {
  const timeoutMs = target.phaseTimeoutMs ?? DEFAULT_SMTP_PHASE_TIMEOUT_MS;
  const { signal } = target;
  const failed = (failure: SmtpFailure): HandshakeOutcome => ({
    state: 'failed',
    failure: signal?.aborted ? { phase: failure.phase, kind: 'cancelled', message: `stopped: ${abortReason(signal)}` } : failure,
  });
  if (signal?.aborted) return failed({ phase: 'connect', kind: 'cancelled', message: '' });

  const connected = await connectWithin(target.host, target.port, timeoutMs, signal);
  if (!connected.ok) return failed({ phase: 'connect', ...connected.failure });
  const plain = connected.socket;
  let socket: Socket | TLSSocket = plain;
  const reader = new ReplyReader(plain);
  const onAbort = (): void => void socket.destroy(new Error(abortReason(signal!)));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const banner = await expect(reader, 'banner', [220], target.greetingTimeoutMs ?? DEFAULT_SMTP_GREETING_TIMEOUT_MS);
    if (!banner.ok) return failed(banner.failure);
    const ehlo = await command(plain, reader, `EHLO ${target.ehloName ?? addressLiteral(plain.localAddress)}`, 'ehlo', [250], timeoutMs);
    if (!ehlo.ok) return failed(ehlo.failure);
    if (!parseEhlo(ehlo.reply).starttls) {
      plain.write('QUIT\r\n');
      return { state: 'no-starttls' };
    }
    const starttls = await command(plain, reader, 'STARTTLS', 'starttls', [220], timeoutMs);
    if (!starttls.ok) return failed(starttls.failure);
    reader.detach();
    const outcome = await handshake(plain, target, offer, timeoutMs, (tls) => { socket = tls; });
    return outcome.state === 'failed' ? failed(outcome.failure) : outcome;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.detach();
    socket.destroy();
    plain.destroy();
  }
}

function handshake(plain: Socket, target: StarttlsTarget, offer: TlsOffer, timeoutMs: number, started: (tls: TLSSocket) => void): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    const ca = trustStore(target.ca ?? []);
    let ocspStapled = false;
    const tls = connectTls({
      socket: plain,
      ...connectionOptions(offer),
      // SNI carries host names only (RFC 6066 §3).
      ...(isIP(target.serverName) === 0 ? { servername: target.serverName } : {}),
      ...(ca ? { ca } : {}),
      // The chain and the name are judged afterwards, as facts: a bad certificate does not end the scan.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    started(tls);
    const finish = (outcome: HandshakeOutcome): void => {
      clearTimeout(timer);
      tls.removeAllListeners('error');
      tls.removeAllListeners('close');
      // Errors after the outcome (the server answering QUIT with a reset) must not crash the run.
      tls.on('error', () => undefined);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ state: 'failed', failure: { phase: 'tls-handshake', kind: 'timeout', message: `no TLS handshake within ${timeoutMs} ms` } }), timeoutMs);
    tls.on('OCSPResponse', (response: Buffer | null) => { ocspStapled = response !== null && response.length > 0; });
    tls.once('secureConnect', () => {
      const protocol = tls.getProtocol();
      const negotiated: NegotiatedTls = {
        protocol: protocol ?? 'unknown',
        suite: tls.getCipher()?.standardName ?? 'unknown',
        keyExchange: keyExchangeOf(tls.getEphemeralKeyInfo(), protocol),
        certificates: tlsFacts(tls, target.serverName),
        ocspStapled: offer.requestOcsp ? ocspStapled : null,
      };
      // A polite goodbye; the answer does not matter.
      tls.end('QUIT\r\n');
      finish({ state: 'accepted', negotiated });
    });
    tls.once('error', (error: NodeJS.ErrnoException) => {
      if (target.signal?.aborted) finish({ state: 'failed', failure: { phase: 'tls-handshake', kind: 'cancelled', message: '' } });
      else finish({ state: 'refused', reason: `${error.code ? `${error.code}: ` : ''}${tlsFailureReason(error)}` });
    });
    tls.once('close', () => finish({ state: 'refused', reason: 'the server closed the connection during the TLS handshake' }));
  });
}
