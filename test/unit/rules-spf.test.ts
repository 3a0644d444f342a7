/**
 * The spf family: the policy tree its collector builds from DNS answers (served from records without
 * sockets), the rules that fire and the ones that stay quiet, their messages, targets and severities,
 * and the result section.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpProber } from '../../src/facts/smtp-prober.js';
import type { LookupFailureKind } from '../../src/dns/lookup.js';
import { spfFamily } from '../../src/families/spf/index.js';
import { collectMailFacts } from '../../src/facts/mail.js';
import type { Finding } from '../../src/core/finding.js';
import type { SpfSection } from '../../src/families/spf/section.js';
import { spfPermissiveAll } from '../../src/families/spf/rules/mechanisms.js';
import { collectSpfPolicy } from '../../src/facts/spf/policy.js';
import { evaluateUnlistedClients, MAX_CLIENT_EVALUATIONS } from '../../src/families/spf/unlisted-clients.js';
import { cachedSource, zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';

const ZONE = `${zoneApex('spf.test')}
mail          A    192.0.2.25
mail          AAAA 2001:db8::25
v6only        AAAA 2001:db8::26
_provider     TXT  "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:1::/48 -all"

good          MX   10 mail
good          TXT  "google-site-verification=abc"
good          TXT  "v=spf1 mx a:mail.spf.test a:v6only.spf.test ip4:192.0.2.0/24 include:_provider.spf.test -all"
alias         CNAME good
none          MX   10 mail
none          TXT  "not an SPF record"
nullmx        MX   0 .
nospf         MX   10 mail
multiple      TXT  "v=spf1 mx -all"
multiple      TXT  "V=SPF1 ip4:192.0.2.0/24 -all"
syntax        TXT  "v=spf1 ip4:192.0.2.0/33 -all"
inc-syntax    TXT  "v=spf1 include:_bad.spf.test -all"
_bad          TXT  "v=spf1 a:mail -all"
inc-multiple  TXT  "v=spf1 include:multiple.spf.test -all"

limit         TXT  "v=spf1 mx:good.spf.test include:_nine.spf.test -all"
_nine         TXT  "v=spf1 a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test -all"
at-limit      TXT  "v=spf1 include:_nine.spf.test -all"
after-all     TXT  "v=spf1 mx:good.spf.test -all a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test a:mail.spf.test"
redirected    TXT  "v=spf1 mx:good.spf.test redirect=_nine.spf.test"
loop          TXT  "v=spf1 include:loop2.spf.test -all"
loop2         TXT  "v=spf1 redirect=loop.spf.test"

voids         TXT  "v=spf1 a:nx1.spf.test mx:mail.spf.test exists:nx3.spf.test -all"
two-voids     TXT  "v=spf1 a:nx1.spf.test mx:mail.spf.test ~all"

plus-all      TXT  "v=spf1 mx:good.spf.test +all"
bare-all      TXT  "v=spf1 all"
query-all     TXT  "v=spf1 mx:good.spf.test ?all"
soft-all      TXT  "v=spf1 mx:good.spf.test ~all"
redirect-open TXT  "v=spf1 redirect=_open.spf.test"
include-open  TXT  "v=spf1 include:_open.spf.test -all"
_open         TXT  "v=spf1 +all"

ptr           TXT  "v=spf1 ptr:spf.test -all"
ptr-after-all TXT  "v=spf1 -all ptr"
inc-ptr       TXT  "v=spf1 include:ptr.spf.test -all"

unresolvable  TXT  "v=spf1 include:_nx.spf.test include:nospf.spf.test -all"
redirect-nx   TXT  "v=spf1 redirect=_nx.spf.test"
macro         TXT  "v=spf1 include:%{d}._spf.spf.test exists:%{i}.bl.spf.test -all"

failed        MX   10 mail
inc-failed    TXT  "v=spf1 include:_slow.spf.test -all"
a-failed      TXT  "v=spf1 a:slow-host.spf.test -all"

; Limits that only check_host() for a client meets: by address family, behind macros, MX names.
v6only2       AAAA 2001:db8::27
v6only3       AAAA 2001:db8::28
v4only        A    192.0.2.29
doc-host      A    198.51.100.1
v4-voids      TXT  "v=spf1 a:v6only.spf.test a:v6only2.spf.test mx:good.spf.test a:v6only3.spf.test -all"
v6-voids      TXT  "v=spf1 a:nx1.spf.test a:v4only.spf.test include:_v4only.spf.test -all"
_v4only       TXT  "v=spf1 a:v4only.spf.test -all"
two-v4-voids  TXT  "v=spf1 a:v6only.spf.test a:v6only2.spf.test -all"
macro-voids   TXT  "v=spf1 exists:%{i}.a.spf.test exists:%{i}.b.spf.test exists:%{i}.c.spf.test -all"
macro-lookups TXT  "v=spf1 include:_nine.%{d2} mx:good.spf.test -all"
mx-eleven     MX   1 mx1
mx-eleven     MX   2 mx2
mx-eleven     MX   3 mx3
mx-eleven     MX   4 mx4
mx-eleven     MX   5 mx5
mx-eleven     MX   6 mx6
mx-eleven     MX   7 mx7
mx-eleven     MX   8 mx8
mx-eleven     MX   9 mx9
mx-eleven     MX   10 mx10
mx-eleven     MX   11 mx11
mx-eleven     TXT  "v=spf1 mx -all"
inc-mx-eleven TXT  "v=spf1 ip4:192.0.2.0/24 include:mx-eleven.spf.test -all"
listed        TXT  "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 a:doc-host.spf.test -all"
every-doc     A    192.0.2.1
every-doc     A    198.51.100.1
every-doc     A    203.0.113.1
every-doc     AAAA 2001:db8::1
every-doc     AAAA 3fff::1
listed-all    TXT  "v=spf1 a:every-doc.spf.test -all"
all-v4        TXT  "v=spf1 ip4:0.0.0.0/0 -all"

; No "all": neutral by default.
no-all        TXT  "v=spf1 mx:good.spf.test"
redirect-no-all TXT "v=spf1 redirect=no-all.spf.test"

; Null MX: a record that lets senders pass, and ones that cannot.
nullmx-open   MX   0 .
nullmx-open   TXT  "v=spf1 a:mail.spf.test ip4:192.0.2.0/24 ~all"
nullmx-include MX  0 .
nullmx-include TXT "v=spf1 -ip4:192.0.2.0/24 include:_provider.spf.test -all"
nullmx-redirect MX 0 .
nullmx-redirect TXT "v=spf1 redirect=_provider.spf.test"
nullmx-closed MX   0 .
nullmx-closed TXT  "v=spf1 -all"
nullmx-mx     MX   0 .
nullmx-mx     TXT  "v=spf1 mx a:nx1.spf.test -include:_provider.spf.test include:nullmx-closed.spf.test ~all"
`;

const FAILURES: Record<string, LookupFailureKind> = {
  'failed.spf.test TXT': 'timeout',
  '_slow.spf.test TXT': 'servfail',
  'slow-host.spf.test AAAA': 'timeout',
};

const source = zoneSource(zoneRecords(ZONE), FAILURES);

async function check(name: string): Promise<{ findings: Finding[]; section: SpfSection }> {
  const domain = `${name}.spf.test`;
  const mail = await collectMailFacts(source, domain);
  const outcome = await spfFamily.run({ domain, lookups: source, mail, options: {}, checks: new Set(['spf']), signal: new AbortController().signal, prober: new SmtpProber() });
  return { findings: outcome.findings, section: outcome.section as SpfSection };
}

/** "rule" or "rule@target", sorted. */
function ids(findings: Finding[]): string[] {
  return findings.map((f) => (f.target === undefined ? f.rule : `${f.rule}@${f.target}`)).sort();
}

