/**
 * The Resolver against the in-process DNS server on loopback, when the server behaves: what an answer
 * carries, NXDOMAIN as an answer, the TCP retry on truncation, forced TCP, query ids, the cache and
 * in-flight joining, many queries at once over the socket pool, IPv6, failover, and names that cannot
 * be sent. Faults are in resolver-faults.test.ts.
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIMEOUT_MS, Resolver, RETRY_BACKOFF_MS, type ResolverOptions } from '../../src/dns/resolver.js';
import { MAX_IN_FLIGHT_PER_SOCKET, MAX_SOCKETS_PER_SERVER } from '../../src/dns/udp-transport.js';
import { MAX_TCP_CONNECTIONS_PER_SERVER } from '../../src/dns/tcp-transport.js';
import { LookupCache } from '../../src/dns/cache.js';
import type { Lookup, LookupAnswer, LookupFailure } from '../../src/dns/lookup.js';
import type { DnsRecord } from '../../src/dns/records.js';
import type { ServerAddress } from '../../src/dns/server-address.js';
import { startLocalDnsServer, type LocalDnsServerOptions, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';

// ---------------------------------------------------------------------------------------------
// Served data

const TXT_STRING = 'x'.repeat(200);

const ZONE = `
$ORIGIN mx.test.
$TTL 3600
@        SOA   ns1 hostmaster 1 3600 600 86400 300
@        NS    ns1
ns1      A     192.0.2.53
@        MX    10 mail
@        MX    20 backup
mail     600   A     192.0.2.25
mail     600   AAAA  2001:db8::25
backup   1800  A     192.0.2.26
zero     0     A     192.0.2.0
www      CNAME mail
; 8 strings of 200 octets: about 1.6 kB, more than the 1232 octets of a UDP reply
big      TXT   ${Array.from({ length: 8 }, () => `"${TXT_STRING}"`).join(' ')}
`;

function zoneRecords(text: string, file: string): DnsRecord[] {
  const zone = readZoneText(text, { file });
  assert.deepEqual(zone.problems, [], `${file} reads without problems`);
  return zone.records;
}

const RECORDS = zoneRecords(ZONE, 'mx.test.zone');

const FD_EXHAUSTION = fileURLToPath(new URL('../support/fd-exhaustion.js', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Helpers

function endpoint(server: LocalDnsServer): ServerAddress {
  return { host: server.host, port: server.port, family: isIP(server.host) === 6 ? 6 : 4 };
}

async function serve(t: TestContext, options: Partial<LocalDnsServerOptions> = {}): Promise<LocalDnsServer> {
  const server = await startLocalDnsServer({ records: RECORDS, ...options });
  t.after(() => server.close());
  return server;
}

function resolverFor(t: TestContext, servers: LocalDnsServer[], options: Partial<ResolverOptions> = {}): Resolver {
  const resolver = new Resolver({ servers: servers.map(endpoint), timeoutMs: 2000, retries: 0, ...options });
  t.after(() => resolver.close());
  return resolver;
}

function answered(lookup: Lookup): LookupAnswer {
  if (!lookup.ok) assert.fail(`expected an answer, got a ${lookup.kind} failure: ${lookup.message}`);
  return lookup;
}

function failed(lookup: Lookup): LookupFailure {
  if (lookup.ok) assert.fail(`expected a failure, got ${lookup.rcode} with ${lookup.answers.length} answers`);
  return lookup;
}

/** "name TYPE ttl data" lines, sorted, for comparing sections whatever their order. */
function lines(records: DnsRecord[]): string[] {
  return records.map((record) => {
    const data = record.type === 'MX' ? `${record.data.preference} ${record.data.exchange}`
      : record.type === 'SOA' ? `${record.data.mname} ${record.data.serial} ${record.data.minimum}`
        : record.type === 'TXT' ? `${record.data.length} strings`
          : String(record.data);
    return `${record.name} ${record.type} ${record.ttl} ${data}`;
  }).sort();
}

function transports(server: LocalDnsServer): string[] {
  return server.queries.map((q) => q.transport);
}

function noScriptErrors(server: LocalDnsServer): void {
  assert.deepEqual(server.errors.map((e) => e.message), [], 'the test server script ran without errors');
}

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------

