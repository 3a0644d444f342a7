/**
 * The bundled command line and its V8 code cache (scripts/bundle-cli.mjs, src/cli/bundle-loader.ts):
 * the cache the build saved is taken, and a run without a cache that fits — none, one of another
 * build, one V8 refuses (as another Node version's) — compiles the bundle from its text and says
 * the same as a run from the cache; and what a run does not need is not loaded. Each run is a
 * process of its own (test/support/run-bundle.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIdOf, codeCacheFileOf } from '../../src/cli/bundle-loader.js';
import { REPO_ROOT } from '../support/e2e.js';

const BUNDLE = join(REPO_ROOT, 'dist', 'bundle', 'cli', 'bin.cjs');
const RUN_BUNDLE = join(REPO_ROOT, 'dist', 'test', 'support', 'run-bundle.js');
const ZONE = join(REPO_ROOT, 'examples', 'zones', 'good.example.zone');

interface Run {
  compiled: { cacheUsed: boolean; cachedDataRejected: boolean | null };
  /** Node's own modules the run loaded. */
  builtins: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cacheFile: string | null, args: string[]): Run {
  const child = spawnSync(process.execPath, [RUN_BUNDLE, BUNDLE, cacheFile ?? '-', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const lines = child.stderr.split('\n');
  const [compiled, loaded] = [lines.shift()!, lines.at(-2)!];
  return {
    compiled: JSON.parse(compiled) as Run['compiled'],
    builtins: (JSON.parse(loaded) as { builtins: string[] }).builtins,
    code: child.status,
    // A check's duration is the one thing two runs may say differently.
    stdout: child.stdout.replace(/"durationMs": \d+/g, '"durationMs": 0'),
    stderr: lines.slice(0, -2).join('\n'),
  };
}

/** What the bundle is asked in each case: the offline check of the benchmark (in JSON), --help, and a usage error. */
const RUNS = [
  ['--zone', ZONE, '--offline', '--no-config', '--checks', 'mx', '--format', 'json'],
  ['--help'],
  ['--bogus'],
];

describe('the CLI bundle and its code cache', () => {
  let dir: string;
  let fromCache: Run[];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-bundle-'));
    fromCache = RUNS.map((args) => run(codeCacheFileOf(BUNDLE), args));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the build saved a cache of this bundle, and V8 takes it', () => {
    assert.ok(buildIdOf(readFileSync(BUNDLE, 'utf8')) !== null, 'the bundle names its build');
    for (const cached of fromCache) assert.deepEqual(cached.compiled, { cacheUsed: true, cachedDataRejected: false });
    assert.deepEqual(fromCache.map((cached) => cached.code), [0, 0, 3]);
    assert.match(fromCache[0]!.stdout, /"status": "pass"/);
    assert.match(fromCache[1]!.stdout, /--zone/);
    assert.match(fromCache[2]!.stderr, /unknown option --bogus/);
  });

  it('the offline check and --help load none of the modules for HTTPS, TLS, compression, worker threads, UDP or crypto', () => {
    for (const [i, cached] of fromCache.slice(0, 2).entries()) {
      assert.ok(cached.builtins.includes('fs'), 'the loaded modules are listed');
      assert.deepEqual(cached.builtins.filter((name) => ['https', 'http', 'tls', 'zlib', 'worker_threads', 'dgram', 'crypto'].includes(name)), [], `mxlint ${RUNS[i]!.join(' ')}`);
    }
  });

  /** A cache file in the temporary folder, made from the build's by `change`. */
  function cacheFile(name: string, change: (cache: Buffer) => Buffer): string {
    const file = join(dir, name);
    writeFileSync(file, change(readFileSync(codeCacheFileOf(BUNDLE))));
    return file;
  }

  const fallbacks: [string, () => string | null, Run['compiled']][] = [
    ['no cache asked for', () => null, { cacheUsed: false, cachedDataRejected: null }],
    ['a cache file that is not there', () => join(dir, 'missing.cache'), { cacheUsed: false, cachedDataRejected: null }],
    // Another build's cache (its ID differs) is not given to V8, which checks only the source's length.
    ['the cache of another build', () => cacheFile('other-build.cache', (cache) => Buffer.concat([Buffer.from('0'.repeat(64)), cache.subarray(64)])),
      { cacheUsed: false, cachedDataRejected: null }],
    // The V8 data damaged where V8 checks its version and flags: V8 refuses it, as another Node's.
    ['a cache V8 refuses', () => cacheFile('refused.cache', (cache) => {
      const damaged = Buffer.from(cache);
      const v8Data = cache.indexOf(0x0a) + 1;
      for (let i = v8Data; i < v8Data + 16; i++) damaged[i] = damaged[i]! ^ 0xff;
      return damaged;
    }), { cacheUsed: false, cachedDataRejected: true }],
  ];
  for (const [what, file, compiled] of fallbacks) {
    it(`${what}: compiled from its text, the same answers`, () => {
      const cache = file();
      RUNS.forEach((args, i) => {
        const { compiled: how, ...said } = run(cache, args);
        assert.deepEqual(how, compiled);
        const { compiled: _, ...expected } = fromCache[i]!;
        assert.deepEqual(said, expected, `mxlint ${args.join(' ')}`);
      });
    });
  }
});