const CASES: [string, string[]][] = [
  ['good', []],
  ['alias', []],
  ['none', ['spf-missing']],
  ['nullmx', ['spf-missing']],
  ['nospf', ['spf-missing']],
  ['absent', []],
  ['multiple', ['spf-multiple']],
  ['syntax', ['spf-syntax']],
  ['inc-syntax', ['spf-syntax@_bad.spf.test']],
  ['inc-multiple', ['spf-multiple@multiple.spf.test']],
  ['limit', ['spf-lookup-limit']],
  ['at-limit', []],
  ['after-all', []],
  ['redirected', ['spf-lookup-limit']],
  ['loop', ['spf-lookup-limit']],
  ['voids', ['spf-void-lookup-limit']],
  ['two-voids', []],
  ['plus-all', ['spf-permissive-all']],
  ['bare-all', ['spf-permissive-all']],
  ['query-all', ['spf-permissive-all']],
  ['soft-all', []],
  ['redirect-open', ['spf-permissive-all']],
  ['include-open', ['spf-permissive-all@_open.spf.test']],
  ['ptr', ['spf-ptr']],
  ['ptr-after-all', []],
  ['inc-ptr', ['spf-ptr@ptr.spf.test']],
  ['unresolvable', ['spf-include-unresolvable@_nx.spf.test', 'spf-include-unresolvable@nospf.spf.test']],
  ['redirect-nx', ['spf-include-unresolvable@_nx.spf.test']],
  ['macro', []],
  ['failed', ['spf-lookup-failed']],
  ['inc-failed', ['spf-lookup-failed@_slow.spf.test']],
  ['a-failed', ['spf-lookup-failed@slow-host.spf.test']],
  ['v4-voids', ['spf-void-lookup-limit']],
  ['v6-voids', ['spf-void-lookup-limit']],
  ['two-v4-voids', []],
  ['macro-voids', ['spf-void-lookup-limit']],
  ['macro-lookups', ['spf-lookup-limit']],
  ['mx-eleven', ['spf-mx-limit']],
  ['inc-mx-eleven', ['spf-mx-limit@mx-eleven.spf.test']],
  ['listed', []],
  ['listed-all', []],
  ['all-v4', []],
  ['no-all', ['spf-permissive-all']],
  ['redirect-no-all', ['spf-permissive-all']],
  ['nullmx-open', ['spf-null-mx-authorizes']],
  ['nullmx-include', ['spf-null-mx-authorizes']],
  ['nullmx-redirect', ['spf-null-mx-authorizes']],
  ['nullmx-closed', []],
  ['nullmx-mx', []],
];

