/**
 * Profiles and the judge, on zone data (offline: nothing is sent): what each profile asks of a
 * name, zone mode's own choice of profile, rule levels per run, per suffix and per name, ignores.
 */
import { MAX_NAMES_IN_MESSAGE } from '../../src/families/common/names.js';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addressOfReverseName, reverseName } from '../../src/dns/reverse.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { checkZones } from '../../src/modes/zone/runner.js';
import type { ZoneCheckOptions } from '../../src/modes/zone/runner.js';
import type { DomainResult } from '../../src/engine/result.js';
import { comZone } from '../support/zone-com.js';

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\nns1 A 185.199.108.53\n';


async function check(body: string, options: ZoneCheckOptions = {}, head = HEAD): Promise<DomainResult[]> {
  const results = await checkZones([readZoneText(`${head}${body}`, { file: 'db.zone' }), comZone()], { offline: true, ...options });
  return results.filter((result) => result.zone?.file === 'db.zone');
}

const byName = (results: DomainResult[], name: string): DomainResult => results.find((r) => r.domain === name)!;
const rulesOf = (result: DomainResult): string[] => result.findings.map((f) => f.rule);

describe('reverse names', () => {
  test('stand for an address when they name a whole one, else for a block', () => {
    assert.deepEqual(addressOfReverseName('25.108.199.185.in-addr.arpa'), { address: '185.199.108.25', family: 4 });
    assert.deepEqual(addressOfReverseName(reverseName('2a01:4f8:c17:1::25')), { address: '2a01:4f8:c17:1::25', family: 6 });
    for (const block of ['185.in-addr.arpa', '0-63.2.0.192.in-addr.arpa', '025.2.0.192.in-addr.arpa', '256.2.0.192.in-addr.arpa', '7.1.c.0.ip6.arpa', 'example.com']) {
      assert.equal(addressOfReverseName(block), null, block);
    }
  });

  test('a reverse zone is judged reverse, name by name: PTR owners checked forward, no mail-domain rule', async () => {
    const head = '$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 3600\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\n';
    const fwd = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nmx1 A 192.0.2.25\nmx2 A 192.0.2.99\n';
    const results = await checkZones([
      readZoneText(`${head}25 PTR mx1.example.com.\n26 PTR mx2.example.com.\n27 PTR gone.example.com.\n`, { file: 'rev.zone' }),
      readZoneText(fwd, { file: 'fwd.zone' }),
    ], { offline: true });
    const reverse = results.filter((r) => r.zone?.file === 'rev.zone');
    assert.deepEqual(reverse.map((r) => [r.domain, r.profile]), [
      ['2.0.192.in-addr.arpa', 'reverse'], ['25.2.0.192.in-addr.arpa', 'reverse'], ['26.2.0.192.in-addr.arpa', 'reverse'], ['27.2.0.192.in-addr.arpa', 'reverse'],
    ]);
    assert.deepEqual(reverse.map(rulesOf), [[], [], ['reverse-ptr-mismatch'], ['reverse-ptr-mismatch']]);
    assert.deepEqual(byName(reverse, '25.2.0.192.in-addr.arpa').ptr, {
      hosts: 'reverse',
      addresses: [{ host: '25.2.0.192.in-addr.arpa', address: '192.0.2.25', family: 4, names: ['mx1.example.com'], forwardConfirmed: true }],
    });
    assert.equal(byName(reverse, '26.2.0.192.in-addr.arpa').findings[0]!.severity, 'warning');
    // The forward zone's apex has no mail records: not a mail domain, one note.
    assert.deepEqual(rulesOf(byName(results, 'example.com')), ['zone-apex-no-mail']);
  });
});

