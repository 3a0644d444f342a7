import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { DnsRecord } from '../../src/dns/records.js';
import { MAX_ENTRY_LENGTH, MAX_PAREN_DEPTH } from '../../src/dns/zone-file/lexer.js';
import {
  MAX_INCLUDE_DEPTH, MAX_SHARED_RDATA, MAX_SHARED_RDATA_TEXT, MAX_ZONE_BYTES, MAX_ZONE_FILES, MAX_ZONE_PROBLEMS, DEFAULT_MAX_ZONE_RECORDS,
  readZoneFile, readZoneText, type ReadZoneTextOptions,
} from '../../src/dns/zone-file/reader.js';
import { FileReadError, type FileText } from '../../src/core/files.js';
import type { ParsedZone, ZoneProblem } from '../../src/dns/zone-file/types.js';

const SOA_LINE = '@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300';
const HEAD = `$TTL 3600\n${SOA_LINE}\n`;

function read(text: string, options: Partial<ReadZoneTextOptions> = {}): ParsedZone {
  return readZoneText(text, { file: 'example.com.zone', ...options });
}

/** Records after the SOA of HEAD. */
function bodyRecords(zone: ParsedZone): DnsRecord[] {
  return zone.entries.map((entry) => entry.record).filter((record) => record.type !== 'SOA');
}

function problemSummary(zone: ParsedZone): string[] {
  return zone.problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column} ${p.code}`);
}

function onlyProblem(zone: ParsedZone): ZoneProblem {
  assert.equal(zone.problems.length, 1, `expected one problem, got ${JSON.stringify(zone.problems, null, 1)}`);
  return zone.problems[0]!;
}

function bytes(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

describe('typed records', () => {
  it('reads every interpreted type into typed data with canonical names', () => {
    const zone = read(`${HEAD}@ NS ns1.example.com.
@ MX 10 Mail.Example.COM.
mail A 192.0.2.25
mail AAAA 2001:DB8:0:0:0:0:0:25
www CNAME mail
old DNAME new.example.net.
@ TXT "v=spf1 mx -all"
25.2.0.192.in-addr.arpa. PTR mail
_25._tcp.mail TLSA 3 1 1 ABCDEF0123
_submission._tcp SRV 0 1 587 mail
@ CAA 0 issue "letsencrypt.org"
`, { origin: '.' });
    assert.deepEqual(zone.problems, []);
    assert.equal(zone.origin, '.');
    assert.deepEqual(zone.entries.map((entry) => entry.record), [
      { name: '.', ttl: 3600, type: 'SOA', data: { mname: 'ns1', rname: 'hostmaster', serial: 2024010101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 } },
      { name: '.', ttl: 3600, type: 'NS', data: 'ns1.example.com' },
      { name: '.', ttl: 3600, type: 'MX', data: { preference: 10, exchange: 'mail.example.com' } },
      { name: 'mail', ttl: 3600, type: 'A', data: '192.0.2.25' },
      { name: 'mail', ttl: 3600, type: 'AAAA', data: '2001:db8::25' },
      { name: 'www', ttl: 3600, type: 'CNAME', data: 'mail' },
      { name: 'old', ttl: 3600, type: 'DNAME', data: 'new.example.net' },
      { name: '.', ttl: 3600, type: 'TXT', data: [bytes('v=spf1 mx -all')] },
      { name: '25.2.0.192.in-addr.arpa', ttl: 3600, type: 'PTR', data: 'mail' },
      { name: '_25._tcp.mail', ttl: 3600, type: 'TLSA', data: { usage: 3, selector: 1, matchingType: 1, certificate: hex('abcdef0123') } },
      { name: '_submission._tcp', ttl: 3600, type: 'SRV', data: { priority: 0, weight: 1, port: 587, target: 'mail' } },
      { name: '.', ttl: 3600, type: 'CAA', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } },
    ]);
  });

  it('appends the origin to relative names and lower-cases everything', () => {
    const zone = read(`${HEAD}WWW.Sub A 192.0.2.1\n`, { origin: 'Example.COM.' });
    assert.equal(zone.origin, 'example.com');
    assert.deepEqual(bodyRecords(zone), [{ name: 'www.sub.example.com', ttl: 3600, type: 'A', data: '192.0.2.1' }]);
  });

  it('keeps TXT character-strings apart and decodes their escapes', () => {
    const zone = read(`${HEAD}t TXT "a \\"quoted\\" word" plain \\059semi "\\255\\000" ""\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone)[0]?.data, [bytes('a "quoted" word'), bytes('plain'), bytes(';semi'), Uint8Array.of(255, 0), new Uint8Array(0)]);
  });

  it('reads TLSA data split over several fields and lines', () => {
    const zone = read(`${HEAD}_25._tcp TLSA 3 1 1 ( 0011
  2233 ) ; comment
`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone)[0]?.data, { usage: 3, selector: 1, matchingType: 1, certificate: hex('00112233') });
  });

  it('reads a null MX (RFC 7505) with "." as exchange', () => {
    const zone = read(`${HEAD}@ MX 0 .\n`, { origin: 'example.com' });
    assert.deepEqual(bodyRecords(zone)[0]?.data, { preference: 0, exchange: '.' });
    assert.equal(zone.entries.at(-1)?.rdataNameRelative, false);
  });

  it('keeps the CAA tag lower-case and reads an unquoted value', () => {
    const zone = read(`${HEAD}@ CAA 128 IODEF mailto:security@example.com\n`, { origin: 'example.com' });
    assert.deepEqual(bodyRecords(zone)[0]?.data, { flags: 128, tag: 'iodef', value: 'mailto:security@example.com' });
  });
});

describe('rdataNameRelative', () => {
  const zone = read(`${HEAD}a MX 10 mx1
b MX 10 mx1.example.com.
c MX 10 @
d CNAME target
e CNAME target.example.org.
f NS ns
g PTR host.
h SRV 1 1 25 mx
i DNAME other
j A 192.0.2.1
`, { origin: 'example.com' });

  it('is true exactly for names written without a trailing dot', () => {
    const flags = zone.entries.map((entry) => `${entry.record.name} ${entry.rdataNameRelative}`);
    assert.deepEqual(flags, [
      'example.com true',
      'a.example.com true', 'b.example.com false', 'c.example.com false', 'd.example.com true', 'e.example.com false',
      'f.example.com true', 'g.example.com false', 'h.example.com true', 'i.example.com true', 'j.example.com false',
    ]);
  });

  it('treats @ in RDATA as the origin, written on purpose', () => {
    assert.deepEqual(zone.entries[3]?.record.data, { preference: 10, exchange: 'example.com' });
  });

  it('is false for the SOA when its primary name server is absolute', () => {
    const absolute = read('$TTL 1\n@ SOA ns1.example.com. hostmaster 1 2 3 4 5\n', { origin: 'example.com' });
    assert.equal(absolute.entries[0]?.rdataNameRelative, false);
  });
});

