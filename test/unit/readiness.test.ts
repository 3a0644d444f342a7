/**
 * The bulk-sender readiness summary on hand-made findings and sections (each requirement met, not
 * met, unknown — a failed lookup, a family that did not run, nothing to judge), its table against the
 * catalog, its text lines, the options that ask for it; and --sending-host (the library's
 * sendingHosts) through the ptr family against the in-process DNS server: names, addresses, names
 * without a public address, a failed lookup.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/finding.js';
import { OptionError } from '../../src/core/errors.js';
import { rules as catalog } from '../../src/catalog/rules.js';
import { READINESS_FAMILIES, readinessLines, readinessOf, REQUIREMENTS } from '../../src/engine/readiness.js';
import type { ReadinessSection } from '../../src/engine/readiness.js';
import { requestedFamilies, validateOptions } from '../../src/engine/validate-options.js';
import type { FamilySections } from '../../src/families/index.js';
import { MAX_SENDING_HOSTS } from '../../src/families/ptr/sending-hosts.js';
import { checkDomain } from '../../src/modes/domains.js';
import type { DomainResult } from '../../src/engine/result.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { zoneRecords } from '../support/zone-source.js';

function finding(rule: string, messageId: string, target?: string): Finding {
  return { rule, messageId, severity: 'error', message: '', fix: '', rfc: '', ...(target === undefined ? {} : { target }) };
}

/** Sections in which every requirement has something to judge and judges it fine. */
const GOOD: FamilySections = {
  spf: { state: 'found', record: 'v=spf1 mx -all', lookups: 1, voidLookups: 0, includes: [], evaluations: [] },
  dmarc: { state: 'found', name: '_dmarc.example.com', policy: 'reject', rua: ['mailto:d@example.com'] },
  dkim: {
    domainkey: 'exists',
    selectors: [{ selector: 's1', name: 's1._domainkey.example.com', source: 'given', state: 'found', cname: [], records: ['v=DKIM1; p=…'] }],
  },
  ptr: { hosts: 'exchanges', addresses: [{ host: 'mx.example.com', address: '185.199.108.25', family: 4, names: ['mx.example.com'], forwardConfirmed: true }] },
  smtp: {
    port: 25,
    connectivity: { ipv4: { connected: true }, ipv6: { connected: false, globalAddress: false } },
    probes: [{
      exchange: 'mx.example.com', address: '185.199.108.25', family: 4, probed: true, banner: '220 mx.example.com ESMTP', ehlo: null, ehloAfterTls: null, tls: null, failure: null, durationMs: 1,
    }],
  },
};
const ALL = new Set(['mx', 'spf', 'dmarc', 'dkim', 'ptr', 'smtp']);

const states = (section: ReadinessSection): Record<string, string> => Object.fromEntries(section.requirements.map((r) => [r.id, r.state]));

