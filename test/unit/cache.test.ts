/**
 * Unit tests of LookupCache: identical lookups in flight are asked once, answers live as long as
 * their TTL (negative ones as long as the SOA says, failures a few seconds), and the cache stays
 * within its bound. The clock is injected; loads are plain functions, no resolver, no network.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CACHE_ENTRIES, FAILURE_CACHE_SECONDS, LookupCache, lookupLifetimeSeconds } from '../../src/dns/cache.js';
import type { Lookup, LookupAnswer } from '../../src/dns/lookup.js';
import type { DnsRecord } from '../../src/dns/records.js';
import { FAKE_SERVER, lookupFailure } from '../support/facts.js';

const a = (name: string, ttl: number, data = '185.199.108.153'): DnsRecord => ({ name, type: 'A', ttl, data });
const cname = (name: string, ttl: number, data: string): DnsRecord => ({ name, type: 'CNAME', ttl, data });
const soa = (ttl: number, minimum: number): DnsRecord => ({
  name: 'example.com', type: 'SOA', ttl,
  data: { mname: 'ns1.example.com', rname: 'hostmaster.example.com', serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum },
});

function answer(answers: DnsRecord[], { authorities = [] as DnsRecord[], rcode = 'NOERROR' as LookupAnswer['rcode'] } = {}): LookupAnswer {
  return {
    ok: true, question: { name: 'example.com', type: 'A' }, rcode, answers, authorities, additionals: [],
    flags: { aa: false, tc: false, rd: true, ra: true, ad: false, cd: false }, extendedErrors: [],
    server: FAKE_SERVER, transport: 'udp', durationMs: 1,
  };
}

const TIMEOUT = lookupFailure('example.com', 'A', 'timeout');

/** A load that counts its calls and answers `lookup` at once. */
function counting(lookup: Lookup): { load: () => Promise<Lookup>; calls: () => number } {
  let calls = 0;
  return { load: () => { calls++; return Promise.resolve(lookup); }, calls: () => calls };
}

/** A cache on a clock the test moves by hand (milliseconds). */
function clockedCache(maxEntries = 100): { cache: LookupCache; advance: (ms: number) => void } {
  let now = 10_000;
  return { cache: new LookupCache(maxEntries, () => now), advance: (ms) => { now += ms; } };
}

describe('lookupLifetimeSeconds', () => {
  const cases: [name: string, lookup: Lookup, seconds: number][] = [
    ['the smallest TTL of the answers', answer([a('example.com', 300), a('example.com', 60, '185.199.109.153')]), 60],
    ['a CNAME counts like any answer', answer([cname('www.example.com', 30, 'example.com'), a('example.com', 3600)]), 30],
    ['NODATA: the SOA minimum when it is the smaller', answer([], { authorities: [soa(3600, 300)] }), 300],
    ['NODATA: the SOA TTL when it is the smaller (RFC 2308 §5)', answer([], { authorities: [soa(120, 300)] }), 120],
    ['NXDOMAIN: the SOA as for NODATA', answer([], { authorities: [soa(900, 600)], rcode: 'NXDOMAIN' }), 600],
    ['a negative answer without SOA: not cached', answer([], { rcode: 'NXDOMAIN' }), 0],
    ['a TTL of 0', answer([a('example.com', 0)]), 0],
    ['a failure', TIMEOUT, 5],
  ];
  for (const [name, lookup, seconds] of cases) test(`${name}: ${seconds}`, () => assert.equal(lookupLifetimeSeconds(lookup), seconds));

  test('the constants', () => {
    assert.equal(FAILURE_CACHE_SECONDS, 5);
    assert.equal(DEFAULT_CACHE_ENTRIES, 1_000);
  });
});