describe('locations', () => {
  it('puts each record at its first token: the owner, or the first field when the owner is inherited', () => {
    const zone = read(`${HEAD}\n; comment\nwww   A 192.0.2.1\n\t  A 192.0.2.2\n  ( A\n  192.0.2.3 )\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(zone.entries.map((entry) => entry.location), [
      { file: 'example.com.zone', line: 2, column: 1 },
      { file: 'example.com.zone', line: 5, column: 1 },
      { file: 'example.com.zone', line: 6, column: 4 },
      { file: 'example.com.zone', line: 7, column: 5 },
    ]);
  });

  it('puts a problem at the offending token, even on a continuation line', () => {
    const zone = read(`${HEAD}@ MX ( 10\n      bad..name )\n`, { origin: 'example.com' });
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 4, column: 7 });
    assert.equal(problem.message, 'MX exchange: "bad..name" has an empty label');
  });

  it('counts lines with CRLF endings and ignores a byte order mark', () => {
    const zone = read(`\uFEFF$TTL 60\r\n${SOA_LINE}\r\nwww A 192.0.2.1\r\nbad A 300.1.1.1\r\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:4:7 zone-syntax']);
    assert.deepEqual(zone.entries.map((entry) => entry.location.line), [2, 3]);
    assert.ok(zone.sources.get('example.com.zone')?.startsWith('$TTL'));
  });

  it('lists problems in file order, line by line', () => {
    const zone = read(`${HEAD}a A 1\n"b\nc A 192.0.2.300\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), [
      'example.com.zone:3:5 zone-syntax', 'example.com.zone:4:1 zone-syntax', 'example.com.zone:5:5 zone-syntax',
    ]);
  });
});

describe('owner inheritance', () => {
  it('gives a line starting with a blank the previous owner', () => {
    const zone = read(`${HEAD}mail A 192.0.2.1\n AAAA 2001:db8::1\n\tTXT hello\n`, { origin: 'example.com' });
    assert.deepEqual(bodyRecords(zone).map((record) => `${record.name} ${record.type}`), [
      'mail.example.com A', 'mail.example.com AAAA', 'mail.example.com TXT',
    ]);
  });

  it('reports an inherited owner when none came before', () => {
    const problem = onlyProblem(read('$TTL 1\n  A 192.0.2.1\n', { origin: 'example.com' }));
    assert.equal(problem.location.line, 2);
    assert.match(problem.message, /previous owner, but no owner came before/);
  });

  it('skips lines that inherit an unreadable owner, reporting only the owner', () => {
    const zone = read(`${HEAD}bad..owner A 192.0.2.1\n  A 192.0.2.2\n  A 192.0.2.3\ngood A 192.0.2.4\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:3:1 zone-syntax']);
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['good.example.com']);
  });
});

describe('TTL and class', () => {
  it('accepts TTL and class in either order, each optional', () => {
    const zone = read(`${HEAD}a 300 IN A 192.0.2.1\nb IN 301 A 192.0.2.2\nc IN A 192.0.2.3\nd 302 A 192.0.2.4\ne CLASS1 A 192.0.2.5\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => `${record.name} ${record.ttl}`), [
      'a.example.com 300', 'b.example.com 301', 'c.example.com 3600', 'd.example.com 302', 'e.example.com 3600',
    ]);
  });

  it('reads TTL units in any case, alone or combined', () => {
    const zone = read(`${HEAD}a 1h30m A 192.0.2.1\nb 2w A 192.0.2.1\nc 1D A 192.0.2.1\nd 1W2d3H4M5s A 192.0.2.1\n$TTL 2h\ne A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => record.ttl), [5400, 1209600, 86400, 788645, 7200]);
  });

  it('reads SOA timers with units', () => {
    const zone = read('$TTL 1\n@ SOA ns1 host 1 1h 30m 2w 1d\n', { origin: 'example.com' });
    assert.deepEqual(zone.entries[0]?.record.data, { mname: 'ns1.example.com', rname: 'host.example.com', serial: 1, refresh: 3600, retry: 1800, expire: 1209600, minimum: 86400 });
  });

  it('refuses a TTL beyond 2^31-1 (RFC 2181 §8) and a second TTL', () => {
    const zone = read(`${HEAD}a 2147483648 A 192.0.2.1\nb 2147483647 A 192.0.2.1\nc 1 2 A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:3:3 zone-syntax', 'example.com.zone:5:5 zone-syntax']);
    assert.equal(zone.problems[0]?.message, 'TTL 2147483648 is larger than 2147483647');
    assert.equal(zone.problems[1]?.message, '"2" is a second TTL where the record type belongs');
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['b.example.com']);
  });

  it('refuses records of another class', () => {
    const problem = onlyProblem(read(`${HEAD}a CH A 192.0.2.1\n`, { origin: 'example.com' }));
    assert.equal(problem.message, "class CH does not match the zone's class IN");
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 3, column: 3 });
  });
});

describe('default TTL', () => {
  it('uses the previous record\'s TTL without $TTL, reporting the guess once', () => {
    const zone = read('@ SOA ns1 host 1 2 3 4 300\n NS ns1\nwww 60 A 192.0.2.1\nw2 A 192.0.2.2\n', { origin: 'example.com' });
    assert.deepEqual(zone.entries.map((entry) => entry.record.ttl), [300, 300, 60, 60]);
    const problem = onlyProblem(zone);
    assert.equal(problem.code, 'zone-ttl-missing', 'a warning, as named-checkzone gives, not a zone-syntax error');
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 1, column: 1 });
    assert.match(problem.message, /^no \$TTL before this record and it gives no TTL: servers load the zone, .*mxlint uses 300, the SOA minimum/);
    assert.equal(problem.fix, 'put `$TTL 300` (or the default TTL meant) at the top of the file');
  });

  it('reports a record with no TTL and nothing to take one from, and leaves it out', () => {
    const zone = read('www A 192.0.2.1\n@ SOA ns1 host 1 2 3 4 300\n', { origin: 'example.com' });
    assert.equal(zone.problems[0]?.location.line, 1);
    assert.match(zone.problems[0]?.message ?? '', /^no TTL: this record gives none and no \$TTL comes before it/);
    assert.deepEqual(zone.entries.map((entry) => entry.record.type), ['SOA']);
  });

  it('takes options.defaultTtl as a $TTL before the file, without a problem', () => {
    const zone = read('@ SOA ns1 host 1 2 3 4 300\nwww A 192.0.2.1\n$TTL 5\nw2 A 192.0.2.1\n', { origin: 'example.com', defaultTtl: 900 });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(zone.entries.map((entry) => entry.record.ttl), [900, 900, 5]);
  });
});

describe('origin', () => {
  const body = '$TTL 1\n@ SOA ns1 host 1 2 3 4 5\nwww A 192.0.2.1\n';

  it('takes options.origin first, with or without the trailing dot', () => {
    assert.equal(read(`$ORIGIN other.org.\n${body}`, { origin: 'example.com' }).origin, 'example.com');
    assert.equal(read(body, { origin: 'example.com.' }).entries[1]?.record.name, 'www.example.com');
  });

  it('takes a $ORIGIN that comes before the records', () => {
    const zone = read(`$ORIGIN Example.NET.\n${body}`);
    assert.equal(zone.origin, 'example.net');
    assert.equal(zone.entries[1]?.record.name, 'www.example.net');
  });

  it('takes the SOA owner when written absolute', () => {
    const zone = read('$TTL 1\nexample.org. SOA ns1 host 1 2 3 4 5\nwww A 192.0.2.1\n');
    assert.equal(zone.origin, 'example.org');
    assert.equal(zone.entries[1]?.record.name, 'www.example.org');
  });

  const fileNames: [string, string][] = [
    ['db.example.com', 'example.com'], ['zones/example.com.zone', 'example.com'], ['example.com', 'example.com'], ['EXAMPLE.org.db', 'example.org'],
  ];
  for (const [file, origin] of fileNames) {
    it(`derives ${origin} from the file name ${file}`, () => {
      const zone = readZoneText(body, { file });
      assert.equal(zone.origin, origin);
      assert.equal(zone.entries[1]?.record.name, `www.${origin}`);
    });
  }

  it('follows $ORIGIN changes, relative ones included, for the names after them', () => {
    const zone = read(`${body}$ORIGIN sub\nmail A 192.0.2.2\n$ORIGIN example.com.\nlast A 192.0.2.3\n`, { origin: 'example.com' });
    assert.deepEqual(zone.entries.map((entry) => entry.record.name), ['example.com', 'www.example.com', 'mail.sub.example.com', 'last.example.com']);
  });

  it('leaves out records outside a stated zone, with a problem at the owner', () => {
    const zone = read(`${body}mail.example.org. A 192.0.2.9\n`, { origin: 'example.com' });
    const problem = onlyProblem(zone);
    assert.equal(problem.message, 'mail.example.org is outside the zone example.com: name servers ignore it');
    assert.equal(problem.location.line, 4);
    assert.equal(zone.entries.length, 2);
  });

  it('keeps records outside an origin that was only guessed from the file name', () => {
    const zone = readZoneText('$TTL 1\nmail.example.org. A 192.0.2.9\n', { file: 'notes.txt' });
    assert.deepEqual(zone.problems, []);
    assert.equal(zone.entries[0]?.record.name, 'mail.example.org');
  });

  it('reports an origin option that is not a name and falls back to the file', () => {
    const zone = read(body, { origin: 'a..b' });
    assert.equal(zone.origin, 'example.com');
    assert.deepEqual(problemSummary(zone), ['example.com.zone:1:1 zone-syntax']);
  });
});

describe('names', () => {
  it('reads escaped dots and decimal escapes as label octets', () => {
    const zone = read(`${HEAD}first\\.last A 192.0.2.1\nsp\\032ace A 192.0.2.2\nX\\065 A 192.0.2.3\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['first\\.last.example.com', 'sp\\032ace.example.com', 'xa.example.com']);
  });

  it('reads an escaped dot in the SOA mailbox as part of the first label', () => {
    const zone = read('$TTL 1\n@ SOA ns1 john\\.doe 1 2 3 4 5\n', { origin: 'example.com' });
    assert.equal((zone.entries[0]?.record.data as { rname: string }).rname, 'john\\.doe.example.com');
  });

  it('refuses labels over 63 octets, names over 255, empty labels and bad escapes', () => {
    const long = 'a'.repeat(64);
    const label63 = 'b'.repeat(63);
    const zone = read(`${HEAD}${long} A 192.0.2.1
${label63}.${label63}.${label63}.${label63} A 192.0.2.1
.lead A 192.0.2.1
a\\256 A 192.0.2.1
a\\12 A 192.0.2.1
${'c'.repeat(63)} A 192.0.2.1
`, { origin: 'example.com' });
    assert.deepEqual(zone.problems.map((p) => p.message), [
      `owner: "${long}": label "${long}" is 64 octets long; a label is at most 63`,
      `owner: "${label63}.${label63}.${label63}.${label63}" is 269 octets long with the origin appended; a name is at most 255`,
      'owner: ".lead" has an empty label',
      'owner: "a\\256": "\\256" is not an octet: \\DDD is at most \\255',
      'owner: "a\\12": "\\12" is not an escape: \\DDD needs exactly three digits',
    ]);
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), [`${'c'.repeat(63)}.example.com`]);
  });
});

