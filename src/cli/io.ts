import type { OutputStream } from './output.js';
import type { ProgressStream } from './progress.js';

/** Where the CLI reads its environment and writes its output: the process, or a test's buffers. */
export interface CliIo {
  stdout: OutputStream & { isTTY?: boolean; columns?: number };
  stderr: ProgressStream & { isTTY?: boolean };
  /** `-f -` reads the domain list from here. */
  stdin?: AsyncIterable<Buffer | string>;
  env: Record<string, string | undefined>;
  /** Where `mxlint serve` hears SIGTERM and SIGINT. */
  signals?: Pick<NodeJS.EventEmitter, 'once' | 'off'>;
}

export const processIo: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  // Node makes process.stdin when it is first asked for (some milliseconds): only `-f -` asks.
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  signals: process,
};

/** A mistake in how mxlint was called: reported as one line, exit code 3. */
export class UsageError extends Error {}

/** Something the run met that is no mistake in the call (a list that cannot be read, a port in use): one line, exit code 3. */
export class RunError extends Error {}
