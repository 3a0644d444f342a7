import { runCli } from './main.js';

/** The executable: run, set the exit code, and treat a closed pipe (mxlint … | head) as a normal end. */
export async function main(): Promise<void> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2));
}
