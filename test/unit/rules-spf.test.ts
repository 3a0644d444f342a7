/**
 * The spf family: the policy tree its collector builds from DNS answers (served from records without
 * sockets), the rules that fire and the ones that stay quiet, their messages, targets and severities,
 * and the result section.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFailureKind } from '../../src/dns/lookup.js';
import { spfFamily } from '../../src/families/spf/index.js';
import { collectMailFacts } from '../../src/facts/mail.js';
import type { Finding } from '../../src/core/finding.js';
import type { SpfSection } from '../../src/families/spf/section.js';
import { spfPermissiveAll } from '../../src/families/spf/rules/mechanisms.js';
import { zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';

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
  const outcome = await spfFamily.run({ domain, lookups: source, mail, options: {}, checks: new Set(['spf']), signal: new AbortController().signal });
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
    assert.deepEqual(section, {
      record: 'v=spf1 mx a:mail.spf.test a:v6only.spf.test ip4:192.0.2.0/24 include:_provider.spf.test -all',
      lookups: 4,
      voidLookups: 0,
      includes: [{ term: 'include:_provider.spf.test', domain: '_provider.spf.test', record: 'v=spf1 ip4:198.51.100.0/24 ip6:2001:db8:1::/48 -all', lookups: 1, includes: [] }],
    });
  });

  it('follows a CNAME at the domain, counts redirects and nested includes, leaves macro targets unfollowed', async () => {
    assert.equal((await check('alias')).section.record, (await check('good')).section.record);
    assert.deepEqual((await check('redirected')).section.includes.map((i) => [i.term, i.lookups]), [['redirect=_nine.spf.test', 10]]);
    assert.deepEqual((await check('macro')).section, {
      record: 'v=spf1 include:%{d}._spf.spf.test exists:%{i}.bl.spf.test -all', lookups: 2, voidLookups: 0,
      includes: [{ term: 'include:%{d}._spf.spf.test', domain: null, record: null, lookups: 1, includes: [] }],
    });
    assert.deepEqual((await check('voids')).section.voidLookups, 3);
  });

  it('has no record when there are several or the lookup failed', async () => {
    assert.equal((await check('multiple')).section.record, null);
    assert.equal((await check('failed')).section.record, null);
  });

  it('asks TXT only, never type SPF (99)', () => {
    assert.ok(source.asked.length > 0);
    assert.ok(source.asked.every((question) => !question.endsWith(' SPF')));
  });
});
