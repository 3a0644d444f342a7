/**
 * Bulk runs end to end: the built CLI against a real NSD on loopback serving a generated world of
 * 100,000 mail domains (shared providers, own exchanges, broken ones). Every domain is reported
 * once with the verdict it was built to get, memory stays flat as the list grows, results stream
 * out while the list is still being read, the text summary adds up, and --shard splits the list
 * into disjoint parts that cover it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import type { Status } from '../../src/core/finding.js';
import { buildZoneSet } from '../support/bulk-zones.js';
import type { ZoneSet } from '../support/bulk-zones.js';
import { CLI_PATH, e2eGate, runCli } from '../support/e2e.js';
import { measure } from '../support/measure.js';
import { startNsd } from '../support/nsd.js';
import type { NsdServer } from '../support/nsd.js';

const gate = e2eGate('nsd');
const DOMAINS = 100_000;
const SMALL = 20_000;
/**
 * Five times the domains may cost this much more peak memory at most: the cache and the checks in
 * flight are bounded, so what grows is only the garbage collector's slack. A run that held every
 * result (or every input line) would need hundreds of MB more.
 */
const FLAT_MEMORY_MARGIN_MB = 40;
/**
 * Both runs get this much old-generation heap, well above what a bounded run needs (it finishes
 * 100,000 domains in 48 MB) and far below what holding every result would take, which then dies of
 * heap exhaustion. Without a cap V8 sizes the heap by how its collector keeps up: on a loaded
 * machine the 100,000-domain run peaked at twice the RSS of the 20,000 one with nothing retained.
 */
const HEAP_CAP = { NODE_OPTIONS: '--max-old-space-size=64' };
const RUN_TIMEOUT_MS = 180_000;

let world: ZoneSet;
let nsd: NsdServer;
let dir: string;
const listOf = (count: number): string => join(dir, `domains-${count}.txt`);