describe('Resolver: answers', () => {
  it('NOERROR: the records with their TTLs, AA, the server, the transport and the duration', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const started = performance.now();
    const lookup = answered(await resolver.lookup('mx.test', 'MX'));
    const elapsed = performance.now() - started;
    assert.equal(lookup.rcode, 'NOERROR');
    assert.deepEqual(lookup.question, { name: 'mx.test', type: 'MX' });
    assert.deepEqual(lines(lookup.answers), ['mx.test MX 3600 10 mail.mx.test', 'mx.test MX 3600 20 backup.mx.test']);
    assert.deepEqual(lookup.flags, { aa: true, tc: false, rd: true, ra: false, ad: false, cd: false });
    assert.deepEqual(lookup.extendedErrors, []);
    assert.equal(lookup.server, `127.0.0.1:${server.port}`);
    assert.equal(lookup.server, server.address);
    assert.equal(lookup.transport, 'udp');
    // In milliseconds, and the lookup's own: more than nothing, no more than the test saw it take.
    assert.ok(lookup.durationMs > 0 && lookup.durationMs <= elapsed, `durationMs ${lookup.durationMs}, ${Math.round(elapsed)} ms seen by the test`);
    // What went out: one UDP query, RD set, EDNS with a 1232-octet payload, DO off.
    assert.equal(server.queries.length, 1);
    const [query] = server.queries;
    assert.deepEqual(
      { transport: query!.transport, name: query!.name, type: query!.type, class: query!.class, flags: query!.flags, edns: query!.edns },
      { transport: 'udp', name: 'mx.test', type: 'MX', class: 'IN', flags: { rd: true, cd: false, do: false }, edns: { payloadSize: 1232, version: 0 } },
    );
    assert.deepEqual(resolver.stats, { udpQueries: 1, tcpQueries: 0, ignoredReplies: 0, lookups: 1, cacheHits: 0, joinedInFlight: 0 });
    noScriptErrors(server);
  });

  it('keeps each record its own TTL (A 600, the alias 3600)', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('www.mx.test', 'A'));
    assert.deepEqual(lines(lookup.answers), ['mail.mx.test A 600 192.0.2.25', 'www.mx.test CNAME 3600 mail.mx.test']);
  });

  it('asks in canonical form: any case, with or without the final dot', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('MAIL.Mx.TEST.', 'aaaa'));
    assert.deepEqual(lookup.question, { name: 'mail.mx.test', type: 'AAAA' });
    assert.deepEqual(lines(lookup.answers), ['mail.mx.test AAAA 600 2001:db8::25']);
    assert.equal(server.queries[0]!.wireName, 'mail.mx.test');
  });

  it('reports the AD bit and a missing AA as the server set them', async (t) => {
    const server = await serve(t, {
      behave: () => ({ kind: 'answer', edit: (reply) => { reply.flags = ((reply.flags ?? 0) | 0x0020) & ~0x0400; } }),
    });
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A'));
    assert.equal(lookup.flags.ad, true);
    assert.equal(lookup.flags.aa, false);
    assert.equal(lookup.flags.tc, false);
  });

  // A TC bit over TCP, where there is nowhere else to ask, is a failed lookup: resolver-faults.test.ts.
  it('sends the DO and CD bits and RD off when asked to, and reports the flags of the reply', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { tcp: true });
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A', { flags: { recursionDesired: false, dnssecOk: true, checkingDisabled: true } }));
    assert.deepEqual(server.queries[0]!.flags, { rd: false, cd: true, do: true });
    assert.equal(lookup.flags.tc, false);
    assert.equal(lookup.flags.rd, false);
    assert.equal(lookup.flags.cd, true);
    assert.equal(lookup.transport, 'tcp');
  });

  it('NXDOMAIN is an answer, with the SOA for negative caching, not a failure', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('nowhere.mx.test', 'MX'));
    assert.equal(lookup.rcode, 'NXDOMAIN');
    assert.deepEqual(lookup.answers, []);
    assert.deepEqual(lines(lookup.authorities), ['mx.test SOA 300 ns1.mx.test 1 300']);
    assert.equal(lookup.flags.aa, true);
    assert.equal(server.queries.length, 1, 'an NXDOMAIN is not retried');
  });

  it('NODATA is a NOERROR answer with no records', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('backup.mx.test', 'AAAA'));
    assert.equal(lookup.rcode, 'NOERROR');
    assert.deepEqual(lookup.answers, []);
    assert.deepEqual(lines(lookup.authorities), ['mx.test SOA 300 ns1.mx.test 1 300']);
  });

  it('keeps the extended errors of an answer (RFC 8914), e.g. a stale one', async (t) => {
    const server = await serve(t, {
      behave: () => ({
        kind: 'answer',
        edit: (reply) => {
          const opt = reply.additionals?.find((r) => r.type === 'OPT') as { options: { code: number; data: Buffer }[] } | undefined;
          assert.ok(opt, 'the reply has an OPT record');
          opt.options.push({ code: 15, data: Buffer.concat([Buffer.from([0, 3]), Buffer.from('served stale')]) });
        },
      }),
    });
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A'));
    assert.deepEqual(lookup.extendedErrors, [{ code: 3, text: 'served stale' }]);
    noScriptErrors(server);
  });
});

