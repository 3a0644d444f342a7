/**
 * `node dist/test/support/run-bundle.js BUNDLE CACHE ARGS...`: runs the CLI bundle with the code
 * cache file CACHE ('-': none) over ARGS, as bin/mxlint.js does, in a process of its own (V8 keeps
 * what a process compiled: a second load of the same bundle would not compile it again). The first
 * line on stderr says how the bundle was compiled: `{"cacheUsed":…,"cachedDataRejected":…}`; the
 * last, which of Node's own modules the run loaded: `{"builtins":[…]}`.
 */
import { loadCliBundle } from '../../src/cli/bundle-loader.js';

const [bundle, cache, ...args] = process.argv.slice(2);
const loaded = loadCliBundle(bundle!, cache === '-' ? null : cache!);
process.stderr.write(`${JSON.stringify({ cacheUsed: loaded.cacheUsed, cachedDataRejected: loaded.script.cachedDataRejected ?? null })}\n`);
process.exitCode = await loaded.exports.runCli(args);
// process.moduleLoadList (not in Node's types): what Node loaded of its own, in order.
const builtins = (process as unknown as { moduleLoadList: string[] }).moduleLoadList.flatMap((entry) => entry.startsWith('NativeModule ') ? [entry.slice('NativeModule '.length)] : []);
process.stderr.write(`${JSON.stringify({ builtins })}\n`);
