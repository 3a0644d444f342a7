import { connect as connectTcp, isIP } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { abortReason } from '../dns/lookup.js';
import { formatHostPort } from '../net/host-port.js';
import { tlsFacts, trustStore } from '../tls/certificate.js';
import type { TlsFacts } from '../tls/certificate.js';
import { tlsFailureReason } from '../tls/openssl-error.js';
import { parseEhlo } from './extensions.js';
import type { EhloFacts } from './extensions.js';
import { printable, ReplyReader } from './reply-reader.js';
import type { ReadFailureKind, ReplyRead, SmtpReply } from './reply-reader.js';

/**
 * RFC 5321 §4.5.3.2 lets a sender wait minutes per step; a check waits less: 10 s per step after the
 * greeting leaves room for a loaded server without stalling a run.
 */
export const DEFAULT_SMTP_PHASE_TIMEOUT_MS = 10_000;
/**
 * The greeting is the one step servers delay on purpose: postscreen holds it back 6 s
 * (postscreen_greet_wait) to catch clients that talk first, and some filters longer. 15 s is two and a
 * half times postscreen's delay and leaves half of the default 30 s check deadline for the rest.
 */
export const DEFAULT_SMTP_GREETING_TIMEOUT_MS = 15_000;
export const SMTP_PORT = 25;

/** The steps of a probe, in order (the last two only in the relay test). Each has its own deadline. */
export type SmtpPhase = 'connect' | 'banner' | 'ehlo' | 'starttls' | 'tls-handshake' | 'ehlo-after-tls' | 'mail-from' | 'rcpt-to';

export type SmtpFailureKind =
  | ReadFailureKind
  | 'refused'
  | 'unreachable'
  /** This machine has no route to the address (ENETUNREACH, e.g. no IPv6 here): says nothing about the server. */
  | 'no-route'
  /** The server answered with a code the step does not accept (a 554 greeting, a 502 to STARTTLS …). */
  | 'rejected'
  /**
   * The server answered 421, "service not available, closing" (RFC 5321 §3.8, §4.2.3): a rate limit,
   * postscreen, an overloaded or restarting server. Temporary: says nothing lasting about the server.
   */
  | 'busy'
  /** The check's deadline passed (the probe's signal was aborted) during this step: says nothing about the server. */
  | 'cancelled'
  /** Not tried: the run had opened all the connections its budget allows (`--smtp-budget`). Says nothing about the server. */
  | 'budget'
  /** The TLS handshake failed (no common protocol or cipher, a reset, garbage instead of TLS). */
  | 'tls';

export interface SmtpFailure {
  phase: SmtpPhase;
  kind: SmtpFailureKind;
  /** One line: what happened, with the server's words where it sent any. */
  message: string;
  reply?: SmtpReply;
}

/**
 * How far a probe got. Every step before the failure (or all of them) has its facts; a step not
 * reached is null. `tls` is null also when STARTTLS was not offered, which is not a failure.
 */
export interface SmtpSession {
  banner: SmtpReply | null;
  ehlo: EhloFacts | null;
  tls: TlsFacts | null;
  ehloAfterTls: EhloFacts | null;
  /** The relay test's replies to MAIL FROM and RCPT TO (a reply not reached is null); null when no relay test was asked for. */
  envelope: { mailFrom: SmtpReply | null; rcptTo: SmtpReply | null } | null;
  failure: SmtpFailure | null;
  durationMs: number;
}

/** The relay test's envelope: a reverse path (empty for the null sender `<>`) and one recipient. */
export interface RelayEnvelope {
  mailFrom: string;
  rcptTo: string;
}

export interface SmtpProbeOptions {
  /** IP address to connect to. */
  host: string;
  port: number;
  /** The exchange's name: the TLS server name (SNI) and the name the certificate must match. */
  serverName: string;
  /** The name sent with EHLO; default: our own address as an address literal (RFC 5321 §4.1.4). */
  ehloName?: string;
  /** Each phase's deadline, but the greeting's. */
  phaseTimeoutMs?: number;
  /** The greeting's deadline. */
  greetingTimeoutMs?: number;
  /** The relay test: MAIL FROM and one RCPT TO after the last EHLO, then QUIT. Never DATA. */
  envelope?: RelayEnvelope;
  /** Extra trust anchors, PEM. */
  ca?: readonly string[];
  /** Aborted (the check's deadline): the step under way ends at once, as a 'cancelled' failure. */
  signal?: AbortSignal;
  /** Called once the TCP connection is made, before anything is read: what a connection from here can do is known from then on. */
  onConnected?: () => void;
}