describe('zone mode judges only the names with mail records as mail domains', () => {
  test('an apex without MX or SPF beside a mail subdomain: one calm note naming it, no profile', async () => {
    const results = await check('shop MX 10 mx.shop\nmx.shop A 185.199.108.25\n');
    const apex = byName(results, 'example.com');
    assert.equal(apex.profile, undefined);
    assert.equal(apex.status, 'pass');
    assert.deepEqual(apex.findings.map((f) => [f.rule, f.severity, f.messageId]), [['zone-apex-no-mail', 'info', 'otherOwners']]);
    assert.match(apex.findings[0]!.message, /mail domains are shop\.example\.com/);
    assert.equal(byName(results, 'shop.example.com').profile, 'receiving');
  });

  test(`a zone of many mail domains: the note names ${MAX_NAMES_IN_MESSAGE} and counts the rest`, async () => {
    const owners = Array.from({ length: 30 }, (_, i) => `s${i} MX 10 mx.shop\n`).join('');
    const apex = byName(await check(`${owners}mx.shop A 185.199.108.25\n`), 'example.com');
    assert.match(apex.findings[0]!.message, new RegExp(`mail domains are s0\\.example\\.com, (s\\d+\\.example\\.com, ){${MAX_NAMES_IN_MESSAGE - 2}}s\\d+\\.example\\.com and ${30 - MAX_NAMES_IN_MESSAGE} more\\.$`));
  });

  test('an empty zone: no mx-missing, the note alone', async () => {
    assert.deepEqual((await check('')).map(rulesOf), [['zone-apex-no-mail']]);
  });

  test('--profile receiving checks the apex as a mail domain anyway', async () => {
    const [apex] = await check('', { profile: 'receiving' });
    assert.equal(apex!.profile, 'receiving');
    assert.ok(rulesOf(apex!).includes('mx-missing'));
  });

  test('an apex with SPF and no MX is sending-only: SPF and DMARC matter, its MX does not', async () => {
    const [apex] = await check('@ TXT "v=spf1 ip4:185.199.108.0/24 -all"\n');
    assert.equal(apex!.profile, 'sending-only');
    assert.deepEqual(apex!.findings.map((f) => [f.rule, f.severity]), [['dmarc-missing', 'error'], ['sending-only-unroutable', 'warning']]);
  });

  test('a null MX alone is parked: what is missing is an error that prints the record to publish', async () => {
    const [apex] = await check('@ MX 0 .\n');
    assert.equal(apex!.profile, 'parked');
    assert.deepEqual(apex!.findings.map((f) => [f.rule, f.severity, f.fix]), [
      ['parked-dkim', 'error', 'publish "*._domainkey.example.com. TXT \\"v=DKIM1; p=\\""'],
      ['parked-dmarc', 'error', 'publish "_dmarc.example.com. TXT \\"v=DMARC1; p=reject;\\""'],
      ['parked-spf', 'error', 'publish "example.com. TXT \\"v=spf1 -all\\""'],
    ]);
  });

  test('parked and complete: passes with nothing to say', async () => {
    const [apex] = await check('@ MX 0 .\n@ TXT "v=spf1 -all"\n_dmarc TXT "v=DMARC1; p=reject;"\n*._domainkey TXT "v=DKIM1; p="\n');
    assert.equal(apex!.status, 'pass');
    assert.deepEqual(rulesOf(apex!), []);
  });

  test('parked with a real key at the wildcard selector: the record to publish instead', async () => {
    const [apex] = await check('@ MX 0 .\n@ TXT "v=spf1 -all"\n_dmarc TXT "v=DMARC1; p=reject;"\n*._domainkey TXT "v=DKIM1; p=MIGfMA0"\n');
    assert.deepEqual(apex!.findings.map((f) => [f.rule, f.messageId]), [['parked-dkim', 'notEmpty']]);
  });
});

