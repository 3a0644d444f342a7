import { isIpv6, normalizeIpv6 } from '../zone-file/addresses.js';
import type { Token } from '../zone-file/lexer.js';
import { syntaxProblem } from '../zone-file/problem.js';
import { defineCodec } from './codec.js';

/** AAAA: one IPv6 address, sixteen octets (RFC 3596 §2.2). */
export const AAAA = defineCodec({
  type: 'AAAA',
  rfc: 'RFC 3596 §2.2',
  read: (reader) => reader.ipv6('address'),
  parse: (fields) => ({ data: readIpv6Token(fields.plain('address')), nameRelative: false }),
  fromPacket: (data) => String(data),
});

function readIpv6Token(token: Token): string {
  if (!isIpv6(token.text)) throw syntaxProblem(`"${token.text}" is not an IPv6 address`, token.location);
  return normalizeIpv6(token.text);
}