describe('readiness from findings and sections', () => {
  test('every requirement met: findings that mean nothing to it (info, warnings of other kinds) leave it met', () => {
    const section = readinessOf([finding('dmarc-policy-none', 'none'), finding('smtp-cert-invalid', 'unverified', 'mx.example.com'), finding('mx-single', 'single')], GOOD, ALL);
    assert.equal(section.state, 'met');
    assert.deepEqual(states(section), { spf: 'met', dkim: 'met', dmarc: 'met', fcrdns: 'met', starttls: 'met' });
    assert.ok(section.requirements.every((r) => r.findings.length === 0 && r.reason === undefined));
  });

  test('not met: the findings behind it, with their targets; not met outweighs unknown, in a requirement and in the summary', () => {
    const section = readinessOf([
      finding('smtp-starttls-missing', 'missing', 'mx1.example.com'), finding('smtp-unreachable', 'unreachable', 'mx2.example.com'),
      finding('dmarc-no-aggregate-reports', 'noRua'), finding('spf-lookup-failed', 'failed'),
    ], GOOD, ALL);
    assert.equal(section.state, 'not-met');
    assert.deepEqual(states(section), { spf: 'unknown', dkim: 'met', dmarc: 'not-met', fcrdns: 'met', starttls: 'not-met' });
    assert.deepEqual(section.requirements.find((r) => r.id === 'starttls')!.findings, [{ rule: 'smtp-starttls-missing', messageId: 'missing', target: 'mx1.example.com' }]);
    assert.deepEqual(section.requirements.find((r) => r.id === 'spf')!.findings, [{ rule: 'spf-lookup-failed', messageId: 'failed' }]);
  });

  test('a rule counts by message where its severity varies: a 1024-bit DKIM key is a warning, not "not met"; a 512-bit one is', () => {
    assert.equal(states(readinessOf([finding('dkim-key-too-short', 'short', 's1._domainkey.example.com')], GOOD, ALL)).dkim, 'met');
    assert.equal(states(readinessOf([finding('dkim-key-too-short', 'tooShort', 's1._domainkey.example.com')], GOOD, ALL)).dkim, 'not-met');
    assert.equal(states(readinessOf([finding('spf-permissive-all', 'neutralAll')], GOOD, ALL)).spf, 'met');
    assert.equal(states(readinessOf([finding('spf-permissive-all', 'passAll')], GOOD, ALL)).spf, 'not-met');
  });

  test('a family that did not run is unknown, never met: no DKIM selector known, no SMTP probe', () => {
    const { spf, dmarc, ptr } = GOOD;
    const section = readinessOf([], { spf, dmarc, ptr }, new Set(['mx', 'spf', 'dmarc', 'ptr']));
    assert.equal(section.state, 'unknown');
    const dkimLine = section.requirements.find((r) => r.id === 'dkim')!;
    assert.deepEqual([dkimLine.state, dkimLine.findings], ['unknown', []]);
    assert.match(dkimLine.reason!, /no DKIM selector known: .*--dkim-selector/);
    assert.equal(section.requirements.find((r) => r.id === 'starttls')!.reason, 'the smtp check did not run');
  });

  test('nothing to judge is unknown: no SPF record read, no key found, no address to check, no exchange probed', () => {
    const empty: FamilySections = {
      spf: { ...GOOD.spf!, state: 'none', record: null },
      dmarc: { state: 'skipped' },
      dkim: { domainkey: 'exists', selectors: [] },
      ptr: { hosts: 'exchanges', addresses: [] },
      smtp: { port: 25, connectivity: { ipv4: { connected: false }, ipv6: { connected: false, globalAddress: false } }, probes: [{ exchange: 'mx.example.com', address: '10.0.0.25', family: 4, probed: false, skipped: 'not globally routable' }] },
    };
    const section = readinessOf([], empty, ALL);
    assert.deepEqual(states(section), { spf: 'unknown', dkim: 'unknown', dmarc: 'unknown', fcrdns: 'unknown', starttls: 'unknown' });
    assert.match(section.requirements.find((r) => r.id === 'fcrdns')!.reason!, /--sending-host/);
  });

  test('a failed lookup of the exchanges leaves their reverse DNS and STARTTLS unknown, whatever was checked of the others', () => {
    const section = readinessOf([finding('dns-lookup-failed', 'failed', 'mx2.example.com')], GOOD, ALL);
    assert.deepEqual(states(section), { spf: 'met', dkim: 'met', dmarc: 'met', fcrdns: 'unknown', starttls: 'unknown' });
  });

  test('the table: every rule and message it names exists; the families it turns on are those it reads, dkim aside', () => {
    const byId = new Map(catalog.map((meta) => [meta.id, meta]));
    for (const requirement of REQUIREMENTS) {
      for (const match of [...requirement.notMet, ...requirement.unknown]) {
        const [rule, messageId] = match.split('/');
        const meta = byId.get(rule as never);
        assert.ok(meta, `${requirement.id}: no rule ${rule}`);
        if (messageId !== undefined) assert.ok(messageId in meta.messages, `${requirement.id}: ${rule} has no message ${messageId}`);
      }
    }
    assert.deepEqual([...READINESS_FAMILIES].sort(), ['dmarc', 'mx', 'ptr', 'smtp', 'spf']);
  });

  test('the text lines: the summary, then one line per requirement with a mark and words, and what stands behind it', () => {
    const section = readinessOf([finding('mx-ptr-missing', 'missing', 'mx.example.com'), finding('mx-ptr-missing', 'missing', 'mx.example.com')], GOOD, new Set([...ALL].filter((f) => f !== 'dkim')));
    assert.deepEqual(readinessLines(section).map((l) => [l.text, l.note]), [
      ['✗ not met', 'the bulk-sender requirements of Gmail, Yahoo and Outlook.com'],
      ['✓ met: SPF: one valid record', undefined],
      ['? unknown: DKIM: a usable key for each selector', 'no DKIM selector known: name the ones mail is signed with (--dkim-selector), or try common ones (--dkim-discover)'],
      ['✓ met: DMARC: a policy of p=none or stricter, with aggregate reports', undefined],
      ['✗ not met: reverse DNS of the sending hosts, forward-confirmed', 'mx-ptr-missing mx.example.com'],
      ['✓ met: STARTTLS on the exchanges', undefined],
    ]);
  });
});

