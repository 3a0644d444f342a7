/**
 * Records in one comparable presentation line each (`owner ttl TYPE rdata`, names canonical, types
 * mxlint does not interpret as RFC 3597 data), for cross-checking the zone reader against what BIND,
 * NSD and Knot load from the same files.
 */
import type { DnsRecord } from '../../src/dns/records.js';

/** A character-string as BIND prints it: quoted, `"` and `\` escaped, other non-printables as \DDD. */
export function quoted(octets: Uint8Array): string {
  let out = '"';
  for (const octet of octets) {
    if (octet === 0x22 || octet === 0x5c) out += `\\${String.fromCharCode(octet)}`;
    else if (octet < 0x20 || octet >= 0x7f) out += `\\${String(octet).padStart(3, '0')}`;
    else out += String.fromCharCode(octet);
  }
  return `${out}"`;
}

function hexUpper(octets: Uint8Array): string {
  return Buffer.from(octets).toString('hex').toUpperCase();
}

export function ipv6(text: string): string {
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** One record as `owner ttl TYPE rdata`, in BIND's presentation style; other types as RFC 3597 data. */
export function formatRecord(record: DnsRecord): string {
  const head = `${record.name} ${record.ttl}`;
  switch (record.type) {
    case 'A': case 'AAAA': case 'NS': case 'CNAME': case 'DNAME': case 'PTR':
      return `${head} ${record.type} ${record.data}`;
    case 'MX':
      return `${head} MX ${record.data.preference} ${record.data.exchange}`;
    case 'SOA': {
      const soa = record.data;
      return `${head} SOA ${soa.mname} ${soa.rname} ${soa.serial} ${soa.refresh} ${soa.retry} ${soa.expire} ${soa.minimum}`;
    }
    case 'SRV':
      return `${head} SRV ${record.data.priority} ${record.data.weight} ${record.data.port} ${record.data.target}`;
    case 'TXT':
      return `${head} TXT ${record.data.map(quoted).join(' ')}`;
    case 'TLSA':
      return `${head} TLSA ${record.data.usage} ${record.data.selector} ${record.data.matchingType} ${hexUpper(record.data.certificate)}`;
    case 'CAA':
      return `${head} CAA ${record.data.flags} ${record.data.tag} ${quoted(Buffer.from(record.data.value, 'utf8'))}`;
    case 'OPAQUE':
      return `${head} TYPE${record.rrtype} \\# ${record.data.length} ${hexUpper(record.data)}`.trimEnd();
  }
}

