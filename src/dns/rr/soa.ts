import { canonicalName } from '../name.js';
import type { SoaData } from '../records.js';
import { readDurationToken, readNameToken, readUint, type Fields } from '../zone-file/fields.js';
import { nameToText } from '../zone-file/names.js';
import { MAX_UINT32 } from '../zone-file/ttl.js';
import { defineCodec, type ParsedData, type RdataContext } from './codec.js';

/** SOA: the primary name server, the responsible mailbox, then five 32-bit numbers (RFC 1035 §3.3.13). */
export const SOA = defineCodec({
  type: 'SOA',
  rfc: 'RFC 1035 §3.3.13',
  read: (reader) => ({
    mname: reader.name('primary name server'),
    rname: reader.name('responsible mailbox'),
    serial: reader.u32('serial'),
    refresh: reader.u32('refresh'),
    retry: reader.u32('retry'),
    expire: reader.u32('expire'),
    minimum: reader.u32('minimum'),
  }),
  parse: readSoa,
  fromPacket: (data) => {
    const soa = data as { mname: string; rname: string; serial?: number; refresh?: number; retry?: number; expire?: number; minimum?: number };
    return {
      mname: canonicalName(soa.mname), rname: canonicalName(soa.rname), serial: soa.serial ?? 0,
      refresh: soa.refresh ?? 0, retry: soa.retry ?? 0, expire: soa.expire ?? 0, minimum: soa.minimum ?? 0,
    };
  },
});

function readSoa(fields: Fields, context: RdataContext): ParsedData<SoaData> {
  const mname = readNameToken(fields.plain('primary name server'), context.origin, 'SOA primary name server');
  const rname = readNameToken(fields.plain('responsible mailbox'), context.origin, 'SOA responsible mailbox');
  const serial = readUint(fields.plain('serial'), MAX_UINT32, 'SOA serial');
  const timer = (what: string) => readDurationToken(fields.plain(what), `SOA ${what}`, MAX_UINT32);
  const data = {
    mname: nameToText(mname.name),
    rname: nameToText(rname.name),
    serial,
    refresh: timer('refresh'),
    retry: timer('retry'),
    expire: timer('expire'),
    minimum: timer('minimum'),
  };
  return { data, nameRelative: mname.relative };
}
