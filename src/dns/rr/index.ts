/**
 * The record types mxlint interprets, one codec each (./a.ts, ./mx.ts, ...), and the one dispatcher
 * that picks a codec by mnemonic or by number. The message decoder, the zone reader (presentation
 * form and RFC 3597 generic data) and the dns-packet border (./packet.ts) all go through it.
 */
import type { KnownRecordType, RecordDataByType } from '../records.js';
import { A } from './a.js';
import { AAAA } from './aaaa.js';
import { CAA } from './caa.js';
import type { AnyRecordCodec, RecordCodec } from './codec.js';
import { MX } from './mx.js';
import { CNAME, DNAME, NS, PTR } from './single-name.js';
import { SOA } from './soa.js';
import { SRV } from './srv.js';
import { TLSA } from './tlsa.js';
import { TXT } from './txt.js';
import { WireReader } from './wire-reader.js';

export type { AnyRecordCodec, ParsedData, RdataContext, RecordCodec } from './codec.js';

/** Every interpreted type has its codec: the mapped type makes a missing one a compile error. */
export const CODECS: { readonly [T in KnownRecordType]: RecordCodec<T> } = {
  A, AAAA, CNAME, DNAME, NS, PTR, MX, TXT, SOA, SRV, TLSA, CAA,
};

const ALL: readonly AnyRecordCodec[] = Object.values(CODECS);
const HIGHEST_CODE = Math.max(...ALL.map((codec) => codec.code));
/** By number, dense (null where mxlint interprets nothing), for the lookup of every record in every reply. */
const BY_CODE: (AnyRecordCodec | null)[] = Array.from({ length: HIGHEST_CODE + 1 }, () => null);
for (const codec of ALL) BY_CODE[codec.code] = codec;

/** The codec of a type number, or undefined when mxlint keeps that type's data opaque. */
export function codecForCode(code: number): AnyRecordCodec | undefined {
  return code <= HIGHEST_CODE ? (BY_CODE[code] ?? undefined) : undefined;
}

export type DecodedRdata = { ok: true; data: RecordDataByType[KnownRecordType] } | { ok: false; reason: string };

/** Typed data from RFC 3597 generic RDATA (`\#` in a zone file) of an interpreted type, or why the octets are not that. */
export function decodeGenericRdata(type: KnownRecordType, octets: Uint8Array): DecodedRdata {
  const codec: AnyRecordCodec = CODECS[type];
  const reader = WireReader.generic(octets, codec);
  try {
    const data = codec.read(reader);
    reader.finish();
    return { ok: true, data };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
