/**
 * What a file can do to the built CLI: devices, FIFOs nobody writes to, $INCLUDE trees that fan out
 * or loop through a link to their own folder, zones past the record cap, main.cf settings naming
 * devices and expanding to gigabytes. Each run must end on its own with a finding or one line on
 * stderr, and stay below the peak resident memory docs/reliability.md promises (RSS_BOUND_MB),
 * measured in the child process as the benchmark measures it. Then a bounded run of the
 * file-system fuzz (`npm run fuzz -- --only files` is the long one).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { DEFAULT_MAX_ZONE_RECORDS } from '../../src/dns/zone-file/reader.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { CLI_PATH } from '../support/e2e.js';
import { describeFileFailure, fuzzFileSystem, RSS_BOUND_MB } from '../support/file-fuzz.js';
import { measure, type Measured } from '../support/measure.js';

/** Far above any bound on waiting these runs meet: a run that needs it hangs. */
const RUN_TIMEOUT_MS = 60_000;

let dir: string;
let dns: LocalDnsServer;
let fifo: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mxlint-hostile-files-'));
  fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  // Refuses every question at once: these runs are about files, not DNS.
  dns = await startLocalDnsServer({ records: [] });
});
after(async () => {
  await dns?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function mxlint(args: string[]): Promise<Measured> {
  return measure(CLI_PATH, args, { keepStdout: true, timeoutMs: RUN_TIMEOUT_MS });
}

function assertBounded(run: Measured): void {
  assert.equal(run.timedOut, false, 'ended on its own');
  assert.doesNotMatch(run.stderr, /internal error|\n\s+at /);
  assert.ok(run.peakRssMb < RSS_BOUND_MB, `peak RSS ${Math.round(run.peakRssMb)} MB`);
}

function assertRefused(run: Measured, message: RegExp): void {
  assertBounded(run);
  assert.equal(run.exitCode, 3);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, message);
  assert.equal(run.stderr.split('\n').length, 2, 'one line');
}

describe('files that are no files: refused at once with one line, exit 3', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['--zone /dev/zero', () => ['--zone', '/dev/zero', '--offline'], /^mxlint: cannot read zone file \/dev\/zero: it is a character device, not a regular file/],
    ['--zone FIFO', () => ['--zone', fifo, '--offline'], /^mxlint: cannot read zone file .*fifo: it is a FIFO \(named pipe\), not a regular file/],
    ['--zone a folder', () => ['--zone', dir, '--offline'], /^mxlint: cannot read zone file .*: it is a directory, not a regular file/],
    ['mxlint postfix /dev/zero', () => ['postfix', '/dev/zero', '--server', dns.address], /^mxlint: cannot read \/dev\/zero: it is a character device, not a regular file$/m],
    ['mxlint postfix FIFO', () => ['postfix', fifo, '--server', dns.address], /^mxlint: cannot read .*fifo: it is a FIFO \(named pipe\), not a regular file$/m],
    ['mxlint postfix --postconf /dev/urandom', () => ['postfix', '--postconf', '/dev/urandom', '--server', dns.address], /^mxlint: cannot read \/dev\/urandom: it is a character device/],
    ['--ca /dev/zero', () => ['--ca', '/dev/zero', 'example.com', '--server', dns.address], /^mxlint: --ca \/dev\/zero: cannot be read \(it is a character device, not a regular file\)/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => assertRefused(await mxlint(args()), message));
  }
});

