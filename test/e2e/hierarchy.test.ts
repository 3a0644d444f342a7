/**
 * The hierarchy harness end to end: a signed root, test. and leaf zones on 127.0.9.x:53 behind a
 * validating Unbound, queried with the project's own Resolver (so DO, CD and RD are proved on the wire).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from '../../src/dns/resolver.js';
import { parseServerAddress, type ServerAddress } from '../../src/dns/server-address.js';
import type { Lookup, LookupAnswer } from '../../src/dns/lookup.js';
import { recordsAt } from '../../src/dns/lookup.js';
import { e2eGate } from '../support/e2e.js';
import { startHierarchy, type Hierarchy } from '../support/hierarchy.js';

const gates = [e2eGate('nsd'), e2eGate('unbound'), e2eGate('dnssec-signzone')];
const skip = gates.find((g) => g.skip !== false)?.skip ?? false;

/** EDE codes of RFC 8914. */
const EDE_DNSSEC_BOGUS = 6;
const EDE_DNSKEY_MISSING = 9;
const RRSIG = 46;

const PLAIN_NEW = `@ SOA ns1 hostmaster 2 3600 600 86400 300
www A 192.0.2.30`;
const PLAIN_OLD = `@ SOA ns1 hostmaster 1 3600 600 86400 300
www A 192.0.2.30`;

function address(spec: string): ServerAddress {
  const parsed = parseServerAddress(spec);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.server;
}

