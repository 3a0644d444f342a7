/**
 * Text from DNS, files, servers and input lines never drives the terminal: every format, made as
 * the CLI makes it (createReporter), writes control, C1 and bidirectional characters as `\DDD`
 * (text-like formats, XML) or as JSON `\uXXXX` escapes with the exact text kept (JSON formats);
 * octets that are not UTF-8 come out of TXT records and MTA-STS policies as `\DDD`, never U+FFFD.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeUtf8Escaped, escapeUntrusted, firstNonUtf8Octet, terminalSafeJson } from '../../src/core/escape.js';
import type { DomainResult } from '../../src/engine/result.js';
import { txtToString } from '../../src/dns/records.js';
import { readMtaStsPolicy } from '../../src/families/mta-sts/record.js';
import { parseDmarcRecord } from '../../src/families/dmarc/record.js';
import { lookUpSpfRecord } from '../../src/facts/spf/lookup.js';
import { parseSpfRecord } from '../../src/facts/spf/record.js';
import { zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';
import { createReporter, FORMAT_NAMES } from '../../src/report/formats.js';
import { excerpt } from '../../src/report/source-excerpt.js';
import { escapeStrings } from '../../src/report/untrusted.js';
import { tlsFailureReason } from '../../src/tls/openssl-error.js';
import { renderRun } from '../support/render.js';

/** What must never reach the terminal: every control character but the line feed, C1, bidirectional controls, line separators. */
const DRIVES_TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/u;
const OSC_TITLE = '\u001b]0;title\u0007\u001b[2J';
const RECORD = `v=spf1 ${OSC_TITLE} -all`;
const BIDI = 'x\u202egnp.exe \u2066y\u2069 \u009b31m \u200f\u2028end';

const hostile: DomainResult = {
  input: `evil${OSC_TITLE}.example`, domain: 'evil.example', canonical: 'evil.example', status: 'fail', durationMs: 2,
  mx: [{ preference: 10, exchange: `mx\u001b[31m.evil.example`, addresses: [{ address: '185.199.108.25', family: 4 }], cname: [`alias${BIDI}`] }],
  spf: { state: 'found', record: RECORD, lookups: 0, voidLookups: 0, includes: [], evaluations: [] },
  dmarc: { state: 'found', name: '_dmarc.evil.example', inherited: false, records: [`v=DMARC1; p=none; x=${BIDI}`], policy: 'none', rua: [], ruf: [] },
  dkim: {
    domainkey: 'exists',
    selectors: [{ selector: 's1', name: 's1._domainkey.evil.example', source: 'given', state: 'nxdomain', cname: [`key${OSC_TITLE}.esp.example`] }],
  },
  findings: [
    { rule: 'spf-syntax', messageId: 'test', severity: 'error', rfc: 'RFC 7208 §4.6', message: `The SPF record "${RECORD}" is broken.`, fix: `fix ${BIDI}`, target: `t${OSC_TITLE}` },
    { rule: 'zone-syntax', messageId: 'test', severity: 'warning', rfc: 'RFC 1035 §5.1', message: 'a\r\nb', fix: 'fix it',
      location: { file: `zones/db${OSC_TITLE}`, line: 1, column: 9 } },
  ],
};
const sources = new Map([[`zones/db${OSC_TITLE}`, `@ TXT "\u001b[2J\u202e"\n`]]);

describe('escapeUntrusted: what could drive a terminal as \\DDD, as dig writes it', () => {
  it('C0 controls, DEL, C1, bidirectional controls and line separators; the UTF-8 octets of each', () => {
    assert.equal(escapeUntrusted(OSC_TITLE), '\\027]0;title\\007\\027[2J');
    assert.equal(escapeUntrusted('a\tb\nc\rd\u007f'), 'a\\009b\\010c\\013d\\127');
    assert.equal(escapeUntrusted('\u009b\u202e\u2066\u200f\u061c\u2028'), '\\194\\155\\226\\128\\174\\226\\129\\166\\226\\128\\143\\216\\156\\226\\128\\168');
  });

  it('printable text stays as it is: IDN, emoji, quotes and backslashes', () => {
    const text = 'Bücher.example 例え.テスト 📫 "quoted" back\\slash \\027 already escaped';
    assert.equal(escapeUntrusted(text), text);
    assert.equal(escapeUntrusted(escapeUntrusted(BIDI)), escapeUntrusted(BIDI), 'escaping twice is escaping once');
  });

  it('JSON: the same characters as \\uXXXX escapes, the value unchanged', () => {
    const json = terminalSafeJson(JSON.stringify({ text: `${RECORD} ${BIDI}` }));
    assert.doesNotMatch(json, DRIVES_TERMINAL);
    assert.deepEqual(JSON.parse(json), { text: `${RECORD} ${BIDI}` });
  });
});