/**
 * Talks to one SMTP server the way a sender would, up to the point where a sender would start a
 * transaction, and no further: connect, greeting, EHLO, STARTTLS when offered, TLS, EHLO again
 * (RFC 3207 §4.2: what the server offered in clear text no longer counts), QUIT. Never MAIL FROM,
 * unless `envelope` asks for the relay test: then MAIL FROM and one RCPT TO before QUIT, and never
 * DATA or BDAT — nothing a server could take for a message is ever sent. Resolves with what it
 * learnt; never rejects; every step within its deadline.
 */
export async function probeSmtp(options: SmtpProbeOptions): Promise<SmtpSession> {
  const started = performance.now();
  const timeoutMs = options.phaseTimeoutMs ?? DEFAULT_SMTP_PHASE_TIMEOUT_MS;
  const session: SmtpSession = {
    banner: null, ehlo: null, tls: null, ehloAfterTls: null, envelope: options.envelope ? { mailFrom: null, rcptTo: null } : null, failure: null, durationMs: 0,
  };
  const { signal } = options;
  // Whatever a step ended with once the signal was aborted, the step was cut short: that is the failure.
  const done = (failure: SmtpFailure | null = null): SmtpSession => ({
    ...session,
    failure: failure !== null && signal?.aborted ? { phase: failure.phase, kind: 'cancelled', message: `stopped: ${abortReason(signal)}` } : failure,
    durationMs: Math.round(performance.now() - started),
  });
  if (signal?.aborted) return done({ phase: 'connect', kind: 'cancelled', message: '' });

  const connected = await connectWithin(options.host, options.port, timeoutMs, signal);
  if (!connected.ok) return done({ phase: 'connect', ...connected.failure });
  options.onConnected?.();
  let socket: Socket | TLSSocket = connected.socket;
  let reader = new ReplyReader(socket);
  // The socket in use is destroyed with an error: the step waiting on it (a reply, the TLS handshake) ends at once.
  const onAbort = (): void => void socket.destroy(new Error(abortReason(signal!)));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const banner = await expect(reader, 'banner', [220], options.greetingTimeoutMs ?? DEFAULT_SMTP_GREETING_TIMEOUT_MS);
    if (!banner.ok) return done(banner.failure);
    session.banner = banner.reply;

    const ehloName = options.ehloName ?? addressLiteral(socket.localAddress);
    const ehlo = await command(socket, reader, `EHLO ${ehloName}`, 'ehlo', [250], timeoutMs);
    if (!ehlo.ok) return done(ehlo.failure);
    session.ehlo = parseEhlo(ehlo.reply);
    if (!session.ehlo.starttls) return done(await transactionThenQuit(socket, reader, options.envelope, session, timeoutMs));

    const starttls = await command(socket, reader, 'STARTTLS', 'starttls', [220], timeoutMs);
    if (!starttls.ok) return done(starttls.failure);
    // RFC 3207 §5: whatever came with the 220 was sent before TLS and must not be taken as a reply after it.
    reader.detach();
    const secured = await handshakeWithin(connected.socket, options, timeoutMs);
    if (!secured.ok) return done(secured.failure);
    socket = secured.socket;
    session.tls = tlsFacts(secured.socket, options.serverName);
    reader = new ReplyReader(socket);

    const again = await command(socket, reader, `EHLO ${ehloName}`, 'ehlo-after-tls', [250], timeoutMs);
    if (!again.ok) return done(again.failure);
    session.ehloAfterTls = parseEhlo(again.reply);
    return done(await transactionThenQuit(socket, reader, options.envelope, session, timeoutMs));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.detach();
    socket.destroy();
    connected.socket.destroy();
  }
}

/** RFC 5321 §4.1.3: `[192.0.2.1]`, `[IPv6:2001:db8::1]`. */
export function addressLiteral(address: string | undefined): string {
  if (!address) return '[127.0.0.1]';
  return address.includes(':') ? `[IPv6:${address}]` : `[${address}]`;
}

export type Step = { ok: true; reply: SmtpReply } | { ok: false; failure: SmtpFailure };

/** RFC 5321 §3.8: the server is closing the connection; it may come as the reply to any command, or instead of the greeting. */
const SERVICE_NOT_AVAILABLE = 421;

export async function expect(reader: ReplyReader, phase: SmtpPhase, codes: number[], timeoutMs: number): Promise<Step> {
  const read: ReplyRead = await reader.next(timeoutMs);
  if (!read.ok) return { ok: false, failure: { phase, kind: read.kind, message: read.message } };
  if (!codes.includes(read.reply.code)) {
    const kind = read.reply.code === SERVICE_NOT_AVAILABLE ? 'busy' : 'rejected';
    return { ok: false, failure: { phase, kind, message: `answered ${describeReply(read.reply)}`, reply: read.reply } };
  }
  return { ok: true, reply: read.reply };
}

