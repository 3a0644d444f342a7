/**
 * DNSSEC and DANE end to end: the built CLI through a validating Unbound (127.0.5.53) in front of a
 * hierarchy signed at test start — root, test., a signed zone with good, mismatching, unusable and
 * bogus records, rollover schemes good and bad, a zone whose DS is broken, an unsigned zone — with
 * TLSA records matched against the real certificate of a Postfix on 127.0.5.40 (and one without
 * STARTTLS on 127.0.5.41), and against certificates about to be installed (--cert). A second Unbound
 * without a trust anchor (127.0.5.54) is the resolver that does not validate.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { e2eGate, runCli, type CliResult } from '../support/e2e.js';
import { startHierarchy, type Hierarchy } from '../support/hierarchy.js';
import { startUnbound, type UnboundServer } from '../support/unbound.js';
import { startPostfix, type PostfixServer } from '../support/postfix.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/pki.js';

const gate = [e2eGate('nsd'), e2eGate('unbound'), e2eGate('dnssec-signzone'), e2eGate('postfix'), e2eGate('openssl')]
  .find((g) => g.skip !== false) ?? { skip: false as const };

const MX_ADDRESS = '127.0.5.40';
const PLAIN_ADDRESS = '127.0.5.41';
/** A SHA-256 no certificate here has. */
const OTHER_DIGEST = 'ab'.repeat(32);

