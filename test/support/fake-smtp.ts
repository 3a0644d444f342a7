/**
 * SMTP servers that misbehave on purpose, for the timeouts and caps a real server will not exercise:
 * silent after accepting, trickling, an endless line, a broken STARTTLS, a refusing greeting.
 * Each listens on a loopback address and port of the test's choosing and counts its connections.
 */
import { createServer, type Server, type Socket } from 'node:net';

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
  | 'reject-ehlo';

export interface FakeSmtpServer {
  host: string;
  port: number;
  connections(): number;
  /** When each connection was accepted and when it closed (performance.now(); null while open), in order. */
  connectionTimes: { opened: number; closed: number | null }[];
  /** Every command line received, in order. */
  commands: string[];
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

function behave(socket: Socket, behaviour: FakeSmtpBehaviour, commands: string[], timers: Set<NodeJS.Timeout>): void {
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
  const connectionTimes: { opened: number; closed: number | null }[] = [];
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((socket) => {
    count++;
    const times: { opened: number; closed: number | null } = { opened: performance.now(), closed: null };
    connectionTimes.push(times);
    sockets.add(socket);
    socket.on('close', () => {
      times.closed = performance.now();
      sockets.delete(socket);
    });
    socket.on('error', () => undefined);
    behave(socket, behaviour, commands, timers);
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
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
