/**
 * Unit tests of the bulk-run building blocks: reading a list line by line, the bounded map that
 * reads only when a slot is free, the shard partition, the query rate limit, the LRU behind the
 * lookup cache, and the report writer's backpressure. No network.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { domainOfLine, readDomainLines } from '../../src/cli/domain-lines.js';
import { MAX_INPUT_CHARS, parseDomainInput } from '../../src/dns/name.js';
import { mapBounded } from '../../src/engine/bounded-map.js';
import { inShard, MAX_SHARDS, parseShard, shardOf } from '../../src/cli/shard.js';
import { QueryRateLimit, RATE_BURST_SECONDS } from '../../src/dns/rate-limit.js';
import { LruMap } from '../../src/dns/lru.js';
import { ReportWriter } from '../../src/cli/output.js';
import type { OutputStream } from '../../src/cli/output.js';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function chunks(...parts: (string | Buffer)[]): AsyncIterable<Buffer | string> {
  return Readable.from(parts, { objectMode: true });
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('readDomainLines', () => {
  test('one domain per line; comments, blanks and surrounding space go; CRLF and a last line without newline work', async () => {
    const text = '# customers\nexample.com\r\n\n  example.org  # the other one\n\t\nxn--bcher-kva.example';
    assert.deepEqual(await collect(readDomainLines(chunks(text))), ['example.com', 'example.org', 'xn--bcher-kva.example']);
  });

  test('lines split across chunks, a multi-byte character split across chunks, a byte order mark', async () => {
    const bytes = Buffer.from('\ufeffexample.com\nbücher.example\nlast.example\n');
    const split = [bytes.subarray(0, 5), bytes.subarray(5, 17), bytes.subarray(17, 18), bytes.subarray(18)];
    assert.deepEqual(await collect(readDomainLines(chunks(...split))), ['example.com', 'bücher.example', 'last.example']);
  });

  test('invalid lines are handed on, to be reported as results', async () => {
    assert.deepEqual(await collect(readDomainLines(chunks('https://example.com/\nexample.com:25\n'))), ['https://example.com/', 'example.com:25']);
  });

  test(`a line longer than ${MAX_INPUT_CHARS} characters is not held whole, and is no domain`, async () => {
    const long = 'a'.repeat(MAX_INPUT_CHARS * 50);
    const lines = await collect(readDomainLines(chunks(`${long}\nexample.com\n`)));
    assert.equal(lines.length, 2);
    assert.equal(lines[0]!.length, MAX_INPUT_CHARS + 1);
    assert.equal(lines[1], 'example.com');
  });

  test('a line over the limit is never cut short into the name it starts with', async () => {
    const spaces = ' '.repeat(MAX_INPUT_CHARS * 25);
    const lines = await collect(readDomainLines(chunks('good.example', spaces, spaces, 'evil.example\nnext.example\n')));
    assert.equal(lines.length, 2);
    assert.deepEqual(parseDomainInput(lines[0]!), { valid: false, reason: `it is longer than ${MAX_INPUT_CHARS} characters (a domain name has at most 253)` });
    assert.equal(lines[1], 'next.example');
    // A comment in the part kept makes the rest a comment, however long: the name before it stands.
    assert.deepEqual(await collect(readDomainLines(chunks(`good.example # ${spaces}x\n`))), ['good.example']);
  });

  test('domainOfLine', () => {
    assert.equal(domainOfLine('  # only a comment'), null);
    assert.equal(domainOfLine(''), null);
    assert.equal(domainOfLine('example.com#x'), 'example.com');
  });
});

describe('mapBounded', () => {
  /** A source that counts how far it has been read. */
  function counting(total: number): { source: AsyncIterable<number>; read: () => number } {
    let read = 0;
    return {
      source: (async function* () {
        for (let i = 0; i < total; i++) {
          read++;
          yield i;
        }
      })(),
      read: () => read,
    };
  }

  test('reads the source only when a slot is free: never more than `concurrency` items ahead of what is taken', async () => {
    const { source, read } = counting(1000);
    const release: (() => void)[] = [];
    const results = mapBounded(source, 4, 'completion', (n) => new Promise<number>((resolve) => release.push(() => resolve(n))));
    const first = results.next();
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(read(), 4, 'four started, nothing more read');
    release.shift()!();
    assert.equal((await first).value, 0);
    const second = results.next();
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(read(), 5, 'one taken, one more read');
    // Results finished but not taken keep their slots: no further reading.
    for (const finish of release.splice(0)) finish();
    assert.equal((await second).done, false);
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(read(), 5);
    await results.return(undefined);
  });

  test('completion order hands over whatever finishes first; input order keeps the order of the source', async () => {
    // Each item finishes when the test says so, in the order 3, 1, 2, 0: no timer decides it.
    const run = async (order: 'completion' | 'input'): Promise<number[]> => {
      const finish: (() => void)[] = [];
      const work = (i: number): Promise<number> => new Promise((resolve) => { finish[i] = () => resolve(i); });
      const results = collect(mapBounded([0, 1, 2, 3], 4, order, work));
      for (const i of [3, 1, 2, 0]) {
        while (finish[i] === undefined) await tick();
        finish[i]();
        for (let turn = 0; turn < 5; turn++) await tick();
      }
      return results;
    };
    assert.deepEqual(await run('completion'), [3, 1, 2, 0]);
    assert.deepEqual(await run('input'), [0, 1, 2, 3]);
  });

  test('in input order a slow item holds back at most `concurrency` started behind it', async () => {
    const { source, read } = counting(100);
    let releaseFirst: () => void = () => {};
    const results = mapBounded(source, 3, 'input', (n) => (n === 0 ? new Promise<number>((resolve) => { releaseFirst = () => resolve(0); }) : Promise.resolve(n)));
    const first = results.next();
    for (let i = 0; i < 20; i++) await tick();
    assert.equal(read(), 3);
    releaseFirst();
    assert.equal((await first).value, 0);
    assert.deepEqual((await collect(results)).slice(0, 3), [1, 2, 3]);
  });

  test('a result is handed over while a slow source is still waited for', async () => {
    let more: () => void = () => {};
    const source = (async function* () {
      yield 1;
      await new Promise<void>((resolve) => { more = resolve; });
      yield 2;
    })();
    const results = mapBounded(source, 4, 'completion', async (n) => n * 10);
    assert.equal((await results.next()).value, 10, 'the first result comes before the source says more');
    more();
    assert.equal((await results.next()).value, 20);
    assert.equal((await results.next()).done, true);
  });

  test('a failing item and a failing source end the run with their error', async () => {
    await assert.rejects(collect(mapBounded([1, 2, 3], 2, 'completion', async (n) => { if (n === 2) throw new Error('item 2'); return n; })), /item 2/);
    const broken = (async function* () { yield 1; throw new Error('read error'); })();
    await assert.rejects(collect(mapBounded(broken, 2, 'input', async (n) => n)), /read error/);
  });

  test('stopping early lets the source go', async () => {
    let finished = false;
    const source = (async function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        finished = true;
      }
    })();
    for await (const n of mapBounded(source, 2, 'input', async (x) => x)) if (n === 3) break;
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(finished, true);
  });

  test('refuses a concurrency below 1', async () => {
    await assert.rejects(collect(mapBounded([1], 0, 'input', async (n) => n)), /at least 1/);
  });
});

