/**
 * The record codecs of src/dns/rr/, one per interpreted type: each wire reader on good RDATA and on
 * RDATA its RDLENGTH disagrees with, in a DNS message and as RFC 3597 generic data; the same record
 * through every form (presentation, generic, the server's encoding, the resolver's decoding); and
 * the one table of type numbers. The presentation parsers' problems are tested with the zone reader.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { decodeResponse, decodeResponseWithDnsPacket } from '../../src/dns/message.js';
import { KNOWN_RECORD_TYPES, type DnsRecord, type KnownRecordType } from '../../src/dns/records.js';
import { codecForCode, CODECS, decodeGenericRdata } from '../../src/dns/rr/index.js';
import { packetTypeCode, packetTypeName, recordToPacket } from '../../src/dns/rr/packet.js';
import { hasMnemonic, rrtypeCode, rrtypeName } from '../../src/dns/rr/types.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number): number[] => [...u16(Math.floor(n / 0x10000)), ...u16(n & 0xffff)];
const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];
const name = (text: string): number[] => [...text.split('.').flatMap((label) => [label.length, ...ascii(label)]), 0];

interface RdataProblem {
  rdata: number[];
  /** The reason decodeResponse gives for a reply holding it; absent for the types left to dns-packet. */
  inMessage?: string;
  /** The problem the zone reader reports for it written as `\#` data. */
  generic: string;
}

interface CodecCase {
  type: KnownRecordType;
  /** The data as written in a zone file, after the type. */
  presentation: string;
  rdata: number[];
  short: RdataProblem;
  /** Absent where an octet more is still well formed (TLSA's and CAA's last field runs to the end). */
  long?: RdataProblem;
}

const SOA_RDATA = [...name('ns1.example.com'), ...name('hostmaster.example.com'), ...u32(2024010101), ...u32(7200), ...u32(900), ...u32(1209600), ...u32(300)];
const MX_RDATA = [...u16(10), ...name('mail.example.com')];
const SRV_RDATA = [...u16(0), ...u16(5), ...u16(587), ...name('mail.example.com')];

const CASES: CodecCase[] = [
  {
    type: 'A', presentation: '192.0.2.25', rdata: [192, 0, 2, 25],
    short: { rdata: [192, 0, 2], inMessage: 'A RDATA does not match its RDLENGTH of 3', generic: 'A data: the data ends before the address' },
    long: { rdata: [192, 0, 2, 25, 0], inMessage: 'A RDATA does not match its RDLENGTH of 5', generic: 'A data has octets left over after the last field' },
  },
  {
    type: 'AAAA', presentation: '2001:db8::25', rdata: [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 0x25],
    short: { rdata: [0x20, 0x01, 0x0d, 0xb8], inMessage: 'AAAA RDATA does not match its RDLENGTH of 4', generic: 'AAAA data: the data ends before the address' },
    long: {
      rdata: [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 0x25, 0],
      inMessage: 'AAAA RDATA does not match its RDLENGTH of 17', generic: 'AAAA data has octets left over after the last field',
    },
  },
  ...(['CNAME', 'DNAME', 'NS', 'PTR'] as const).map((type): CodecCase => {
    const field = { CNAME: 'canonical name', DNAME: 'target', NS: 'name server', PTR: 'target' }[type];
    return {
      type, presentation: 'mail.example.com.', rdata: name('mail.example.com'),
      short: { rdata: name('mail.example.com').slice(0, -1), inMessage: 'message ends inside the name RDATA name', generic: `${type} data: the data ends before the ${field}` },
      long: { rdata: [...name('mail.example.com'), 0], inMessage: 'name RDATA does not match its RDLENGTH of 19', generic: `${type} data has octets left over after the last field` },
    };
  }),
  {
    type: 'MX', presentation: '10 mail.example.com.', rdata: MX_RDATA,
    short: { rdata: u16(10), inMessage: 'MX RDATA of 2 octets has no exchange', generic: 'MX data: the data ends before the exchange' },
    long: { rdata: [...MX_RDATA, 0], inMessage: 'MX RDATA does not match its RDLENGTH of 21', generic: 'MX data has octets left over after the last field' },
  },
  {
    type: 'TXT', presentation: '"v=spf1 -all" "x"', rdata: [11, ...ascii('v=spf1 -all'), 1, ...ascii('x')],
    short: { rdata: [11, ...ascii('v=spf1 -all'), 1], inMessage: 'TXT RDATA does not match its RDLENGTH of 13', generic: 'TXT data: the data ends before the string' },
    // An octet more is an empty string more, well formed; a length octet promising more than there is is not.
    long: { rdata: [11, ...ascii('v=spf1 -all'), 1, ...ascii('x'), 2, 0], inMessage: 'TXT RDATA does not match its RDLENGTH of 16', generic: 'TXT data: the data ends before the string' },
  },
  {
    type: 'SOA', presentation: 'ns1.example.com. hostmaster.example.com. 2024010101 7200 900 1209600 300', rdata: SOA_RDATA,
    short: { rdata: SOA_RDATA.slice(0, -1), inMessage: 'SOA RDATA does not match its RDLENGTH of 60', generic: 'SOA data: the data ends before the minimum' },
    long: { rdata: [...SOA_RDATA, 0], inMessage: 'SOA RDATA does not match its RDLENGTH of 62', generic: 'SOA data has octets left over after the last field' },
  },
  {
    type: 'SRV', presentation: '0 5 587 mail.example.com.', rdata: SRV_RDATA,
    short: { rdata: SRV_RDATA.slice(0, 6), inMessage: 'SRV RDATA of 6 octets has no target', generic: 'SRV data: the data ends before the target' },
    long: { rdata: [...SRV_RDATA, 0], inMessage: 'SRV RDATA does not match its RDLENGTH of 25', generic: 'SRV data has octets left over after the last field' },
  },
  {
    type: 'TLSA', presentation: '3 1 1 abcdef0123', rdata: [3, 1, 1, 0xab, 0xcd, 0xef, 0x01, 0x23],
    short: { rdata: [3, 1], generic: 'TLSA data: the data ends before the matching type' },
  },
  {
    type: 'CAA', presentation: '0 issue "ca.example"', rdata: [0, 5, ...ascii('issue'), ...ascii('ca.example')],
    short: { rdata: [0, 5, ...ascii('iss')], generic: 'CAA data: the data ends before the tag' },
  },
];

