import type { TlsaData } from '../records.js';
import { readHex, readUint, type Fields } from '../zone-file/fields.js';
import { defineCodec } from './codec.js';

const MAX_UINT8 = 0xff;

/** TLSA: certificate usage, selector and matching type, an octet each, then the association data (RFC 6698 §2.1). */
export const TLSA = defineCodec({
  type: 'TLSA',
  rfc: 'RFC 6698 §2.1',
  // Left to dns-packet in replies, as before the codecs: reading it here would refuse replies it now takes.
  readInMessages: false,
  read: (reader) => ({
    usage: reader.u8('certificate usage'),
    selector: reader.u8('selector'),
    matchingType: reader.u8('matching type'),
    certificate: reader.rest('certificate association data'),
  }),
  parse: (fields) => ({ data: readTlsa(fields), nameRelative: false }),
  fromPacket: (data) => {
    const tlsa = data as { usage: number; selector: number; matchingType: number; certificate: unknown };
    return { usage: tlsa.usage, selector: tlsa.selector, matchingType: tlsa.matchingType, certificate: tlsa.certificate instanceof Uint8Array ? tlsa.certificate : Buffer.alloc(0) };
  },
  toPacket: (data) => ({ ...data, certificate: Buffer.from(data.certificate) }),
});

function readTlsa(fields: Fields): TlsaData {
  return {
    usage: readUint(fields.plain('certificate usage'), MAX_UINT8, 'TLSA certificate usage'),
    selector: readUint(fields.plain('selector'), MAX_UINT8, 'TLSA selector'),
    matchingType: readUint(fields.plain('matching type'), MAX_UINT8, 'TLSA matching type'),
    certificate: readHex(fields.rest('certificate association data'), 'TLSA certificate association data'),
  };
}
