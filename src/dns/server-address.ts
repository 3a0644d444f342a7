import { isIP } from 'node:net';
import { formatHostPort, parsePort, splitHostPort } from '../net/host-port.js';
import { parseSpecs } from '../core/specs.js';
import type { ServerAddress } from '../core/options.js';

export const DNS_PORT = 53;

export type { ServerAddress };

export type ServerAddressParse =
  | { ok: true; server: ServerAddress }
  | { ok: false; reason: string };

/** Reads `host`, `host:port`, `IPv6`, or `[IPv6]:port` (IPv6 with a port must be bracketed). */
export function parseServerAddress(text: string, defaultPort = DNS_PORT): ServerAddressParse {
  const { host, port: portText } = splitHostPort(text.trim());
  // node:net takes scoped IPv6 (fe80::1%eth0) as an address and nothing else with a "%".
  const family = isIP(host);
  if (family === 0) {
    return { ok: false, reason: `"${text}" is not an IP address (write host[:port], IPv6 as [::1]:5300)` };
  }
  const port = portText === undefined ? defaultPort : parsePort(portText);
  if (port === null) return { ok: false, reason: `"${text}" has no valid port (1-65535)` };
  return { ok: true, server: { host, port, family: family as 4 | 6 } };
}

/** Servers given as text (`127.0.0.1:5300`) or already parsed; `fail` makes the error for the first that does not parse. */
export function serverAddresses(specs: readonly (string | ServerAddress)[], fail: (reason: string) => Error): ServerAddress[] {
  return parseSpecs(specs, (text) => {
    const parsed = parseServerAddress(text);
    return parsed.ok ? parsed.server : parsed.reason;
  }, fail);
}

/** As the user would write it: "127.0.0.1:53", "[::1]:5300". */
export function formatServerAddress(server: ServerAddress): string {
  return formatHostPort(server.host, server.port);
}