/** A reply to "example.com <type>" whose one answer has this RDATA, RDLENGTH its true length. */
function reply(type: number, rdata: number[]): Buffer {
  const header = [...u16(0x1234), ...u16(0x8180), ...u16(1), ...u16(1), ...u16(0), ...u16(0)];
  const question = [...name('example.com'), ...u16(type), ...u16(1)];
  const answer = [0xc0, 12, ...u16(type), ...u16(1), ...u32(3600), ...u16(rdata.length), ...rdata];
  return Buffer.from([...header, ...question, ...answer]);
}

function hex(rdata: number[]): string {
  return Buffer.from(rdata).toString('hex');
}

/** The zone's records after its SOA; `lines` are written below the origin example.com. */
function zoneRecords(lines: string[]): { records: DnsRecord[]; problems: string[] } {
  const zone = readZoneText(`$TTL 3600\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n${lines.join('\n')}\n`, { file: 'example.com.zone', origin: 'example.com' });
  return { records: zone.entries.slice(1).map((entry) => entry.record), problems: zone.problems.map((problem) => problem.message) };
}

/** Octets as hex, so data compares equal whether it came as a Buffer (a view of a reply) or a Uint8Array. */
function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return `hex:${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(comparable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, comparable(field)]));
  return value;
}

for (const c of CASES) {
  const codec = CODECS[c.type];
  describe(`${c.type} (${codec.rfc})`, () => {
    const written = zoneRecords([`@ ${c.type} ${c.presentation}`]);

    test('presentation form and RFC 3597 generic form read to the same data', () => {
      const generic = zoneRecords([`@ ${c.type} \\# ${c.rdata.length} ${hex(c.rdata)}`, `@ TYPE${codec.code} \\# ${c.rdata.length} ${hex(c.rdata)}`]);
      assert.deepEqual(written.problems, []);
      assert.deepEqual(generic.problems, []);
      assert.equal(written.records.length, 1);
      assert.deepEqual(generic.records, [written.records[0], written.records[0]]);
    });

    test('generic data one field short, and with an octet left over, is refused with what is wrong', () => {
      const octets = Uint8Array.from(c.short.rdata);
      assert.deepEqual(decodeGenericRdata(c.type, octets), { ok: false, reason: c.short.generic });
      if (c.long) assert.deepEqual(decodeGenericRdata(c.type, Uint8Array.from(c.long.rdata)), { ok: false, reason: c.long.generic });
      assert.deepEqual(zoneRecords([`@ ${c.type} \\# ${octets.length} ${hex(c.short.rdata)}`]).problems, [c.short.generic]);
    });

    test('the server encodes it and the resolver reads it back, itself and through dns-packet alike', () => {
      const record = { ...written.records[0]!, name: 'example.com' } as DnsRecord;
      const packet: Packet = {
        type: 'response', id: 1, flags: dnsPacket.AUTHORITATIVE_ANSWER,
        questions: [{ name: 'example.com', type: c.type, class: 'IN' }], answers: [recordToPacket(record)],
      };
      const bytes = dnsPacket.encode(packet);
      for (const decoded of [decodeResponse(bytes), decodeResponseWithDnsPacket(bytes)]) {
        assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason);
        assert.deepEqual(comparable(decoded.response.answers), comparable([record]));
      }
    });

    test(codec.readInMessages ? 'in a reply: the RDATA as sent, read to the same data' : 'in a reply: left to dns-packet, as before the codecs', () => {
      const decoded = decodeResponse(reply(codec.code, c.rdata));
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.reason);
      assert.deepEqual(comparable(decoded.response.answers), comparable([{ ...written.records[0], name: 'example.com' }]));
      assert.deepEqual(decoded, decodeResponseWithDnsPacket(reply(codec.code, c.rdata)));
    });

    if (codec.readInMessages) {
      test('in a reply: RDATA one field short, or longer than its data, makes the reply malformed', () => {
        assert.deepEqual(decodeResponse(reply(codec.code, c.short.rdata)), { ok: false, reason: c.short.inMessage });
        if (c.long) assert.deepEqual(decodeResponse(reply(codec.code, c.long.rdata)), { ok: false, reason: c.long.inMessage });
      });
    }
  });
}

