import type { Server, Socket } from 'node:net';

/** A demo server listening on 127.0.0.1. */
export interface LoopbackServer {
  port: number;
  /** Stops listening and ends the connections still open. */
  close(): Promise<void>;
}

/** Starts `server` on an ephemeral port of 127.0.0.1 (plain TCP, TLS or HTTPS: all are net.Server). */
export async function listenOnLoopback(server: Server): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
