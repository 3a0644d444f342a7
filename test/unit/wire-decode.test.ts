/**
 * decodeResponse reads the common record types itself (one pass, no second decoder); dns-packet
 * decodes everything else. The two must agree to the last field: every message here, well-formed
 * or mutated at random, decodes the same both ways — or fails both ways.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import type { Answer, Packet } from 'dns-packet';
import { decodeResponse, decodeResponseWithDnsPacket, type ResponseDecoding } from '../../src/dns/message.js';
import { ipv6AsDnsPacketWrites } from '../../src/dns/rr/wire-reader.js';
import type { DnsRecord } from '../../src/dns/records.js';
import { canonicalName } from '../../src/dns/name.js';
import { seededRandom, type Random } from '../support/random.js';

const MESSAGES = 600;
const MUTATIONS_PER_MESSAGE = 20;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function label(random: Random): string {
  const alphabets = ['abcdefghijklmnopqrstuvwxyz0123456789-', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabc', 'bücher-ÄÖÜ_*'];
  const alphabet = pick(random, alphabets);
  return Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(random, [...alphabet])).join('');
}

function name(random: Random): string {
  if (random() < 0.05) return '.';
  return Array.from({ length: 1 + Math.floor(random() * 4) }, () => label(random)).join('.');
}

function ipv6(random: Random): string {
  // Runs of zero groups, where the text form's compression differs between libraries.
  return Array.from({ length: 8 }, () => (random() < 0.5 ? '0' : Math.floor(random() * 0x10000).toString(16))).join(':');
}

function record(random: Random): Answer {
  const base = { name: name(random), ttl: Math.floor(random() * 2 ** 31), class: 'IN' as const };
  switch (pick(random, ['A', 'AAAA', 'NS', 'CNAME', 'PTR', 'DNAME', 'MX', 'TXT', 'SOA', 'SRV', 'CAA'] as const)) {
    case 'A': return { ...base, type: 'A', data: Array.from({ length: 4 }, () => Math.floor(random() * 256)).join('.') };
    case 'AAAA': return { ...base, type: 'AAAA', data: ipv6(random) };
    case 'NS': return { ...base, type: 'NS', data: name(random) };
    case 'CNAME': return { ...base, type: 'CNAME', data: name(random) };
    case 'PTR': return { ...base, type: 'PTR', data: name(random) };
    case 'DNAME': return { ...base, type: 'DNAME', data: name(random) };
    case 'MX': return { ...base, type: 'MX', data: { preference: Math.floor(random() * 65536), exchange: name(random) } };
    case 'TXT': return { ...base, type: 'TXT', data: Array.from({ length: 1 + Math.floor(random() * 3) }, () => Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)))) };
    case 'SOA': return {
      ...base, type: 'SOA',
      data: { mname: name(random), rname: name(random), serial: Math.floor(random() * 2 ** 32), refresh: 7200, retry: 900, expire: 1209600, minimum: Math.floor(random() * 86400) },
    };
    case 'SRV': return { ...base, type: 'SRV', data: { priority: 1, weight: Math.floor(random() * 100), port: Math.floor(random() * 65536), target: name(random) } };
    case 'CAA': return { ...base, type: 'CAA', data: { flags: 0, tag: 'issue', value: 'ca.example' } };
  }
}

function message(random: Random): Buffer {
  const records = (): Answer[] => Array.from({ length: Math.floor(random() * 4) }, () => record(random));
  const packet: Packet = {
    type: 'response',
    id: Math.floor(random() * 65536),
    flags: Math.floor(random() * 0x10000) & 0x07ff,
    questions: [{ name: name(random), type: pick(random, ['A', 'AAAA', 'MX', 'TXT', 'SOA'] as const), class: 'IN' }],
    answers: records(),
    authorities: records(),
    additionals: [...records(), ...(random() < 0.7 ? [{
      type: 'OPT', name: '.', udpPayloadSize: 512 + Math.floor(random() * 4000), extendedRcode: random() < 0.2 ? 1 : 0, ednsVersion: 0,
      flags: random() < 0.5 ? dnsPacket.DNSSEC_OK : 0,
      options: random() < 0.5 ? [{ code: 15, data: Buffer.concat([Buffer.from([0, Math.floor(random() * 25)]), Buffer.from(label(random))]) }] : [],
    } as unknown as Answer] : [])],
  };
  return dnsPacket.encode(packet);
}

function mutate(bytes: Buffer, random: Random): Buffer {
  const copy = Buffer.from(bytes);
  const flips = 1 + Math.floor(random() * 3);
  for (let i = 0; i < flips; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
  return random() < 0.2 ? copy.subarray(0, Math.floor(random() * copy.length)) : copy;
}

/**
 * A name with the escapes of a "." or "\\" inside a label undone, as it comes out of dns-packet:
 * labels joined with "." whatever they hold, octets that are not UTF-8 (\\DDD) decoded as U+FFFD,
 * then made canonical (a last label "." is lost).
 */
