/**
 * The takeover family: which names a mail setup depends on (read from zones answered in memory),
 * whether their registrable domains exist (the resolver's answer put to the parent zone's servers),
 * and what the rules, the section and the text lines make of it; the registrable domains a bulk run
 * shares are asked once, against the in-process DNS server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lookup, LookupSource, LookupSourceOptions } from '../../src/dns/lookup.js';
import type { DnsRecord } from '../../src/dns/records.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import type { CheckContext } from '../../src/facts/context.js';
import { SmtpProber } from '../../src/facts/smtp-prober.js';
import { collectMailFacts } from '../../src/facts/mail.js';
import { organizationalDomain } from '../../src/facts/organizational-domain.js';
import { MAX_PARENT_SERVERS_ASKED, registrationOf } from '../../src/facts/registration.js';
import type { ConnectPolicy } from '../../src/net/route.js';
import type { CheckOptions } from '../../src/core/options.js';
import { collectTakeoverFacts, MAX_REGISTRABLE_DOMAINS } from '../../src/families/takeover/collect.js';
import type { TakeoverFacts } from '../../src/families/takeover/collect.js';
import { MAX_PATHS_SHOWN, takeoverRules } from '../../src/families/takeover/rules.js';
import { takeoverSection } from '../../src/families/takeover/section.js';
import { takeoverLines } from '../../src/families/takeover/text.js';
import { checkDomains } from '../../src/modes/domains.js';
import { lookupFailure } from '../support/facts.js';
import { runRules } from '../support/rules.js';
import { cachedSource, zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';
import type { ZoneSource } from '../support/zone-source.js';

/** The registry of .test: delegates nothing, so every name under it not served below answers NXDOMAIN. */
const TEST_TLD = zoneApex('test');

/** A domain whose every kind of dependency lies under a lapsed domain, and one that is only broken. */
const VICTIM = `${zoneApex('victim.test')}
@          NS    ns.gone-dns.test.
@          MX    10 mx
@          MX    20 mx.gone-mail.test.
mx         CNAME mx.vendor.test.
@          TXT   "v=spf1 include:_spf.vendor.test -all"
_dmarc     TXT   "v=DMARC1; p=reject; rua=mailto:d@reports.gone-reports.test,mailto:d@vendor.test!10m"
_mta-sts   TXT   "v=STSv1; id=1"
mta-sts    CNAME sts.gone-sts.test.
_smtp._tls CNAME _smtp._tls.gone-tlsrpt.test.
`;

const VENDOR = `${zoneApex('vendor.test')}
_spf       TXT   "v=spf1 include:_spf.gone-spf.test ~all"
mx2        A     185.199.108.25
`;

function context(source: LookupSource, mail: CheckContext['mail'], options: CheckOptions = {}): CheckContext {
  return { domain: mail.domain, lookups: source, mail, options, checks: new Set(['takeover']), signal: new AbortController().signal, prober: new SmtpProber() };
}

async function takeoverFacts(source: LookupSource, domain: string, options: CheckOptions = {}): Promise<TakeoverFacts> {
  return collectTakeoverFacts(context(source, await collectMailFacts(source, domain), options));
}