describe('the options: readiness, sendingHosts', () => {
  test('readiness turns on the families it reads, dkim only with selectors; sendingHosts turns on ptr', () => {
    assert.deepEqual(requestedFamilies({ readiness: true }), ['mx', 'spf', 'dmarc', 'ptr', 'smtp', 'takeover']);
    assert.deepEqual(requestedFamilies({ readiness: true, checks: 'spf', dkimSelectors: ['s1'] }), ['mx', 'spf', 'dmarc', 'dkim', 'ptr', 'smtp']);
    assert.deepEqual(requestedFamilies({ checks: 'mx', sendingHosts: ['out.example.com'] }), ['mx', 'ptr']);
  });

  test('bad values are refused with the option\'s name: a private address, something that is no host, too many, a readiness that is no flag', () => {
    assert.throws(() => validateOptions({ sendingHosts: ['10.1.2.3'] }), (e: Error) => e instanceof OptionError
      && e.message === 'sendingHosts: "10.1.2.3" is not a globally routable address (private, RFC 1918): receivers only ever see the public address mail leaves from');
    assert.throws(() => validateOptions({ sendingHosts: ['out example'] }), /sendingHosts: "out example" is neither a host name nor an IP address/);
    assert.throws(() => validateOptions({ sendingHosts: Array.from({ length: MAX_SENDING_HOSTS + 1 }, (_, i) => `h${i}.example.com`) }), /at most 32/);
    assert.throws(() => validateOptions({ readiness: 'yes' as unknown as boolean }), /readiness must be true or false/);
    validateOptions({ sendingHosts: ['185.199.108.25', '2a01:4f8::25', 'out.example.com'], readiness: true });
  });
});

const ZONES = [`
$ORIGIN send.test.
$TTL 300
@          SOA  ns1 hostmaster 1 3600 600 86400 300
@          NS   ns1
ns1        A    192.0.2.53
@          MX   10 mx
mx         A    185.199.108.30
out        A    185.199.108.31
out        AAAA 2a01:4f8::31
internal   A    10.0.0.31
broken     A    185.199.108.32
`, `
$ORIGIN 108.199.185.in-addr.arpa.
$TTL 300
@    SOA  ns1.send.test. hostmaster.send.test. 1 3600 600 86400 300
@    NS   ns1.send.test.
30   PTR  mx.send.test.
31   PTR  out.send.test.
33   PTR  elsewhere.send.test.
`, `
$ORIGIN 0.0.0.0.0.0.0.0.8.f.4.0.1.0.a.2.ip6.arpa.
$TTL 300
@    SOA  ns1.send.test. hostmaster.send.test. 1 3600 600 86400 300
@    NS   ns1.send.test.
1.3.0.0.0.0.0.0.0.0.0.0.0.0.0.0 PTR out.send.test.
`, `
$ORIGIN test.
$TTL 300
@    SOA  ns1.send.test. hostmaster.send.test. 1 3600 600 86400 300
@    NS   ns1.send.test.
`];

