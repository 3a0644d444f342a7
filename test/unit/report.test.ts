import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainResult } from '../../src/engine/result.js';
import { textReporter, wrap } from '../../src/report/text.js';
import { jsonlReporter, jsonReporter } from '../../src/report/json.js';
import { renderRun } from '../support/render.js';
import { SourceLines } from '../../src/report/source-excerpt.js';

const passing: DomainResult = {
  input: 'good.example', domain: 'good.example', canonical: 'good.example', status: 'pass',
  mx: [{ preference: 10, exchange: 'mx1.good.example', addresses: [{ address: '185.199.108.25', family: 4 }, { address: '2a01:4f8::25', family: 6 }], cname: [] }],
  findings: [{ rule: 'mx-single', messageId: 'test', fix: 'fix it', severity: 'info', message: 'good.example has a single MX exchange.', rfc: 'RFC 5321 §5.1' }],
  durationMs: 3,
};
const failing: DomainResult = {
  input: 'Bücher.example', domain: 'xn--bcher-kva.example', canonical: 'xn--bcher-kva.example', status: 'fail',
  mx: [
    { preference: 0, exchange: '.' },
    { preference: 10, exchange: 'alias.xn--bcher-kva.example', addresses: [{ address: '185.199.1.1', family: 4 }], cname: ['host.example'] },
    { preference: 20, exchange: '192.0.2.1', addresses: [], cname: [] },
  ],
  findings: [
    { rule: 'mx-target-cname', messageId: 'test', fix: 'fix it', severity: 'error', message: 'MX 10 alias points to an alias.', rfc: 'RFC 2181 §10.3', target: 'alias.xn--bcher-kva.example' },
    { rule: 'mx-target-ip-literal', messageId: 'test', fix: 'fix it', severity: 'error', message: 'MX 20 192.0.2.1 names an IP address.', rfc: 'RFC 1035 §3.3.9', target: '192.0.2.1' },
    { rule: 'mx-single', messageId: 'test', fix: 'fix it', severity: 'info', message: 'informational.', rfc: 'RFC 5321 §5.1' },
  ],
  durationMs: 5,
};

test('text: a tree per domain with marks, alias chains, addresses and the verdict', () => {
  const out = renderRun(textReporter({ color: false, quiet: false, width: null }), [passing, failing]);
  assert.match(out, /^good\.example {2}✓ PASS$/m);
  assert.match(out, /^ {2}✓ MX 10 mx1\.good\.example {2}185\.199\.108\.25, 2a01:4f8::25$/m);
  assert.match(out, /^Bücher\.example \(xn--bcher-kva\.example\) {2}✗ FAIL$/m, 'IDN shown as typed with its A-label');
  assert.match(out, /^ {2}MX 0 \. {2}\(null MX: accepts no mail\)$/m);
  assert.match(out, /^ {2}✗ MX 10 alias\.xn--bcher-kva\.example → host\.example {2}185\.199\.1\.1$/m);
  assert.match(out, /^ {2}✗ MX 20 192\.0\.2\.1 {2}an address, not a host name: not looked up$/m);
  assert.match(out, /^ {2}error {3}mx-target-cname: MX 10 alias points to an alias\.$/m);
  assert.match(out, /^ {10}RFC 2181 §10\.3$/m);
  assert.match(out, /^ {2}FAIL: 2 errors, 0 warnings$/m);
  assert.match(out, /^2 domains checked in 1\.5 s: 1 pass, 1 fail$/m);
  assert.match(out, /^domains per rule: mx-single 2, mx-target-cname 1, mx-target-ip-literal 1$/m);
  assert.doesNotMatch(out, /\x1b\[/, 'no colour codes');
});

test('text: colour only when asked', () => {
  assert.match(renderRun(textReporter({ color: true, quiet: false, width: null }), [failing]), /\x1b\[31m/);
});

test('text: one domain has no summary; quiet drops the tree and informational findings', () => {
  const out = renderRun(textReporter({ color: false, quiet: true, width: null }), [failing]);
  assert.doesNotMatch(out, /domains checked/);
  assert.doesNotMatch(out, /MX 10 alias\.xn--bcher-kva\.example →/);
  assert.doesNotMatch(out, /mx-single/);
  assert.match(out, /mx-target-ip-literal/);
});

test('text: findings wrap under their text at the terminal width', () => {
  const long: DomainResult = { ...failing, findings: [{ ...failing.findings[0]!, message: 'word '.repeat(40).trim() }] };
  const lines = renderRun(textReporter({ color: false, quiet: false, width: 60 }), [long]).split('\n');
  const start = lines.findIndex((l) => l.startsWith('  error   mx-target-cname: word'));
  assert.ok(start > 0);
  assert.ok(lines[start]!.length <= 60 && lines[start + 1]!.startsWith(' '.repeat(10) + 'word'));
  assert.deepEqual(wrap('a b c', null), ['a b c']);
  assert.deepEqual(wrap('aaaa bbbb cccc dddd eeee ffff', 20), ['aaaa bbbb cccc dddd', 'eeee ffff']);
});

test('json: a valid array in input order, also when empty; jsonl: one object per line', () => {
  assert.deepEqual(JSON.parse(renderRun(jsonReporter(), [passing, failing])), [passing, failing]);
  assert.deepEqual(JSON.parse(renderRun(jsonReporter(), [])), []);
  const lines = renderRun(jsonlReporter(), [passing, failing]).trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => JSON.parse(l)), [passing, failing]);
});

