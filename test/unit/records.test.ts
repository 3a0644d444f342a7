/**
 * The policy record parsers on their own: DKIM-style tag lists, MTA-STS (record, policy file,
 * mx patterns), TLS-RPT, report URIs, reverse names, registrable domains (DMARC's records: dmarc.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DKIM_TAG_NAME, parseTagList } from '../../src/families/common/tag-list.js';
import { mxPatternMatches, parseMtaStsPolicy, parseMtaStsRecord, readMtaStsPolicy } from '../../src/families/mta-sts/record.js';
import { parseTlsRptRecord } from '../../src/families/tlsrpt/record.js';
import { reverseName, reversedLabels, sameAddress } from '../../src/dns/reverse.js';
import { organizationalDomain } from '../../src/facts/organizational-domain.js';

const dkim = { spaceAroundEquals: true, tagName: DKIM_TAG_NAME };

describe('tag lists', () => {
  test('reads name=value pairs with white space and one trailing ";"', () => {
    assert.deepEqual(parseTagList(' v = DMARC1 ;p=reject; ', dkim), { tags: [{ name: 'v', value: 'DMARC1' }, { name: 'p', value: 'reject' }], problems: [] });
  });

  test('reports an empty field, a field without "=", a bad name and a repeated tag', () => {
    const { tags, problems } = parseTagList('v=DMARC1;; p reject; 1x=2; p=none; p=reject', dkim);
    assert.deepEqual(tags, [{ name: 'v', value: 'DMARC1' }, { name: 'p', value: 'none' }]);
    assert.equal(problems.length, 4);
    assert.match(problems.join('|'), /field 2 is empty.*"p reject" is not a name=value pair.*"1x" is not a valid tag name.*tag p appears more than once/);
  });

  test('refuses white space around "=" where the grammar has none', () => {
    const { problems } = parseTagList('v=STSv1; id = 1', { spaceAroundEquals: false, tagName: DKIM_TAG_NAME });
    assert.match(problems[0]!, /white space around "="/);
  });
});

describe('MTA-STS records and policies', () => {
  test('record: v=STSv1 first, an id of 1 to 32 letters and digits', () => {
    assert.deepEqual(parseMtaStsRecord('v=STSv1; id=20160831085700Z;'), { id: '20160831085700Z', problems: [] });
    assert.deepEqual(parseMtaStsRecord('v=STSv1; id=abc; ext.x-y=1').problems, []);
    assert.match(parseMtaStsRecord('v=STSv1; id=2016-08-31').problems.join(), /not 1 to 32 letters and digits/);
    assert.match(parseMtaStsRecord(`v=STSv1; id=${'a'.repeat(33)}`).problems.join(), /not 1 to 32/);
    assert.match(parseMtaStsRecord('v=STSv1').problems.join(), /id tag is missing/);
    assert.match(parseMtaStsRecord(' v=STSv1; id=1').problems.join(), /must start with v=STSv1 exactly/);
    assert.match(parseMtaStsRecord('v=stsv1; id=1').problems.join(), /must start with v=STSv1 exactly/);
  });

  test('policy: CRLF or LF lines, every field read', () => {
    for (const eol of ['\r\n', '\n']) {
      const policy = parseMtaStsPolicy(['version: STSv1', 'mode: enforce', 'mx: mail.example.com', 'mx: *.Example.NET', 'max_age:604800', 'x-ext: whatever', ''].join(eol));
      assert.deepEqual(policy, { mode: 'enforce', maxAge: 604800, mx: ['mail.example.com', '*.example.net'], problems: [], usable: true });
    }
  });

  test('policy: missing or invalid fields make it unusable, each named', () => {
    const policy = parseMtaStsPolicy('version: STSv2\nmode: Enforce\nmax_age: 31557601\nmx: *.*.example.com\nmode: testing\ngarbage\n');
    assert.equal(policy.usable, false);
    assert.equal(policy.problems.length, 6, policy.problems.join(' | '));
    assert.match(policy.problems.join(' | '), /mx: \*\.\*\.example\.com is not a host name.*mode appears more than once.*line 6 .*version: STSv2 is not STSv1.*mode: Enforce is not enforce.*max_age: 31557601/);
    assert.match(parseMtaStsPolicy('version: STSv1\nmode: testing\nmax_age: 1\n').problems.join(), /no valid mx field/);
    assert.equal(parseMtaStsPolicy('version: STSv1\nmode: none\nmax_age: 1\n').usable, true, 'mode none needs no mx');
  });

  test('policy: a file that is not UTF-8 is unusable, the line named, the rest still read', () => {
    const good = readMtaStsPolicy(Buffer.from('version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\nx-note: café\n'));
    assert.deepEqual([good.policy.problems, good.policy.usable], [[], true]);
    const latin1 = readMtaStsPolicy(Buffer.from('version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\nx-note: caf\xe9\nmode: x\n', 'latin1'));
    assert.equal(latin1.policy.usable, false);
    assert.deepEqual(latin1.policy.problems, ['line 5 holds octets that are not UTF-8', 'mode appears more than once; senders use the first']);
    assert.equal(latin1.policy.mode, 'enforce');
  });

  test('mx patterns: exact names and a "*." for exactly one leftmost label, case-insensitive', () => {
    assert.ok(mxPatternMatches('mail.example.com', 'MAIL.example.com.'));
    assert.ok(mxPatternMatches('*.example.com', 'mx1.example.com'));
    assert.ok(!mxPatternMatches('*.example.com', 'example.com'));
    assert.ok(!mxPatternMatches('*.example.com', 'a.b.example.com'));
    assert.ok(!mxPatternMatches('*.example.com', 'mx1.badexample.com'));
    assert.ok(!mxPatternMatches('mail.example.com', 'mail.example.com.evil'));
  });
});

describe('TLS-RPT records', () => {
  test('rua with mailto: and https: URIs, comma-separated', () => {
    const record = parseTlsRptRecord('v=TLSRPTv1; rua=mailto:tls@example.com, https://reports.example.net/tls');
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.rua.map((u) => u.host), ['example.com', 'reports.example.net']);
  });

  test('no rua, another scheme, or a version not first exactly', () => {
    assert.match(parseTlsRptRecord('v=TLSRPTv1;').problems.join(), /rua tag .* is missing/);
    assert.match(parseTlsRptRecord('v=TLSRPTv1; rua=ftp://example.com/').problems.join(), /only mailto: and https: are defined/);
    assert.match(parseTlsRptRecord('rua=mailto:a@example.com; v=TLSRPTv1').problems.join(), /must start with v=TLSRPTv1/);
  });
});

describe('reverse names and organizational domains', () => {
  test('IPv4 octets and IPv6 nibbles, reversed', () => {
    assert.equal(reverseName('192.0.2.1'), '1.2.0.192.in-addr.arpa');
    assert.equal(reverseName('2001:db8::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    assert.equal(reversedLabels('127.0.0.2'), '2.0.0.127');
    assert.ok(sameAddress('2001:DB8:0::1', '2001:db8::1'));
    assert.ok(!sameAddress('192.0.2.1', '::ffff:192.0.2.1'));
  });

  test('the Public Suffix List, ICANN and private sections', () => {
    assert.equal(organizationalDomain('mail.example.co.uk'), 'example.co.uk');
    assert.equal(organizationalDomain('a.b.example.com'), 'example.com');
    assert.equal(organizationalDomain('blog.user.github.io'), 'user.github.io');
    assert.equal(organizationalDomain('co.uk'), null);
    assert.equal(organizationalDomain('x.y.policy.test'), 'policy.test', 'an unlisted TLD counts as a public suffix (the default rule)');
  });
});
