/**
 * --authoritative and --ns end to end through the built CLI, against a real hierarchy on loopback
 * (127.0.3.x:53, one NSD per address, Unbound recursing from the root): shop.test is delegated to
 * four names — ns1 serving the current zone, ns2 an older version of it, ns3 where nothing listens,
 * and lame.other.test, whose NSD serves only other.test — so inconsistency, a lame and an unreachable
 * server are all real. The undelegated case: the new provider's two NSDs, outside the hierarchy, one
 * with the zone loaded and one without, asked with --ns before anything is delegated to them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainResult } from '../../src/engine/result.js';
import { e2eGate, runCli } from '../support/e2e.js';
import { startHierarchy, type Hierarchy } from '../support/hierarchy.js';
import { startNsd, type NsdServer } from '../support/nsd.js';

const gates = [e2eGate('nsd'), e2eGate('unbound')];
const skip = gates.find((g) => g.skip !== false)?.skip ?? false;

const ADDRESS = {
  root: '127.0.3.1', tld: '127.0.3.2', ns1: '127.0.3.11', ns2: '127.0.3.12', lame: '127.0.3.13', down: '127.0.3.14',
  provider: '127.0.3.21', resolver: '127.0.3.53', new1: '127.0.3.31', new2: '127.0.3.32',
};

/** The NS set both versions publish; the parent delegates to the same four names. */
const NS_SET = `@ NS ns1
@ NS ns2
@ NS ns3
@ NS lame.other.test.
ns1 A ${ADDRESS.ns1}
ns2 A ${ADDRESS.ns2}
ns3 A ${ADDRESS.down}`;

const SHOP_CURRENT = `@ SOA ns1 hostmaster 2024060102 3600 600 86400 300
${NS_SET}
@ MX 10 mx1
@ MX 20 mx.provider.test.
@ TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@shop.test"
mx1 A 185.199.110.25
mx1 AAAA 2a01:4f8:c17:5::25`;

const SHOP_OLD = `@ SOA ns1 hostmaster 2024060101 3600 600 86400 300
${NS_SET}
@ MX 10 mx1
@ TXT "v=spf1 mx -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@shop.test"
mx1 A 185.199.110.99`;

const TLD = `shop NS ns1.shop
shop NS ns2.shop
shop NS ns3.shop
shop NS lame.other
ns1.shop A ${ADDRESS.ns1}
ns2.shop A ${ADDRESS.ns2}
ns3.shop A ${ADDRESS.down}`;

const CLI_TIMEOUTS = ['--timeout', '800', '--retries', '0'];

