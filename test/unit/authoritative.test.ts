/**
 * The authoritative mode against in-process servers on loopback (ephemeral ports, given with --ns):
 * two servers with different zone versions, one answering without AA (a cache: the fault real
 * authoritative servers do not produce), one serving another zone (REFUSED) and one port where
 * nothing listens. The same with real NSD servers in a whole hierarchy is test/e2e/authoritative-e2e.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { checkDomain } from '../../src/modes/domains.js';
import { findZoneCut } from '../../src/facts/zone-cut.js';
import { parseNameServerSpec } from '../../src/dns/name-server-spec.js';
import type { NameServerSpec } from '../../src/core/options.js';
import { Resolver } from '../../src/dns/resolver.js';
import type { DomainResult } from '../../src/engine/result.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import type { LocalDnsServer } from '../../src/dns/local-server/server.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { runCli } from '../support/e2e.js';
import { freePort } from '../support/ports.js';

function records(text: string) {
  const zone = readZoneText(text, { file: 'test zone' });
  assert.deepEqual(zone.problems, []);
  return zone.records;
}

const SHOP_HEAD = '$ORIGIN shop.test.\n$TTL 300\n';
const SHOP_V2 = `${SHOP_HEAD}@ SOA ns1 hostmaster 2024060102 7200 3600 1209600 300
 NS ns1
 NS ns2
 MX 10 mx1
 MX 20 mx.provider.test.
 TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject"
ns1 A 185.199.110.53
ns2 A 185.199.110.54
mx1 A 185.199.110.25
mx1 AAAA 2a01:4f8:c17:5::25
`;
const SHOP_V1 = `${SHOP_HEAD}@ SOA ns1 hostmaster 2024060101 7200 3600 1209600 300
 NS ns1
 NS ns2
 MX 10 mx1
 TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject"
ns1 A 185.199.110.53
ns2 A 185.199.110.54
mx1 A 185.199.110.99
`;
const PROVIDER = `$ORIGIN provider.test.\n$TTL 300\n@ SOA ns1 h 1 1 1 1 1\n NS ns1\nns1 A 185.199.111.53
mx A 185.199.111.25\nmx AAAA 2a01:4f8:c17:6::25\n`;
const OTHER = '$ORIGIN other.test.\n$TTL 300\n@ SOA ns1 h 1 1 1 1 1\n NS ns1\nns1 A 185.199.112.53\n';
/** The top-level domain, as the resolver finds it: the DMARC tree walk ends at _dmarc.test (RFC 9989 §4.10). */
const TLD = '$ORIGIN test.\n$TTL 300\n@ SOA ns1.provider.test. h 1 1 1 1 1\n NS ns1.provider.test.\n';

const servers: Record<'resolver' | 'current' | 'old' | 'cache' | 'other', LocalDnsServer> = {} as never;
let downPort: number;

before(async () => {
  servers.resolver = await startLocalDnsServer({ records: [...records(PROVIDER), ...records(TLD)] });
  servers.current = await startLocalDnsServer({ records: records(SHOP_V2) });
  servers.old = await startLocalDnsServer({ records: records(SHOP_V1) });
  servers.cache = await startLocalDnsServer({
    records: records(SHOP_V2),
    behave: () => ({ kind: 'answer', edit: (reply) => { reply.flags = (reply.flags ?? 0) & ~dnsPacket.AUTHORITATIVE_ANSWER; } }),
  });
  servers.other = await startLocalDnsServer({ records: records(OTHER) });
  downPort = await freePort();
});
after(async () => {
  await Promise.all(Object.values(servers).map((server) => server?.close()));
});

function nameservers(): NameServerSpec[] {
  const spec = (name: string, server: LocalDnsServer | string): NameServerSpec => {
    const parsed = parseNameServerSpec(`${name}/${typeof server === 'string' ? server : server.address}`);
    assert.ok(parsed.ok);
    return parsed.spec;
  };
  return [
    spec('ns1.shop.test', servers.current), spec('ns2.shop.test', servers.old), spec('ns3.cache.test', servers.cache),
    spec('ns4.other.test', servers.other), spec('ns5.down.test', `127.0.0.1:${downPort}`),
  ];
}

function check(): Promise<DomainResult> {
  return checkDomain('shop.test', { servers: [servers.resolver.address], timeoutMs: 300, retries: 0, authoritative: { nameservers: nameservers() } });
}