describe('startHierarchy: signed hierarchy behind a validating Unbound', { skip }, () => {
  let hierarchy: Hierarchy;
  let resolver: Resolver;

  before(async () => {
    hierarchy = await startHierarchy({
      zones: [
        { name: '.', address: '127.0.9.2' },
        { name: 'test.', address: '127.0.9.3' },
        { name: 'good.test.', address: '127.0.9.4', text: 'www A 192.0.2.10\nbad A 192.0.2.11\n@ MX 10 mx\nmx A 192.0.2.12' },
        { name: 'broken.test.', address: '127.0.9.5', text: 'www A 192.0.2.20' },
        {
          name: 'plain.test',
          address: '127.0.9.6',
          text: PLAIN_NEW,
          servers: [{ address: '127.0.9.7', text: PLAIN_OLD }, { address: '127.0.9.9', down: true }],
        },
        { name: 'dead.test.', address: '127.0.9.10', down: true },
      ],
      dnssec: { sign: ['.', 'test.', 'good.test.', 'broken.test.'], bogus: ['bad.good.test.'], brokenDs: ['broken.test.'] },
      resolver: { address: '127.0.9.53' },
    });
    resolver = new Resolver({ servers: [address(hierarchy.resolver!.server)], timeoutMs: 3000, retries: 1, cache: false });
  });

  after(async () => {
    resolver?.close();
    await hierarchy?.stop();
  });

  /** The answer, or a failed assertion that shows the lookup and every server's log. */
  function answered(lookup: Lookup): LookupAnswer {
    if (!lookup.ok) assert.fail(`${lookup.message}\n${hierarchy.logs()}`);
    return lookup;
  }

  it('returns the resolver, every server (down ones too) and the root trust anchor', () => {
    assert.equal(hierarchy.resolver?.server, '127.0.9.53:53');
    assert.deepEqual(hierarchy.servers.map((s) => [s.zone, s.nsName, s.server, s.down]), [
      ['.', 'ns1.root-servers.', '127.0.9.2:53', false],
      ['test.', 'ns1.test.', '127.0.9.3:53', false],
      ['good.test.', 'ns1.good.test.', '127.0.9.4:53', false],
      ['broken.test.', 'ns1.broken.test.', '127.0.9.5:53', false],
      ['plain.test.', 'ns1.plain.test.', '127.0.9.6:53', false],
      ['plain.test.', 'ns2.plain.test.', '127.0.9.7:53', false],
      ['plain.test.', 'ns3.plain.test.', '127.0.9.9:53', true],
      ['dead.test.', 'ns1.dead.test.', '127.0.9.10:53', true],
    ]);
    assert.match(hierarchy.rootAnchor ?? '', /^\.\s+IN DS \d+ 13 2 [0-9A-F ]+$/m);
  });

  it('a signed name validates: AD set when the query has DO', async () => {
    const answer = answered(await resolver.lookup('www.good.test', 'A', { flags: { dnssecOk: true } }));
    assert.deepEqual(recordsAt(answer.answers, 'www.good.test', 'A').map((r) => r.data), ['192.0.2.10']);
    assert.equal(answer.flags.ad, true);
    const withoutDo = answered(await resolver.lookup('mx.good.test', 'A'));
    assert.equal(withoutDo.flags.ad, false, 'AD only when asked for with DO');
  });

  it('a corrupted RRSIG is bogus: SERVFAIL with EDE 6; with CD the data without AD', async () => {
    const bogus = await resolver.lookup('bad.good.test', 'A', { flags: { dnssecOk: true } });
    assert.equal(bogus.ok, false, 'a bogus answer must not be served');
    assert.equal(bogus.ok ? '' : bogus.kind, 'servfail');
    assert.ok(bogus.extendedErrors.some((e) => e.code === EDE_DNSSEC_BOGUS), JSON.stringify(bogus.extendedErrors));
    const unchecked = answered(await resolver.lookup('bad.good.test', 'A', { flags: { dnssecOk: true, checkingDisabled: true } }));
    assert.deepEqual(recordsAt(unchecked.answers, 'bad.good.test', 'A').map((r) => r.data), ['192.0.2.11']);
    assert.equal(unchecked.flags.ad, false);
    assert.equal(unchecked.flags.cd, true, 'the reply echoes CD');
  });

  it('a DS for a key that signs nothing breaks the chain: SERVFAIL with EDE 9', async () => {
    const broken = await resolver.lookup('www.broken.test', 'A', { flags: { dnssecOk: true } });
    assert.equal(broken.ok ? '' : broken.kind, 'servfail');
    assert.ok(broken.extendedErrors.some((e) => e.code === EDE_DNSKEY_MISSING), JSON.stringify(broken.extendedErrors));
  });

  it('an unsigned delegation resolves without AD (one of its servers down)', async () => {
    const answer = answered(await resolver.lookup('www.plain.test', 'A', { flags: { dnssecOk: true } }));
    assert.deepEqual(recordsAt(answer.answers, 'www.plain.test', 'A').map((r) => r.data), ['192.0.2.30']);
    assert.equal(answer.flags.ad, false);
  });

  it('every authoritative server answers its zone directly (no RD) with AA, each with its own text', async () => {
    const serials = new Map<string, number>();
    for (const server of hierarchy.servers.filter((s) => !s.down)) {
      const answer = answered(await resolver.lookup(server.zone, 'SOA', {
        servers: [address(server.server)],
        flags: { recursionDesired: false, dnssecOk: true },
      }));
      assert.equal(answer.flags.aa, true, `${server.server} is authoritative for ${server.zone}`);
      assert.equal(answer.flags.rd, false, 'RD was not sent');
      const [soa] = recordsAt(answer.answers, server.zone === '.' ? '.' : server.zone.slice(0, -1), 'SOA');
      assert.ok(soa, `SOA of ${server.zone} from ${server.server}`);
      serials.set(server.server, soa.data.serial);
      const signed = !server.zone.startsWith('plain.');
      const rrsigs = answer.answers.filter((r) => r.type === 'OPAQUE' && r.rrtype === RRSIG);
      assert.equal(rrsigs.length > 0, signed, `RRSIG with DO from ${server.server}`);
    }
    assert.equal(serials.get('127.0.9.6:53'), 2);
    assert.equal(serials.get('127.0.9.7:53'), 1);
  });

  it('the parent delegates with NS and glue for every server, down ones included', async () => {
    const referral = answered(await resolver.lookup('www.plain.test', 'A', {
      servers: [address('127.0.9.3:53')],
      flags: { recursionDesired: false },
    }));
    assert.equal(referral.flags.aa, false);
    assert.deepEqual(recordsAt(referral.authorities, 'plain.test', 'NS').map((r) => r.data).sort(),
      ['ns1.plain.test', 'ns2.plain.test', 'ns3.plain.test']);
    assert.deepEqual(referral.additionals.filter((r) => r.type === 'A').map((r) => r.data).sort(),
      ['127.0.9.6', '127.0.9.7', '127.0.9.9']);
  });

  it('a zone whose servers are all down is SERVFAIL through the resolver, not silence', async () => {
    const lookup = await resolver.lookup('www.dead.test', 'A');
    assert.equal(lookup.ok ? lookup.rcode : lookup.kind, 'servfail');
  });

  it('a down server does not answer', async () => {
    const down = hierarchy.servers.find((s) => s.zone === 'plain.test.' && s.down)!;
    const quick = new Resolver({ servers: [address(down.server)], timeoutMs: 300, retries: 0, cache: false });
    try {
      const lookup = await quick.lookup(down.zone, 'SOA', { flags: { recursionDesired: false } });
      assert.equal(lookup.ok, false);
      assert.ok(!lookup.ok && ['timeout', 'network'].includes(lookup.kind), lookup.ok ? '' : lookup.message);
    } finally {
      quick.close();
    }
  });
});

describe('startHierarchy: bad input', () => {
  it('refuses what it cannot build, before starting anything', async () => {
    await assert.rejects(startHierarchy({ zones: [{ name: 'a.test', address: '192.0.2.1' }] }), /not a loopback IPv4 address/);
    await assert.rejects(startHierarchy({ zones: [{ name: 'a.test', address: '127.0.9.2' }], dnssec: { sign: ['b.test'] } }),
      /not a zone given/);
    await assert.rejects(startHierarchy({ zones: [{ name: 'a.test', address: '127.0.9.2' }], resolver: { address: '127.0.9.53' } }),
      /needs a root zone/);
    await assert.rejects(startHierarchy({
      zones: [{ name: 'a.test', address: '127.0.9.2' }],
      dnssec: { sign: ['a.test'], brokenDs: ['a.test'] },
    }), /not a signed zone with a parent/);
    await assert.rejects(startHierarchy({
      zones: [{ name: 'a.test', address: '127.0.9.2', servers: [{ address: '127.0.9.3', down: true }] }, { name: 'b.test', address: '127.0.9.3' }],
    }), /down for a\.test\. but serves another zone/);
    await assert.rejects(startHierarchy({
      zones: [{ name: 'a.test', address: '127.0.9.2' }],
      dnssec: { sign: ['a.test'], bogus: ['nothing.a.test'] },
    }), /owns no signed record/);
  });
});
