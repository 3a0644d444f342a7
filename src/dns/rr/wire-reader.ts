import { decodeUtf8Escaped } from '../../core/escape.js';
import { ipv6FromOctets } from '../zone-file/addresses.js';
import { lowerCaseAscii, MAX_LABEL_OCTETS, MAX_NAME_OCTETS, nameToText, wireLength } from '../zone-file/names.js';

/** RFC 1035 §3.2.1: RDLENGTH is 16 bits. */
export const MAX_RDATA_OCTETS = 0xffff;
/** A name of 255 octets has at most 127 labels; more pointer hops than that can only be a loop. */
export const MAX_POINTER_HOPS = 127;

/** A reply or an RDATA that is not what it claims to be; the message says what and where. */
export class WireProblem extends Error {}

/** What problems with a record's RDATA call it: its mnemonic, and in a message the word for its layout ("MX", "name"). */
export interface RdataNaming {
  readonly type: string;
  readonly messageLabel: string;
}

/**
 * Where the octets come from. A DNS message: names may be compressed (RFC 1035 §4.1.4), and come out
 * as the resolver has always reported them, labels read as UTF-8 like dns-packet reads them, but for
 * a "." or "\" inside a label, escaped as in presentation form (`\.`, `\\`) so that a label
 * boundary is always an unescaped "." (RFC 2181 §11 allows any octet in a label). Generic
 * RDATA (`\#` in a zone file, RFC 3597 §5): no compression (§4), names in presentation form with
 * escapes, as the zone reader reports them.
 */
export type WireSource = 'message' | 'generic';

const DOT = 0x2e;
const BACKSLASH = 0x5c;
/** What is escaped in a label read from a message: the label separator and the escape itself. */
const UPPER_A = 0x41;
const UPPER_Z = 0x5a;
const TO_LOWER = 0x20;
const POINTER = 0xc0;
const NO_RDATA: RdataNaming = { type: 'RDATA', messageLabel: 'RDATA' };

/**
 * The 16 octets at `offset` as dns-packet writes an IPv6 address: groups in lower-case hex without
 * leading zeros, the first run of two or more zero groups (not the longest, as RFC 5952 would have
 * it) written "::". Written here in one pass: dns-packet builds the text and then rewrites it with
 * two regular expressions, which cost a bulk run more than the rest of reading the reply.
 */
export function ipv6AsDnsPacketWrites(buf: Uint8Array, offset: number): string {
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i < 8 && runEnd === -1; i++) {
    const zero = buf[offset + 2 * i] === 0 && buf[offset + 2 * i + 1] === 0;
    if (zero && runStart === -1) runStart = i;
    else if (!zero && runStart !== -1) {
      if (i - runStart >= 2) runEnd = i;
      else runStart = -1;
    }
  }
  if (runStart !== -1 && runEnd === -1) {
    if (8 - runStart >= 2) runEnd = 8;
    else runStart = -1;
  }
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (i === runStart) {
      text += '::';
      i = runEnd - 1;
      continue;
    }
    if (i !== 0 && i !== runEnd) text += ':';
    text += ((buf[offset + 2 * i]! << 8) | buf[offset + 2 * i + 1]!).toString(16);
  }
  return text;
}

/**
 * The octets of the name being read, lower-cased: reused, since a reply holds several names and many
 * replies arrive. Room for every octet escaped, and a label past the limit, which is refused once it
 * has been read.
 */
const nameOctets = Buffer.alloc(3 * MAX_NAME_OCTETS);

/**
 * Reads RDATA front to back, and in a message the owner and question names around it: every field
 * checked against the end of what it may use, so a record whose RDLENGTH disagrees with its data is
 * refused, whatever the source. One reader per message (or per generic RDATA), set on each record in
 * turn with `rdata`; the record codecs of this folder read their fields through it.
 */
export class WireReader {
  /** Where the next field starts. */
  offset = 0;
  /** Where the RDATA being read ends. */
  end = 0;
  private start = 0;
  private naming: RdataNaming = NO_RDATA;

  constructor(readonly buf: Buffer, readonly source: WireSource) {}

