import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZoneFile } from '../zone/reader.js';
import { startDnsServer } from '../testing/dns-server.js';
import { runCli } from '../cli/main.js';
import { domainsOfText } from '../bulk/domain-lines.js';
import type { DnsRecord } from '../dns/records.js';

/**
 * `npm run demo`: the real CLI path — wire protocol, resolver, rules, reporter — over example
 * domains served from examples/zones/ by an in-process DNS server on loopback. Nothing leaves the
 * machine. Extra arguments go to mxlint (`npm run demo -- --format json`).
 */

const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

function loadExampleRecords(): DnsRecord[] {
  const dir = join(EXAMPLES, 'zones');
  const records: DnsRecord[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.zone')).sort()) {
    const zone = readZoneFile(join(dir, file));
    for (const problem of zone.problems) {
      throw new Error(`${problem.location.file}:${problem.location.line}:${problem.location.column}: ${problem.message}`);
    }
    records.push(...zone.entries.map((e) => e.record));
  }
  return records;
}

async function demo(extraArgs: string[]): Promise<number> {
  const server = await startDnsServer({ records: loadExampleRecords() });
  try {
    const domains = domainsOfText(readFileSync(join(EXAMPLES, 'demo-domains.txt'), 'utf8'));
    const args = ['--server', server.address, '--timeout', '500', '--retries', '1', ...extraArgs, ...domains];
    process.stderr.write(`mxlint demo: example zones from examples/zones/ served on ${server.address} (loopback only)\n`
      + `$ mxlint ${args.join(' ')}\n\n`);
    const exitCode = await runCli(args);
    process.stderr.write(`\nmxlint exited with ${exitCode} (0 pass, 1 warn, 2 fail, 3 unknown): the examples are broken on purpose.\n`);
    return exitCode;
  } finally {
    await server.close();
  }
}

try {
  await demo(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`mxlint demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
