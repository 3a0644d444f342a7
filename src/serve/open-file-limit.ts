import { readTextFile } from '../core/files.js';
import { ASSUMED_OPEN_FILE_LIMIT, MAX_PROC_LIMITS_BYTES } from './limits.js';

/**
 * How many files this process may have open (RLIMIT_NOFILE's soft limit, which Node raises to the
 * hard one at start), from Linux's /proc; elsewhere, or unlimited, what a default `ulimit -n` gives.
 */
export function openFileLimit(): number {
  try {
    const line = /^Max open files\s+(\d+)\s/m.exec(readTextFile('/proc/self/limits', MAX_PROC_LIMITS_BYTES).text);
    return line ? Number(line[1]) : ASSUMED_OPEN_FILE_LIMIT;
  } catch {
    return ASSUMED_OPEN_FILE_LIMIT;
  }
}
