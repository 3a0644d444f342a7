/**
 * The file-system fuzz, shared by the bounded run in the test suite and the long run in bench/fuzz.ts:
 * seeded cases that point the built CLI, as a user would run it, at what a careless user or a hostile
 * file can name — devices, FIFOs nobody writes to, folders, symbolic-link loops, sparse files of a
 * terabyte, zone files whose $INCLUDEs fan out, loop through a link to their folder or name all of
 * those, main.cf settings and tables naming them, `$name` expansion bombs, domain lists with
 * over-long lines — and hold every run to what must hold for any input: it ends on its own, with an
 * exit code of 0 to 3, never an internal error or a stack trace, one line on stderr when it is 3, and
 * a peak resident memory below RSS_BOUND_MB. DNS questions go to an in-process server on loopback
 * that refuses them all.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { MAX_ZONE_BYTES } from '../../src/dns/zone-file/reader.js';
import { MAX_FILE_BYTES } from '../../src/core/files.js';
import { CLI_PATH } from './e2e.js';
import { measure } from './measure.js';
import { seededRandom, type Random } from './random.js';

/** No input file or main.cf setting may make mxlint's peak resident memory exceed this (docs/reliability.md). */
export const RSS_BOUND_MB = 1024;
/** A case still running after this long is a failure: every bound on waiting is well below it. */
export const CASE_TIMEOUT_MS = 120_000;

export interface FileFuzzFailure {
  seed: number;
  caseIndex: number;
  kind: string;
  args: string[];
  why: string;
}

export interface FileFuzzTotals {
  cases: number;
  byKind: Record<string, number>;
  exitCodes: Record<string, number>;
  peakRssMb: number;
  failures: FileFuzzFailure[];
}

export interface FileFuzzOptions {
  seed: number;
  cases: number;
  /** The first case's index (a replay runs one case from the middle of a seed's sequence). */
  first?: number;
  progress?: (totals: FileFuzzTotals) => void;
}

