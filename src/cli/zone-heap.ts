import { setFlagsFromString } from 'node:v8';

/**
 * How far past what was live after its last full collection V8 lets the heap grow before the next
 * one, in percent, while the CLI reviews zone files. A big zone is held whole while its owners are
 * checked one by one, each leaving garbage behind; by its own measure V8 lets such a heap grow to up
 * to four times what is live, which for a million records was a gigabyte of memory for some 180 MB
 * of data. Collecting at this growth costs a few more full collections (docs/performance.md#zone-files).
 */
export const DEFAULT_ZONE_HEAP_GROWING_PERCENT = 30;

/** V8 takes its flags with dashes or underscores. */
const GROWTH_FLAG = /--heap[-_]growing[-_]percent/;

/** Zone mode's heap growth, unless Node was started with a growth of its own (NODE_OPTIONS, node's flags). */
export function collectSoonerForZones(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): void {
  if (execArgv.some((flag) => GROWTH_FLAG.test(flag)) || GROWTH_FLAG.test(nodeOptions)) return;
  setFlagsFromString(`--heap-growing-percent=${DEFAULT_ZONE_HEAP_GROWING_PERCENT}`);
}
