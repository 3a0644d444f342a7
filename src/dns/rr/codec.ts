import type { KnownRecordType, RecordDataByType } from '../records.js';
import type { Fields } from '../zone-file/fields.js';
import type { DomainName } from '../zone-file/names.js';
import { rrtypeCode } from './types.js';
import type { RdataNaming, WireReader } from './wire-reader.js';

/** Where a record's presentation form is read: for relative names and for messages. */
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

/**
 * Everything mxlint knows of one record type it interprets, declared once: its mnemonic (its number
 * comes from the registry, ./types.ts), the RFC that defines its RDATA, how to read that RDATA from
 * the wire and from a zone file, and how it maps to dns-packet's objects, which the in-process
 * server encodes its replies with.
 */
export interface RecordCodec<T extends KnownRecordType> extends RdataNaming {
  readonly type: T;
  readonly code: number;
  readonly rfc: string;
  /**
   * Whether decodeResponse reads this type with `read`. When false, dns-packet decodes replies that
   * carry it, as it always has, without holding the data to its RDLENGTH.
   */
  readonly readInMessages: boolean;
  /**
   * Reads the RDATA the reader is set on, field by field, each checked against its end; the caller
   * then checks that nothing is left over (reader.finish()). Throws WireProblem.
   */
  read(reader: WireReader): RecordDataByType[T];
  /** Reads the presentation form (RFC 1035 §5.1); leaves extra fields to the caller. Throws EntryProblem. */
  parse(fields: Fields, context: RdataContext): ParsedData<RecordDataByType[T]>;
  /** Our data from the data of a record dns-packet decoded. */
  fromPacket(data: unknown): RecordDataByType[T];
  /** dns-packet's data for ours, to encode. */
  toPacket(data: RecordDataByType[T]): unknown;
}

export type AnyRecordCodec = { [T in KnownRecordType]: RecordCodec<T> }[KnownRecordType];

interface CodecDeclaration<T extends KnownRecordType> {
  type: T;
  rfc: string;
  /** Default: the mnemonic. */
  messageLabel?: string;
  /** Default: true. */
  readInMessages?: boolean;
  read(reader: WireReader): RecordDataByType[T];
  parse(fields: Fields, context: RdataContext): ParsedData<RecordDataByType[T]>;
  fromPacket(data: unknown): RecordDataByType[T];
  /** Default: the data as it is, for the types whose data dns-packet takes in our shape. */
  toPacket?(data: RecordDataByType[T]): unknown;
}

function asIs(data: unknown): unknown {
  return data;
}

/** A codec with its number looked up in the registry, every codec of the same shape. */
export function defineCodec<T extends KnownRecordType>(declaration: CodecDeclaration<T>): RecordCodec<T> {
  const code = rrtypeCode(declaration.type);
  if (code === undefined) throw new Error(`${declaration.type} is not in the registry of record types`);
  return {
    type: declaration.type,
    code,
    rfc: declaration.rfc,
    messageLabel: declaration.messageLabel ?? declaration.type,
    readInMessages: declaration.readInMessages ?? true,
    read: declaration.read,
    parse: declaration.parse,
    fromPacket: declaration.fromPacket,
    toPacket: declaration.toPacket ?? asIs,
  };
}