describe('Resolver: truncation and TCP', () => {
  it('retries a truncated UDP reply over TCP: the server sees UDP, then TCP', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('big.mx.test', 'TXT'));
    assert.equal(lookup.transport, 'tcp');
    assert.equal(lookup.flags.tc, false);
    assert.equal(lookup.answers.length, 1);
    const txt = lookup.answers[0]!;
    assert.equal(txt.type, 'TXT');
    assert.deepEqual(txt.type === 'TXT' ? txt.data.map((s) => Buffer.from(s).toString()) : [], Array(8).fill(TXT_STRING));
    assert.deepEqual(transports(server), ['udp', 'tcp']);
    assert.deepEqual([resolver.stats.udpQueries, resolver.stats.tcpQueries], [1, 1]);
  });

  it('retries over TCP whenever TC is set, even on a small answer', async (t) => {
    const server = await serve(t, { behave: (q) => (q.transport === 'udp' ? { kind: 'truncate' } : { kind: 'answer' }) });
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A'));
    assert.deepEqual(lines(lookup.answers), ['mail.mx.test A 600 192.0.2.25']);
    assert.equal(lookup.transport, 'tcp');
    assert.deepEqual(transports(server), ['udp', 'tcp']);
  });

  it('tcp: true asks over TCP only', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { tcp: true });
    const results = await Promise.all([resolver.lookup('mx.test', 'MX'), resolver.lookup('big.mx.test', 'TXT')]);
    for (const result of results) assert.equal(answered(result).transport, 'tcp');
    assert.deepEqual(lines(answered(results[0]!).answers), ['mx.test MX 3600 10 mail.mx.test', 'mx.test MX 3600 20 backup.mx.test']);
    assert.deepEqual(transports(server), ['tcp', 'tcp']);
    assert.deepEqual([resolver.stats.udpQueries, resolver.stats.tcpQueries], [0, 2]);
  });
});

describe('Resolver: query ids', () => {
  function assertRandomIds(ids: number[]): void {
    assert.equal(ids.length, 40);
    // 40 draws from 65536: two equal ids happen (p ≈ 1.2 %), three pairs practically never.
    assert.ok(new Set(ids).size >= 38, `ids repeat: ${ids.join(' ')}`);
    const steps = ids.slice(1).map((id, i) => (id - ids[i]! + 0x10000) & 0xffff);
    assert.ok(new Set(steps).size > 30, `ids follow a pattern: ${ids.join(' ')}`);
    assert.ok(ids.some((id) => id >= 0x8000) && ids.some((id) => id < 0x8000), 'ids use the whole 16-bit range');
  }

  it('differ from query to query over UDP', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { cache: false });
    for (let i = 0; i < 40; i++) answered(await resolver.lookup(`q${i}.mx.test`, 'A'));
    assertRandomIds(server.queries.map((q) => q.id));
  });

  it('differ from query to query over TCP', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { cache: false, tcp: true });
    for (let i = 0; i < 40; i++) answered(await resolver.lookup(`q${i}.mx.test`, 'A'));
    assertRandomIds(server.queries.map((q) => q.id));
  });
});