describe('--ns: the zone on given servers, before delegation', () => {
  test('what each server answers: status, serial, MX RRset, exchanges', async () => {
    const result = await check();
    const section = result.authoritative!;
    assert.equal(section.zone, 'shop.test');
    assert.equal(section.source, 'given');
    assert.deepEqual(section.servers.map((s) => [s.name, s.status, s.serial]), [
      ['ns1.shop.test', 'authoritative', 2024060102],
      ['ns2.shop.test', 'authoritative', 2024060101],
      ['ns3.cache.test', 'not-authoritative', undefined],
      ['ns4.other.test', 'lame', undefined],
      ['ns5.down.test', 'unreachable', undefined],
    ]);
    assert.deepEqual(section.servers[0]!.mx, [{ preference: 10, exchange: 'mx1.shop.test' }, { preference: 20, exchange: 'mx.provider.test' }]);
    assert.deepEqual(section.servers[1]!.mx, [{ preference: 10, exchange: 'mx1.shop.test' }]);
    assert.deepEqual(section.servers[1]!.exchanges, [{ name: 'mx1.shop.test', cname: [], addresses: [{ address: '185.199.110.99', family: 4 }] }]);
    assert.equal(section.servers[3]!.problem, 'answers REFUSED for the zone shop.test');
    assert.match(section.servers[2]!.problem!, /without the AA flag/);
    assert.match(section.servers[4]!.problem!, /gives no usable answer/);
  });

  test('the findings: each server problem once, the disagreement with who says what, MX findings of one version marked', async () => {
    const result = await check();
    assert.equal(result.status, 'fail');
    assert.deepEqual(result.findings.map((f) => `${f.severity} ${f.rule} ${f.target ?? ''}`.trim()), [
      'error ns-lame ns4.other.test',
      'error ns-not-authoritative ns3.cache.test',
      'unknown ns-unreachable ns5.down.test',
      'warning ns-mx-inconsistent',
      'warning ns-mx-inconsistent mx1.shop.test',
      'info dmarc-no-aggregate-reports',
      'info mx-no-ipv6',
      'info mx-single mx1.shop.test',
    ]);
    const [mx, addresses] = result.findings.filter((f) => f.rule === 'ns-mx-inconsistent');
    assert.match(mx!.message, /ns1\.shop\.test \(127\.0\.0\.1:\d+, serial 2024060102\) says MX 10 mx1\.shop\.test, MX 20 mx\.provider\.test; ns2\.shop\.test \(127\.0\.0\.1:\d+, serial 2024060101\) says MX 10 mx1\.shop\.test\./);
    assert.match(addresses!.message, /says A 185\.199\.110\.25, AAAA 2a01:4f8:c17:5::25; ns2\.shop\.test \(127\.0\.0\.1:\d+, serial 2024060101\) says A 185\.199\.110\.99, no AAAA \(nodata\)\./);
    for (const rule of ['mx-single', 'mx-no-ipv6']) {
      assert.match(result.findings.find((f) => f.rule === rule)!.message, /\(In what ns2\.shop\.test \(127\.0\.0\.1:\d+\) serves; the other servers differ\.\)$/);
    }
    assert.deepEqual(result.mx.map((m) => m.exchange), ['mx1.shop.test', 'mx.provider.test'], 'the result shows the first authoritative server\'s data');
  });

  test('every question to a zone server goes without recursion; names outside the zone go to the resolver', async () => {
    for (const server of Object.values(servers)) (server.queries as unknown[]).length = 0;
    await check();
    const zoneQueries = [servers.current, servers.old, servers.cache, servers.other].flatMap((s) => s.queries);
    assert.ok(zoneQueries.length > 0);
    assert.ok(zoneQueries.every((q) => !q.flags.rd), 'RD is never set towards a zone server');
    assert.ok(zoneQueries.every((q) => q.name === 'shop.test' || q.name.endsWith('.shop.test')));
    // The exchange at the provider, the DMARC tree walk past the zone, and (the takeover check) whether the provider's domain exists.
    assert.deepEqual([...new Set(servers.resolver.queries.map((q) => q.name))].sort(), ['_dmarc.test', 'mx.provider.test', 'provider.test']);
  });

  test('the command line: --ns NAME/IP:PORT, repeatable, exit 2; a bad --ns is a usage error', async () => {
    const args = nameservers().flatMap((spec) => ['--ns', `${spec.name}/${spec.address!.host}:${spec.address!.port}`]);
    const run = await runCli(['shop.test', '--server', servers.resolver.address, '--timeout', '300', '--retries', '0', '--format', 'json', ...args]);
    assert.equal(run.code, 2, run.stderr);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(result!.authoritative!.servers.map((s) => s.status), ['authoritative', 'authoritative', 'not-authoritative', 'lame', 'unreachable']);
    const text = await runCli(['shop.test', '--server', servers.resolver.address, '--timeout', '300', '--retries', '0', ...args]);
    assert.match(text.stdout, /^ {2}name servers of shop\.test \(given with --ns\):$/m);
    assert.match(text.stdout, /^ {4}✓ ns1\.shop\.test 127\.0\.0\.1:\d+ {2}authoritative, serial 2024060102$/m);
    assert.match(text.stdout, /^ {4}✗ ns4\.other\.test 127\.0\.0\.1:\d+ {2}lame: answers REFUSED for the zone shop\.test$/m);
    const bad = await runCli(['shop.test', '--ns', 'ns1.shop.test/not-an-address', '--server', servers.resolver.address]);
    assert.equal(bad.code, 3);
    assert.match(bad.stderr, /^mxlint: --ns: "not-an-address" is not an IP address/);
  });
  test('with a list (-f): every domain of it is checked on the given servers, an invalid line is its own result', async () => {
    const [current] = nameservers();
    const run = await runCli(['-f', '-', '--format', 'jsonl', '--ns', `${current!.name}/${current!.address!.host}:${current!.address!.port}`,
      '--server', servers.resolver.address, '--timeout', '300', '--retries', '0'], { stdin: 'shop.test\nhttps://shop.test/\n' });
    assert.equal(run.code, 3, run.stderr);
    const results = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as DomainResult).sort((a, b) => a.input.localeCompare(b.input));
    assert.deepEqual(results.map((r) => [r.input, r.status]), [['https://shop.test/', 'unknown'], ['shop.test', 'pass']]);
    assert.deepEqual(results[1]!.authoritative!.servers.map((s) => [s.name, s.status, s.serial]), [['ns1.shop.test', 'authoritative', 2024060102]]);
    assert.equal(results[0]!.findings[0]!.rule, 'domain-invalid');
  });
});

