import { canonicalName } from '../name.js';
import type { MxData } from '../records.js';
import { readNameToken, readUint, type Fields } from '../zone-file/fields.js';
import type { Token } from '../zone-file/lexer.js';
import { nameToText } from '../zone-file/names.js';
import { EntryProblem } from '../zone-file/problem.js';
import { defineCodec, type ParsedData, type RdataContext } from './codec.js';

const MAX_PREFERENCE = 0xffff;

/** MX: a 16-bit preference, then the exchange's name (RFC 1035 §3.3.9); "." alone is a null MX (RFC 7505). */
export const MX = defineCodec({
  type: 'MX',
  rfc: 'RFC 1035 §3.3.9',
  read: (reader) => {
    reader.needInMessage(3, 'exchange');
    return { preference: reader.u16('preference'), exchange: reader.name('exchange') };
  },
  parse: readMx,
  fromPacket: (data) => {
    const mx = data as { preference?: number; exchange: string };
    return { preference: mx.preference ?? 0, exchange: canonicalName(mx.exchange) };
  },
});

const INTEGER = /^-?\d+$/;

function readMx(fields: Fields, context: RdataContext): ParsedData<MxData> {
  const only = fields.remaining === 1 ? fields.peek() : undefined;
  if (only !== undefined && !INTEGER.test(only.text)) {
    throw new EntryProblem(
      'mx-preference-missing',
      `MX record for ${context.ownerName} has no preference`,
      only.location,
      `write \`${context.ownerWritten} MX 10 ${only.text}\``,
    );
  }
  const preference = readMxPreference(fields.plain('preference'), context);
  const exchange = readNameToken(fields.plain('exchange'), context.origin, 'MX exchange');
  return { data: { preference, exchange: nameToText(exchange.name) }, nameRelative: exchange.relative };
}

function readMxPreference(token: Token, context: RdataContext): number {
  if (INTEGER.test(token.text) && (token.text.startsWith('-') || BigInt(token.text) > BigInt(MAX_PREFERENCE))) {
    const wrapped = token.text.startsWith('-') ? '' : ` (some servers silently wrap it to ${BigInt(token.text) % 65536n})`;
    throw new EntryProblem(
      'mx-preference-range',
      `MX preference ${token.text} for ${context.ownerName} is outside 0–65535${wrapped}`,
      token.location,
    );
  }
  return readUint(token, MAX_PREFERENCE, 'MX preference');
}
