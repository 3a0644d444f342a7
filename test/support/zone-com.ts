import { readZoneText } from '../../src/dns/zone-file/reader.js';
import type { ParsedZone } from '../../src/dns/zone-file/types.js';

/**
 * A top-level zone `com.` that delegates example.com: checked beside an example.com zone file
 * offline, it answers the DMARC tree walk's question for _dmarc.com (NXDOMAIN) instead of leaving it
 * unasked, so DMARC findings are those of a published zone. Its own results are in file com.zone.
 */
export function comZone(): ParsedZone {
  return readZoneText('$ORIGIN com.\n$TTL 3600\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\nexample NS ns1.example.com.\n', { file: 'com.zone' });
}
