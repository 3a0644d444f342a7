/**
 * The Resolver against a misbehaving server: every fault ends in the right typed failure (or, where
 * the fault is survivable, in the right answer), within the time the timeouts, retries and backoff
 * allow, and never in an exception. The server is the in-process one on loopback, scripted per query.
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { OptAnswer, Packet } from 'dns-packet';
import { DEAD_SERVER_REFUSALS, DEFAULT_TIMEOUT_MS, Resolver, RETRY_BACKOFF_MS, type LookupOptions, type ResolverOptions } from '../../src/dns/resolver.js';
import type { Lookup, LookupAnswer, LookupFailure } from '../../src/dns/lookup.js';
import type { DnsRecord } from '../../src/dns/records.js';
import type { ServerAddress } from '../../src/dns/server-address.js';
import { setRcode, startLocalDnsServer, type Behaviour, type LocalDnsServerOptions, type LocalDnsServer, type IncomingQuery, type Rcode } from '../../src/dns/local-server/server.js';
import * as hostile from '../support/hostile-answers.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { canIsolateNetwork } from '../support/e2e.js';

// ---------------------------------------------------------------------------------------------
// Served data and helpers

const ZONE = `
$ORIGIN mx.test.
$TTL 3600
@      SOA  ns1 hostmaster 1 3600 600 86400 300
@      NS   ns1
ns1    A    192.0.2.53
@      MX   10 mail
mail   A    192.0.2.25
`;

const RECORDS: DnsRecord[] = (() => {
  const zone = readZoneText(ZONE, { file: 'mx.test.zone' });
  assert.deepEqual(zone.problems, []);
  return zone.records;
})();

/** Timers can fire a little early against performance.now(). */
const EARLY_MS = 15;

/** Sum of the pauses before attempts 2 … n: 100, 200, 400 … ms. */
function backoffMs(attempts: number): number {
  let total = 0;
  for (let k = 1; k < attempts; k++) total += RETRY_BACKOFF_MS * 2 ** (k - 1);
  return total;
}

/**
 * The slow alternative a lookup that times out is held against: the same attempts at the default
 * timeout (2000 ms), when every test here gives 200–300 ms. Ending before it, the lookup waited the
 * timeout it was given, not more, and ended; that holds however busy the machine, which only adds
 * to the nominal time what its timers fire late.
 */
function withDefaultTimeoutMs(attempts: number, servers = 1): number {
  return servers * (DEFAULT_TIMEOUT_MS * attempts + backoffMs(attempts));
}

function endpoint(server: LocalDnsServer): ServerAddress {
  return { host: server.host, port: server.port, family: 4 };
}

async function serve(t: TestContext, behave: LocalDnsServerOptions['behave']): Promise<LocalDnsServer> {
  const server = await startLocalDnsServer({ records: RECORDS, ...(behave ? { behave } : {}) });
  t.after(() => server.close());
  return server;
}

function resolverFor(t: TestContext, servers: (LocalDnsServer | ServerAddress)[], options: Partial<ResolverOptions>): Resolver {
  const addresses = servers.map((s) => ('address' in s ? endpoint(s) : s));
  const resolver = new Resolver({ servers: addresses, cache: false, ...options });
  t.after(() => resolver.close());
  return resolver;
}

async function timed(resolver: Resolver, name: string, type: string, options?: LookupOptions): Promise<{ lookup: Lookup; elapsed: number }> {
  const started = performance.now();
  const lookup = await resolver.lookup(name, type, options);
  return { lookup, elapsed: performance.now() - started };
}

function answered(lookup: Lookup): LookupAnswer {
  if (!lookup.ok) assert.fail(`expected an answer, got a ${lookup.kind} failure: ${lookup.message}`);
  return lookup;
}

function failed(lookup: Lookup, kind: LookupFailure['kind']): LookupFailure {
  if (lookup.ok) assert.fail(`expected a ${kind} failure, got ${lookup.rcode} with ${lookup.answers.length} answers`);
  assert.equal(lookup.kind, kind, `kind (message: ${lookup.message})`);
  return lookup;
}

function within(elapsed: number, budget: number, what = 'the lookup'): void {
  assert.ok(elapsed <= budget, `${what} took ${Math.round(elapsed)} ms, over its budget of ${budget} ms`);
}

/** The lookup ended before a single attempt could time out: it waited for no timeout (each test giving one far above what a lookup on loopback takes). */
function beforeATimeout(elapsed: number, timeoutMs: number, what = 'the lookup'): void {
  assert.ok(elapsed < timeoutMs, `${what} took ${Math.round(elapsed)} ms, as long as a ${timeoutMs} ms timeout: it waited for one`);
}

