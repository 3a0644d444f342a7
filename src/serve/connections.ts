import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Connection {
  opened: number;
  /** Requests in progress on it. */
  inProgress: number;
  /** Requests answered on it: a kept-alive connection has answered at least one. */
  answered: number;
  /** Opened past the cap with nothing to make room: it gets one answer, then is closed. */
  overCapacity: boolean;
}

export interface ConnectionCap {
  /** The most connections to keep; past it a connection is answered once and closed. */
  keep: number;
  /** Past it a new connection is closed at once, whatever it is: the descriptors probes need. */
  hardLimit: number;
  /** How long a connection that has sent nothing yet is left alone. */
  graceMs: number;
  now?: () => number;
}

/**
 * Keeps the exporter's HTTP connections few, so that clients that open connections and sit on
 * them cannot take the file descriptors every probe and /healthz need, without failing clients that
 * merely arrive together. Past `keep`, a new connection makes room by closing the oldest connection
 * that is idle between requests (kept alive) or has been silent for longer than the grace time;
 * a connection in the middle of a request or just opened is never closed for room. When there is no
 * such connection the new one is still served, once: its request is answered with
 * `Connection: close` (or it is closed when it stays silent past the grace time). Only past
 * `hardLimit` open connections is one closed unanswered: the oldest that has sent nothing, else the
 * new one.
 */
export function capConnections(server: Server, cap: ConnectionCap): void {
  const now = cap.now ?? Date.now;
  /** Open connections, oldest first. */
  const open = new Map<Socket, Connection>();
  const close = (socket: Socket): void => {
    // Forgotten at once: its 'close' comes later, and a burst of connections must not pick it again.
    open.delete(socket);
    socket.destroy();
  };
  const oldest = (closable: (connection: Connection, socket: Socket) => boolean): Socket | undefined => {
    for (const [socket, connection] of open) if (connection.inProgress === 0 && closable(connection, socket)) return socket;
    return undefined;
  };

  server.on('connection', (socket: Socket) => {
    const connection: Connection = { opened: now(), inProgress: 0, answered: 0, overCapacity: false };
    open.set(socket, connection);
    socket.once('close', () => open.delete(socket));
    if (open.size <= cap.keep) return;
    const idle = oldest((other) => other.answered > 0 || now() - other.opened >= cap.graceMs);
    if (idle) return close(idle);
    if (open.size > cap.hardLimit) return close(oldest((other, otherSocket) => other.answered === 0 && otherSocket !== socket) ?? socket);
    connection.overCapacity = true;
    // Not the socket's own timeout: the server's, which must still cover a probe in progress on it.
    const silent = setTimeout(() => {
      if (connection.answered === 0 && connection.inProgress === 0 && open.has(socket)) close(socket);
    }, cap.graceMs).unref();
    socket.once('close', () => clearTimeout(silent));
  });
  // First among the request listeners: the exporter's handler may answer before returning.
  server.prependListener('request', (req, res) => {
    const connection = open.get(req.socket);
    if (!connection) return;
    connection.inProgress++;
    if (connection.overCapacity) res.setHeader('Connection', 'close');
    res.once('close', () => {
      connection.inProgress--;
      connection.answered++;
    });
  });
}
