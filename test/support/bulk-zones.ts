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
 * Other shapes (`BULK_SHAPES`) move the shares: mostly unique exchanges, mostly one provider. With
 * `mailAuth`, each domain also gets the SPF and DMARC records its kind would publish (`--checks
 * mx,spf,dmarc`), under a `bench` zone so that the DMARC tree walk ends at an answer.
 * Addresses are made up; nothing ever connects to them.
 */
import { seededRandom } from './random.js';
import type { Status } from '../../src/core/finding.js';

/** Shares of the domains by kind, in this order; what is left over is broken. */
interface Shares {
  /** The big provider's classic five MX. */
  classic: number;
  /** The big provider's single MX. */
  single: number;
  /** An exchange name per customer at the second provider. */
  tenant: number;
  /** The hoster's two exchanges. */
  hoster: number;
  /** Their own exchange(s). */
  own: number;
}

export const BULK_SHAPES = {
  /** The mix above, the benchmark's first list. */
  mixed: { classic: 0.2, single: 0.15, tenant: 0.15, hoster: 0.1, own: 0.35 },
  /** Mostly unique exchanges: 85% with their own, little to share between domains. */
  unique: { classic: 0.02, single: 0.02, tenant: 0.03, hoster: 0.03, own: 0.85 },
  /** Mostly one provider: 90% on the big provider's exchanges. */
  provider: { classic: 0.75, single: 0.15, tenant: 0, hoster: 0.02, own: 0.03 },
} as const satisfies Record<string, Shares>;
export type BulkShape = keyof typeof BULK_SHAPES;

export interface ZoneSetOptions {
  seed?: number;
  /** Default 'mixed'. */
  shape?: BulkShape;
  /** SPF and DMARC records for every domain but the broken ones (the verdicts in `expected` are then for `--checks mx` only). */
  mailAuth?: boolean;
}

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

/** The SPF and DMARC side of the world: the providers' records, and what each kind of domain publishes. */
function mailAuthRecords(add: (zone: string, text: string) => void): void {
  add('bench', '');
  add('mailcloud.bench', [
    '_spf.mailcloud.bench. TXT "v=spf1 include:_netblocks.mailcloud.bench include:_netblocks2.mailcloud.bench ~all"',
    '_netblocks.mailcloud.bench. TXT "v=spf1 ip4:185.16.0.0/16 ip6:2a01:4f8::/32 ~all"',
    '_netblocks2.mailcloud.bench. TXT "v=spf1 ip4:185.17.0.0/16 ~all"',
    // Consent to receive any domain's aggregate reports (RFC 9990 §4), as the big report processors publish it.
    `*._report._dmarc.${REPORT_PROCESSOR}. TXT "v=DMARC1"`,
    '',
  ].join('\n'));
  add('protection.bench', 'spf.protection.bench. TXT "v=spf1 ip4:185.20.0.0/14 -all"\n');
}

const SPF_OF_KIND: Record<keyof Shares, string> = {
  classic: 'v=spf1 include:_spf.mailcloud.bench ~all',
  single: 'v=spf1 include:_spf.mailcloud.bench ~all',
  tenant: 'v=spf1 include:spf.protection.bench -all',
  hoster: 'v=spf1 a:mx1.hostco.bench a:mx2.hostco.bench ~all',
  own: 'v=spf1 mx -all',
};

const REPORT_PROCESSOR = 'dmarc.mailcloud.bench';

/** Half publish DMARC with reports to themselves, 30% to a report processor (whose consent is asked), the rest none. */
function dmarcRecord(label: string, domain: string, roll: number): { text: string; external: boolean } {
  if (roll < 0.5) return { text: `_dmarc.${label} TXT "v=DMARC1; p=reject; rua=mailto:dmarc@${domain}"\n`, external: false };
  if (roll < 0.8) return { text: `_dmarc.${label} TXT "v=DMARC1; p=none; rua=mailto:reports@${REPORT_PROCESSOR}"\n`, external: true };
  return { text: '', external: false };
}