/**
 * A clock the test moves, for when a lookup happens: setTimeout (each attempt's timeout) is mocked, and
 * timers/promises' setTimeout (the resolver's pause between attempts; node 20's mock timers leave it
 * alone) is pointed at the mocked setTimeout for the test. Sockets stay real. `advance` moves the clock
 * by 1 ms and lets everything due run, up to the sends it starts.
 */
function controlledClock(t: TestContext): { now: () => number; advance: () => Promise<void> } {
  const timersPromises = createRequire(import.meta.url)('node:timers/promises') as { setTimeout: (ms?: number, value?: unknown) => Promise<unknown> };
  const realSleep = timersPromises.setTimeout;
  timersPromises.setTimeout = (ms, value) => new Promise((resolve) => setTimeout(resolve, ms, value));
  syncBuiltinESMExports();
  t.after(() => {
    timersPromises.setTimeout = realSleep;
    syncBuiltinESMExports();
  });
  t.mock.timers.enable({ apis: ['setTimeout'] });
  let now = 0;
  return {
    now: () => now,
    advance: async () => {
      t.mock.timers.tick(1);
      now += 1;
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function atLeast(elapsed: number, minimum: number, what = 'the lookup'): void {
  assert.ok(elapsed >= minimum - EARLY_MS, `${what} took ${Math.round(elapsed)} ms, less than the ${minimum} ms it must wait`);
}

function transports(server: LocalDnsServer): string[] {
  return server.queries.map((q) => q.transport);
}

function noScriptErrors(server: LocalDnsServer): void {
  assert.deepEqual(server.errors.map((e) => e.message), [], 'the test server script ran without errors');
}

function addresses(lookup: LookupAnswer): string[] {
  return lookup.answers.map((r) => `${r.name} ${r.type} ${String(r.data)}`);
}

const SILENCE: Behaviour = { kind: 'silence' };
const ANSWER: Behaviour = { kind: 'answer' };

function optOf(reply: Packet): OptAnswer {
  const opt = reply.additionals?.find((r): r is OptAnswer => r.type === 'OPT');
  assert.ok(opt, 'the reply has an OPT record (the query had EDNS)');
  return opt;
}

/** An answer turned into `rcode` with no records, carrying an Extended DNS Error (RFC 8914). */
function withExtendedError(rcode: Rcode, code: number, text: string): Behaviour {
  return {
    kind: 'answer',
    edit: (reply) => {
      setRcode(reply, rcode);
      reply.flags = (reply.flags ?? 0) & ~0x0400;
      reply.answers = [];
      reply.authorities = [];
      const info = Buffer.alloc(2);
      info.writeUInt16BE(code);
      const opt = optOf(reply);
      opt.options = [...(opt.options ?? []), { code: 15, data: Buffer.concat([info, Buffer.from(text)]) } as never];
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('faults: silence', () => {
  it('UDP silence: timeout after exactly 1 + retries attempts, having waited every timeout and pause', async (t) => {
    const server = await serve(t, () => SILENCE);
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 3 });
    const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
    const failure = failed(lookup, 'timeout');
    assert.equal(failure.message, `MX mx.test: no reply from ${server.address} after 4 attempts of 200 ms`);
    assert.equal(failure.server, server.address);
    assert.equal(failure.rcode, undefined);
    assert.deepEqual(failure.extendedErrors, []);
    assert.deepEqual(transports(server), ['udp', 'udp', 'udp', 'udp']);
    assert.deepEqual(server.queries.map((q) => q.attempt), [1, 2, 3, 4]);
    // The whole lookup waits every timeout and pause (timers never fire early). The gap between two
    // arrivals at the server is not held to its pause: on a busy machine the server's handler may see
    // one query late and the next on time. The next test holds the exact schedule on a clock it moves.
    atLeast(elapsed, 4 * 200 + backoffMs(4));
    within(elapsed, withDefaultTimeoutMs(4));
    atLeast(failure.durationMs, 4 * 200 + backoffMs(4), 'durationMs');
  });

  it('UDP silence on a clock the test moves: each attempt exactly one timeout and a doubling pause after the last', async (t) => {
    const server = await serve(t, () => SILENCE);
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 3 });
    const clock = controlledClock(t);
    let settledAt: number | undefined;
    const lookup = resolver.lookup('mx.test', 'MX').then((result) => {
      settledAt = clock.now();
      return result;
    });
    const sentAt: number[] = [];
    // The first datagram leaves once its socket is connected: no timer is involved, so the clock stands still.
    for (let turn = 0; turn < 1000 && resolver.stats.udpQueries === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    if (resolver.stats.udpQueries > 0) sentAt.push(0);
    while (settledAt === undefined && clock.now() < 5000) {
      const sent = resolver.stats.udpQueries;
      await clock.advance();
      if (resolver.stats.udpQueries > sent) sentAt.push(clock.now());
    }
    assert.equal(failed(await lookup, 'timeout').message, `MX mx.test: no reply from ${server.address} after 4 attempts of 200 ms`);
    // Sent at 0; timed out at 200, paused 100; at 300, out at 500, paused 200; at 700, out at 900, paused 400; at 1300, out at 1500.
    assert.deepEqual(sentAt, [0, 300, 700, 1300]);
    assert.equal(settledAt, 1500);
  });

  it('retries: 0 is a single attempt', async (t) => {
    const server = await serve(t, () => SILENCE);
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 0 });
    const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
    assert.equal(failed(lookup, 'timeout').message, `MX mx.test: no reply from ${server.address} after 1 attempt of 200 ms`);
    assert.equal(server.queries.length, 1);
    atLeast(elapsed, 200);
    within(elapsed, withDefaultTimeoutMs(1));
  });

  it('two silent servers: each asked 1 + retries times, both named in the failure', async (t) => {
    const first = await serve(t, () => SILENCE);
    const second = await serve(t, () => SILENCE);
    const resolver = resolverFor(t, [first, second], { timeoutMs: 200, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
    const failure = failed(lookup, 'timeout');
    assert.equal(failure.server, second.address);
    assert.equal(failure.message, [first, second].map((s) => `MX mx.test: no reply from ${s.address} after 2 attempts of 200 ms`).join('; '));
    assert.equal(first.queries.length, 2);
    assert.equal(second.queries.length, 2);
    atLeast(elapsed, 2 * (2 * 200 + backoffMs(2)));
    within(elapsed, withDefaultTimeoutMs(2, 2));
  });

  it('TCP silence (tcp: true): timeout after 1 + retries connections', async (t) => {
    const server = await serve(t, () => SILENCE);
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 1, tcp: true });
    const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
    assert.equal(failed(lookup, 'timeout').message, `MX mx.test: no reply from ${server.address} after 2 attempts of 200 ms`);
    assert.deepEqual(transports(server), ['tcp', 'tcp']);
    within(elapsed, withDefaultTimeoutMs(2));
  });
});

describe('faults: error rcodes', () => {
  const cases: [Rcode, LookupFailure['kind'], string][] = [
    ['SERVFAIL', 'servfail', 'SERVFAIL'],
    ['REFUSED', 'refused', 'REFUSED'],
    ['FORMERR', 'rcode', 'FORMERR'],
    ['NOTIMP', 'rcode', 'NOTIMP'],
    ['YXDOMAIN', 'rcode', 'YXDOMAIN'],
    ['NOTAUTH', 'rcode', 'NOTAUTH'],
    // Above 15 the upper bits travel in OPT (RFC 6891 §6.1.3).
    ['BADVERS', 'rcode', 'BADVERS'],
    [23, 'rcode', 'BADCOOKIE'],
  ];
  for (const [rcode, kind, name] of cases) {
    it(`${name} → '${kind}' at once, not retried on the same server`, async (t) => {
      const server = await serve(t, () => ({ kind: 'rcode', rcode }));
      const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 2 });
      const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
      const failure = failed(lookup, kind);
      assert.equal(failure.rcode, name);
      assert.equal(failure.message, `MX mx.test: ${name} from ${server.address}`);
      assert.equal(failure.server, server.address);
      assert.equal(server.queries.length, 1);
      beforeATimeout(elapsed, 1000);
      noScriptErrors(server);
    });
  }

  it('SERVFAIL with EDE 6: the failure carries the extended error and names "DNSSEC Bogus"', async (t) => {
    const server = await serve(t, () => withExtendedError('SERVFAIL', 6, 'RRSIG over MX does not verify'));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
    const failure = failed(lookup, 'servfail');
    assert.deepEqual(failure.extendedErrors, [{ code: 6, text: 'RRSIG over MX does not verify' }]);
    assert.equal(failure.message, `MX mx.test: SERVFAIL from ${server.address} EDE 6 (DNSSEC Bogus) "RRSIG over MX does not verify"`);
    assert.equal(server.queries.length, 1);
    beforeATimeout(elapsed, 1000);
    noScriptErrors(server);
  });

  it('REFUSED with EDE 18 and no text: named "Prohibited"', async (t) => {
    const server = await serve(t, () => withExtendedError('REFUSED', 18, ''));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 0 });
    const failure = failed((await timed(resolver, 'mx.test', 'MX')).lookup, 'refused');
    assert.deepEqual(failure.extendedErrors, [{ code: 18, text: '' }]);
    assert.match(failure.message, /REFUSED from 127\.0\.0\.1:\d+ EDE 18 \(Prohibited\)$/);
  });

  it('REFUSED with EDE 20 (Not Authoritative): says plainly the server does not recurse for us', async (t) => {
    const server = await serve(t, () => withExtendedError('REFUSED', 20, ''));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 0 });
    const failure = failed((await timed(resolver, 'mx.test', 'MX')).lookup, 'refused');
    assert.equal(failure.message, `MX mx.test: REFUSED from ${server.address} EDE 20 (Not Authoritative): it is not a recursive resolver, or not for us: ask one that is`);
  });

  /** A referral to the name servers of child.mx.test, as an authoritative server gives it. */
  const REFERRAL: Behaviour = {
    kind: 'answer',
    edit: (reply) => {
      setRcode(reply, 'NOERROR');
      reply.flags = (reply.flags ?? 0) & ~0x0400;
      reply.answers = [];
      reply.authorities = [{ name: 'child.mx.test', type: 'NS', class: 'IN', ttl: 300, data: 'ns1.child.mx.test' }];
      reply.additionals = [{ name: 'ns1.child.mx.test', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.53' }, ...(reply.additionals ?? [])];
    },
  };

  it('a referral to recursion asked for → \'referral\' at once, naming the zone: the server does not recurse; the next server is asked', async (t) => {
    const referring = await serve(t, () => REFERRAL);
    const resolver = resolverFor(t, [referring], { timeoutMs: 1000, retries: 2 });
    const failure = failed((await timed(resolver, 'mail.child.mx.test', 'A')).lookup, 'referral');
    assert.equal(failure.message, `A mail.child.mx.test: ${referring.address} referred the question to the name servers of child.mx.test (ns1.child.mx.test) instead of answering it: it is not a recursive resolver, or not for us: ask one that is`);
    assert.equal(referring.queries.length, 1);
    const good = await serve(t, () => ANSWER);
    const failover = resolverFor(t, [referring, good], { timeoutMs: 1000, retries: 2 });
    assert.equal(answered((await timed(failover, 'mail.mx.test', 'A')).lookup).server, good.address);
  });

  it('without recursion asked for (RD clear, as an authoritative server is asked), a referral is an answer', async (t) => {
    const referring = await serve(t, () => REFERRAL);
    const resolver = resolverFor(t, [referring], { timeoutMs: 1000, retries: 0 });
    const lookup = answered((await timed(resolver, 'mail.child.mx.test', 'A', { flags: { recursionDesired: false } })).lookup);
    assert.deepEqual(lookup.authorities.map((r) => `${r.name} ${r.type}`), ['child.mx.test NS']);
  });

  it('a SERVFAIL server fails over to one that answers; a SERVFAIL-only pair ends servfail naming both', async (t) => {
    const failing = await serve(t, () => ({ kind: 'rcode', rcode: 'SERVFAIL' }));
    const good = await serve(t, () => ANSWER);
    const resolver = resolverFor(t, [failing, good], { timeoutMs: 1000, retries: 2 });
    assert.deepEqual(addresses(answered((await timed(resolver, 'mail.mx.test', 'A')).lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(failing.queries.length, 1);
  });
});

describe('faults: replies that do not belong', () => {
  it('a reply with the wrong id first, then the right one → the answer; the stray one counted', async (t) => {
    const server = await serve(t, () => ({ kind: 'sequence', steps: [{ kind: 'wrong-id' }, ANSWER] }));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(resolver.stats.ignoredReplies, 1);
    assert.equal(server.queries.length, 1);
    beforeATimeout(elapsed, 1000);
  });

  it('a reply to another question first, then the right one → the answer', async (t) => {
    const server = await serve(t, () => ({ kind: 'sequence', steps: [{ kind: 'wrong-question' }, ANSWER] }));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(resolver.stats.ignoredReplies, 1);
    beforeATimeout(elapsed, 1000);
  });

  it('a forged reply from another port first (right id, other data), then the real one → the real answer', async (t) => {
    const forged: Behaviour = {
      kind: 'answer',
      edit: (reply) => {
        reply.answers = [{ name: 'mail.mx.test', type: 'A', class: 'IN', ttl: 86400, data: '203.0.113.66' }];
      },
    };
    const server = await serve(t, () => ({ kind: 'sequence', steps: [{ kind: 'from-other-port', then: forged }, ANSWER] }));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    // The socket is connected to the server: the kernel drops the forgery before mxlint sees it.
    assert.equal(resolver.stats.ignoredReplies, 0);
    beforeATimeout(elapsed, 1000);
    noScriptErrors(server);
  });

  // RFC 1035 §4.1.1, RFC 5452 §9.1: only a response (QR set) to the query's opcode, with its id, name, type and class.
  const notResponses: [string, Behaviour][] = [
    ['QR-clear (a query, not a response)', { kind: 'answer', edit: (reply) => { reply.type = 'query'; } }],
    ['class-CH', { kind: 'answer', edit: (reply) => { reply.questions = (reply.questions ?? []).map((q) => ({ ...q, class: 'CH' })); } }],
    ['STATUS-opcode', { kind: 'answer', edit: (reply) => { reply.flags = (reply.flags ?? 0) | (2 << 11); } }],
  ];
  for (const [what, behaviour] of notResponses) {
    it(`a ${what} packet first, then the real reply → the real answer; the packet counted, never taken`, async (t) => {
      const server = await serve(t, () => ({ kind: 'sequence', steps: [behaviour, ANSWER] }));
      const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 2 });
      const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
      assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
      assert.equal(resolver.stats.ignoredReplies, 1);
      assert.equal(server.queries.length, 1);
      beforeATimeout(elapsed, 1000);
      noScriptErrors(server);
    });
  }

  it('over TCP, a QR-clear packet and one of class CH are skipped and the real reply taken', async (t) => {
    const server = await serve(t, () => ({ kind: 'sequence', steps: [notResponses[0]![1], notResponses[1]![1], ANSWER] }));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 0, tcp: true });
    const { lookup } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(resolver.stats.ignoredReplies, 2);
  });

  // From another port, a stray never reaches mxlint: the kernel drops it (the socket is connected to the server).
  const strays: [string, Behaviour, number][] = [
    ['wrong-id', { kind: 'wrong-id' }, 2],
    ['wrong-question', { kind: 'wrong-question' }, 2],
    ['from-other-port', { kind: 'from-other-port', then: ANSWER }, 0],
    ...notResponses.map(([what, behaviour]): [string, Behaviour, number] => [what, behaviour, 2]),
  ];
  for (const [what, behaviour, counted] of strays) {
    it(`only ${what} replies → timeout after every attempt, each stray that arrives counted`, async (t) => {
      const server = await serve(t, () => behaviour);
      const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 1 });
      const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
      assert.equal(failed(lookup, 'timeout').message, `A mail.mx.test: no reply from ${server.address} after 2 attempts of 200 ms`);
      assert.equal(server.queries.length, 2);
      assert.equal(resolver.stats.ignoredReplies, counted);
      atLeast(elapsed, 2 * 200 + backoffMs(2));
      within(elapsed, withDefaultTimeoutMs(2));
    });
  }

  it('over TCP, a reply with the wrong id is skipped and the next one on the connection taken', async (t) => {
    const server = await serve(t, () => ({ kind: 'sequence', steps: [{ kind: 'wrong-id' }, { kind: 'wrong-question' }, ANSWER] }));
    const resolver = resolverFor(t, [server], { timeoutMs: 1000, retries: 0, tcp: true });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(resolver.stats.ignoredReplies, 2);
    beforeATimeout(elapsed, 1000);
  });
});

