import { isIP } from 'node:net';

export const DNS_PORT = 53;

/** A DNS server to send queries to. `host` is always an IP address: a name would need a resolver. */
export interface ServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

export type ServerAddressParse =
  | { ok: true; server: ServerAddress }
  | { ok: false; reason: string };

/** Reads `host`, `host:port`, `IPv6`, or `[IPv6]:port` (IPv6 with a port must be bracketed). */
export function parseServerAddress(text: string, defaultPort = DNS_PORT): ServerAddressParse {
  const spec = text.trim();
  let host = spec;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(spec);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if (isIP(spec) !== 6) {
    const colon = spec.lastIndexOf(':');
    if (colon !== -1) {
      host = spec.slice(0, colon);
      portText = spec.slice(colon + 1);
    }
  }
  // node:net takes scoped IPv6 (fe80::1%eth0) as an address and nothing else with a "%".
  const family = isIP(host);
  if (family === 0) {
    return { ok: false, reason: `"${text}" is not an IP address (write host[:port], IPv6 as [::1]:5300)` };
  }
  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return { ok: false, reason: `"${text}" has no valid port (1-65535)` };
    }
    port = Number(portText);
  }
  return { ok: true, server: { host, port, family: family as 4 | 6 } };
}

/** As the user would write it: "127.0.0.1:53", "[::1]:5300". */
export function formatServerAddress(server: ServerAddress): string {
  return server.family === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}
