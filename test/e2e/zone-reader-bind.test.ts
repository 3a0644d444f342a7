/**
 * Cross-checks the zone reader against BIND: `named-checkzone -D` loads the same fixture files and
 * prints every record in canonical form; both sides must give the same records. Bad snippets must be
 * refused by both, on the same line.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readZoneFile, readZoneText } from '../../src/dns/zone-file/reader.js';
import { formatRecord, ipv6 } from '../support/zone-presentation.js';
import { REFUSED_SNIPPETS, SNIPPET_HEAD } from '../support/zone-snippets.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/zones-reader/bind/', import.meta.url));
const CHECKZONE = 'named-checkzone';

function checkzoneVersion(): string | undefined {
  const result = spawnSync(CHECKZONE, ['-v'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const version = checkzoneVersion();
const required = process.env.MXLINT_E2E === 'required';
const skip = version === undefined && !required
  ? `${CHECKZONE} is not installed (Debian package bind9-utils); set MXLINT_E2E=required to make this a failure`
  : false;

const scratch = mkdtempSync(join(tmpdir(), 'mxlint-zone-bind-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface CheckzoneRun {
  status: number | null;
  /** The zone as BIND loaded it, one record a line; empty when it refused the file. */
  canonical: string;
  messages: string;
}

/** Runs named-checkzone in the file's folder, since BIND resolves $INCLUDE paths from its working directory. */
function runCheckzone(directory: string, file: string, origin: string): CheckzoneRun {
  const output = join(scratch, `${file.replaceAll('/', '_')}.out`);
  rmSync(output, { force: true });
  const result = spawnSync(CHECKZONE, ['-i', 'none', '-k', 'ignore', '-D', '-o', output, origin, file], { cwd: directory, encoding: 'utf8', timeout: 30_000 });
  let canonical = '';
  try {
    canonical = readFileSync(output, 'utf8');
  } catch {
    // BIND writes no output for a zone it refuses.
  }
  return { status: result.status, canonical, messages: `${result.stdout}${result.stderr}` };
}

/** A name in the form the reader keeps: lower-case ASCII, no trailing dot; escapes as BIND prints them. */
function canonicalName(text: string): string {
  if (text === '.') return '.';
  const bare = text.endsWith('.') && !text.endsWith('\\.') ? text.slice(0, -1) : text;
  return bare.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * One line of BIND's canonical output in the same form, normalized by hand for the types the reader
 * interprets. Other types are read back with the reader itself: BIND's canonical line (absolute names,
 * explicit TTL, normalized escapes) still checks what the fixture's tricky syntax turned into.
 */
function formatBindLine(line: string): string {
  const tokens = line.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  const [owner = '', ttl = '', , type = '', ...rdata] = tokens;
  const head = `${canonicalName(owner)} ${ttl} ${type}`;
  const name = (index: number) => canonicalName(rdata[index] ?? '');
  switch (type) {
    case 'A': return `${head} ${rdata[0]}`;
    case 'AAAA': return `${head} ${ipv6(rdata[0] ?? '')}`;
    case 'NS': case 'CNAME': case 'DNAME': case 'PTR': return `${head} ${name(0)}`;
    case 'MX': return `${head} ${rdata[0]} ${name(1)}`;
    case 'SOA': return `${head} ${name(0)} ${name(1)} ${rdata.slice(2).join(' ')}`;
    case 'SRV': return `${head} ${rdata.slice(0, 3).join(' ')} ${name(3)}`;
    case 'TXT': return `${head} ${rdata.join(' ')}`;
    case 'TLSA': return `${head} ${rdata.slice(0, 3).join(' ')} ${rdata.slice(3).join('').toUpperCase()}`;
    case 'CAA': return `${head} ${rdata[0]} ${rdata[1]?.toLowerCase()} ${rdata.slice(2).join(' ')}`;
    default: {
      const reread = readZoneText(line, { file: 'named-checkzone output', origin: '.' });
      assert.deepEqual(reread.problems, [], `reading back BIND's line ${line}`);
      return formatRecord(reread.entries[0]!.record);
    }
  }
}

function sortedUnique(lines: string[]): string[] {
  return [...new Set(lines)].sort();
}

const VALID_FIXTURES: [file: string, origin: string, records: number][] = [
  ['tricky.example.com.zone', 'example.com', 35],
  ['include.example.org.zone', 'example.org', 11],
  ['db.2.0.192.in-addr.arpa', '2.0.192.in-addr.arpa', 5],
];

describe(`cross-check with ${CHECKZONE}`, { skip }, () => {
  it(`${CHECKZONE} is installed`, () => {
    assert.ok(version !== undefined, `${CHECKZONE} is required (MXLINT_E2E=required) but not installed`);
  });

  for (const [file, origin, count] of VALID_FIXTURES) {
    it(`reads ${file} into the records BIND loads`, () => {
      const bind = runCheckzone(FIXTURES, file, origin);
      assert.equal(bind.status, 0, `${CHECKZONE} refused the fixture:\n${bind.messages}`);
      const zone = readZoneFile(join(FIXTURES, file), { origin });
      assert.deepEqual(zone.problems, []);
      const ours = sortedUnique(zone.entries.map((entry) => formatRecord(entry.record)));
      const theirs = sortedUnique(bind.canonical.split('\n').filter((line) => line.trim() !== '').map(formatBindLine));
      assert.deepEqual(ours, theirs);
      assert.equal(ours.length, count);
    });
  }

  for (const [snippet, line] of REFUSED_SNIPPETS) {
    it(`refuses "${snippet}" on line ${line}, as BIND does`, () => {
      const file = 'refused.zone';
      writeFileSync(join(scratch, file), `${SNIPPET_HEAD}${snippet}\nz A 192.0.2.9\n`);
      const bind = runCheckzone(scratch, file, 'example.com');
      assert.notEqual(bind.status, 0, `${CHECKZONE} accepted it:\n${bind.messages}`);
      assert.match(bind.messages, new RegExp(`${file}:${line}:`));
      const zone = readZoneFile(join(scratch, file), { origin: 'example.com' });
      assert.equal(zone.problems[0]?.location.line, line, JSON.stringify(zone.problems));
      assert.ok(!zone.entries.some((entry) => entry.location.line === line), 'the refused line made no record');
    });
  }
});
