/**
 * A real NSD authoritative server on loopback, for end-to-end tests.
 *
 *   const nsd = await startNsd({ zones: { 'mx.test': zoneText } });
 *   // ... run `mxlint --server ${nsd.server} ...`
 *   await nsd.stop();
 *
 * Every start gets a fresh temp dir (zones, nsd.conf, log, pid, xfrd state), a port that is free for
 * UDP and TCP (unless one is given), `rrl-ratelimit: 0`, no chroot, no database. NSD runs in the
 * foreground (`nsd -d`) as a daemon (daemon.ts) that cannot outlive the test process.
 *
 * Readiness is proved with real DNS queries over UDP (dns-packet) to the server's own address:
 * every zone must answer its SOA authoritatively. Nothing is ever sent anywhere but `host`.
 */
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { daemonLogs, runTool, spawnDaemon, type RunningServer } from './daemon.js';
import { assertPortFree, freePort, isLoopbackV4 } from './ports.js';

export interface NsdOptions {
  /** Zone name (with or without the trailing dot) to zone file text. */
  zones: Record<string, string>;
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Port for UDP and TCP; default: a free one (retried if NSD cannot bind it). */
  port?: number;
  /** Listen on ::1 too (same port). Default false. */
  ipv6?: boolean;
  /** Check every zone with nsd-checkzone before starting, to fail with its message. Default true. */
  checkZones?: boolean;
  /** How long to wait for NSD to answer for every zone. Default 15000 ms. */
  startTimeoutMs?: number;
  /** Extra lines for the `server:` clause (each indented by the caller or not: they are indented here). */
  extraServerConfig?: string[];
  /** Keep the temp dir after stop() (its path is in `dir`). Default: env MXLINT_KEEP_NSD is set. */
  keepDir?: boolean;
}

export type NsdServer = RunningServer;

function assertLoopback(host: string): void {
  if (!isLoopbackV4(host) && host !== '::1') {
    throw new Error(`startNsd: host must be a loopback address (127.0.0.0/8 or ::1), got ${host}`);
  }
}

function canonicalZone(name: string): string {
  const lower = name.trim().toLowerCase();
  if (lower === '.' || lower === '') return '.';
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function zoneFileName(zone: string): string {
  return zone === '.' ? 'root.zone' : `${zone.replace(/[^a-z0-9.-]/g, '_')}.zone`;
}

/** "host:port" as --server takes it: IPv6 in brackets. */
export function serverSpec(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// A minimal DNS client for readiness and for tests: one UDP query to one loopback server.

export interface DnsReply {
  rcode: string;
  /** Authoritative answer flag. */
  aa: boolean;
  /** Truncated flag. */
  tc: boolean;
  packet: dnsPacket.Packet;
}

/**
 * Sends one query over UDP to `host:port` (which must be loopback) and resolves with the decoded
 * reply, or rejects after `timeoutMs`.
 */
export function dnsQuery(
  host: string,
  port: number,
  name: string,
  type: dnsPacket.RecordType,
  options: { timeoutMs?: number; ednsPayload?: number } = {},
): Promise<DnsReply> {
  assertLoopback(host);
  const timeoutMs = options.timeoutMs ?? 1000;
  const id = Math.floor(Math.random() * 65536);
  const query: dnsPacket.Packet = {
    type: 'query',
    id,
    flags: 0,
    questions: [{ type, name, class: 'IN' }],
  };
  if (options.ednsPayload !== undefined) {
    query.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: options.ednsPayload } as dnsPacket.Answer];
  }
  const bytes = dnsPacket.encode(query);
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no reply from ${serverSpec(host, port)} for ${name} ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (message) => {
      let packet: dnsPacket.Packet;
      try {
        packet = dnsPacket.decode(message);
      } catch {
        return; // not a reply we can read: keep waiting
      }
      if (packet.id !== id) return;
      clearTimeout(timer);
      socket.close();
      const flags = packet.flags ?? 0;
      resolve({
        rcode: (packet as { rcode?: string }).rcode ?? 'UNKNOWN',
        aa: (flags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0,
        tc: (flags & dnsPacket.TRUNCATED_RESPONSE) !== 0,
        packet,
      });
    });
    socket.send(bytes, port, host);
  });
}

// ---------------------------------------------------------------------------------------------

