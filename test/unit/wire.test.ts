/**
 * Unit tests of the DNS wire layer: queries as encodeQuery writes them, and replies decoded from
 * byte buffers built by hand here, well-formed and malformed. A malformed reply must come back as
 * { ok: false, reason } naming what was wrong, never as an exception. No socket is opened.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import {
  answersQuestion, decodeResponse, notAQueryResponse, DEFAULT_QUERY_FLAGS, describeExtendedError, EDNS_PAYLOAD_SIZE, encodeQuery, messageId,
} from '../../src/dns/message.js';
import type { QueryFlags } from '../../src/dns/message.js';

// ---------------------------------------------------------------------------------------------
// Byte builders

type Bytes = number[];

const T = { A: 1, NS: 2, CNAME: 5, SOA: 6, MX: 15, TXT: 16, AAAA: 28, OPT: 41 } as const;
const CLASS_IN = 1;
const CLASS_CH = 3;
const QR = 0x8000;
const AA = 0x0400;
const RD = 0x0100;
const RA = 0x0080;
const CD = 0x0010;

const u16 = (n: number): Bytes => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): Bytes => [...u16(Math.floor(n / 0x10000)), ...u16(n & 0xffff)];
const ascii = (text: string): Bytes => [...Buffer.from(text, 'latin1')];

/** A name in uncompressed wire form; "." is the root. */
function name(text: string): Bytes {
  if (text === '.') return [0];
  return [...text.split('.').flatMap((label) => [label.length, ...ascii(label)]), 0];
}

/** A compression pointer to `offset`. */
const ptr = (offset: number): Bytes => [0xc0 | (offset >> 8), offset & 0xff];

interface HeaderFields { id?: number; flags?: number; qd?: number; an?: number; ns?: number; ar?: number }

function header({ id = 0x1234, flags = QR | RD | RA, qd = 1, an = 0, ns = 0, ar = 0 }: HeaderFields = {}): Bytes {
  return [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), ...u16(ns), ...u16(ar)];
}

function question(qname: Bytes, type: number, klass = CLASS_IN): Bytes {
  return [...qname, ...u16(type), ...u16(klass)];
}

/** A resource record; `rdlength` defaults to the true length of `rdata`. */
function rr(owner: Bytes, type: number, rdata: Bytes, { ttl = 3600, klass = CLASS_IN, rdlength = rdata.length } = {}): Bytes {
  return [...owner, ...u16(type), ...u16(klass), ...u32(ttl), ...u16(rdlength), ...rdata];
}

/** An EDNS option (code, data). */
const option = (code: number, data: Bytes): Bytes => [...u16(code), ...u16(data.length), ...data];
const ede = (code: number, text = ''): Bytes => option(15, [...u16(code), ...ascii(text)]);

function opt({ payload = 1232, extendedRcode = 0, version = 0, flags = 0, options = [] as Bytes } = {}): Bytes {
  return [0, ...u16(T.OPT), ...u16(payload), extendedRcode, version, ...u16(flags), ...u16(options.length), ...options];
}

const message = (...parts: Bytes[]): Buffer => Buffer.from(parts.flat());

/** The question "example.com MX" right after the header: its name starts at offset 12. */
const QUESTION_MX = question(name('example.com'), T.MX);
const AT_QNAME = ptr(12);
/** MX 10 mail.example.com, the exchange compressed against the question name. */
const MX_10_MAIL = [...u16(10), ...name('mail').slice(0, -1), ...AT_QNAME];

function decodeOk(buf: Uint8Array) {
  const decoded = decodeResponse(buf);
  if (!decoded.ok) assert.fail(`expected a decoded reply, got: ${decoded.reason}`);
  return decoded.response;
}

// ---------------------------------------------------------------------------------------------

