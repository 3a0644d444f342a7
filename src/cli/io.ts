/** Where the CLI reads its environment and writes its output: the process, or a test's buffers. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** A mistake in how mxlint was called: reported as one line, exit code 3. */
export class UsageError extends Error {}