describe('faults: malformed replies fail at once', () => {
  /** 11 octets: the query's id and then too little for a header. */
  const shortHeader = (q: IncomingQuery): Buffer => {
    const bytes = Buffer.alloc(11);
    bytes.writeUInt16BE(q.id);
    bytes.writeUInt16BE(0x8400, 2);
    return bytes;
  };
  const builders: [string, (q: IncomingQuery) => Buffer, RegExp][] = [
    ['MX RDLENGTH too short', hostile.mxRdlengthTooShort, /RDATA/],
    ['MX RDLENGTH too long', hostile.mxRdlengthTooLong, /message ends inside the RDATA/],
    ['counts that lie', hostile.countsThatLie, /message ends inside/],
    ['a compression loop', hostile.compressionLoop, /compression pointer that does not point backwards/],
    ['a forward pointer', hostile.forwardPointer, /compression pointer that does not point backwards/],
    ['an overlong name', hostile.overlongName, /longer than 255 octets/],
    ['class CH', hostile.chaosClass, /class 3, not IN/],
    ['11 octets', shortHeader, /shorter than a DNS header/],
    ...[1, 2, 3, 4, 5].map((seed): [string, (q: IncomingQuery) => Buffer, RegExp] => [
      `random octets after the question (seed ${seed})`, (q) => hostile.randomAfterQuestion(q, 40, seed), /./,
    ]),
  ];
  for (const [what, build, reason] of builders) {
    it(`${what} → 'malformed' well before the timeout, not retried`, async (t) => {
      const server = await serve(t, (q) => ({ kind: 'raw', bytes: build(q) }));
      const resolver = resolverFor(t, [server], { timeoutMs: 3000, retries: 2 });
      const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
      const failure = failed(lookup, 'malformed');
      const prefix = `MX mx.test: malformed reply from ${server.address} (`;
      assert.ok(failure.message.startsWith(prefix) && failure.message.endsWith(')'), failure.message);
      assert.match(failure.message.slice(prefix.length, -1), reason);
      assert.equal(failure.server, server.address);
      assert.equal(server.queries.length, 1);
      beforeATimeout(elapsed, 3000);
      noScriptErrors(server);
    });
  }

  for (const [what, build] of [['counts that lie', hostile.countsThatLie], ['a compression loop', hostile.compressionLoop]] as const) {
    it(`over TCP: ${what} → 'malformed' at once`, async (t) => {
      const server = await serve(t, (q) => ({ kind: 'raw', bytes: build(q) }));
      const resolver = resolverFor(t, [server], { timeoutMs: 3000, retries: 2, tcp: true });
      const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
      assert.match(failed(lookup, 'malformed').message, /^MX mx\.test: malformed reply from 127\.0\.0\.1:\d+ \(.+\)$/);
      assert.deepEqual(transports(server), ['tcp']);
      beforeATimeout(elapsed, 3000);
    });
  }

  it('a malformed reply from the first server → the second server is asked and answers', async (t) => {
    const broken = await serve(t, (q) => ({ kind: 'raw', bytes: hostile.compressionLoop(q) }));
    const good = await serve(t, () => ANSWER);
    const resolver = resolverFor(t, [broken, good], { timeoutMs: 3000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mx.test', 'MX');
    assert.equal(answered(lookup).server, good.address);
    assert.equal(broken.queries.length, 1);
    beforeATimeout(elapsed, 3000);
  });
});

describe('faults: slow servers', () => {
  it('an answer 100 ms late, within a 2000 ms timeout → the answer', async (t) => {
    const server = await serve(t, () => ({ kind: 'delay', ms: 100, then: ANSWER }));
    const resolver = resolverFor(t, [server], { timeoutMs: 2000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    const answer = answered(lookup);
    assert.deepEqual(addresses(answer), ['mail.mx.test A 192.0.2.25']);
    atLeast(answer.durationMs, 100, 'durationMs');
    beforeATimeout(elapsed, 2000);
    assert.equal(server.queries.length, 1);
  });

  it('answers 5000 ms late, beyond a 200 ms timeout → timeout, not the late answer', async (t) => {
    const server = await serve(t, () => ({ kind: 'delay', ms: 5000, then: ANSWER }));
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    failed(lookup, 'timeout');
    assert.equal(server.queries.length, 2);
    atLeast(elapsed, 2 * 200 + backoffMs(2));
    within(elapsed, 5000, 'the lookup (ended before the first late answer came)');
  });

  it('a late reply to the first attempt is not taken for the retry\'s answer; the retry is answered', async (t) => {
    const late: Behaviour = { kind: 'delay', ms: 250, then: { kind: 'answer', edit: (reply) => { reply.answers = []; } } };
    const server = await serve(t, (q) => (q.attempt === 1 ? late : ANSWER));
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(server.queries.length, 2);
    assert.equal(resolver.stats.ignoredReplies, 1, 'the late reply, whose id no longer waits');
    atLeast(elapsed, 200 + backoffMs(2));
    within(elapsed, withDefaultTimeoutMs(2));
  });
});

describe('faults: TCP', () => {
  const truncateUdp = (tcp: Behaviour) => (q: IncomingQuery): Behaviour => (q.transport === 'udp' ? { kind: 'truncate' } : tcp);

  it('TC, then the TCP connection reset → \'network\' after 1 + retries attempts, each UDP then TCP', async (t) => {
    const server = await serve(t, truncateUdp({ kind: 'tcp-reset' }));
    const resolver = resolverFor(t, [server], { timeoutMs: 2000, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    const failure = failed(lookup, 'network');
    assert.match(failure.message, /^A mail\.mx\.test: TCP to 127\.0\.0\.1:\d+: .*ECONNRESET.* \(2 attempts of 2000 ms\)$/);
    assert.equal(failure.server, server.address);
    assert.deepEqual(transports(server), ['udp', 'tcp', 'udp', 'tcp']);
    atLeast(elapsed, backoffMs(2));
    beforeATimeout(elapsed, 2000, 'a reset (no timeout)');
    noScriptErrors(server);
  });

  it('TC over TCP too → \'truncated\' at once, not an empty answer (found by the hostile-DNS fuzz)', async (t) => {
    const server = await serve(t, () => ({ kind: 'truncate' }));
    const resolver = resolverFor(t, [server], { timeoutMs: 2000, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.match(failed(lookup, 'truncated').message, /^A mail\.mx\.test: truncated reply \(TC\) from 127\.0\.0\.1:\d+ even over TCP: the answer is incomplete$/);
    assert.deepEqual(transports(server), ['udp', 'tcp']);
    beforeATimeout(elapsed, 2000);
    noScriptErrors(server);
  });

  it('TC, then the TCP connection closed without a reply → \'network\'', async (t) => {
    const server = await serve(t, truncateUdp({ kind: 'tcp-close' }));
    const resolver = resolverFor(t, [server], { timeoutMs: 2000, retries: 0 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.match(failed(lookup, 'network').message, /TCP connection to 127\.0\.0\.1:\d+ closed without a reply \(1 attempt of 2000 ms\)$/);
    beforeATimeout(elapsed, 2000);
  });

  it('TCP closed in the middle of a reply → \'network\' saying so', async (t) => {
    const server = await serve(t, () => ({
      kind: 'sequence',
      // A length prefix announcing 100 octets, 10 of them, then FIN.
      steps: [{ kind: 'raw', framed: false, bytes: Buffer.concat([Buffer.from([0, 100]), Buffer.alloc(10)]) }, { kind: 'tcp-close' }],
    }));
    const resolver = resolverFor(t, [server], { timeoutMs: 2000, retries: 0, tcp: true });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.match(failed(lookup, 'network').message, /closed in the middle of a reply/);
    beforeATimeout(elapsed, 2000);
  });

  it('TC, then silence over TCP → timeout within budget (each attempt: UDP, then a TCP timeout)', async (t) => {
    const server = await serve(t, truncateUdp(SILENCE));
    const resolver = resolverFor(t, [server], { timeoutMs: 200, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    failed(lookup, 'timeout');
    assert.deepEqual(transports(server), ['udp', 'tcp', 'udp', 'tcp']);
    atLeast(elapsed, 2 * 200 + backoffMs(2));
    within(elapsed, withDefaultTimeoutMs(2));
  });

  /** 10 octets a second: the reply — its length prefix, header, question and A record, 48 octets at the least — takes 4.8 s to trickle. */
  const TRICKLE_BYTES_PER_SECOND = 10;
  const TRICKLE_MS = ((2 + 12 + 18 + 16) / TRICKLE_BYTES_PER_SECOND) * 1000;

  it('a TCP reply trickled slower than the timeout → timeout at the timeout, not when the last octet comes', async (t) => {
    const server = await serve(t, () => ({ kind: 'tcp-trickle', bytesPerSecond: TRICKLE_BYTES_PER_SECOND }));
    const resolver = resolverFor(t, [server], { timeoutMs: 300, retries: 1, tcp: true });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.equal(failed(lookup, 'timeout').message, `A mail.mx.test: no reply from ${server.address} after 2 attempts of 300 ms`);
    assert.deepEqual(transports(server), ['tcp', 'tcp']);
    atLeast(elapsed, 2 * 300 + backoffMs(2));
    within(elapsed, TRICKLE_MS, 'the lookup (ended before one reply could finish trickling)');
  });

  it('after TC, a TCP trickle slower than the timeout → timeout at the timeout, not when the last octet comes', async (t) => {
    const server = await serve(t, truncateUdp({ kind: 'tcp-trickle', bytesPerSecond: TRICKLE_BYTES_PER_SECOND }));
    const resolver = resolverFor(t, [server], { timeoutMs: 300, retries: 1 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    failed(lookup, 'timeout');
    within(elapsed, TRICKLE_MS, 'the lookup (ended before one reply could finish trickling)');
  });

  it('a TCP reply trickled fast enough → the answer', async (t) => {
    const server = await serve(t, () => ({ kind: 'tcp-trickle', bytesPerSecond: 1000 }));
    const resolver = resolverFor(t, [server], { timeoutMs: 1500, retries: 0, tcp: true });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    atLeast(elapsed, 40, 'a trickled reply');
    within(elapsed, 1500);
  });
});

describe('faults: nobody there', () => {
  async function closedUdpPort(): Promise<number> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { port } = socket.address();
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    return port;
  }

  // Item 18 of issue 12: `--server 127.0.0.1:5399` with nothing there took 3 × 2000 ms and the pauses.
  it('a closed UDP port → \'network\' at once (ICMP port unreachable), asked once, not after every timeout', async (t) => {
    const port = await closedUdpPort();
    const resolver = resolverFor(t, [{ host: '127.0.0.1', port, family: 4 }], { timeoutMs: 2000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    const failure = failed(lookup, 'network');
    assert.equal(failure.message, `A mail.mx.test: nothing listens on 127.0.0.1:${port} (ICMP port unreachable)`);
    assert.equal(failure.server, `127.0.0.1:${port}`);
    assert.equal(resolver.stats.udpQueries, 1);
    beforeATimeout(elapsed, 2000, 'a refused query');
  });

  it('a closed UDP port first, a server that answers second → the answer; the dead one asked once', async (t) => {
    const port = await closedUdpPort();
    const good = await serve(t, () => ANSWER);
    const resolver = resolverFor(t, [{ host: '127.0.0.1', port, family: 4 }, good], { timeoutMs: 2000, retries: 2 });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.deepEqual(addresses(answered(lookup)), ['mail.mx.test A 192.0.2.25']);
    assert.equal(resolver.stats.udpQueries, 2);
    beforeATimeout(elapsed, 2000, 'failing over from a refused server');
    assert.equal(resolver.deadServers(), null);
  });

  it(`deadServers(): after ${DEAD_SERVER_REFUSALS} refusals in a row from every server that never answered, and only then`, async (t) => {
    const port = await closedUdpPort();
    const dead: ServerAddress = { host: '127.0.0.1', port, family: 4 };
    const resolver = resolverFor(t, [dead], { timeoutMs: 2000, retries: 2 });
    for (let i = 1; i < DEAD_SERVER_REFUSALS; i++) failed(await resolver.lookup(`n${i}.mx.test`, 'A'), 'network');
    assert.equal(resolver.deadServers(), null);
    failed(await resolver.lookup('last.mx.test', 'A'), 'network');
    assert.equal(resolver.deadServers(), `the DNS server 127.0.0.1:${port} refused every query: nothing listens there (ICMP port unreachable or connection refused)`);
    // A server that answered once is never dead, whatever follows.
    const good = await serve(t, () => ANSWER);
    const once = resolverFor(t, [good], { timeoutMs: 2000, retries: 0 });
    answered(await once.lookup('mail.mx.test', 'A'));
    for (let i = 0; i < DEAD_SERVER_REFUSALS; i++) await once.lookup(`n${i}.mx.test`, 'A', { servers: [dead] });
    assert.equal(once.deadServers(), null, 'refusals from servers asked per lookup do not count, nor after an answer');
  });

  it('a closed TCP port (tcp: true) → \'network\' (connection refused) at once, not retried', async (t) => {
    const port = await closedUdpPort();
    const resolver = resolverFor(t, [{ host: '127.0.0.1', port, family: 4 }], { timeoutMs: 1000, retries: 1, tcp: true });
    const { lookup, elapsed } = await timed(resolver, 'mail.mx.test', 'A');
    assert.match(failed(lookup, 'network').message, /^A mail\.mx\.test: TCP to 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    assert.equal(resolver.stats.tcpQueries, 1);
    beforeATimeout(elapsed, 1000);
  });

  const isolation = canIsolateNetwork() ? {} : { skip: '`unshare -n` does not work here: no network namespace to send from' };
  it('an unreachable network → \'network\' at once (run in a fresh network namespace, where nothing can leave)', isolation, async () => {
    const resolverModule = fileURLToPath(new URL('../../src/dns/resolver.js', import.meta.url));
    // 192.0.2.1 (TEST-NET-1) from a namespace with no interface up: the send itself fails.
    const script = `
      const { Resolver } = await import(${JSON.stringify(resolverModule)});
      const resolver = new Resolver({ servers: [{ host: '192.0.2.1', port: 53, family: 4 }], timeoutMs: 2000, retries: 1, cache: false });
      const started = performance.now();
      const lookup = await resolver.lookup('mail.mx.test', 'A');
      const elapsed = performance.now() - started;
      resolver.close();
      process.stdout.write(JSON.stringify({ lookup, elapsed, stats: resolver.stats }));
    `;
    const child = spawn('unshare', ['-n', '--', process.execPath, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, stderr);
    const { lookup, elapsed, stats } = JSON.parse(stdout) as { lookup: Lookup; elapsed: number; stats: { udpQueries: number } };
    const failure = failed(lookup, 'network');
    assert.match(failure.message, /^A mail\.mx\.test: cannot send to 192\.0\.2\.1: .*(ENETUNREACH|EHOSTUNREACH).* \(2 attempts of 2000 ms\)$/);
    assert.equal(failure.server, '192.0.2.1:53');
    // The socket cannot even be connected there: nothing is sent, and the count says so.
    assert.equal(stats.udpQueries, 0);
    beforeATimeout(elapsed, 2000, 'an unreachable network (no timeout)');
  });
});
