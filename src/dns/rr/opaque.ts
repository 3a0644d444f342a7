/**
 * Wire-format RDATA for record types mxlint keeps but does not interpret (OpaqueRecord), from their
 * presentation form. Only types whose fields are simple (numbers, names, strings, hex, base64, type
 * lists) are encoded here; the caller decides what to do with the others.
 */
import { Fields, readBase64, readCharacterString, readHex, readNameToken, readOctets, readUint } from '../zone-file/fields.js';
import type { Token } from '../zone-file/lexer.js';
import { nameToWire, type DomainName } from '../zone-file/names.js';
import { syntaxProblem } from '../zone-file/problem.js';
import { MAX_UINT32 } from '../zone-file/ttl.js';
import { rrtypeCode } from './types.js';

type FieldEncoder = (fields: Fields, origin: DomainName) => Uint8Array;

function bigEndian(value: number, octets: number): Uint8Array {
  const out = new Uint8Array(octets);
  for (let i = octets - 1, rest = value; i >= 0; i -= 1, rest = Math.floor(rest / 256)) out[i] = rest % 256;
  return out;
}

function withLength(octets: Uint8Array): Uint8Array {
  return Buffer.concat([Uint8Array.of(octets.length), octets]);
}

const uint = (octets: 1 | 2 | 4, what: string): FieldEncoder => {
  const max = octets === 4 ? MAX_UINT32 : 2 ** (8 * octets) - 1;
  return (fields) => bigEndian(readUint(fields.plain(what), max, what), octets);
};
const u8 = (what: string) => uint(1, what);
const u16 = (what: string) => uint(2, what);
const u32 = (what: string) => uint(4, what);

const name = (what: string): FieldEncoder => (fields, origin) => nameToWire(readNameToken(fields.plain(what), origin, what).name);
const string = (what: string): FieldEncoder => (fields) => withLength(readCharacterString(fields.next(what), what));
const strings = (what: string): FieldEncoder => (fields) =>
  Buffer.concat(fields.rest(what).map((token) => withLength(readCharacterString(token, what))));
const hex = (what: string): FieldEncoder => (fields) => readHex(fields.rest(what), what);
const base64 = (what: string): FieldEncoder => (fields) => readBase64(fields.rest(what), what);
/** A string that runs to the end of the RDATA, without a length octet (URI target, RFC 7553 §4.5). */
const finalString = (what: string): FieldEncoder => (fields) => readOctets(fields.next(what), what);

const rrtype = (what: string): FieldEncoder => (fields) => bigEndian(readType(fields.plain(what), what), 2);

function readType(token: Token, what: string): number {
  const number = rrtypeCode(token.text);
  if (number === undefined) throw syntaxProblem(`${what} "${token.text}" is not a record type`, token.location);
  return number;
}

/** RFC 4034 §3.2: YYYYMMDDHHmmSS in UTC, or seconds since the epoch; stored modulo 2^32. */
const time = (what: string): FieldEncoder => (fields) => {
  const token = fields.plain(what);
  const stamp = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(token.text);
  if (stamp === null) return bigEndian(readUint(token, MAX_UINT32, what), 4);
  const [year, month, day, hour, minute, second] = stamp.slice(1).map(Number) as [number, number, number, number, number, number];
  const seconds = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  return bigEndian(((seconds % 2 ** 32) + 2 ** 32) % 2 ** 32, 4);
};

/** RFC 4034 §4.1.2: the types present, as window blocks of bit maps. Zero or more type fields. */
const typeBitmap = (what: string): FieldEncoder => (fields) => {
  const types = new Set<number>();
  while (fields.remaining > 0) types.add(readType(fields.plain(what), what));
  const windows = new Map<number, Uint8Array>();
  for (const type of [...types].sort((a, b) => a - b)) {
    const window = windows.get(type >> 8) ?? new Uint8Array(32);
    window[(type & 0xff) >> 3]! |= 0x80 >> (type & 7);
    windows.set(type >> 8, window);
  }
  const blocks = [...windows].map(([number, bits]) => {
    const length = bits.findLastIndex((octet) => octet !== 0) + 1;
    return Buffer.concat([Uint8Array.of(number, length), bits.subarray(0, length)]);
  });
  return Buffer.concat(blocks);
};

