import { readTextFile } from '../core/files.js';
import { parseServerAddress } from './server-address.js';
import type { ServerAddress } from './server-address.js';

export interface ResolvConf {
  servers: ServerAddress[];
  /** `options timeout:n`, converted to milliseconds. */
  timeoutMs?: number;
  /** `options attempts:n`: tries per server, the first included. */
  attempts?: number;
}

/** glibc's caps (resolv.conf(5)): larger values are clamped, not refused. */
export const MAX_TIMEOUT_SECONDS = 30;
export const MAX_ATTEMPTS = 5;

/**
 * Reads resolv.conf(5) text: `nameserver` lines (port 53; IPv6 with an optional %scope) and the
 * `timeout`/`attempts` options. Anything else, and malformed entries, are skipped as glibc does.
 */
export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { servers: [] };
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[;#].*$/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0] !== undefined) {
      const host = args[0];
      const parsed = parseServerAddress(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
      if (parsed.ok) conf.servers.push(parsed.server);
    } else if (keyword === 'options') {
      for (const option of args) {
        const [name, value] = option.split(':');
        const n = Number(value);
        if (value === undefined || !Number.isInteger(n) || n < 0) continue;
        if (name === 'timeout') conf.timeoutMs = Math.max(1, Math.min(n, MAX_TIMEOUT_SECONDS)) * 1000;
        if (name === 'attempts') conf.attempts = Math.max(1, Math.min(n, MAX_ATTEMPTS));
      }
    }
  }
  return conf;
}

/** The system's resolver settings; an unreadable file gives no servers, like a missing one to glibc. */
export function readSystemResolvConf(path = '/etc/resolv.conf'): ResolvConf {
  try {
    return parseResolvConf(readTextFile(path).text);
  } catch {
    return { servers: [] };
  }
}
