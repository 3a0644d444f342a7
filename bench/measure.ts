/** Runs a Node program as a child, as a user would, and measures its wall time and peak memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROBE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'rss-probe.js')).href;

export interface Measured {
  seconds: number;
  peakRssMb: number;
  exitCode: number | null;
  stderr: string;
}

/**
 * `node --import rss-probe script args`, stdout discarded (as a report written to a file would
 * cost about the same), stdin from `stdinFrom` (another child's stdout) or nothing.
 */
export function measure(script: string, args: string[], stdinFrom?: ChildProcess): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', PROBE, script, ...args], {
    stdio: [stdinFrom?.stdout ?? 'ignore', 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  let probe = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (chunk: string) => (probe += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      const seconds = (performance.now() - started) / 1000;
      let peakRssMb = NaN;
      try {
        peakRssMb = (JSON.parse(probe) as { maxRssKb: number }).maxRssKb / 1024;
      } catch {
        // no report: the process died before its exit hook
      }
      resolve({ seconds, peakRssMb, exitCode, stderr });
    });
  });
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