describe('Resolver: cache and in-flight joining', () => {
  it('asks identical questions in flight once, and all callers get the answer', async (t) => {
    const server = await serve(t, { behave: () => ({ kind: 'delay', ms: 100, then: { kind: 'answer' } }) });
    const resolver = resolverFor(t, [server]);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => resolver.lookup(i % 2 === 0 ? 'mx.test' : 'MX.TEST.', 'mx')));
    assert.equal(server.queries.length, 1);
    for (const result of results) assert.equal(result, results[0]);
    assert.deepEqual(lines(answered(results[0]!).answers), ['mx.test MX 3600 10 mail.mx.test', 'mx.test MX 3600 20 backup.mx.test']);
    assert.equal(resolver.stats.joinedInFlight, 9);
    assert.equal(resolver.stats.lookups, 10);
  });

  it('reuses an answer while its TTL lasts', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const first = answered(await resolver.lookup('mail.mx.test', 'A'));
    const second = answered(await resolver.lookup('mail.mx.test', 'A'));
    assert.equal(second, first);
    assert.equal(server.queries.length, 1);
    assert.equal(resolver.stats.cacheHits, 1);
  });

  it('reuses a negative answer (NXDOMAIN) for the SOA minimum', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    answered(await resolver.lookup('nowhere.mx.test', 'A'));
    answered(await resolver.lookup('nowhere.mx.test', 'A'));
    assert.equal(server.queries.length, 1);
  });

  it('does not reuse an answer with TTL 0', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const first = answered(await resolver.lookup('zero.mx.test', 'A'));
    assert.deepEqual(lines(first.answers), ['zero.mx.test A 0 192.0.2.0']);
    answered(await resolver.lookup('zero.mx.test', 'A'));
    assert.equal(server.queries.length, 2);
    assert.equal(resolver.stats.cacheHits, 0);
  });

  it('keeps different flags, types and servers apart', async (t) => {
    const server = await serve(t);
    const other = await serve(t);
    const resolver = resolverFor(t, [server]);
    await resolver.lookup('mail.mx.test', 'A');
    await resolver.lookup('mail.mx.test', 'A', { flags: { dnssecOk: true } });
    await resolver.lookup('mail.mx.test', 'AAAA');
    await resolver.lookup('mail.mx.test', 'A', { servers: [endpoint(other)] });
    assert.deepEqual(server.queries.map((q) => `${q.type} do=${q.flags.do}`), ['A do=false', 'A do=true', 'AAAA do=false']);
    assert.equal(other.queries.length, 1);
    assert.equal(resolver.stats.cacheHits, 0);
  });

  it('cache: false asks every time', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { cache: false });
    await resolver.lookup('mail.mx.test', 'A');
    await resolver.lookup('mail.mx.test', 'A');
    assert.equal(server.queries.length, 2);
  });

  it('a shared LookupCache serves a second resolver', async (t) => {
    const server = await serve(t);
    const cache = new LookupCache();
    const one = resolverFor(t, [server], { cache });
    const two = resolverFor(t, [server], { cache });
    const first = answered(await one.lookup('mail.mx.test', 'A'));
    assert.equal(await two.lookup('mail.mx.test', 'A'), first);
    assert.equal(server.queries.length, 1);
  });
});

