import { isIP } from 'node:net';

/** How `--server`, `--connect-to` and messages write a host with a port: `host:port`, IPv6 in brackets. */

const PORT = /^\d{1,5}$/;

/**
 * `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address (which then has no port). Neither
 * half is checked here: the port is still text, for parsePort.
 */
export function splitHostPort(text: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) return bracketed[2] === undefined ? { host: bracketed[1]! } : { host: bracketed[1]!, port: bracketed[2] };
  if (isIP(text) === 6) return { host: text };
  const colon = text.lastIndexOf(':');
  return colon === -1 ? { host: text } : { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/** A TCP or UDP port written in decimal digits, 1 to 65535; null for anything else. */
export function parsePort(text: string): number | null {
  if (!PORT.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** "127.0.0.1:25", "[::1]:25". */
export function formatHostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
