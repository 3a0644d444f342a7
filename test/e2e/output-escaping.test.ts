/**
 * Whoever owns a domain controls what mxlint reads: a real NSD serves TXT records and an MX target
 * holding escape sequences (an OSC that retitles the terminal, a clear-screen), a C1 CSI, bidi
 * overrides and an octet that is not UTF-8. Checked with the built CLI in every format, through
 * `mxlint spf`, from a list whose lines hold them too, and in zone mode: nothing reaches stdout or
 * stderr raw; the text formats show `\DDD` as dig does, the JSON formats the exact text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { FORMAT_NAMES } from '../../src/report/formats.js';
import { e2eGate, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';

const gate = e2eGate('nsd');

/** Every control character but the line feed, C1, bidirectional controls, line separators, and U+FFFD (a lost octet). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Bidi_Control}\u2028\u2029\ufffd]/u;

const ZONE = String.raw`$ORIGIN evil.test.
$TTL 300
@            SOA ns1 hostmaster 1 3600 600 86400 300
@            NS  ns1
ns1          A   192.0.2.53
@            MX  10 mx1
@            MX  20 mx\027[2J.evil.test.
mx1          A   185.199.108.25
@            TXT "v=spf1 \027]0;title\007\027[2J -all"
_dmarc       TXT "v=DMARC1; p=none; rua=mailto:\027]0;t\007x@evil.test"
bidi         MX  10 mx1
bidi         TXT "v=spf1 ip4:185.199.108.25 -all"
_dmarc.bidi  TXT "v=DMARC1; p=reject; x=\226\128\174gnp.exe \194\155" "31m \200"
`;

const SPF_RECORD = 'v=spf1 \u001b]0;title\u0007\u001b[2J -all';
const SPF_SHOWN = String.raw`v=spf1 \027]0;title\007\027[2J -all`;

function assertSafe(run: CliResult, what: string): void {
  for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    const found = UNSAFE.exec(text);
    assert.equal(found, null, `${what}: ${stream} holds U+${found?.[0]?.codePointAt(0)?.toString(16).padStart(4, '0')}:\n${text}`);
  }
}

describe('DNS data and input lines never drive the terminal', { skip: gate.skip }, () => {
  let nsd: NsdServer;
  let dir: string;
  let list: string;

  before(async () => {
    nsd = await startNsd({ zones: { 'evil.test': ZONE } });
    dir = mkdtempSync(join(tmpdir(), 'mxlint-escaping-'));
    list = join(dir, 'list.txt');
    writeFileSync(list, 'bidi.evil.test\nbad\u001b]0;x\u0007.test\n');
  });
  after(async () => {
    await nsd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const check = (format: string): Promise<CliResult> => runCli(['--server', nsd.server, '--checks', 'mx,spf,dmarc', '--format', format, 'evil.test', '-f', list]);

  for (const format of FORMAT_NAMES) {
    it(`--format ${format}: nothing raw on stdout or stderr`, async () => {
      const run = await check(format);
      assert.equal(run.code, 2, run.stderr);
      assertSafe(run, format);
    });
  }

  it('text shows the records, the MX target and the input line escaped, as dig would', async () => {
    const run = await check('text');
    assert.match(run.stdout, new RegExp(`^ {2}SPF ${SPF_SHOWN.replace(/[\\[\]]/g, '\\$&')} `, 'm'));
    assert.ok(run.stdout.includes(`spf-syntax: The SPF record of evil.test, "${SPF_SHOWN}"`), run.stdout);
    assert.ok(run.stdout.includes(String.raw`MX 20 mx\027[2j.evil.test`) || run.stdout.includes(String.raw`mx\027[2J.evil.test`), run.stdout);
    assert.ok(run.stdout.includes(String.raw`x=\226\128\174gnp.exe \194\15531m \200`), run.stdout);
    assert.ok(run.stdout.includes(String.raw`bad\027]0;x\007.test`), run.stdout);
  });

  it('JSON keeps the exact text, with \\DDD only for the octet that is not UTF-8', async () => {
    const results = JSON.parse((await check('json')).stdout) as DomainResult[];
    const byInput = new Map(results.map((r) => [r.input, r]));
    assert.equal(byInput.get('evil.test')!.spf!.record, SPF_RECORD);
    assert.deepEqual(byInput.get('bidi.evil.test')!.dmarc!.records, ['v=DMARC1; p=reject; x=\u202egnp.exe \u009b31m \\200']);
    assert.ok(byInput.has('bad\u001b]0;x\u0007.test'));
  });

  it('mxlint spf: the trace and the JSON, the same way', async () => {
    const text = await runCli(['spf', 'evil.test', '--ip', '185.199.108.25', '--server', nsd.server]);
    assertSafe(text, 'spf text');
    assert.ok(text.stdout.includes(SPF_SHOWN), text.stdout);
    const json = await runCli(['spf', 'evil.test', '--ip', '185.199.108.25', '--server', nsd.server, '--format', 'json']);
    assertSafe(json, 'spf json');
    const trace = JSON.parse(json.stdout).trace as { step: string; record?: string }[];
    assert.equal(trace.find((step) => step.step === 'record')?.record, SPF_RECORD, 'the exact text, escaped by JSON');
  });

  it('one-line errors echo what was given escaped', async () => {
    const run = await runCli(['--server', nsd.server, '--zone', join(dir, 'db\u001b]0;t\u0007')]);
    assert.equal(run.code, 3);
    assertSafe(run, 'usage error');
    assert.match(run.stderr, /^mxlint: cannot read zone file .*db\\027\]0;t\\007: no such file /);
  });

  it('zone mode: the record, the finding and the source line under it, escaped', async () => {
    const zone = join(dir, 'db.evil.test');
    writeFileSync(zone, ZONE.replace('$ORIGIN evil.test.', '$ORIGIN evil.test.\n\u001b[2J'));
    const run = await runCli(['--zone', zone, '--offline', '--checks', 'mx,spf,dmarc'], { isolateNetwork: true });
    assertSafe(run, 'zone');
    assert.ok(run.stdout.includes(SPF_SHOWN), run.stdout);
  });
});