interface FileCase {
  kind: string;
  args: string[];
  stdin?: string;
  /** A FIFO to feed while the case runs, as `-f <(command)` is fed. */
  feed?: { fifo: string; text: string };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/** Paths that are no file to read, made afresh in each case's folder. */
function hostilePaths(dir: string): string[] {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  mkdirSync(join(dir, 'folder'));
  const sparse = (name: string, size: number): string => {
    const path = join(dir, name);
    writeFileSync(path, '');
    truncateSync(path, size);
    return path;
  };
  return [
    '/dev/zero', '/dev/urandom', '/dev/null', fifo, join(dir, 'loop-a'), join(dir, 'folder'), join(dir, 'missing'), join(dir, 'no', 'such', 'path'),
    sparse('terabyte', 2 ** 40), sparse('past-zone-bound', MAX_ZONE_BYTES + 1), sparse('past-file-bound', MAX_FILE_BYTES + 1), sparse('nul-lines', 1024 * 1024),
  ];
}

/** A tree of include files: each level includes the next `fanOut` times, by its path or through `d -> .`. */
function includeTree(random: Random, dir: string, hostile: string[]): string {
  const depth = between(random, 1, 24);
  const fanOut = between(random, 1, 12);
  const records = between(random, 0, 400);
  symlinkSync('.', join(dir, 'd'));
  for (let level = depth; level >= 1; level -= 1) {
    const lines = Array.from({ length: records }, (_, i) => `l${level}-${i} A 192.0.2.${i % 250}`);
    for (let i = 0; i < fanOut; i += 1) {
      const roll = random();
      const target = level === depth ? pick(random, hostile)
        : roll < 0.6 ? `level${level + 1}.inc` : roll < 0.8 ? `d/level${level + 1}.inc` : roll < 0.9 ? `d/level${level}.inc` : pick(random, hostile);
      lines.splice(between(random, 0, lines.length), 0, `$INCLUDE ${target}`);
    }
    writeFileSync(join(dir, `level${level}.inc`), `${lines.join('\n')}\n`);
  }
  return 'level1.inc';
}

function zoneCase(random: Random, dir: string, hostile: string[]): FileCase {
  const main = join(dir, 'db.fuzz.example');
  const roll = random();
  if (roll < 0.3) return { kind: 'zone: file', args: ['--zone', pick(random, hostile), '--offline', '--format', 'json'] };
  const body = [
    '$ORIGIN fuzz.example.', '$TTL 300', '@ SOA ns hostmaster 1 7200 900 1209600 300', '@ NS ns', 'ns A 192.0.2.53', '@ MX 10 mx', 'mx A 192.0.2.25',
    ...(roll < 0.5 ? [`$INCLUDE ${pick(random, hostile)}`, `$INCLUDE ${pick(random, hostile)}`] : []),
    ...(roll < 0.7 ? [`$INCLUDE ${includeTree(random, dir, hostile)}`] : ['$INCLUDE d/db.fuzz.example', '$INCLUDE d/d/db.fuzz.example']),
  ];
  if (roll >= 0.7) symlinkSync('.', join(dir, 'd'));
  writeFileSync(main, `${body.join('\n')}\n`);
  return { kind: roll < 0.5 ? 'zone: $INCLUDE hostile' : roll < 0.7 ? 'zone: $INCLUDE fan-out' : 'zone: $INCLUDE link loop', args: ['--zone', main, '--offline', '--format', 'json'] };
}

/** `pN = …` lines expanding `$p1`: fan-out references per level over `depth` levels to a leaf. */
function expansionBomb(random: Random): string[] {
  const depth = between(random, 1, 30);
  const fanOut = between(random, 1, 12);
  const leaf = 'x'.repeat(pick(random, [0, 1, 100, 10_000, 100_000]));
  return [...Array.from({ length: depth }, (_, i) => `p${i + 1} = ${`$p${i + 2}`.repeat(fanOut)}`), `p${depth + 1} = ${leaf}`];
}

function postfixCase(random: Random, dir: string, hostile: string[], server: string): FileCase {
  const entry = (): string => {
    const path = pick(random, hostile);
    return pick(random, [path, `hash:${path}`, `texthash:${path}`, `lmdb:${path}`, `cdb:${path}`, '$p1', 'shop.fuzz.example']);
  };
  const list = (): string => Array.from({ length: between(random, 1, 4) }, entry).join(', ');
  const lines = [
    'compatibility_level = 3.6', 'myhostname = mx.fuzz.example', `mydestination = ${list()}`, `virtual_alias_domains = ${list()}`,
    `virtual_mailbox_domains = ${list()}`, `relay_domains = ${list()}`, `smtpd_tls_cert_file = ${pick(random, hostile)}`,
    `smtpd_tls_chain_files = ${pick(random, hostile)}, ${pick(random, hostile)}`, `myorigin = ${pick(random, ['$mydomain', '$p1', 'fuzz.example'])}`,
    ...expansionBomb(random),
  ];
  const common = ['--server', server, '--timeout', '300', '--retries', '0', '--address', '192.0.2.25', '--checks', 'mx', '--format', 'json'];
  const roll = random();
  if (roll < 0.2) return { kind: 'postfix: main.cf', args: ['postfix', pick(random, hostile), ...common] };
  if (roll < 0.3) return { kind: 'postfix: --postconf -', args: ['postfix', '--postconf', '-', ...common], stdin: `${lines.join('\n')}\n` };
  const mainCf = join(dir, 'main.cf');
  writeFileSync(mainCf, `${lines.join('\n')}\n`);
  return { kind: 'postfix: settings', args: ['postfix', mainCf, ...common] };
}

function listCase(random: Random, dir: string, hostile: string[], server: string): FileCase {
  const common = ['--server', server, '--timeout', '300', '--retries', '0', '--checks', 'mx', '--format', 'jsonl'];
  const roll = random();
  // A FIFO nobody writes to would wait out MAX_INPUT_WAIT_MS: that wait is tested on its own.
  const devices = hostile.filter((path) => !path.endsWith('fifo'));
  if (roll < 0.3) return { kind: '-f: file', args: ['-f', pick(random, devices), ...common] };
  if (roll < 0.4) return { kind: '--ca: file', args: ['--ca', pick(random, devices), 'shop.fuzz.example', ...common] };
  const lines = Array.from({ length: between(random, 0, 12) }, () => pick(random, [
    'shop.fuzz.example', '# a comment', '', `good.example${' '.repeat(between(random, 4000, 200_000))}evil.example`, `${'a'.repeat(between(random, 100, 100_000))}.example`, '\0\0\0',
  ]));
  const text = `${lines.join('\n')}\n`;
  if (roll < 0.7) {
    const list = join(dir, 'list.txt');
    writeFileSync(list, text);
    return { kind: '-f: list', args: ['-f', list, ...common] };
  }
  if (roll < 0.85) return { kind: '-f: pipe', args: ['-f', join(dir, 'fifo'), ...common], feed: { fifo: join(dir, 'fifo'), text } };
  return { kind: '-f -', args: ['-f', '-', ...common], stdin: text };
}

/** A writer on the FIFO, as the shell starts one for `<(command)`. */
function feed(fifo: string, text: string): ReturnType<typeof spawn> {
  const writer = spawn('sh', ['-c', 'cat > "$1"', 'sh', fifo], { stdio: ['pipe', 'ignore', 'ignore'] });
  writer.stdin!.on('error', () => undefined).end(text);
  return writer;
}

/** What is wrong with a finished run, or null. */
function verdict(run: { exitCode: number | null; stderr: string; stdout: string; peakRssMb: number; timedOut: boolean }): string | null {
  if (run.timedOut) return `still running after ${CASE_TIMEOUT_MS / 1000} s`;
  if (run.exitCode === null || run.exitCode < 0 || run.exitCode > 3) return `exit code ${String(run.exitCode)}: ${run.stderr.slice(0, 300)}`;
  if (/internal error|\n\s+at /.test(run.stderr)) return `internal error: ${run.stderr.slice(0, 300)}`;
  if (run.exitCode === 3 && run.stdout === '' && run.stderr.split('\n').length !== 2) return `exit 3 without one line on stderr: ${JSON.stringify(run.stderr.slice(0, 300))}`;
  if (!(run.peakRssMb < RSS_BOUND_MB)) return `peak RSS ${Math.round(run.peakRssMb)} MB, bound ${RSS_BOUND_MB} MB`;
  return null;
}

/** Runs `cases` seeded cases, one after the other (memory is measured per process); never throws for a failing case. */
export async function fuzzFileSystem(options: FileFuzzOptions): Promise<FileFuzzTotals> {
  const totals: FileFuzzTotals = { cases: 0, byKind: {}, exitCodes: {}, peakRssMb: 0, failures: [] };
  const dns = await startLocalDnsServer({ records: [] });
  try {
    const first = options.first ?? 0;
    for (let index = first; index < first + options.cases; index += 1) {
      const random = seededRandom(options.seed * 1_000_003 + index);
      const dir = mkdtempSync(join(tmpdir(), 'mxlint-file-fuzz-'));
      try {
        const hostile = hostilePaths(dir);
        const roll = random();
        const fileCase = roll < 0.4 ? zoneCase(random, dir, hostile) : roll < 0.75 ? postfixCase(random, dir, hostile, dns.address) : listCase(random, dir, hostile, dns.address);
        const feeder = fileCase.feed === undefined ? undefined : feed(fileCase.feed.fifo, fileCase.feed.text);
        const run = await measure(CLI_PATH, fileCase.args, {
          keepStdout: true, timeoutMs: CASE_TIMEOUT_MS, ...(fileCase.stdin === undefined ? {} : { stdin: Readable.from([fileCase.stdin]) }),
        });
        feeder?.kill('SIGKILL');
        totals.cases += 1;
        totals.byKind[fileCase.kind] = (totals.byKind[fileCase.kind] ?? 0) + 1;
        totals.exitCodes[String(run.exitCode)] = (totals.exitCodes[String(run.exitCode)] ?? 0) + 1;
        if (run.peakRssMb > totals.peakRssMb) totals.peakRssMb = run.peakRssMb;
        const why = verdict(run);
        if (why !== null) totals.failures.push({ seed: options.seed, caseIndex: index, kind: fileCase.kind, args: fileCase.args, why });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      options.progress?.(totals);
    }
  } finally {
    await dns.close();
  }
  return totals;
}

export function describeFileFailure(failure: FileFuzzFailure): string {
  return `${failure.kind}: ${failure.why}\n    mxlint ${failure.args.join(' ')}`;
}