describe('comments and quotes', () => {
  it('ends a record at ";" but not inside quotes or after a backslash', () => {
    const zone = read(`${HEAD}a TXT "x;y" ; real comment\nb TXT x\\;y\n; whole line\n   ; indented comment\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => record.data), [[bytes('x;y')], [bytes('x;y')]]);
  });

  it('reports an unterminated quote at the quote and reads the next line', () => {
    const zone = read(`${HEAD}a TXT "no end\nb A 192.0.2.1\n`, { origin: 'example.com' });
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 3, column: 7 });
    assert.equal(problem.message, 'unterminated quoted string: the closing " is missing on this line');
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['b.example.com']);
  });

  it('reads parentheses inside quotes as text', () => {
    const zone = read(`${HEAD}a TXT "(" ")"\n`, { origin: 'example.com' });
    assert.deepEqual(bodyRecords(zone)[0]?.data, [bytes('('), bytes(')')]);
  });

  it('refuses a TXT string over 255 octets and accepts one of 255', () => {
    const zone = read(`${HEAD}a TXT "${'x'.repeat(256)}"\nb TXT "${'y'.repeat(255)}"\n`, { origin: 'example.com' });
    assert.match(onlyProblem(zone).message, /^TXT string is 256 octets long; one string holds at most 255/);
    assert.equal(bodyRecords(zone)[0]?.name, 'b.example.com');
  });
  it('refuses TXT data over 65535 octets at the string that crosses the limit', () => {
    const strings = Array.from({ length: 257 }, () => `"${'z'.repeat(254)}"`).join(' ');
    const zone = read(`${HEAD}a TXT ${strings} "${'z'.repeat(254)}"\n`, { origin: 'example.com' });
    const problem = onlyProblem(zone);
    assert.equal(problem.message, 'TXT data is longer than 65535 octets, the most a record holds');
    assert.equal(problem.location.column, 7 + 257 * 257);
  });
});

