/**
 * A small SMTP server with STARTTLS, for what Postfix cannot do in the TLS scan's tests: staple an
 * OCSP response (Postfix's smtpd has no stapling). It counts its connections, and the ones that
 * arrived while another was still in its dialogue, so a test can hold the scan to one connection at a
 * time.
 *
 * A connection's dialogue ends when the server has done its part of the TLS handshake (its keys are
 * derived: the flight the client waits for is written in the same turn), when the handshake fails, or
 * when the connection closes. A client that waits for each outcome before connecting again cannot
 * make a connection arrive before that, however the two sockets' events are ordered: counting at
 * the moment of the socket's close would see its FIN race the next SYN.
 *
 *   const server = await startStarttlsServer({ host: '127.0.7.14', port: 25, key, cert, ocspResponse: Buffer.from('…') });
 *   const stalling = await startStarttlsServer({ host: '127.0.7.16', port: 25, key, cert, silentFrom: 3 });   // a deadline must cut it
 *   // ... scan 127.0.7.14:25 ...
 *   server.overlapping();   // 0
 *   await server.close();
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

export interface StarttlsServerOptions {
  host: string;
  port: number;
  /** PEM key and certificate chain. */
  key: string;
  cert: string;
  /** Stapled to every handshake that asks (status_request); none when absent. */
  ocspResponse?: Buffer;
  /** From this connection on (1-based), accept and say nothing, ever: only the client's deadline ends it. */
  silentFrom?: number;
}

export interface StarttlsServer {
  connections(): number;
  /** Connections that arrived while another was still in its dialogue. */
  overlapping(): number;
  close(): Promise<void>;
}

/** Reads CRLF-terminated lines from `stream` and answers each with `answer`, until it returns null (hand the stream on). */
function converse(stream: Socket | TLSSocket, answer: (line: string) => string | null): void {
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('latin1');
    let end: number;
    while ((end = buffered.indexOf('\r\n')) !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const reply = answer(line.toUpperCase());
      if (reply === null) {
        stream.off('data', onData);
        return;
      }
      stream.write(reply);
    }
  };
  stream.on('data', onData);
}

export async function startStarttlsServer(options: StarttlsServerOptions): Promise<StarttlsServer> {
  let connections = 0;
  let overlapping = 0;
  /** Connections in their dialogue, by the client's port. */
  const talking = new Set<number>();
  const done = (port: number | undefined): void => void (port !== undefined && talking.delete(port));
  const tls = createTlsServer({ key: options.key, cert: options.cert }, (secure) => {
    secure.on('error', () => undefined);
    converse(secure, (line) => {
      if (line.startsWith('QUIT')) {
        secure.end('221 bye\r\n');
        return '';
      }
      return line.startsWith('EHLO') ? '250 starttls.test\r\n' : '502 not here\r\n';
    });
  });
  tls.on('OCSPRequest', (_certificate: Buffer, _issuer: Buffer, done: (error: Error | null, response?: Buffer) => void) => done(null, options.ocspResponse));
  tls.on('keylog', (_line: Buffer, secure: TLSSocket) => done(secure.remotePort));
  tls.on('tlsClientError', (_error: Error, secure: TLSSocket) => done(secure.remotePort));
  const plain: Server = createServer((socket) => {
    connections++;
    socket.on('error', () => undefined);
    if (options.silentFrom !== undefined && connections >= options.silentFrom) return;
    const port = socket.remotePort;
    if (talking.size > 0) overlapping++;
    if (port !== undefined) talking.add(port);
    socket.on('close', () => done(port));
    socket.write('220 starttls.test ESMTP\r\n');
    converse(socket, (line) => {
      if (line.startsWith('EHLO')) return '250-starttls.test\r\n250 STARTTLS\r\n';
      if (line.startsWith('QUIT')) {
        socket.end('221 bye\r\n');
        return '';
      }
      if (!line.startsWith('STARTTLS')) return '502 not here\r\n';
      socket.write('220 go ahead\r\n');
      tls.emit('connection', socket);
      return null;
    });
  });
  await new Promise<void>((resolve, reject) => {
    plain.once('error', reject);
    plain.listen(options.port, options.host, () => resolve());
  });
  return {
    connections: () => connections,
    overlapping: () => overlapping,
    close: () => new Promise<void>((resolve) => {
      plain.close(() => resolve());
      tls.close();
    }),
  };
}
