/**
 * DMARC per RFC 9989 on pure facts: what a TXT record at _dmarc is, the record's tags, the policy
 * each kind of name gets, the DNS tree walk (its names, its Organizational Domain, the record that
 * applies, RFC 9989 Appendix B.4's examples), and every rule of the family on hand-made walks. The
 * walk against a server, queries counted there: policy-families.test.ts and e2e-policy.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFailure, LookupSource } from '../../src/dns/lookup.js';
import type { Finding } from '../../src/core/finding.js';
import { applyPolicy, classifyDmarcText, parseDmarcRecord, withVersionFirst } from '../../src/families/dmarc/record.js';
import {
  applicableIndex, MAX_TREE_WALK_QUERIES, organizationalDomain, stepOf, treeWalkDomains, walked, walkTree,
} from '../../src/families/dmarc/walk.js';
import type { WalkStep } from '../../src/families/dmarc/walk.js';
import { walkFacts } from '../../src/families/dmarc/collect.js';
import type { DmarcFacts, ReportAuthorization } from '../../src/families/dmarc/collect.js';
import { dmarcRules } from '../../src/families/dmarc/rules.js';
import { dmarcSection } from '../../src/families/dmarc/section.js';
import { dmarcLines } from '../../src/families/dmarc/text.js';

describe('what a TXT record at a _dmarc name is (RFC 9989 §4.7, §4.10 step 2)', () => {
  test('a DMARC record starts with v=DMARC1, white space allowed around "=" only', () => {
    for (const text of ['v=DMARC1; p=reject', 'v = DMARC1 ;p=none', 'v=DMARC1', 'v=DMARC1;']) assert.deepEqual(classifyDmarcText(text), { kind: 'record' }, text);
  });

  test('the issue\'s records are named with the reason receivers discard them', () => {
    assert.deepEqual(classifyDmarcText('p=reject; v=DMARC1'), { kind: 'discarded', reason: 'not-first' });
    assert.deepEqual(classifyDmarcText(' v=DMARC1 ; p=reject '), { kind: 'discarded', reason: 'white-space' });
    for (const text of ['v=dmarc1; p=reject', 'V=DMARC1; p=reject', 'v=DMARC2; p=reject', 'v=DMARC1x; p=none']) {
      assert.deepEqual(classifyDmarcText(text), { kind: 'discarded', reason: 'version' }, text);
    }
    assert.deepEqual(classifyDmarcText('p=quarantine; rua=mailto:d@example.com'), { kind: 'discarded', reason: 'no-version' });
  });

  test('other TXT records are left alone', () => {
    for (const text of ['google-site-verification=abc', 'v=spf1 -all', 'hello world', '']) assert.deepEqual(classifyDmarcText(text), { kind: 'other' }, text);
  });

  test('a record with its version tag later is rewritten with it first, for the fix', () => {
    assert.equal(withVersionFirst('p=reject; v=DMARC1; rua=mailto:d@example.com;'), 'v=DMARC1; p=reject; rua=mailto:d@example.com');
  });
});

describe('DMARC records (RFC 9989 §4.7, §4.8)', () => {
  test('a minimal record: p, and the defaults', () => {
    assert.deepEqual(parseDmarcRecord('v=DMARC1; p=reject'), {
      policies: { p: 'reject', sp: null, np: null, implied: null }, testing: false, psd: 'u', rua: [], ruf: [], removed: [], unknown: [], sizeLimited: [], problems: [],
    });
  });

  test('every tag with a valid value; policy values are case-insensitive', () => {
    const record = parseDmarcRecord('v=DMARC1; p=Quarantine; sp=none; np=reject; psd=N; t=y; adkim=s; aspf=r; fo=0:d:s; rua=mailto:a@example.com, mailto:b@example.net; ruf=mailto:f@example.com');
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.policies, { p: 'quarantine', sp: 'none', np: 'reject', implied: null });
    assert.equal(record.testing, true);
    assert.equal(record.psd, 'n');
    assert.deepEqual(record.rua.map((u) => [u.uri, u.host]), [['mailto:a@example.com', 'example.com'], ['mailto:b@example.net', 'example.net']]);
    assert.deepEqual(record.ruf.map((u) => u.host), ['example.com']);
  });

  test('no p: read as p=none, not an error (§4.7); sp and np still apply', () => {
    const record = parseDmarcRecord('v=DMARC1; sp=reject; rua=mailto:r@example.com');
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.policies, { p: 'none', sp: 'reject', np: null, implied: 'no-p' });
  });

  test('a bad p, sp or np: p=none for everything with a valid rua, else the record is void (§4.10.1)', () => {
    assert.deepEqual(parseDmarcRecord('v=DMARC1; p=reject; np=all; rua=mailto:r@example.com').policies, { p: 'none', sp: null, np: null, implied: 'invalid' });
    assert.equal(parseDmarcRecord('v=DMARC1; p=rejected').policies, null);
    assert.equal(parseDmarcRecord('v=DMARC1; p=reject; sp=').policies, null);
    assert.match(parseDmarcRecord('v=DMARC1; p=rejected').problems.join(), /p=rejected is not none, quarantine or reject/);
  });

  test('pct, rf and ri are removed tags, kept as written, never problems; a size limit after a URI is noted', () => {
    const record = parseDmarcRecord('v=DMARC1; p=reject; pct=150; rf=afrf; ri=x; rua=mailto:a@example.com!10m');
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.removed, [{ name: 'pct', value: '150' }, { name: 'rf', value: 'afrf' }, { name: 'ri', value: 'x' }]);
    assert.deepEqual(record.sizeLimited, ['mailto:a@example.com!10m']);
    assert.deepEqual(record.rua.map((u) => u.uri), ['mailto:a@example.com']);
  });

  test('unknown tags are ignored, not problems; known and removed tags in the wrong case are problems', () => {
    const record = parseDmarcRecord('v=DMARC1; p=none; foo=bar; x_note=hi; ASPF=r; PCT=5');
    assert.deepEqual(record.unknown, [{ name: 'foo', value: 'bar' }, { name: 'x_note', value: 'hi' }]);
    assert.deepEqual(record.problems, ['tag names are case-sensitive: "ASPF" is not "aspf", so receivers ignore it', 'tag names are case-sensitive: "PCT" is not "pct", so receivers ignore it']);
    assert.equal(parseDmarcRecord('v=DMARC1; P=reject').policies?.implied, 'no-p', 'P is not p: no p tag, so p=none');
  });

  test('invalid values are named one by one, with what receivers use instead', () => {
    const { problems } = parseDmarcRecord('v=DMARC1; p=none; adkim=x; t=maybe; psd=yes; fo=0:1; rua=mailto:nobody; ruf=');
    assert.deepEqual(problems.map((p) => p.split(' ')[0]), ['adkim=x', 't=maybe', 'psd=yes', 'fo=0:1', 'rua:', 'ruf']);
    assert.match(problems.join(' | '), /t=maybe is not y or n; receivers use n.*psd=yes is not y, n or u; receivers use u.*exclude each other/);
  });
});

describe('the policy under a record (§4.10.1, t §4.7)', () => {
  const record = parseDmarcRecord('v=DMARC1; p=reject; sp=quarantine; np=none');
  test('p for the domain, sp for existing subdomains, np for those that do not exist', () => {
    assert.deepEqual(applyPolicy(record, 'domain'), { effective: 'reject', declared: 'reject', tag: 'p', testing: false });
    assert.deepEqual(applyPolicy(record, 'subdomain'), { effective: 'quarantine', declared: 'quarantine', tag: 'sp', testing: false });
    assert.deepEqual(applyPolicy(record, 'non-existent'), { effective: 'none', declared: 'none', tag: 'np', testing: false });
  });

  test('np falls back to sp, then p; sp to p', () => {
    assert.equal(applyPolicy(parseDmarcRecord('v=DMARC1; p=reject; sp=none'), 'non-existent')?.tag, 'sp');
    assert.deepEqual(applyPolicy(parseDmarcRecord('v=DMARC1; p=quarantine'), 'non-existent'), { effective: 'quarantine', declared: 'quarantine', tag: 'p', testing: false });
  });

  test('t=y applies one level lower, and does nothing to none', () => {
    const testing = parseDmarcRecord('v=DMARC1; p=reject; sp=quarantine; np=none; t=y');
    assert.deepEqual(applyPolicy(testing, 'domain'), { effective: 'quarantine', declared: 'reject', tag: 'p', testing: true });
    assert.deepEqual(applyPolicy(testing, 'subdomain'), { effective: 'none', declared: 'quarantine', tag: 'sp', testing: true });
    assert.deepEqual(applyPolicy(testing, 'non-existent'), { effective: 'none', declared: 'none', tag: 'np', testing: false });
  });

  test('p read as none has no tag; a void record applies nothing', () => {
    assert.deepEqual(applyPolicy(parseDmarcRecord('v=DMARC1; rua=mailto:r@example.com'), 'domain'), { effective: 'none', declared: 'none', tag: null, testing: false });
    assert.equal(applyPolicy(parseDmarcRecord('v=DMARC1; p=bogus'), 'domain'), null);
  });
});

describe('the DNS tree walk (§4.10)', () => {
  test('the domain, then each parent up to the top-level domain', () => {
    assert.deepEqual(treeWalkDomains('a.mail.example.com'), ['a.mail.example.com', 'mail.example.com', 'example.com', 'com']);
    assert.deepEqual(treeWalkDomains('com'), ['com']);
  });

  test('past eight labels, the walk skips to the last seven after the first name: eight names at most (§4.10 example)', () => {
    assert.deepEqual(treeWalkDomains('a.b.c.d.e.f.g.h.i.j.mail.example.com'), [
      'a.b.c.d.e.f.g.h.i.j.mail.example.com', 'g.h.i.j.mail.example.com', 'h.i.j.mail.example.com', 'i.j.mail.example.com',
      'j.mail.example.com', 'mail.example.com', 'example.com', 'com',
    ]);
    assert.equal(MAX_TREE_WALK_QUERIES, 8);
    for (let labels = 1; labels <= 40; labels++) {
      const domain = Array.from({ length: labels }, (_, i) => `l${i}`).join('.');
      assert.equal(treeWalkDomains(domain).length, Math.min(labels, MAX_TREE_WALK_QUERIES), domain);
    }
  });

  /** A source that answers TXT from a table and counts what it is asked. */
  function countingSource(records: Record<string, string[]>, failing: string[] = []): LookupSource & { asked: string[] } {
    const asked: string[] = [];
    return {
      asked,
      lookup: (name: string, type: string) => {
        asked.push(`${type} ${name}`);
        const question = { name, type };
        if (failing.includes(name)) return Promise.resolve({ ok: false, question, kind: 'servfail', message: `${type} ${name}: SERVFAIL`, extendedErrors: [], durationMs: 0 } as LookupFailure);
        const texts = records[name];
        return Promise.resolve({
          ok: true, question, rcode: texts ? 'NOERROR' : 'NXDOMAIN', authorities: [], additionals: [], extendedErrors: [], server: 'test', transport: 'zone', durationMs: 0,
          flags: { aa: true, tc: false, rd: false, ra: false, ad: false, cd: false },
          answers: (texts ?? []).map((text) => ({ name, type: 'TXT', ttl: 60, class: 'IN', data: [Buffer.from(text)] })),
        } as never);
      },
    };
  }

  test('a 12-label name: eight questions, never more, in the order of §4.10', async () => {
    const source = countingSource({});
    const steps = await walkTree(source, 'a.b.c.d.e.f.g.h.i.j.example.com');
    assert.equal(source.asked.length, 8);
    assert.deepEqual(source.asked, treeWalkDomains('a.b.c.d.e.f.g.h.i.j.example.com').map((d) => `TXT _dmarc.${d}`));
    assert.equal(steps.length, 8);
  });

  test('the walk stops at a record that says psd=y or psd=n, and at a failed lookup', async () => {
    const psd = countingSource({ '_dmarc.bank.example': ['v=DMARC1; p=reject; psd=y'] });
    assert.deepEqual((await walkTree(psd, 'a.giant.bank.example')).map((s) => s.domain), ['a.giant.bank.example', 'giant.bank.example', 'bank.example']);
    const failing = countingSource({}, ['_dmarc.example.com']);
    const steps = await walkTree(failing, 'mail.example.com');
    assert.deepEqual(failing.asked, ['TXT _dmarc.mail.example.com', 'TXT _dmarc.example.com']);
    assert.equal(steps.at(-1)!.txt.state, 'failed');
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-made walks.

const NONE = (domain: string): WalkStep => stepOf(domain, { state: 'none', name: `_dmarc.${domain}`, why: 'nxdomain' });
const AT = (domain: string, ...texts: string[]): WalkStep => stepOf(domain, { state: 'found', name: `_dmarc.${domain}`, texts });
const FAILED = (domain: string): WalkStep => stepOf(domain, {
  state: 'failed', name: `_dmarc.${domain}`,
  failure: { ok: false, question: { name: `_dmarc.${domain}`, type: 'TXT' }, kind: 'servfail', message: `TXT _dmarc.${domain}: SERVFAIL from 192.0.2.53:53`, extendedErrors: [], durationMs: 1 },
});
/** A name outside the zone files that --zone --offline leaves unasked. */
const NOT_ASKED = (domain: string): WalkStep => stepOf(domain, {
  state: 'failed', name: `_dmarc.${domain}`,
  failure: { ok: false, question: { name: `_dmarc.${domain}`, type: 'TXT' }, kind: 'not-asked', message: `TXT _dmarc.${domain}: outside the zone files`, extendedErrors: [], durationMs: 0 },
});

function facts(domain: string, walk: WalkStep[], authorizations: ReportAuthorization[] = [], nullMx = false): DmarcFacts {
  return { ...walkFacts(domain, nullMx, walk), authorizations };
}

function findings(of: DmarcFacts): Finding[] {
  return dmarcRules.flatMap((rule) => rule.check(of));
}

const ids = (of: DmarcFacts): string[] => findings(of).map((f) => `${f.rule}/${f.messageId}`).sort();
const message = (of: DmarcFacts, rule: string): string => findings(of).find((f) => f.rule === rule)!.message;

describe('the Organizational Domain and the record that applies (§4.10.1, §4.10.2, Appendix B.4)', () => {
  const org = (walk: WalkStep[]) => organizationalDomain(walked(walk));

  test('B.4.1: the highest name with a record', () => {
    assert.deepEqual(org([AT('example.com', 'v=DMARC1; p=reject'), NONE('com')]), { domain: 'example.com', how: 'highest-record' });
    assert.deepEqual(org([AT('signing.example.com', 'v=DMARC1; p=none'), AT('example.com', 'v=DMARC1; p=reject'), NONE('com')]), { domain: 'example.com', how: 'highest-record' });
  });

  test('B.4.3: one label below a psd=y record; the public suffix\'s record applies when the Organizational Domain has none', () => {
    const giant = [AT('giant.bank.example', 'v=DMARC1; p=none'), AT('bank.example', 'v=DMARC1; p=reject; psd=y')];
    assert.deepEqual(org(giant), { domain: 'giant.bank.example', how: 'below-psd-y' });
    assert.equal(applicableIndex(walked(giant), org(giant)), 0);
    const mail = [NONE('mail.giant.bank.example'), AT('giant.bank.example', 'v=DMARC1; p=none'), AT('bank.example', 'v=DMARC1; p=reject; psd=y')];
    assert.deepEqual(org(mail), { domain: 'giant.bank.example', how: 'below-psd-y' });
    assert.equal(applicableIndex(walked(mail), org(mail)), 1);
    const mega = [NONE('mail.mega.bank.example'), NONE('mega.bank.example'), AT('bank.example', 'v=DMARC1; p=reject; psd=y')];
    assert.deepEqual(org(mega), { domain: 'mega.bank.example', how: 'below-psd-y' });
    assert.equal(applicableIndex(walked(mega), org(mega)), 2, 'the public suffix\'s record');
  });

  test('psd=n makes its name the Organizational Domain; psd=y at the start does not count as the suffix', () => {
    assert.deepEqual(org([NONE('a.mail.example.com'), AT('mail.example.com', 'v=DMARC1; p=reject; psd=n')]), { domain: 'mail.example.com', how: 'psd-n' });
    assert.deepEqual(org([AT('bank.example', 'v=DMARC1; p=reject; psd=y')]), { domain: 'bank.example', how: 'highest-record' });
  });

  test('no record anywhere: the domain is its own, and no record applies', () => {
    const none = [NONE('example.com'), NONE('com')];
    assert.deepEqual(org(none), { domain: 'example.com', how: 'no-record' });
    assert.equal(applicableIndex(walked(none), org(none)), null);
  });

  test('several records at a name are discarded: the walk goes on and the parent\'s applies', () => {
    const of = facts('twice.example.com', [AT('twice.example.com', 'v=DMARC1; p=reject', 'v=DMARC1; p=none'), AT('example.com', 'v=DMARC1; p=quarantine'), NONE('com')]);
    assert.deepEqual(of.policies?.domain, { state: 'record', step: 1, applied: { effective: 'quarantine', declared: 'quarantine', tag: 'p', testing: false } });
    assert.deepEqual(ids(of), ['dmarc-multiple/multiple', 'dmarc-no-aggregate-reports/noRua']);
  });
});

describe('the policies of the domain, its subdomains and the names below it that do not exist', () => {
  test('a record below the Organizational Domain covers the domain, not its subdomains: theirs is the Organizational Domain\'s sp', () => {
    const of = facts('mail.example.com', [AT('mail.example.com', 'v=DMARC1; p=reject; sp=reject'), AT('example.com', 'v=DMARC1; p=reject; sp=none'), NONE('com')]);
    const section = dmarcSection(of);
    assert.equal(section.policy, 'reject');
    assert.deepEqual(section.effectivePolicy?.subdomains, { state: 'applied', name: '_dmarc.example.com', policy: 'none', declared: 'none', tag: 'sp', testing: false });
    assert.deepEqual(ids(of), ['dmarc-no-aggregate-reports/noRua', 'dmarc-subdomain-policy-weaker/subdomains']);
    assert.match(message(of, 'dmarc-subdomain-policy-weaker'), /existing subdomains of mail\.example\.com .* is none \(sp=none at _dmarc\.example\.com\), weaker than reject/);
  });

  test('psd=n: the domain\'s own record covers its subdomains', () => {
    const of = facts('dept.example.com', [AT('dept.example.com', 'v=DMARC1; p=reject; sp=quarantine; psd=n')]);
    assert.deepEqual(dmarcSection(of).organizationalDomain, { name: 'dept.example.com', how: 'psd-n' });
    assert.equal(dmarcSection(of).effectivePolicy?.subdomains.policy, 'quarantine');
  });

  test('a domain of eight labels or more: its subdomains\' walk skips it, so its own record does not cover them', () => {
    const domain = 'a.b.c.d.e.f.example.com';
    const walk = treeWalkDomains(domain).map((d) => (d === domain ? AT(d, 'v=DMARC1; p=reject') : d === 'example.com' ? AT(d, 'v=DMARC1; p=none') : NONE(d)));
    const section = dmarcSection(facts(domain, walk));
    assert.equal(section.policy, 'reject');
    assert.equal(section.effectivePolicy?.subdomains.name, '_dmarc.example.com');
  });

  test('a failed lookup above the domain\'s own record: its policy is known, its subdomains\' is not, and that is said', () => {
    const of = facts('example.com', [AT('example.com', 'v=DMARC1; p=reject'), FAILED('com')]);
    const section = dmarcSection(of);
    assert.equal(section.state, 'found');
    assert.equal(section.organizationalDomain, undefined);
    assert.deepEqual(section.effectivePolicy?.subdomains, { state: 'unknown' });
    assert.deepEqual(ids(of), ['dmarc-lookup-failed/failed', 'dmarc-no-aggregate-reports/noRua']);
    assert.deepEqual(dmarcLines(section).map((l) => l.text), [
      'policy reject, subdomains ?, no aggregate reports',
      'tree walk _dmarc.example.com (record) → _dmarc.com (? lookup failed); organizational domain ? (a lookup failed)',
    ]);
  });

  test('a failed lookup before any record: nothing is known, and nothing is called missing', () => {
    const of = facts('a.example.com', [NONE('a.example.com'), FAILED('example.com')]);
    assert.equal(dmarcSection(of).state, 'failed');
    assert.deepEqual(ids(of), ['dmarc-lookup-failed/failed']);
  });
});

describe('the rules on hand-made walks', () => {
  test('dmarc-missing lists the names the walk asked; a null-MX domain is told p=reject', () => {
    const of = facts('nodmarc.example.com', [NONE('nodmarc.example.com'), NONE('example.com'), NONE('com')]);
    assert.deepEqual(ids(of), ['dmarc-missing/missing']);
    assert.match(message(of, 'dmarc-missing'), /no "v=DMARC1" at _dmarc\.nodmarc\.example\.com, _dmarc\.example\.com or _dmarc\.com\)/);
    assert.match(findings(facts('n.example', [NONE('n.example'), NONE('example')], [], true))[0]!.fix, /p=reject/);
  });

  test('zone review offline: no record in the zone files is dmarc-missing, saying the names above them were not asked', () => {
    const of = facts('shop.example.com', [NONE('shop.example.com'), NONE('example.com'), NOT_ASKED('com')]);
    assert.deepEqual(ids(of), ['dmarc-missing/missingInZoneFiles']);
    assert.match(message(of, 'dmarc-missing'), /no DMARC record in the zone files \(no "v=DMARC1" at _dmarc\.shop\.example\.com or _dmarc\.example\.com\); _dmarc\.com lies outside them and was not asked/);
    assert.deepEqual(ids(facts('shop.example.com', [NONE('shop.example.com'), AT('example.com', 'v=DMARC1; p=reject; rua=mailto:d@example.com'), NOT_ASKED('com')])), [],
      'a record in the zone files applies');
    assert.deepEqual(ids(facts('shop.example.com', [NONE('shop.example.com'), FAILED('example.com')])), ['dmarc-lookup-failed/failed'], 'a failed lookup is still unknown');
  });

  test('the issue\'s "p=reject; v=DMARC1": named with its text and why, not "no DMARC record"', () => {
    const of = facts('order.example.com', [AT('order.example.com', 'p=reject; v=DMARC1'), NONE('example.com'), NONE('com')]);
    assert.deepEqual(ids(of), ['dmarc-record-discarded/notFirst']);
    const [finding] = findings(of);
    assert.equal(finding!.severity, 'error');
    assert.equal(finding!.message, 'The TXT record "p=reject; v=DMARC1" at _dmarc.order.example.com is not a DMARC record: v=DMARC1 is not its first tag, so receivers discard it; no DMARC policy applies to order.example.com.');
    assert.equal(finding!.fix, 'put v=DMARC1 first: "v=DMARC1; p=reject"');
    assert.equal(dmarcSection(of).state, 'none');
    assert.deepEqual(dmarcSection(of).discarded, [{ name: '_dmarc.order.example.com', text: 'p=reject; v=DMARC1', reason: 'not-first' }]);
  });

  test('the issue\'s leading space: discarded by receivers that follow the grammar, the parent\'s record applies instead', () => {
    const of = facts('space.example.com', [AT('space.example.com', ' v=DMARC1 ; p=reject '), AT('example.com', 'v=DMARC1; p=none'), NONE('com')]);
    assert.deepEqual(ids(of), ['dmarc-no-aggregate-reports/noRua', 'dmarc-policy-none/inheritedNone', 'dmarc-record-discarded/whiteSpace']);
    assert.match(message(of, 'dmarc-record-discarded'), /white space before v=DMARC1: receivers that read it by the DMARC grammar discard it \(the policy for space\.example\.com comes from _dmarc\.example\.com instead\), others trim the space/);
  });

  test('a discarded record beside a valid one, and one above a domain with its own record', () => {
    const beside = facts('x.example.com', [AT('x.example.com', 'v=DMARC1; p=reject', 'V=DMARC1; p=none'), NONE('example.com'), NONE('com')]);
    assert.match(message(beside, 'dmarc-record-discarded'), /its version tag is "V=DMARC1".*; the DMARC record beside it applies\.$/);
    const above = facts('x.example.com', [AT('x.example.com', 'v=DMARC1; p=reject'), AT('example.com', 'p=reject; rua=mailto:d@example.com'), NONE('com')]);
    assert.match(message(above, 'dmarc-record-discarded'), /holds DMARC tags but no v=DMARC1, so receivers discard it; the policy for the subdomains of x\.example\.com comes from _dmarc\.x\.example\.com instead\.$/);
  });

  test('dmarc-syntax: malformed but applied, treated as none, or void', () => {
    const at = (text: string) => facts('example.com', [AT('example.com', text), NONE('com')]);
    assert.match(message(at('v=DMARC1; p=reject; adkim=x'), 'dmarc-syntax'), /adkim=x is not r \(relaxed\) or s \(strict\); receivers use r; receivers skip what they cannot read/);
    assert.deepEqual(ids(at('v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com')), ['dmarc-policy-none/none', 'dmarc-syntax/treatedAsNone']);
    assert.deepEqual(ids(at('v=DMARC1; p=bogus')), ['dmarc-syntax/ignored']);
    assert.equal(dmarcSection(at('v=DMARC1; p=bogus')).policy, null);
  });

  test('dmarc-removed-tag: what to do instead, by value', () => {
    const at = (text: string) => findings(facts('example.com', [AT('example.com', text), NONE('com')])).filter((f) => f.rule === 'dmarc-removed-tag');
    assert.deepEqual(at('v=DMARC1; p=reject; pct=50').map((f) => [f.severity, f.messageId, f.fix]), [['warning', 'pct', 'remove pct; to test a policy before enforcing it, use t=y']]);
    assert.match(at('v=DMARC1; p=reject; pct=50')[0]!.message, /older ones to 50% of it/);
    assert.equal(at('v=DMARC1; p=reject; pct=0')[0]!.fix, 'replace pct=0 with t=y');
    assert.equal(at('v=DMARC1; p=reject; pct=100')[0]!.fix, 'remove pct=100');
    assert.equal(at('v=DMARC1; p=reject; pct=150')[0]!.messageId, 'pctInvalid');
    assert.deepEqual(at('v=DMARC1; p=reject; rf=afrf; ri=3600; rua=mailto:d@example.com!10m').map((f) => f.messageId), ['rf', 'ri', 'reportSize']);
  });

  test('the issue\'s sp=none with pct=50: policy none, whatever pct says, in the section and the text', () => {
    const of = facts('www.example.com', [NONE('www.example.com'), AT('example.com', 'v=DMARC1; p=reject; sp=none; pct=50'), NONE('com')]);
    const section = dmarcSection(of);
    assert.equal(section.policy, 'none');
    assert.deepEqual(section.effectivePolicy?.domain, { state: 'applied', name: '_dmarc.example.com', policy: 'none', declared: 'none', tag: 'sp', testing: false });
    const [policyLine] = dmarcLines(section);
    assert.equal(policyLine!.text, 'policy none (sp), subdomains too, no aggregate reports');
    assert.doesNotMatch(dmarcLines(section).map((l) => l.text).join('\n'), /%/);
    assert.deepEqual(ids(of), ['dmarc-no-aggregate-reports/noRua', 'dmarc-policy-none/inheritedNone', 'dmarc-removed-tag/pct']);
    assert.match(message(of, 'dmarc-policy-none'), /is sp=none \(inherited from _dmarc\.example\.com, its organizational domain\)/);
  });

  test('dmarc-unknown-tag is a note; dmarc-testing says what applies instead; no p reads as p=none', () => {
    const of = facts('example.com', [AT('example.com', 'v=DMARC1; p=reject; t=y; np=reject; foo=bar; rua=mailto:d@example.com'), NONE('com')]);
    assert.deepEqual(findings(of).map((f) => [f.rule, f.severity]).sort(), [['dmarc-testing', 'info'], ['dmarc-unknown-tag', 'info']]);
    assert.equal(message(of, 'dmarc-testing'), 'The DMARC record at _dmarc.example.com says t=y (testing): receivers apply quarantine instead of p=reject to mail that fails DMARC for example.com.');
    assert.match(message(of, 'dmarc-unknown-tag'), /\(foo=bar\): receivers ignore them/);
    assert.equal(dmarcLines(dmarcSection(of))[0]!.text, 'policy quarantine (p=reject under t=y), subdomains too, rua mailto:d@example.com');
    const npTesting = dmarcSection(facts('example.com', [AT('example.com', 'v=DMARC1; p=reject; np=quarantine; t=y'), NONE('com')]));
    assert.equal(dmarcLines(npTesting)[0]!.text,
      'policy quarantine (p=reject under t=y), subdomains quarantine (p=reject under t=y), non-existent subdomains none (np=quarantine under t=y), no aggregate reports');
    const noP = facts('example.com', [AT('example.com', 'v=DMARC1; rua=mailto:d@example.com'), NONE('com')]);
    assert.match(message(noP, 'dmarc-policy-none'), /is none \(the record has no p tag\)/);
  });

  test('dmarc-subdomain-policy-weaker: np below p is said; np falling back to a weaker sp is not said twice', () => {
    const np = facts('example.com', [AT('example.com', 'v=DMARC1; p=reject; np=none'), NONE('com')]);
    assert.deepEqual(ids(np), ['dmarc-no-aggregate-reports/noRua', 'dmarc-subdomain-policy-weaker/nonExistent']);
    assert.match(findings(np)[0]!.fix, /np=reject in _dmarc\.example\.com/);
    assert.deepEqual(ids(facts('example.com', [AT('example.com', 'v=DMARC1; p=reject; sp=none'), NONE('com')])), ['dmarc-no-aggregate-reports/noRua', 'dmarc-subdomain-policy-weaker/subdomains']);
    assert.deepEqual(ids(facts('example.com', [AT('example.com', 'v=DMARC1; p=reject; sp=quarantine; np=none'), NONE('com')])),
      ['dmarc-no-aggregate-reports/noRua', 'dmarc-subdomain-policy-weaker/nonExistent', 'dmarc-subdomain-policy-weaker/subdomains']);
  });

  test('dmarc-external-report-unauthorized: no consent, a name too long, a consent that redirects', () => {
    const walk = [AT('example.com', 'v=DMARC1; p=reject; rua=mailto:a@reports.example.net'), NONE('com')];
    const authorization = (outcome: ReportAuthorization['outcome']): ReportAuthorization => (
      { host: 'reports.example.net', name: 'example.com._report._dmarc.reports.example.net', uris: ['mailto:a@reports.example.net'], outcome });
    assert.deepEqual(ids(facts('example.com', walk, [authorization({ state: 'unauthorized' })])), ['dmarc-external-report-unauthorized/unauthorized', 'dmarc-no-aggregate-reports/noneAccepted']);
    assert.deepEqual(ids(facts('example.com', walk, [authorization({ state: 'too-long' })])), ['dmarc-external-report-unauthorized/tooLong', 'dmarc-no-aggregate-reports/noneAccepted']);
    const redirected = facts('example.com', walk, [authorization({ state: 'redirected', uris: ['mailto:x@elsewhere.example'] })]);
    assert.match(message(redirected, 'dmarc-external-report-unauthorized'), /redirects them to mailto:x@elsewhere\.example, on another host: receivers send them to neither/);
    assert.deepEqual(ids(facts('example.com', walk, [authorization({ state: 'authorized' }), authorization({ state: 'not-checked' })])), []);
  });

  test('dmarc-no-aggregate-reports: no rua, or only destinations receivers refuse; one destination that takes reports is enough', () => {
    const noRua = facts('example.com', [AT('example.com', 'v=DMARC1; p=reject'), NONE('com')]);
    assert.equal(message(noRua, 'dmarc-no-aggregate-reports'),
      'The DMARC record at _dmarc.example.com names no aggregate report destination (no rua): receivers send no reports, so nobody sees which mail in the name of example.com passes or fails DMARC.');
    assert.equal(findings(noRua).find((f) => f.rule === 'dmarc-no-aggregate-reports')!.severity, 'info');
    const inherited = facts('www.example.com', [NONE('www.example.com'), AT('example.com', 'v=DMARC1; p=reject'), NONE('com')]);
    assert.match(message(inherited, 'dmarc-no-aggregate-reports'), /record at _dmarc\.example\.com names no aggregate/);
    const refused = (uris: string[]): ReportAuthorization => ({ host: 'reports.example.net', name: 'example.com._report._dmarc.reports.example.net', uris, outcome: { state: 'unauthorized' } });
    const two = [AT('example.com', 'v=DMARC1; p=reject; rua=mailto:a@reports.example.net,mailto:d@example.com'), NONE('com')];
    assert.deepEqual(ids(facts('example.com', two, [refused(['mailto:a@reports.example.net'])])), ['dmarc-external-report-unauthorized/unauthorized']);
    const ruaRefused = [AT('example.com', 'v=DMARC1; p=reject; rua=mailto:a@reports.example.net; ruf=mailto:f@example.com'), NONE('com')];
    assert.match(message(facts('example.com', ruaRefused, [refused(['mailto:a@reports.example.net'])]), 'dmarc-no-aggregate-reports'), /only to mailto:a@reports\.example\.net, where receivers send none/);
    // A failed consent lookup leaves it open: that is dmarc-lookup-failed, not "no reports".
    const failedStep = FAILED('reports.example.net');
    const failure = failedStep.txt.state === 'failed' ? failedStep.txt.failure : assert.fail();
    assert.deepEqual(ids(facts('example.com', ruaRefused, [{ ...refused(['mailto:a@reports.example.net']), outcome: { state: 'failed', failure } }])), ['dmarc-lookup-failed/failed']);
    assert.deepEqual(ids(facts('example.com', [AT('example.com', 'v=DMARC1; p=bogus'), NONE('com')])), ['dmarc-syntax/ignored']);
    // A null-MX domain sends no mail: p=reject is all it needs.
    assert.deepEqual(ids(facts('example.com', [AT('example.com', 'v=DMARC1; p=reject'), NONE('com')], [], true)), []);
  });

  test('dmarc-lookup-failed says one failure once, however many walks met it', () => {
    const walk = [AT('example.com', 'v=DMARC1; p=reject; rua=mailto:a@reports.example.net'), FAILED('com')];
    const failure = walk[1]!.txt.state === 'failed' ? walk[1]!.txt.failure : assert.fail();
    const of = facts('example.com', walk, [{ host: 'reports.example.net', name: 'n', uris: ['mailto:a@reports.example.net'], outcome: { state: 'failed', failure } }]);
    assert.deepEqual(ids(of), ['dmarc-lookup-failed/failed']);
  });
});
