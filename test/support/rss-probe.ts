/**
 * Loaded with `node --import` into a measured process (the mxlint CLI, the baseline): at exit it
 * writes the process's peak resident memory to file descriptor 3, which the benchmark reads. The
 * measured program itself is unchanged.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
  } catch {
    // Run without the benchmark's descriptor 3: nothing to report to.
  }
});
