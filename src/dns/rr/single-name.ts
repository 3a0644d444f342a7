import { canonicalName } from '../name.js';
import { readNameToken, type Fields } from '../zone-file/fields.js';
import { nameToText } from '../zone-file/names.js';
import { defineCodec, type ParsedData, type RdataContext, type RecordCodec } from './codec.js';

/** The types whose RDATA is one domain name, nothing else; compressed in messages (RFC 3597 §4 allows it for these). */
type SingleNameType = 'CNAME' | 'DNAME' | 'NS' | 'PTR';

function singleName<T extends SingleNameType>(type: T, rfc: string, field: string): RecordCodec<T> {
  const codec: RecordCodec<SingleNameType> = defineCodec<SingleNameType>({
    type,
    rfc,
    // Replies name a problem with these the same way, whichever of the four it is.
    messageLabel: 'name',
    read: (reader) => reader.name(field),
    parse: (fields, context) => readTarget(fields, context, field),
    fromPacket: (data) => canonicalName(String(data)),
  });
  return codec as RecordCodec<T>;
}

export const CNAME = singleName('CNAME', 'RFC 1035 §3.3.1', 'canonical name');
export const DNAME = singleName('DNAME', 'RFC 6672 §2.1', 'target');
export const NS = singleName('NS', 'RFC 1035 §3.3.11', 'name server');
export const PTR = singleName('PTR', 'RFC 1035 §3.3.12', 'target');

function readTarget(fields: Fields, context: RdataContext, what: string): ParsedData<string> {
  const target = readNameToken(fields.plain(what), context.origin, `${fields.typeName} ${what}`);
  return { data: nameToText(target.name), nameRelative: target.relative };
}