describe('parentheses', () => {
  it('joins lines, with comments inside, into one record', () => {
    const zone = read(`$TTL 1\n@ IN SOA ns1 host (\n  2024 ; serial\n  1h   ; refresh\n  2 3\n  4 )\nwww A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(zone.entries[0]?.record.data, { mname: 'ns1.example.com', rname: 'host.example.com', serial: 2024, refresh: 3600, retry: 2, expire: 3, minimum: 4 });
    assert.equal(zone.entries[1]?.location.line, 7);
  });

  it('reports ")" without "(" and reads on', () => {
    const zone = read(`${HEAD}a A 192.0.2.1 )\nb A 192.0.2.2\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:3:15 zone-syntax']);
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['b.example.com']);
  });

  it('reports a "(" never closed and resumes at the next line that starts with a name', () => {
    const zone = read(`${HEAD}a MX ( 10 mx1\n   ; still inside\nb A 192.0.2.2\nc A 192.0.2.3\n`, { origin: 'example.com' });
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 3, column: 6 });
    assert.equal(problem.message, 'unbalanced parentheses: this "(" is never closed');
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['b.example.com', 'c.example.com']);
  });

  it(`reads nesting up to ${MAX_PAREN_DEPTH} levels and reports deeper`, () => {
    const ok = read(`${HEAD}a ${'('.repeat(MAX_PAREN_DEPTH)} A 192.0.2.1 ${')'.repeat(MAX_PAREN_DEPTH)}\n`, { origin: 'example.com' });
    assert.deepEqual(ok.problems, []);
    const deep = read(`${HEAD}a ${'('.repeat(1000)} A 192.0.2.1 ${')'.repeat(1000)}\nb A 192.0.2.2\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(deep), [`example.com.zone:3:${3 + MAX_PAREN_DEPTH} zone-syntax`]);
    assert.deepEqual(bodyRecords(deep).map((record) => record.name), ['b.example.com']);
  });
});

describe('generic types and data (RFC 3597)', () => {
  it('keeps an unknown type as opaque octets', () => {
    const zone = read(`${HEAD}a TYPE65280 \\# 3 ABCDEF\nb type65281 \\# 0\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone), [
      { name: 'a.example.com', ttl: 3600, type: 'OPAQUE', rrtype: 65280, data: hex('abcdef') },
      { name: 'b.example.com', ttl: 3600, type: 'OPAQUE', rrtype: 65281, data: new Uint8Array(0) },
    ]);
  });

  it('decodes generic data of an interpreted type into typed data', () => {
    const zone = read(`${HEAD}a TYPE15 \\# 8 000A 026D78 01 61 00\nb MX \\# 6 0014 026d78 00\nc TYPE1 192.0.2.7\nd A \\# 4 C0000208\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => record.data), [
      { preference: 10, exchange: 'mx.a' }, { preference: 20, exchange: 'mx' }, '192.0.2.7', '192.0.2.8',
    ]);
    assert.equal(zone.entries[1]?.rdataNameRelative, false);
  });

  it('reports a length that does not match the hex, and data that is not the type', () => {
    const zone = read(`${HEAD}a TYPE65280 \\# 4 ABCDEF\nb A \\# 3 C00002\nc TYPE65280 \\# 2 XYZW\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`), [
      '3:16 generic RDATA length 4 does not match the 3 octets of hex given',
      '4:5 A data: the data ends before the address',
      '5:18 generic RDATA "XYZW" is not hexadecimal',
    ]);
  });

  it('reads class numbers (CLASS1) and refuses other classes', () => {
    const zone = read(`${HEAD}a CLASS1 TYPE1 \\# 4 C0000201\nb CLASS3 A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:4:3 zone-syntax']);
    assert.equal(bodyRecords(zone)[0]?.data, '192.0.2.1');
  });

  it('encodes uninterpreted registered types written in presentation form', () => {
    const zone = read(`${HEAD}h HINFO "PC" Linux
ds DS 12345 8 2 ( 01AB
  CDEF )
k DNSKEY 257 3 8 AwEAAQ==
s SSHFP 1 1 0123456789abcdef
n NSEC next A MX RRSIG NSEC TYPE1234
r RP mbox.example.com. txt
`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => (record.type === 'OPAQUE' ? `${record.rrtype} ${Buffer.from(record.data).toString('hex')}` : record.type)), [
      '13 025043054c696e7578',
      '43 3039080201abcdef',
      '48 0101030803010001',
      '44 01010123456789abcdef',
      // next.example.com; window 0 holds A(1) MX(15) RRSIG(46) NSEC(47) in 6 octets; window 4 holds 1234 = 4 * 256 + 210
      `47 ${'046e657874076578616d706c6503636f6d00'}${'0006400100000003'}${'041b'}${'00'.repeat(26)}20`,
      `17 ${'046d626f78076578616d706c6503636f6d00'}${'03747874076578616d706c6503636f6d00'}`,
    ]);
  });

  it('keeps registered types it does not encode with empty data', () => {
    const zone = read(`${HEAD}loc LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone), [{ name: 'loc.example.com', ttl: 3600, type: 'OPAQUE', rrtype: 29, data: new Uint8Array(0) }]);
  });

  it('refuses unregistered types in presentation form, unknown mnemonics and meta types', () => {
    const zone = read(`${HEAD}a TYPE65280 abc\nb FOO 1\nc ANY 192.0.2.1\nd IN ANY 1\ne OPT 1\nf www 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`), [
      '3:3 TYPE65280 is not a registered type',
      '4:3 "FOO" is not a record type',
      '5:7 "192.0.2.1" is not a record type',
      '6:6 ANY is not a type of zone data',
      '7:3 OPT is not a type of zone data',
      '8:3 "www" is not a record type',
    ]);
  });
});