function count<T>(items: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

describe('bulk runs against NSD', gate, () => {
  before(async () => {
    world = buildZoneSet(DOMAINS);
    dir = mkdtempSync(join(tmpdir(), 'mxlint-bulk-'));
    for (const size of [DOMAINS, SMALL]) writeFileSync(listOf(size), `# generated\n${world.domains.slice(0, size).join('\n')}\n`);
    nsd = await startNsd({ zones: world.zones, checkZones: false, startTimeoutMs: 60_000 });
  });
  after(async () => {
    await nsd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let smallRssMb = Number.NaN;

  it(`${SMALL} domains in text: each domain, then a summary that adds up (per status and per rule); progress when asked`, { timeout: RUN_TIMEOUT_MS }, async () => {
    const run = await measure(CLI_PATH, ['--server', nsd.server, '--checks', 'mx', '-f', listOf(SMALL), '--progress'], { keepStdout: true, env: HEAP_CAP });
    smallRssMb = run.peakRssMb;
    assert.equal(run.exitCode, 2, run.stderr);
    const expected = count(world.domains.slice(0, SMALL).map((d) => world.expected.get(d)!));
    const tally = (['pass', 'warn', 'fail'] as Status[]).filter((s) => expected.has(s)).map((s) => `${expected.get(s)} ${s}`).join(', ');
    assert.match(run.stdout, new RegExp(`^${SMALL} domains checked in [\\d.]+ s: ${tally}$`, 'm'));
    const perRule = /^domains per rule: (.*)$/m.exec(run.stdout)?.[1] ?? '';
    const ruleCounts = new Map(perRule.split(', ').map((entry) => [entry.split(' ')[0]!, Number(entry.split(' ')[1])]));
    const findings = count([...run.stdout.matchAll(/^ {2}(?:error|warning|info|unknown) +([a-z0-9-]+):/gm)].map((m) => m[1]!));
    assert.deepEqual(ruleCounts, findings, 'per rule: the domains each rule was reported for');
    assert.equal([...run.stdout.matchAll(/^\S+ {2}[✓!✗?] (PASS|WARN|FAIL|UNKNOWN)$/gm)].length, SMALL, 'every domain once');
    assert.match(run.stderr, new RegExp(`mxlint: \\d+/${SMALL} domains \\(\\d+%\\) · \\d+/s`), 'progress with the total');
    assert.ok(run.stderr.endsWith('\r\x1b[2K'), 'the progress line is cleared at the end');
  });

  it(`${DOMAINS} domains as JSON Lines: every domain once, with the verdict it was built for; memory as flat as for ${SMALL}`, { timeout: RUN_TIMEOUT_MS }, async () => {
    const run = await measure(CLI_PATH, ['--server', nsd.server, '--checks', 'mx', '-f', listOf(DOMAINS), '--format', 'jsonl'], { keepStdout: true, env: HEAP_CAP });
    assert.equal(run.exitCode, 2, run.stderr);
    assert.equal(run.stderr, '');
    const results = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as DomainResult);
    assert.equal(results.length, DOMAINS);
    const seen = new Set<string>();
    for (const result of results) {
      assert.ok(!seen.has(result.input), `${result.input} reported twice`);
      seen.add(result.input);
      assert.equal(result.status, world.expected.get(result.input), `${result.input}: ${result.findings.map((f) => f.rule).join(', ')}`);
    }
    assert.ok(!Number.isNaN(smallRssMb) && !Number.isNaN(run.peakRssMb));
    assert.ok(run.peakRssMb < smallRssMb + FLAT_MEMORY_MARGIN_MB,
      `peak RSS ${Math.round(run.peakRssMb)} MB for ${DOMAINS} domains, ${Math.round(smallRssMb)} MB for ${SMALL}`);
  });

  it('CSV streams: rows come out while the list is still being written to stdin', { timeout: RUN_TIMEOUT_MS }, async () => {
    const child = spawn(process.execPath, [CLI_PATH, '--server', nsd.server, '--checks', 'mx', '-f', '-', '--format', 'csv'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const rows = (): number => stdout.split('\n').length - 2;
    const first = world.domains.slice(0, 200);
    child.stdin.write(`${first.join('\n')}\n`);
    const deadline = Date.now() + 30_000;
    while (rows() < first.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(rows(), first.length, `rows for the first ${first.length} lines before the rest is written (stderr: ${stderr})`);
    const rest = world.domains.slice(200, 1000);
    child.stdin.end(`${rest.join('\n')}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 2, stderr);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'domain,status,errors,warnings,unknown,exchanges,duration_ms');
    assert.deepEqual(new Set(lines.slice(1).map((line) => line.split(',')[0])), new Set(world.domains.slice(0, 1000)));
    for (const line of lines.slice(1)) {
      const [domain, status] = line.split(',');
      assert.equal(status, world.expected.get(domain!), line);
    }
  });

  it('--shard I/4: four parts, disjoint, covering the list', { timeout: RUN_TIMEOUT_MS }, async () => {
    const list = world.domains.slice(0, 4000);
    const file = join(dir, 'shard.txt');
    writeFileSync(file, `${list.join('\n')}\n`);
    const parts: string[][] = [];
    for (let index = 1; index <= 4; index++) {
      const run = await runCli(['--server', nsd.server, '--checks', 'mx', '-f', file, '--shard', `${index}/4`, '--format', 'csv'], { timeoutMs: RUN_TIMEOUT_MS });
      assert.ok(run.code === 0 || run.code === 2, run.stderr);
      parts.push(run.stdout.trimEnd().split('\n').slice(1).map((line) => line.split(',')[0]!));
    }
    const all = parts.flat();
    assert.equal(all.length, list.length, `parts of ${parts.map((p) => p.length).join(' + ')}`);
    assert.deepEqual(new Set(all), new Set(list));
    for (const part of parts) assert.ok(part.length > list.length / 8, 'no part is nearly empty');
  });
});
