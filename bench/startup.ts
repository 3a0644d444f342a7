/**
 * Start-up as a user meets it: whole-process runs of the CLI, one after another, timed from spawn to
 * exit (wall) and by the CPU time the child used (Linux: /proc/self/stat counts the CPU time of
 * children waited for). `node -e 0` beside them is the floor no Node program goes below.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { median } from './report.js';

export interface StartupStats {
  what: string;
  /** Wall milliseconds: median, and the 25th and 75th percentiles (the spread). */
  wallMs: { median: number; p25: number; p75: number };
  /** Mean CPU milliseconds per run (user + system), or null off Linux. */
  cpuMs: number | null;
}

/** CPU milliseconds of the children waited for so far, or null where /proc is not there. */
function childrenCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // cutime and cstime (fields 16 and 17 of stat, 14 and 15 after the command), in clock ticks of 10 ms.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) * p)]!;
}

export function measureStartup(what: string, args: string[], runs: number, cwd: string): StartupStats {
  const wall: number[] = [];
  const cpuBefore = childrenCpuMs();
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    if (child.status !== 0) throw new Error(`${what} exited with ${child.status}`);
    wall.push(performance.now() - started);
  }
  const cpuAfter = childrenCpuMs();
  return {
    what,
    wallMs: { median: median(wall), p25: percentile(wall, 0.25), p75: percentile(wall, 0.75) },
    cpuMs: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / runs,
  };
}