test('a name in generic data is not compressed (RFC 3597 §4); in a reply it may be', () => {
  const compressed = [...u16(10), 4, ...ascii('mail'), 0xc0, 12];
  assert.deepEqual(decodeGenericRdata('MX', Uint8Array.from(compressed)), {
    ok: false, reason: 'MX data: the exchange has a label of length 192 (a compression pointer or garbage)',
  });
  const decoded = decodeResponse(reply(15, compressed));
  assert.ok(decoded.ok);
  assert.deepEqual(decoded.response.answers[0]?.data, { preference: 10, exchange: 'mail.example.com' });
});

describe('one table of record types', () => {
  test('every interpreted type has exactly one codec, its number from the registry', () => {
    assert.deepEqual(Object.keys(CODECS).sort(), [...KNOWN_RECORD_TYPES].sort());
    for (const type of KNOWN_RECORD_TYPES) {
      const codec = CODECS[type];
      assert.equal(codec.type, type);
      assert.equal(codec.code, rrtypeCode(type));
      assert.equal(rrtypeName(codec.code), type);
      assert.equal(codecForCode(codec.code), codec);
      assert.match(codec.rfc, /^RFC \d+/);
    }
  });

  test('number ↔ mnemonic round-trips for every type number; codecs answer for theirs only', () => {
    const codes = new Set(Object.values(CODECS).map((codec) => codec.code));
    const mismatches: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const mnemonic = rrtypeName(code);
      if (rrtypeCode(mnemonic) !== code || rrtypeCode(mnemonic.toLowerCase()) !== code) mismatches.push(`${code} ${mnemonic}`);
      if (!hasMnemonic(code) && mnemonic !== `TYPE${code}`) mismatches.push(`${code} ${mnemonic} without a mnemonic`);
      if ((codecForCode(code) !== undefined) !== codes.has(code)) mismatches.push(`${code} codec`);
    }
    assert.deepEqual(mismatches, []);
    assert.equal(rrtypeCode('TYPE65536'), undefined);
    assert.equal(rrtypeCode('NOTATYPE'), undefined);
  });

  test("dns-packet's names, at its border only, name the same numbers as the registry", () => {
    const mismatches: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const packetName = packetTypeName(code);
      if (packetTypeCode(packetName) !== code) mismatches.push(`${code} ${packetName}`);
      if (!packetName.startsWith('UNKNOWN_') && rrtypeCode(packetName) !== code) mismatches.push(`${code} ${packetName} in the registry`);
    }
    assert.deepEqual(mismatches, []);
  });

  test('no other module of src/ maps an interpreted type to its number, and only rr/packet.ts reads dns-packet\'s table', () => {
    const registry = join('src', 'dns', 'rr', 'types.ts');
    const border = join('src', 'dns', 'rr', 'packet.ts');
    const offenders: string[] = [];
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const path = relative(ROOT, file);
      const text = readFileSync(file, 'utf8');
      if (path !== border && text.includes('dns-packet/types')) offenders.push(`${path}: dns-packet/types`);
      if (path === registry) continue;
      for (const codec of Object.values(CODECS)) {
        const table = new RegExp(`(?<![A-Za-z0-9])(?:TYPE_)?${codec.type}['"]?\\s*[:,=]\\s*${codec.code}(?![0-9])`);
        if (table.test(text)) offenders.push(`${path}: ${codec.type} = ${codec.code}`);
      }
    }
    assert.deepEqual(offenders, []);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