describe('encodeQuery', () => {
  test('writes the exact query: id, RD, one question, an OPT with payload 1232', () => {
    const expected = message(
      header({ id: 0xbeef, flags: RD, qd: 1, ar: 1 }),
      question(name('example.com'), T.MX),
      [0, ...u16(T.OPT), ...u16(1232), 0, 0, ...u16(0), ...u16(0)],
    );
    assert.equal(EDNS_PAYLOAD_SIZE, 1232);
    assert.deepEqual(encodeQuery(0xbeef, { name: 'example.com', type: 'MX' }, DEFAULT_QUERY_FLAGS), expected);
  });

  const cases: { flags: QueryFlags; header: number; ednsFlags: number }[] = [
    { flags: { recursionDesired: true, dnssecOk: false, checkingDisabled: false }, header: RD, ednsFlags: 0 },
    { flags: { recursionDesired: false, dnssecOk: false, checkingDisabled: false }, header: 0, ednsFlags: 0 },
    { flags: { recursionDesired: true, dnssecOk: true, checkingDisabled: false }, header: RD, ednsFlags: 0x8000 },
    { flags: { recursionDesired: true, dnssecOk: false, checkingDisabled: true }, header: RD | CD, ednsFlags: 0 },
    { flags: { recursionDesired: false, dnssecOk: true, checkingDisabled: true }, header: CD, ednsFlags: 0x8000 },
  ];
  for (const c of cases) {
    test(`RD=${+c.flags.recursionDesired} DO=${+c.flags.dnssecOk} CD=${+c.flags.checkingDisabled}`, () => {
      const query = encodeQuery(7, { name: 'mx1.example.com', type: 'AAAA' }, c.flags);
      assert.equal(query.readUInt16BE(0), 7);
      assert.equal(query.readUInt16BE(2), c.header, 'header flags');
      const optStart = 12 + name('mx1.example.com').length + 4;
      assert.equal(query.readUInt16BE(optStart + 1), T.OPT);
      assert.equal(query.readUInt16BE(optStart + 3), 1232, 'EDNS payload size');
      assert.equal(query.readUInt16BE(optStart + 7), c.ednsFlags, 'EDNS flags (DO)');
      assert.equal(query.length, optStart + 11);
    });
  }

  test('writes the question as dns-packet does, for the root, ASCII and UTF-8 labels', () => {
    for (const qname of ['.', 'a', 'example.com', 'mx1.mail.example.co.uk', 'bücher.example', `${'x'.repeat(63)}.${'€'.repeat(21)}.example`]) {
      const reference = dnsPacket.encode({ type: 'query', id: 9, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: qname === '.' ? '.' : qname }],
        additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_PAYLOAD_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] });
      assert.deepEqual(encodeQuery(9, { name: qname, type: 'A' }, DEFAULT_QUERY_FLAGS), reference, qname);
    }
  });

  test('the id is the message id', () => {
    assert.equal(messageId(encodeQuery(0xffff, { name: 'example.com', type: 'A' }, DEFAULT_QUERY_FLAGS)), 0xffff);
    assert.equal(messageId(Buffer.from([0x12])), null);
  });
});