/** RFC 5155 §3.3: hex with a length octet, "-" for none. */
const salt = (what: string): FieldEncoder => (fields) => {
  const token = fields.plain(what);
  return withLength(token.text === '-' ? new Uint8Array(0) : readHex([token], what));
};

const BASE32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** RFC 5155 §3.3: the next hashed owner in base32hex without padding, with a length octet. */
const hashedName = (what: string): FieldEncoder => (fields) => {
  const token = fields.plain(what);
  const out: number[] = [];
  let bits = 0;
  let buffer = 0;
  for (const char of token.text.toUpperCase()) {
    const value = BASE32HEX.indexOf(char);
    if (value === -1) throw syntaxProblem(`${what} "${token.text}" is not base32hex`, token.location);
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return withLength(Uint8Array.from(out));
};

const DS_FIELDS = [u16('key tag'), u8('algorithm'), u8('digest type'), hex('digest')];
const KEY_FIELDS = [u16('flags'), u8('protocol'), u8('algorithm'), base64('public key')];
const SIG_FIELDS = [
  rrtype('type covered'), u8('algorithm'), u8('labels'), u32('original TTL'), time('signature expiration'),
  time('signature inception'), u16('key tag'), name('signer'), base64('signature'),
];

const SCHEMAS: ReadonlyMap<string, FieldEncoder[]> = new Map([
  ['HINFO', [string('CPU'), string('OS')]],
  ['MB', [name('mailbox host')]],
  ['MG', [name('mail group member')]],
  ['MR', [name('new mailbox')]],
  ['MINFO', [name('responsible mailbox'), name('error mailbox')]],
  ['RP', [name('mailbox'), name('TXT owner')]],
  ['AFSDB', [u16('subtype'), name('host')]],
  ['X25', [string('PSDN address')]],
  ['RT', [u16('preference'), name('intermediate host')]],
  ['KX', [u16('preference'), name('exchanger')]],
  ['NAPTR', [u16('order'), u16('preference'), string('flags'), string('services'), string('regexp'), name('replacement')]],
  ['SSHFP', [u8('algorithm'), u8('fingerprint type'), hex('fingerprint')]],
  ['DS', DS_FIELDS],
  ['CDS', DS_FIELDS],
  ['TA', DS_FIELDS],
  ['DLV', DS_FIELDS],
  ['KEY', KEY_FIELDS],
  ['DNSKEY', KEY_FIELDS],
  ['CDNSKEY', KEY_FIELDS],
  ['SIG', SIG_FIELDS],
  ['RRSIG', SIG_FIELDS],
  ['NSEC', [name('next owner'), typeBitmap('type')]],
  ['NSEC3', [u8('hash algorithm'), u8('flags'), u16('iterations'), salt('salt'), hashedName('next hashed owner'), typeBitmap('type')]],
  ['NSEC3PARAM', [u8('hash algorithm'), u8('flags'), u16('iterations'), salt('salt')]],
  ['DHCID', [base64('digest')]],
  ['OPENPGPKEY', [base64('public key')]],
  ['SMIMEA', [u8('certificate usage'), u8('selector'), u8('matching type'), hex('certificate association data')]],
  ['CSYNC', [u32('SOA serial'), u16('flags'), typeBitmap('type')]],
  ['ZONEMD', [u32('serial'), u8('scheme'), u8('hash algorithm'), hex('digest')]],
  ['SPF', [strings('text')]],
  ['URI', [u16('priority'), u16('weight'), finalString('target')]],
]);

/** Wire RDATA for `mnemonic` written in presentation form, or undefined when the type is not encoded here. */
export function encodeOpaqueRdata(mnemonic: string, fields: Fields, origin: DomainName): Uint8Array | undefined {
  const schema = SCHEMAS.get(mnemonic);
  if (schema === undefined) return undefined;
  return Uint8Array.from(Buffer.concat(schema.map((encode) => encode(fields, origin))));
}
