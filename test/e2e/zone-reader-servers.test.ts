/**
 * Cross-checks the zone reader against the servers that will load the zone: NSD (`nsd-checkzone -p`
 * prints the zone it loaded) and Knot (`kzonesign` loads the zone with Knot's own loader and dumps
 * it; the DNSSEC records it adds are set aside). Both print plain canonical text — explicit TTLs,
 * absolute names in the data, no parentheses, no escapes beyond the needed — which is read back
 * with mxlint's reader, so the fixture's tricky syntax ($INCLUDE with an origin, parentheses across
 * lines, inherited owners, TTL and class in either order, TTL units, escapes, generic types) is
 * judged by what NSD and Knot made of it.
 *
 * The bad snippets of the BIND cross-check go to both too. Where a server accepts one that mxlint
 * refuses, the table says so: those are the mistakes mxlint exists to catch (NSD silently wraps
 * `MX 70000` to 4464, for one). Recorded with NSD 4.6.1 and Knot 3.2.6 (Debian 12).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readZoneFile, readZoneText } from '../../src/dns/zone-file/reader.js';
import { e2eGate } from '../support/e2e.js';
import { formatRecord } from '../support/zone-presentation.js';
import { REFUSED_SNIPPETS, SNIPPET_HEAD } from '../support/zone-snippets.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/zones-reader/servers/', import.meta.url));
const PORTABLE = 'portable.example.com.zone';
const ORIGIN = 'example.com';
const PORTABLE_RECORDS = 32;
/** What Knot adds when it signs; the fixture has none of these. */
const DNSSEC_TYPES = /^\S+\s+\d+\s+(DNSKEY|CDS|CDNSKEY|RRSIG|NSEC|NSEC3|NSEC3PARAM)\s/;

