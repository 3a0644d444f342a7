/** The server's own ceiling: dnsperf sending the benchmark's questions as fast as it answers. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { findOnPath } from '../test/support/e2e.js';

const RUN_SECONDS = 5;
/** Two sending threads on two cores (the server shares them), as many queries in flight as dnsperf handles well. */
const DNSPERF_ARGS = ['-c', '8', '-T', '2', '-q', '500'];

export function dnsperfInstalled(): boolean {
  return findOnPath('dnsperf') !== undefined;
}

/** Queries per second dnsperf measured, over RUN_SECONDS. */
export async function dnsperfQps(host: string, port: number, queries: string[], queryFile: string): Promise<number> {
  writeFileSync(queryFile, `${queries.join('\n')}\n`);
  const { stdout } = await promisify(execFile)('dnsperf', ['-s', host, '-p', String(port), '-d', queryFile, '-l', String(RUN_SECONDS), ...DNSPERF_ARGS],
    { maxBuffer: 16 * 1024 * 1024 });
  const match = /Queries per second:\s+([\d.]+)/.exec(stdout);
  if (!match) throw new Error(`dnsperf printed no rate:\n${stdout}`);
  return Number(match[1]);
}