describe('decodeResponse: well-formed replies', () => {
  test('an MX answer with compressed names and an OPT record', () => {
    const response = decodeOk(message(
      header({ flags: QR | AA | RD | RA, an: 1, ar: 1 }),
      QUESTION_MX,
      rr(AT_QNAME, T.MX, MX_10_MAIL),
      opt(),
    ));
    assert.deepEqual(response, {
      id: 0x1234,
      rcode: 'NOERROR',
      flags: { aa: true, tc: false, rd: true, ra: true, ad: false, cd: false },
      question: { name: 'example.com', type: 'MX', class: CLASS_IN },
      answers: [{ name: 'example.com', type: 'MX', ttl: 3600, data: { preference: 10, exchange: 'mail.example.com' } }],
      authorities: [],
      additionals: [],
      edns: { payloadSize: 1232, dnssecOk: false, errors: [] },
    });
  });

  test('A, AAAA and TXT records; names in lower case', () => {
    const response = decodeOk(message(
      header({ an: 3 }),
      question(name('Mail.Example.COM'), T.A),
      rr(ptr(12), T.A, [185, 199, 108, 153], { ttl: 60 }),
      rr(ptr(12), T.AAAA, [0x2a, 0x01, 0x04, 0xf8, ...Array<number>(11).fill(0), 1]),
      rr(ptr(12), T.TXT, [5, ...ascii('hello'), 3, ...ascii('abc')]),
    ));
    assert.deepEqual(response.question, { name: 'mail.example.com', type: 'A', class: CLASS_IN });
    assert.deepEqual(response.answers.slice(0, 2), [
      { name: 'mail.example.com', type: 'A', ttl: 60, data: '185.199.108.153' },
      { name: 'mail.example.com', type: 'AAAA', ttl: 3600, data: '2a01:4f8::1' },
    ]);
    const txt = response.answers[2]!;
    assert.equal(txt.type, 'TXT');
    assert.deepEqual(txt.type === 'TXT' ? txt.data.map((s) => Buffer.from(s).toString()) : null, ['hello', 'abc']);
    assert.equal(response.edns, null);
  });

  test('NXDOMAIN with the SOA in the authority section', () => {
    const soa = [...name('ns1.example.com'), ...name('hostmaster.example.com'), ...u32(2024010101), ...u32(7200), ...u32(900), ...u32(1209600), ...u32(300)];
    const response = decodeOk(message(header({ flags: QR | AA | RD | RA | 3, ns: 1 }), QUESTION_MX, rr(name('example.com'), T.SOA, soa, { ttl: 3600 })));
    assert.equal(response.rcode, 'NXDOMAIN');
    assert.deepEqual(response.authorities, [{
      name: 'example.com', type: 'SOA', ttl: 3600,
      data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 2024010101, refresh: 7200, retry: 900, expire: 1209600, minimum: 300 },
    }]);
  });

  test('a name of exactly 255 octets is accepted', () => {
    const longest = [63, 63, 63, 61].map((n, i) => String.fromCharCode(97 + i).repeat(n)).join('.');
    assert.equal(name(longest).length, 255);
    assert.deepEqual(decodeOk(message(header(), question(name(longest), T.A))).question, { name: longest, type: 'A', class: CLASS_IN });
  });

  // RFC 2181 §11: a label may hold any octet. A "." in one is written "\." (and a "\" as "\\"), as in
  // presentation form, so the text can never be taken for a label boundary.
  test('a label holding a "." or a "\\": escaped in the text, the name kept whole', () => {
    const exchange = [4, ...ascii('mx.1'), 7, ...ascii('example'), 0];
    const response = decodeOk(message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, [...u16(10), ...exchange])));
    assert.deepEqual(response.answers, [{ name: 'example.com', type: 'MX', ttl: 3600, data: { preference: 10, exchange: 'mx\\.1.example' } }]);
    const backslash = decodeOk(message(header(), question([3, ...ascii('a\\b'), 1, ...ascii('.'), 3, ...ascii('com'), 0], T.A)));
    assert.equal(backslash.question?.name, 'a\\\\b.\\..com');
    const utf8 = decodeOk(message(header(), question([6, ...Buffer.from('bü.ch'), 3, ...ascii('com'), 0], T.A)));
    assert.equal(utf8.question?.name, 'bü\\.ch.com');
     // Before: U+FFFD stood for an octet that is not UTF-8, hiding it and naming another label.
    const notUtf8 = decodeOk(message(header(), question([5, ...ascii('mx'), 0xff, ...ascii('.x'), 2, 0xc3, 0xbc, 3, ...ascii('com'), 0], T.A)));
    assert.equal(notUtf8.question?.name, 'mx\\255\\.x.\u00fc.com');
  });

  test('owners with a "." in a label keep their escape when dns-packet decodes the rest (a type read only by it)', () => {
    const owner = [3, ...ascii('a.b'), ...ptr(12)];
    const caa = [0, 5, ...ascii('issue'), ...ascii('ca.example')];
    const response = decodeOk(message(header({ an: 2 }), QUESTION_MX, rr(owner, 257, caa), rr(AT_QNAME, T.MX, MX_10_MAIL)));
    assert.deepEqual(response.answers.map((r) => `${r.name} ${r.type}`), ['a\\.b.example.com CAA', 'example.com MX']);
  });

  test('a Uint8Array that is not a Buffer is read the same', () => {
    const buf = message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, MX_10_MAIL));
    const copy = new Uint8Array(buf.length + 4).subarray(2, 2 + buf.length);
    copy.set(buf);
    assert.deepEqual(decodeOk(copy), decodeOk(buf));
  });
});