const scratch = mkdtempSync(join(tmpdir(), 'mxlint-zone-servers-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function sortedUnique(lines: string[]): string[] {
  return [...new Set(lines)].sort();
}

function ours(): string[] {
  const zone = readZoneFile(join(FIXTURES, PORTABLE), { origin: ORIGIN });
  assert.deepEqual(zone.problems, []);
  return sortedUnique(zone.entries.map((entry) => formatRecord(entry.record)));
}

/** A server's canonical print of the zone, read back; it must read without a single problem. */
function readBack(text: string, what: string): string[] {
  const zone = readZoneText(text, { file: what, origin: ORIGIN });
  assert.deepEqual(zone.problems, [], `reading back ${what}`);
  return sortedUnique(zone.entries.map((entry) => formatRecord(entry.record)));
}

interface ToolRun {
  status: number | null;
  output: string;
}

function run(tool: string, args: string[], cwd: string): ToolRun {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Knot's loader, offline: kzonesign reads the zone file as knotd would and writes what it loaded. */
function knotLoad(directory: string, file: string, origin: string): ToolRun & { dump: string } {
  const work = mkdtempSync(join(scratch, 'knot-'));
  mkdirSync(join(work, 'db'));
  mkdirSync(join(work, 'out'));
  const conf = join(work, 'knot.conf');
  writeFileSync(conf, [
    'server:', `  rundir: "${work}"`,
    'database:', `  storage: "${join(work, 'db')}"`,
    'policy:', '  - id: sign-to-dump',
    'template:', '  - id: default', `    storage: "${directory}"`,
    'zone:', `  - domain: ${origin}`, `    file: "${file}"`, '    dnssec-signing: on', '    dnssec-policy: sign-to-dump',
    '',
  ].join('\n'));
  const result = run('kzonesign', ['-c', conf, '-o', join(work, 'out'), origin], work);
  const written = readdirSync(join(work, 'out'));
  const dump = written.length === 1 ? readFileSync(join(work, 'out', written[0]!), 'utf8') : '';
  return { ...result, dump };
}

/** Per snippet (as in REFUSED_SNIPPETS): the line a server refuses it on, or 'accepts'. */
type Verdict = number | 'accepts';
const SERVER_VERDICTS: Record<string, { nsd: Verdict; knot: Verdict }> = {
  'a MX 70000 mx': { nsd: 'accepts', knot: 5 },
  // NSD reports some entries on the line where it noticed: after the entry, or after the next one.
  'a MX mx1': { nsd: 6, knot: 5 },
  'a TXT "unterminated': { nsd: 7, knot: 5 },
  'a TYPE65280 \\# 4 abcdef': { nsd: 'accepts', knot: 5 },
  'a A ( 192.0.2.1': { nsd: 6, knot: 7 },
  'a SRV 0 0 65536 x': { nsd: 'accepts', knot: 5 },
  '@ MX 10 a\\256': { nsd: 'accepts', knot: 'accepts' },
  '$FOO': { nsd: 'accepts', knot: 5 },
  'a CAA 0 is-sue "x"': { nsd: 5, knot: 'accepts' },
  'a IN TYPE0 \\# 0': { nsd: 5, knot: 'accepts' },
};

function verdictOf(tool: 'nsd' | 'knot', snippet: string): Verdict {
  return SERVER_VERDICTS[snippet]?.[tool] ?? 5;
}

function snippetFile(snippet: string): string {
  const directory = mkdtempSync(join(scratch, 'snippet-'));
  writeFileSync(join(directory, 'refused.zone'), `${SNIPPET_HEAD}${snippet}\nz A 192.0.2.9\n`);
  return directory;
}

/** The bad snippets through one server's checker: refused on the recorded line, or loaded where it accepts them. */
function snippetTests(tool: 'nsd' | 'knot', name: string, check: (directory: string) => ToolRun, refusedOn: (line: number) => RegExp): void {
  for (const [snippet] of REFUSED_SNIPPETS) {
    const verdict = verdictOf(tool, snippet);
    it(`"${snippet}": mxlint refuses it on line 5; ${name} ${verdict === 'accepts' ? 'loads it' : `refuses it on line ${verdict}`}`, () => {
      const directory = snippetFile(snippet);
      const server = check(directory);
      if (verdict === 'accepts') {
        assert.equal(server.status, 0, server.output);
      } else {
        assert.notEqual(server.status, 0);
        assert.match(server.output, refusedOn(verdict), server.output);
      }
      const zone = readZoneFile(join(directory, 'refused.zone'), { origin: ORIGIN });
      assert.equal(zone.problems[0]?.location.line, 5, JSON.stringify(zone.problems));
    });
  }
}

describe('cross-check with NSD (nsd-checkzone -p)', { skip: e2eGate('nsd-checkzone').skip }, () => {
  it(`reads ${PORTABLE} into the records NSD loads`, () => {
    const nsd = run('nsd-checkzone', ['-p', ORIGIN, PORTABLE], FIXTURES);
    assert.equal(nsd.status, 0, nsd.output);
    const theirs = readBack(nsd.output, 'nsd-checkzone -p output');
    assert.deepEqual(ours(), theirs);
    assert.equal(theirs.length, PORTABLE_RECORDS);
  });

  snippetTests('nsd', 'NSD', (directory) => run('nsd-checkzone', [ORIGIN, 'refused.zone'], directory), (line) => new RegExp(`refused\\.zone:${line}:`));
});

describe('cross-check with Knot (kzonesign loads and dumps)', { skip: e2eGate('kzonesign').skip }, () => {
  it(`reads ${PORTABLE} into the records Knot loads`, () => {
    const knot = knotLoad(FIXTURES, PORTABLE, ORIGIN);
    assert.equal(knot.status, 0, knot.output);
    const loaded = knot.dump.split('\n').filter((line) => !line.startsWith(';') && !DNSSEC_TYPES.test(line)).join('\n');
    const theirs = readBack(loaded, 'Knot zone dump');
    assert.deepEqual(ours(), theirs);
    assert.equal(theirs.length, PORTABLE_RECORDS);
  });

  snippetTests('knot', 'Knot', (directory) => run('kzonecheck', ['-v', '-o', ORIGIN, 'refused.zone'], directory), (line) => new RegExp(`line ${line}\\b`));
});