describe('takeover: the names a mail setup depends on', () => {
  const records = zoneRecords(TEST_TLD, VICTIM, VENDOR);

  test('every kind of dependency under a lapsed domain is an error naming the records that lead to it', async () => {
    const facts = await takeoverFacts(zoneSource(records), 'victim.test');
    assert.deepEqual(facts.domains.map((d) => [d.domain, d.registration.state]), [
      ['vendor.test', 'registered'], ['gone-mail.test', 'unregistered'], ['gone-dns.test', 'unregistered'], ['gone-spf.test', 'unregistered'],
      ['gone-reports.test', 'unregistered'], ['gone-tlsrpt.test', 'unregistered'], ['gone-sts.test', 'unregistered'],
    ]);
    const findings = runRules(takeoverRules, facts);
    const byTarget = new Map(findings.map((f) => [f.target, f]));
    assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.target]).sort(), [
      ['takeover-dangling-alias', 'warning', 'mx.vendor.test'],
      ...['gone-dns.test', 'gone-mail.test', 'gone-reports.test', 'gone-spf.test', 'gone-sts.test', 'gone-tlsrpt.test']
        .map((target) => ['takeover-unregistered-domain', 'error', target]),
    ]);
    const why = 'NXDOMAIN from the resolver; the servers of the parent zone test gave no answer to go by: '
      + 'ns.test (192.0.2.53) is not asked: the address is not globally routable (reserved or documentation)';
    assert.equal(byTarget.get('gone-mail.test')!.message, `gone-mail.test does not exist (${why}), yet victim.test depends on it: `
      + 'victim.test MX 20 mx.gone-mail.test. Anyone may be able to register gone-mail.test and then receive mail for victim.test.');
    assert.equal(byTarget.get('gone-mail.test')!.fix, 'remove or replace the records that name gone-mail.test, or register it yourself');
    assert.match(byTarget.get('gone-spf.test')!.message,
      /depends on it: victim\.test SPF include:_spf\.vendor\.test → _spf\.vendor\.test SPF include:_spf\.gone-spf\.test\. .* then send mail that passes victim\.test's SPF check\.$/);
    assert.match(byTarget.get('gone-dns.test')!.message, /depends on it: victim\.test NS ns\.gone-dns\.test\. .* answer for victim\.test's zone, every record of it\.$/);
    assert.match(byTarget.get('gone-reports.test')!.message,
      /depends on it: _dmarc\.victim\.test DMARC rua=mailto:d@reports\.gone-reports\.test\. .* read victim\.test's DMARC reports\.$/);
    assert.match(byTarget.get('gone-tlsrpt.test')!.message, /depends on it: _smtp\._tls\.victim\.test CNAME _smtp\._tls\.gone-tlsrpt\.test\. .* read victim\.test's TLS reports\.$/);
    assert.match(byTarget.get('gone-sts.test')!.message,
      /depends on it: _mta-sts\.victim\.test MTA-STS policy host mta-sts\.victim\.test → mta-sts\.victim\.test CNAME sts\.gone-sts\.test\. .* serve victim\.test's MTA-STS policy\.$/);
    assert.equal(byTarget.get('mx.vendor.test')!.message, "mx.victim.test is an alias of mx.vendor.test, which does not exist, under vendor.test, another organization's domain: "
      + 'victim.test MX 10 mx.victim.test → mx.victim.test CNAME mx.vendor.test. Whoever can create mx.vendor.test there (hosting and cloud services often let any customer claim a name) '
      + 'could then receive mail for victim.test.');
  });

  test('the parent zone\'s servers are asked when their addresses may be (--allow-private, --connect-to), and their NXDOMAIN is named', async () => {
    const source = zoneSource(records);
    const facts = await takeoverFacts(source, 'victim.test', { allowPrivate: true });
    const gone = facts.domains.find((d) => d.domain === 'gone-mail.test')!;
    assert.deepEqual(gone.registration, { state: 'unregistered', confirmation: { by: 'parent', zone: 'test', server: 'ns.test (192.0.2.53)' } });
    assert.match(runRules(takeoverRules, facts).find((f) => f.target === 'gone-mail.test')!.message,
      /^gone-mail\.test does not exist \(NXDOMAIN from ns\.test \(192\.0\.2\.53\), a server of the parent zone test\), yet/);
  });

  test('a name merely missing under a registered domain, or under the domain\'s own, is no takeover', async () => {
    const source = zoneSource(zoneRecords(TEST_TLD, VENDOR, `${zoneApex('own.test')}
@          MX    10 mx.missing
@          MX    20 mx2.vendor.test.
@          MX    30 nothing.vendor.test.
@          TXT   "v=spf1 a:gone.own.test include:_spf.missing.vendor.test -all"
`));
    const facts = await takeoverFacts(source, 'own.test');
    assert.deepEqual(facts.domains.map((d) => [d.domain, d.registration.state]), [['vendor.test', 'registered']]);
    assert.deepEqual(facts.dangling, []);
    assert.deepEqual(runRules(takeoverRules, facts), []);
  });

  test('an alias within its own organization that leads nowhere is a broken alias, not a dangling one', async () => {
    const source = zoneSource(zoneRecords(TEST_TLD, `${zoneApex('self.test')}
@          MX    10 mx
mx         CNAME gone.self.test.
`));
    const facts = await takeoverFacts(source, 'self.test');
    assert.deepEqual(facts.dangling, []);
    assert.deepEqual(runRules(takeoverRules, facts), []);
  });

  test('the DKIM selectors asked about (given, or the common ones with discovery) are followed through their aliases', async () => {
    const source = zoneSource(zoneRecords(TEST_TLD, VENDOR, `${zoneApex('signs.test')}
@                    MX    10 mx2.vendor.test.
s1._domainkey        CNAME s1.dkim.gone-esp.test.
selector1._domainkey CNAME selector1-signs._domainkey.vendor.test.
`));
    const given = await takeoverFacts(source, 'signs.test', { dkimSelectors: ['S1'] });
    assert.deepEqual(given.domains.map((d) => [d.domain, d.registration.state]), [['vendor.test', 'registered'], ['gone-esp.test', 'unregistered']]);
    assert.match(runRules(takeoverRules, given).find((f) => f.target === 'gone-esp.test')!.message,
      /depends on it: s1\._domainkey\.signs\.test CNAME s1\.dkim\.gone-esp\.test\. Anyone may be able to register gone-esp\.test and then publish the DKIM key verifiers use for signs\.test's signatures, and sign mail as signs\.test\.$/);
    assert.deepEqual(given.dangling, [], 'selector1 is not asked: neither given nor discovered');

    const discovered = await takeoverFacts(source, 'signs.test', { dkimDiscover: true });
    assert.deepEqual(discovered.dangling.map((a) => [a.alias, a.target, a.role]), [
      ['selector1._domainkey.signs.test', 'selector1-signs._domainkey.vendor.test', 'dkim-key'],
    ]);
    assert.ok(discovered.domains.some((d) => d.domain === 'gone-esp.test' && d.registration.state === 'unregistered'));
  });

  test('without _domainkey, discovery asks no selector (nothing exists below a name that does not)', async () => {
    const source = zoneSource(zoneRecords(TEST_TLD, `${zoneApex('nokeys.test')}
@ MX 10 mx
mx A 185.199.108.25
`));
    await takeoverFacts(source, 'nokeys.test', { dkimDiscover: true });
    assert.ok(source.asked.includes('_domainkey.nokeys.test TXT'));
    assert.deepEqual(source.asked.filter((q) => /^[^_].*\._domainkey\./.test(q)), []);
  });

  test('exchanges in the order senders try them, whatever order the answer lists them in', async () => {
    const source = zoneSource(zoneRecords(TEST_TLD, `${zoneApex('order.test')}
@ MX 30 mx.c-gone.test.
@ MX 10 mx.b-gone.test.
@ MX 20 mx.a-gone.test.
@ MX 40 mx.b-gone.test.
`));
    const facts = await takeoverFacts(source, 'order.test');
    assert.deepEqual(facts.domains.map((d) => [d.domain, d.dependents.map((x) => x.path[0]!.record)]), [
      ['b-gone.test', ['MX 10 mx.b-gone.test']], ['a-gone.test', ['MX 20 mx.a-gone.test']], ['c-gone.test', ['MX 30 mx.c-gone.test']],
    ]);
  });

  test('a domain that does not exist depends on nothing: nothing is asked', async () => {
    const source = zoneSource(records);
    const mail = await collectMailFacts(source, 'typo.victim.test');
    const asked = source.asked.length;
    const facts = await collectTakeoverFacts(context(source, mail));
    assert.equal(facts.checked, false);
    assert.equal(source.asked.length, asked);
    assert.deepEqual(takeoverSection(facts), { state: 'skipped' });
    assert.deepEqual(takeoverLines(takeoverSection(facts)), []);
  });

  test('a record that cannot be read is unknown, once for the check, unless the family that reads it runs and says so', async () => {
    const source = zoneSource(records, { '_dmarc.victim.test TXT': 'servfail', 'victim.test NS': 'timeout' });
    const mail = await collectMailFacts(source, 'victim.test');
    const facts = await collectTakeoverFacts(context(source, mail));
    const failed = runRules(takeoverRules, facts).filter((f) => f.rule === 'takeover-lookup-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.severity, 'unknown');
    assert.equal(failed[0]!.message, 'NS victim.test: no reply from 192.0.2.53:53 after 3 tries; TXT _dmarc.victim.test: SERVFAIL from 192.0.2.53:53. '
      + 'Whether anyone could take over what depends on it is not known.');
    const section = takeoverSection(facts);
    assert.ok(section.state === 'checked');
    assert.deepEqual(section.unread, ['NS victim.test', 'TXT _dmarc.victim.test']);

    // With the dmarc family in the check, dmarc-lookup-failed says it of _dmarc: only the NS lookup is takeover's to report.
    const withDmarc = await collectTakeoverFacts({ ...context(source, mail), checks: new Set(['takeover', 'dmarc']) });
    assert.deepEqual(runRules(takeoverRules, withDmarc).filter((f) => f.rule === 'takeover-lookup-failed').map((f) => f.message),
      ['NS victim.test: no reply from 192.0.2.53:53 after 3 tries. Whether anyone could take over what depends on it is not known.']);

    const offline = { ...facts, unreported: [lookupFailure('_spf.elsewhere.example', 'TXT', 'not-asked')] };
    assert.deepEqual(runRules(takeoverRules, offline).filter((f) => f.rule === 'takeover-lookup-failed'), []);
  });

  test('past MAX_REGISTRABLE_DOMAINS the rest are listed as not checked, not looked up', async () => {
    const terms = Array.from({ length: MAX_REGISTRABLE_DOMAINS + 2 }, (_, i) => `"a:x.d${i}.test "`).join(' ');
    const source = zoneSource(zoneRecords(TEST_TLD, `${zoneApex('many.test')}\n@ MX 0 .\n@ TXT "v=spf1 " ${terms} "-all"\n`));
    const facts = await takeoverFacts(source, 'many.test');
    assert.equal(facts.domains.length, MAX_REGISTRABLE_DOMAINS);
    assert.deepEqual(facts.notChecked, [`d${MAX_REGISTRABLE_DOMAINS}.test`, `d${MAX_REGISTRABLE_DOMAINS + 1}.test`]);
    assert.ok(!source.asked.includes(`d${MAX_REGISTRABLE_DOMAINS}.test NS`));
  });

  test('the section and the text lines say what was found', async () => {
    const section = takeoverSection(await takeoverFacts(zoneSource(records), 'victim.test', { allowPrivate: true }));
    assert.ok(section.state === 'checked');
    assert.deepEqual(section.domains[1], {
      domain: 'gone-mail.test', state: 'unregistered', confirmedBy: 'ns.test (192.0.2.53)',
      dependents: [{ name: 'mx.gone-mail.test', role: 'mail', path: 'victim.test MX 20 mx.gone-mail.test' }],
    });
    assert.deepEqual(section.danglingAliases, [{ alias: 'mx.victim.test', target: 'mx.vendor.test', role: 'mail', path: 'victim.test MX 10 mx.victim.test → mx.victim.test CNAME mx.vendor.test' }]);
    const lines = takeoverLines(section);
    assert.deepEqual(lines.slice(0, 2), [
      { label: 'TAKEOVER', text: '✓ registered: vendor.test' },
      { label: 'TAKEOVER', text: '✗ gone-mail.test does not exist: mx.gone-mail.test', note: 'NXDOMAIN from ns.test (192.0.2.53)' },
    ]);
    assert.deepEqual(lines.at(-1), { label: 'TAKEOVER', text: '✗ mx.victim.test → mx.vendor.test, which does not exist' });
    assert.deepEqual(takeoverLines({ state: 'checked', domains: [] }), [{ label: 'TAKEOVER', text: 'depends on no other domain' }]);
  });

  test('offline (zone mode), a domain outside the zone files is not looked up, and says so', async () => {
    const source = zoneSource(records, { 'gone-mail.test NS': 'not-asked' });
    const section = takeoverSection(await takeoverFacts(source, 'victim.test'));
    assert.ok(section.state === 'checked');
    assert.equal(section.domains.find((d) => d.domain === 'gone-mail.test')?.state, 'not-asked');
    assert.ok(takeoverLines(section).some((l) => l.text === '? gone-mail.test: not looked up (--offline)'));
  });

  test('a domain reached many ways names the first few and counts the rest', async () => {
    const terms = Array.from({ length: MAX_PATHS_SHOWN + 2 }, (_, i) => `a:h${i}.gone.test`).join(' ');
    const source = zoneSource(zoneRecords(TEST_TLD, `${zoneApex('ways.test')}\n@ MX 0 .\n@ TXT "v=spf1 ${terms} -all"\n`));
    const [finding] = runRules(takeoverRules, await takeoverFacts(source, 'ways.test'));
    assert.match(finding!.message, /ways\.test SPF a:h2\.gone\.test; and 2 more\. Anyone/);
  });
});

describe('takeover: the registrable domain is the public suffix plus one label (tldts)', () => {
  test('a top-level domain the list does not know, such as .test, is a public suffix by the list\'s default rule', () => {
    assert.equal(organizationalDomain('mx.mailhost-gone.test'), 'mailhost-gone.test');
    assert.equal(organizationalDomain('mailhost-gone.test'), 'mailhost-gone.test');
    assert.equal(organizationalDomain('test'), null);
  });

  test('suffixes of the list\'s private section count: a name there is claimed from its provider', () => {
    assert.equal(organizationalDomain('x.y.github.io'), 'y.github.io');
    assert.equal(organizationalDomain('mail.example.co.uk'), 'example.co.uk');
  });
});

/** A reply of a parent zone's server, with or without authority. */
function reply(name: string, rcode: 'NOERROR' | 'NXDOMAIN', options: { aa?: boolean; authorities?: DnsRecord[] } = {}): Lookup {
  return {
    ok: true, question: { name, type: 'NS' }, rcode, answers: [], authorities: options.authorities ?? [], additionals: [],
    flags: { aa: options.aa ?? true, tc: false, rd: false, ra: false, ad: false, cd: false }, extendedErrors: [],
    server: '185.199.111.53:53', transport: 'udp', durationMs: 1,
  };
}

interface Views extends LookupSource {
  /** The questions put to a server directly: "name TYPE @host:port rd=…". */
  direct: string[];
}

/** The resolver's view (zones in memory, cached as a run caches), and what the parent's servers answer when asked directly. */
function views(resolver: ZoneSource, parent: (name: string) => Lookup): Views {
  const direct: string[] = [];
  return {
    direct,
    lookup(name: string, type: string, options: LookupSourceOptions = {}) {
      if (options.servers === undefined) return resolver.lookup(name, type);
      const [server] = options.servers;
      direct.push(`${name} ${type} @${server!.host}:${server!.port} rd=${String(options.flags?.recursionDesired)}`);
      return Promise.resolve(parent(name));
    },
  };
}

const PUBLIC_TLD = `$ORIGIN test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\n@ NS ns2\nns1 A 185.199.111.53\nns2 A 185.199.111.54\n`;
const POLICY: ConnectPolicy = { connectTo: [], allowPrivate: false };

describe('takeover: whether a registrable domain exists', () => {
  test('NOERROR from the resolver: registered, nobody else asked', async () => {
    const source = views(zoneSource(zoneRecords(PUBLIC_TLD, zoneApex('vendor.test'))), () => assert.fail('the parent is not asked'));
    assert.deepEqual(await registrationOf(source, 'vendor.test', POLICY), { state: 'registered' });
    assert.deepEqual(source.direct, []);
  });

  test('NXDOMAIN from the resolver is put to a server of the parent zone, without recursion', async () => {
    const source = views(zoneSource(zoneRecords(PUBLIC_TLD)), (name) => reply(name, 'NXDOMAIN'));
    assert.deepEqual(await registrationOf(source, 'gone.test', POLICY),
      { state: 'unregistered', confirmation: { by: 'parent', zone: 'test', server: 'ns1.test (185.199.111.53)' } });
    assert.deepEqual(source.direct, ['gone.test NS @185.199.111.53:53 rd=false']);
  });

  test('a parent that delegates the domain says it is registered, whatever the resolver made of it', async () => {
    const delegation: DnsRecord = { name: 'lame.test', type: 'NS', ttl: 300, data: 'ns.lame.test' };
    const source = views(zoneSource(zoneRecords(PUBLIC_TLD)), (name) => reply(name, 'NOERROR', { aa: false, authorities: [delegation] }));
    assert.deepEqual(await registrationOf(source, 'lame.test', POLICY), { state: 'registered' });
  });

  test('a failed lookup is decided by the parent when it answers, and stays unknown when it does not', async () => {
    const resolver = zoneSource(zoneRecords(PUBLIC_TLD), { 'gone.test NS': 'servfail', 'held.test NS': 'servfail' });
    const source = views(resolver, (name) => (name === 'gone.test' ? reply(name, 'NXDOMAIN') : lookupFailure(name, 'NS', 'timeout')));
    assert.equal((await registrationOf(source, 'gone.test', POLICY)).state, 'unregistered');
    const held = await registrationOf(source, 'held.test', POLICY);
    assert.equal(held.state, 'failed');
    assert.ok(held.state === 'failed' && held.failure.message === 'NS held.test: SERVFAIL from 192.0.2.53:53');
  });

  test(`at most ${MAX_PARENT_SERVERS_ASKED} of the parent's addresses are asked; then the resolver's NXDOMAIN stands, with what the servers said`, async () => {
    const many = `${PUBLIC_TLD}@ NS ns3\n@ NS ns4\nns3 A 185.199.111.55\nns4 A 185.199.111.56\nns4 AAAA 2a01:4f8::53\n`;
    const source = views(zoneSource(zoneRecords(many)), (name) => lookupFailure(name, 'NS', 'timeout'));
    const registration = await registrationOf(source, 'gone.test', POLICY);
    assert.equal(source.direct.length, MAX_PARENT_SERVERS_ASKED);
    assert.ok(registration.state === 'unregistered' && registration.confirmation.by === 'resolver');
    assert.match(registration.confirmation.why, /^NS gone\.test: no reply from 192\.0\.2\.53:53 after 3 tries; NS gone\.test: no reply/);
  });

  test('an NXDOMAIN without authority, or a referral elsewhere, is no answer to go by', async () => {
    const elsewhere: DnsRecord = { name: 'other.test', type: 'NS', ttl: 300, data: 'ns.other.test' };
    const answers = [reply('gone.test', 'NXDOMAIN', { aa: false }), reply('gone.test', 'NOERROR', { aa: false, authorities: [elsewhere] })];
    const source = views(zoneSource(zoneRecords(PUBLIC_TLD)), () => answers.shift()!);
    const registration = await registrationOf(source, 'gone.test', POLICY);
    assert.ok(registration.state === 'unregistered' && registration.confirmation.by === 'resolver');
    assert.equal(registration.confirmation.why, 'NS gone.test: NXDOMAIN without authority from 185.199.111.53:53; NS gone.test: 185.199.111.53:53 referred elsewhere');
  });

  test('under a suffix that does not exist nobody can register anything', async () => {
    const root = '$ORIGIN .\n$TTL 300\n@ SOA ns.root. hostmaster.root. 1 7200 900 1209600 300\n@ NS ns.root.\n';
    const source = views(zoneSource(zoneRecords(root)), () => assert.fail('no parent to ask'));
    assert.deepEqual(await registrationOf(source, 'vendor.corp', POLICY), { state: 'no-suffix', suffix: 'corp' });
  });

  test('a question left unasked (offline) or cut by the deadline asks no parent', async () => {
    const resolver = zoneSource(zoneRecords(PUBLIC_TLD), { 'far.test NS': 'not-asked', 'late.test NS': 'deadline' });
    const source = views(resolver, () => assert.fail('the parent is not asked'));
    assert.equal((await registrationOf(source, 'far.test', POLICY)).state, 'failed');
    assert.equal((await registrationOf(source, 'late.test', POLICY)).state, 'failed');
    assert.deepEqual(resolver.asked, ['far.test NS', 'late.test NS']);
  });

  test('addresses that are not globally routable are not asked unless allowed, or sent elsewhere by --connect-to', async () => {
    const local = `$ORIGIN test.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 900 1209600 300\n@ NS ns1\nns1 A 10.0.0.53\n`;
    const refused = views(zoneSource(zoneRecords(local)), (name) => reply(name, 'NXDOMAIN'));
    const registration = await registrationOf(refused, 'gone.test', POLICY);
    assert.ok(registration.state === 'unregistered' && registration.confirmation.by === 'resolver');
    assert.equal(registration.confirmation.why, 'ns1.test (10.0.0.53) is not asked: the address is not globally routable (private, RFC 1918)');
    assert.deepEqual(refused.direct, []);

    const mapped = views(zoneSource(zoneRecords(local)), (name) => reply(name, 'NXDOMAIN'));
    const viaRule = await registrationOf(mapped, 'gone.test', { connectTo: [{ from: 'ns1.test', to: '127.0.0.1', toPort: 5353 }], allowPrivate: false });
    assert.deepEqual(viaRule, { state: 'unregistered', confirmation: { by: 'parent', zone: 'test', server: 'ns1.test (10.0.0.53)' } });
    assert.deepEqual(mapped.direct, ['gone.test NS @127.0.0.1:5353 rd=false']);
  });

  test('checks sharing a cached answer share one confirmation', async () => {
    const source = views(cachedSource(zoneSource(zoneRecords(PUBLIC_TLD))), (name) => reply(name, 'NXDOMAIN'));
    const [first, second] = await Promise.all([registrationOf(source, 'gone.test', POLICY), registrationOf(source, 'gone.test', POLICY)]);
    assert.equal(first, second);
    assert.equal((await registrationOf(source, 'gone.test', POLICY)).state, 'unregistered');
    assert.deepEqual(source.direct, ['gone.test NS @185.199.111.53:53 rd=false']);
  });
});

describe('takeover: a run over many domains', () => {
  let server: LocalDnsServer;
  const shared = `${zoneApex('shop.test')}
a          MX    10 mx.gone-mail.test.
b          MX    10 mx2.gone-mail.test.
b          TXT   "v=spf1 include:_spf.gone-mail.test -all"
`;
  before(async () => {
    server = await startLocalDnsServer({ records: zoneRecords(TEST_TLD, shared) });
  });
  after(() => server.close());

  test('looks each registrable domain up once, and asks its parent once', async () => {
    const results = await checkDomains(['a.shop.test', 'b.shop.test'], {
      servers: [server.address], checks: ['takeover'], connectTo: [`ns.test:53=127.0.0.1:${server.port}`], concurrency: 1,
    });
    assert.deepEqual(results.map((r) => r.findings.map((f) => `${f.rule} ${f.target ?? ''}`)), [
      ['takeover-unregistered-domain gone-mail.test'], ['takeover-unregistered-domain gone-mail.test'],
    ]);
    const asked = server.queries.filter((q) => q.name === 'gone-mail.test' && q.type === 'NS');
    assert.deepEqual(asked.map((q) => q.flags.rd), [true, false]);
    assert.match(results[0]!.findings[0]!.message, /\(NXDOMAIN from ns\.test \(192\.0\.2\.53\), a server of the parent zone test\)/);
  });
});
