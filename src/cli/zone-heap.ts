import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

/**
 * How far past what was live after its last full collection V8 lets the heap grow before the next
 * one, in percent, while the CLI reviews big zone files. A big zone is held whole while its owners
 * are checked one by one, each leaving garbage behind; by its own measure V8 lets such a heap grow
 * to up to four times what is live, which for a million records was a gigabyte of memory for some
 * 180 MB of data. Collecting at this growth costs a few more full collections (docs/performance.md#zone-files).
 */
export const DEFAULT_ZONE_HEAP_GROWING_PERCENT = 30;

/**
 * Zone files smaller than this together (some 40,000 records) are reviewed with V8's own heap
 * growth: their heap stays small either way, and a V8 flag changed in a run no longer matches the
 * code cache the build saves after an offline zone check (V8 rejects a cache made under other flags).
 */
export const MIN_ZONE_OCTETS_FOR_HEAP_GROWTH = 1024 * 1024;

/** V8 takes its flags with dashes or underscores. */
const GROWTH_FLAG = /--heap[-_]growing[-_]percent/;

function octetsOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    // Reading it is what reports why it cannot be read.
    return 0;
  }
}

/** Zone mode's heap growth for zone files this big, unless node was started with a growth of its own. */
export function collectSoonerForZones(files: readonly string[], execArgv: readonly string[] = process.execArgv): void {
  if (execArgv.some((flag) => GROWTH_FLAG.test(flag))) return;
  if (files.reduce((octets, file) => octets + octetsOf(file), 0) < MIN_ZONE_OCTETS_FOR_HEAP_GROWTH) return;
  setFlagsFromString(`--heap-growing-percent=${DEFAULT_ZONE_HEAP_GROWING_PERCENT}`);
}
