/**
 * Loaded with `node --import` into a measured process (the mxlint CLI, the baseline): at exit it
 * writes the process's peak resident memory and CPU time to file descriptor 3, which the benchmark reads. The
 * measured program itself is unchanged.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    const usage = process.resourceUsage();
    writeSync(3, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
  } catch {
    // Run without the benchmark's descriptor 3: nothing to report to.
  }
});