describe('mxlint --authoritative against a real hierarchy', { skip }, () => {
  let hierarchy: Hierarchy;
  let newProvider: NsdServer[] = [];
  let resolver: string;

  before(async () => {
    hierarchy = await startHierarchy({
      zones: [
        { name: '.', address: ADDRESS.root },
        { name: 'test.', address: ADDRESS.tld, text: TLD },
        { name: 'shop.test.', address: ADDRESS.ns1, text: SHOP_CURRENT, servers: [{ address: ADDRESS.ns2, text: SHOP_OLD }, { address: ADDRESS.down, down: true }] },
        { name: 'other.test.', address: ADDRESS.lame, text: `lame A ${ADDRESS.lame}` },
        { name: 'provider.test.', address: ADDRESS.provider, text: 'mx A 185.199.111.25\nmx AAAA 2a01:4f8:c17:6::25' },
      ],
      resolver: { address: ADDRESS.resolver },
    });
    resolver = hierarchy.resolver!.server;
    const current = `$ORIGIN shop.test.\n$TTL 300\n${SHOP_CURRENT}\n`;
    newProvider = await Promise.all([
      startNsd({ zones: { 'shop.test': current }, host: ADDRESS.new1, port: 53 }),
      // The second new server does not have the zone yet: it answers REFUSED for shop.test.
      startNsd({ zones: { 'placeholder.test': '$ORIGIN placeholder.test.\n$TTL 300\n@ SOA ns h 1 1 1 1 1\n@ NS ns\nns A 127.0.3.32\n' }, host: ADDRESS.new2, port: 53 }),
    ]);
  });
  after(async () => {
    await Promise.all(newProvider.map((nsd) => nsd.stop()));
    await hierarchy?.stop();
  });

  it('finds the NS set through the resolver and reports what each server answers', async () => {
    const run = await runCli(['shop.test', '--authoritative', '--server', resolver, '--format', 'json', ...CLI_TIMEOUTS]);
    assert.equal(run.code, 2, `${run.stderr}\n${run.stdout}`);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    const section = result!.authoritative!;
    assert.equal(section.zone, 'shop.test');
    assert.equal(section.source, 'delegation');
    assert.deepEqual(section.servers.map((s) => [s.name, s.address, s.status, s.serial]), [
      ['lame.other.test', `${ADDRESS.lame}:53`, 'lame', undefined],
      ['ns1.shop.test', `${ADDRESS.ns1}:53`, 'authoritative', 2024060102],
      ['ns2.shop.test', `${ADDRESS.ns2}:53`, 'authoritative', 2024060101],
      ['ns3.shop.test', `${ADDRESS.down}:53`, 'unreachable', undefined],
    ]);
    assert.deepEqual(section.servers[1]!.mx, [{ preference: 10, exchange: 'mx1.shop.test' }, { preference: 20, exchange: 'mx.provider.test' }]);
    assert.deepEqual(section.servers[2]!.mx, [{ preference: 10, exchange: 'mx1.shop.test' }]);
  });

  it('inconsistency, lame and unreachable as findings, each naming its servers', async () => {
    const run = await runCli(['shop.test', '--authoritative', '--server', resolver, '--format', 'json', ...CLI_TIMEOUTS]);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    const keys = result!.findings.map((f) => `${f.severity} ${f.rule} ${f.target ?? ''}`.trim());
    assert.deepEqual(keys.filter((k) => / ns-/.test(k)), [
      'error ns-lame lame.other.test',
      'unknown ns-unreachable ns3.shop.test',
      'warning ns-mx-inconsistent',
      'warning ns-mx-inconsistent mx1.shop.test',
    ]);
    const mx = result!.findings.find((f) => f.rule === 'ns-mx-inconsistent' && f.target === undefined)!;
    assert.match(mx.message, /ns1\.shop\.test \(127\.0\.3\.11:53, serial 2024060102\) says MX 10 mx1\.shop\.test, MX 20 mx\.provider\.test; ns2\.shop\.test \(127\.0\.3\.12:53, serial 2024060101\) says MX 10 mx1\.shop\.test/);
    assert.match(result!.findings.find((f) => f.rule === 'ns-lame')!.message, /answers REFUSED for the zone shop\.test/);
    assert.ok(result!.findings.some((f) => f.rule === 'mx-single' && /In what ns2\.shop\.test/.test(f.message)), 'the old version\'s own findings are marked as such');
  });

  it('--ns NAME alone: the resolver finds the address; two servers of different versions disagree', async () => {
    const run = await runCli(['shop.test', '--ns', 'ns1.shop.test', '--ns', 'ns2.shop.test', '--server', resolver, '--format', 'json', ...CLI_TIMEOUTS]);
    assert.equal(run.code, 1, run.stderr);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(result!.authoritative!.servers.map((s) => [s.name, s.address, s.serial]), [
      ['ns1.shop.test', `${ADDRESS.ns1}:53`, 2024060102],
      ['ns2.shop.test', `${ADDRESS.ns2}:53`, 2024060101],
    ]);
    const addresses = result!.findings.find((f) => f.rule === 'ns-mx-inconsistent' && f.target === 'mx1.shop.test')!;
    assert.match(addresses.message, /says A 185\.199\.110\.25, AAAA 2a01:4f8:c17:5::25; ns2\.shop\.test \(127\.0\.3\.12:53, serial 2024060101\) says A 185\.199\.110\.99, no AAAA \(nodata\)/);
  });

  it('the text report lists the servers with their marks', async () => {
    const run = await runCli(['shop.test', '--authoritative', '--server', resolver, ...CLI_TIMEOUTS]);
    assert.match(run.stdout, /^ {2}name servers of shop\.test \(NS set\):$/m);
    assert.match(run.stdout, /^ {4}✗ lame\.other\.test 127\.0\.3\.13:53 {2}lame: answers REFUSED for the zone shop\.test$/m);
    assert.match(run.stdout, /^ {4}✓ ns2\.shop\.test 127\.0\.3\.12:53 {2}authoritative, serial 2024060101$/m);
    assert.match(run.stdout, /^ {4}\? ns3\.shop\.test 127\.0\.3\.14:53 {2}unreachable: gives no usable answer/m);
  });

  it('undelegated (--ns): the new provider\'s servers before the switch; the one without the zone is lame', async () => {
    const run = await runCli(['shop.test', '--ns', `ns1.newprovider.test/${ADDRESS.new1}`, '--ns', `ns2.newprovider.test/${ADDRESS.new2}`,
      '--server', resolver, '--format', 'json', ...CLI_TIMEOUTS]);
    assert.equal(run.code, 2, run.stderr);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(result!.authoritative!.servers.map((s) => [s.name, s.status, s.serial]), [
      ['ns1.newprovider.test', 'authoritative', 2024060102],
      ['ns2.newprovider.test', 'lame', undefined],
    ]);
    assert.deepEqual(result!.findings.map((f) => f.rule), ['ns-lame'], 'the loaded zone itself is clean: two exchanges, both with A and AAAA');
    assert.match(result!.findings[0]!.message, /before delegating to it/);
  });

  it('undelegated, the new servers alone: a clean pass, and the exchange outside the zone comes from the resolver', async () => {
    const run = await runCli(['shop.test', '--ns', `ns1.newprovider.test/${ADDRESS.new1}`, '--server', resolver, '--format', 'json', ...CLI_TIMEOUTS]);
    assert.equal(run.code, 0, run.stderr);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    assert.equal(result!.status, 'pass');
    assert.deepEqual(result!.mx.map((m) => 'addresses' in m ? [m.exchange, m.addresses.map((a) => a.address)] : []), [
      ['mx1.shop.test', ['185.199.110.25', '2a01:4f8:c17:5::25']],
      ['mx.provider.test', ['185.199.111.25', '2a01:4f8:c17:6::25']],
    ]);
  });
});