describe('--sending-host through the ptr family (in-process DNS server)', () => {
  let server: LocalDnsServer;
  before(async () => {
    server = await startLocalDnsServer({
      records: zoneRecords(...ZONES),
      behave: (q) => (q.name === 'broken.send.test' && q.type === 'AAAA' ? { kind: 'rcode', rcode: 'SERVFAIL' } : { kind: 'answer' }),
    });
  });
  after(() => server.close());

  const check = (options: Parameters<typeof checkDomain>[1]): Promise<DomainResult> =>
    checkDomain('send.test', { servers: [server.address], retries: 0, timeoutMs: 1000, checks: ['ptr'], ...options });
  const rules = (result: DomainResult): string[] => result.findings.map((f) => `${f.rule}/${f.messageId}@${f.target}`).sort();

  test('without sending hosts the exchanges are checked', async () => {
    const result = await check({});
    assert.equal(result.ptr?.hosts, 'exchanges');
    assert.deepEqual(result.ptr?.addresses.map((a) => [a.host, a.address, a.forwardConfirmed]), [['mx.send.test', '185.199.108.30', true]]);
  });

  test('a name (both its addresses), an address given as such, and one whose PTR leads elsewhere: the exchanges are not checked', async () => {
    const result = await check({ sendingHosts: ['out.send.test', '185.199.108.33'] });
    assert.equal(result.ptr?.hosts, 'sending');
    assert.deepEqual(result.ptr?.unresolved, []);
    assert.deepEqual(result.ptr?.addresses.map((a) => [a.host, a.address, a.names, a.forwardConfirmed]), [
      ['185.199.108.33', '185.199.108.33', ['elsewhere.send.test'], false],
      ['out.send.test', '185.199.108.31', ['out.send.test'], true],
      ['out.send.test', '2a01:4f8::31', ['out.send.test'], true],
    ]);
    assert.deepEqual(rules(result), ['mx-ptr-mismatch/notConfirmedUnnamed@185.199.108.33']);
    assert.match(result.findings[0]!.message, /^Sending address 185\.199\.108\.33 has PTR elsewhere\.send\.test, but no such name resolves back/);
  });

  test('an address without PTR is told without a host name to advise; a name without a public address, or none at all, is unknown', async () => {
    const result = await check({ sendingHosts: ['185.199.108.34', 'internal.send.test', 'nothing.send.test'] });
    assert.deepEqual(rules(result), [
      'mx-ptr-missing/missingUnnamed@185.199.108.34', 'sending-host-no-address/noAddress@nothing.send.test', 'sending-host-no-address/notRoutable@internal.send.test',
    ]);
    assert.equal(result.status, 'unknown');
    assert.deepEqual(result.ptr?.unresolved, [{ host: 'internal.send.test', reason: 'not-routable' }, { host: 'nothing.send.test', reason: 'no-address' }]);
    assert.match(result.findings.find((f) => f.messageId === 'notRoutable')!.message, /only addresses that are not globally routable \(10\.0\.0\.31\)/);
  });

  test('a lookup of a sending host that fails is mx-ptr-lookup-failed, though its other address family was checked', async () => {
    const result = await check({ sendingHosts: ['broken.send.test'] });
    assert.deepEqual(rules(result), ['mx-ptr-lookup-failed/failed@broken.send.test', 'mx-ptr-missing/missing@broken.send.test']);
  });
});