describe('RDATA validation', () => {
  const cases: [string, string, string][] = [
    ['a A 127.1', '3:5', '"127.1" is not an IPv4 address (four decimal numbers 0–255, as in 192.0.2.1)'],
    ['a A 256.0.0.1', '3:5', '"256.0.0.1" is not an IPv4 address (four decimal numbers 0–255, as in 192.0.2.1)'],
    ['a A 192.0.2.1 extra', '3:15', 'A record: unexpected "extra" after the data'],
    ['a A', '3:3', 'A record: the address is missing'],
    ['a AAAA fe80::1%eth0', '3:8', '"fe80::1%eth0" is not an IPv6 address'],
    ['a AAAA 192.0.2.1', '3:8', '"192.0.2.1" is not an IPv6 address'],
    ['a SRV 0 0 65536 mx', '3:11', 'SRV port 65536 is out of range (0–65535)'],
    ['a SRV 0 x 25 mx', '3:9', 'SRV weight "x" is not a number'],
    ['a TLSA 3 1 1 abc', '3:14', 'TLSA certificate association data has an odd number of hex digits (3)'],
    ['a TLSA 3 1 1 xyz0', '3:14', 'TLSA certificate association data "xyz0" is not hexadecimal'],
    ['a TLSA 256 1 1 00', '3:8', 'TLSA certificate usage 256 is out of range (0–255)'],
    ['a CAA 0 is-sue "x"', '3:9', 'CAA tag "is-sue" is not letters and digits'],
    ['a CNAME "quoted"', '3:9', 'CNAME record: a quoted string stands where the canonical name belongs'],
    ['a SOA ns1 host 4294967296 1 2 3 4', '3:16', 'SOA serial 4294967296 is out of range (0–4294967295)'],
    ['a DS 1 2 3 zz', '3:12', 'digest "zz" is not hexadecimal'],
    ['a DNSKEY 256 3 8 not*base64', '3:18', 'public key is not valid base64'],
  ];
  for (const [line, where, message] of cases) {
    it(`reports "${line}"`, () => {
      const zone = read(`${HEAD}${line}\n`, { origin: 'example.com' });
      const problem = onlyProblem(zone);
      assert.equal(`${problem.location.line}:${problem.location.column}`, where);
      assert.equal(problem.message, message);
      assert.equal(problem.code, 'zone-syntax');
      assert.equal(zone.entries.length, 1);
    });
  }

  it('writes AAAA addresses in RFC 5952 form', () => {
    const zone = read(`${HEAD}a AAAA 2001:0DB8:0000:0000:0001:0000:0000:0001\nb AAAA ::ffff:192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(bodyRecords(zone).map((record) => record.data), ['2001:db8::1:0:0:1', '::ffff:c000:201']);
  });
});

describe('MX problems', () => {
  it('reports a missing preference with the fix, at the exchange', () => {
    const zone = read(`${HEAD}sales MX mx1\n`, { origin: 'example.com' });
    const problem = onlyProblem(zone);
    assert.equal(problem.code, 'mx-preference-missing');
    assert.equal(problem.message, 'MX record for sales.example.com has no preference');
    assert.equal(problem.fix, 'write `sales MX 10 mx1`');
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 3, column: 10 });
    assert.deepEqual(bodyRecords(zone), [], 'the record is left out: the rules report it from the problem');
  });

  it('names the inherited owner in the fix when the line has none', () => {
    const zone = read(`${HEAD}sales A 192.0.2.1\n  MX mx1.example.net.\n`, { origin: 'example.com' });
    assert.equal(onlyProblem(zone).message, 'MX record for sales.example.com has no preference');
    assert.equal(onlyProblem(zone).fix, 'write `sales.example.com MX 10 mx1.example.net.`');
  });

  it('reports a preference outside 0–65535 with what a wrapping server makes of it', () => {
    const zone = read(`${HEAD}a MX 70000 mx1\nb MX -1 mx1\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems.map((p) => `${p.code} ${p.location.line}:${p.location.column} ${p.message}`), [
      'mx-preference-range 3:6 MX preference 70000 for a.example.com is outside 0–65535 (some servers silently wrap it to 4464)',
      'mx-preference-range 4:6 MX preference -1 for b.example.com is outside 0–65535',
    ]);
    assert.deepEqual(bodyRecords(zone), []);
  });

  it('does not fire on valid MX records at the edges of the range', () => {
    const zone = read(`${HEAD}a MX 0 mx1\nb MX 65535 mx1\nc MX ( 10\n  mx1 )\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => record.data), [
      { preference: 0, exchange: 'mx1.example.com' }, { preference: 65535, exchange: 'mx1.example.com' }, { preference: 10, exchange: 'mx1.example.com' },
    ]);
  });

  it('reports other MX mistakes as syntax', () => {
    const zone = read(`${HEAD}a MX 10\nb MX\nc MX mx1 10\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems.map((p) => `${p.code} ${p.location.line}:${p.location.column} ${p.message}`), [
      'zone-syntax 3:6 MX record: the exchange is missing',
      'zone-syntax 4:3 MX record: the preference is missing',
      'zone-syntax 5:6 MX preference "mx1" is not a number',
    ]);
  });
});

