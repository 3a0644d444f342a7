import type { KnownRecordType, RecordDataByType } from '../records.js';
import { ipv4FromOctets, ipv6FromOctets } from './addresses.js';
import { Fields, readHex, readUint } from './fields.js';
import { lowerCaseAscii, MAX_LABEL_OCTETS, MAX_NAME_OCTETS, nameToText, wireLength, type DomainName } from './names.js';
import { syntaxProblem } from './problem.js';
import { MAX_RDATA_OCTETS } from './typed-rdata.js';


/** RFC 3597 §5 generic RDATA: `\# length hex...`, the length in octets and the data in hex. */
export function readGenericRdata(fields: Fields): Uint8Array {
  fields.next('\\# marker');
  const lengthToken = fields.plain('RDATA length');
  const length = readUint(lengthToken, MAX_RDATA_OCTETS, 'generic RDATA length');
  const octets = fields.remaining === 0 ? new Uint8Array(0) : readHex(fields.rest('RDATA'), 'generic RDATA');
  if (octets.length !== length) {
    throw syntaxProblem(`generic RDATA length ${length} does not match the ${octets.length} octets of hex given`, lengthToken.location);
  }
  return octets;
}

/** Reads wire-format RDATA front to back; running short or past the end throws with what was wanted. */
class WireReader {
  private offset = 0;

  constructor(private readonly octets: Uint8Array) {}

  private take(count: number, what: string): Uint8Array {
    if (this.offset + count > this.octets.length) throw new Error(`the data ends before the ${what}`);
    const slice = this.octets.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  uint8(what: string): number {
    return this.take(1, what)[0]!;
  }

  uint16(what: string): number {
    const [high, low] = this.take(2, what);
    return (high! << 8) | low!;
  }

  uint32(what: string): number {
    return (this.uint16(what) * 0x10000) + this.uint16(what);
  }

  octetsOf(count: number, what: string): Uint8Array {
    return Uint8Array.from(this.take(count, what));
  }

  rest(): Uint8Array {
    return this.octetsOf(this.octets.length - this.offset, 'rest');
  }

  atEnd(): boolean {
    return this.offset === this.octets.length;
  }

  /** An uncompressed name (RFC 3597 §4 forbids compression in generic data). */
  name(what: string): DomainName {
    const labels: Uint8Array[] = [];
    for (let length = this.uint8(what); length !== 0; length = this.uint8(what)) {
      if (length > MAX_LABEL_OCTETS) throw new Error(`the ${what} has a label of length ${length} (a compression pointer or garbage)`);
      labels.push(lowerCaseAscii(this.octetsOf(length, what)));
    }
    const name = { labels };
    if (wireLength(name) > MAX_NAME_OCTETS) throw new Error(`the ${what} is longer than ${MAX_NAME_OCTETS} octets`);
    return name;
  }

  nameText(what: string): string {
    return nameToText(this.name(what));
  }
}

type WireDecoder<T extends KnownRecordType> = (reader: WireReader) => RecordDataByType[T];

const WIRE_DECODERS: { [T in KnownRecordType]: WireDecoder<T> } = {
  A: (reader) => ipv4FromOctets(reader.octetsOf(4, 'address')),
  AAAA: (reader) => ipv6FromOctets(reader.octetsOf(16, 'address')),
  CNAME: (reader) => reader.nameText('canonical name'),
  DNAME: (reader) => reader.nameText('target'),
  NS: (reader) => reader.nameText('name server'),
  PTR: (reader) => reader.nameText('target'),
  MX: (reader) => ({ preference: reader.uint16('preference'), exchange: reader.nameText('exchange') }),
  TXT: (reader) => {
    const strings: Uint8Array[] = [];
    do strings.push(reader.octetsOf(reader.uint8('string length'), 'string'));
    while (!reader.atEnd());
    return strings;
  },
  SOA: (reader) => ({
    mname: reader.nameText('primary name server'),
    rname: reader.nameText('responsible mailbox'),
    serial: reader.uint32('serial'),
    refresh: reader.uint32('refresh'),
    retry: reader.uint32('retry'),
    expire: reader.uint32('expire'),
    minimum: reader.uint32('minimum'),
  }),
  SRV: (reader) => ({
    priority: reader.uint16('priority'),
    weight: reader.uint16('weight'),
    port: reader.uint16('port'),
    target: reader.nameText('target'),
  }),
  TLSA: (reader) => ({
    usage: reader.uint8('certificate usage'),
    selector: reader.uint8('selector'),
    matchingType: reader.uint8('matching type'),
    certificate: reader.rest(),
  }),
  CAA: (reader) => {
    const flags = reader.uint8('flags');
    const tag = Buffer.from(reader.octetsOf(reader.uint8('tag length'), 'tag')).toString('latin1').toLowerCase();
    return { flags, tag, value: Buffer.from(reader.rest()).toString('utf8') };
  },
};

export type DecodedRdata = { ok: true; data: RecordDataByType[KnownRecordType] } | { ok: false; reason: string };

/** Typed data from wire-format RDATA of a type mxlint interprets, or why the octets are not that. */
export function decodeWireRdata(type: KnownRecordType, octets: Uint8Array): DecodedRdata {
  const reader = new WireReader(octets);
  try {
    const data = WIRE_DECODERS[type](reader);
    if (!reader.atEnd()) return { ok: false, reason: `${type} data has octets left over after the last field` };
    return { ok: true, data };
  } catch (error) {
    return { ok: false, reason: `${type} data: ${(error as Error).message}` };
  }
}