describe('LookupCache', () => {
  test('identical keys in flight are loaded once, and everyone gets the one answer', async () => {
    const cache = new LookupCache();
    let release: (lookup: Lookup) => void = () => {};
    let calls = 0;
    const load = (): Promise<Lookup> => { calls++; return new Promise((resolve) => { release = resolve; }); };
    const first = cache.getOrLoad('example.com|A', load);
    const second = cache.getOrLoad('example.com|A', load);
    const third = cache.getOrLoad('example.com|A', load);
    assert.equal(calls, 1);
    const result = answer([a('example.com', 300)]);
    release(result);
    const all = await Promise.all([first, second, third]);
    for (const got of all) assert.equal(got, result);
    assert.deepEqual(cache.stats, { hits: 0, joined: 2, misses: 1 });
    assert.equal(await cache.getOrLoad('example.com|A', load), result);
    assert.equal(calls, 1);
    assert.deepEqual(cache.stats, { hits: 1, joined: 2, misses: 1 });
  });

  test('different keys are loaded separately', async () => {
    const cache = new LookupCache();
    const x = counting(answer([a('x.example', 300)]));
    const y = counting(answer([a('y.example', 300)]));
    await Promise.all([cache.getOrLoad('x.example|A', x.load), cache.getOrLoad('y.example|A', y.load), cache.getOrLoad('x.example|A', x.load)]);
    assert.deepEqual([x.calls(), y.calls()], [1, 1]);
    assert.equal(cache.size, 2);
  });

  const lifetimes: [name: string, lookup: Lookup, ms: number][] = [
    ['an answer lives for its smallest TTL', answer([a('example.com', 300), a('example.com', 60, '185.199.109.153')]), 60_000],
    ['a negative answer lives for the SOA minimum', answer([], { authorities: [soa(3600, 300)] }), 300_000],
    ['a failure lives FAILURE_CACHE_SECONDS', TIMEOUT, FAILURE_CACHE_SECONDS * 1000],
  ];
  for (const [name, lookup, ms] of lifetimes) {
    test(`${name} (${ms} ms), and is asked again after`, async () => {
      const { cache, advance } = clockedCache();
      const source = counting(lookup);
      assert.equal(await cache.getOrLoad('k', source.load), lookup);
      advance(ms - 1);
      assert.equal(await cache.getOrLoad('k', source.load), lookup);
      assert.equal(source.calls(), 1, 'still fresh 1 ms before it expires');
      advance(1);
      await cache.getOrLoad('k', source.load);
      assert.equal(source.calls(), 2, 'loaded again once expired');
      assert.deepEqual(cache.stats, { hits: 1, joined: 0, misses: 2 });
    });
  }

  const uncached: [name: string, lookup: Lookup][] = [
    ['a TTL of 0', answer([a('example.com', 0)])],
    ['a negative answer without SOA', answer([], { rcode: 'NXDOMAIN' })],
  ];
  for (const [name, lookup] of uncached) {
    test(`${name} is not cached`, async () => {
      const { cache } = clockedCache();
      const source = counting(lookup);
      await cache.getOrLoad('k', source.load);
      await cache.getOrLoad('k', source.load);
      assert.equal(source.calls(), 2);
      assert.equal(cache.size, 0);
    });
  }

  test('an expired entry is dropped when asked for', async () => {
    const { cache, advance } = clockedCache();
    await cache.getOrLoad('k', counting(answer([a('example.com', 10)])).load);
    assert.equal(cache.size, 1);
    advance(10_000);
    let release: (lookup: Lookup) => void = () => {};
    const pending = cache.getOrLoad('k', () => new Promise((resolve) => { release = resolve; }));
    assert.equal(cache.size, 0, 'the stale entry is gone while the new load runs');
    release(answer([a('example.com', 0)]));
    await pending;
  });

  test('beyond its bound the least recently used entry goes first', async () => {
    const { cache } = clockedCache(2);
    const sources = { x: counting(answer([a('x.example', 300)])), y: counting(answer([a('y.example', 300)])), z: counting(answer([a('z.example', 300)])) };
    await cache.getOrLoad('x', sources.x.load);
    await cache.getOrLoad('y', sources.y.load);
    await cache.getOrLoad('x', sources.x.load); // x is now the most recently used
    await cache.getOrLoad('z', sources.z.load); // evicts y
    assert.equal(cache.size, 2);
    await cache.getOrLoad('x', sources.x.load);
    await cache.getOrLoad('z', sources.z.load);
    assert.deepEqual([sources.x.calls(), sources.z.calls()], [1, 1], 'x and z still cached');
    await cache.getOrLoad('y', sources.y.load);
    assert.equal(sources.y.calls(), 2, 'y was evicted and is loaded again');
    assert.equal(cache.size, 2);
  });

  test('a bound of 0 caches nothing but still joins lookups in flight', async () => {
    const cache = new LookupCache(0);
    const source = counting(answer([a('example.com', 300)]));
    await Promise.all([cache.getOrLoad('k', source.load), cache.getOrLoad('k', source.load)]);
    await cache.getOrLoad('k', source.load);
    assert.equal(source.calls(), 2);
    assert.equal(cache.size, 0);
  });

  test('a load that rejects is not joined forever: the next lookup loads again', async () => {
    const cache = new LookupCache();
    let calls = 0;
    const load = (): Promise<Lookup> => (++calls === 1 ? Promise.reject(new Error('socket closed')) : Promise.resolve(TIMEOUT));
    await assert.rejects(cache.getOrLoad('k', load), /socket closed/);
    assert.equal(await cache.getOrLoad('k', load), TIMEOUT);
    assert.equal(calls, 2);
  });
});