describe('decodeResponse: malformed replies come back as a reason', () => {
  const good = { mx: rr(AT_QNAME, T.MX, MX_10_MAIL) };
  const cases: { name: string; buf: Buffer; reason: string }[] = [
    { name: 'a truncated header', buf: Buffer.from([0x12, 0x34, 0x81]), reason: 'message of 3 octets is shorter than a DNS header' },
    { name: 'an empty message', buf: Buffer.alloc(0), reason: 'message of 0 octets is shorter than a DNS header' },
    { name: 'a question cut off after its name', buf: message(header(), name('example.com'), [0]), reason: 'message ends inside the question type and class' },
    { name: 'a count of 2 answers with 1 present', buf: message(header({ an: 2 }), QUESTION_MX, good.mx), reason: 'message ends inside the answer record owner' },
    { name: 'a count of 1 authority with none present', buf: message(header({ an: 1, ns: 1 }), QUESTION_MX, good.mx), reason: 'message ends inside the authority record owner' },
    { name: 'a record header cut short', buf: message(header({ an: 1 }), QUESTION_MX, AT_QNAME, u16(T.MX), u16(CLASS_IN)), reason: 'message ends inside the answer record header' },
    { name: 'trailing bytes after the last record', buf: message(header({ an: 1 }), QUESTION_MX, good.mx, [0, 0, 0]), reason: '3 octets follow the last record the header counts announce' },
    { name: 'class CH (a version.bind answer)', buf: message(header({ an: 1 }), question(name('version.bind'), T.TXT, CLASS_CH), rr(ptr(12), T.TXT, [4, ...ascii('9.18')], { klass: CLASS_CH })),
      reason: 'answer record of type 16 has class 3, not IN' },
    { name: 'MX RDATA of 2 octets: no exchange', buf: message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, u16(10))), reason: 'MX RDATA of 2 octets has no exchange' },
    { name: 'MX RDLENGTH too short: the exchange runs past it', buf: message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, MX_10_MAIL, { rdlength: 6 })),
      reason: 'message ends inside the MX RDATA name' },
    { name: 'MX RDLENGTH too long: bytes after the exchange', buf: message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, [...MX_10_MAIL, 0, 0])),
      reason: 'MX RDATA does not match its RDLENGTH of 11' },
    { name: 'MX RDLENGTH beyond the end of the message', buf: message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, MX_10_MAIL, { rdlength: 20 })),
      reason: 'message ends inside the RDATA of 20 octets' },
    { name: 'A RDATA of 5 octets', buf: message(header({ an: 1 }), question(name('example.com'), T.A), rr(ptr(12), T.A, [192, 0, 2, 1, 0])), reason: 'A RDATA does not match its RDLENGTH of 5' },
    { name: 'AAAA RDATA of 4 octets', buf: message(header({ an: 1 }), question(name('example.com'), T.AAAA), rr(ptr(12), T.AAAA, [192, 0, 2, 1])), reason: 'AAAA RDATA does not match its RDLENGTH of 4' },
    { name: 'TXT whose string overflows RDLENGTH', buf: message(header({ an: 1 }), question(name('example.com'), T.TXT), rr(ptr(12), T.TXT, [10, ...ascii('hell')]), ascii('o, wo')),
      reason: 'TXT RDATA does not match its RDLENGTH of 5' },
    { name: 'TXT with no string at all', buf: message(header({ an: 1 }), question(name('example.com'), T.TXT), rr(ptr(12), T.TXT, [])), reason: 'TXT RDATA is empty' },
    { name: 'CNAME RDLENGTH longer than its name', buf: message(header({ an: 1 }), question(name('www.example.com'), T.A), rr(ptr(12), T.CNAME, [...name('example.net'), 0])),
      reason: 'name RDATA does not match its RDLENGTH of 14' },
    { name: 'SOA without its timing fields', buf: message(header({ ns: 1 }), QUESTION_MX, rr(AT_QNAME, T.SOA, [...name('ns1.example.com'), ...name('h.example.com'), ...u32(1)])),
      reason: 'SOA RDATA does not match its RDLENGTH of 36' },
    { name: 'a compression pointer loop', buf: message(header(), [1, ...ascii('a'), ...ptr(12)], u16(T.A), u16(CLASS_IN)),
      reason: 'question name has a compression pointer that does not point backwards' },
    { name: 'a pointer to itself', buf: message(header(), ptr(12), u16(T.A), u16(CLASS_IN)),
      reason: 'question name has a compression pointer that does not point backwards' },
    { name: 'a forward pointer', buf: message(header({ an: 1 }), QUESTION_MX, rr(ptr(40), T.MX, MX_10_MAIL)),
      reason: 'answer record owner has a compression pointer that does not point backwards' },
    { name: 'a forward pointer inside MX RDATA', buf: message(header({ an: 1 }), QUESTION_MX, rr(AT_QNAME, T.MX, [...u16(10), ...ptr(60)])),
      reason: 'MX RDATA name has a compression pointer that does not point backwards' },
    { name: 'a pointer beyond the message', buf: message(header(), ptr(0x3fff), u16(T.A), u16(CLASS_IN)),
      reason: 'question name has a compression pointer that does not point backwards' },
    { name: 'a name longer than 255 octets', buf: message(header(), question(name(Array.from({ length: 5 }, () => 'x'.repeat(63)).join('.')), T.A)),
      reason: 'question name is longer than 255 octets' },
    { name: 'a name longer than 255 octets through a pointer', buf: message(
      header({ an: 1 }), question(name(['a', 'b', 'c'].map((c) => c.repeat(63)).join('.')), T.A),
      rr([63, ...ascii('d'.repeat(63)), ...ptr(12)], T.A, [192, 0, 2, 1])),
    reason: 'answer record owner is longer than 255 octets' },
    { name: 'more than 127 pointer hops, each one backwards', buf: (() => {
      // An opaque record whose RDATA is 130 pointers, each to the one before, the first to the root
      // question name at offset 12; the next record's owner points at the last of them.
      const rdataStart = 12 + 5 + 1 + 10;
      const hops = Array.from({ length: 130 }, (_, i) => ptr(i === 0 ? 12 : rdataStart + 2 * (i - 1))).flat();
      return message(header({ an: 2 }), question(name('.'), T.A), rr(name('.'), 65280, hops), rr(ptr(rdataStart + 2 * 129), T.A, [192, 0, 2, 1]));
    })(), reason: 'answer record owner has too many compression pointers' },
    { name: 'a label of the reserved 0x40 kind', buf: message(header(), [0x41, 0, 0, 0], u16(T.A), u16(CLASS_IN)), reason: 'question name has a label of unknown kind 0x40' },
    { name: 'a label running past the end', buf: message(header(), [10, ...ascii('exam')]), reason: 'message ends inside the question name' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      let decoded: ReturnType<typeof decodeResponse> | undefined;
      assert.doesNotThrow(() => { decoded = decodeResponse(c.buf); });
      assert.deepEqual(decoded, { ok: false, reason: c.reason });
    });
  }

  // The OPT record's own RDATA and its placement are left to dns-packet, which trusts them.
  const optCases: { name: string; buf: Buffer; says: RegExp }[] = [
    { name: 'an EDNS option longer than the OPT RDATA', buf: message(header({ ar: 1 }), QUESTION_MX, [0, ...u16(T.OPT), ...u16(1232), 0, 0, 0, 0, ...u16(6), ...u16(15), ...u16(20), 0, 18]),
      says: /OPT|option/ },
    { name: 'an EDNS option header cut short', buf: message(header({ ar: 1 }), QUESTION_MX, [0, ...u16(T.OPT), ...u16(1232), 0, 0, 0, 0, ...u16(3), 0, 15, 0]),
      says: /OPT|option/ },
    { name: 'two OPT records (RFC 6891 §6.1.1)', buf: message(header({ ar: 2 }), QUESTION_MX, opt(), opt()), says: /OPT/ },
    { name: 'an OPT record whose owner is not the root (RFC 6891 §6.1.2)', buf: message(header({ ar: 1 }), QUESTION_MX, [...ptr(12), ...opt().slice(1)]), says: /OPT/ },
  ];
  for (const c of optCases) {
    test(c.name, () => {
      const decoded = decodeResponse(c.buf);
      assert.equal(decoded.ok, false, `accepted: ${JSON.stringify(decoded)}`);
      if (!decoded.ok) assert.match(decoded.reason, c.says);
    });
  }
});

