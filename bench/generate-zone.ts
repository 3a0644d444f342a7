/**
 * A big zone file for the zone-file benchmark, written in streaming chunks so generating a million
 * records holds no more than one chunk. The shape is a hoster's customer zone: an apex with its
 * mail setup, then customers in equal thirds MX, TXT (SPF) and A records — each customer `cN`
 * receiving mail either through the zone's shared exchanges or on its own address, and every 50th
 * one broken (its exchange names nothing in the zone), so the report has findings to write.
 *
 *   node generate-zone.js RECORDS FILE
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The zone's origin, under a reserved TLD (RFC 2606). */
export const BENCH_ZONE_ORIGIN = 'bench-zone.example';

/** Records before the customers: SOA, NS, the apex's MX, SPF and DMARC, the exchanges and name servers. */
const HEADER = `$ORIGIN ${BENCH_ZONE_ORIGIN}.
$TTL 3600
@       SOA ns1 hostmaster 2024010101 7200 3600 1209600 3600
@       NS ns1
@       NS ns2
@       MX 10 mx1
@       MX 20 mx2
@       TXT "v=spf1 mx -all"
_dmarc  TXT "v=DMARC1; p=reject; rua=mailto:dmarc-reports@${BENCH_ZONE_ORIGIN}"
ns1     A 185.199.108.53
ns2     A 185.199.109.53
mx1     A 185.199.108.25
mx2     A 185.199.109.25
`;
const HEADER_RECORDS = 12;
/** Customers per chunk written: about 100 KB. */
const CUSTOMERS_PER_CHUNK = 1000;
/** Every this-many-th customer's exchange names nothing in the zone. */
const BROKEN_EVERY = 50;

/** A global unicast address per customer (198.18.0.0/15 is reserved for benchmarks, which checks would flag). */
function customerAddress(n: number): string {
  return `45.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function customer(n: number): string {
  const exchange = n % BROKEN_EVERY === BROKEN_EVERY - 1 ? `mail-missing-c${n}` : n % 2 === 0 ? 'mx1' : `c${n}`;
  return `c${n} MX 10 ${exchange}\nc${n} TXT "v=spf1 ${n % 2 === 0 ? 'include:' + BENCH_ZONE_ORIGIN : 'a'} -all"\nc${n} A ${customerAddress(n)}\n`;
}

/** Writes a zone of about `records` records (rounded down to whole customers of three) to `file`. */
export async function writeBenchZone(records: number, file: string): Promise<{ records: number; mxOwners: number }> {
  const customers = Math.max(0, Math.floor((records - HEADER_RECORDS) / 3));
  const out = createWriteStream(file);
  out.write(HEADER);
  for (let start = 0; start < customers; start += CUSTOMERS_PER_CHUNK) {
    let chunk = '';
    for (let n = start; n < Math.min(customers, start + CUSTOMERS_PER_CHUNK); n++) chunk += customer(n);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  return { records: HEADER_RECORDS + 3 * customers, mxOwners: customers + 1 };
}

if (process.argv[1]?.endsWith('generate-zone.js')) {
  const [recordsText, file] = process.argv.slice(2);
  const records = Number(recordsText);
  if (!Number.isInteger(records) || records < HEADER_RECORDS || !file) {
    process.stderr.write('usage: generate-zone.js RECORDS FILE\n');
    process.exit(3);
  }
  await writeBenchZone(records, file);
}