describe('$INCLUDE', () => {
  /** Files by path; each is its own file unless `identities` gives two paths one identity (a symbolic link). */
  function loader(files: Record<string, string>, identities: Record<string, string> = {}): { loadFile: (path: string) => FileText; requested: string[] } {
    const requested: string[] = [];
    return {
      requested,
      loadFile: (path) => {
        requested.push(path);
        const text = files[path];
        if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
        return { text, identity: identities[path] ?? path };
      },
    };
  }

  it('reads included files relative to the including file, with their own locations', () => {
    const { loadFile, requested } = loader({
      'zones/inc/mail.inc': 'mail A 192.0.2.25\n$INCLUDE deeper/more.inc\n',
      'zones/inc/deeper/more.inc': '\n  ; nothing\nmore A 192.0.2.26\n',
    });
    const zone = readZoneText(`${HEAD}$INCLUDE inc/mail.inc\nafter A 192.0.2.27\n`, { file: 'zones/example.com.zone', origin: 'example.com', loadFile });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(requested, ['zones/inc/mail.inc', 'zones/inc/deeper/more.inc']);
    assert.deepEqual(zone.entries.map((entry) => `${entry.location.file}:${entry.location.line}:${entry.location.column} ${entry.record.name}`), [
      'zones/example.com.zone:2:1 example.com',
      'zones/inc/mail.inc:1:1 mail.example.com',
      'zones/inc/deeper/more.inc:3:1 more.example.com',
      'zones/example.com.zone:4:1 after.example.com',
    ]);
    assert.deepEqual([...zone.sources.keys()], ['zones/example.com.zone', 'zones/inc/mail.inc', 'zones/inc/deeper/more.inc']);
  });

  it('gives the included file the origin argument, restores origin and owner after it, keeps its $TTL', () => {
    const { loadFile } = loader({ 'sub.inc': '$TTL 60\n@ A 192.0.2.1\nwww A 192.0.2.2\n' });
    const zone = read(`${HEAD}mail A 192.0.2.3\n$INCLUDE "sub.inc" sub\n  A 192.0.2.4\nlast A 192.0.2.5\n`, { origin: 'example.com', loadFile });
    assert.deepEqual(zone.problems, []);
    assert.deepEqual(bodyRecords(zone).map((record) => `${record.name} ${record.ttl}`), [
      'mail.example.com 3600', 'sub.example.com 60', 'www.sub.example.com 60', 'mail.example.com 60', 'last.example.com 60',
    ]);
  });

  it('reports a missing file at the file name of the $INCLUDE line', () => {
    const { loadFile } = loader({});
    const zone = read(`${HEAD}$INCLUDE  missing.inc\nwww A 192.0.2.1\n`, { origin: 'example.com', loadFile });
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: 3, column: 11 });
    assert.equal(problem.message, "cannot read $INCLUDE file missing.inc: ENOENT: no such file or directory, open 'missing.inc'");
    assert.equal(bodyRecords(zone).length, 1);
  });

  it('detects include loops, naming the chain', () => {
    const { loadFile } = loader({ 'a.inc': 'a A 192.0.2.1\n$INCLUDE b.inc\n', 'b.inc': '$INCLUDE ./a.inc\nb A 192.0.2.2\n' });
    const zone = readZoneText(`${HEAD}$INCLUDE a.inc\n`, { file: 'main.zone', origin: 'example.com', loadFile });
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'b.inc', line: 1, column: 10 });
    assert.equal(problem.message, '$INCLUDE loop: a.inc → b.inc → a.inc');
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['a.example.com', 'b.example.com']);
  });

  it('detects a file including itself', () => {
    const zone = readZoneText(`${HEAD}$INCLUDE main.zone\n`, { file: 'main.zone', origin: 'example.com', loadFile: (path) => ({ text: HEAD, identity: path }) });
    assert.equal(onlyProblem(zone).message, '$INCLUDE loop: main.zone → main.zone');
  });

  it(`follows at most ${MAX_INCLUDE_DEPTH} nested includes`, () => {
    const files: Record<string, string> = {};
    for (let level = 1; level <= MAX_INCLUDE_DEPTH + 3; level += 1) files[`l${level}.inc`] = `l${level} A 192.0.2.1\n$INCLUDE l${level + 1}.inc\n`;
    const { loadFile, requested } = loader(files);
    const zone = readZoneText(`${HEAD}$INCLUDE l1.inc\n`, { file: 'main.zone', origin: 'example.com', loadFile });
    assert.equal(requested.length, MAX_INCLUDE_DEPTH);
    const problem = onlyProblem(zone);
    assert.equal(problem.location.file, `l${MAX_INCLUDE_DEPTH}.inc`);
    assert.equal(problem.message, `$INCLUDE nested deeper than ${MAX_INCLUDE_DEPTH} files: l${MAX_INCLUDE_DEPTH + 1}.inc is not read`);
    assert.equal(bodyRecords(zone).length, MAX_INCLUDE_DEPTH);
  });

  it('is a problem without loadFile', () => {
    const problem = onlyProblem(read(`${HEAD}$INCLUDE other.inc\n`, { origin: 'example.com' }));
    assert.equal(problem.message, '$INCLUDE other.inc is not read: the reader was given no way to load files');
  });

  it('reads includes from disk with readZoneFile, naming files as resolved', () => {
    const fixtures = fileURLToPath(new URL('../../../test/fixtures/zones-reader/', import.meta.url));
    const main = relative(process.cwd(), `${fixtures}include-main.zone`);
    const zone = readZoneFile(main);
    const dir = relative(process.cwd(), fixtures);
    assert.equal(zone.origin, 'example.com');
    assert.deepEqual(zone.problems.map((p) => `${p.location.file}:${p.location.line}:${p.location.column} ${p.message}`), [
      `${dir}/include-main.zone:11:10 cannot read $INCLUDE file ${dir}/inc/absent.inc: no such file`,
    ]);
    assert.deepEqual(zone.entries.filter((entry) => entry.location.file.endsWith('.inc')).map((entry) => `${entry.location.file}:${entry.location.line} ${entry.record.name} ${entry.record.type}`), [
      `${dir}/inc/mail.inc:2 example.com MX`,
      `${dir}/inc/mail.inc:3 mx1.example.com A`,
      `${dir}/inc/mail.inc:4 mx2.example.com A`,
    ]);
    assert.equal(zone.entries.at(-1)?.record.name, 'www.example.com');
  });

  it('refuses a device as include file', () => {
    const zone = readZoneFile(fileURLToPath(new URL('../../../test/fixtures/zones-reader/include-device.zone', import.meta.url)));
    assert.equal(onlyProblem(zone).message, 'cannot read $INCLUDE file /dev/zero: it is a character device, not a regular file');
  });

  it('knows a file by its identity, not its path: d/db is db again when d is a link to the folder', () => {
    const { loadFile, requested } = loader({ 'd/db': HEAD, 'd/other.inc': 'x A 192.0.2.1\n' }, { 'd/db': 'db' });
    const zone = readZoneText(`${HEAD}$INCLUDE d/db\n$INCLUDE d/other.inc\n`, { file: 'db', identity: 'db', origin: 'example.com', loadFile });
    assert.deepEqual(requested, ['d/db', 'd/other.inc']);
    assert.equal(onlyProblem(zone).message, '$INCLUDE loop: db → d/db');
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['x.example.com']);
  });

  it('stops a symbolic link loop on disk at once (d -> . including d/db twice)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlint-include-'));
    try {
      symlinkSync('.', join(dir, 'd'));
      writeFileSync(join(dir, 'db'), '$ORIGIN example.test.\n$TTL 300\n@ SOA ns hostmaster 1 2 3 4 5\n$INCLUDE d/db\n$INCLUDE d/db\n');
      const zone = readZoneFile(join(dir, 'db'));
      assert.deepEqual(zone.problems.map((p) => `${p.location.line} ${p.message}`), [
        `4 $INCLUDE loop: ${join(dir, 'db')} → ${join(dir, 'd/db')}`,
        `5 $INCLUDE loop: ${join(dir, 'db')} → ${join(dir, 'd/db')}`,
      ]);
      assert.deepEqual([...zone.sources.keys()], [join(dir, 'db')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`reads at most ${MAX_ZONE_FILES} files for a zone, however the includes fan out`, () => {
    // Every level includes the next ten times: 10^6 reads unbounded.
    const files: Record<string, string> = {};
    for (let level = 1; level <= 6; level += 1) files[`l${level}.inc`] = `l${level} A 192.0.2.1\n${`$INCLUDE l${level + 1}.inc\n`.repeat(10)}`;
    files['l7.inc'] = 'leaf A 192.0.2.2\n';
    const { loadFile, requested } = loader(files);
    const zone = readZoneText(`${HEAD}$INCLUDE l1.inc\n`, { file: 'main.zone', origin: 'example.com', loadFile });
    assert.equal(requested.length, MAX_ZONE_FILES - 1, 'the zone file counts too');
    assert.equal(zone.sources.size, 8);
    const unread = zone.problems.filter((p) => p.message.endsWith(`this zone has read ${MAX_ZONE_FILES} files already, the most mxlint reads for one zone`));
    assert.ok(unread.length > 0 && unread.length === zone.problems.length, zone.problems[0]?.message);
    assert.equal(unread[0]!.code, 'zone-syntax');
    assert.match(unread[0]!.message, /^\$INCLUDE l\d\.inc is not read: /);
  });

  it(`reads at most ${MAX_ZONE_BYTES / 2 ** 20} MiB for a zone, its files together`, () => {
    const comment = `; ${'x'.repeat(1021)}\n`;
    const third = comment.repeat(Math.ceil(MAX_ZONE_BYTES / 3 / comment.length));
    const { loadFile, requested } = loader({ 'big.inc': third });
    const zone = readZoneText(`${HEAD}$INCLUDE big.inc\n$INCLUDE big.inc\n$INCLUDE big.inc\nafter A 192.0.2.1\n`, { file: 'main.zone', origin: 'example.com', loadFile });
    assert.equal(requested.length, 3);
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'main.zone', line: 5, column: 10 });
    assert.equal(problem.message, `$INCLUDE big.inc is not read: with it this zone's files would hold more than ${MAX_ZONE_BYTES / 2 ** 20} MiB, the most mxlint reads for one zone`);
    assert.deepEqual(bodyRecords(zone).map((record) => record.name), ['after.example.com']);
  });

  it('hands the loader the room left, so a device or a huge file is never read past it', () => {
    const asked: number[] = [];
    const loadFile = (path: string, maxBytes: number): FileText => {
      asked.push(maxBytes);
      return { text: 'a A 192.0.2.1\n', identity: path };
    };
    const main = `${HEAD}$INCLUDE a.inc\n`;
    readZoneText(main, { file: 'main.zone', origin: 'example.com', loadFile });
    assert.deepEqual(asked, [MAX_ZONE_BYTES - main.length]);
  });
});

