/**
 * A real validating Unbound resolver on loopback, recursing from root servers on loopback.
 *
 *   const unbound = await startUnbound({ address: '127.0.9.53', rootHints: ['127.0.9.2'], trustAnchor });
 *   // ... query unbound.server with RD (and DO to see AD)
 *   await unbound.stop();
 *
 * Settings proven in /work/shared/harness/NOTES.md: `do-not-query-localhost: no` (everything is on
 * loopback), `local-zone: "test." nodefault` (test. is a built-in local zone otherwise), EDE on, no
 * chroot, no user switch, and a short cap on timeouts so an unreachable zone gives SERVFAIL, not silence. Readiness is a real query for `localhost. A`, which Unbound answers from
 * its built-in local data, so it proves the listener without touching the hierarchy.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DNS_PORT } from '../../src/dns/server-address.js';
import { daemonLogs, runTool, spawnDaemon, type RunningServer } from './daemon.js';
import { dnsQuery, serverSpec } from './nsd.js';
import { assertPortFree, isLoopbackV4 } from './ports.js';

/** Unbound reads its config, trust anchor and hints and binds in well under a second here. */
const DEFAULT_START_TIMEOUT_MS = 15_000;
const READINESS_POLL_MS = 50;
/** Upper bound of Unbound's per-server timeout (see buildConfig); a later `infra-cache-max-rtt` in extraServerConfig wins. */
const MAX_BACKOFF_MS = 500;

export interface UnboundOptions {
  /** Loopback IPv4 address to listen on and send queries from. */
  address: string;
  /** Default 53. */
  port?: number;
  /** Addresses of the root servers (port 53): the root hints. */
  rootHints: string[];
  /** The root's DS (or DNSKEY) records in zone-file form; without them Unbound validates nothing. */
  trustAnchor?: string;
  /** Extra lines for the `server:` clause. */
  extraServerConfig?: string[];
  /** How long to wait for Unbound to answer. Default 15000 ms. */
  startTimeoutMs?: number;
  /** Keep the temp dir after stop(). Default: env MXLINT_KEEP_NSD is set. */
  keepDir?: boolean;
}

export type UnboundServer = RunningServer;

function assertLoopbackV4(address: string, what: string): void {
  if (!isLoopbackV4(address)) {
    throw new Error(`startUnbound: ${what} must be a loopback IPv4 address (127.0.0.0/8), got ${address}`);
  }
}

function buildConfig(dir: string, options: UnboundOptions, port: number): string {
  const lines = [
    'server:',
    `  interface: ${options.address}@${port}`,
    `  outgoing-interface: ${options.address}`,
    '  do-ip6: no',
    '  do-not-query-localhost: no',
    '  access-control: 127.0.0.0/8 allow',
    '  local-zone: "test." nodefault',
    `  root-hints: "${join(dir, 'root.hints')}"`,
    ...(options.trustAnchor === undefined ? [] : [`  trust-anchor-file: "${join(dir, 'root-anchor.ds')}"`]),
    '  module-config: "validator iterator"',
    '  ede: yes',
    '  val-log-level: 2',
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    `  pidfile: "${join(dir, 'unbound.pid')}"`,
    `  logfile: "${join(dir, 'unbound.log')}"`,
    '  use-syslog: no',
    '  verbosity: 1',
    '  num-threads: 1',
    // Unbound binds with SO_REUSEPORT by default, so a second one on the same address would start
    // fine and share the queries: off, a clash fails at start.
    '  so-reuseport: no',
    // Unbound backs off from a silent server up to 120 s by default, so a zone whose servers are all
    // down gets no reply at all for a long time; capped, it gets SERVFAIL in under a second.
    `  infra-cache-max-rtt: ${MAX_BACKOFF_MS}`,
    ...(options.extraServerConfig ?? []).map((line) => `  ${line.trim()}`),
    'remote-control:',
    '  control-enable: no',
  ];
  return `${lines.join('\n')}\n`;
}

function rootHintsText(addresses: string[]): string {
  return addresses
    .map((address, i) => `. 3600000 NS hint${i + 1}.root-servers.\nhint${i + 1}.root-servers. 3600000 A ${address}\n`)
    .join('');
}

export async function startUnbound(options: UnboundOptions): Promise<UnboundServer> {
  assertLoopbackV4(options.address, 'address');
  if (options.rootHints.length === 0) throw new Error('startUnbound: no root server addresses (rootHints) given');
  for (const hint of options.rootHints) assertLoopbackV4(hint, 'every root hint');
  const port = options.port ?? DNS_PORT;
  await assertPortFree(options.address, port);
  const keepDir = options.keepDir ?? process.env.MXLINT_KEEP_NSD !== undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-unbound-'));
  writeFileSync(join(dir, 'root.hints'), rootHintsText(options.rootHints));
  if (options.trustAnchor !== undefined) writeFileSync(join(dir, 'root-anchor.ds'), options.trustAnchor);
  const confPath = join(dir, 'unbound.conf');
  writeFileSync(confPath, buildConfig(dir, options, port));

  const check = await runTool('unbound-checkconf', [confPath]);
  const daemon = spawnDaemon('unbound', ['-d', '-c', confPath], { dir, keepDir });
  const logs = (): string => daemonLogs('unbound', join(dir, 'unbound.log'), daemon);
  const where = serverSpec(options.address, port);
  const fail = async (why: string): Promise<never> => {
    const text = logs();
    await daemon.stop();
    throw new Error(`unbound on ${where} ${why}. Log:\n${text}`);
  };
  if (check.code !== 0) return fail(`not started: unbound-checkconf rejected the generated config:\n${check.output}`);

  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no reply yet';
  for (;;) {
    const exited = daemon.exit();
    if (exited !== undefined) {
      return fail(exited.spawnError !== undefined
        ? `could not be started (${exited.spawnError.message})`
        : `exited (code ${exited.code}, signal ${exited.signal}) before answering`);
    }
    if (Date.now() > deadline) return fail(`did not answer within ${timeoutMs} ms (last: ${lastProblem})`);
    try {
      const reply = await dnsQuery(options.address, port, 'localhost', 'A', { timeoutMs: 200 });
      if (reply.rcode === 'NOERROR') break;
      lastProblem = `localhost A: ${reply.rcode}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, READINESS_POLL_MS));
  }
  return { host: options.address, port, server: where, dir, pid: daemon.pid, stop: daemon.stop, logs };
}