// ---------------------------------------------------------------------------------------------
// What each family found: a line or a few per section, read from the result alone.

const cert = (altNames: string[], validTo: string) => ({
  subject: `CN=${altNames[0]}`, issuer: 'CN=CA', altNames, validFrom: '2026-01-01T00:00:00.000Z', validTo, sha256: 'aa', spkiSha256: 'bb',
});
const ehlo = (starttls: boolean) => ({
  serverName: 'mx1.good.example', starttls, size: 10240000, pipelining: true, '8bitmime': true, smtputf8: true, chunking: false, requiretls: false,
  keywords: starttls ? ['PIPELINING', 'STARTTLS'] : ['PIPELINING'],
});

const everything: DomainResult = {
  ...passing,
  findings: [],
  spf: { state: 'found', record: 'v=spf1 mx -all', lookups: 1, voidLookups: 0, includes: [], evaluations: [] },
  dmarc: {
    state: 'found', name: '_dmarc.good.example', inherited: false, records: ['v=DMARC1; p=reject; rua=mailto:d@good.example'], policy: 'reject', rua: ['mailto:d@good.example'], ruf: [],
    walk: [{ name: '_dmarc.good.example', result: 'record' }, { name: '_dmarc.example', result: 'none' }],
    organizationalDomain: { name: 'good.example', how: 'highest-record' },
    effectivePolicy: { domain: { state: 'applied', name: '_dmarc.good.example', policy: 'reject', declared: 'reject', tag: 'p', testing: false }, subdomains: { state: 'applied', name: '_dmarc.good.example', policy: 'reject', declared: 'reject', tag: 'p', testing: false }, nonExistentSubdomains: { state: 'applied', name: '_dmarc.good.example', policy: 'reject', declared: 'reject', tag: 'p', testing: false } },
    discarded: [], reportAuthorizations: [],
  },
  'mta-sts': {
    state: 'found', records: ['v=STSv1; id=2026'], id: '2026',
    policy: {
      url: 'https://mta-sts.good.example/.well-known/mta-sts.txt', fetch: 'fetched', address: '185.199.108.80', connectedTo: '127.0.0.1:4443',
      contentType: 'text/plain', mode: 'enforce', maxAge: 604800, mx: ['mx1.good.example', '*.good.example'],
    },
  },
  tlsrpt: { state: 'found', records: ['v=TLSRPTv1; rua=mailto:t@good.example'], rua: ['mailto:t@good.example'] },
  dnssec: {
    resolverValidates: true, mxAuthenticated: true,
    lookups: [
      { name: 'good.example', type: 'MX', state: 'secure', rcode: 'NOERROR', authenticated: true },
      { name: 'mx1.good.example', type: 'A', state: 'secure', rcode: 'NOERROR', authenticated: true },
      { name: 'mx1.good.example', type: 'AAAA', state: 'secure', rcode: 'NOERROR', authenticated: true },
    ],
  },
  dane: {
    hosts: [{
      exchange: 'mx1.good.example', tlsaName: '_25._tcp.mx1.good.example', state: 'secure',
      records: [{ usage: 3, usageName: 'DANE-EE', selector: 1, matchingType: 1, data: 'd7e0aee8f977d01f04bc420ac44d8da0', usable: true, role: null }],
      daneApplies: true,
      certificateMatches: [
        { address: '185.199.108.25', matched: true, by: 'the server certificate (DANE-EE)' },
        { address: '2a01:4f8::25', matched: true, by: 'the server certificate (DANE-EE)' },
      ],
    }],
  },
  ptr: {
    hosts: 'exchanges',
    addresses: [
      { host: 'mx1.good.example', address: '185.199.108.25', family: 4, names: ['mx1.good.example'], forwardConfirmed: true },
      { host: 'mx1.good.example', address: '2a01:4f8::25', family: 6, names: ['mx1.good.example'], forwardConfirmed: true },
    ],
  },
  smtp: {
    port: 25,
    connectivity: { ipv4: { connected: true }, ipv6: { connected: false, globalAddress: false } },
    probes: [{
      exchange: 'mx1.good.example', address: '185.199.108.25', family: 4, probed: true, connectedTo: '127.0.0.1:2525',
      banner: '220 mx1.good.example ESMTP Postfix', ehlo: ehlo(true),
      ehloAfterTls: { ...ehlo(false), keywords: ['PIPELINING', 'SIZE', '8BITMIME', 'SMTPUTF8'] },
      tls: {
        protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', certificateValid: true, nameMatches: true,
        chain: [cert(['mx1.good.example'], '2027-02-26T00:00:00.000Z'), cert(['CA'], '2036-01-01T00:00:00.000Z')],
      },
      failure: null, durationMs: 12,
    }],
  },
  dnsbl: {
    zones: ['bl.example'],
    listings: [
      { host: 'mx1.good.example', address: '185.199.108.25', zone: 'bl.example', state: 'not-listed' },
      { host: 'mx1.good.example', address: '2a01:4f8::25', zone: 'bl.example', state: 'not-listed' },
    ],
  },
};