describe('bounds on what one zone holds', () => {
  it(`reads at most ${DEFAULT_MAX_ZONE_RECORDS} records, then says where it stopped`, () => {
    const lines = Array.from({ length: DEFAULT_MAX_ZONE_RECORDS + 10 }, (_, i) => `h${i} A 192.0.2.1`);
    const zone = read(`$TTL 60\n${lines.join('\n')}\n`, { origin: 'example.com' });
    assert.equal(zone.entries.length, DEFAULT_MAX_ZONE_RECORDS);
    const problem = onlyProblem(zone);
    assert.deepEqual(problem.location, { file: 'example.com.zone', line: DEFAULT_MAX_ZONE_RECORDS + 2, column: 1 });
    assert.equal(problem.message, `more than ${DEFAULT_MAX_ZONE_RECORDS} records, the most mxlint reads for one zone unless told: this record and the rest of the zone are not read or checked`);
  });

  it('maxRecords lowers or raises the bound on records', () => {
    const lines = Array.from({ length: DEFAULT_MAX_ZONE_RECORDS + 10 }, (_, i) => `h${i} A 192.0.2.1`);
    const raised = read(`$TTL 60\n${lines.join('\n')}\n`, { origin: 'example.com', maxRecords: DEFAULT_MAX_ZONE_RECORDS + 10 });
    assert.equal(raised.entries.length, DEFAULT_MAX_ZONE_RECORDS + 10);
    assert.deepEqual(raised.problems, []);
    const last = raised.entryAt(DEFAULT_MAX_ZONE_RECORDS + 9);
    assert.deepEqual([last.record.name, last.location, last.dataLocation, last.origin], [
      `h${DEFAULT_MAX_ZONE_RECORDS + 9}.example.com`,
      { file: 'example.com.zone', line: DEFAULT_MAX_ZONE_RECORDS + 11, column: 1 },
      { file: 'example.com.zone', line: DEFAULT_MAX_ZONE_RECORDS + 11, column: String(DEFAULT_MAX_ZONE_RECORDS + 9).length + 5 },
      'example.com',
    ], 'the places of the last record, long after the columns first grew');
    const lowered = read(`$TTL 60\n${lines.slice(0, 5).join('\n')}\n`, { origin: 'example.com', maxRecords: 3 });
    assert.equal(lowered.entries.length, 3);
    assert.equal(onlyProblem(lowered).message, 'more than 3 records, the most mxlint reads for one zone unless told: this record and the rest of the zone are not read or checked');
    assert.equal(onlyProblem(lowered).location.line, 5);
  });

  it('places past the narrow columns they are kept in: 70,000 characters into a line, data 300 lines after its entry starts', () => {
    const far = ' '.repeat(70_000);
    const zone = read(`${HEAD}a${far}TXT "x"\n${far}TXT "y"\nb TXT (${'\n'.repeat(300)}"z" )\nc TXT "w"\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    const places = zone.records.map((record, index) => {
      const { location, dataLocation } = zone.entryAt(index);
      return `${record.name} ${location.line}:${location.column} ${dataLocation.line}:${dataLocation.column}`;
    }).slice(1);
    assert.deepEqual(places, [
      'a.example.com 3:1 3:70006', 'a.example.com 4:70001 4:70005', 'b.example.com 5:1 305:1', 'c.example.com 306:1 306:7',
    ]);
  });

  it(`reports at most ${MAX_ZONE_PROBLEMS} problems, then stops reading`, () => {
    const zone = read(`${HEAD}${'bad\n'.repeat(MAX_ZONE_PROBLEMS + 50)}www A 192.0.2.1\n`, { origin: 'example.com' });
    assert.equal(zone.problems.length, MAX_ZONE_PROBLEMS + 1);
    assert.equal(zone.problems.at(-1)!.message, `more than ${MAX_ZONE_PROBLEMS} problems, the most mxlint reports for one zone: this one and the rest of the zone are not read`);
    assert.equal(zone.problems.at(-1)!.location.line, MAX_ZONE_PROBLEMS + 3);
    assert.equal(bodyRecords(zone).length, 0);
  });
});

describe('data written the same way is read once and shared', () => {
  it('records whose data is written alike under one origin share one data object; another origin, type or writing does not', () => {
    const zone = read([
      HEAD, 'a MX 10 mx1', 'b MX 10 mx1', 'c MX 10 mx1.', 'd MX 20 mx1', 'a TXT "v=spf1 -all"', 'b TXT "v=spf1 -all"',
      'c TXT "v=spf1" "-all"', 'd TXT v=spf1 -all', 'e TXT "ab" "c"', 'f TXT "a" "bc"', '$ORIGIN sub.example.com.', 'g MX 10 mx1', '',
    ].join('\n'), { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    const at = (owner: string, type: string) => zone.records.find((r) => r.name === owner && r.type === type)!;
    const data = (owner: string, type: string) => at(owner, type).data;
    assert.equal(data('b.example.com', 'MX'), data('a.example.com', 'MX'), 'one object');
    assert.deepEqual(data('b.example.com', 'MX'), { preference: 10, exchange: 'mx1.example.com' });
    assert.notEqual(data('c.example.com', 'MX'), data('a.example.com', 'MX'), 'mx1. is written otherwise, though it means the same name');
    assert.equal(zone.entryAt(zone.records.indexOf(at('b.example.com', 'MX'))).rdataNameRelative, true);
    assert.equal(zone.entryAt(zone.records.indexOf(at('c.example.com', 'MX'))).rdataNameRelative, false);
    assert.deepEqual(data('d.example.com', 'MX'), { preference: 20, exchange: 'mx1.example.com' });
    assert.deepEqual(data('g.sub.example.com', 'MX'), { preference: 10, exchange: 'mx1.sub.example.com' }, 'read under its own origin');
    assert.equal(data('b.example.com', 'TXT'), data('a.example.com', 'TXT'));
    const strings = (owner: string) => (data(owner, 'TXT') as Uint8Array[]).map((octets) => Buffer.from(octets).toString());
    assert.deepEqual(strings('c.example.com'), ['v=spf1', '-all']);
    assert.deepEqual(strings('d.example.com'), ['v=spf1', '-all']);
    assert.equal(zone.entryAt(zone.records.indexOf(at('c.example.com', 'TXT'))).rdataQuoted, true);
    assert.equal(zone.entryAt(zone.records.indexOf(at('d.example.com', 'TXT'))).rdataQuoted, false, 'unquoted: not the quoted record\'s data');
    assert.deepEqual([strings('e.example.com'), strings('f.example.com')], [['ab', 'c'], ['a', 'bc']]);
  });

  it(`keeps at most ${MAX_SHARED_RDATA} data texts, none longer than ${MAX_SHARED_RDATA_TEXT} characters; the records are read the same past them`, () => {
    const string = `"${'x'.repeat(Math.ceil((MAX_SHARED_RDATA_TEXT + 1) / 3))}"`;
    const long = [string, string, string].join(' ');
    const lines = Array.from({ length: MAX_SHARED_RDATA + 2 }, (_, i) => `h${i} TXT "t${i % (MAX_SHARED_RDATA + 1)}"`);
    const zone = read([HEAD, ...lines, `l1 TXT ${long}`, `l2 TXT ${long}`, ''].join('\n'), { origin: 'example.com' });
    assert.deepEqual(zone.problems, []);
    const txt = zone.records.filter((r) => r.type === 'TXT');
    assert.equal(txt.length, MAX_SHARED_RDATA + 4);
    txt.slice(0, MAX_SHARED_RDATA + 2).forEach((r, i) => assert.equal(Buffer.from((r.data as Uint8Array[])[0]!).toString(), `t${i % (MAX_SHARED_RDATA + 1)}`));
    assert.notEqual(txt.at(-1)!.data, txt.at(-2)!.data, 'too long to keep');
    assert.deepEqual(txt.at(-1)!.data, txt.at(-2)!.data);
  });
});

describe('files that are not zone files', () => {
  it('refuses a device at once, without reading it', () => {
    assert.throws(() => readZoneFile('/dev/zero'), new FileReadError('it is a character device, not a regular file', 'not-regular'));
  });

  it('refuses a FIFO at once, without waiting for a writer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlint-fifo-'));
    try {
      execFileSync('mkfifo', [join(dir, 'db')]);
      assert.throws(() => readZoneFile(join(dir, 'db')), new FileReadError('it is a FIFO (named pipe), not a regular file', 'not-regular'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a directory', () => {
    assert.throws(() => readZoneFile(tmpdir()), new FileReadError('it is a directory, not a regular file', 'not-regular'));
  });
});

describe('directives', () => {
  it('reports unknown, unsupported, misplaced and malformed directives', () => {
    const zone = read(`${HEAD}$FOO bar\n$GENERATE 1-10 host$ A 192.0.2.$\n  $TTL 5\n$TTL\n$TTL 5 6\n$ORIGIN a..b\n$ttl 1m\nwww A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(zone.problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`), [
      '3:1 unknown directive $FOO (known: $ORIGIN, $TTL, $INCLUDE)',
      '4:1 $GENERATE is not supported: the records it would make are not read or checked',
      '5:3 $TTL: a directive must start at the beginning of the line',
      '6:1 $TTL needs an argument: $TTL <ttl>',
      '7:8 unexpected "6" after $TTL: $TTL <ttl>',
      '8:9 $ORIGIN: "a..b" has an empty label',
    ]);
    assert.equal(bodyRecords(zone)[0]?.ttl, 60);
  });
});

describe('hostile input', () => {
  it('reports an overlong line once and reads the next one', () => {
    const zone = read(`${HEAD}a TXT ${'x'.repeat(MAX_ENTRY_LENGTH + 10)}\nb A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:3:1 zone-syntax']);
    assert.equal(bodyRecords(zone)[0]?.name, 'b.example.com');
  });

  it('an overlong entry whose parentheses closed on an earlier line is reported where it starts (found by the long fuzz)', () => {
    const zone = read(`${HEAD}a TXT ( "x"\n "y" ) ${'x'.repeat(MAX_ENTRY_LENGTH + 10)}\nb A 192.0.2.1\n`, { origin: 'example.com' });
    assert.deepEqual(problemSummary(zone), ['example.com.zone:3:1 zone-syntax']);
    assert.equal(bodyRecords(zone)[0]?.name, 'b.example.com');
  });

  it('reads binary garbage into problems, not exceptions', () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1');
    const zone = read(`${HEAD}${garbage}\nok A 192.0.2.1\n`, { origin: 'example.com' });
    assert.ok(zone.problems.length > 0);
    assert.equal(bodyRecords(zone).at(-1)?.name, 'ok.example.com');
  });

  it('stops after many unclosed parentheses instead of rescanning forever', () => {
    const zone = read(`${HEAD}${'a (\n'.repeat(200)}`, { origin: 'example.com' });
    assert.equal(zone.problems.length, 65);
    assert.equal(zone.problems.at(-1)?.message, '64 unclosed parentheses: the rest of the file is not read');
  });
});
