/**
 * `npm run build`, after tsc: the command line as one bundled file, dist/bundle/cli/bin.js, which
 * bin/mxlint.js runs (and jobs-worker.js beside it, the worker thread of --jobs). Node spent most of a short run loading some 280 modules one by one (resolving,
 * reading, compiling each); one file starts in a fraction of that (docs/performance.md, which also
 * says why the bundle is not split into parts loaded on demand). The library (dist/src/) stays as
 * tsc wrote it.
 *
 * The bundle sits three folders below the package root, as dist/src/core/version.js does, so the
 * version is read from the same package.json.
 */
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle', 'cli');

rmSync(OUT, { recursive: true, force: true });
await build({
  // The command line, and the worker thread of --jobs, which it starts from the file beside it.
  entryPoints: ['bin', 'jobs-worker'].map((name) => join(ROOT, 'dist', 'src', 'cli', `${name}.js`)),
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // dns-packet and its helpers are CommonJS that require Node's modules: give the bundle a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // yargs' help layout (cliui) brings its own older string-width; both copies build an
  // Intl.Segmenter when loaded (some milliseconds each): the one of the package serves both.
  alias: { 'string-width': join(ROOT, 'node_modules', 'string-width') },
  legalComments: 'eof',
  logLevel: 'warning',
});

// The HTML report reads the script its page carries from browser/ beside its module (page.ts).
cpSync(join(ROOT, 'dist', 'src', 'report', 'html', 'browser'), join(OUT, 'browser'), { recursive: true });