describe('octets that are not UTF-8 come out as \\DDD, in one place', () => {
  const octets = (...parts: (string | number[])[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

  it('valid UTF-8 is kept exactly, controls included', () => {
    assert.equal(decodeUtf8Escaped(octets('caf\u00e9 \u001b 📫')), 'caf\u00e9 \u001b 📫');
    assert.equal(firstNonUtf8Octet(octets('caf\u00e9')), -1);
  });

  it('each octet outside a valid sequence: lone, overlong, surrogate, above U+10FFFF, cut short', () => {
    assert.equal(decodeUtf8Escaped(octets('a', [0x80], 'b')), 'a\\128b');
    assert.equal(decodeUtf8Escaped(octets([0xc0, 0x80])), '\\192\\128');
    assert.equal(decodeUtf8Escaped(octets([0xed, 0xa0, 0x80])), '\\237\\160\\128');
    assert.equal(decodeUtf8Escaped(octets([0xf4, 0x90, 0x80, 0x80])), '\\244\\144\\128\\128');
    assert.equal(decodeUtf8Escaped(octets('caf', [0xe9], ' \u00e9 ', [0xe2, 0x82])), 'caf\\233 \u00e9 \\226\\130');
    assert.equal(firstNonUtf8Octet(octets('caf', [0xe9])), 3);
  });

  it('TXT records: the character-strings joined, invalid octets as \\DDD; SPF still reads octets as latin1', () => {
    const data = [octets('v=DMARC1; p=none; x=', [0xff]), octets(' caf\u00e9')];
    assert.equal(txtToString(data), 'v=DMARC1; p=none; x=\\255 caf\u00e9');
    assert.equal(txtToString(data, 'latin1'), 'v=DMARC1; p=none; x=\u00ff caf\u00c3\u00a9');
  });

  it('an SPF record: shown exactly (UTF-8 kept, other octets as \\DDD) while its reader still names the octet', async () => {
    // Before: the record was shown as read for its reader, latin1: 0xff 0xfe as "ÿþ", "café" as "cafÃ©".
    const source = zoneSource(zoneRecords(`${zoneApex('spf.test')}@ TXT "v=spf1 ip4:192.0.2.2 \\255\\254 -all"\nu TXT "v=spf1 exp=caf\\195\\169 -all"\n`
      + 'two TXT "v=spf1 \\255 -all"\ntwo TXT "v=spf1 -all"\n'));
    const found = await lookUpSpfRecord(source, 'spf.test');
    assert.equal(found.state === 'found' && found.text, 'v=spf1 ip4:192.0.2.2 \\255\\254 -all');
    const parse = found.state === 'found' ? parseSpfRecord(found.raw) : null;
    assert.equal(parse?.ok === false && parse.reason, 'the character 0xff at position 22 is not printable ASCII: SPF records are 7-bit text');
    const utf8 = await lookUpSpfRecord(source, 'u.spf.test');
    assert.equal(utf8.state === 'found' && utf8.text, 'v=spf1 exp=caf\u00e9 -all');
    const two = await lookUpSpfRecord(source, 'two.spf.test');
    assert.deepEqual(two.state === 'multiple' && [...two.texts].sort(), ['v=spf1 -all', 'v=spf1 \\255 -all']);
  });

  it('an MTA-STS policy: octets that are not UTF-8 as \\DDD, a gzip body said to be one', () => {
    const latin1 = readMtaStsPolicy(octets('version: STSv1\nx: caf', [0xe9], '\n'));
    assert.match(latin1.text, /x: caf\\233\n$/);
    assert.deepEqual(latin1.policy.problems.slice(0, 1), ['line 2 holds octets that are not UTF-8']);
    const gzip = readMtaStsPolicy(octets([0x1f, 0x8b, 0x08, 0x00, 0x1b, 0x9b], 'version: STSv1\n'));
    assert.equal(gzip.policy.usable, false);
    assert.deepEqual(gzip.policy.problems, ['the body is gzip-compressed data (it starts with the octets 1f 8b), not the policy as text']);
    assert.ok(gzip.text.startsWith('\u001f\\139\b\u0000\u001b\\155'), 'the control octets are UTF-8 and stay; the others are escaped');
  });
});

describe('every format, as the CLI makes it, keeps hostile text off the terminal', () => {
  for (const format of FORMAT_NAMES) {
    it(`${format}: nothing that drives a terminal`, () => {
      const out = renderRun(createReporter(format, { color: false, quiet: false, width: 60, sources }), [hostile]);
      const found = DRIVES_TERMINAL.exec(out);
      assert.equal(found, null, `${format} wrote U+${found?.[0]?.codePointAt(0)?.toString(16)}:\n${out}`);
      assert.doesNotMatch(out, /\ufffd/);
    });
  }

  it('text shows what was there, escaped: the record, the input, the finding, the source line with its caret', () => {
    const out = renderRun(createReporter('text', { color: false, quiet: false, width: null, sources }), [hostile]);
    assert.match(out, /^evil\\027\]0;title\\007\\027\[2J\.example \(evil\.example\)/m);
    assert.match(out, /^ {2}SPF v=spf1 \\027\]0;title\\007\\027\[2J -all /m);
    assert.match(out, /^ {2}DKIM s1: ✗ alias of key\\027\]0;title\\007\\027\[2J\.esp\.example, which does not exist /m);
    assert.match(out, /spf-syntax: The SPF record "v=spf1 \\027\]0;title\\007\\027\[2J -all" is broken\.$/m);
    assert.match(out, /fix: fix x\\226\\128\\174gnp\.exe /);
    assert.match(out, /^zones\/db\\027\]0;title\\007\\027\[2J:1:9: warning zone-syntax: a\\013\\010b$/m);
    assert.match(out, /^ {2}1 \| @ TXT "\\027\[2J\\226\\128\\174"$/m);
    assert.match(out, /^ {4}\| {12}\^$/m, 'the caret under the "[" after the escape, the escape counted as written');
  });

  it('JSON formats keep the exact text: parsed, the result is the one checked', () => {
    const [json] = JSON.parse(renderRun(createReporter('json', { color: false, quiet: false, width: null }), [hostile])) as DomainResult[];
    assert.deepEqual(json, hostile);
    const line = renderRun(createReporter('jsonl', { color: false, quiet: false, width: null }), [hostile]);
    assert.deepEqual(JSON.parse(line), hostile);
    const sarif = JSON.parse(renderRun(createReporter('sarif', { color: false, quiet: false, width: null }), [hostile]));
    assert.equal(sarif.runs[0].results[0].properties.target, `t${OSC_TITLE}`);
  });

  it('text-like formats get a result with nothing to escape as it is, and an escaped copy of one with a control anywhere, a key too', () => {
    const clean = { ...hostile, input: 'clean.example', mx: [], spf: undefined, dmarc: undefined, dkim: undefined, findings: [] };
    assert.equal(escapeStrings(clean), clean);
    const deep = { ...clean, zone: { file: 'db', origin: 'example', notAsked: ['a.example', `b${BIDI}`] } };
    assert.deepEqual(escapeStrings(deep).zone.notAsked, ['a.example', escapeUntrusted(`b${BIDI}`)]);
    assert.equal(deep.zone.notAsked[1], `b${BIDI}`, 'the result given is not changed');
    const key = { ...clean, extra: { [`k${OSC_TITLE}`]: 1 } };
    assert.deepEqual(Object.keys(escapeStrings(key).extra), [escapeUntrusted(`k${OSC_TITLE}`)]);
    const control = { ...clean, input: 'a\nb\tc', extra: { [`k\\u`]: ['\u0085'] } };
    assert.deepEqual(escapeStrings(control), { ...control, input: 'a\\010b\\009c', extra: { [`k\\u`]: ['\\194\\133'] } }, 'JSON writes \\n and \\t as escapes: found all the same');
  });

  it('a source line keeps its tabs; the caret counts an escape as the characters it is written with', () => {
    assert.deepEqual(excerpt('\tab\u001bc', { file: 'f', line: 7, column: 5 }), ['  7 | \tab\\027c', '    | \t      ^']);
  });
});

describe('OpenSSL errors in one line', () => {
  it('the reasons, without the error queue, file names and line breaks', () => {
    const error = new Error('write EPROTO 80ECA28D0A7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n');
    assert.equal(tlsFailureReason(error), 'wrong version number');
    assert.equal(tlsFailureReason(new Error('a\nb\r\n c')), 'a b c');
  });
});

describe('an octet kept as \\DDD is not read as text a record may hold', () => {
  it('a report URI with one is refused, as the octet was before (a backslash is no URI character)', () => {
    const record = parseDmarcRecord(txtToString([Buffer.concat([Buffer.from('v=DMARC1; p=reject; rua=mailto:a'), Buffer.from([0xe9]), Buffer.from('@example.com')])]));
    assert.deepEqual(record.rua, []);
    assert.match(record.problems.join('; '), /"mailto:a\\233@example\.com" holds characters no URI can hold/);
    assert.match(parseDmarcRecord('v=DMARC1; p=reject; rua=mailto:a\\b@example.com').problems.join('; '), /holds characters no URI can hold/);
  });
});