/** The lines between the MX lines and the verdict, without colour or wrapping. */
function familyLines(result: DomainResult): string[] {
  return renderRun(textReporter({ color: false, quiet: false, width: null }), [result]).split('\n')
    .filter((l) => /^ {2}[A-Z][A-Z-]+ /.test(l) && !/^ {2}(MX|PASS|WARN|FAIL|UNKNOWN)\b/.test(l));
}

test('text: what each family found, in the order of --checks all, one line per section or per address', () => {
  assert.deepEqual(familyLines(everything), [
    '  SPF v=spf1 mx -all  (1 of 10 DNS lookups)',
    '  DMARC policy reject, subdomains too, rua mailto:d@good.example  (_dmarc.good.example)',
    '  DMARC tree walk _dmarc.good.example (record) → _dmarc.example (no record); organizational domain good.example (the highest record)',
    '  MTA-STS mode enforce, max_age 604800, mx mx1.good.example, *.good.example; id 2026  (policy fetched from 185.199.108.80, connected to 127.0.0.1:4443)',
    '  TLS-RPT rua mailto:t@good.example',
    '  DNSSEC MX answer authenticated; addresses authenticated: mx1.good.example',
    '  DANE mx1.good.example: TLSA 3 1 1 d7e0aee8f977d01f…, authenticated; ✓ matched by the server certificate (DANE-EE) at 185.199.108.25, 2a01:4f8::25  (_25._tcp.mx1.good.example)',
    '  PTR 185.199.108.25 → mx1.good.example ✓ FCrDNS',
    '  PTR 2a01:4f8::25 → mx1.good.example ✓ FCrDNS',
    '  SMTP mx1.good.example 185.199.108.25: 220 mx1.good.example, STARTTLS, TLSv1.3 TLS_AES_256_GCM_SHA384, certificate ✓ valid, ✓ for mx1.good.example, expires 2027-02-26, extensions over TLS: SIZE 10240000 PIPELINING 8BITMIME SMTPUTF8  (connected to 127.0.0.1:2525)',
    '  DNSBL bl.example: ✓ not listed (2 addresses)',
  ]);
});