/** Mail domains in signed.test, each with its exchange at mx.NAME and that exchange's TLSA records. */
function signedZone(leaf: IssuedCertificate, ca: TestCa, next: IssuedCertificate, other: TestCa): string {
  const domain = (name: string, address: string, tlsa: string[]): string => [
    `${name} MX 10 mx.${name}`,
    `mx.${name} A ${address}`,
    ...tlsa.map((record) => `_25._tcp.mx.${name} TLSA ${record}`),
  ].join('\n');
  return [
    domain('good', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`]),
    domain('ee-cert', MX_ADDRESS, [`3 0 1 ${leaf.certSha256}`]),
    domain('ee-512', MX_ADDRESS, [`3 1 2 ${leaf.spkiSha512}`]),
    domain('ta', MX_ADDRESS, [`2 0 1 ${ca.caCertSha256}`]),
    domain('rollover', MX_ADDRESS, [`3 1 1 ${OTHER_DIGEST}`, `3 1 1 ${leaf.spkiSha256}`]),
    domain('mismatch', MX_ADDRESS, [`3 1 1 ${OTHER_DIGEST}`]),
    domain('unusable', MX_ADDRESS, [`1 1 1 ${leaf.spkiSha256}`]),
    domain('notls', PLAIN_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`]),
    domain('bogus', MX_ADDRESS, []),
    domain('badtlsa', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`]),
    domain('notlsa', MX_ADDRESS, []),
    // Rollover schemes: current + next key, current + the real issuer, and what is none.
    domain('next', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`, `3 1 1 ${next.spkiSha256}`]),
    domain('issuer', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`, `2 1 1 ${ca.caSpkiSha256}`]),
    domain('otherca', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`, `2 1 1 ${other.caSpkiSha256}`]),
    domain('dupes', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`, `3 0 1 ${leaf.certSha256}`, `3 1 2 ${leaf.spkiSha512}`]),
    domain('agility', MX_ADDRESS, [`3 1 1 ${leaf.spkiSha256}`, `3 1 2 ${next.spkiSha512}`]),
    domain('pkixta', MX_ADDRESS, [`0 0 1 ${ca.caCertSha256}`, `3 1 1 ${leaf.spkiSha256}`, `3 1 1 ${next.spkiSha256}`]),
  ].join('\n');
}

const DOMAINS = ['good', 'ee-cert', 'ee-512', 'ta', 'rollover', 'mismatch', 'unusable', 'notls', 'bogus', 'badtlsa', 'notlsa',
  'next', 'issuer', 'otherca', 'dupes', 'agility', 'pkixta'];

let hierarchy: Hierarchy;
let plainResolver: UnboundServer;
let pkiDir: string;
let ca: TestCa;
/** A certificate with a new key from the same CA: the next one, about to be installed. */
let next: IssuedCertificate;
const postfixes: PostfixServer[] = [];

async function mxlint(server: string, checks: string, domains: string[]): Promise<{ run: CliResult; results: DomainResult[] }> {
  const run = await runCli(['--server', server, '--timeout', '3000', '--checks', checks, '--allow-private', '--ca', ca.caCertPath,
    '--smtp-timeout', '3000', '--format', 'json', ...domains]);
  assert.equal(run.stderr, '', run.stderr);
  return { run, results: JSON.parse(run.stdout) as DomainResult[] };
}

async function check(checks: string, domain: string): Promise<DomainResult> {
  return (await mxlint(hierarchy.resolver!.server, checks, [domain])).results[0]!;
}

function rules(result: DomainResult): string[] {
  return [...new Set(result.findings.map((f) => f.rule))].sort();
}

function section<T>(result: DomainResult, name: 'dnssec' | 'dane'): T {
  return (result as unknown as Record<string, T>)[name]!;
}

interface DnssecSection {
  resolverValidates: boolean | null;
  mxAuthenticated: boolean | null;
  lookups: { name: string; type: string; state: string }[];
}
interface DaneSection {
  hosts: {
    exchange: string; state: string; daneApplies: boolean | null; records: { usable: boolean; role: string | null }[];
    certificateMatches: { address: string; matched: boolean | null; by?: string }[] | null;
    rollover?: string | null; newCertificate?: { matched: boolean; by?: string };
  }[];
}

describe('DNSSEC and DANE through a validating Unbound', { skip: gate.skip }, () => {
  before(async () => {
    pkiDir = mkdtempSync(join(tmpdir(), 'mxlint-dane-pki-'));
    ca = await createTestCa(join(pkiDir, 'ca'));
    const other = await createTestCa(join(pkiDir, 'other'));
    const names = [...DOMAINS.map((n) => `mx.${n}.signed.test`), 'mx.unsigned.test', 'mx.brokends.test'];
    const leaf = await ca.issue({ names });
    next = await ca.issue({ names });
    hierarchy = await startHierarchy({
      zones: [
        { name: '.', address: '127.0.5.2' },
        { name: 'test.', address: '127.0.5.3' },
        { name: 'signed.test.', address: '127.0.5.4', text: signedZone(leaf, ca, next, other) },
        { name: 'brokends.test.', address: '127.0.5.5', text: `@ MX 10 mx\nmx A ${MX_ADDRESS}` },
        { name: 'unsigned.test.', address: '127.0.5.6', text: `@ MX 10 mx\nmx A ${MX_ADDRESS}\n_25._tcp.mx TLSA 3 1 1 ${leaf.spkiSha256}` },
      ],
      dnssec: {
        sign: ['.', 'test.', 'signed.test.', 'brokends.test.'],
        bogus: ['bogus.signed.test.', '_25._tcp.mx.badtlsa.signed.test.'],
        brokenDs: ['brokends.test.'],
      },
      resolver: { address: '127.0.5.53' },
    });
    // Recursing from the same root without a trust anchor: answers, but never validates.
    plainResolver = await startUnbound({ address: '127.0.5.54', rootHints: ['127.0.5.2'] });
    postfixes.push(
      await startPostfix({ addresses: [MX_ADDRESS], port: 25, myhostname: 'mx.good.signed.test', tls: { keyPath: leaf.keyPath, certPath: leaf.chainPath } }),
      await startPostfix({ addresses: [PLAIN_ADDRESS], port: 25, myhostname: 'mx.notls.signed.test', tls: null }),
    );
  });

  after(async () => {
    await Promise.all([...postfixes.map((p) => p.stop()), plainResolver?.stop(), hierarchy?.stop()]);
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  it('a signed domain: MX and addresses authenticated, no DNSSEC finding', async () => {
    const result = await check('dnssec', 'good.signed.test');
    assert.deepEqual(rules(result), [], JSON.stringify(result.findings));
    const dnssec = section<DnssecSection>(result, 'dnssec');
    assert.equal(dnssec.resolverValidates, true);
    assert.equal(dnssec.mxAuthenticated, true);
    assert.deepEqual(dnssec.lookups.map((l) => `${l.type} ${l.name} ${l.state}`), [
      'MX good.signed.test secure', 'A mx.good.signed.test secure', 'AAAA mx.good.signed.test secure',
    ]);
  });

  it('a bad signature on the MX: dnssec-bogus with EDE 6 (DNSSEC Bogus), the domain fails', async () => {
    const result = await check('mx,dnssec', 'bogus.signed.test');
    assert.equal(result.status, 'fail');
    const bogus = result.findings.filter((f) => f.rule === 'dnssec-bogus');
    assert.equal(bogus.length, 1);
    assert.match(bogus[0]!.message, /MX answer for bogus\.signed\.test.*EDE 6 \(DNSSEC Bogus\)/);
    // The plain lookup fails too (a validating resolver gives SERVFAIL to everyone): unknown, never "missing".
    assert.ok(result.findings.some((f) => f.rule === 'dns-lookup-failed'));
  });

  it('a DS for a key that does not sign the zone: dnssec-bogus, with the EDE Unbound gives for it', async () => {
    const result = await check('dnssec', 'brokends.test');
    assert.deepEqual(rules(result), ['dnssec-bogus']);
    assert.match(result.findings[0]!.message, /EDE (9 \(DNSKEY Missing\)|6 \(DNSSEC Bogus\))|checking disabled/);
  });

  it('an unsigned zone: dnssec-unsigned (info), not authenticated; its TLSA records are dane-tlsa-insecure', async () => {
    const result = await check('dnssec,dane', 'unsigned.test');
    assert.deepEqual(rules(result), ['dane-tlsa-insecure', 'dnssec-unsigned']);
    assert.equal(section<DnssecSection>(result, 'dnssec').mxAuthenticated, false);
    assert.match(result.findings.find((f) => f.rule === 'dane-tlsa-insecure')!.message, /MX answer for unsigned\.test.*not DNSSEC-authenticated/);
    assert.equal(section<DaneSection>(result, 'dane').hosts[0]!.daneApplies, false);
  });

  it('a resolver that does not validate is reported as such, not as "unsigned", and DANE is not judged', async () => {
    const { results } = await mxlint(plainResolver.server, 'dnssec,dane', ['good.signed.test']);
    const result = results[0]!;
    assert.equal(result.status, 'unknown');
    assert.deepEqual(rules(result), ['dane-not-validated', 'dnssec-not-validated']);
    assert.match(result.findings.find((f) => f.rule === 'dnssec-not-validated')!.message, /not even for the root zone/);
    assert.equal(section<DnssecSection>(result, 'dnssec').resolverValidates, false);
    assert.equal(section<DnssecSection>(result, 'dnssec').mxAuthenticated, null);
  });

  // A single record (or one DANE-TA record) matches, but nothing stands ready for the next key: informational.
  for (const [domain, by, rollover] of [
    ['good.signed.test', /DANE-EE/, null], ['ee-cert.signed.test', /DANE-EE/, null], ['ee-512.signed.test', /DANE-EE/, null],
    ['ta.signed.test', /issuer "CN=mxlint test CA" \(DANE-TA\)/, null], ['rollover.signed.test', /DANE-EE/, 'current+next'],
  ] as const) {
    it(`${domain}: a TLSA record matches Postfix's real certificate, no finding but the rollover scheme's`, async () => {
      const result = await check('dane,smtp', domain);
      assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch'), rollover === null ? ['dane-no-rollover-scheme'] : [], JSON.stringify(result.findings));
      const host = section<DaneSection>(result, 'dane').hosts[0]!;
      assert.equal(host.daneApplies, true);
      assert.equal(host.certificateMatches![0]!.matched, true);
      assert.match(host.certificateMatches![0]!.by!, by);
      assert.equal(host.rollover, rollover);
    });
  }

  it('current + next key (the next matching nothing yet) and 3 1 1 beside the real issuer\'s 2 1 1 are rollover schemes: no finding', async () => {
    for (const [domain, scheme, roles] of [
      ['next.signed.test', 'current+next', ['current', 'next-key']], ['issuer.signed.test', 'current+issuer', ['current', 'current']],
    ] as const) {
      const result = await check('dane,smtp', domain);
      assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch'), [], `${domain}: ${JSON.stringify(result.findings)}`);
      const host = section<DaneSection>(result, 'dane').hosts[0]!;
      assert.equal(host.rollover, scheme);
      // An RRset comes in any order.
      assert.deepEqual(host.records.map((r) => r.role).sort(), [...roles].sort());
    }
  });

  it('an unrelated CA\'s 2 1 1, or the same key three times, is no rollover: dane-no-rollover-scheme (info) saying which', async () => {
    const otherCa = await check('dane,smtp', 'otherca.signed.test');
    assert.equal(otherCa.status, 'pass');
    const finding = otherCa.findings.find((f) => f.rule === 'dane-no-rollover-scheme')!;
    assert.equal(finding.messageId, 'otherIssuer');
    assert.equal(finding.severity, 'info');
    assert.deepEqual(section<DaneSection>(otherCa, 'dane').hosts[0]!.records.map((r) => r.role).sort(), ['current', 'other-issuer']);
    const dupes = await check('dane,smtp', 'dupes.signed.test');
    assert.equal(dupes.findings.find((f) => f.rule === 'dane-no-rollover-scheme')?.messageId, 'sameCertificate');
  });

  it('a matching 3 1 1 beside a stale 3 1 2: senders with digest agility see no match (dane-tlsa-digest-agility), though no mismatch', async () => {
    const result = await check('dane,smtp', 'agility.signed.test');
    assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch' && r !== 'dane-no-rollover-scheme'), ['dane-tlsa-digest-agility']);
    assert.equal(result.status, 'warn');
  });

  it('a PKIX-TA (usage 0) record beside a working pair is flagged as not used by SMTP DANE', async () => {
    const result = await check('dane,smtp', 'pkixta.signed.test');
    assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch'), ['dane-tlsa-unusable']);
    assert.match(result.findings.find((f) => f.rule === 'dane-tlsa-unusable')!.message, /usage 0 \(PKIX-TA\) is not used by SMTP DANE/);
  });

  it('--cert: a new key the records do not describe is dane-new-cert-mismatch with the record to publish; one they do is fine', async () => {
    const run = await runCli(['--server', hierarchy.resolver!.server, '--checks', 'dane', '--cert', next.certPath, '--format', 'json', 'good.signed.test', 'next.signed.test']);
    assert.equal(run.stderr, '', run.stderr);
    const [good, ready] = JSON.parse(run.stdout) as DomainResult[];
    assert.equal(good!.status, 'fail');
    const finding = good!.findings.find((f) => f.rule === 'dane-new-cert-mismatch')!;
    assert.equal(finding.fix, `publish "_25._tcp.mx.good.signed.test. IN TLSA 3 1 1 ${next.spkiSha256}" beside the current records, wait two TTLs, then install the certificate`);
    assert.deepEqual(section<DaneSection>(good!, 'dane').hosts[0]!.newCertificate, { matched: false });
    assert.deepEqual(rules(ready!), []);
    assert.deepEqual(section<DaneSection>(ready!, 'dane').hosts[0]!.newCertificate, { matched: true, by: 'the server certificate (DANE-EE)' });
  });

  it('--cert against DANE-TA records: the new certificate matches through the chain in the file, not without it', async () => {
    const withChain = await runCli(['--server', hierarchy.resolver!.server, '--checks', 'dane', '--cert', next.chainPath, '--format', 'json', 'ta.signed.test']);
    const [matched] = JSON.parse(withChain.stdout) as DomainResult[];
    assert.deepEqual(rules(matched!), []);
    assert.match(section<DaneSection>(matched!, 'dane').hosts[0]!.newCertificate!.by!, /DANE-TA/);
    const leafOnly = await runCli(['--server', hierarchy.resolver!.server, '--checks', 'dane', '--cert', next.certPath, '--format', 'json', 'ta.signed.test']);
    const [unmatched] = JSON.parse(leafOnly.stdout) as DomainResult[];
    assert.equal(unmatched!.findings.find((f) => f.rule === 'dane-new-cert-mismatch')?.messageId, 'noChain');
  });

  it('no TLSA record matches the presented certificate: dane-tlsa-mismatch naming the certificate', async () => {
    const result = await check('dane,smtp', 'mismatch.signed.test');
    assert.equal(result.status, 'fail');
    const mismatch = result.findings.filter((f) => f.rule === 'dane-tlsa-mismatch');
    assert.equal(mismatch.length, 1);
    assert.match(mismatch[0]!.message, /3 1 1 abababab.*mx\.mismatch\.signed\.test \(127\.0\.5\.40\).*SPKI SHA-256 [0-9a-f]{64}/);
    assert.equal(section<DaneSection>(result, 'dane').hosts[0]!.certificateMatches![0]!.matched, false);
  });

  it('without --checks smtp the certificate is not compared (and nothing connects)', async () => {
    const result = await check('dane', 'mismatch.signed.test');
    assert.deepEqual(rules(result), []);
    assert.equal(section<DaneSection>(result, 'dane').hosts[0]!.certificateMatches, null);
  });

  it('TLSA records but no STARTTLS: dane-tlsa-mismatch beside smtp-starttls-missing', async () => {
    const result = await check('dane,smtp', 'notls.signed.test');
    assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch'), ['dane-tlsa-mismatch', 'smtp-starttls-missing']);
    assert.match(result.findings.find((f) => f.rule === 'dane-tlsa-mismatch')!.message, /offers no STARTTLS/);
  });

  it('a PKIX-EE (usage 1) record: dane-tlsa-unusable, and no mismatch since nothing usable is published', async () => {
    const result = await check('dane,smtp', 'unusable.signed.test');
    assert.deepEqual(rules(result).filter((r) => r !== 'smtp-banner-name-mismatch'), ['dane-tlsa-unusable']);
    assert.match(result.findings[0]!.message, /usage 1 \(PKIX-EE\).*None is usable/);
  });

  it('a TLSA RRset with a bad signature: dane-tlsa-bogus', async () => {
    const result = await check('dane', 'badtlsa.signed.test');
    assert.deepEqual(rules(result), ['dane-tlsa-bogus']);
    assert.equal(section<DaneSection>(result, 'dane').hosts[0]!.state, 'bogus');
  });

  it('a signed zone without TLSA records: DANE does not apply, nothing to report', async () => {
    const result = await check('dane,dnssec', 'notlsa.signed.test');
    assert.deepEqual(rules(result), []);
    assert.equal(section<DaneSection>(result, 'dane').hosts[0]!.daneApplies, false);
  });
});