describe('profiles and takeover risks', () => {
  test('a sending-only or parked domain is still checked for names anyone may register', async () => {
    const registry = readZoneText('$ORIGIN test.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 185.199.111.53\n', { file: 'test.zone' });
    const zone = readZoneText(`${HEAD}@ TXT "v=spf1 include:_spf.gone-spf.test -all"
parked MX 0 .
parked TXT "v=spf1 -all"
_dmarc.parked TXT "v=DMARC1; p=reject; rua=mailto:d@gone-reports.test"
*._domainkey.parked TXT "v=DKIM1; p="
`, { file: 'db.zone' });
    const results = (await checkZones([zone, registry, comZone()], { offline: true })).filter((r) => r.zone?.file === 'db.zone');
    const takeover = (name: string): string[][] => byName(results, name).findings.filter((f) => f.rule.startsWith('takeover-')).map((f) => [f.rule, f.target!]);
    assert.equal(byName(results, 'example.com').profile, 'sending-only');
    assert.deepEqual(takeover('example.com'), [['takeover-unregistered-domain', 'gone-spf.test']]);
    assert.equal(byName(results, 'parked.example.com').profile, 'parked');
    assert.deepEqual(takeover('parked.example.com'), [['takeover-unregistered-domain', 'gone-reports.test']]);
  });
});

describe('settings: profile and levels per domain, ignores', () => {
  const body = '@ MX 10 mx\nmx A 185.199.108.25\nshop MX 10 mx\n';

  test('a per-domain profile: parked where exchanges are published is an error naming them', async () => {
    const results = await check(body, { domains: { 'shop.example.com': { profile: 'parked' } } });
    const shop = byName(results, 'shop.example.com');
    assert.equal(shop.profile, 'parked');
    assert.deepEqual(shop.findings.filter((f) => f.rule === 'parked-mx').map((f) => f.message),
      ['shop.example.com is parked but its MX records name exchanges (mx.example.com): mail to it is delivered there.']);
    assert.equal(byName(results, 'example.com').profile, 'receiving');
  });

  test('levels: the most specific setting wins (name over suffix over run), off drops the finding', async () => {
    const results = await check(body, {
      rules: { 'mx-single': 'off', 'spf-missing': 'info' },
      domains: { '*.example.com': { rules: { 'spf-missing': 'error' } }, 'shop.example.com': { rules: { 'mx-single': 'warning' } } },
    });
    const apex = byName(results, 'example.com');
    const shop = byName(results, 'shop.example.com');
    assert.ok(!rulesOf(apex).includes('mx-single'));
    assert.equal(apex.findings.find((f) => f.rule === 'spf-missing')!.severity, 'info');
    assert.equal(shop.findings.find((f) => f.rule === 'spf-missing')!.severity, 'error');
    assert.equal(shop.findings.find((f) => f.rule === 'mx-single')!.severity, 'warning');
    assert.equal(shop.status, 'fail');
  });

  test('an ignored finding is reported as suppressed and does not count', async () => {
    const results = await check(body, { ignore: ['spf-missing', { rule: 'dmarc-missing', reason: 'reports go elsewhere' }, 'mx-single@nowhere.example'] });
    const apex = byName(results, 'example.com');
    assert.deepEqual(apex.findings.filter((f) => f.suppressed).map((f) => [f.rule, f.suppressed]), [
      ['dmarc-missing', { by: 'ignore', entry: 'dmarc-missing', reason: 'reports go elsewhere' }],
      ['spf-missing', { by: 'ignore', entry: 'spf-missing' }],
    ]);
    assert.equal(apex.findings.find((f) => f.rule === 'mx-single')!.suppressed, undefined);
    assert.equal(apex.status, 'pass');
  });

  test('settings naming an unknown rule, level or profile are refused with the option named', async () => {
    await assert.rejects(check('', { rules: { 'mx-singel': 'off' } }), /rules: "mx-singel" is not one of the rule ids/);
    await assert.rejects(check('', { rules: { 'mx-single': 'loud' as 'off' } }), /the level of mx-single must be one of off, info, warning, error/);
    await assert.rejects(check('', { rules: { 'dns-lookup-failed': 'error' } }), /only says what could not be checked/);
    await assert.rejects(check('', { profile: 'mailbox' as 'parked' }), /profile must be one of receiving, sending-only, parked, reverse/);
    await assert.rejects(check('', { domains: { 'shop.example.com': { level: 'x' } as never } }), /domains\["shop.example.com"\]: unknown key "level"/);
  });
});
