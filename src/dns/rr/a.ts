import { isIpv4 } from '../zone-file/addresses.js';
import type { Token } from '../zone-file/lexer.js';
import { syntaxProblem } from '../zone-file/problem.js';
import { defineCodec } from './codec.js';

/** A: one IPv4 address, four octets (RFC 1035 §3.4.1). */
export const A = defineCodec({
  type: 'A',
  rfc: 'RFC 1035 §3.4.1',
  read: (reader) => reader.ipv4('address'),
  parse: (fields) => ({ data: readIpv4Token(fields.plain('address')), nameRelative: false }),
  fromPacket: (data) => String(data),
});

function readIpv4Token(token: Token): string {
  if (!isIpv4(token.text)) throw syntaxProblem(`"${token.text}" is not an IPv4 address (four decimal numbers 0–255, as in 192.0.2.1)`, token.location);
  return token.text;
}