test('text: the family lines say what is wrong or not known, too', () => {
  const broken: DomainResult = {
    ...passing,
    findings: [],
    // The example: sp=none beside pct=50 is policy none, whatever pct says.
    dmarc: {
      state: 'found', name: '_dmarc.example', inherited: true, records: ['v=DMARC1; p=reject; sp=none; np=quarantine; pct=50'], policy: 'none', rua: [], ruf: [],
      walk: [{ name: '_dmarc.good.example', result: 'none' }, { name: '_dmarc.example', result: 'record' }],
      organizationalDomain: { name: 'example', how: 'highest-record' },
      effectivePolicy: { domain: { state: 'applied', name: '_dmarc.example', policy: 'none', declared: 'none', tag: 'sp', testing: false }, subdomains: { state: 'applied', name: '_dmarc.example', policy: 'none', declared: 'none', tag: 'sp', testing: false }, nonExistentSubdomains: { state: 'applied', name: '_dmarc.example', policy: 'quarantine', declared: 'quarantine', tag: 'np', testing: false } },
      discarded: [], reportAuthorizations: [],
    },
    'mta-sts': { state: 'multiple', records: ['v=STSv1; id=1', 'v=STSv1; id=2'], policy: { url: 'https://mta-sts.good.example/.well-known/mta-sts.txt', fetch: 'not-public' } },
    tlsrpt: { state: 'failed' },
    dnssec: {
      resolverValidates: true, mxAuthenticated: true,
      lookups: [
        { name: 'good.example', type: 'MX', state: 'secure', rcode: 'NOERROR', authenticated: true },
        { name: 'mx1.good.example', type: 'A', state: 'secure', rcode: 'NOERROR', authenticated: true },
        { name: 'mx1.good.example', type: 'AAAA', state: 'bogus', authenticated: false, evidence: 'EDE 6', extendedErrors: ['EDE 6 (DNSSEC Bogus)'] },
        { name: 'mx2.good.example', type: 'A', state: 'insecure', rcode: 'NOERROR', authenticated: false },
      ],
    },
    dane: {
      hosts: [
        { exchange: 'mx1.good.example', tlsaName: '_25._tcp.mx1.good.example', state: 'failed', records: [], daneApplies: false, certificateMatches: null },
        {
          exchange: 'mx2.good.example', tlsaName: '_25._tcp.mx2.good.example', state: 'secure', daneApplies: true,
          records: [{ usage: 1, usageName: 'PKIX-EE', selector: 1, matchingType: 1, data: 'ab', usable: false, role: null }, { usage: 3, usageName: 'DANE-EE', selector: 1, matchingType: 1, data: 'cd', usable: true, role: null }],
          certificateMatches: [{ address: '185.199.109.25', matched: false }],
        },
        { exchange: 'mx3.good.example', tlsaName: '_25._tcp.mx3.good.example', state: 'insecure', records: [], daneApplies: false, certificateMatches: null },
      ],
    },
    ptr: {
      hosts: 'exchanges',
      addresses: [
        { host: 'mx1.good.example', address: '185.199.108.25', family: 4, names: ['other.example'], forwardConfirmed: false },
        { host: 'mx2.good.example', address: '185.199.109.25', family: 4, names: [], forwardConfirmed: false },
        { host: 'mx3.good.example', address: '185.199.110.25', family: 4, names: null, forwardConfirmed: null },
      ],
    },
    smtp: {
      port: 25,
      connectivity: { ipv4: { connected: true }, ipv6: { connected: false, globalAddress: true } },
      probes: [
        { exchange: 'mx.private.example', address: '10.1.2.3', family: 4, probed: false, skipped: 'the address is not globally routable (private, RFC 1918)' },
        {
          exchange: 'mx1.good.example', address: '185.199.108.25', family: 4, probed: true, banner: null, ehlo: null, ehloAfterTls: null, tls: null,
          failure: { phase: 'connect', kind: 'refused', message: 'cannot connect to 185.199.108.25:25: ECONNREFUSED' }, durationMs: 1,
        },
        {
          exchange: 'mx2.good.example', address: '185.199.109.25', family: 4, probed: true, banner: '220 localhost ESMTP', ehlo: ehlo(false), ehloAfterTls: null, tls: null, failure: null, durationMs: 3,
        },
        {
          exchange: 'mx3.good.example', address: '185.199.110.25', family: 4, probed: true, banner: '220 mx3.good.example', ehlo: ehlo(true), ehloAfterTls: ehlo(false),
          tls: {
            protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256', certificateValid: false, certificateError: 'self-signed certificate',
            nameMatches: false, nameError: 'not in altnames', chain: [cert(['mail.example.net'], '2026-12-01T00:00:00.000Z')],
          },
          failure: null, durationMs: 9,
        },
      ],
    },
    dnsbl: {
      zones: ['bl.example', 'empty.example'],
      listings: [
        { host: 'mx1.good.example', address: '185.199.108.25', zone: 'bl.example', state: 'listed', codes: ['127.0.0.2'], reason: 'spam source' },
        { host: 'mx2.good.example', address: '185.199.109.25', zone: 'bl.example', state: 'unknown', codes: ['127.255.255.254'] },
        { host: 'mx3.good.example', address: '185.199.110.25', zone: 'bl.example', state: 'not-listed' },
      ],
    },
  };
  assert.deepEqual(familyLines(broken), [
    '  DMARC policy none (sp), subdomains none (sp), non-existent subdomains quarantine (np), no aggregate reports  (inherited from _dmarc.example)',
    '  DMARC tree walk _dmarc.good.example (no record) → _dmarc.example (record); organizational domain example (the highest record)',
    '  MTA-STS ✗ 2 records: none of them applies; ? policy not fetched: its host has no public address (not contacted without --allow-private)  (https://mta-sts.good.example/.well-known/mta-sts.txt)',
    '  TLS-RPT ? lookup failed',
    '  DNSSEC MX answer authenticated; addresses not authenticated: mx2.good.example; ✗ bogus: mx1.good.example',
    '  DANE mx1.good.example: TLSA answer ? lookup failed  (_25._tcp.mx1.good.example)',
    '  DANE mx2.good.example: TLSA 1 1 1 ab (unusable), 3 1 1 cd, authenticated; ✗ no match at 185.199.109.25  (_25._tcp.mx2.good.example)',
    '  DANE mx3.good.example: no TLSA records  (_25._tcp.mx3.good.example)',
    '  PTR 185.199.108.25 → other.example ✗ no FCrDNS (no name resolves back)  (address of mx1.good.example)',
    '  PTR 185.199.109.25 ✗ no PTR record  (address of mx2.good.example)',
    '  PTR 185.199.110.25 ? lookup failed  (address of mx3.good.example)',
    '  SMTP mx.private.example 10.1.2.3: ? not probed: the address is not globally routable (private, RFC 1918)',
    '  SMTP mx1.good.example 185.199.108.25: ✗ connect: cannot connect to 185.199.108.25:25: ECONNREFUSED',
    '  SMTP mx2.good.example 185.199.109.25: 220 localhost, ✗ no STARTTLS, extensions: PIPELINING',
    '  SMTP mx3.good.example 185.199.110.25: 220 mx3.good.example, STARTTLS, TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256, certificate ✗ invalid (self-signed certificate), ✗ not for mx3.good.example (mail.example.net), expires 2026-12-01, extensions over TLS: PIPELINING',
    '  DNSBL bl.example: ✗ 185.199.108.25 listed (127.0.0.2 "spam source"), ? 185.199.109.25 not known, ✓ 1 other not listed',
    '  DNSBL empty.example: no address to look up',
  ]);
});

