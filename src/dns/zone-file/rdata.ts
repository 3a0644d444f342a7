import { isKnownRecordType, type KnownRecordType, type RecordDataByType } from '../records.js';
import { CODECS, decodeGenericRdata, type RdataContext } from '../rr/index.js';
import { encodeOpaqueRdata } from '../rr/opaque.js';
import { hasMnemonic, rrtypeName } from '../rr/types.js';
import { MAX_RDATA_OCTETS } from '../rr/wire-reader.js';
import { Fields, readHex, readUint } from './fields.js';
import type { Token } from './lexer.js';
import { syntaxProblem } from './problem.js';

export type RecordRdata =
  | { [T in KnownRecordType]: { type: T; data: RecordDataByType[T] } }[KnownRecordType]
  | { type: 'OPAQUE'; rrtype: number; data: Uint8Array };

export interface ParsedRdata {
  rdata: RecordRdata;
  /** The name inside the data (MX exchange, NS/CNAME/DNAME/PTR/SRV target, SOA mname) was written relative. */
  nameRelative: boolean;
}

function isGenericMarker(token: Token | undefined): boolean {
  return token !== undefined && !token.quoted && token.text === '\\#';
}

/** The RDATA of one record: every field read, checked and nothing left over. */
export function parseRdata(rrtype: number, typeToken: Token, tokens: Token[], context: RdataContext): ParsedRdata {
  const mnemonic = rrtypeName(rrtype);
  const fields = new Fields(tokens, typeToken, mnemonic);
  const parsed = isGenericMarker(tokens[0])
    ? readGeneric(mnemonic, rrtype, fields)
    : readPresentation(mnemonic, rrtype, fields, context, typeToken);
  fields.end();
  return parsed;
}

/** RFC 3597 §5 generic RDATA: `\# length hex...`, the length in octets and the data in hex. */
function readGenericRdata(fields: Fields): Uint8Array {
  fields.next('\\# marker');
  const lengthToken = fields.plain('RDATA length');
  const length = readUint(lengthToken, MAX_RDATA_OCTETS, 'generic RDATA length');
  const octets = fields.remaining === 0 ? new Uint8Array(0) : readHex(fields.rest('RDATA'), 'generic RDATA');
  if (octets.length !== length) {
    throw syntaxProblem(`generic RDATA length ${length} does not match the ${octets.length} octets of hex given`, lengthToken.location);
  }
  return octets;
}

/** RFC 3597 §5: generic data of a type mxlint interprets is decoded, so `TYPE15 \# ...` is an MX like any other. */
function readGeneric(mnemonic: string, rrtype: number, fields: Fields): ParsedRdata {
  const marker = fields.peek()!;
  const octets = readGenericRdata(fields);
  if (!isKnownRecordType(mnemonic)) return { rdata: { type: 'OPAQUE', rrtype, data: octets }, nameRelative: false };
  const decoded = decodeGenericRdata(mnemonic, octets);
  if (!decoded.ok) throw syntaxProblem(decoded.reason, marker.location);
  return { rdata: { type: mnemonic, data: decoded.data } as RecordRdata, nameRelative: false };
}

/**
 * Types mxlint interprets become typed data; other registered types are encoded to wire RDATA where
 * their fields are simple. The rest (LOC, SVCB, HTTPS, CERT, APL, ...) are kept with empty data and
 * their fields unchecked: their owner, type and TTL still count for name-level checks (a CNAME beside
 * other data, which names exist), and no mail check reads their data.
 */
function readPresentation(mnemonic: string, rrtype: number, fields: Fields, context: RdataContext, typeToken: Token): ParsedRdata {
  if (isKnownRecordType(mnemonic)) {
    const parsed = CODECS[mnemonic].parse(fields, context);
    return { rdata: { type: mnemonic, data: parsed.data } as RecordRdata, nameRelative: parsed.nameRelative };
  }
  if (!hasMnemonic(rrtype)) {
    throw syntaxProblem(`${mnemonic} is not a registered type`, typeToken.location, 'write its data in the generic form `\\# length hex`');
  }
  const encoded = encodeOpaqueRdata(mnemonic, fields, context.origin);
  if (encoded === undefined) fields.skipRemaining();
  if (encoded !== undefined && encoded.length > MAX_RDATA_OCTETS) {
    throw syntaxProblem(`${mnemonic} data is ${encoded.length} octets long; a record holds at most ${MAX_RDATA_OCTETS}`, typeToken.location);
  }
  return { rdata: { type: 'OPAQUE', rrtype, data: encoded ?? new Uint8Array(0) }, nameRelative: false };
}
