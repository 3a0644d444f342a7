/**
 * The SPF engine beyond the conformance suite: the record reader, macro expansion against the
 * examples of RFC 7208 §7.4, and check_host() on answers served from records (no sockets) — the
 * trace, the counts, and lookup failures that must be temperror (or, for PTR, no match), never
 * fail or none.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFailureKind } from '../../src/dns/lookup.js';
import { checkHost, checkHostUnexplained } from '../../src/families/spf/check-host.js';
import type { CheckHostRequest, TraceStep } from '../../src/families/spf/check-host.js';
import { clientReverseName, dottedAddress, parseClientAddress, readableAddress } from '../../src/families/spf/client-address.js';
import { queryName } from '../../src/facts/spf/domain-name.js';
import { expandMacros, parseDomainSpec, parseMacroString } from '../../src/facts/spf/macro.js';
import type { MacroValues } from '../../src/facts/spf/macro.js';
import { isSpfRecord, MAX_SPF_PARSES_REMEMBERED, parseSpfRecord } from '../../src/facts/spf/record.js';
import { zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';

describe('reading SPF records', () => {
  it('tells SPF records from other TXT records by "v=spf1" and a space or the end, in any case', () => {
    for (const text of ['v=spf1', 'v=spf1 -all', 'V=SPF1 mx', 'v=Spf1  a']) assert.ok(isSpfRecord(text), text);
    for (const text of ['v=spf10', 'v=spf1mx', ' v=spf1 -all', 'spf1 -all', 'v=DMARC1; p=none']) assert.ok(!isSpfRecord(text), text);
  });

  it('reads mechanisms with qualifiers, domains and CIDR lengths, and the modifiers', () => {
    const parsed = parseSpfRecord('v=spf1 +a -MX:example.com/24//64 ~ptr ?ip4:192.0.2.0/24 ip6:2001:DB8::/32 exists:%{i}.bl.example.com include:_spf.example.net all redirect=_spf.example.com exp=why.example.com x-foo=%{d}');
    assert.ok(parsed.ok);
    const { mechanisms, redirect, exp } = parsed.record;
    assert.deepEqual(mechanisms.map((m) => [m.qualifier, m.kind]), [['+', 'a'], ['-', 'mx'], ['~', 'ptr'], ['?', 'ip4'], ['+', 'ip6'], ['+', 'exists'], ['+', 'include'], ['+', 'all']]);
    const mx = mechanisms[1]!;
    assert.ok(mx.kind === 'mx');
    assert.deepEqual([mx.domain?.text, mx.ip4Prefix, mx.ip6Prefix], ['example.com', 24, 64]);
    const a = mechanisms[0]!;
    assert.ok(a.kind === 'a');
    assert.deepEqual([a.domain, a.ip4Prefix, a.ip6Prefix], [null, 32, 128]);
    assert.equal(redirect?.domain.text, '_spf.example.com');
    assert.equal(exp?.domain.text, 'why.example.com');
  });

  it('reads a text once while it is remembered, and the same way after the memo starts afresh', () => {
    const text = 'v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all';
    const first = parseSpfRecord(text);
    assert.equal(parseSpfRecord(text), first, 'the same parse, not a second one');
    for (let i = 0; i <= MAX_SPF_PARSES_REMEMBERED; i++) parseSpfRecord(`v=spf1 ip4:192.0.2.${i % 256}/32 -all x=${i}`);
    const again = parseSpfRecord(text);
    assert.notEqual(again, first, 'forgotten past the bound');
    assert.deepEqual(again, first);
  });

  const errors: [string, RegExp][] = [
    ['v=spf1 ip4:192.0.2.0/33', /"ip4:192\.0\.2\.0\/33": "\/33" is not an IPv4 prefix length/],
    ['v=spf1 ip4:192.0.2', /not an IPv4 address/],
    ['v=spf1 ip4:192.0.02.1', /not an IPv4 address/],
    ['v=spf1 ip6:2001:db8::/129', /not an IPv6 prefix length/],
    ['v=spf1 a:mail', /"mail" does not end in a dot and a top-level label/],
    ['v=spf1 include: example.com', /"include:": the domain is empty/],
    ['v=spf1 exists:%{x}.example.com', /"x" is not a macro letter/],
    ['v=spf1 exists:%{c}.example.com', /allowed only in explanation text/],
    ['v=spf1 exists:%{d0}.example.com', /must not be zero/],
    ['v=spf1 a:50%.example.com', /"%" must start/],
    ['v=spf1 redirect=a.example.com redirect=b.example.com', /may appear only once/],
    ['v=spf1 -all.', /"all" takes no argument/],
    ['v=spf1 spf:example.com', /"spf" is not a mechanism/],
    ['v=spf1 a\tmx', /0x09 at position 9 is not printable ASCII/],
  ];
  for (const [text, reason] of errors) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      const parsed = parseSpfRecord(text);
      assert.ok(!parsed.ok);
      assert.match(parsed.term === null ? parsed.reason : `"${parsed.term}": ${parsed.reason}`, reason);
    });
  }

  it('keeps domain-spec syntax apart from what DNS can ask: names are checked after expansion', () => {
    assert.ok(parseDomainSpec('foo:bar/baz.example.com').ok);
    assert.ok(parseDomainSpec('%{d}').ok);
    assert.ok(!parseDomainSpec('example.com:8080').ok);
    assert.equal(queryName('Mail.Example.COM.'), 'mail.example.com');
    assert.equal(queryName('a..example.com'), null);
    assert.equal(queryName(`${'x'.repeat(64)}.example.com`), null);
    const long = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`;
    assert.equal(queryName(long), long.slice(61), 'over 253 characters: labels dropped from the left');
  });
});

describe('macro expansion (the examples of RFC 7208 §7.4)', () => {
  const values = (ip: string): MacroValues => {
    const client = parseClientAddress(ip)!;
    return {
      sender: 'strong-bad@email.example.com', localPart: 'strong-bad', senderDomain: 'email.example.com', domain: 'email.example.com',
      ip: dottedAddress(client), readableIp: readableAddress(client), ipVersion: client.family === 4 ? 'in-addr' : 'ip6',
      helo: 'mx.example.org', receiver: 'mx.example.net', timestamp: 1_700_000_000, validatedName: async () => 'mx.example.org',
    };
  };
  const expand = async (text: string, ip = '192.0.2.3'): Promise<string> => {
    const parsed = parseMacroString(text, 'explanation');
    assert.ok(parsed.ok, text);
    return expandMacros(parsed.tokens, values(ip));
  };
  const examples: [string, string][] = [
    ['%{s}', 'strong-bad@email.example.com'], ['%{o}', 'email.example.com'], ['%{d}', 'email.example.com'],
    ['%{d4}', 'email.example.com'], ['%{d3}', 'email.example.com'], ['%{d2}', 'example.com'], ['%{d1}', 'com'],
    ['%{dr}', 'com.example.email'], ['%{d2r}', 'example.email'], ['%{l}', 'strong-bad'], ['%{l-}', 'strong.bad'],
    ['%{lr}', 'strong-bad'], ['%{lr-}', 'bad.strong'], ['%{l1r-}', 'strong'],
    ['%{ir}.%{v}._spf.%{d2}', '3.2.0.192.in-addr._spf.example.com'],
    ['%{lr-}.lp._spf.%{d2}', 'bad.strong.lp._spf.example.com'],
    ['%{lr-}.lp.%{ir}.%{v}._spf.%{d2}', 'bad.strong.lp.3.2.0.192.in-addr._spf.example.com'],
    ['%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}', '3.2.0.192.in-addr.strong.lp._spf.example.com'],
    ['%{d2}.trusted-domains.example.net', 'example.com.trusted-domains.example.net'],
  ];
  for (const [text, expected] of examples) {
    it(`${text} → ${expected}`, async () => assert.equal(await expand(text), expected));
  }

  it('IPv6: %{ir}.%{v}._spf.%{d2} gives nibbles', async () => {
    assert.equal(await expand('%{ir}.%{v}._spf.%{d2}', '2001:db8::cb01'), '1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6._spf.example.com');
  });

  it('escapes, upper-case letters URL-escaped, and the explanation-only letters', async () => {
    assert.equal(await expand('%%%_%-'), '% %20');
    assert.equal(await expand('%{L}'), 'strong-bad');
    assert.equal(await expand('%{S}'), 'strong-bad%40email.example.com');
    assert.equal(await expand('%{c} %{r} %{t} %{p}', '2001:DB8::CB01'), '2001:db8::cb01 mx.example.net 1700000000 mx.example.org');
  });

  it('knows where the client address lives in reverse DNS', () => {
    assert.equal(clientReverseName(parseClientAddress('192.0.2.3')!), '3.2.0.192.in-addr.arpa');
    assert.equal(clientReverseName(parseClientAddress('::ffff:192.0.2.3')!), '3.2.0.192.in-addr.arpa', 'IPv4-mapped is IPv4');
    assert.match(clientReverseName(parseClientAddress('2001:db8::1')!), /^1(\.0){23}\.8\.b\.d\.0\.1\.0\.0\.2\.ip6\.arpa$/);
    assert.equal(parseClientAddress('192.0.2'), null);
  });
});

const ZONE = `${zoneApex('spf.test')}
mail         A    192.0.2.25
mail         AAAA 2001:db8::25
other        A    192.0.2.99
@            MX   10 mail
@            TXT  "v=spf1 ip4:198.51.100.0/24 include:_inc.spf.test mx -all exp=_why.spf.test"
_inc         TXT  "v=spf1 a:other.spf.test ~all"
_why         TXT  "%{i} may not send for %{d} (sender %{s})"
redirect     TXT  "v=spf1 redirect=spf.test"
broken-inc   TXT  "v=spf1 include:_slow.spf.test -all"
broken-mx    TXT  "v=spf1 mx:slowmx.spf.test -all"
slowmx       MX   10 slowhost
ptr          TXT  "v=spf1 ptr -all"
mail.ptr     A    192.0.2.25
v6only       AAAA 2001:db8::26
a-v6only     TXT  "v=spf1 a:v6only.spf.test -all"
many-terms   TXT  "v=spf1 a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test include:_five.spf.test -all"
_five        TXT  "v=spf1 a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test -all"
voids        TXT  "v=spf1 a:nx1.spf.test a:v6only.spf.test include:_voids.spf.test -all"
_voids       TXT  "v=spf1 exists:nx3.spf.test -all"
mx-many      TXT  "v=spf1 mx:many.spf.test -all"
${Array.from({ length: 11 }, (_, i) => `many MX ${i} mx${i}`).join('\n')}
`;

const REVERSE_ZONE = `
$ORIGIN 2.0.192.in-addr.arpa.
@            300 SOA ns.spf.test. hostmaster.spf.test. 1 7200 900 1209600 300
25           300 PTR mail.ptr.spf.test.
`;

const FAILURES: Record<string, LookupFailureKind> = {
  '_slow.spf.test TXT': 'servfail',
  'slowhost.spf.test A': 'timeout',
  'servfail.spf.test TXT': 'servfail',
  '99.2.0.192.in-addr.arpa PTR': 'servfail',
};

const records = zoneRecords(ZONE, REVERSE_ZONE);

function run(request: Partial<CheckHostRequest> & { ip: string }) {
  return checkHost(zoneSource(records, FAILURES), { domain: 'spf.test', ...request });
}

function terms(trace: TraceStep[]): string[] {
  return trace.flatMap((step) => (step.step === 'term' ? [`${step.depth} ${step.term} ${step.matched}`] : []));
}

describe('check_host()', () => {
  it('pass through mx, with every term before it in the trace', async () => {
    const outcome = await run({ ip: '192.0.2.25' });
    assert.equal(outcome.result, 'pass');
    assert.equal(outcome.reason, '"mx" in the SPF record of spf.test matched');
    assert.deepEqual(terms(outcome.trace), ['0 ip4:198.51.100.0/24 false', '0 include:_inc.spf.test false', '1 a:other.spf.test false', '1 ~all true', '0 mx true']);
    assert.deepEqual(outcome.trace[0], { step: 'record', depth: 0, domain: 'spf.test', record: 'v=spf1 ip4:198.51.100.0/24 include:_inc.spf.test mx -all exp=_why.spf.test' });
    assert.equal(outcome.lookups, 3);
    assert.equal(outcome.voidLookups, 0);
    assert.equal(outcome.explanation, undefined);
  });

  it('an include that passes matches; one that softfails does not', async () => {
    assert.equal((await run({ ip: '192.0.2.99' })).result, 'pass');
    const fail = await run({ ip: '203.0.113.9', sender: 'bob@spf.test' });
    assert.equal(fail.result, 'fail');
    assert.deepEqual(fail.explanation, { text: '203.0.113.9 may not send for spf.test (sender bob@spf.test)', source: 'exp' });
  });

  it('IPv6 clients match AAAA records; an IPv4-mapped address is IPv4', async () => {
    assert.equal((await run({ ip: '2001:db8::25' })).result, 'pass');
    assert.equal((await run({ ip: '::ffff:192.0.2.25' })).result, 'pass');
    assert.equal((await run({ ip: '2001:db8::99' })).result, 'fail');
  });

  it('follows redirect=, with the target\'s exp=, and shows it in the trace', async () => {
    const outcome = await run({ ip: '203.0.113.9', domain: 'redirect.spf.test' });
    assert.equal(outcome.result, 'fail');
    assert.ok(outcome.trace.some((step) => step.step === 'redirect' && step.target === 'spf.test' && step.depth === 0));
    assert.equal(outcome.explanation?.text, '203.0.113.9 may not send for spf.test (sender postmaster@redirect.spf.test)');
  });

  it('a failed lookup is temperror, never fail or none: the record, an include, an mx exchange', async () => {
    const record = await run({ ip: '192.0.2.25', domain: 'servfail.spf.test' });
    assert.deepEqual([record.result, record.reason], ['temperror', 'TXT servfail.spf.test: SERVFAIL from 192.0.2.53:53']);
    const include = await run({ ip: '192.0.2.25', domain: 'broken-inc.spf.test' });
    assert.equal(include.result, 'temperror');
    const step = include.trace.find((s) => s.step === 'term');
    assert.deepEqual(step && step.step === 'term' && [step.term, step.matched, step.detail], ['include:_slow.spf.test', null, 'temperror: TXT _slow.spf.test: SERVFAIL from 192.0.2.53:53']);
    assert.equal((await run({ ip: '192.0.2.25', domain: 'broken-mx.spf.test' })).result, 'temperror');
  });

  it('ptr: a validated name matches; a failed PTR lookup is no match (RFC 7208 §5.5), not temperror', async () => {
    assert.equal((await run({ ip: '192.0.2.25', domain: 'ptr.spf.test' })).result, 'pass');
    const failed = await run({ ip: '192.0.2.99', domain: 'ptr.spf.test' });
    assert.equal(failed.result, 'fail');
    assert.equal(failed.voidLookups, 0, 'a failed lookup is not a void one');
  });

  it('none for a domain without a record, or that is not a multi-label name', async () => {
    assert.deepEqual((await run({ ip: '192.0.2.25', domain: 'mail.spf.test' })).result, 'none');
    assert.match((await run({ ip: '192.0.2.25', domain: 'localhost' })).reason, /not a multi-label domain name/);
  });

  it('"a" asks for the client\'s family only: a host with only AAAA is a void lookup for an IPv4 client (RFC 7208 §5.3)', async () => {
    assert.deepEqual([(await run({ ip: '203.0.113.9', domain: 'a-v6only.spf.test' })).voidLookups, (await run({ ip: '2001:db8::99', domain: 'a-v6only.spf.test' })).voidLookups], [1, 0]);
  });

  it('a permerror at a processing limit says which limit, at which term of which record', async () => {
    const lookups = await run({ ip: '203.0.113.9', domain: 'many-terms.spf.test' });
    assert.deepEqual([lookups.result, lookups.limit], ['permerror', { limit: 'lookups', domain: '_five.spf.test', term: 'a:mail.spf.test' }]);
    const voids = await run({ ip: '203.0.113.9', domain: 'voids.spf.test' });
    assert.deepEqual([voids.result, voids.limit], ['permerror', {
      limit: 'voidLookups', domain: '_voids.spf.test', term: 'exists:nx3.spf.test',
      voids: [{ domain: 'voids.spf.test', term: 'a:nx1.spf.test' }, { domain: 'voids.spf.test', term: 'a:v6only.spf.test' }, { domain: '_voids.spf.test', term: 'exists:nx3.spf.test' }],
    }]);
    assert.equal((await run({ ip: '2001:db8::99', domain: 'voids.spf.test' })).result, 'fail', 'for IPv6, a:v6only finds its AAAA record');
    const mx = await run({ ip: '203.0.113.9', domain: 'mx-many.spf.test' });
    assert.deepEqual([mx.result, mx.limit], ['permerror', { limit: 'mxNames', domain: 'mx-many.spf.test', term: 'mx:many.spf.test', name: 'many.spf.test', exchanges: 11 }]);
    assert.equal((await run({ ip: '203.0.113.9' })).limit, undefined);
  });

  it('checkHostUnexplained: the same result without looking up exp=', async () => {
    const source = zoneSource(records, FAILURES);
    const outcome = await checkHostUnexplained(source, { domain: 'spf.test', ip: '203.0.113.9' });
    assert.deepEqual([outcome.result, outcome.explanation], ['fail', undefined]);
    assert.ok(!source.asked.includes('_why.spf.test TXT'), source.asked.join(', '));
  });

  it('throws for an ip that is not an address (a caller\'s mistake, not a DNS result)', async () => {
    await assert.rejects(run({ ip: 'mail.spf.test' }), /not an IP address/);
  });
});