describe('spf rules: which fire for each domain', () => {
  for (const [name, expected] of CASES) {
    it(`${name}.spf.test → ${expected.join(', ') || 'nothing'}`, async () => {
      const { findings } = await check(name);
      assert.deepEqual(ids(findings), expected, findings.map((f) => f.message).join('\n'));
    });
  }
});

describe('spf rule messages', () => {
  const only = async (name: string): Promise<Finding> => {
    const { findings } = await check(name);
    assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
    return findings[0]!;
  };

  it('spf-missing suggests "v=spf1 mx -all", and "v=spf1 -all" for a null-MX domain', async () => {
    const none = await only('none');
    assert.equal(none.messageId, 'missing');
    assert.match(none.message, /no TXT record starting "v=spf1"/);
    assert.match(none.fix, /"none\.spf\.test\. TXT \\"v=spf1 mx -all\\""/);
    const nullMx = await only('nullmx');
    assert.equal(nullMx.messageId, 'nullMx');
    assert.match(nullMx.message, /null MX/);
    assert.match(nullMx.fix, /"nullmx\.spf\.test\. TXT \\"v=spf1 -all\\""/);
    assert.doesNotMatch(`${nullMx.message}\n${nullMx.fix}`, /v=spf1 mx/);
  });

  it('spf-multiple quotes every record', async () => {
    assert.match((await only('multiple')).message, /has 2 SPF records.*"v=spf1 mx -all", "V=SPF1 ip4:192\.0\.2\.0\/24 -all"/);
  });

  it('spf-syntax names the term and why, also in an included record', async () => {
    assert.match((await only('syntax')).message, /"ip4:192\.0\.2\.0\/33": "\/33" is not an IPv4 prefix length/);
    const included = await only('inc-syntax');
    assert.equal(included.messageId, 'includedSyntaxError');
    assert.match(included.message, /_bad\.spf\.test \(reached through "include:_bad\.spf\.test" in the SPF record of inc-syntax\.spf\.test\).*"a:mail": "mail" does not end in a dot and a top-level label/);
  });

  it('spf-lookup-limit gives the count and what each term costs', async () => {
    const { message } = await only('limit');
    assert.match(message, /takes 11 DNS lookups .*the limit is 10/);
    assert.match(message, /Lookups per term: mx:good\.spf\.test 1, include:_nine\.spf\.test 10\./);
    assert.match((await only('redirected')).message, /takes 11 DNS lookups.*redirect=_nine\.spf\.test 10/);
    assert.match((await only('loop')).message, /in a loop \(loop2\.spf\.test: redirect=loop\.spf\.test\)/);
  });

  it('spf-void-lookup-limit lists the terms that found nothing', async () => {
    assert.match((await only('voids')).message, /makes 3 lookups that find nothing \(a:nx1\.spf\.test, mx:mail\.spf\.test, exists:nx3\.spf\.test\)/);
  });

  it('spf-permissive-all: +all and a bare all are errors, ?all a warning, a redirect or include that passes everyone an error', async () => {
    const plus = await only('plus-all');
    assert.equal(plus.severity, 'error');
    assert.match(plus.message, /ends in "\+all": every address on the Internet passes/);
    assert.equal((await only('bare-all')).severity, 'error');
    const query = await only('query-all');
    assert.equal(query.severity, 'warning');
    assert.match(query.message, /ends in "\?all"/);
    assert.match(query.fix, /"~all" or "-all" once it lists every server that sends for query-all\.spf\.test/);
    const redirect = await only('redirect-open');
    assert.equal(redirect.messageId, 'redirectPassAll');
    assert.match(redirect.message, /\(through its redirect to _open\.spf\.test\) ends in "\+all"/);
    const include = await only('include-open');
    assert.equal(include.severity, 'error');
    assert.match(include.message, /"include:_open\.spf\.test" in the SPF record of include-open\.spf\.test leads to a record that ends in "\+all"/);
    assert.match(include.fix, /have _open\.spf\.test publish a record that ends in "-all"/);
  });

  it('spf-permissive-all declares both severities in its meta', () => {
    assert.equal(spfPermissiveAll.meta.severity, 'error');
    assert.deepEqual(Object.keys(spfPermissiveAll.meta.severities ?? {}).sort(), ['error', 'warning']);
  });

  it('spf-include-unresolvable says why: NXDOMAIN, or no v=spf1 record', async () => {
    const { findings } = await check('unresolvable');
    assert.match(findings[0]!.message, /"include:_nx\.spf\.test" in the SPF record of unresolvable\.spf\.test names a domain without an SPF record: _nx\.spf\.test does not exist \(NXDOMAIN\)/);
    assert.match(findings[1]!.message, /nospf\.spf\.test has no TXT record starting "v=spf1"/);
  });

  it('spf-void-lookup-limit for the clients of one family: the terms void for them, through includes', async () => {
    const v4 = await only('v4-voids');
    assert.equal(v4.messageId, 'clientVoidLookups');
    assert.equal(v4.severity, 'warning');
    assert.match(v4.message, /^For IPv4 clients that the record does not list \(evaluated as 192\.0\.2\.1\), evaluating the SPF record of v4-voids\.spf\.test makes 3 lookups that find nothing \(a:v6only\.spf\.test, a:v6only2\.spf\.test, a:v6only3\.spf\.test\)/);
    assert.match(v4.fix, /addresses of both families \(A and AAAA\)/);
    assert.match((await only('v6-voids')).message, /^For IPv6 clients .*\(a:nx1\.spf\.test, a:v4only\.spf\.test, a:v4only\.spf\.test \(in _v4only\.spf\.test\)\)/);
    assert.match((await only('macro-voids')).message, /^For IPv4 and IPv6 clients that the record does not list \(evaluated as 192\.0\.2\.1 and 2001:db8::1\), .*\(exists:%\{i\}\.a\.spf\.test, exists:%\{i\}\.b\.spf\.test, exists:%\{i\}\.c\.spf\.test\)/);
  });

  it('spf-void-lookup-limit counted for every sender is one finding, not one more per family', async () => {
    assert.equal((await only('voids')).messageId, 'tooManyVoidLookups');
  });

  it('spf-lookup-limit past 10 once macros are expanded: the term that went past', async () => {
    const finding = await only('macro-lookups');
    assert.equal(finding.messageId, 'clientLookups');
    assert.match(finding.message, /^For IPv4 and IPv6 clients .* goes past 10 DNS lookups: mx:good\.spf\.test would be lookup number 11\./);
    assert.equal((await only('limit')).messageId, 'tooManyLookups');
  });

  it('spf-mx-limit names the term, the name it looks up and the count; an included record is the target', async () => {
    const own = await only('mx-eleven');
    assert.equal(own.severity, 'error');
    assert.match(own.message, /^"mx" in the SPF record of mx-eleven\.spf\.test looks up mx-eleven\.spf\.test, which has 11 MX records; receivers look at no more than 10/);
    assert.equal((await only('inc-mx-eleven')).target, 'mx-eleven.spf.test');
  });

  it('spf-permissive-all: a record without "all" or redirect= is neutral by default, a warning like "?all"', async () => {
    const own = await only('no-all');
    assert.deepEqual([own.messageId, own.severity], ['noAll', 'warning']);
    assert.match(own.message, /has neither "all" nor "redirect=", so it ends as if in "\?all"/);
    const redirected = await only('redirect-no-all');
    assert.deepEqual([redirected.messageId, redirected.severity], ['redirectNoAll', 'warning']);
    assert.match(redirected.message, /redirects to no-all\.spf\.test, whose record has neither "all" nor "redirect="/);
  });

  it('spf-null-mx-authorizes lists the terms through which senders pass; terms that cannot pass anyone are not counted', async () => {
    const open = await only('nullmx-open');
    assert.equal(open.severity, 'warning');
    assert.match(open.message, /^nullmx-open\.spf\.test takes no mail \(null MX\), yet its SPF record lets senders pass \("a:mail\.spf\.test", "ip4:192\.0\.2\.0\/24"\)/);
    assert.match(open.fix, /"nullmx-open\.spf\.test\. TXT \\"v=spf1 -all\\""/);
    assert.match((await only('nullmx-include')).message, /\("include:_provider\.spf\.test"\)/);
    assert.match((await only('nullmx-redirect')).message, /\("redirect=_provider\.spf\.test"\)/);
  });

  it('spf-lookup-failed carries the failure, and a failed TXT lookup is never "missing"', async () => {
    const failed = await only('failed');
    assert.equal(failed.severity, 'unknown');
    assert.match(failed.message, /^TXT failed\.spf\.test: no reply from .*The SPF check could not be completed/);
    assert.match((await only('inc-failed')).message, /^TXT _slow\.spf\.test: SERVFAIL/);
  });
});

