/**
 * The policy families through the library (checkDomain with `checks`) against the in-process DNS
 * server, for the cases real zones rarely show: a second PTR name that confirms, a forward lookup
 * that fails, an IPv4-mapped exchange address, a block list answering outside 127.0.0.0/8, a null-MX
 * domain without DMARC; and the MTA-STS mx rule on hand-made facts for each mode.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDomain } from '../../src/modes/domains.js';
import type { DomainResult } from '../../src/engine/result.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import type { MtaStsFacts } from '../../src/families/mta-sts/collect.js';
import { parseMtaStsPolicy } from '../../src/families/mta-sts/record.js';
import { mtaStsMxMismatch } from '../../src/families/mta-sts/rules.js';

const ZONES = [`
$ORIGIN fam.test.
$TTL 300
@           SOA  ns1 hostmaster 1 3600 600 86400 300
@           NS   ns1
ns1         A    192.0.2.53
two         MX   10 mx.two
mx.two      A    185.199.108.21
other       A    185.199.108.99
failing     MX   10 mx.failing
mx.failing  A    185.199.108.22
broken      A    185.199.108.22
mapped      MX   10 mx.mapped
mx.mapped   AAAA ::ffff:185.199.108.23
nullmx      MX   0 .
; twelve labels: the DMARC tree walk asks eight names for it, no more (RFC 9989 §4.10)
a.b.c.d.e.f.g.h.i.deep MX 10 mx.two
`, `
$ORIGIN 108.199.185.in-addr.arpa.
$TTL 300
@    SOA  ns1.fam.test. hostmaster.fam.test. 1 3600 600 86400 300
@    NS   ns1.fam.test.
21   PTR  other.fam.test.
21   PTR  mx.two.fam.test.
22   PTR  broken.fam.test.
23   PTR  mx.mapped.fam.test.
`, `
$ORIGIN test.
$TTL 300
@           SOA  ns1.fam.test. hostmaster.fam.test. 1 3600 600 86400 300
@           NS   ns1.fam.test.
`, `
$ORIGIN dead-list.test.
$TTL 300
@    SOA  ns1 hostmaster 1 3600 600 86400 300
@    NS   ns1
ns1  A    192.0.2.53
*    A    198.51.100.7
`];

describe('policy families through the library', () => {
  let server: LocalDnsServer;
  before(async () => {
    const records = ZONES.flatMap((text, i) => {
      const zone = readZoneText(text, { file: `zone${i}` });
      assert.deepEqual(zone.problems, []);
      return zone.records;
    });
    server = await startLocalDnsServer({
      records,
      behave: (q) => (q.name === 'broken.fam.test' && q.type === 'A' ? { kind: 'rcode', rcode: 'SERVFAIL' } : { kind: 'answer' }),
    });
  });
  after(() => server.close());

  const check = (domain: string, options: Parameters<typeof checkDomain>[1]): Promise<DomainResult> =>
    checkDomain(domain, { servers: [server.address], retries: 0, timeoutMs: 1000, ...options });
  const rules = (result: DomainResult): string[] => result.findings.map((f) => f.rule).sort();

  test('a second PTR name that leads back confirms the address', async () => {
    const result = await check('two.fam.test', { checks: ['ptr'] });
    assert.deepEqual(rules(result), []);
    assert.equal(result.ptr?.addresses[0]?.forwardConfirmed, true);
  });

  test('a forward lookup that fails is unknown, not a mismatch', async () => {
    const result = await check('failing.fam.test', { checks: ['ptr'] });
    assert.deepEqual(rules(result), ['mx-ptr-lookup-failed']);
    assert.match(result.findings[0]!.message, /^A broken\.fam\.test: SERVFAIL/);
    assert.equal(result.ptr?.addresses[0]?.forwardConfirmed, null);
  });

  test('an IPv4-mapped AAAA is checked as its IPv4 address, under in-addr.arpa', async () => {
    const result = await check('mapped.fam.test', { checks: ['ptr'] });
    assert.deepEqual(result.ptr?.addresses.map((a) => [a.address, a.family, a.names]), [['185.199.108.23', 4, ['mx.mapped.fam.test']]]);
    // mx.mapped has no A record, so the forward lookup (A, for IPv4) finds none: a mismatch.
    assert.deepEqual(rules(result), ['mx-ptr-mismatch']);
  });

  test('a list answering an address outside 127.0.0.0/8 is not a listing: unknown', async () => {
    const result = await check('two.fam.test', { checks: ['dnsbl'], dnsbl: ['dead-list.test'] });
    assert.deepEqual(rules(result), ['dnsbl-lookup-failed']);
    assert.match(result.findings[0]!.message, /198\.51\.100\.7/);
    assert.deepEqual(result.dnsbl?.listings.map((l) => l.state), ['unknown']);
  });

  test('a 12-label name: the DMARC tree walk asks the server eight _dmarc names, the first and then the last seven labels up', async () => {
    (server.queries as unknown[]).length = 0;
    const domain = 'a.b.c.d.e.f.g.h.i.deep.fam.test';
    const result = await check(domain, { checks: ['dmarc'] });
    const asked = server.queries.filter((q) => q.type === 'TXT' && q.name.startsWith('_dmarc.')).map((q) => q.name);
    assert.deepEqual(asked, [
      '_dmarc.a.b.c.d.e.f.g.h.i.deep.fam.test', '_dmarc.f.g.h.i.deep.fam.test', '_dmarc.g.h.i.deep.fam.test', '_dmarc.h.i.deep.fam.test',
      '_dmarc.i.deep.fam.test', '_dmarc.deep.fam.test', '_dmarc.fam.test', '_dmarc.test',
    ]);
    assert.deepEqual(result.dmarc?.walk?.map((step) => step.name), asked);
    assert.deepEqual(rules(result), ['dmarc-missing']);
  });

  test('a null-MX domain without DMARC is told to publish p=reject; MTA-STS and TLS-RPT leave it alone', async () => {
    const result = await check('nullmx.fam.test', { checks: ['mx', 'dmarc', 'mta-sts', 'tlsrpt'] });
    assert.deepEqual(rules(result), ['dmarc-missing', 'null-mx']);
    const missing = result.findings.find((f) => f.rule === 'dmarc-missing')!;
    assert.match(missing.message, /takes no mail \(null MX\)/);
    assert.match(missing.fix, /v=DMARC1; p=reject;/);
    assert.equal(result['mta-sts']?.state, 'skipped');
    assert.equal(result.tlsrpt?.state, 'skipped');
  });
});

describe('mta-sts-mx-mismatch by mode', () => {
  const facts = (policy: string): MtaStsFacts => ({
    domain: 'example.com', published: null, exchanges: ['mx1.example.com', 'mx2.example.net'],
    fetch: { state: 'fetched', host: 'mta-sts.example.com', address: '192.0.2.1', contentType: 'text/plain', body: policy, policy: parseMtaStsPolicy(policy) },
  });
  const policy = (mode: string): string => `version: STSv1\nmode: ${mode}\nmx: *.example.com\nmax_age: 86400\n`;

  test('enforce: the exchange no pattern allows is an error that says mail bounces', () => {
    const findings = mtaStsMxMismatch.check(facts(policy('enforce')));
    assert.deepEqual(findings.map((f) => [f.severity, f.target]), [['error', 'mx2.example.net']]);
    assert.match(findings[0]!.message, /refuse to deliver/);
  });

  test('testing: the same finding, saying mail is delivered until the mode is enforce', () => {
    assert.match(mtaStsMxMismatch.check(facts(policy('testing')))[0]!.message, /once the mode is enforce/);
  });

  test('none, or an unusable policy: nothing to match against', () => {
    assert.deepEqual(mtaStsMxMismatch.check(facts(policy('none'))), []);
    assert.deepEqual(mtaStsMxMismatch.check(facts('version: STSv1\nmode: enforce\nmx: *.example.com\n')), []);
  });
});