export function buildZoneSet(domainCount: number, options: ZoneSetOptions = {}): ZoneSet {
  const random = seededRandom(options.seed ?? 2024);
  const shares: Shares = BULK_SHAPES[options.shape ?? 'mixed'];
  const bound = {
    classic: shares.classic,
    single: shares.classic + shares.single,
    tenant: shares.classic + shares.single + shares.tenant,
    hoster: shares.classic + shares.single + shares.tenant + shares.hoster,
    own: shares.classic + shares.single + shares.tenant + shares.hoster + shares.own,
  };
  const zones: Record<string, string> = {};
  const add = (zone: string, text: string): void => {
    zones[zone] = (zones[zone] ?? zoneHead(zone)) + text;
  };
  const domains: string[] = [];
  const expected = new Map<string, Status>();
  const queries: string[] = [];
  const google = Array.from({ length: 5 }, (_, i) => `${i === 0 ? 'aspmx' : `alt${i}.aspmx`}.l.mailcloud.bench`);
  google.forEach((host, i) => add('mailcloud.bench', `${host}. A ${ipv4(i + 1)}\n${host}. AAAA ${ipv6(i + 1)}\n`));
  const googleSingle = 'smtp.mailcloud.bench';
  add('mailcloud.bench', `${googleSingle}. A ${ipv4(10)}\n${googleSingle}. AAAA ${ipv6(10)}\n`);
  const hoster = ['mx1.hostco.bench', 'mx2.hostco.bench'];
  hoster.forEach((host, i) => add('hostco.bench', `${host}. A ${ipv4(100 + i)}\n${host}. AAAA ${ipv6(100 + i)}\n`));
  add('protection.bench', '');
  add('wild.bench', `*.wild.bench. MX 1 ${google[0]}.\n*.wild.bench. MX 5 ${google[1]}.\n`);
  if (options.mailAuth) mailAuthRecords(add);
  const asked = new Set<string>();
  const askOnce = (question: string): void => {
    if (asked.has(question)) return;
    asked.add(question);
    queries.push(question);
  };
  const mailAuth = (zone: string, label: string, domain: string, kind: keyof Shares): void => {
    if (!options.mailAuth) return;
    const dmarc = dmarcRecord(label, domain, random());
    add(zone, `${label} TXT "${SPF_OF_KIND[kind]}"\n${dmarc.text}`);
    for (const name of [domain, `_dmarc.${domain}`, `_dmarc.${zone}`, '_dmarc.bench']) askOnce(`${name} TXT`);
    if (kind === 'classic' || kind === 'single') ['_spf', '_netblocks', '_netblocks2'].forEach((name) => askOnce(`${name}.mailcloud.bench TXT`));
    if (kind === 'tenant') askOnce('spf.protection.bench TXT');
    if (dmarc.external) {
      [`_dmarc.${REPORT_PROCESSOR} TXT`, '_dmarc.mailcloud.bench TXT'].forEach(askOnce);
      askOnce(`${domain}._report._dmarc.${REPORT_PROCESSOR} TXT`);
    }
  };

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
    if (roll < bound.classic) {
      add(zone, google.map((host, p) => `${label} MX ${p === 0 ? 1 : p * 5} ${host}.\n`).join(''));
      google.forEach(ask);
      mailAuth(zone, label, domain, 'classic');
    } else if (roll < bound.single) {
      add(zone, `${label} MX 1 ${googleSingle}.\n`);
      ask(googleSingle);
      mailAuth(zone, label, domain, 'single');
    } else if (roll < bound.tenant) {
      const tenant = `${label}-${zone.replace('.', '-')}.mail.protection.bench`;
      add(zone, `${label} MX 0 ${tenant}.\n`);
      add('protection.bench', `${tenant}. A ${ipv4(own)}\n${tenant}. A ${ipv4(own + 500_000)}\n`);
      ask(tenant);
      mailAuth(zone, label, domain, 'tenant');
    } else if (roll < bound.hoster) {
      add(zone, `${label} MX 10 ${hoster[0]}.\n${label} MX 20 ${hoster[1]}.\n`);
      hoster.forEach(ask);
      mailAuth(zone, label, domain, 'hoster');
    } else if (roll < bound.own) {
      const hosts = random() < 0.3 ? ['mx1', 'mx2'] : ['mail'];
      add(zone, hosts.map((host, p) => `${label} MX ${10 * (p + 1)} ${host}.${label}\n${host}.${label} A ${ipv4(own * 2 + p)}\n${host}.${label} AAAA ${ipv6(own * 2 + p)}\n`).join(''));
      hosts.forEach((host) => ask(`${host}.${domain}`));
      mailAuth(zone, label, domain, 'own');
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
