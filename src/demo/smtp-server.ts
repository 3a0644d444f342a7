import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import type { SecureContext } from 'node:tls';
import { listenOnLoopback } from './loopback-server.js';
import type { LoopbackServer } from './loopback-server.js';

/**
 * A small SMTP responder on loopback for the offline demo: it greets, answers EHLO (with STARTTLS when
 * it has a certificate), does TLS, and says goodbye. It accepts no mail: MAIL FROM is taken, every
 * recipient refused as a relay attempt (what the relay test should find), every other command gets 502.
 * The demo's --connect-to rules send the probe for the example exchanges here instead of to the
 * public-looking addresses in the example zones.
 */

export interface DemoSmtpOptions {
  /** The host name in the greeting and the EHLO reply. */
  greeting: string;
  /** PEM key and chain for STARTTLS; null: STARTTLS is not offered. */
  tls: { key: string; cert: string } | null;
}

/** Longer command lines than RFC 5321 §4.5.3.1.4 allows (512) are not read further. */
const MAX_COMMAND_OCTETS = 512;

function serve(socket: Socket, options: DemoSmtpOptions, context: SecureContext | null, secure: boolean): void {
  let buffered = '';
  const extensions = ['PIPELINING', 'SIZE 10240000', '8BITMIME', 'SMTPUTF8', ...(context && !secure ? ['STARTTLS'] : []), 'ENHANCEDSTATUSCODES'];
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('latin1');
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, end).replace(/\r$/, '');
      buffered = buffered.slice(end + 1);
      const verb = line.split(' ')[0]!.toUpperCase();
      if (verb === 'EHLO') {
        socket.write([options.greeting, ...extensions].map((text, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${text}\r\n`).join(''));
      } else if (verb === 'STARTTLS' && context && !secure) {
        socket.write('220 2.0.0 Ready to start TLS\r\n');
        socket.off('data', onData);
        serve(new TLSSocket(socket, { isServer: true, secureContext: context }), options, context, true);
        return;
      } else if (verb === 'MAIL') {
        socket.write('250 2.1.0 Ok\r\n');
      } else if (verb === 'RCPT') {
        socket.write('554 5.7.1 Relay access denied: mxlint demo server\r\n');
      } else if (verb === 'QUIT') {
        socket.end('221 2.0.0 Bye\r\n');
        return;
      } else {
        socket.write('502 5.5.1 mxlint demo server: no mail accepted here\r\n');
      }
    }
    if (buffered.length > MAX_COMMAND_OCTETS) socket.destroy();
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}

export function startDemoSmtp(options: DemoSmtpOptions): Promise<LoopbackServer> {
  const context = options.tls ? createSecureContext({ key: options.tls.key, cert: options.tls.cert }) : null;
  return listenOnLoopback(createServer((socket) => {
    socket.write(`220 ${options.greeting} ESMTP mxlint demo\r\n`);
    serve(socket, options, context, false);
  }));
}
