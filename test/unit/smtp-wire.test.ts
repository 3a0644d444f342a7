/**
 * The SMTP probe's pieces without a server: the reply reader's framing, caps and deadline (over an
 * in-memory stream), EHLO parsing, greeting names, and --connect-to parsing and matching.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { MAX_REPLY_LINE_OCTETS, MAX_REPLY_LINES, ReplyReader } from '../../src/smtp/reply-reader.js';
import { firstDomain, parseEhlo } from '../../src/smtp/extensions.js';
import { connectTarget, parseConnectTo } from '../../src/net/connect-to.js';
import { type ConnectToRule } from '../../src/core/options.js';
import type { SmtpFacts } from '../../src/facts/smtp-probes.js';
import type { SmtpFailure } from '../../src/smtp/session.js';
import { smtpNotProbed, smtpUnreachable } from '../../src/families/smtp/rules/connection.js';

function reader(): { stream: PassThrough; reader: ReplyReader } {
  const stream = new PassThrough();
  return { stream, reader: new ReplyReader(stream) };
}

describe('ReplyReader', () => {
  it('reads a multi-line reply, then the next one, across chunk boundaries and bare LF', async () => {
    const { stream, reader: r } = reader();
    stream.write('250-mx.example.org\r\n250-PIPE');
    stream.write('LINING\r\n250 SIZE 1000\n221 bye\r\n');
    assert.deepEqual(await r.next(1000), { ok: true, reply: { code: 250, lines: ['mx.example.org', 'PIPELINING', 'SIZE 1000'] } });
    assert.deepEqual(await r.next(1000), { ok: true, reply: { code: 221, lines: ['bye'] } });
  });

  it('takes a bare code as a final line', async () => {
    const { stream, reader: r } = reader();
    stream.write('220\r\n');
    assert.deepEqual(await r.next(1000), { ok: true, reply: { code: 220, lines: [''] } });
  });

  it('refuses lines that are not replies, and codes that change within a reply', async () => {
    for (const text of ['hello there\r\n', '250-a\r\n251 b\r\n', '25 x\r\n']) {
      const { stream, reader: r } = reader();
      stream.write(text);
      const read = await r.next(1000);
      assert.equal(read.ok, false, text);
      assert.equal(!read.ok && read.kind, 'malformed', text);
    }
  });

  it('cuts a line without an end at the cap at once, and a reply with too many lines', async () => {
    const long = reader();
    long.stream.write(`220 ${'x'.repeat(MAX_REPLY_LINE_OCTETS)}`);
    const read = await long.reader.next(60_000);
    assert.equal(!read.ok && read.kind, 'line-too-long');
    assert.equal(long.stream.destroyed, true);
    const many = reader();
    many.stream.write('250-x\r\n'.repeat(MAX_REPLY_LINES + 1));
    const manyRead = await many.reader.next(60_000);
    assert.equal(!manyRead.ok && manyRead.kind, 'malformed');
  });

  it('times out on a reply that never completes, however many bytes trickle in', async () => {
    const { stream, reader: r } = reader();
    const timer = setInterval(() => stream.write('2'), 10);
    const started = performance.now();
    const read = await r.next(200);
    clearInterval(timer);
    assert.equal(!read.ok && read.kind, 'timeout');
    // At its 200 ms timeout, not extended by the bytes (which never stop): well under ten times it.
    assert.ok(performance.now() - started < 2000, `timed out after ${Math.round(performance.now() - started)} ms`);
  });

  it('reports a closed stream', async () => {
    const { stream, reader: r } = reader();
    stream.end('250-partial\r\n');
    const read = await r.next(1000);
    assert.equal(!read.ok && read.kind, 'closed');
  });
});

describe('EHLO and greeting', () => {
  it('parses extensions case-insensitively, SIZE with its number', () => {
    const ehlo = parseEhlo({ code: 250, lines: ['mx.example.org Hello [192.0.2.1]', 'pipelining', 'SIZE 52428800', '8BITMIME', 'STARTTLS', 'SMTPUTF8', 'AUTH PLAIN LOGIN', 'chunking', 'RequireTLS'] });
    assert.deepEqual(ehlo, {
      serverName: 'mx.example.org', keywords: ['PIPELINING', 'SIZE', '8BITMIME', 'STARTTLS', 'SMTPUTF8', 'AUTH', 'CHUNKING', 'REQUIRETLS'],
      starttls: true, size: 52428800, pipelining: true, eightBitMime: true, smtputf8: true, chunking: true, requireTls: true,
    });
  });

  it('SIZE without a number, and no extensions at all', () => {
    assert.equal(parseEhlo({ code: 250, lines: ['mx', 'SIZE'] }).size, null);
    assert.deepEqual(parseEhlo({ code: 250, lines: ['mx.example.org'] }).keywords, []);
  });

  it('finds the host a greeting names, and none in "ESMTP ready"', () => {
    assert.equal(firstDomain('mx.example.org ESMTP Postfix'), 'mx.example.org');
    assert.equal(firstDomain('[192.0.2.1] ready'), '[192.0.2.1]');
    assert.equal(firstDomain('ESMTP ready'), null);
    assert.equal(firstDomain(''), null);
  });
});

describe('--connect-to', () => {
  const parse = (text: string): ConnectToRule => {
    const parsed = parseConnectTo(text);
    assert.ok(parsed.ok, text);
    return parsed.rule;
  };

  it('reads names and addresses, with and without ports, IPv6 in brackets', () => {
    assert.deepEqual(parse('MX1.Example.COM.=127.0.0.1:2525'), { from: 'mx1.example.com', to: '127.0.0.1', toPort: 2525 });
    assert.deepEqual(parse('mx1.example.com:25=127.0.0.1'), { from: 'mx1.example.com', fromPort: 25, to: '127.0.0.1' });
    assert.deepEqual(parse('[2001:DB8:0::25]:25=[::1]:2525'), { from: '2001:db8::25', fromPort: 25, to: '::1', toPort: 2525 });
    assert.deepEqual(parse('185.199.108.25=::1'), { from: '185.199.108.25', to: '::1' });
  });

  it('refuses a name as the target, missing halves and bad ports', () => {
    for (const text of ['a.example=b.example', '=127.0.0.1', 'a.example=', 'a.example', 'a.example=127.0.0.1:0', 'a.example:99999=127.0.0.1', 'a_b!=127.0.0.1']) {
      assert.equal(parseConnectTo(text).ok, false, text);
    }
  });

  it('matches the address first, then the name, and only the given port', () => {
    const rules = [parse('mx1.example.com=127.0.0.2'), parse('2001:db8::25=[::1]:2525'), parse('mx2.example.com:587=127.0.0.3')];
    assert.deepEqual(connectTarget(rules, 'mx1.example.com', '192.0.2.25', 25), { host: '127.0.0.2', port: 25, via: rules[0] });
    assert.deepEqual(connectTarget(rules, 'mx1.example.com', '2001:DB8::0:25', 25), { host: '::1', port: 2525, via: rules[1] });
    assert.deepEqual(connectTarget(rules, 'mx2.example.com', '192.0.2.26', 25), { host: '192.0.2.26', port: 25 });
  });
});

describe('SMTP connection rules', () => {
  const failedAt = (address: string, family: 4 | 6, failure: SmtpFailure): SmtpFacts['probes'][number] => ({
    exchange: 'mx.example.org', address, family, state: 'probed', target: { host: address, port: 25 }, ptr: { state: 'none' },
    session: { banner: null, ehlo: null, tls: null, ehloAfterTls: null, envelope: null, failure, durationMs: 1 },
  });
  const facts: SmtpFacts = {
    port: 25, checkedAt: 0, unresolved: [],
    connectivity: { 4: { connected: true, globalAddress: true }, 6: { connected: false, globalAddress: false } },
    probes: [
      failedAt('192.0.2.25', 4, { phase: 'connect', kind: 'refused', message: 'cannot connect to 192.0.2.25:25: ECONNREFUSED' }),
      failedAt('2001:db8::25', 6, { phase: 'connect', kind: 'no-route', message: 'cannot connect to [2001:db8::25]:25: ENETUNREACH' }),
    ],
  };

  it('a refused connection is smtp-unreachable; no route from this machine is not, but smtp-not-probed', () => {
    assert.deepEqual(smtpUnreachable.check(facts).map((f) => f.message.split(' ')[1]), ['(192.0.2.25']);
    const notProbed = smtpNotProbed.check(facts);
    assert.equal(notProbed.length, 1);
    assert.match(notProbed[0]!.message, /2001:db8::25.*no route there \(often: no IPv6 here\)/);
    assert.equal(notProbed[0]!.severity, 'unknown');
  });
});
