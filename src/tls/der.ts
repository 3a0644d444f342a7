/**
 * Just enough DER (ITU-T X.690) to walk a certificate to an extension node:crypto does not read,
 * such as the logotype extension of a BIMI Mark Certificate. Every length is checked against what
 * holds it; a malformed encoding throws DerError, never reads past the buffer.
 */

export class DerError extends Error {}

export interface DerNode {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  tagClass: number;
  constructed: boolean;
  /** The tag number: 16 SEQUENCE, 6 OBJECT IDENTIFIER, 4 OCTET STRING, 22 IA5String … or the [n] of a context tag. */
  tagNumber: number;
  /** The content octets. */
  content: Uint8Array;
}

export const UNIVERSAL = 0;
export const CONTEXT = 2;
export const SEQUENCE = 16;
export const OBJECT_IDENTIFIER = 6;
export const OCTET_STRING = 4;

/** The node at `offset` of `data`, and where the next one starts. */
function readNode(data: Uint8Array, offset: number): { node: DerNode; next: number } {
  if (offset + 2 > data.length) throw new DerError('truncated DER element');
  const identifier = data[offset]!;
  const tagNumber = identifier & 0x1f;
  if (tagNumber === 0x1f) throw new DerError('high tag numbers are not used here');
  let length = data[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new DerError(octets === 0 ? 'indefinite length is not DER' : 'a DER length over 4 octets');
    if (start + octets > data.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + data[start + i]!;
    start += octets;
  }
  if (start + length > data.length) throw new DerError('a DER element longer than what holds it');
  return {
    node: { tagClass: identifier >> 6, constructed: (identifier & 0x20) !== 0, tagNumber, content: data.subarray(start, start + length) },
    next: start + length,
  };
}

/** The single element `data` holds (nothing may follow it). */
export function readDer(data: Uint8Array): DerNode {
  const { node, next } = readNode(data, 0);
  if (next !== data.length) throw new DerError('octets after the DER element');
  return node;
}

/** The elements inside a constructed node, in order. */
export function derChildren(node: DerNode): DerNode[] {
  if (!node.constructed) throw new DerError('a primitive element has no elements inside');
  const children: DerNode[] = [];
  for (let offset = 0; offset < node.content.length;) {
    const { node: child, next } = readNode(node.content, offset);
    children.push(child);
    offset = next;
  }
  return children;
}

export function isTag(node: DerNode | undefined, tagClass: number, tagNumber: number): node is DerNode {
  return node !== undefined && node.tagClass === tagClass && node.tagNumber === tagNumber;
}

/** An OBJECT IDENTIFIER in dotted form. */
export function derOid(node: DerNode): string {
  if (!isTag(node, UNIVERSAL, OBJECT_IDENTIFIER) || node.content.length === 0) throw new DerError('an OBJECT IDENTIFIER expected');
  const arcs: number[] = [];
  let value = 0;
  for (const octet of node.content) {
    value = value * 128 + (octet & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) throw new DerError('an OBJECT IDENTIFIER arc too large');
    if ((octet & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if (value !== 0 || (node.content[node.content.length - 1]! & 0x80) !== 0) throw new DerError('a truncated OBJECT IDENTIFIER');
  const first = arcs.shift()!;
  const top = first < 80 ? Math.floor(first / 40) : 2;
  return [top, first - top * 40, ...arcs].join('.');
}

/** The content of a string type (IA5String and the like), as Latin-1 so every octet stays one character. */
export function derText(node: DerNode): string {
  if (node.constructed) throw new DerError('a string expected');
  return Buffer.from(node.content).toString('latin1');
}

/**
 * The extensions of a DER certificate (RFC 5280 §4.1): each extension's OID and its value (the
 * content of its extnValue OCTET STRING).
 */
export function certificateExtensions(der: Uint8Array): Map<string, Uint8Array> {
  const [tbs] = derChildren(readDer(der));
  if (!isTag(tbs, UNIVERSAL, SEQUENCE)) throw new DerError('no TBSCertificate');
  const wrapper = derChildren(tbs).find((node) => isTag(node, CONTEXT, 3));
  const extensions = new Map<string, Uint8Array>();
  if (wrapper === undefined) return extensions;
  const [list] = derChildren(wrapper);
  if (!isTag(list, UNIVERSAL, SEQUENCE)) throw new DerError('extensions are not a SEQUENCE');
  for (const extension of derChildren(list)) {
    const parts = derChildren(extension);
    const value = parts[parts.length - 1];
    if (parts.length < 2 || !isTag(value, UNIVERSAL, OCTET_STRING)) throw new DerError('an extension without its value');
    extensions.set(derOid(parts[0]!), value.content);
  }
  return extensions;
}
