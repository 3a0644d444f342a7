import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readTextFile } from '../core/files.js';
import { readZoneFile } from '../dns/zone-file/reader.js';
import { startLocalDnsServer } from '../dns/local-server/server.js';
import { runCli } from '../cli/main.js';
import { domainsOfText } from '../cli/domain-lines.js';
import type { DnsRecord } from '../dns/records.js';
import { classifyAddress } from '../net/address.js';
import { startDemoSmtp } from './smtp-server.js';
import { startDemoWebServer } from './web-server.js';
import { demoWebFiles, EXAMPLES, readCertificate, readDemoConfig } from './config.js';
import type { DemoConfig } from './config.js';
import type { LoopbackServer } from './loopback-server.js';
import { validatingView } from './validating-view.js';
import { freeLoopbackPort } from './closed-port.js';

/**
 * `npm run demo`: the real CLI path — wire protocol, resolver, rules, reporter — over example
 * domains served from examples/zones/ by an in-process DNS server on loopback. Nothing leaves the
 * machine. Extra arguments go to mxlint (`npm run demo -- --format json`, `-- --checks all`).
 *
 * For the checks beyond DNS examples/demo.json says what the demo stands in for: the zones a
 * validating resolver would authenticate (AD), the SMTP server behind each example exchange and the
 * web server behind each MTA-STS policy host, started here on 127.0.0.1. Every globally routable
 * address in the example zones is mapped with --connect-to: to its demo server (a name server's to the
 * DNS server itself), or to a loopback port where nothing listens; the others stay unmapped and are
 * not contacted, as in real use.
 */


function loadExampleRecords(): DnsRecord[] {
  const dir = join(EXAMPLES, 'zones');
  const records: DnsRecord[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.zone')).sort()) {
    const zone = readZoneFile(join(dir, file));
    for (const problem of zone.problems) {
      throw new Error(`${problem.location.file}:${problem.location.line}:${problem.location.column}: ${problem.message}`);
    }
    for (const record of zone.records) records.push(record);
  }
  return records;
}

/** The demo servers, by the host name they stand in for. */
async function startServers(config: DemoConfig): Promise<Map<string, LoopbackServer>> {
  const servers = new Map<string, LoopbackServer>();
  try {
    for (const [host, { greeting, certificate }] of Object.entries(config.smtp)) {
      servers.set(host, await startDemoSmtp({ greeting, tls: certificate === null ? null : readCertificate(certificate) }));
    }
    for (const [host, files] of demoWebFiles(config)) servers.set(host, await startDemoWebServer({ tls: readCertificate(files.certificate), files: files.files }));
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.close()));
    throw error;
  }
  return servers;
}

/**
 * One --connect-to per globally routable address in the zones, for every port: to the demo server
 * of the host that has it, to the demo's DNS server for a name server (the takeover check asks a
 * parent zone's servers directly), else to a closed port. So no connection mxlint opens can leave loopback.
 */
function connectToArgs(records: DnsRecord[], servers: Map<string, LoopbackServer>, dnsPort: number, closedPort: number): string[] {
  const nameServers = new Set(records.flatMap((record) => (record.type === 'NS' ? [record.data] : [])));
  return records.flatMap((record) => {
    if ((record.type !== 'A' && record.type !== 'AAAA') || !classifyAddress(record.data, record.type === 'A' ? 4 : 6).globallyRoutable) return [];
    const port = servers.get(record.name)?.port ?? (nameServers.has(record.name) ? dnsPort : closedPort);
    return ['--connect-to', `${record.data}=127.0.0.1:${port}`];
  });
}

/** `npm run demo -- postfix [main.cf] [options]`: the Postfix examples against the same zones. */
const POSTFIX_COMMAND = 'postfix';
const POSTFIX_EXAMPLE = { file: join(EXAMPLES, 'postfix', 'main.cf'), address: '185.199.112.25' };

/** What the demo checks: the example domains, or a Postfix configuration (by default the consistent example, at its address). */
function demoTargets(extraArgs: string[]): { command: string[]; options: string[]; targets: string[] } {
  if (extraArgs[0] !== POSTFIX_COMMAND) return { command: [], options: extraArgs, targets: domainsOfText(readTextFile(join(EXAMPLES, 'demo-domains.txt')).text) };
  const [, first, ...rest] = extraArgs;
  if (first !== undefined && !first.startsWith('-')) return { command: [POSTFIX_COMMAND], options: rest, targets: [first] };
  return {
    command: [POSTFIX_COMMAND],
    options: [...(first === undefined ? [] : [first]), ...rest, '--address', POSTFIX_EXAMPLE.address],
    targets: [relative(process.cwd(), POSTFIX_EXAMPLE.file)],
  };
}

async function demo(extraArgs: string[]): Promise<number> {
  if (extraArgs.some((arg) => arg === '--allow-private' || arg.startsWith('--connect-to'))) {
    throw new Error('--allow-private and --connect-to are not for the demo: it maps every example address to loopback itself');
  }
  const config = readDemoConfig();
  const records = loadExampleRecords();
  const servers = await startServers(config);
  const closeServers = (): Promise<unknown> => Promise.all([...servers.values()].map((s) => s.close()));
  const server = await startLocalDnsServer({ records, behave: validatingView(config.signedZones, config.unservedZones) }).catch(async (error: unknown) => {
    await closeServers();
    throw error;
  });
  try {
    const { command, options, targets } = demoTargets(extraArgs);
    const connectTo = connectToArgs(records, servers, server.port, await freeLoopbackPort());
    // Generous timeouts: nothing in the demo is meant to time out, and the DNS, SMTP and web servers share
    // this process's event loop with mxlint, so on a loaded machine their answers can take seconds.
    // --dkim-discover: the examples' DKIM keys sit under selectors big providers use, so no selector has to be named.
    const dkim = command.length === 0 ? ['--dkim-discover'] : [];
    const args = [...command, '--server', server.address, '--timeout', '5000', '--retries', '1', '--smtp-timeout', '10000', '--https-timeout', '10000',
      '--ca', join(EXAMPLES, 'tls', 'demo-ca.pem'), ...dkim, ...options];
    process.stderr.write(`mxlint demo: example zones from examples/zones/ served on ${server.address} (loopback only); `
      + `answers in ${config.signedZones.join(', ')} carry AD as from a validating resolver; `
      + `SMTP probes, MTA-STS and BIMI fetches go to demo servers on 127.0.0.1 (examples/demo.json)\n`
      + `$ mxlint ${args.join(' ')} [--connect-to for each of the ${connectTo.length / 2} example addresses] ${targets.join(' ')}\n\n`);
    const exitCode = await runCli([...args, ...connectTo, ...targets]);
    process.stderr.write(`\nmxlint exited with ${exitCode} (0 pass, 1 warn, 2 fail, 3 unknown)${command.length === 0 ? ': the examples are broken on purpose' : ''}.\n`);
    return exitCode;
  } finally {
    await Promise.all([server.close(), closeServers()]);
  }
}

try {
  await demo(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`mxlint demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