describe('shards', () => {
  test('I/N is read with 1 <= I <= N', () => {
    assert.deepEqual(parseShard('2/8'), { ok: true, shard: { index: 2, count: 8 } });
    for (const bad of ['0/8', '9/8', '1/0', '1/', '/2', 'a/b', '1/2/3', `1/${MAX_SHARDS + 1}`, '-1/2']) assert.equal(parseShard(bad).ok, false, bad);
  });

  test('the partition is disjoint and covers the list, is the same every time, and about even', () => {
    const domains = Array.from({ length: 20_000 }, (_, i) => `d${i}.example`);
    const count = 7;
    const sizes = new Array<number>(count).fill(0);
    for (const domain of domains) {
      const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(domain, { index, count }));
      assert.equal(owners.length, 1, `${domain} belongs to exactly one shard`);
      assert.equal(shardOf(domain, count), owners[0]);
      sizes[owners[0]! - 1]!++;
    }
    for (const size of sizes) assert.ok(Math.abs(size - domains.length / count) < domains.length / count / 10, `shard sizes ${sizes.join(', ')}`);
  });

  test('the shard of a domain does not depend on how it is written', () => {
    assert.equal(shardOf('Example.COM.', 16), shardOf('example.com', 16));
    assert.equal(shardOf('bücher.example', 16), shardOf('xn--bcher-kva.example', 16));
  });

  test('documented: the first 48 bits of SHA-256 of the domain, modulo N, plus 1', () => {
    // sha256("example.com") starts a379a6f6eeaf: 0xa379a6f6eeaf % 10 + 1.
    assert.equal(shardOf('example.com', 10), (0xa379a6f6eeaf % 10) + 1);
  });
});

