import { canonicalName } from '../name.js';
import type { SrvData } from '../records.js';
import { readNameToken, readUint, type Fields } from '../zone-file/fields.js';
import { nameToText } from '../zone-file/names.js';
import { defineCodec, type ParsedData, type RdataContext } from './codec.js';

const MAX_UINT16 = 0xffff;

/** SRV: priority, weight and port, 16 bits each, then the target's name (RFC 2782). */
export const SRV = defineCodec({
  type: 'SRV',
  rfc: 'RFC 2782',
  read: (reader) => {
    reader.needInMessage(7, 'target');
    return { priority: reader.u16('priority'), weight: reader.u16('weight'), port: reader.u16('port'), target: reader.name('target') };
  },
  parse: readSrv,
  fromPacket: (data) => {
    const srv = data as { priority?: number; weight?: number; port: number; target: string };
    return { priority: srv.priority ?? 0, weight: srv.weight ?? 0, port: srv.port, target: canonicalName(srv.target) };
  },
});

function readSrv(fields: Fields, context: RdataContext): ParsedData<SrvData> {
  const priority = readUint(fields.plain('priority'), MAX_UINT16, 'SRV priority');
  const weight = readUint(fields.plain('weight'), MAX_UINT16, 'SRV weight');
  const port = readUint(fields.plain('port'), MAX_UINT16, 'SRV port');
  const target = readNameToken(fields.plain('target'), context.origin, 'SRV target');
  return { data: { priority, weight, port, target: nameToText(target.name) }, nameRelative: target.relative };
}
