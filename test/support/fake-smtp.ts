/**
 * SMTP servers that misbehave on purpose, for the timeouts and caps a real server will not exercise:
 * silent after accepting, trickling, an endless line, a broken STARTTLS, a refusing greeting — and a
 * scripted one for what Postfix will not do (other extensions after STARTTLS than before, a greeting
 * of the test's choosing, any RCPT TO answer), which also counts the sessions open at once.
 * Each listens on a loopback address and port of the test's choosing and counts its connections.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';

export type FakeSmtpBehaviour =
  /** Accepts the connection and never sends a byte. */
  | 'silent'
  /** Sends a valid greeting one byte at a time, `intervalMs` apart, and never finishes the line. */
  | 'trickle'
  /** Sends "220 " and then a megabyte without a line end. */
  | 'long-line'
  /** Greets with 554 (refuses all mail). */
  | 'refuse'
  /** Greets and answers EHLO offering STARTTLS, answers 220 to STARTTLS, then closes mid-handshake. */
  | 'drop-tls'
  /** Greets, then answers EHLO with an error. */
  | 'reject-ehlo'
  /** Does what its SmtpScript says. */
  | SmtpScript;

/** A well-behaved ESMTP server with the replies the test chooses. */
export interface SmtpScript {
  /** The whole greeting line; default "220 scripted.example ESMTP". */
  greeting?: string;
  /** Milliseconds before the greeting is sent. */
  greetDelayMs?: number;
  /** EHLO keywords in clear text (STARTTLS is added when `tls` is given). */
  extensions?: string[];
  /** EHLO keywords after STARTTLS; default `extensions`. */
  extensionsAfterTls?: string[];
  /** Key and certificate chain (PEM) for STARTTLS. */
  tls?: { key: string; cert: string };
  /** The reply to RCPT TO; default "554 5.7.1 Relay access denied". */
  rcptReply?: string;
  /** Milliseconds each EHLO reply is held back, to keep sessions open long enough to overlap. */
  ehloDelayMs?: number;
}

export interface FakeSmtpServer {
  host: string;
  port: number;
  connections(): number;
  /** When each connection was accepted and when it closed (performance.now(); null while open), in order. */
  connectionTimes: { opened: number; closed: number | null }[];
  /** Every command line received, in order. */
  commands: string[];
  /**
   * The most sessions open at once, each from its acceptance until QUIT is received (before the 221
   * goes out) or the connection closes: the client cannot open its next connection for a slot before
   * that, so no race makes the count higher than the client's own.
   */
  maxSessions(): number;
  close(): Promise<void>;
}

const MEGABYTE = 1024 * 1024;

function onCommands(socket: Socket, commands: string[], handle: (line: string) => void): void {
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let end: number;
    while ((end = buffered.indexOf('\r\n')) !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      commands.push(line);
      handle(line);
    }
  });
}

/** Plays a script: greeting, EHLO, STARTTLS, EHLO again, MAIL, RCPT, QUIT; `ended` once the session is over for the server. */
function playScript(socket: Socket, script: SmtpScript, commands: string[], timers: Set<NodeJS.Timeout>, ended: () => void): void {
  const context = script.tls ? createSecureContext({ key: script.tls.key, cert: script.tls.cert }) : null;
  const serve = (stream: Socket, secure: boolean): void => {
    const keywords = secure ? script.extensionsAfterTls ?? script.extensions ?? [] : [...(script.extensions ?? []), ...(context ? ['STARTTLS'] : [])];
    const onLine = (line: string): void => {
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') {
        later(script.ehloDelayMs ?? 0, () => stream.write(['scripted.example', ...keywords].map((text, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${text}\r\n`).join('')));
      } else if (verb === 'STARTTLS' && context && !secure) {
        stream.removeAllListeners('data');
        stream.write('220 2.0.0 Ready to start TLS\r\n');
        const tls = new TLSSocket(stream, { isServer: true, secureContext: context });
        tls.on('error', () => stream.destroy());
        serve(tls as unknown as Socket, true);
      } else if (verb === 'MAIL') {
        stream.write('250 2.1.0 Ok\r\n');
      } else if (verb === 'RCPT') {
        stream.write(`${script.rcptReply ?? '554 5.7.1 Relay access denied'}\r\n`);
      } else if (verb === 'QUIT') {
        ended();
        stream.end('221 2.0.0 Bye\r\n');
      } else {
        stream.write('502 5.5.1 not here\r\n');
      }
    };
    onCommands(stream, commands, onLine);
  };
  later(script.greetDelayMs ?? 0, () => {
    socket.write(`${script.greeting ?? '220 scripted.example ESMTP'}\r\n`);
    serve(socket, false);
  });

  function later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  }
}

function behave(socket: Socket, behaviour: FakeSmtpBehaviour, commands: string[], timers: Set<NodeJS.Timeout>, ended: () => void): void {
  if (typeof behaviour === 'object') return playScript(socket, behaviour, commands, timers, ended);
  switch (behaviour) {
    case 'silent':
      return;
    case 'trickle': {
      const text = '220 trickle.example ESMTP slowly';
      let i = 0;
      const timer = setInterval(() => socket.write(text[i++ % text.length]!), 100);
      timers.add(timer);
      socket.on('close', () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    case 'long-line':
      socket.write('220 ');
      socket.write(Buffer.alloc(MEGABYTE, 'x'));
      return;
    case 'refuse':
      socket.write('554 5.7.1 no service here\r\n');
      return;
    case 'drop-tls':
      socket.write('220 drop.example ESMTP\r\n');
      onCommands(socket, commands, (line) => {
        if (/^EHLO /i.test(line)) socket.write('250-drop.example\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
        else if (/^STARTTLS/i.test(line)) {
          socket.write('220 2.0.0 go ahead\r\n');
          // The next bytes are the ClientHello: hang up on it.
          socket.once('data', () => socket.destroy());
        }
      });
      return;
    case 'reject-ehlo':
      socket.write('220 picky.example ESMTP\r\n');
      onCommands(socket, commands, (line) => {
        if (/^EHLO /i.test(line)) socket.write('550 5.7.1 go away\r\n');
        else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
      });
      return;
  }
}

export async function startFakeSmtp(host: string, port: number, behaviour: FakeSmtpBehaviour): Promise<FakeSmtpServer> {
  let count = 0;
  let sessions = 0;
  let mostSessions = 0;
  const connectionTimes: { opened: number; closed: number | null }[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((socket) => {
    count++;
    mostSessions = Math.max(mostSessions, ++sessions);
    let over = false;
    const ended = (): void => {
      if (!over) sessions--;
      over = true;
    };
    const times: { opened: number; closed: number | null } = { opened: performance.now(), closed: null };
    connectionTimes.push(times);
    sockets.add(socket);
    socket.on('close', () => {
      times.closed = performance.now();
      sockets.delete(socket);
      ended();
    });
    socket.on('error', () => undefined);
    behave(socket, behaviour, commands, timers, ended);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  return {
    host,
    port,
    connections: () => count,
    connectionTimes,
    commands,
    maxSessions: () => mostSessions,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