test('text: records that are missing, discarded or not looked at; a resolver that does not validate; DANE without the probe', () => {
  const lines = familyLines({
    ...passing, findings: [],
    dmarc: {
      state: 'found', name: '_dmarc.good.example', inherited: false, records: ['v=DMARC1; p=bogus'], policy: null, rua: [], ruf: [],
      walk: [{ name: '_dmarc.good.example', result: 'record' }, { name: '_dmarc.example', result: 'none' }],
      organizationalDomain: { name: 'good.example', how: 'highest-record' },
      effectivePolicy: { domain: { state: 'discarded', name: '_dmarc.good.example' }, subdomains: { state: 'discarded', name: '_dmarc.good.example' }, nonExistentSubdomains: { state: 'discarded', name: '_dmarc.good.example' } },
      discarded: [], reportAuthorizations: [],
    },
    'mta-sts': { state: 'none' },
    tlsrpt: { state: 'skipped' },
    dnssec: { resolverValidates: false, mxAuthenticated: null, lookups: [{ name: 'good.example', type: 'MX', state: 'insecure', rcode: 'NOERROR', authenticated: null }] },
    dane: {
      hosts: [{
        exchange: 'mx1.good.example', tlsaName: '_25._tcp.mx1.good.example', state: 'insecure', daneApplies: null, certificateMatches: null,
        records: [{ usage: 3, usageName: 'DANE-EE', selector: 1, matchingType: 1, data: 'cd', usable: true, role: null }],
      }],
    },
  });
  assert.deepEqual(lines, [
    '  DMARC ✗ the record is discarded by receivers (malformed)  (_dmarc.good.example)',
    '  DMARC tree walk _dmarc.good.example (record) → _dmarc.example (no record); organizational domain good.example (the highest record)',
    '  MTA-STS no record',
    '  DNSSEC ? not known: the resolver does not validate',
    '  DANE mx1.good.example: TLSA 3 1 1 cd, ? authentication not known; certificates not compared (with --checks smtp they are)  (_25._tcp.mx1.good.example)',
  ]);
});