describe('zone files that fan out, loop or pass the record cap: findings, bounded memory', () => {
  it('a symbolic link d -> . including d/db twice is a loop, found at once', async () => {
    const loop = join(dir, 'loop');
    execFileSync('mkdir', [loop]);
    symlinkSync('.', join(loop, 'd'));
    writeFileSync(join(loop, 'db'), '$ORIGIN example.test.\n$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.53\n$INCLUDE d/db\n$INCLUDE d/db\n');
    const run = await mxlint(['--zone', join(loop, 'db'), '--offline', '--format', 'json']);
    assertBounded(run);
    const [apex] = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(apex!.findings.filter((f) => f.rule === 'zone-syntax').map((f) => `${f.location?.line} ${f.message}`), [
      `6 $INCLUDE loop: ${join(loop, 'db')} → ${join(loop, 'd/db')}`,
      `7 $INCLUDE loop: ${join(loop, 'db')} → ${join(loop, 'd/db')}`,
    ]);
  });

  it('files that each include the next level ten times, eight levels deep: read up to the bound', async () => {
    const tree = join(dir, 'tree');
    execFileSync('mkdir', [tree]);
    const record = (level: number) => Array.from({ length: 40 }, (_, i) => `l${level}-${i} TXT "${'x'.repeat(20)}"`).join('\n');
    for (let level = 1; level <= 8; level += 1) writeFileSync(join(tree, `l${level}.inc`), `${record(level)}\n${`$INCLUDE l${level + 1}.inc\n`.repeat(10)}`);
    writeFileSync(join(tree, 'l9.inc'), 'leaf A 192.0.2.1\n');
    writeFileSync(join(tree, 'db'), '$ORIGIN example.test.\n$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\nns A 192.0.2.53\n$INCLUDE l1.inc\n');
    const run = await mxlint(['--zone', join(tree, 'db'), '--offline', '--format', 'json']);
    assertBounded(run);
    assert.equal(run.exitCode, 2);
    const [apex] = JSON.parse(run.stdout) as DomainResult[];
    assert.ok(apex!.findings.some((f) => f.rule === 'zone-syntax' && /the most mxlint reads for one zone/.test(f.message)));
  });

  it(`a zone of three times ${DEFAULT_MAX_ZONE_RECORDS} records: read up to the cap, the rest reported, memory bounded`, async () => {
    const big = join(dir, 'big.zone');
    const lines = Array.from({ length: 3 * DEFAULT_MAX_ZONE_RECORDS }, (_, i) => `h${i} A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    writeFileSync(big, `$ORIGIN example.test.\n$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n@ NS ns\n@ MX 10 h1\n${lines.join('\n')}\n`);
    const run = await mxlint(['--zone', big, '--offline', '--format', 'json']);
    assertBounded(run);
    const [apex] = JSON.parse(run.stdout) as DomainResult[];
    const cap = apex!.findings.find((f) => f.rule === 'zone-syntax');
    assert.match(cap!.message, new RegExp(`^more than ${DEFAULT_MAX_ZONE_RECORDS} records, the most mxlint reads for one zone`));
    assert.equal(cap!.location?.line, 2 + DEFAULT_MAX_ZONE_RECORDS + 1, 'after two directives, the SOA, NS and MX records and the A records up to the cap');
  });
});

describe('main.cf settings that point at devices or expand without end: findings, bounded memory', () => {
  it('devices, a FIFO and expansion bombs in one main.cf: each a finding at its line, the run ends', async () => {
    const doubling = Array.from({ length: 16 }, (_, i) => `p${i + 1} = $p${i + 2}$p${i + 2}`);
    const fanOut = Array.from({ length: 16 }, (_, i) => `q${i + 1} = ${`$q${i + 2}`.repeat(10)}`);
    const mainCf = join(dir, 'main.cf');
    writeFileSync(mainCf, [
      'compatibility_level = 3.6', 'myhostname = mx.example.test', 'myorigin = $q1',
      `mydestination = /dev/zero, hash:/dev/zero, ${fifo}`, 'virtual_alias_domains = texthash:/dev/urandom', 'relay_domains = $p1',
      'smtpd_tls_security_level = may', 'smtpd_tls_cert_file = /dev/zero',
      ...doubling, `p17 = ${'x'.repeat(10_000)}`, ...fanOut, 'q17 =', '',
    ].join('\n'));
    const run = await mxlint(['postfix', mainCf, '--server', dns.address, '--address', '192.0.2.25', '--checks', 'mx', '--format', 'json']);
    assertBounded(run);
    assert.equal(run.exitCode, 2, run.stderr);
    const [server] = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(server!.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.location?.line}`).sort(), [
      'postfix-config-syntax 3', 'postfix-config-syntax 6',
      'postfix-table-missing 4', 'postfix-table-missing 4', 'postfix-table-missing 4', 'postfix-table-missing 5',
    ]);
  });
});

describe('the file-system fuzz, bounded (npm run fuzz -- --only files is the long run)', () => {
  it('16 seeded cases: every run ends with 0 to 3, one line when 3, no internal error, memory bounded', { timeout: 600_000 }, async () => {
    const totals = await fuzzFileSystem({ seed: 20_251_207, cases: 16 });
    assert.equal(totals.cases, 16);
    assert.deepEqual(totals.failures.map(describeFileFailure), []);
  });
});