describe('the spf section', () => {
  it('has the record, the lookup count and the include tree', async () => {
    const { section } = await check('good');
    const unlisted = { result: 'fail', reason: '"-all" in the SPF record of good.spf.test matched', lookups: 4, limit: null } as const;
    assert.deepEqual(section, {
      state: 'found',
      record: 'v=spf1 mx a:mail.spf.test a:v6only.spf.test ip4:192.0.2.0/24 include:_provider.spf.test -all',
      lookups: 4,
      voidLookups: 0,
      includes: [{ term: 'include:_provider.spf.test', domain: '_provider.spf.test', record: 'v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:1::/48 -all', lookups: 1, includes: [] }],
      // 192.0.2.1 and 198.51.100.1 are listed (the include lists the second); a:v6only finds no A record.
      evaluations: [{ family: 4, ip: '203.0.113.1', ...unlisted, voidLookups: 1 }, { family: 6, ip: '2001:db8::1', ...unlisted, voidLookups: 0 }],
    });
  });

  it('follows a CNAME at the domain, counts redirects and nested includes, leaves macro targets unfollowed', async () => {
    assert.equal((await check('alias')).section.record, (await check('good')).section.record);
    assert.deepEqual((await check('redirected')).section.includes.map((i) => [i.term, i.lookups]), [['redirect=_nine.spf.test', 10]]);
    const { evaluations, ...macro } = (await check('macro')).section;
    assert.deepEqual(macro, {
      state: 'found', record: 'v=spf1 include:%{d}._spf.spf.test exists:%{i}.bl.spf.test -all', lookups: 2, voidLookups: 0,
      includes: [{ term: 'include:%{d}._spf.spf.test', domain: null, record: null, lookups: 1, includes: [] }],
    });
    assert.deepEqual(evaluations.map((e) => [e.ip, e.result]), [['192.0.2.1', 'permerror'], ['2001:db8::1', 'permerror']]);
    assert.deepEqual((await check('voids')).section.voidLookups, 3);
  });

  it('has no record, and no evaluation, when there are several or the lookup failed', async () => {
    for (const name of ['multiple', 'failed']) {
      assert.equal((await check(name)).section.record, null);
      assert.deepEqual((await check(name)).section.evaluations, []);
    }
    assert.deepEqual((await check('syntax')).section.evaluations, [], 'a record that does not read is not evaluated');
  });

  it('evaluates as the client an address no term lists: past the ip4/ip6 ranges, past a host an "a" term names; none when every one is listed', async () => {
    assert.deepEqual((await check('listed')).section.evaluations.map((e) => e.ip), ['203.0.113.1', '3fff::1']);
    assert.deepEqual((await check('all-v4')).section.evaluations.map((e) => e.ip), ['2001:db8::1']);
  });

  it(`a record that lists every candidate costs ${MAX_CLIENT_EVALUATIONS} evaluations and gets none`, async () => {
    const uncached = zoneSource(zoneRecords(ZONE), FAILURES);
    const domain = 'listed-all.spf.test';
    assert.deepEqual(await evaluateUnlistedClients(uncached, domain, await collectSpfPolicy(uncached, domain)), []);
    assert.equal(uncached.asked.filter((question) => question === `${domain} TXT`).length, 1 + MAX_CLIENT_EVALUATIONS);
  });

  it('names the limit an evaluation stopped at', async () => {
    const limits = async (name: string) => (await check(name)).section.evaluations.map((e) => [e.family, e.result, e.voidLookups, e.limit]);
    assert.deepEqual(await limits('v4-voids'), [[4, 'permerror', 3, 'voidLookups'], [6, 'fail', 0, null]]);
    assert.deepEqual(await limits('mx-eleven'), [[4, 'permerror', 0, 'mxNames'], [6, 'permerror', 0, 'mxNames']]);
    assert.deepEqual(await limits('macro-lookups'), [[4, 'permerror', 0, 'lookups'], [6, 'permerror', 0, 'lookups']]);
  });

  it('the evaluations ask only what the walk did not: nothing for a record without macros, the expanded names for one with them', async () => {
    const asks = async (domain: string): Promise<string[]> => {
      const cached = cachedSource(zoneSource(zoneRecords(ZONE), FAILURES));
      const policy = await collectSpfPolicy(cached, domain);
      const walked = cached.asked.length;
      assert.equal((await evaluateUnlistedClients(cached, domain, policy)).length, 2);
      return cached.asked.slice(walked).sort();
    };
    assert.deepEqual(await asks('good.spf.test'), []);
    const nibbles = `2.0.0.1.0.d.b.8.${'0.'.repeat(23)}1`; // %{i} of 2001:db8::1, as DNS is asked it (lower case)
    assert.deepEqual(await asks('macro-voids.spf.test'), ['192.0.2.1.a.spf.test A', '192.0.2.1.b.spf.test A', '192.0.2.1.c.spf.test A',
      `${nibbles}.a.spf.test A`, `${nibbles}.b.spf.test A`, `${nibbles}.c.spf.test A`]);
  });

  it('asks TXT only, never type SPF (99)', () => {
    assert.ok(source.asked.length > 0);
    assert.ok(source.asked.every((question) => !question.endsWith(' SPF')));
  });
});
