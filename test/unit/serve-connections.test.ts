import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { capConnections, type ConnectionCap } from '../../src/serve/connections.js';

/** A server whose answers wait for `release()`, so that requests overlap as in a burst. */
async function startServer(cap: ConnectionCap): Promise<{ server: Server; port: number; release: () => void; requests: () => number; accepted: () => number }> {
  let requests = 0;
  let accepted = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req: IncomingMessage, res) => {
    requests++;
    if (req.url === '/now') return res.end('ok');
    void released.then(() => res.end('ok'));
  });
  capConnections(server, cap);
  server.on('connection', () => accepted++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, release, requests: () => requests, accepted: () => accepted };
}

/** A raw connection, its close awaited and what it was sent kept. */
function open(port: number): { socket: Socket; received: () => string; closed: Promise<void>; connected: Promise<void> } {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {});
  return { socket, received: () => received, closed: once(socket, 'close').then(() => {}), connected: once(socket, 'connect').then(() => {}) };
}

const request = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Asks for the page answered at once, and waits for the answer on that connection. */
async function ask(connection: ReturnType<typeof open>): Promise<void> {
  await connection.connected;
  connection.socket.write(request('/now'));
  await until(() => connection.received().endsWith('ok'));
}

describe('the exporter\'s connection cap', { timeout: 30_000 }, () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const server of servers.splice(0)) server.close();
  });
  const track = <T extends { socket: Socket }>(connection: T): T => (sockets.push(connection.socket), connection);
  const serve = async (cap: ConnectionCap): ReturnType<typeof startServer> => {
    const started = await startServer(cap);
    servers.push(started.server);
    return started;
  };

  it('answers every request of a burst past the cap: the ones past it with Connection: close, none closed unanswered', async () => {
    // Before: a connection past the cap closed the oldest with no request in progress, which in a
    // burst was one whose request had not been read yet: the client got a closed socket.
    const { port, release, requests } = await serve({ keep: 4, hardLimit: 16, graceMs: 60_000 });
    const burst = Array.from({ length: 12 }, () => track(open(port)));
    await Promise.all(burst.map((connection) => connection.connected));
    for (const connection of burst) connection.socket.write(request('/slow'));
    await until(() => requests() === 12);
    release();
    await until(() => burst.every((connection) => /\r\n\r\nok$/.test(connection.received())));
    const closing = burst.filter((connection) => /^connection: close\r$/im.test(connection.received()));
    assert.equal(closing.length, 8, 'the 8 past the cap are told the connection closes');
    await Promise.all(closing.map((connection) => connection.closed));
    assert.ok(burst.filter((connection) => !connection.socket.destroyed).length >= 4);
  });

  it('makes room by closing a kept-alive connection idle between requests, never a silent new one', async () => {
    const { port, release } = await serve({ keep: 2, hardLimit: 16, graceMs: 60_000 });
    release();
    const keptAlive = track(open(port));
    await ask(keptAlive);
    const silent = track(open(port));
    await silent.connected;
    const third = track(open(port));
    await third.connected;
    await keptAlive.closed;
    await ask(third);
    assert.equal(silent.socket.destroyed, false);
    assert.doesNotMatch(third.received(), /connection: close/i);
  });

  it('makes room by closing a connection silent past the grace time (a controlled clock)', async () => {
    let clock = 0;
    const { port, accepted } = await serve({ keep: 1, hardLimit: 16, graceMs: 5_000, now: () => clock });
    const silent = track(open(port));
    await until(() => accepted() === 1);
    clock = 4_999;
    const second = track(open(port));
    await ask(second);
    assert.equal(silent.socket.destroyed, false, 'younger than the grace time: kept');
    assert.match(second.received(), /connection: close/i, 'no room: answered once');
    clock = 5_000;
    const third = track(open(port));
    await third.connected;
    await silent.closed;
    await ask(third);
    assert.doesNotMatch(third.received(), /connection: close/i);
  });

  it('closes a connection past the cap that stays silent after the grace time', async () => {
    const { port } = await serve({ keep: 1, hardLimit: 16, graceMs: 50 });
    const first = track(open(port));
    await first.connected;
    const overCapacity = track(open(port));
    await overCapacity.closed;
    assert.equal(overCapacity.received(), '');
  });

  it('past the hard limit closes the oldest connection that has sent nothing, and serves the new one', async () => {
    const { port, release, accepted } = await serve({ keep: 1, hardLimit: 2, graceMs: 60_000 });
    release();
    const oldest = track(open(port));
    await until(() => accepted() === 1);
    const next = track(open(port));
    await until(() => accepted() === 2);
    const newest = track(open(port));
    await newest.connected;
    await oldest.closed;
    await ask(newest);
    assert.equal(next.socket.destroyed, false);
  });
});
