import type { CaaData } from '../records.js';
import { readOctets, readUint, type Fields } from '../zone-file/fields.js';
import { syntaxProblem } from '../zone-file/problem.js';
import { defineCodec } from './codec.js';

const MAX_UINT8 = 0xff;

/** CAA: a flags octet, the tag with a length octet, then the value to the end (RFC 8659 §4.1). */
export const CAA = defineCodec({
  type: 'CAA',
  rfc: 'RFC 8659 §4.1',
  // Left to dns-packet in replies, as before the codecs: it keeps the tag's case and checks no lengths.
  readInMessages: false,
  read: (reader) => {
    const flags = reader.u8('flags');
    const tag = reader.text(reader.u8('tag length'), 'tag', 'latin1').toLowerCase();
    return { flags, tag, value: reader.text(reader.remaining, 'value', 'utf8') };
  },
  parse: (fields) => ({ data: readCaa(fields), nameRelative: false }),
  fromPacket: (data) => {
    const caa = data as { flags?: number; tag: string; value: string };
    return { flags: caa.flags ?? 0, tag: caa.tag, value: caa.value };
  },
  toPacket: (data) => ({ flags: data.flags, tag: data.tag, value: data.value }),
});

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