describe('QueryRateLimit', () => {
  test('a burst of the rate × RATE_BURST_SECONDS goes at once, the rest at the rate', async () => {
    const perSecond = 200;
    // The limiter's clock stands still while the queries are taken (a loaded machine would otherwise
    // refill a token between two takes), then runs on at real speed from where it stood.
    let pausedFor = 0;
    let pausedAt: number | null = performance.now();
    const limit = new QueryRateLimit(perSecond, () => (pausedAt ?? performance.now()) - pausedFor);
    const burst = perSecond * RATE_BURST_SECONDS;
    let immediate = 0;
    const waits: Promise<void>[] = [];
    for (let i = 0; i < burst + 20; i++) {
      const turn = limit.take();
      if (turn === null) immediate++;
      else waits.push(turn);
    }
    pausedFor = performance.now() - pausedAt;
    pausedAt = null;
    assert.equal(immediate, burst);
    const started = performance.now();
    await Promise.all(waits);
    const elapsed = performance.now() - started;
    // 20 more at 200/s: at least 100 ms (less a timer's rounding), with room for a loaded machine above.
    assert.ok(elapsed >= 95, `the 20 waited ${Math.round(elapsed)} ms`);
    assert.ok(elapsed < 2000, `the 20 waited ${Math.round(elapsed)} ms`);
  });

  test('first come, first served', async () => {
    const limit = new QueryRateLimit(1000);
    const order: number[] = [];
    while (limit.take() === null) { /* use up the burst */ }
    await Promise.all([0, 1, 2, 3, 4].map((i) => limit.take()!.then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });

  test('refuses a rate that is not positive', () => {
    for (const rate of [0, -1, Number.NaN, Infinity]) assert.throws(() => new QueryRateLimit(rate), /positive/);
  });
});

describe('LruMap', () => {
  test('drops the least recently used beyond its capacity; get and set make an entry recent', () => {
    const lru = new LruMap<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    assert.equal(lru.get('a'), 1);
    lru.set('d', 4); // drops b
    assert.equal(lru.get('b'), undefined);
    lru.set('c', 30); // c recent again
    lru.set('e', 5); // drops a
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((k) => lru.get(k)), [undefined, undefined, 30, 4, 5]);
    assert.equal(lru.size, 3);
    lru.delete('c');
    lru.delete('nothing');
    assert.equal(lru.size, 2);
  });

  test('capacity 0 holds nothing', () => {
    const lru = new LruMap<string, number>(0);
    lru.set('a', 1);
    assert.equal(lru.size, 0);
  });
});

describe('ReportWriter', () => {
  /** A stream whose buffer is "full" after every write until it is drained by hand. */
  function slowStream(): OutputStream & { written: string[]; drain(): void } {
    const listeners = new Map<string, Set<() => void>>();
    return {
      written: [],
      write(text: string) {
        this.written.push(text);
        return false;
      },
      once(event, listener) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
      },
      off(event, listener) {
        listeners.get(event)?.delete(listener);
      },
      drain() {
        for (const listener of [...(listeners.get('drain') ?? [])]) listener();
      },
    };
  }

  test('what is written in one turn goes out in one write; the next write waits until the stream drains', async () => {
    const stream = slowStream();
    const writer = new ReportWriter(stream);
    await writer.write('a');
    await writer.write('b');
    assert.deepEqual(stream.written, []);
    await tick();
    assert.deepEqual(stream.written, ['ab']);
    let third = false;
    const writing = writer.write('c').then(() => { third = true; });
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(third, false, 'held back while the stream is full');
    stream.drain();
    await writing;
    const ending = writer.end();
    stream.drain();
    await ending;
    assert.deepEqual(stream.written, ['ab', 'c']);
  });

  test('the callback before each write runs (the progress line steps aside)', async () => {
    const calls: string[] = [];
    const writer = new ReportWriter({ write: (text: string) => { calls.push(`write ${text}`); return true; } }, () => calls.push('clear'));
    await writer.write('x');
    await writer.end();
    assert.deepEqual(calls, ['clear', 'write x']);
  });
});
