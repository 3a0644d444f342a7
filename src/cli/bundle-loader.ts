/**
 * Runs the bundled command line (dist/bundle/cli/bin.cjs, written by scripts/bundle-cli.mjs) from
 * V8's code cache: the bytecode of the functions a representative run compiled, saved at build time
 * beside the bundle (bin.cjs.cache), so a run does not parse and compile the 1.4 MB bundle again
 * (docs/performance.md § Start-up). Node 20 caches no user code by itself; `vm.Script` takes the
 * cache as `cachedData`.
 *
 * Without a cache, or when V8 refuses it (another Node or V8 version, other V8 flags), the bundle
 * is compiled from its text as any script: slower, the same run. The bundle is CommonJS (a
 * `vm.Script` cannot be an ES module in Node 20) and is called here with the arguments Node gives a
 * CommonJS module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import type { CliIo } from './io.js';

/** What bin.ts exports, as the bundle does. */
export interface CliBundleExports {
  main(): Promise<void>;
  runCli(args: string[], io?: CliIo): Promise<number>;
}

export interface LoadedCliBundle {
  exports: CliBundleExports;
  /** The compiled bundle: `createCachedData()` after a run is the cache the build saves. */
  script: Script;
  /** Whether a cache of this build was found and V8 took it. */
  cacheUsed: boolean;
}

/**
 * The bundle's last line names its build (`//# mxlint-build ID`, a hash of the text before it), and
 * the cache file starts with the same ID and a newline. V8 checks that a cache fits its own version
 * and flags, and of the source only its length: the ID keeps the cache of another build of the
 * same length from running as this one's code.
 */
export const BUILD_ID_MARK = '\n//# mxlint-build ';

/** Where the code cache of a bundle is kept: beside it. */
export function codeCacheFileOf(bundleFile: string): string {
  return `${bundleFile}.cache`;
}

/** The build ID on the bundle's last line, or null when there is none. */
export function buildIdOf(source: string): string | null {
  const at = source.lastIndexOf(BUILD_ID_MARK);
  return at === -1 ? null : source.slice(at + BUILD_ID_MARK.length).trim();
}

/** The V8 data of a cache file written for build `buildId`, or undefined (missing, another build). */
function cachedDataFor(cacheFile: string, buildId: string | null): Buffer | undefined {
  if (buildId === null) return undefined;
  let cache: Buffer;
  try {
    cache = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const header = `${buildId}\n`;
  return cache.subarray(0, header.length).toString('latin1') === header ? cache.subarray(header.length) : undefined;
}

/** Compiles and evaluates the bundle `file`, with the code cache `cacheFile` when it fits (null: none). */
export function loadCliBundle(file: string, cacheFile: string | null): LoadedCliBundle {
  const source = readFileSync(file, 'utf8');
  const cachedData = cacheFile === null ? undefined : cachedDataFor(cacheFile, buildIdOf(source));
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const bundleModule = { exports: {} as CliBundleExports };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(file), bundleModule, file, dirname(file));
  return { exports: bundleModule.exports, script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** The `mxlint` executable (bin/mxlint.js): the bundle `file`, from its code cache. */
export async function runBundledCli(file: string): Promise<void> {
  await loadCliBundle(file, codeCacheFileOf(file)).exports.main();
}