describe('Resolver: many queries at once', () => {
  const COUNT = 2000;
  const bulkRecords: DnsRecord[] = [
    { name: 'bulk.test', type: 'SOA', ttl: 3600, data: { mname: 'ns.bulk.test', rname: 'hostmaster.bulk.test', serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 } },
    ...Array.from({ length: COUNT }, (_, i): DnsRecord => ({ name: `h${i}.bulk.test`, type: 'A', ttl: 300, data: addressOf(i) })),
  ];
  function addressOf(i: number): string {
    return `10.${i >> 16}.${(i >> 8) & 0xff}.${i & 0xff}`;
  }

  it(`answers ${COUNT} distinct concurrent queries correctly, none lost, over at most ${MAX_SOCKETS_PER_SERVER} sockets`, async (t) => {
    const server = await serve(t, { records: bulkRecords });
    // A lost query waits this out and fails; no answer on loopback comes near it, however busy the machine.
    const resolver = resolverFor(t, [server], { timeoutMs: 30_000, retries: 0 });
    const results = await Promise.all(Array.from({ length: COUNT }, (_, i) => resolver.lookup(`h${i}.bulk.test`, 'A')));
    const wrong = results.flatMap((result, i) => {
      if (!result.ok) return [`h${i}: ${result.kind} ${result.message}`];
      const data = result.answers.map((r) => `${r.name} ${String(r.data)}`);
      return data.length === 1 && data[0] === `h${i}.bulk.test ${addressOf(i)}` ? [] : [`h${i}: ${data.join(', ')}`];
    });
    assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} of ${COUNT} lookups went wrong`);
    assert.equal(server.queries.length, COUNT, 'every query reached the server exactly once: none lost, none retried');
    assert.equal(resolver.stats.udpQueries, COUNT);
    assert.equal(resolver.stats.ignoredReplies, 0);
    // All queries start in one tick: the first 1024 fill every socket of the pool, the rest reuse them.
    const ports = new Set(server.queries.map((q) => q.remote.port));
    assert.equal(ports.size, MAX_SOCKETS_PER_SERVER, 'source ports used');
  });

  it(`keeps at most ${MAX_IN_FLIGHT_PER_SOCKET} × ${MAX_SOCKETS_PER_SERVER} queries in flight; the rest wait their turn`, async (t) => {
    const cap = MAX_IN_FLIGHT_PER_SOCKET * MAX_SOCKETS_PER_SERVER;
    const delayMs = 200;
    let outstanding = 0;
    let peak = 0;
    const server = await serve(t, {
      records: bulkRecords,
      behave: () => {
        outstanding++;
        peak = Math.max(peak, outstanding);
        return { kind: 'delay', ms: delayMs, then: { kind: 'answer', edit: () => { outstanding--; } } };
      },
    });
    const resolver = resolverFor(t, [server], { timeoutMs: 30_000, retries: 0 });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: COUNT }, (_, i) => resolver.lookup(`h${i}.bulk.test`, 'A')));
    const elapsed = performance.now() - started;
    assert.equal(results.filter((r) => r.ok).length, COUNT);
    assert.equal(server.queries.length, COUNT);
    assert.ok(peak <= cap, `${peak} queries were in flight at once, more than ${cap}`);
    assert.ok(peak >= cap / 2, `only ${peak} queries in flight at once: the pool is not used`);
    // 2000 > 1024: at least two rounds of the server's delay.
    assert.ok(elapsed >= 2 * delayMs - 10, `took ${Math.round(elapsed)} ms`);
    noScriptErrors(server);
  });
  it(`over TCP, opens at most ${MAX_TCP_CONNECTIONS_PER_SERVER} connections to one server at once (RFC 7766 §6.2.2); the rest wait their turn`, async (t) => {
    const count = 5 * MAX_TCP_CONNECTIONS_PER_SERVER;
    let outstanding = 0;
    let peak = 0;
    const server = await serve(t, {
      records: bulkRecords,
      behave: () => {
        outstanding++;
        peak = Math.max(peak, outstanding);
        return { kind: 'delay', ms: 100, then: { kind: 'answer', edit: () => { outstanding--; } } };
      },
    });
    const resolver = resolverFor(t, [server], { timeoutMs: 30_000, retries: 0, tcp: true });
    const results = await Promise.all(Array.from({ length: count }, (_, i) => resolver.lookup(`h${i}.bulk.test`, 'A')));
    assert.equal(results.filter((r) => r.ok).length, count);
    assert.ok(server.queries.every((q) => q.transport === 'tcp'));
    // Before: one connection per query, all at once (a server that caps its connections closed the rest).
    assert.equal(peak, MAX_TCP_CONNECTIONS_PER_SERVER, `${peak} connections were open at once`);
    noScriptErrors(server);
  });
});

describe('Resolver: IPv6', () => {
  it('asks a server on [::1]', async (t) => {
    let server: LocalDnsServer;
    try {
      server = await serve(t, { host: '::1' });
    } catch (error) {
      t.skip(`no IPv6 loopback here: ${(error as Error).message}`);
      return;
    }
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('mail.mx.test', 'AAAA'));
    assert.deepEqual(lines(lookup.answers), ['mail.mx.test AAAA 600 2001:db8::25']);
    assert.equal(lookup.server, `[::1]:${server.port}`);
    assert.equal(server.address, lookup.server);
    assert.equal(server.queries[0]!.remote.address, '::1');
    const big = answered(await resolver.lookup('big.mx.test', 'TXT'));
    assert.equal(big.transport, 'tcp');
    assert.deepEqual(transports(server), ['udp', 'udp', 'tcp']);
  });
});

describe('Resolver: several servers', () => {
  it('fails over from a silent server to the next after 1 + retries attempts', async (t) => {
    const silent = await serve(t, { behave: () => ({ kind: 'silence' }) });
    const good = await serve(t);
    const resolver = resolverFor(t, [silent, good], { timeoutMs: 500, retries: 1 });
    const started = performance.now();
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A'));
    const elapsed = performance.now() - started;
    assert.equal(lookup.server, good.address);
    assert.deepEqual(lines(lookup.answers), ['mail.mx.test A 600 192.0.2.25']);
    assert.equal(silent.queries.length, 2);
    assert.equal(good.queries.length, 1);
    const expected = 2 * 500 + RETRY_BACKOFF_MS;
    // At least the silent server's two timeouts; less than they would take at the default timeout (2000 ms).
    const withDefaultTimeout = 2 * DEFAULT_TIMEOUT_MS + RETRY_BACKOFF_MS;
    assert.ok(elapsed >= expected - 10 && elapsed < withDefaultTimeout, `took ${Math.round(elapsed)} ms, expected about ${expected}`);
    assert.ok(lookup.durationMs >= expected - 10, `durationMs ${lookup.durationMs} counts from the first server`);
  });

  it('fails over at once from a server that refuses', async (t) => {
    const refusing = await serve(t, { behave: () => ({ kind: 'rcode', rcode: 'REFUSED' }) });
    const good = await serve(t);
    const resolver = resolverFor(t, [refusing, good], { timeoutMs: 1000, retries: 2 });
    const started = performance.now();
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A'));
    assert.equal(lookup.server, good.address);
    assert.equal(refusing.queries.length, 1, 'a REFUSED is not asked again');
    assert.ok(performance.now() - started < 1000, 'no timeout waited');
  });

  it('fails over from a SERVFAIL to the next server', async (t) => {
    const failing = await serve(t, { behave: () => ({ kind: 'rcode', rcode: 'SERVFAIL' }) });
    const good = await serve(t);
    const resolver = resolverFor(t, [failing, good]);
    const lookup = answered(await resolver.lookup('mx.test', 'MX'));
    assert.equal(lookup.server, good.address);
    assert.equal(failing.queries.length, 1);
  });

  it('does not ask the next server when the first says NXDOMAIN', async (t) => {
    const first = await serve(t);
    const second = await serve(t);
    const resolver = resolverFor(t, [first, second]);
    assert.equal(answered(await resolver.lookup('nowhere.mx.test', 'A')).rcode, 'NXDOMAIN');
    assert.equal(second.queries.length, 0);
  });

  it('per-lookup servers replace the resolver\'s own', async (t) => {
    const own = await serve(t, { behave: () => ({ kind: 'silence' }) });
    const chosen = await serve(t);
    const resolver = resolverFor(t, [own], { timeoutMs: 1000 });
    const started = performance.now();
    const lookup = answered(await resolver.lookup('mail.mx.test', 'A', { servers: [endpoint(chosen)] }));
    assert.equal(lookup.server, chosen.address);
    assert.equal(own.queries.length, 0);
    assert.equal(chosen.queries.length, 1);
    assert.ok(performance.now() - started < 1000, 'no timeout waited');
  });

  it('when every server fails, names each of them; the kind is the last one\'s', async (t) => {
    const refusing = await serve(t, { behave: () => ({ kind: 'rcode', rcode: 'REFUSED' }) });
    const failing = await serve(t, { behave: () => ({ kind: 'rcode', rcode: 'SERVFAIL' }) });
    const resolver = resolverFor(t, [refusing, failing]);
    const failure = failed(await resolver.lookup('mx.test', 'MX'));
    assert.equal(failure.kind, 'servfail');
    assert.equal(failure.server, failing.address);
    assert.equal(failure.message, `MX mx.test: REFUSED from ${refusing.address}; MX mx.test: SERVFAIL from ${failing.address}`);
  });

  it('needs at least one server', () => {
    assert.throws(() => new Resolver({ servers: [] }), /at least one server/);
  });
});

describe('Resolver: names that cannot be sent', () => {
  const cases: [string, string, RegExp][] = [
    ['a label of 64 octets', `${'a'.repeat(64)}.mx.test`, /label "a{64}" is longer than 63 octets/],
    ['a label of 22 three-octet characters (66 octets)', `${'€'.repeat(22)}.mx.test`, /longer than 63 octets/],
    ['an empty label', 'mail..mx.test', /empty label/],
    ['a leading dot', '.mx.test', /empty label/],
    ['254 characters', `${Array.from({ length: 4 }, () => 'a'.repeat(62)).join('.')}.ab`, /longer than 253 octets/],
    // 5 labels of 63 octets (21 × "€") and mx.test: 117 characters, 327 octets on the wire (RFC 1035 allows 255).
    ['327 octets in 117 characters', `${Array.from({ length: 5 }, () => '€'.repeat(21)).join('.')}.mx.test`, /longer than 253 octets/],
    // Read from the wire, a label holding a "." is written "\."; sent as text it would become two labels.
    ['a label holding an escaped "."', 'mx\\.1.mx.test', /holds a "\\" escape/],
  ];
  for (const [what, name, message] of cases) {
    it(`${what}: 'invalid-query', nothing sent`, async (t) => {
      const server = await serve(t);
      const resolver = resolverFor(t, [server]);
      const failure = failed(await resolver.lookup(name, 'MX'));
      assert.equal(failure.kind, 'invalid-query');
      assert.match(failure.message, message);
      assert.ok(failure.message.startsWith(`MX ${name.toLowerCase()} cannot be asked`), failure.message);
      assert.equal(failure.durationMs, 0);
      assert.equal(failure.server, undefined);
      assert.deepEqual(failure.extendedErrors, []);
      await waitMs(20);
      assert.equal(server.queries.length, 0);
      assert.equal(resolver.stats.udpQueries + resolver.stats.tcpQueries, 0, '0 packets');
    });
  }

  it('253 characters of 63-octet labels is the longest name that is sent', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const name = `${Array.from({ length: 3 }, () => 'a'.repeat(63)).join('.')}.${'b'.repeat(53)}.mx.test`;
    assert.equal(name.length, 253);
    const lookup = answered(await resolver.lookup(name, 'A'));
    assert.equal(lookup.rcode, 'NXDOMAIN');
    assert.equal(server.queries.length, 1);
  });

  it('a generic type (RFC 3597 TYPE65280) goes out as that type and is answered', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const lookup = answered(await resolver.lookup('mail.mx.test', 'TYPE65280'));
    assert.equal(lookup.rcode, 'NOERROR');
    assert.deepEqual(lookup.answers, []);
    assert.deepEqual(server.queries.map((q) => q.type), ['TYPE65280']);
  });

  it('an unknown type mnemonic is not sent as type 0', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { timeoutMs: 300 });
    const lookup = await resolver.lookup('mail.mx.test', 'BOGUS');
    assert.equal(lookup.ok, false);
    assert.equal(!lookup.ok && lookup.kind, 'invalid-query');
    assert.equal(server.queries.length, 0);
  });

  it('lookup never rejects, whatever the name, type or server', async (t) => {
    const server = await serve(t);
    const closedPort: ServerAddress = { host: '127.0.0.1', port: 9, family: 4 };
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 0 });
    const attempts: [string, string, ServerAddress[] | undefined][] = [
      ['', 'A', undefined], ['.', 'NS', undefined], ['a'.repeat(300), 'A', undefined], ['x..y', 'MX', undefined],
      ['\u0000.mx.test', 'A', undefined], ['mail.mx.test', 'A', [closedPort]], ['mail.mx.test', 'A', [{ host: '::1', port: 9, family: 6 }]],
      ['mail.mx.test', 'TYPE0', undefined], ['mail.mx.test', 'TYPE99999', undefined], ['mail.mx.test', 'ANY', undefined],
    ];
    const settled = await Promise.allSettled(attempts.map(([name, type, servers]) => resolver.lookup(name, type, servers ? { servers } : {})));
    for (const [i, outcome] of settled.entries()) {
      assert.equal(outcome.status, 'fulfilled', `lookup ${JSON.stringify(attempts[i])} rejected: ${outcome.status === 'rejected' ? String(outcome.reason) : ''}`);
    }
  });
});

describe('Resolver: closed', () => {
  it('a lookup in flight fails at once, and no socket opens again for its retries', async (t) => {
    const server = await serve(t, { behave: () => ({ kind: 'silence' }) });
    const resolver = resolverFor(t, [server], { timeoutMs: 500, retries: 3 });
    const lookup = resolver.lookup('mail.mx.test', 'A');
    await waitMs(50);
    resolver.close();
    const failure = failed(await lookup);
    assert.equal(failure.kind, 'network');
    assert.match(failure.message, /the resolver was closed/);
    await waitMs(800);
    assert.equal(server.queries.length, 1, 'no retry after the close');
    assert.equal(failed(await resolver.lookup('other.mx.test', 'A')).message, 'A other.mx.test: the resolver was closed');
  });
});

describe('Resolver: no file descriptor left for a socket', () => {
  it('EMFILE: every lookup fails as a network failure saying so, and the process does not crash', () => {
    // A child process whose descriptors are all taken (test/support/fd-exhaustion.ts): the sends queued
    // for one socket went out in one loop after the kernel refused it, and the second threw.
    const names = ['mail.fd.test', 'fd.test', 'other.fd.test', 'ns1.fd.test'];
    const child = spawnSync(process.execPath, [FD_EXHAUSTION, 'resolver', ...names], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.status, 0, `the child exited ${child.status}: ${child.stderr}`);
    const outcomes = child.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ok: boolean; kind?: string; message?: string });
    assert.equal(outcomes.length, names.length);
    for (const outcome of outcomes) {
      assert.equal(outcome.kind, 'network', JSON.stringify(outcome));
      assert.match(outcome.message!, /^A [a-z0-9.]+: cannot open a UDP socket: too many open files \(EMFILE\)/);
    }
  });
});

describe('Resolver: a signal cuts a lookup short (a check\'s deadline)', () => {
  const reason = (): Error => new Error('the check\'s deadline (100 ms) passed');

  it('aborted before it starts: \'deadline\', not asked, nothing sent', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server]);
    const controller = new AbortController();
    controller.abort(reason());
    const failure = failed(await resolver.lookup('mail.mx.test', 'A', { signal: controller.signal }));
    assert.equal(failure.kind, 'deadline');
    assert.equal(failure.message, 'A mail.mx.test: not asked: the check\'s deadline (100 ms) passed');
    await waitMs(20);
    assert.equal(server.queries.length, 0);
  });

  it('aborted while the server is silent: \'deadline\' at once, and no retry goes out afterwards', async (t) => {
    const server = await serve(t, { behave: () => ({ kind: 'silence' }) });
    const resolver = resolverFor(t, [server], { timeoutMs: 300, retries: 3, cache: false });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(reason()), 100);
    const failure = failed(await resolver.lookup('mail.mx.test', 'A', { signal: controller.signal }));
    const elapsed = performance.now() - started;
    assert.equal(failure.kind, 'deadline');
    assert.equal(failure.message, `A mail.mx.test: no answer from ${server.address} yet when the check's deadline (100 ms) passed`);
    // Unaborted: 4 attempts of 300 ms and the pauses, 1.9 s.
    assert.ok(elapsed < 1000, `took ${Math.round(elapsed)} ms`);
    await waitMs(800);
    assert.equal(server.queries.length, 1, 'no retry after the abort');
  });

  it('aborted before its datagram left (it waits for the end of the event-loop turn): it never leaves (found by the slow fuzz)', async (t) => {
    const server = await serve(t);
    const resolver = resolverFor(t, [server], { cache: false });
    const controller = new AbortController();
    const lookup = resolver.lookup('mail.mx.test', 'A', { signal: controller.signal });
    // Before the transport's own flush of the datagrams of this turn (a setImmediate), whenever in the turn the query was queued.
    queueMicrotask(() => controller.abort(reason()));
    assert.equal(failed(await lookup).kind, 'deadline');
    await waitMs(50);
    assert.equal(server.queries.length, 0);
    assert.equal(resolver.stats.udpQueries, 0);
  });

  it('shared in flight: the caller whose signal aborts gets \'deadline\' at once, the other the answer; one query', async (t) => {
    const server = await serve(t, { behave: () => ({ kind: 'delay', ms: 300, then: { kind: 'answer' } }) });
    const resolver = resolverFor(t, [server], { timeoutMs: 2000, retries: 0 });
    const controller = new AbortController();
    const cut = resolver.lookup('mail.mx.test', 'A', { signal: controller.signal });
    const patient = resolver.lookup('mail.mx.test', 'A', { signal: new AbortController().signal });
    setTimeout(() => controller.abort(reason()), 50);
    assert.equal(failed(await cut).kind, 'deadline');
    assert.deepEqual(answered(await patient).answers.map((r) => String(r.data)), ['192.0.2.25']);
    assert.equal(server.queries.length, 1);
  });

  it('every caller aborted: the lookup itself is cancelled, and the cut-short failure is not kept in the cache', async (t) => {
    let silent = true;
    const server = await serve(t, { behave: () => (silent ? { kind: 'silence' } : { kind: 'answer' }) });
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 3 });
    const first = new AbortController();
    const second = new AbortController();
    const lookups = [resolver.lookup('mail.mx.test', 'A', { signal: first.signal }), resolver.lookup('mail.mx.test', 'A', { signal: second.signal })];
    setTimeout(() => first.abort(reason()), 50);
    setTimeout(() => second.abort(reason()), 100);
    for (const lookup of await Promise.all(lookups)) assert.equal(failed(lookup).kind, 'deadline');
    await waitMs(600);
    assert.equal(server.queries.length, 1, 'the retries of the cancelled lookup never went out');
    silent = false;
    answered(await resolver.lookup('mail.mx.test', 'A'));
    assert.equal(server.queries.length, 2, 'asked afresh');
  });
});
