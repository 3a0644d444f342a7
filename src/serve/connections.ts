import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Keeps the exporter's HTTP connections to `max`: a new connection past it closes the oldest one
 * with no request in progress (an idle keep-alive connection, or one that never sent anything), so
 * clients that open connections and sit on them cannot take the file descriptors every probe and
 * /healthz need. Connections in the middle of a request are never closed for room; when all of
 * them are, the new one is.
 */
export function capConnections(server: Server, max: number): void {
  /** Open connections, oldest first, with the requests each has in progress. */
  const open = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    open.set(socket, 0);
    socket.once('close', () => open.delete(socket));
    if (open.size <= max) return;
    // The new connection itself has no request yet: there is always one to close.
    const [victim] = [...open].find(([, requests]) => requests === 0)!;
    // Forgotten at once: its 'close' comes later, and a burst of connections must not pick it again.
    open.delete(victim);
    victim.destroy();
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    open.set(socket, (open.get(socket) ?? 0) + 1);
    res.once('close', () => {
      if (open.has(socket)) open.set(socket, open.get(socket)! - 1);
    });
  });
}