describe('when the servers give nothing to judge', () => {
  test('no server answers for the zone: only the servers are reported, no MX facts', async () => {
    const [, , , lame, down] = nameservers();
    const result = await checkDomain('shop.test', { servers: [servers.resolver.address], timeoutMs: 300, retries: 0, authoritative: { nameservers: [lame!, down!] } });
    assert.equal(result.status, 'fail');
    assert.deepEqual(result.mx, []);
    assert.deepEqual(result.findings.map((f) => f.rule), ['ns-lame', 'ns-unreachable']);
    assert.equal(result.authoritative!.zone, 'shop.test', 'no server names the zone: the domain is taken for it');
  });

  test('the NS set cannot be found (the resolver does not answer): unknown, dns-lookup-failed', async () => {
    const result = await checkDomain('shop.test', { servers: [`127.0.0.1:${downPort}`], timeoutMs: 300, retries: 0, authoritative: true });
    assert.equal(result.status, 'unknown');
    assert.deepEqual(result.findings.map((f) => f.rule), ['dns-lookup-failed']);
    assert.match(result.findings[0]!.message, /^The name servers of shop\.test's zone could not be found: NS shop\.test.*\. The check could not be completed\.$/);
    assert.match(result.findings[0]!.fix, /^retry later or ask another server \(--server\)/);
    assert.equal(result.authoritative, undefined);
  });
});

describe('finding the zone cut through the resolver', () => {
  test('NS at the apex, the SOA of a negative answer below it, one label up past an empty name', async () => {
    const parent = '$ORIGIN test.\n$TTL 300\n@ SOA ns h 1 1 1 1 1\n NS ns\nns A 185.199.113.53\nshop NS ns1.shop\nns1.shop A 185.199.110.53\n';
    const server = await startLocalDnsServer({ records: [...records(parent), ...records(SHOP_V2)] });
    const resolver = new Resolver({ servers: [{ host: server.host, port: server.port, family: 4 }], timeoutMs: 500, retries: 0 });
    try {
      assert.deepEqual(await findZoneCut(resolver, 'shop.test'), { ok: true, zone: 'shop.test', nameServers: ['ns1.shop.test', 'ns2.shop.test'] });
      assert.deepEqual(await findZoneCut(resolver, 'deep.below.mx1.shop.test'), { ok: true, zone: 'shop.test', nameServers: ['ns1.shop.test', 'ns2.shop.test'] });
      assert.deepEqual(await findZoneCut(resolver, 'other.test'), { ok: true, zone: 'test', nameServers: ['ns.test'] });
      assert.ok(server.queries.every((q) => q.type === 'NS'));
    } finally {
      resolver.close();
      await server.close();
    }
  });
});

describe('parseNameServerSpec', () => {
  const cases: [string, NameServerSpec | string][] = [
    ['ns1.example.com/192.0.2.53', { name: 'ns1.example.com', address: { host: '192.0.2.53', port: 53, family: 4 } }],
    ['NS1.Example.com/[2001:db8::53]:5300', { name: 'ns1.example.com', address: { host: '2001:db8::53', port: 5300, family: 6 } }],
    ['ns1.example.com', { name: 'ns1.example.com' }],
    ['192.0.2.53:5300', { name: '192.0.2.53', address: { host: '192.0.2.53', port: 5300, family: 4 } }],
    ['ns_1.example.com/192.0.2.53', 'is not a name server\'s name'],
    ['ns1.example.com/192.0.2.53:99999', 'has no valid port'],
    ['http://ns1', 'is not a name server\'s name'],
    ['ns1..example', 'is neither a name server\'s name nor an address'],
  ];
  for (const [text, expected] of cases) {
    test(text, () => {
      const parsed = parseNameServerSpec(text);
      if (typeof expected === 'string') {
        assert.ok(!parsed.ok);
        assert.ok(parsed.reason.includes(expected), parsed.reason);
      } else {
        assert.deepEqual(parsed, { ok: true, spec: expected });
      }
    });
  }
});
