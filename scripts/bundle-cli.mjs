/**
 * `npm run build`, after tsc: the command line as one bundled file, dist/bundle/cli/bin.cjs, with
 * V8's code cache of it beside it (bin.cjs.cache), which bin/mxlint.js runs through loader.cjs
 * (src/cli/bundle-loader.ts); and jobs-worker.js, the worker thread of --jobs. Node spent most of a
 * short run loading some 280 modules one by one (resolving, reading, compiling each); one file
 * starts in a fraction of that, and from the code cache without compiling it again
 * (docs/performance.md, which also says why the bundle is not split into parts loaded on demand).
 * The library (dist/src/) stays as tsc wrote it.
 *
 * The bundle sits three folders below the package root, as dist/src/core/version.js does, so the
 * version is read from the same package.json.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILD_ID_MARK, codeCacheFileOf, loadCliBundle } from '../dist/src/cli/bundle-loader.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle', 'cli');
const BIN = join(OUT, 'bin.cjs');

/**
 * What the build runs of the bundle before saving its code cache: the functions these runs compile
 * are in the cache. The start-up benchmark's check and --help (bench/startup.ts); a run that needs
 * more compiles the rest as it goes.
 */
const WARM_RUNS = [
  ['--zone', join(ROOT, 'examples', 'zones', 'good.example.zone'), '--offline', '--checks', 'mx'],
  ['--help'],
];

/**
 * What the bundle loads when it is first used rather than at every start (some milliseconds each,
 * with what they load in turn), as an offline zone check and --help use none of it: Node's modules
 * for connections beyond DNS (HTTPS, TLS, compression), the worker threads of --jobs, UDP and
 * crypto, and tldts (the public suffix list, for organizational domains). esbuild writes an import
 * of a Node module as `var import_x = require("node:x")`, of a bundled CommonJS package as
 * `var import_x = __toESM(require_x(), 1)`, and reads either as `import_x.name`: the bundle gets a
 * stand-in (ON_FIRST_USE) that loads the module when a property of it is first read.
 */
const LAZY_BUILTINS = ['node:https', 'node:http', 'node:tls', 'node:zlib', 'node:worker_threads', 'node:dgram', 'node:crypto'];
const LAZY_PACKAGES = ['tldts'];
const ON_FIRST_USE = 'function __onFirstUse(load) { let loaded; return new Proxy({}, { get: (_, key) => (loaded ??= load())[key] }); }';

/** The bundle `text` with LAZY_BUILTINS and LAZY_PACKAGES loaded on first use; throws when one is loaded in another way. */
function loadedOnFirstUse(text) {
  const builtins = LAZY_BUILTINS.join('|');
  let made = text.replace(new RegExp(`((?:var |,)import_[\\w$]+)=(require\\("(?:${builtins})"\\))`, 'g'), (_, variable, load) => `${variable}=__onFirstUse(() => ${load})`);
  const left = made.match(new RegExp(`(?<!=> )require\\("(${builtins})"\\)`, 'g'));
  if (left) throw new Error(`bundle-cli: ${left.join(', ')} in a form LAZY_BUILTINS does not know: read it and teach loadedOnFirstUse`);
  for (const name of LAZY_PACKAGES) {
    const imported = new RegExp(`(var import_${name}=)(__toESM\\(require_[\\w$]+\\(\\),1\\));`, 'g');
    const found = made.match(imported)?.length ?? 0;
    if (found !== 1) throw new Error(`bundle-cli: ${name} imported ${found} times in the form LAZY_PACKAGES knows, not once: read the bundle and teach loadedOnFirstUse`);
    made = made.replace(imported, (_, variable, load) => `${variable}__onFirstUse(() => ${load});`);
  }
  return made;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // yargs' help layout (cliui, wrap-ansi) brings its own older string-width: one stand-in serves
  // all, and loads the real one only for text that is not printable ASCII.
  alias: { 'string-width': join(ROOT, 'scripts', 'string-width-on-demand.cjs') },
  legalComments: 'eof',
  // A smaller file to read and hold; names are kept, for stack traces and class names.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
// The command line, as CommonJS: V8's code cache is for scripts (vm.Script), not ES modules.
const { outputFiles: [bin] } = await build({
  ...common,
  entryPoints: [join(ROOT, 'dist', 'src', 'cli', 'bin.js')],
  outfile: BIN,
  write: false,
  format: 'cjs',
  // The bundle's own place, for what finds files beside its module (package.json, the worker, the
  // HTML page's script).
  define: { 'import.meta': '__bundleMeta' },
  banner: { js: `const __bundleMeta = { url: require('node:url').pathToFileURL(__filename).href };\n${ON_FIRST_USE}` },
});
const binText = loadedOnFirstUse(bin.text);
const buildId = createHash('sha256').update(binText).digest('hex');
writeFileSync(BIN, `${binText}${BUILD_ID_MARK}${buildId}\n`);

// What bin/mxlint.js (CommonJS) calls to run the bundle: the loader, in CommonJS too.
await build({
  ...common,
  entryPoints: [join(ROOT, 'dist', 'src', 'cli', 'bundle-loader.js')],
  outfile: join(OUT, 'loader.cjs'),
  format: 'cjs',
});

// The worker thread of --jobs, started from the file beside the bundle, as an ES module.
await build({
  ...common,
  entryPoints: [join(ROOT, 'dist', 'src', 'cli', 'jobs-worker.js')],
  outdir: OUT,
  format: 'esm',
  // dns-packet and its helpers are CommonJS that require Node's modules: give the bundle a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

// The HTML report reads the script its page carries from browser/ beside its module (page.ts).
cpSync(join(ROOT, 'dist', 'src', 'report', 'html', 'browser'), join(OUT, 'browser'), { recursive: true });

// The code cache: compiled without one, run as WARM_RUNS, saved with the bundle's build ID.
const loaded = loadCliBundle(BIN, null);
const quiet = { write: () => true };
for (const args of WARM_RUNS) await loaded.exports.runCli(args, { stdout: quiet, stderr: quiet, env: {} });
writeFileSync(codeCacheFileOf(BIN), Buffer.concat([Buffer.from(`${buildId}\n`, 'latin1'), loaded.script.createCachedData()]));
