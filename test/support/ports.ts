/**
 * Free ports on loopback for test servers. Only loopback addresses are ever bound here.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server } from 'node:net';

/** An IPv4 address in 127.0.0.0/8, where test servers may listen and be queried. */
export function isLoopbackV4(address: string): boolean {
  return isIP(address) === 4 && address.startsWith('127.');
}

function bindUdp(host: string, port: number): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', ipv6Only: isIP(host) === 6 });
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
  });
}

function listenTcp(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port, exclusive: true, ipv6Only: isIP(host) === 6 }, () => {
      server.removeListener('error', reject);
      resolve(server);
    });
  });
}

function closeAll(udp: UdpSocket[], tcp: Server[]): Promise<void> {
  const closing: Promise<void>[] = [];
  for (const socket of udp) closing.push(new Promise((resolve) => socket.close(() => resolve())));
  for (const server of tcp) closing.push(new Promise((resolve) => server.close(() => resolve())));
  return Promise.all(closing).then(() => undefined);
}

/**
 * A port number that is free for both UDP and TCP on every address in `hosts` (default 127.0.0.1):
 * the kernel picks a UDP port on the first address, then the same number is bound over TCP (and on
 * the other addresses), and everything is closed again. Retries when the number is taken somewhere.
 * Another process can still take the port between this call and its use: callers that start a server
 * on it should retry on EADDRINUSE.
 */
export async function freePort(hosts: string[] = ['127.0.0.1']): Promise<number> {
  const [first, ...rest] = hosts;
  if (first === undefined) throw new Error('freePort: no address given');
  for (const host of hosts) {
    if (isIP(host) === 0) throw new Error(`freePort: ${host} is not an IP address`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    const udp: UdpSocket[] = [];
    const tcp: Server[] = [];
    try {
      const probe = await bindUdp(first, 0);
      udp.push(probe);
      const port = probe.address().port;
      tcp.push(await listenTcp(first, port));
      for (const host of rest) {
        udp.push(await bindUdp(host, port));
        tcp.push(await listenTcp(host, port));
      }
      await closeAll(udp, tcp);
      return port;
    } catch (error) {
      lastError = error;
      await closeAll(udp, tcp);
    }
  }
  throw new Error(`freePort: no port free for UDP and TCP on ${hosts.join(', ')}: ${String(lastError)}`);
}

/**
 * Throws unless `port` is free for UDP and TCP on `host`: a server on a fixed port (53 on a test
 * block address) must not start next to another run's server, which would answer in its place.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  const udp: UdpSocket[] = [];
  const tcp: Server[] = [];
  try {
    udp.push(await bindUdp(host, port));
    tcp.push(await listenTcp(host, port));
  } catch (error) {
    throw new Error(`${host}:${port} is already in use (another test run, or a server left over?): ${String(error)}`);
  } finally {
    await closeAll(udp, tcp);
  }
}