  /** A reader of one generic RDATA, set on all of it. */
  static generic(octets: Uint8Array, naming: RdataNaming): WireReader {
    const reader = new WireReader(Buffer.from(octets.buffer, octets.byteOffset, octets.byteLength), 'generic');
    reader.rdata(naming, 0, octets.length);
    return reader;
  }

  /** Sets the reader on the RDATA of one record, from `start` to `end`. */
  rdata(naming: RdataNaming, start: number, end: number): void {
    this.naming = naming;
    this.start = start;
    this.offset = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.offset++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const value = (this.buf[this.offset]! << 8) | this.buf[this.offset + 1]!;
    this.offset += 2;
    return value;
  }

  u32(field: string): number {
    this.need(4, field);
    const value = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  /** `count` octets: in a message a view of it, in generic data a copy. */
  octets(count: number, field: string): Uint8Array {
    this.need(count, field);
    const view = this.buf.subarray(this.offset, this.offset + count);
    this.offset += count;
    return this.source === 'message' ? view : Uint8Array.from(view);
  }

  /** The octets up to the end of the RDATA, maybe none. */
  rest(field: string): Uint8Array {
    return this.octets(this.remaining, field);
  }

  /** `count` octets as text in `encoding`. */
  text(count: number, field: string, encoding: 'latin1' | 'utf8'): string {
    this.need(count, field);
    const text = this.buf.toString(encoding, this.offset, this.offset + count);
    this.offset += count;
    return text;
  }

  ipv4(field: string): string {
    this.need(4, field);
    const { buf, offset } = this;
    this.offset += 4;
    return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
  }

  /**
   * In a message the text dns-packet makes of it (its first run of zero groups compressed), as the
   * resolver has always reported it; in generic data RFC 5952 form, as the zone reader writes AAAA data.
   */
  ipv6(field: string): string {
    this.need(16, field);
    const offset = this.offset;
    this.offset += 16;
    return this.source === 'message' ? ipv6AsDnsPacketWrites(this.buf, offset) : ipv6FromOctets(this.buf.subarray(offset, offset + 16));
  }

  /** A domain name in the canonical form (lower case, no trailing dot, "." for the root). */
  name(field: string): string {
    return this.source === 'message' ? this.messageName(undefined, this.end) : this.genericName(field);
  }

  /**
   * In a message, RDATA shorter than `octets` is refused at once as having no `field`, as the
   * resolver has always put it; in generic data the field that runs short says so itself.
   */
  needInMessage(octets: number, field: string): void {
    if (this.source === 'message' && this.end - this.start < octets) {
      throw new WireProblem(`${this.naming.messageLabel} RDATA of ${this.end - this.start} octets has no ${field}`);
    }
  }

  /** In a message, empty RDATA is refused at once as empty; in generic data its first field runs short. */
  nonEmptyInMessage(): void {
    if (this.source === 'message' && this.end === this.start) throw new WireProblem(`${this.naming.messageLabel} RDATA is empty`);
  }

  /** Every octet of the RDATA has been read. */
  finish(): void {
    if (this.offset === this.end) return;
    throw new WireProblem(this.source === 'message'
      ? this.lengthMismatch()
      : `${this.naming.type} data has octets left over after the last field`);
  }

  private need(count: number, field: string): void {
    if (this.offset + count <= this.end) return;
    throw new WireProblem(this.source === 'message'
      ? this.lengthMismatch()
      : `${this.naming.type} data: the data ends before the ${field}`);
  }

  private lengthMismatch(): string {
    return `${this.naming.messageLabel} RDATA does not match its RDLENGTH of ${this.end - this.start}`;
  }

  /**
   * The name at `offset` in a message, which must end before `limit`: checked the way a strict parser
   * checks it (pointers only backwards, so no loop; at most 255 octets) and read in one pass, a "." or
   * "\" inside a label escaped with "\" so the text cannot be misread. Leaves `offset` after the
   * name. `what` names it in problems; undefined for a name in the RDATA.
   */
  messageName(what: string | undefined, limit: number): string {
    const buf = this.buf;
    const start = this.offset;
    let offset = start;
    let after = -1;
    let wire = 0;
    let hops = 0;
    let lowestPointerTarget = start;
    let length = 0;
    let ascii = true;
    for (;;) {
      if (offset >= limit) throw this.endsInside(what);
      const labelLength = buf[offset]!;
      if (labelLength === 0) {
        wire += 1;
        if (wire > MAX_NAME_OCTETS) throw this.nameProblem(what, 'is longer than 255 octets');
        break;
      }
      const kind = labelLength & POINTER;
      if (kind === POINTER) {
        if (offset + 2 > limit) throw this.endsInside(what);
        const target = ((labelLength & 0x3f) << 8) | buf[offset + 1]!;
        // Only pointers to earlier data (RFC 1035 §4.1.4); each hop must go further back, so no loop.
        if (target >= lowestPointerTarget) throw this.nameProblem(what, 'has a compression pointer that does not point backwards');
        if (++hops > MAX_POINTER_HOPS) throw this.nameProblem(what, 'has too many compression pointers');
        if (after === -1) after = offset + 2;
        lowestPointerTarget = target;
        offset = target;
        continue;
      }
      if (kind !== 0) throw this.nameProblem(what, `has a label of unknown kind 0x${kind.toString(16)}`);
      if (offset + 1 + labelLength > limit) throw this.endsInside(what);
      if (length > 0) nameOctets[length++] = DOT;
      for (let i = offset + 1; i <= offset + labelLength; i++) {
        const octet = buf[i]!;
        if (octet === DOT || octet === BACKSLASH) nameOctets[length++] = BACKSLASH;
        else if (octet >= 0x80) ascii = false;
        nameOctets[length++] = octet >= UPPER_A && octet <= UPPER_Z ? octet + TO_LOWER : octet;
      }
      wire += labelLength + 1;
      if (wire > MAX_NAME_OCTETS) throw this.nameProblem(what, 'is longer than 255 octets');
      offset += labelLength + 1;
    }
    this.offset = after === -1 ? offset + 1 : after;
    if (!ascii) return this.utf8Name(start);
    return length === 0 ? '.' : nameOctets.toString('latin1', 0, length);
  }

  private endsInside(what: string | undefined): WireProblem {
    return new WireProblem(`message ends inside the ${what ?? this.rdataNameWhat()}`);
  }

  private nameProblem(what: string | undefined, problem: string): WireProblem {
    return new WireProblem(`${what ?? this.rdataNameWhat()} ${problem}`);
  }

  private rdataNameWhat(): string {
    return `${this.naming.messageLabel} RDATA name`;
  }

  /**
   * A name with octets outside ASCII, already checked: its labels read as UTF-8 one by one, then
   * lower-cased as canonicalName does.
   */
  private utf8Name(start: number): string {
    const buf = this.buf;
    const labels: string[] = [];
    let offset = start;
    for (;;) {
      const length = buf[offset]!;
      if (length === 0) return labels.length === 0 ? '.' : labels.join('.').toLowerCase();
      if ((length & POINTER) === POINTER) {
        offset = ((length & 0x3f) << 8) | buf[offset + 1]!;
        continue;
      }
      labels.push(utf8Label(buf.subarray(offset + 1, offset + 1 + length)));
      offset += 1 + length;
    }
  }

  /** An uncompressed name (RFC 3597 §4 forbids compression in generic data), in presentation form. */
  private genericName(field: string): string {
    const labels: Uint8Array[] = [];
    for (let length = this.u8(field); length !== 0; length = this.u8(field)) {
      if (length > MAX_LABEL_OCTETS) {
        throw new WireProblem(`${this.naming.type} data: the ${field} has a label of length ${length} (a compression pointer or garbage)`);
      }
      labels.push(lowerCaseAscii(this.octets(length, field)));
    }
    const name = { labels };
    if (wireLength(name) > MAX_NAME_OCTETS) throw new WireProblem(`${this.naming.type} data: the ${field} is longer than ${MAX_NAME_OCTETS} octets`);
    return nameToText(name);
  }
}

/**
 * A label as UTF-8 text in presentation form: "." and "\" escaped with "\", an octet that is not
 * UTF-8 as `\DDD` (as dig writes it, never a U+FFFD, which would name another label).
 */
function utf8Label(octets: Uint8Array): string {
  const escaped: number[] = [];
  for (const octet of octets) {
    if (octet === DOT || octet === BACKSLASH) escaped.push(BACKSLASH);
    escaped.push(octet);
  }
  return decodeUtf8Escaped(Uint8Array.from(escaped));
}
