import type { CaaData, KnownRecordType, MxData, RecordDataByType, SoaData, SrvData, TlsaData } from '../records.js';
import { isIpv4, isIpv6, normalizeIpv6 } from './addresses.js';
import { Fields, readCharacterString, readDurationToken, readHex, readNameToken, readOctets, readUint } from './fields.js';
import type { Token } from './lexer.js';
import { nameToText, type DomainName } from './names.js';
import { EntryProblem, syntaxProblem } from './problem.js';
import { MAX_UINT32 } from './ttl.js';

const MAX_UINT8 = 0xff;
const MAX_UINT16 = 0xffff;
/** RFC 1035 §3.2.1: RDLENGTH is 16 bits. */
export const MAX_RDATA_OCTETS = 0xffff;

export interface RdataContext {
  origin: DomainName;
  /** The owner's full name, for messages. */
  ownerName: string;
  /** The owner as written on the line (its full name when inherited), for messages that show the fix. */
  ownerWritten: string;
}

export interface ParsedData<T> {
  data: T;
  /** The name inside the data was written without a trailing dot. */
  nameRelative: boolean;
}

type TypedParser<T extends KnownRecordType> = (fields: Fields, context: RdataContext) => ParsedData<RecordDataByType[T]>;

/** Presentation-form readers of the types mxlint interprets; each leaves extra fields to the caller. */
export const TYPED_PARSERS: { [T in KnownRecordType]: TypedParser<T> } = {
  A: (fields) => ({ data: readIpv4Token(fields.plain('address')), nameRelative: false }),
  AAAA: (fields) => ({ data: readIpv6Token(fields.plain('address')), nameRelative: false }),
  CNAME: (fields, context) => readTarget(fields, context, 'canonical name'),
  DNAME: (fields, context) => readTarget(fields, context, 'target'),
  NS: (fields, context) => readTarget(fields, context, 'name server'),
  PTR: (fields, context) => readTarget(fields, context, 'target'),
  MX: readMx,
  TXT: (fields) => ({ data: readTxt(fields.rest('text')), nameRelative: false }),
  SOA: readSoa,
  SRV: readSrv,
  TLSA: (fields) => ({ data: readTlsa(fields), nameRelative: false }),
  CAA: (fields) => ({ data: readCaa(fields), nameRelative: false }),
};

function readIpv4Token(token: Token): string {
  if (!isIpv4(token.text)) throw syntaxProblem(`"${token.text}" is not an IPv4 address (four decimal numbers 0–255, as in 192.0.2.1)`, token.location);
  return token.text;
}

function readIpv6Token(token: Token): string {
  if (!isIpv6(token.text)) throw syntaxProblem(`"${token.text}" is not an IPv6 address`, token.location);
  return normalizeIpv6(token.text);
}

function readTarget(fields: Fields, context: RdataContext, what: string): ParsedData<string> {
  const target = readNameToken(fields.plain(what), context.origin, `${fields.typeName} ${what}`);
  return { data: nameToText(target.name), nameRelative: target.relative };
}

const INTEGER = /^-?\d+$/;

function readMx(fields: Fields, context: RdataContext): ParsedData<MxData> {
  const only = fields.remaining === 1 ? fields.peek() : undefined;
  if (only !== undefined && !INTEGER.test(only.text)) {
    throw new EntryProblem(
      'mx-preference-missing',
      `MX record for ${context.ownerName} has no preference: write \`${context.ownerWritten} MX 10 ${only.text}\``,
      only.location,
    );
  }
  const preference = readMxPreference(fields.plain('preference'), context);
  const exchange = readNameToken(fields.plain('exchange'), context.origin, 'MX exchange');
  return { data: { preference, exchange: nameToText(exchange.name) }, nameRelative: exchange.relative };
}

function readMxPreference(token: Token, context: RdataContext): number {
  if (INTEGER.test(token.text) && (token.text.startsWith('-') || BigInt(token.text) > BigInt(MAX_UINT16))) {
    const wrapped = token.text.startsWith('-') ? '' : ` (some servers silently wrap it to ${BigInt(token.text) % 65536n})`;
    throw new EntryProblem(
      'mx-preference-range',
      `MX preference ${token.text} for ${context.ownerName} is outside 0–65535${wrapped}`,
      token.location,
    );
  }
  return readUint(token, MAX_UINT16, 'MX preference');
}

function readTxt(tokens: Token[]): Uint8Array[] {
  const strings: Uint8Array[] = [];
  let length = 0;
  for (const token of tokens) {
    const octets = readCharacterString(token, 'TXT string');
    length += octets.length + 1;
    if (length > MAX_RDATA_OCTETS) {
      throw syntaxProblem(`TXT data is longer than ${MAX_RDATA_OCTETS} octets, the most a record holds`, token.location);
    }
    strings.push(octets);
  }
  return strings;
}

function readSoa(fields: Fields, context: RdataContext): ParsedData<SoaData> {
  const mname = readNameToken(fields.plain('primary name server'), context.origin, 'SOA primary name server');
  const rname = readNameToken(fields.plain('responsible mailbox'), context.origin, 'SOA responsible mailbox');
  const serial = readUint(fields.plain('serial'), MAX_UINT32, 'SOA serial');
  const timer = (what: string) => readDurationToken(fields.plain(what), `SOA ${what}`, MAX_UINT32);
  const data = {
    mname: nameToText(mname.name),
    rname: nameToText(rname.name),
    serial,
    refresh: timer('refresh'),
    retry: timer('retry'),
    expire: timer('expire'),
    minimum: timer('minimum'),
  };
  return { data, nameRelative: mname.relative };
}

function readSrv(fields: Fields, context: RdataContext): ParsedData<SrvData> {
  const priority = readUint(fields.plain('priority'), MAX_UINT16, 'SRV priority');
  const weight = readUint(fields.plain('weight'), MAX_UINT16, 'SRV weight');
  const port = readUint(fields.plain('port'), MAX_UINT16, 'SRV port');
  const target = readNameToken(fields.plain('target'), context.origin, 'SRV target');
  return { data: { priority, weight, port, target: nameToText(target.name) }, nameRelative: target.relative };
}

function readTlsa(fields: Fields): TlsaData {
  return {
    usage: readUint(fields.plain('certificate usage'), MAX_UINT8, 'TLSA certificate usage'),
    selector: readUint(fields.plain('selector'), MAX_UINT8, 'TLSA selector'),
    matchingType: readUint(fields.plain('matching type'), MAX_UINT8, 'TLSA matching type'),
    certificate: readHex(fields.rest('certificate association data'), 'TLSA certificate association data'),
  };
}

/** RFC 8659 §4.1: the tag is letters and digits; matching it is case-insensitive, so it is kept lower-case. */
const CAA_TAG = /^[a-z0-9]+$/i;

function readCaa(fields: Fields): CaaData {
  const flags = readUint(fields.plain('flags'), MAX_UINT8, 'CAA flags');
  const tagToken = fields.plain('tag');
  if (!CAA_TAG.test(tagToken.text) || tagToken.text.length > MAX_UINT8) {
    throw syntaxProblem(`CAA tag "${tagToken.text}" is not letters and digits`, tagToken.location);
  }
  const value = readOctets(fields.next('value'), 'CAA value');
  return { flags, tag: tagToken.text.toLowerCase(), value: Buffer.from(value).toString('utf8') };
}
