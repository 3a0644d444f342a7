/**
 * A bulk run of the real CLI (`mxlint -f LIST --format jsonl`, a child process, peak RSS measured)
 * against the in-process server on loopback serving the bulk world (bulk-zones.ts), where the MX
 * lookup of a seeded share of the domains is answered SERVFAIL, with garbage, or not at all. For the
 * load test in npm test (a few thousand domains) and `npm run load` (100,000).
 *
 * What must hold: every domain in the list gets exactly one result; the faulty ones are unknown with
 * dns-lookup-failed; every other one gets the verdict the world was built for.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { startLocalDnsServer, type Behaviour, type IncomingQuery, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import * as hostile from './hostile-answers.js';
import { seededRandom } from './random.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { buildZoneSet, type ZoneSet } from './bulk-zones.js';
import { CLI_PATH } from './e2e.js';
import { measure } from './measure.js';

/** How a faulty domain's MX lookup is answered. */
const FAULTS = ['servfail', 'garbage', 'silence'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultyBulkOptions {
  domains: number;
  /** A loopback address of the caller's block. */
  host: string;
  /** Share of the domains whose MX lookup is faulty; default 0.05. */
  faultShare?: number;
  seed?: number;
  /** Extra CLI options (timeouts, concurrency). */
  cliArgs?: string[];
}

export interface FaultyBulkReport {
  domains: number;
  faulty: number;
  results: number;
  /** In the list, absent from the output. */
  lost: string[];
  /** Reported more than once. */
  duplicated: string[];
  /** Domains whose verdict is not the expected one, with what was got. */
  wrong: string[];
  exitCode: number | null;
  stderr: string;
  seconds: number;
  peakRssMb: number;
  /** Queries the server received, and how many of them it answered with a fault. */
  queries: number;
  faultsServed: Record<Fault, number>;
}

function faultBehaviour(fault: Fault, query: IncomingQuery): Behaviour {
  switch (fault) {
    case 'servfail': return { kind: 'rcode', rcode: 'SERVFAIL' };
    case 'garbage': return { kind: 'raw', bytes: hostile.compressionLoop(query) };
    case 'silence': return { kind: 'silence' };
  }
}

export interface FaultyWorldServer {
  server: LocalDnsServer;
  /** The domains whose MX lookup is faulty, and how. */
  faultOf: ReadonlyMap<string, Fault>;
  /** Queries received so far, and how many of them were answered with a fault. */
  queries(): number;
  faultsServed: Record<Fault, number>;
}

export interface FaultyWorldOptions {
  host: string;
  faultShare: number;
  seed: number;
  /** The faults dealt out in turn; default all of them. */
  faults?: readonly Fault[];
}

/** The in-process server serving `world`, where the MX lookup of a seeded share of its domains is faulty. */
export async function startFaultyWorldServer(world: ZoneSet, options: FaultyWorldOptions): Promise<FaultyWorldServer> {
  const records = Object.entries(world.zones).flatMap(([zone, text]) => readZoneText(text, { file: `${zone}.zone` }).records);
  const random = seededRandom(options.seed);
  const faults = options.faults ?? FAULTS;
  const faultOf = new Map<string, Fault>();
  for (const domain of world.domains) {
    if (random() < options.faultShare) faultOf.set(domain, faults[faultOf.size % faults.length]!);
  }
  const faultsServed: Record<Fault, number> = { servfail: 0, garbage: 0, silence: 0 };
  let queries = 0;
  const server = await startLocalDnsServer({
    records, host: options.host,
    behave: (query) => {
      queries++;
      const fault = query.type === 'MX' ? faultOf.get(query.name) : undefined;
      if (fault === undefined) return { kind: 'answer' };
      faultsServed[fault]++;
      return faultBehaviour(fault, query);
    },
  });
  return { server, faultOf, queries: () => queries, faultsServed };
}

export async function runFaultyBulk(options: FaultyBulkOptions): Promise<FaultyBulkReport> {
  const world = buildZoneSet(options.domains);
  const { server, faultOf, queries, faultsServed } = await startFaultyWorldServer(world, { host: options.host, faultShare: options.faultShare ?? 0.05, seed: options.seed ?? 6 });
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-load-'));
  try {
    const list = join(dir, 'domains.txt');
    writeFileSync(list, `${world.domains.join('\n')}\n`);
    const run = await measure(CLI_PATH, ['--server', server.address, '--checks', 'mx', '-f', list, '--format', 'jsonl', ...(options.cliArgs ?? [])], { keepStdout: true });
    const seen = new Map<string, number>();
    const wrong: string[] = [];
    let results = 0;
    for (const line of run.stdout.split('\n')) {
      if (line === '') continue;
      const result = JSON.parse(line) as DomainResult;
      results++;
      seen.set(result.input, (seen.get(result.input) ?? 0) + 1);
      const fault = faultOf.get(result.input);
      const rules = result.findings.map((f) => f.rule);
      const right = fault === undefined
        ? result.status === world.expected.get(result.input)
        : result.status === 'unknown' && rules.includes('dns-lookup-failed');
      if (!right) wrong.push(`${result.input}${fault ? ` (${fault})` : ''}: ${result.status} ${rules.join(' ')}`);
    }
    return {
      domains: world.domains.length, faulty: faultOf.size, results,
      lost: world.domains.filter((d) => !seen.has(d)),
      duplicated: [...seen].filter(([, n]) => n > 1).map(([d]) => d),
      wrong, exitCode: run.exitCode, stderr: run.stderr, seconds: run.seconds, peakRssMb: run.peakRssMb,
      queries: queries(), faultsServed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.close();
  }
}