describe('EDNS in replies', () => {
  const reply = (optRecord: Bytes, rcode = 0): Buffer => message(header({ flags: QR | RD | RA | rcode, ar: 1 }), QUESTION_MX, optRecord);

  test('Extended DNS Errors are decoded: code and text, in order', () => {
    const response = decodeOk(reply(opt({ options: [...ede(18, 'blocked by policy'), ...option(10, [1, 2, 3, 4, 5, 6, 7, 8]), ...ede(6)] }), 2));
    assert.equal(response.rcode, 'SERVFAIL');
    assert.deepEqual(response.edns?.errors, [{ code: 18, text: 'blocked by policy' }, { code: 6, text: '' }]);
  });

  test('the DO bit and the payload size are reported', () => {
    assert.deepEqual(decodeOk(reply(opt({ payload: 4096, flags: 0x8000 }))).edns, { payloadSize: 4096, dnssecOk: true, errors: [] });
  });

  test('an EDE option too short for its INFO-CODE reads as code -1', () => {
    assert.deepEqual(decodeOk(reply(opt({ options: option(15, [7]) }))).edns?.errors, [{ code: -1, text: '' }]);
  });

  test('the OPT extended rcode bits are applied to the header rcode', () => {
    assert.equal(decodeOk(reply(opt({ extendedRcode: 0 }), 3)).rcode, 'NXDOMAIN');
    const badvers = decodeOk(reply(opt({ extendedRcode: 1 }), 0)).rcode;
    assert.notEqual(badvers, 'NOERROR');
    assert.match(badvers, /16|BADVERS/);
  });

  test('extended rcode 16 is named BADVERS', () => {
    assert.equal(decodeOk(reply(opt({ extendedRcode: 1 }), 0)).rcode, 'BADVERS');
  });

  const described: [code: number, text: string, description: string][] = [
    [18, 'blocked by policy', 'EDE 18 (Prohibited) "blocked by policy"'],
    [6, '', 'EDE 6 (DNSSEC Bogus)'],
    [0, 'x', 'EDE 0 (Other Error) "x"'],
    [22, '', 'EDE 22 (No Reachable Authority)'],
    [24, '', 'EDE 24 (Invalid Data)'],
    [99, '', 'EDE 99'],
    [-1, '', 'EDE -1'],
  ];
  for (const [code, text, description] of described) {
    test(`describeExtendedError: ${description}`, () => assert.equal(describeExtendedError({ code, text }), description));
  }
});