function buildConfig(dir: string, host: string, port: number, ipv6: boolean, zones: string[], extra: string[]): string {
  const lines = [
    'server:',
    `  ip-address: ${host}@${port}`,
    ...(ipv6 && host !== '::1' ? [`  ip-address: ::1@${port}`] : []),
    '  username: ""',
    '  chroot: ""',
    '  database: ""',
    `  zonesdir: "${dir}"`,
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  xfrdir: "${dir}"`,
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    `  logfile: "${join(dir, 'nsd.log')}"`,
    '  server-count: 1',
    '  verbosity: 1',
    '  hide-version: yes',
    '  rrl-ratelimit: 0',
    '  rrl-whitelist-ratelimit: 0',
    ...extra.map((line) => `  ${line.trim()}`),
    'remote-control:',
    '  control-enable: no',
  ];
  for (const zone of zones) {
    lines.push('zone:', `  name: "${zone}"`, `  zonefile: "${zoneFileName(zone)}"`);
  }
  return `${lines.join('\n')}\n`;
}

const BIND_FAILURE = /can't bind|address already in use|could not open|cannot open/i;

export async function startNsd(options: NsdOptions): Promise<NsdServer> {
  const host = options.host ?? '127.0.0.1';
  assertLoopback(host);
  const zoneNames = Object.keys(options.zones);
  if (zoneNames.length === 0) throw new Error('startNsd: no zones given');
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const hosts = options.ipv6 && host !== '::1' ? [host, '::1'] : [host];
    if (options.port !== undefined) for (const h of hosts) await assertPortFree(h, options.port);
    const port = options.port ?? (await freePort(hosts));
    try {
      return await startOnce(options, host, port);
    } catch (error) {
      lastError = error as Error;
      // Only a lost race for the port is worth another try.
      if (!(error instanceof NsdStartError && error.portProblem)) throw error;
    }
  }
  throw lastError ?? new Error('startNsd: failed');
}

class NsdStartError extends Error {
  constructor(message: string, readonly portProblem: boolean) {
    super(message);
    this.name = 'NsdStartError';
  }
}

async function startOnce(options: NsdOptions, host: string, port: number): Promise<NsdServer> {
  const keepDir = options.keepDir ?? process.env.MXLINT_KEEP_NSD !== undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-nsd-'));
  const zones = new Map<string, string>();
  for (const [name, text] of Object.entries(options.zones)) {
    const zone = canonicalZone(name);
    if (zones.has(zone)) throw new Error(`startNsd: zone ${zone} given twice`);
    zones.set(zone, text.endsWith('\n') ? text : `${text}\n`);
  }
  const removeDir = (): void => {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  };

  for (const [zone, text] of zones) writeFileSync(join(dir, zoneFileName(zone)), text);
  const confPath = join(dir, 'nsd.conf');
  writeFileSync(
    confPath,
    buildConfig(dir, host, port, options.ipv6 ?? false, [...zones.keys()], options.extraServerConfig ?? []),
  );

  const checkconf = await runTool('nsd-checkconf', [confPath]);
  if (checkconf.code !== 0) {
    removeDir();
    throw new NsdStartError(`nsd-checkconf rejected the generated config:\n${checkconf.output}`, false);
  }
  if (options.checkZones ?? true) {
    for (const zone of zones.keys()) {
      const check = await runTool('nsd-checkzone', [zone, join(dir, zoneFileName(zone))]);
      if (check.code !== 0) {
        removeDir();
        throw new NsdStartError(`nsd-checkzone rejected zone ${zone}:\n${check.output}`, false);
      }
    }
  }

  const daemon = spawnDaemon('nsd', ['-d', '-c', confPath], { dir, keepDir });
  const logs = (): string => daemonLogs('nsd', join(dir, 'nsd.log'), daemon);
  const stop = daemon.stop;

  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(zones.keys());
  let lastProblem = 'no reply yet';
  while (pending.size > 0) {
    const exited = daemon.exit();
    if (exited !== undefined) {
      const text = logs();
      await stop();
      const how = exited.spawnError !== undefined
        ? `could not be started (${exited.spawnError.message})`
        : `exited (code ${exited.code}, signal ${exited.signal})`;
      throw new NsdStartError(`nsd ${how} before answering on ${serverSpec(host, port)}. Log:\n${text}`, BIND_FAILURE.test(text));
    }
    if (Date.now() > deadline) {
      const text = logs();
      await stop();
      throw new NsdStartError(
        `nsd did not answer for zone(s) ${[...pending].join(', ')} on ${serverSpec(host, port)} within ${timeoutMs} ms ` +
          `(last: ${lastProblem}). Log:\n${text}`,
        false,
      );
    }
    for (const zone of [...pending]) {
      try {
        const reply = await dnsQuery(host, port, zone, 'SOA', { timeoutMs: 200 });
        const hasSoa = (reply.packet.answers ?? []).some((answer) => answer.type === 'SOA');
        if (reply.rcode === 'NOERROR' && reply.aa && hasSoa) pending.delete(zone);
        else lastProblem = `${zone} SOA: ${reply.rcode}${reply.aa ? '' : ' (not authoritative)'}`;
      } catch (error) {
        lastProblem = (error as Error).message;
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    host,
    port,
    server: serverSpec(host, port),
    dir,
    pid: daemon.pid,
    stop,
    logs,
  };
}
