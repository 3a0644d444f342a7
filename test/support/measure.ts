/**
 * Runs a Node program as a child, as a user would, and measures its wall time and peak resident
 * memory (through rss-probe.js, loaded with --import: the program itself is unchanged). For the
 * memory tests and the benchmark.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROBE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'rss-probe.js')).href;

export interface Measured {
  seconds: number;
  /** NaN when the process died before its exit hook ran. */
  peakRssMb: number;
  /** User and system CPU time; NaN when the process died before its exit hook ran. */
  cpuSeconds: number;
  exitCode: number | null;
  stderr: string;
  /** Only when asked for (`keepStdout`); otherwise stdout is discarded, as a report written to a file would cost about the same. */
  stdout: string;
  /** Killed (SIGKILL) after `timeoutMs`. */
  timedOut: boolean;
}

export interface MeasureOptions {
  /** Standard input: a stream (another child's stdout) piped in, or nothing. */
  stdin?: Readable;
  keepStdout?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Kill the program (SIGKILL) when it runs longer; default: no limit. */
  timeoutMs?: number;
  /** Flags for node itself, before the program (`--heap-growing-percent=0`). */
  nodeArgs?: string[];
}

export function measure(script: string, args: string[], options: MeasureOptions = {}): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', PROBE, script, ...args], {
    stdio: [options.stdin ? 'pipe' : 'ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  if (options.stdin) options.stdin.pipe(child.stdin!).on('error', () => undefined);
  let stdout = '';
  let stderr = '';
  let probe = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (probe += chunk));
  let timedOut = false;
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      let peakRssMb = Number.NaN;
      let cpuSeconds = Number.NaN;
      try {
        const usage = JSON.parse(probe) as { maxRssKb: number; cpuMicros: number };
        peakRssMb = usage.maxRssKb / 1024;
        cpuSeconds = usage.cpuMicros / 1e6;
      } catch {
        // no report: the process died before its exit hook
      }
      resolve({ seconds, peakRssMb, cpuSeconds, exitCode, stderr, stdout, timedOut });
    });
  });
}
