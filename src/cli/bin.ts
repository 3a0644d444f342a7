import { EXIT_CODES } from '../core/status.js';
import { runCli } from './main.js';

/**
 * The executable: run and set the exit code. A closed pipe (mxlint … | head) ends the run at once
 * with exit code 3, whatever was found so far: what was not written was not reported.
 */
export async function main(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    // The progress line may be on the terminal: the message replaces it.
    process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}mxlint: the output was closed before the report was complete (EPIPE)\n`);
    process.exit(EXIT_CODES.unknown);
  });
  process.exitCode = await runCli(process.argv.slice(2));
}

/** For the build, which runs the bundle before saving its code cache (scripts/bundle-cli.mjs). */
export { runCli };