export function command(socket: Socket, reader: ReplyReader, line: string, phase: SmtpPhase, codes: number[], timeoutMs: number): Promise<Step> {
  socket.write(`${line}\r\n`);
  return expect(reader, phase, codes, timeoutMs);
}

/**
 * The relay test, when asked for: MAIL FROM, then one RCPT TO whatever its answer, then QUIT. The
 * RCPT TO reply is the finding, not a failure; a refused MAIL FROM ends the test there.
 */
async function transactionThenQuit(socket: Socket, reader: ReplyReader, envelope: RelayEnvelope | undefined, session: SmtpSession, timeoutMs: number): Promise<SmtpFailure | null> {
  if (envelope && session.envelope) {
    const mail = await command(socket, reader, `MAIL FROM:<${envelope.mailFrom}>`, 'mail-from', [250], timeoutMs);
    if (!mail.ok) {
      if (mail.failure.reply) session.envelope.mailFrom = mail.failure.reply;
      // A refusal leaves the session open: say goodbye as after any other answer.
      if (mail.failure.kind === 'rejected') await quit(socket, reader, timeoutMs);
      return mail.failure;
    }
    session.envelope.mailFrom = mail.reply;
    socket.write(`RCPT TO:<${envelope.rcptTo}>\r\n`);
    const rcpt = await reader.next(timeoutMs);
    if (!rcpt.ok) return { phase: 'rcpt-to', kind: rcpt.kind, message: rcpt.message };
    session.envelope.rcptTo = rcpt.reply;
    if (rcpt.reply.code === SERVICE_NOT_AVAILABLE) return { phase: 'rcpt-to', kind: 'busy', message: `answered ${describeReply(rcpt.reply)}`, reply: rcpt.reply };
  }
  return quit(socket, reader, timeoutMs);
}

/** Says goodbye politely; a server that does not answer QUIT has still done everything a sender needs. */
async function quit(socket: Socket, reader: ReplyReader, timeoutMs: number): Promise<null> {
  socket.write('QUIT\r\n');
  await reader.next(timeoutMs);
  return null;
}

export function describeReply(reply: SmtpReply): string {
  return `"${reply.code} ${printable(reply.lines.join(' / '), 160)}"`;
}

export type Connected = { ok: true; socket: Socket } | { ok: false; failure: Omit<SmtpFailure, 'phase'> };

export function connectWithin(host: string, port: number, timeoutMs: number, signal: AbortSignal | undefined): Promise<Connected> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host, port });
    const where = formatHostPort(host, port);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ok: false, failure: { kind: 'timeout', message: `no TCP connection to ${where} within ${timeoutMs} ms` } });
    }, timeoutMs);
    const onAbort = (): void => void socket.destroy(new Error(abortReason(signal!)));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => signal?.removeEventListener('abort', onAbort));
    socket.once('connect', () => {
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      socket.removeAllListeners('error');
      // Readers come and go (one before TLS, none during the handshake): an error between them must not crash the run.
      socket.on('error', () => undefined);
      resolve({ ok: true, socket });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const kind: SmtpFailureKind = error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'ETIMEDOUT' ? 'timeout'
        : error.code === 'ENETUNREACH' ? 'no-route' : 'unreachable';
      resolve({ ok: false, failure: { kind, message: `cannot connect to ${where}: ${error.code ?? error.message}` } });
    });
  });
}

type Secured = { ok: true; socket: TLSSocket } | { ok: false; failure: SmtpFailure };

function handshakeWithin(socket: Socket, options: SmtpProbeOptions, timeoutMs: number): Promise<Secured> {
  return new Promise((resolve) => {
    const ca = trustStore(options.ca ?? []);
    const tls = connectTls({
      socket,
      // SNI carries host names only (RFC 6066 §3): a server known only by its address gets none.
      ...(isIP(options.serverName) === 0 ? { servername: options.serverName } : {}),
      ...(ca ? { ca } : {}),
      // Verification is judged afterwards, separately from the name: a bad certificate is a finding, not the end of the probe.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const fail = (message: string, kind: SmtpFailureKind = 'tls'): void => {
      clearTimeout(timer);
      tls.destroy();
      resolve({ ok: false, failure: { phase: 'tls-handshake', kind, message } });
    };
    const timer = setTimeout(() => fail(`no TLS handshake within ${timeoutMs} ms`, 'timeout'), timeoutMs);
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.removeAllListeners('error');
      tls.removeAllListeners('close');
      resolve({ ok: true, socket: tls });
    });
    tls.once('error', (error: NodeJS.ErrnoException) => fail(`TLS handshake failed: ${error.code ? `${error.code}: ` : ''}${tlsFailureReason(error)}`));
    tls.once('close', () => fail('the server closed the connection during the TLS handshake', 'closed'));
  });
}
