import { readCharacterString } from '../zone-file/fields.js';
import type { Token } from '../zone-file/lexer.js';
import { syntaxProblem } from '../zone-file/problem.js';
import { defineCodec } from './codec.js';
import { MAX_RDATA_OCTETS } from './wire-reader.js';

/** TXT: one or more <character-string>s, each a length octet and that many octets (RFC 1035 §3.3.14). */
export const TXT = defineCodec({
  type: 'TXT',
  rfc: 'RFC 1035 §3.3.14',
  read: (reader) => {
    reader.nonEmptyInMessage();
    const strings: Uint8Array[] = [];
    do strings.push(reader.octets(reader.u8('string length'), 'string'));
    while (reader.remaining > 0);
    return strings;
  },
  parse: (fields) => ({ data: readTxt(fields.rest('text')), nameRelative: false }),
  fromPacket: (data) => {
    const strings = Array.isArray(data) ? (data as unknown[]) : [data];
    return strings.map((s) => (typeof s === 'string' ? Buffer.from(s) : asBytes(s)));
  },
  toPacket: (data) => data.map((s) => Buffer.from(s)),
});

function asBytes(data: unknown): Uint8Array {
  return data instanceof Uint8Array ? data : Buffer.alloc(0);
}

function readTxt(tokens: Token[]): Uint8Array[] {
  let length = 0;
  return tokens.map((token) => {
    const octets = readCharacterString(token, 'TXT string');
    length += octets.length + 1;
    if (length > MAX_RDATA_OCTETS) {
      throw syntaxProblem(`TXT data is longer than ${MAX_RDATA_OCTETS} octets, the most a record holds`, token.location);
    }
    return kept(octets);
  });
}

/** Octets of TXT strings read from zone files are copied into shared blocks of this size. */
const TXT_BLOCK_OCTETS = 64 * 1024;
let block = new Uint8Array(0);
let blockUsed = 0;

/**
 * A lasting copy of one TXT string, carved from a shared block: a zone holds every TXT record it
 * reads, and a small Uint8Array with a buffer of its own costs some 200 octets beside its text.
 */
function kept(octets: Uint8Array): Uint8Array {
  if (octets.length > TXT_BLOCK_OCTETS / 16) return octets;
  if (blockUsed + octets.length > block.length) {
    block = new Uint8Array(TXT_BLOCK_OCTETS);
    blockUsed = 0;
  }
  const copy = block.subarray(blockUsed, blockUsed + octets.length);
  copy.set(octets);
  blockUsed += octets.length;
  return copy;
}