describe('answersQuestion', () => {
  const response = decodeOk(message(header({ an: 1 }), question(name('Example.COM'), T.MX), rr(ptr(12), T.MX, [...u16(10), ...name('mail.example.com')])));
  const cases: [name: string, type: string, answers: boolean][] = [
    ['example.com', 'MX', true],
    ['EXAMPLE.com.', 'mx', true],
    ['example.com', 'TYPE15', true],
    ['example.com', 'A', false],
    ['www.example.com', 'MX', false],
  ];
  for (const [qname, type, answers] of cases) {
    test(`${qname} ${type}: ${answers}`, () => assert.equal(answersQuestion(response, { name: qname, type }), answers));
  }
  test('a reply whose question is of class CH answers no question of ours (RFC 5452 §9.1)', () => {
    const chaos = decodeOk(message(header(), question(name('example.com'), T.MX, 3)));
    assert.equal(chaos.question?.class, 3);
    assert.equal(answersQuestion(chaos, { name: 'example.com', type: 'MX' }), false);
  });
});

describe('notAQueryResponse', () => {
  const cases: [what: string, flags: number, refused: boolean][] = [
    ['QR set, opcode QUERY', QR | RD | RA, false],
    ['QR clear: a query', RD, true],
    ['QR set, opcode IQUERY (1)', QR | (1 << 11), true],
    ['QR set, opcode STATUS (2)', QR | (2 << 11), true],
    ['QR set, opcode UPDATE (5)', QR | (5 << 11), true],
  ];
  for (const [what, flags, refused] of cases) {
    test(`${what}: ${refused}`, () => assert.equal(notAQueryResponse(Uint8Array.from(message(header({ flags }), question(name('example.com'), T.MX)))), refused));
  }
  test('too short to say: left to the decoder', () => assert.equal(notAQueryResponse(Uint8Array.from([0x12, 0x34])), false));
});
