/**
 * `npm run build`, after tsc: the command line as a few bundled files in dist/bundle/cli/, which
 * bin/mxlint.js runs. Node spends most of a short run loading modules one by one (some 280 of them:
 * resolving, reading and compiling each); one entry file with the code every run needs, and one
 * chunk per part loaded only when used (a subcommand, a report format, TLS and HTTPS), start in a
 * fraction of that time (docs/performance.md). The library (dist/src/) stays as tsc wrote it.
 *
 * The bundle sits three folders below the package root, as dist/src/core/version.js does, so the
 * version is read from the same package.json.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle', 'cli');

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { bin: join(ROOT, 'dist', 'src', 'cli', 'bin.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // dns-packet and its helpers are CommonJS that require Node's modules: give the bundle a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Chunks beside the entry: every file of the bundle is as deep as version.js expects.
  chunkNames: '[name]-[hash]',
  legalComments: 'eof',
  logLevel: 'warning',
});
