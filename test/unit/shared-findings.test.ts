/**
 * A finding about what several names share is reported once in a run over many names: on synthetic
 * results (the order, the owner, the bound), and on zone data in memory (an inherited DMARC record,
 * a common exchange, names left unasked). No server: zone mode offline.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/finding.js';
import type { DomainResult } from '../../src/engine/result.js';
import { MAX_SHARED_FINDINGS_REMEMBERED, reportSharedOnce, sharedFolder } from '../../src/engine/shared-findings.js';
import { checkZones } from '../../src/modes/zone/runner.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';

function finding(rule: string, severity: Finding['severity'], shared?: Finding['shared'], target?: string): Finding {
  return { rule, messageId: 'm', severity, message: `${rule} here`, fix: 'fix', rfc: 'RFC 1', ...(target ? { target } : {}), ...(shared ? { shared } : {}) };
}

function result(domain: string, findings: Finding[]): DomainResult {
  return { input: domain, domain, canonical: domain, status: findings.some((f) => f.severity === 'error') ? 'fail' : 'pass', mx: [], findings, durationMs: 0 };
}

async function run(results: DomainResult[]): Promise<DomainResult[]> {
  const out: DomainResult[] = [];
  for await (const r of reportSharedOnce((async function* () { yield* results; })())) out.push(r);
  return out;
}

const OWN = { name: '_dmarc.example.com', own: true };
const INHERITED = { name: '_dmarc.example.com', own: false };

describe('reportSharedOnce', () => {
  test('the owner reports; the names after it list the finding as reported there, and their status drops it', async () => {
    const [owner, sub, other] = await run([
      result('example.com', [finding('dmarc-syntax', 'error', OWN)]),
      result('a.example.com', [finding('dmarc-syntax', 'error', INHERITED), finding('spf-missing', 'warning')]),
      result('b.example.com', [finding('dmarc-syntax', 'error', INHERITED, 'x')]),
    ]);
    assert.deepEqual(owner!.findings.map((f) => f.rule), ['dmarc-syntax']);
    assert.equal(owner!.reportedElsewhere, undefined);
    assert.deepEqual(sub!.findings.map((f) => f.rule), ['spf-missing']);
    assert.equal(sub!.status, 'warn', 'the status counts what is still reported here');
    assert.deepEqual(sub!.reportedElsewhere, [{ rule: 'dmarc-syntax', messageId: 'm', severity: 'error', shared: '_dmarc.example.com', reportedAt: 'example.com' }]);
    assert.deepEqual(other!.findings.map((f) => f.rule), ['dmarc-syntax'], 'another target is another finding');
  });

  test('without the owner in the run, the first name meeting it reports it; the owner after it still reports its own record', async () => {
    const [first, second, owner] = await run([
      result('a.example.com', [finding('dmarc-syntax', 'error', INHERITED)]),
      result('b.example.com', [finding('dmarc-syntax', 'error', INHERITED)]),
      result('example.com', [finding('dmarc-syntax', 'error', OWN)]),
    ]);
    assert.equal(first!.findings.length, 1);
    assert.equal(second!.findings.length, 0);
    assert.equal(second!.reportedElsewhere![0]!.reportedAt, 'a.example.com');
    assert.equal(owner!.findings.length, 1, 'a name\'s own record is always on its result');
  });

  test('a name checked alone, and findings about nothing shared, are left as they are', async () => {
    const alone = result('a.example.com', [finding('dmarc-syntax', 'error', INHERITED), finding('mx-missing', 'error')]);
    assert.equal((await run([alone]))[0], alone);
    const fold = sharedFolder();
    const plain = [result('x.example', [finding('mx-missing', 'error')]), result('y.example', [finding('mx-missing', 'error')])].map(fold);
    assert.deepEqual(plain.map((r) => r.findings.length), [1, 1]);
  });

  test(`at most ${MAX_SHARED_FINDINGS_REMEMBERED} remembered: the oldest is forgotten and reported again, never lost`, () => {
    const fold = sharedFolder();
    const subject = (i: number) => ({ name: `mx${i}.example.net`, own: false });
    fold(result('first.example', [finding('mx-single', 'info', subject(0))]));
    for (let i = 1; i <= MAX_SHARED_FINDINGS_REMEMBERED; i++) fold(result(`d${i}.example`, [finding('mx-single', 'info', subject(i))]));
    assert.equal(fold(result('again.example', [finding('mx-single', 'info', subject(0))])).findings.length, 1, 'forgotten: reported again');
    assert.equal(fold(result('later.example', [finding('mx-single', 'info', subject(MAX_SHARED_FINDINGS_REMEMBERED))])).findings.length, 0, 'remembered');
  });
});

const ZONE = `$ORIGIN example.com.
$TTL 3600
@ SOA ns1 hostmaster 1 7200 3600 1209600 300
  NS ns1
ns1 A 185.199.108.53
mx1 A 185.199.108.25
@ MX 10 mx1
@ TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=none; pct=50; rua=mailto:dmarc@example.com"
shop MX 10 mx1
shop TXT "v=spf1 mx -all"
sales MX 10 mx1
sales TXT "v=spf1 mx -all"
_dmarc.sales TXT "v=DMARC1; p=reject; foo=bar"
eu.sales MX 10 mx1
eu.sales TXT "v=spf1 mx -all"
`;

describe('zone mode reports a shared finding once', () => {
  test('the DMARC record at the apex and the one exchange: at the apex; the subdomains list them; a record of their own stays theirs', async () => {
    // The com zone answers the tree walk's last question (_dmarc.com), so the walks complete offline.
    const com = readZoneText('$ORIGIN com.\n$TTL 60\n@ SOA ns1 h 1 1 1 1 1\n NS ns1\nns1 A 185.199.108.54\n', { file: 'db.com' });
    const results = await checkZones([readZoneText(ZONE, { file: 'db.example.com' }), com], { offline: true });
    const byName = new Map(results.map((r) => [r.input, r]));
    const rules = (name: string) => byName.get(name)!.findings.map((f) => f.rule).filter((rule) => rule !== 'zone-external-not-checked');
    assert.deepEqual(rules('example.com'), ['dmarc-removed-tag', 'dmarc-policy-none', 'mx-no-ipv6', 'mx-single']);
    assert.deepEqual(rules('shop.example.com'), ['mx-no-ipv6'], 'mx-no-ipv6 is about the domain, not about something shared');
    assert.deepEqual(byName.get('shop.example.com')!.reportedElsewhere!.map((e) => `${e.rule} ${e.shared} ${e.reportedAt}`), [
      'dmarc-removed-tag _dmarc.example.com example.com', 'dmarc-policy-none _dmarc.example.com example.com', 'mx-single mx1.example.com example.com',
    ]);
    assert.deepEqual(rules('sales.example.com'), ['dmarc-no-aggregate-reports', 'dmarc-subdomain-policy-weaker', 'dmarc-unknown-tag', 'mx-no-ipv6'], 'its own record');
    // RFC 9989: without a record of its own, the Organizational Domain's record applies, not sales's.
    assert.deepEqual(rules('eu.sales.example.com'), ['mx-no-ipv6'], 'inherits the apex\'s record, reported there');
    assert.deepEqual(byName.get('eu.sales.example.com')!.reportedElsewhere!.filter((e) => e.rule.startsWith('dmarc')).map((e) => `${e.rule} ${e.reportedAt}`), [
      'dmarc-removed-tag example.com', 'dmarc-policy-none example.com',
    ]);
  });
});