function plainName(name: string): string {
  const pieces: Buffer[] = [];
  let last = 0;
  for (const escape of name.matchAll(/\\(\d{3}|[.\\])/g)) {
    pieces.push(Buffer.from(name.slice(last, escape.index)));
    const escaped = escape[1]!;
    pieces.push(escaped.length === 3 ? Buffer.from([Number(escaped)]) : Buffer.from(escaped));
    last = escape.index + escape[0].length;
  }
  pieces.push(Buffer.from(name.slice(last)));
  return canonicalName(Buffer.concat(pieces).toString('utf8'));
}

/** A record with every name in it (owner, RDATA names) as dns-packet writes it. */
function plainNames(record: DnsRecord): DnsRecord {
  const name = plainName(record.name);
  switch (record.type) {
    case 'CNAME': case 'DNAME': case 'NS': case 'PTR': return { ...record, name, data: plainName(record.data) };
    case 'MX': return { ...record, name, data: { ...record.data, exchange: plainName(record.data.exchange) } };
    case 'SOA': return { ...record, name, data: { ...record.data, mname: plainName(record.data.mname), rname: plainName(record.data.rname) } };
    case 'SRV': return { ...record, name, data: { ...record.data, target: plainName(record.data.target) } };
    default: return { ...record, name };
  }
}

/**
 * A decoded reply with its names as dns-packet writes them; decodeResponse escapes a "." or "\\"
 * inside a label (RFC 2181 §11). The question is the walk's in both decodings, and so is unescaped in both.
 */
function withoutLabelEscapes(decoding: ResponseDecoding, records: 'own' | 'reference'): ResponseDecoding {
  if (!decoding.ok) return decoding;
  const { response } = decoding;
  const plain = (list: DnsRecord[]): DnsRecord[] => (records === 'own' ? list.map(plainNames) : list);
  return {
    ok: true,
    response: {
      ...response,
      question: response.question && { ...response.question, name: plainName(response.question.name) },
      answers: plain(response.answers), authorities: plain(response.authorities), additionals: plain(response.additionals),
    },
  };
}

function agree(bytes: Buffer, what: string): 'ok' | 'failed' {
  const own = decodeResponse(bytes);
  const reference = decodeResponseWithDnsPacket(bytes);
  assert.deepEqual(withoutLabelEscapes(own, 'own'), withoutLabelEscapes(reference, 'reference'), `${what}: ${bytes.toString('hex')}`);
  return own.ok ? 'ok' : 'failed';
}

describe('decodeResponse agrees with dns-packet', () => {
  test(`${MESSAGES} random well-formed replies of every type it reads (and CAA, which it leaves to dns-packet)`, () => {
    const random = seededRandom(4);
    for (let i = 0; i < MESSAGES; i++) assert.equal(agree(message(random), `message ${i}`), 'ok');
  });

  test('an AAAA address is written as dns-packet writes it, for every pattern of zero groups', () => {
    const random = seededRandom(5);
    for (let zeros = 0; zeros < 256; zeros++) {
      for (const small of [false, true]) {
        const octets = Buffer.alloc(18);
        for (let group = 0; group < 8; group++) {
          if ((zeros >> group) & 1) continue;
          // Small groups too: a group of 0x0001–0x00ff must not read as zero, nor lose its digits.
          octets.writeUInt16BE(small ? 1 + Math.floor(random() * 0xff) : 1 + Math.floor(random() * 0xfffe), 2 + 2 * group);
        }
        assert.equal(ipv6AsDnsPacketWrites(octets, 2), dnsPacket.aaaa.decode(octets, 0), octets.toString('hex'));
      }
    }
  });

  test('a compressed reply: owner, exchange and SOA names through pointers, mixed case', () => {
    // Header, question "Mx.Example." MX, one MX answer whose owner points at the question and whose
    // exchange is "MAIL" + pointer, one SOA authority of pointers.
    const bytes = Buffer.from([
      0x12, 0x34, 0x84, 0x00, 0, 1, 0, 1, 0, 1, 0, 0,
      2, 0x4d, 0x78, 7, ...Buffer.from('Example'), 0, 0, 15, 0, 1,
      0xc0, 12, 0, 15, 0, 1, 0, 0, 0x0e, 0x10, 0, 9, 0, 10, 4, ...Buffer.from('MAIL'), 0xc0, 12,
      0xc0, 15, 0, 6, 0, 1, 0, 0, 0, 60, 0, 24, 0xc0, 41, 0xc0, 15, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5,
    ]);
    assert.equal(agree(bytes, 'compressed'), 'ok');
    const decoded = decodeResponse(bytes);
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.response.answers, [{ name: 'mx.example', ttl: 3600, type: 'MX', data: { preference: 10, exchange: 'mail.mx.example' } }]);
  });

  test(`${MESSAGES * MUTATIONS_PER_MESSAGE} mutations of them: the same answer or the same refusal`, () => {
    const random = seededRandom(44);
    const outcomes = { ok: 0, failed: 0 };
    for (let i = 0; i < MESSAGES; i++) {
      const bytes = message(random);
      for (let j = 0; j < MUTATIONS_PER_MESSAGE; j++) outcomes[agree(mutate(bytes, random), `message ${i} mutation ${j}`)]++;
    }
    // Both kinds must be well represented, or the test proves little.
    assert.ok(outcomes.ok > 500 && outcomes.failed > 500, JSON.stringify(outcomes));
  });
});