test('text: family lines wrap under their text, the note is dimmed in colour, and --quiet leaves them out', () => {
  const wrapped = renderRun(textReporter({ color: false, quiet: false, width: 60 }), [everything]).split('\n');
  const smtp = wrapped.findIndex((l) => l.startsWith('  SMTP mx1.good.example'));
  assert.ok(wrapped[smtp]!.length <= 60, wrapped[smtp]);
  assert.ok(wrapped[smtp + 1]!.startsWith(' '.repeat(7)) && !wrapped[smtp + 1]!.startsWith(' '.repeat(8)), wrapped[smtp + 1]);
  assert.ok(wrapped.every((l) => l.length <= 60 && !l.endsWith(' ')), 'within the width, no trailing spaces');
  assert.ok(wrapped.includes(`${' '.repeat(7)}(connected to 127.0.0.1:2525)`), 'a note that does not fit goes whole on a line of its own');
  assert.match(renderRun(textReporter({ color: true, quiet: false, width: null }), [everything]), /^ {2}SPF v=spf1 mx -all {2}\x1b\[2m\(1 of 10 DNS lookups\)\x1b\[22m$/m);
  const quiet = renderRun(textReporter({ color: false, quiet: true, width: null }), [{ ...everything, status: 'warn' }]);
  assert.doesNotMatch(quiet, /SPF|DMARC|MTA-STS|TLS-RPT|DNSSEC|DANE|PTR|SMTP|DNSBL/);
});

test('text: 200,000 exchanges are written, not a stack overflow', () => {
  const mx = Array.from({ length: 200_000 }, (_, i) => ({ preference: i % 65536, exchange: `mx${i}.good.example`, addresses: [], cname: [] }));
  const out = textReporter({ color: false, quiet: false, width: null }).result({ ...failing, mx });
  assert.match(out, / MX 3391 mx199999\.good\.example {2}no address$/m);
});

test('SourceLines: the line a location points into, in any of the files, found through each file\'s line starts', () => {
  const big = Array.from({ length: 100_000 }, (_, i) => `h${i} A 192.0.2.1`).join('\n');
  const lines = new SourceLines(new Map([['db.example', 'first\r\nsecond\n\nlast'], ['big.zone', big]]));
  assert.equal(lines.line({ file: 'db.example', line: 1, column: 1 }), 'first', 'the CR of a CRLF line end is not shown');
  assert.equal(lines.line({ file: 'db.example', line: 2, column: 1 }), 'second');
  assert.equal(lines.line({ file: 'db.example', line: 3, column: 1 }), '');
  assert.equal(lines.line({ file: 'db.example', line: 4, column: 1 }), 'last', 'the last line needs no line end');
  assert.equal(lines.line({ file: 'db.example', line: 5, column: 1 }), undefined, 'past the end');
  assert.equal(lines.line({ file: 'other.zone', line: 1, column: 1 }), undefined, 'a file whose text is not at hand');
  assert.equal(lines.line({ file: 'big.zone', line: 99_999, column: 1 }), 'h99998 A 192.0.2.1');
  assert.equal(new SourceLines(undefined).line({ file: 'db.example', line: 1, column: 1 }), undefined);
});
