/**
 * A DNS world for bulk runs (the benchmark, the end-to-end bulk tests): zone files for an
 * authoritative server, the list of domains to check and the verdict each must get. Deterministic
 * (one seed), so every run and every machine checks the same list.
 *
 * The mix, by share of domains (roughly what a hoster's or registry's list looks like):
 * - 35% on a big provider whose exchanges everyone shares (Google Workspace style): 20% with the
 *   classic five MX, 15% with the single MX it now recommends;
 * - 15% on a provider with an exchange name per customer, IPv4 only (Microsoft 365 style);
 * - 10% on a hosting company's two shared exchanges;
 * - 35% with their own exchange (one or two, A and AAAA);
 * - 5% broken: NXDOMAIN, no MX (implicit MX), an MX to a CNAME, to a name without address, to a
 *   private address, a null MX.
 * Addresses are made up; nothing ever connects to them.
 */
import { seededRandom } from './random.js';
import type { Status } from '../../src/core/finding.js';

export interface ZoneSet {
  /** Zone name → zone file text. */
  zones: Record<string, string>;
  /** The domains to check, in list order. */
  domains: string[];
  /** The status each domain must get. */
  expected: Map<string, Status>;
  /** Questions for dnsperf: the same names and types mxlint asks (`name TYPE` per line). */
  queries: string[];
  /** Under this zone any name has an MX to the shared provider: unique names for the memory runs. */
  wildcardZone: string;
}

const CUSTOMER_ZONES = 20;
const SOA_TTL = 3600;

function zoneHead(origin: string): string {
  return `$ORIGIN ${origin}.\n$TTL ${SOA_TTL}\n@ SOA ns1.${origin}. hostmaster.${origin}. 1 3600 600 86400 300\n@ NS ns1.${origin}.\nns1 A 185.53.0.1\n`;
}

/** A public-looking address for exchange `i` (never contacted). */
function ipv4(i: number): string {
  return `185.${16 + ((i >> 16) & 0x3f)}.${(i >> 8) & 0xff}.${i & 0xff}`;
}

function ipv6(i: number): string {
  return `2a01:4f8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::25`;
}

export function buildZoneSet(domainCount: number, seed = 2024): ZoneSet {
  const random = seededRandom(seed);
  const zones: Record<string, string> = {};
  const add = (zone: string, text: string): void => {
    zones[zone] = (zones[zone] ?? zoneHead(zone)) + text;
  };
  const google = Array.from({ length: 5 }, (_, i) => `${i === 0 ? 'aspmx' : `alt${i}.aspmx`}.l.mailcloud.bench`);
  google.forEach((host, i) => add('mailcloud.bench', `${host}. A ${ipv4(i + 1)}\n${host}. AAAA ${ipv6(i + 1)}\n`));
  const googleSingle = 'smtp.mailcloud.bench';
  add('mailcloud.bench', `${googleSingle}. A ${ipv4(10)}\n${googleSingle}. AAAA ${ipv6(10)}\n`);
  const hoster = ['mx1.hostco.bench', 'mx2.hostco.bench'];
  hoster.forEach((host, i) => add('hostco.bench', `${host}. A ${ipv4(100 + i)}\n${host}. AAAA ${ipv6(100 + i)}\n`));
  add('protection.bench', '');
  add('wild.bench', `*.wild.bench. MX 1 ${google[0]}.\n*.wild.bench. MX 5 ${google[1]}.\n`);

  const domains: string[] = [];
  const expected = new Map<string, Status>();
  const queries: string[] = [];
  const exchangesAsked = new Set<string>();
  const ask = (exchange: string): void => {
    if (exchangesAsked.has(exchange)) return;
    exchangesAsked.add(exchange);
    queries.push(`${exchange} A`, `${exchange} AAAA`);
  };
  for (let i = 0; i < domainCount; i++) {
    const zone = `c${String(i % CUSTOMER_ZONES).padStart(2, '0')}.bench`;
    const label = `shop-${i}`;
    const domain = `${label}.${zone}`;
    domains.push(domain);
    expected.set(domain, 'pass');
    queries.push(`${domain} MX`);
    const roll = random();
    const own = 1000 + i;
    if (roll < 0.2) {
      add(zone, google.map((host, p) => `${label} MX ${p === 0 ? 1 : p * 5} ${host}.\n`).join(''));
      google.forEach(ask);
    } else if (roll < 0.35) {
      add(zone, `${label} MX 1 ${googleSingle}.\n`);
      ask(googleSingle);
    } else if (roll < 0.5) {
      const tenant = `${label}-${zone.replace('.', '-')}.mail.protection.bench`;
      add(zone, `${label} MX 0 ${tenant}.\n`);
      add('protection.bench', `${tenant}. A ${ipv4(own)}\n${tenant}. A ${ipv4(own + 500_000)}\n`);
      ask(tenant);
    } else if (roll < 0.6) {
      add(zone, `${label} MX 10 ${hoster[0]}.\n${label} MX 20 ${hoster[1]}.\n`);
      hoster.forEach(ask);
    } else if (roll < 0.95) {
      const hosts = random() < 0.3 ? ['mx1', 'mx2'] : ['mail'];
      add(zone, hosts.map((host, p) => `${label} MX ${10 * (p + 1)} ${host}.${label}\n${host}.${label} A ${ipv4(own * 2 + p)}\n${host}.${label} AAAA ${ipv6(own * 2 + p)}\n`).join(''));
      hosts.forEach((host) => ask(`${host}.${domain}`));
    } else {
      const broken = Math.floor(random() * 6);
      expected.set(domain, broken === 1 ? 'warn' : broken === 5 ? 'pass' : 'fail');
      if (broken === 0) continue; // not in the zone: NXDOMAIN
      if (broken === 1) add(zone, `${label} A ${ipv4(own)}\n`);
      if (broken === 2) add(zone, `${label} MX 10 smtp.${label}\nsmtp.${label} CNAME mail.${label}\nmail.${label} A ${ipv4(own)}\n`);
      if (broken === 3) add(zone, `${label} MX 10 gone.${label}\n`);
      if (broken === 4) add(zone, `${label} MX 10 mail.${label}\nmail.${label} A 10.${(i >> 8) & 0xff}.${i & 0xff}.25\n`);
      if (broken === 5) add(zone, `${label} MX 0 .\n`);
    }
  }
  return { zones, domains, expected, queries, wildcardZone: 'wild.bench' };
}
