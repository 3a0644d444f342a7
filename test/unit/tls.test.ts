/**
 * The TLS family without a network: the scan's strategy against modelled servers (elimination, order,
 * groups, bounds, failures), the profiles as data, the grading and the rules on scans made that way,
 * certificates read from the test CA's, DANE-EE making the chain informational, and the option.
 */
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '../../src/core/errors.js';
import { validateOptions } from '../../src/engine/validate-options.js';
import { readChecks } from '../../src/families/index.js';
import type { ScannedAddress, TlsQualityFacts } from '../../src/families/tls/collect.js';
import { gradeAddress } from '../../src/families/tls/grade.js';
import type { Scanned } from '../../src/families/tls/grade.js';
import { levelRank, sizeLevel, tierLevel, TLS_PROFILE_NAMES, tlsProfile, worstLevel } from '../../src/families/tls/profiles.js';
import { tlsRules } from '../../src/families/tls/rules.js';
import { tlsSection } from '../../src/families/tls/section.js';
import { tlsLines } from '../../src/families/tls/text.js';
import { MAX_TLS_HANDSHAKES_PER_ADDRESS, scanTls } from '../../src/smtp/tls-scan.js';
import type { TlsScan } from '../../src/smtp/tls-scan.js';
import { certificateFacts } from '../../src/tls/certificate.js';
import type { CertificateFacts, TlsFacts } from '../../src/tls/certificate.js';
import { certificateProfile } from '../../src/tls/certificate-key.js';
import { CIPHER_SUITES, cipherSuite, suitesOf } from '../../src/tls/cipher-suites.js';
import { canOffer, KEY_EXCHANGE_GROUPS, keyExchangeOf, suiteAvailable } from '../../src/tls/offer.js';
import { e2eGate } from '../support/e2e.js';
import { createTestCa, type TestCa } from '../support/pki.js';
import { simulatedServer } from '../support/simulated-tls.js';
import type { ServerModel } from '../support/simulated-tls.js';

const MODERN_12 = ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'];
const LEGACY_12 = ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256'];
const TLS13 = ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'];

function accepted(scan: TlsScan, version: string): string[] {
  return scan.suites.filter((s) => s.version === version && s.state === 'accepted').map((s) => s.suite);
}

describe('the scan against modelled servers', () => {
  it('each version alone; every suite by elimination, one handshake per accepted suite and one more', async () => {
    const server = simulatedServer({ versions: ['TLSv1.3', 'TLSv1.2'], suites: { 'TLSv1.3': TLS13, 'TLSv1.2': [...MODERN_12, ...LEGACY_12] } });
    const scan = await scanTls(server.handshake);
    assert.equal(scan.stopped, null);
    assert.equal(scan.starttls, true);
    assert.deepEqual(scan.versions.map((v) => [v.version, v.state]), [['TLSv1.3', 'accepted'], ['TLSv1.2', 'accepted'], ['TLSv1.1', 'refused'], ['TLSv1', 'refused']]);
    assert.deepEqual(accepted(scan, 'TLSv1.3').sort(), [...TLS13].sort());
    assert.deepEqual(accepted(scan, 'TLSv1.2').sort(), [...MODERN_12, ...LEGACY_12].sort());
    for (const offer of server.offers) assert.equal(offer.version === 'TLSv1.3' || offer.version === 'TLSv1.2' || offer.suites.length > 10, true);
    // Versions: 4; suites: accepted - 1 (the version handshake found one) + 1 refusal, per version.
    const elimination = server.offers.filter((o) => o.groups === undefined && o.signatureAlgorithms === undefined && o.suites.length > 2);
    assert.equal(elimination.length, 4 + (TLS13.length - 1 + 1) + (MODERN_12.length + LEGACY_12.length - 1 + 1));
    assert.equal(scan.handshakes, server.offers.length);
    assert.ok(scan.suites.filter((s) => s.version === 'TLSv1.2' && s.state === 'refused').length > 20, 'the rest of TLS 1.2 was offered and refused');
  });

  it('never offers what this OpenSSL lacks: such suites are not tested, with the reason, never refused', async () => {
    const server = simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': MODERN_12 } });
    const scan = await scanTls(server.handshake);
    const missing = CIPHER_SUITES.filter((suite) => suite.versions.includes('TLSv1.2') && !suiteAvailable(suite));
    for (const suite of missing) {
      assert.ok(server.offers.every((offer) => !offer.suites.includes(suite)), `${suite.iana} was offered`);
      const trial = scan.suites.find((s) => s.version === 'TLSv1.2' && s.suite === suite.iana)!;
      assert.deepEqual([trial.state, trial.reason], ['not-tested', "this machine's OpenSSL cannot offer it"]);
    }
  });

  it('order: the same suite both ways is the server\'s order; the first offered both ways is the client\'s', async () => {
    const rank = (suite: string): number => (suite.includes('GCM') ? 1 : 0);
    const model: ServerModel = { versions: ['TLSv1.2'], suites: { 'TLSv1.2': [...MODERN_12, ...LEGACY_12] } };
    const follows = await scanTls(simulatedServer(model).handshake, { rank });
    assert.equal(follows.order!.enforced, false);
    assert.equal(rank(follows.order!.offered[0]), 0, 'the lower-rated suite offered first');
    assert.equal(rank(follows.order!.offered[1]), 1);
    const leads = await scanTls(simulatedServer({ ...model, serverOrder: true }).handshake, { rank });
    assert.equal(leads.order!.enforced, true);
    assert.equal(leads.order!.chosen[0], leads.order!.chosen[1], 'the same suite, whichever came first');
    const single = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': [MODERN_12[0]!] } }).handshake);
    assert.equal(single.order, null, 'one suite: no order to test');
  });

  it('groups: every TLS 1.3 group by elimination, the TLS 1.2-only curves with RSA suites, the ones seen counted', async () => {
    const server = simulatedServer({ versions: ['TLSv1.3', 'TLSv1.2'], suites: { 'TLSv1.3': TLS13, 'TLSv1.2': MODERN_12 }, groups: ['x25519', 'secp384r1', 'secp224r1'] });
    const scan = await scanTls(server.handshake);
    const state = (version: string, group: string): string | undefined => scan.groups.find((g) => g.version === version && g.group === group)?.state;
    assert.equal(state('TLSv1.3', 'x25519'), 'accepted');
    assert.equal(state('TLSv1.3', 'secp384r1'), 'accepted');
    assert.equal(state('TLSv1.3', 'secp256r1'), 'refused');
    assert.equal(state('TLSv1.2', 'secp224r1'), 'accepted');
    assert.equal(state('TLSv1.2', 'brainpoolP256r1'), 'refused');
    assert.equal(state('TLSv1.2', 'secp256r1'), undefined, 'curves TLS 1.3 can offer are not tried again at TLS 1.2');
  });

  it('with ECDSA suites only, TLS 1.2 curves are not tested (the curve list binds the certificate), not refused', async () => {
    const ecdsa = ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'];
    const scan = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': ecdsa } }).handshake);
    const curves = scan.groups.filter((g) => g.version === 'TLSv1.2');
    assert.ok(curves.some((g) => g.group === 'x25519' && g.state === 'accepted'), 'the group the suite was negotiated with counts');
    assert.ok(curves.filter((g) => g.state !== 'accepted').every((g) => g.state === 'not-tested' && /RFC 8422/.test(g.reason ?? '')));
  });

  it('SHA-1 handshake signatures: tried with signed suites only', async () => {
    const signs = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': MODERN_12 }, sha1: true }).handshake);
    assert.equal(signs.sha1Signatures.state, 'accepted');
    const refuses = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': MODERN_12 } }).handshake);
    assert.equal(refuses.sha1Signatures.state, 'refused');
    const rsaOnly = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': ['TLS_RSA_WITH_AES_128_GCM_SHA256'] }, sha1: true }).handshake);
    assert.deepEqual(rsaOnly.sha1Signatures, { state: 'not-tested', reason: 'no TLS 1.2 suite with a signed key exchange was accepted' });
  });

  it('no STARTTLS: one connection, nothing else tried, nothing cut short', async () => {
    const server = simulatedServer({ starttls: false, versions: [], suites: {} });
    const scan = await scanTls(server.handshake);
    assert.deepEqual([scan.starttls, scan.handshakes, scan.stopped, scan.versions.length], [false, 1, null, 0]);
  });

  it('the handshake bound: past it nothing is offered and the rest is not tested, saying why', async () => {
    const server = simulatedServer({ versions: ['TLSv1.3', 'TLSv1.2', 'TLSv1'], suites: { 'TLSv1.3': TLS13, 'TLSv1.2': [...MODERN_12, ...LEGACY_12], 'TLSv1': LEGACY_12 } });
    const scan = await scanTls(server.handshake, { maxHandshakes: 6 });
    assert.equal(server.offers.length, 6);
    assert.deepEqual(scan.stopped, { kind: 'budget', limit: 6 });
    assert.ok(scan.suites.some((s) => s.state === 'not-tested' && s.reason === "the scan's limit of 6 handshakes was reached"));
    assert.equal(scan.sha1Signatures.reason, "the scan's limit of 6 handshakes was reached");
    assert.ok(MAX_TLS_HANDSHAKES_PER_ADDRESS >= 140, 'a server accepting every suite fits in the default bound');
  });

  it('a connection failing midway, or the deadline, stops the scan: what it found stands', async () => {
    const failure = { phase: 'banner' as const, kind: 'rejected' as const, message: 'answered "421 too many connections"' };
    const failing = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': MODERN_12 }, failFrom: { handshake: 3, failure } }).handshake);
    assert.deepEqual(failing.stopped, { kind: 'failed', failure });
    // TLS 1.3 refused, TLS 1.2 accepted by the second handshake; the third fails.
    assert.deepEqual(failing.versions.map((v) => v.state), ['refused', 'accepted', 'not-tested', 'not-tested']);
    assert.equal(failing.handshakes, 3);
    const cancelled = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': MODERN_12 }, failFrom: { handshake: 1, failure: { phase: 'connect', kind: 'cancelled', message: 'stopped' } } }).handshake);
    assert.deepEqual([cancelled.stopped?.kind, cancelled.starttls], ['cancelled', null]);
  });

  it('a server answering with a suite it was not offered ends that elimination, leaving the rest untested', async () => {
    let calls = 0;
    const scan = await scanTls(async (offer) => {
      calls++;
      if (offer.version !== 'TLSv1.2') return { state: 'refused', reason: 'protocol version' };
      const suite = calls <= 2 ? offer.suites[0]!.iana : 'TLS_NOT_OFFERED';
      return { state: 'accepted', negotiated: { protocol: 'TLSv1.2', suite, keyExchange: null, certificates: simulatedCertificates(), ocspStapled: null } };
    });
    const pending = scan.suites.filter((s) => s.version === 'TLSv1.2' && s.state === 'not-tested' && /was not offered/.test(s.reason ?? ''));
    assert.ok(pending.length > 0);
    assert.ok(!scan.suites.some((s) => s.state === 'refused'));
  });
});

function simulatedCertificates(): TlsFacts {
  return { protocol: 'TLSv1.2', cipher: '', chain: [], trust: { verified: false, code: 'NONE', reason: 'none' }, name: { matches: false, reason: 'none' } };
}

describe('what this OpenSSL can offer', () => {
  it('TLS 1.3 suites and groups by themselves; the old curves only in TLS 1.2; no RC4 in OpenSSL 3', async () => {
    assert.ok(suitesOf('TLSv1.3').filter(suiteAvailable).length >= 3);
    const group = (name: string) => KEY_EXCHANGE_GROUPS.find((g) => g.name === name)!;
    assert.equal(await canOffer({ version: 'TLSv1.3', suites: suitesOf('TLSv1.3'), groups: [group('x25519')] }), true);
    assert.equal(await canOffer({ version: 'TLSv1.3', suites: suitesOf('TLSv1.3'), groups: [group('secp224r1')] }), false);
    assert.equal(await canOffer({ version: 'TLSv1.2', suites: suitesOf('TLSv1.2').filter(suiteAvailable), groups: [group('secp224r1')] }), true);
    assert.equal(await canOffer({ version: 'TLSv1', suites: suitesOf('TLSv1').filter(suiteAvailable) }), true, 'TLS 1.0 at security level 0');
  });

  it('key exchanges read as IANA names', () => {
    assert.deepEqual(keyExchangeOf({ type: 'ECDH', name: 'prime256v1', size: 256 }, 'TLSv1.2'), { kind: 'ecdhe', group: 'secp256r1', size: 256 });
    assert.deepEqual(keyExchangeOf({ type: 'DH', size: 3072 }, 'TLSv1.3'), { kind: 'dhe', group: 'ffdhe3072', size: 3072 });
    assert.deepEqual(keyExchangeOf({ type: 'DH', size: 1024 }, 'TLSv1.2'), { kind: 'dhe', group: null, size: 1024 });
    assert.equal(keyExchangeOf({}, 'TLSv1.2'), null);
  });
});

describe('the profiles', () => {
  it('name only suites and groups the scan knows, and rate by level', () => {
    const groupNames = new Set(KEY_EXCHANGE_GROUPS.map((g) => g.name));
    for (const name of TLS_PROFILE_NAMES) {
      const profile = tlsProfile(name);
      for (const suite of [...profile.suites.good ?? [], ...profile.suites.sufficient ?? [], ...profile.suites.phaseOut ?? []]) {
        // NCSC lists a few suites OpenSSL never had; every other must be in the scan's list.
        if (!suite.includes('CAMELLIA_256_GCM') && !suite.includes('CAMELLIA_128_GCM') && !suite.includes('ARIA_') && !suite.includes('CAMELLIA_256_CBC_SHA384') && !suite.includes('CAMELLIA_128_CBC_SHA256')) {
          assert.ok(cipherSuite(suite), `${name} names ${suite}, which the scan does not know`);
        }
      }
      for (const group of [...profile.groups.good ?? [], ...profile.groups.phaseOut ?? []]) assert.ok(groupNames.has(group), `${name}: ${group}`);
    }
    const intermediate = tlsProfile('intermediate');
    assert.equal(tierLevel(intermediate.versions, 'TLSv1.2'), 'good');
    assert.equal(tierLevel(intermediate.versions, 'TLSv1'), 'phase-out');
    assert.equal(tierLevel(tlsProfile('ncsc').versions, 'TLSv1'), 'insufficient');
    assert.equal(tierLevel(tlsProfile('modern').versions, 'TLSv1.2'), 'phase-out');
    assert.equal(tierLevel(intermediate.suites, 'TLS_RSA_WITH_AES_128_CBC_SHA'), 'phase-out', 'in "old"');
    assert.equal(tierLevel(intermediate.suites, 'TLS_DH_anon_WITH_AES_128_GCM_SHA256'), 'insufficient');
    // Strong suites and groups Mozilla does not list are outside the profile, not weak; CCM_8 stays weak.
    assert.equal(tierLevel(intermediate.suites, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM'), 'phase-out');
    assert.equal(tierLevel(intermediate.suites, 'TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384'), 'phase-out');
    assert.equal(tierLevel(intermediate.suites, 'TLS_AES_128_CCM_SHA256'), 'phase-out');
    assert.equal(tierLevel(intermediate.suites, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'), 'insufficient');
    assert.equal(tierLevel(intermediate.suites, 'TLS_DHE_DSS_WITH_AES_128_GCM_SHA256'), 'insufficient');
    assert.equal(tierLevel(intermediate.groups, 'ffdhe2048'), 'good', "intermediate's DH size");
    assert.equal(tierLevel(tlsProfile('modern').groups, 'ffdhe2048'), 'phase-out');
    assert.equal(tierLevel(intermediate.groups, 'secp521r1'), 'phase-out');
    assert.equal(sizeLevel(tlsProfile('ncsc').rsaBits, 2048), 'phase-out');
    assert.equal(sizeLevel(tlsProfile('ncsc').rsaBits, 4096), 'good');
    assert.equal(sizeLevel(intermediate.rsaBits, 1024), 'insufficient');
    assert.equal(worstLevel(['good', 'phase-out', 'sufficient']), 'phase-out');
    assert.equal(worstLevel([]), null);
    assert.ok(levelRank('good') > levelRank('insufficient'));
  });

  it('--tls-profile takes the three names; --checks all leaves tls out until named', () => {
    assert.equal(validateOptions({ tlsProfile: 'ncsc' }).tlsProfile, 'ncsc');
    assert.throws(() => validateOptions({ tlsProfile: 'old' }), (error: Error) => error instanceof OptionError && /tlsProfile must be one of modern, intermediate, ncsc, not "old"/.test(error.message));
    assert.ok(!readChecks('all', '--checks').includes('tls'));
    assert.ok(readChecks('all,tls', '--checks').includes('tls'));
    assert.deepEqual(readChecks('tls', '--checks'), ['tls']);
  });
});

/** Facts of one address scanned by a modelled server, as the family's collector makes them. */
function facts(scan: TlsScan, profile: 'modern' | 'intermediate' | 'ncsc', daneEe: boolean[] = []): TlsQualityFacts {
  const address: ScannedAddress = {
    exchange: 'mx.example.test', address: '192.0.2.25', family: 4, state: 'scanned',
    target: { host: '192.0.2.25', port: 25 }, scan, daneEe: daneEe.length > 0 ? daneEe : scan.chains.map(() => false),
  };
  return { profile: tlsProfile(profile), port: 25, addresses: [address], unresolved: [] };
}

function run(input: TlsQualityFacts): string[] {
  return tlsRules.flatMap((rule) => rule.check(input)).map((f) => `${f.rule} ${f.messageId} ${f.severity}`).sort();
}

describe('grades and rules on modelled scans', () => {
  it('a legacy server: each weakness its rule, informational where the profile says phase out', async () => {
    const scan = await scanTls(simulatedServer({ versions: ['TLSv1.2', 'TLSv1'], suites: { 'TLSv1.2': [...MODERN_12, ...LEGACY_12], 'TLSv1': LEGACY_12.slice(0, 2) }, sha1: true }).handshake,
      { rank: (suite) => levelRank(tierLevel(tlsProfile('ncsc').suites, suite)) });
    assert.deepEqual(run(facts(scan, 'intermediate')), [
      'tls-cipher-weak weak info', 'tls-key-exchange-weak dhe info', 'tls-key-exchange-weak sha1 warning', 'tls-protocol-weak weak info',
    ]);
    const ncsc = run(facts(scan, 'ncsc'));
    assert.ok(ncsc.includes('tls-protocol-weak weak warning'));
    assert.ok(ncsc.includes('tls-order-not-enforced notEnforced warning'));
    assert.ok(ncsc.includes('tls-key-exchange-weak dhe warning'));
    const graded = gradeAddress(tlsProfile('ncsc'), facts(scan, 'ncsc').addresses[0] as Scanned);
    assert.equal(graded.grade, 'insufficient');
    assert.equal(graded.order?.kind, 'not-enforced');
  });

  it('a modern server: no findings under any profile but modern\'s view of TLS 1.2', async () => {
    const scan = await scanTls(simulatedServer({ versions: ['TLSv1.3', 'TLSv1.2'], suites: { 'TLSv1.3': TLS13, 'TLSv1.2': MODERN_12 }, serverOrder: true }).handshake);
    assert.deepEqual(run(facts(scan, 'intermediate')), []);
    assert.deepEqual(run(facts(scan, 'ncsc')), []);
    assert.deepEqual(run(facts(scan, 'modern')), ['tls-cipher-weak weak info', 'tls-protocol-weak weak info']);
  });

  it('no STARTTLS and a scan cut short: tls-unavailable, tls-scan-incomplete naming what was not tested', async () => {
    const none = await scanTls(simulatedServer({ starttls: false, versions: [], suites: {} }).handshake);
    assert.deepEqual(run(facts(none, 'intermediate')), ['tls-unavailable noStarttls warning']);
    const cut = await scanTls(simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': MODERN_12 } }).handshake, { maxHandshakes: 2 });
    const findings = tlsRules.flatMap((rule) => rule.check(facts(cut, 'intermediate')));
    const incomplete = findings.find((f) => f.rule === 'tls-scan-incomplete')!;
    assert.equal(incomplete.severity, 'unknown');
    assert.match(incomplete.message, /stopped after 2 handshakes: the scan's limit of 2 handshakes was reached\. What it found stands; TLS 1\.1, TLS 1\.0 were and \d+ cipher suites were not tested/);
  });

  it('the section keeps every trial, the text line sums it up', async () => {
    const scan = await scanTls(simulatedServer({ versions: ['TLSv1.3', 'TLSv1.2'], suites: { 'TLSv1.3': TLS13, 'TLSv1.2': [...MODERN_12, ...LEGACY_12] } }).handshake);
    const section = tlsSection(facts(scan, 'intermediate'));
    const address = section.addresses[0]!;
    assert.ok(address.scanned);
    assert.equal(address.grade, 'phase-out');
    assert.equal(address.suites.length, scan.suites.length);
    assert.ok(address.suites.filter((s) => s.state === 'accepted').every((s) => s.level !== undefined));
    assert.ok(address.suites.filter((s) => s.state !== 'accepted').every((s) => s.level === undefined));
    const [line] = tlsLines(section);
    assert.equal(line!.label, 'TLS');
    assert.match(line!.text, /^mx\.example\.test 192\.0\.2\.25: phase out \(intermediate\); TLS 1\.3, TLS 1\.2; 8 cipher suites: 6 good, 2 phase out; server order: no; groups x25519, secp256r1; no OCSP staple; \d+ handshakes$/);
  });
});

describe('certificates', { skip: e2eGate('openssl').skip }, () => {
  let dir: string;
  let ca: TestCa;
  let intermediate: TestCa;
  const chainFacts = (...pems: string[]): CertificateFacts[] => pems.map((pem) => certificateFacts(new X509Certificate(pem).raw));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-tls-unit-'));
    ca = await createTestCa(join(dir, 'ca'));
    intermediate = await createTestCa(join(dir, 'intermediate'), { parent: ca });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('key type and size, signature algorithm, self-signed, OCSP responder', async () => {
    const weak = await ca.issue({ names: ['mx.example.test'], keyType: 'rsa', rsaBits: 1024, digest: 'sha1', ocspUrl: 'http://ocsp.example.test/' });
    assert.deepEqual(certificateProfile(new X509Certificate(weak.certPem).raw), {
      keyType: 'rsa', keyBits: 1024, curve: null, signatureAlgorithm: 'ecdsa-with-SHA1', selfSigned: false, ocspResponder: true,
    });
    const leaf = await intermediate.issue({ names: ['mx.example.test'] });
    assert.deepEqual(certificateProfile(new X509Certificate(leaf.certPem).raw), {
      keyType: 'ec', keyBits: 256, curve: 'secp256r1', signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: false, ocspResponder: false,
    });
    assert.equal(certificateProfile(new X509Certificate(ca.caCertPem).raw).selfSigned, true);
    assert.equal(certificateProfile(new X509Certificate(intermediate.caCertPem).raw).selfSigned, false);
  });

  it('a chain missing its intermediate is tls-chain-incomplete; where DANE-EE matches, informational, and signatures are not graded', async () => {
    const leaf = await intermediate.issue({ names: ['mx.example.test'], digest: 'sha1' });
    const certificates: TlsFacts = {
      protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', chain: chainFacts(leaf.certPem),
      trust: { verified: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', reason: 'unable to verify the first certificate' }, name: { matches: true },
    };
    const scan = await scanTls(simulatedServer({ versions: ['TLSv1.3'], suites: { 'TLSv1.3': TLS13 }, certificates }).handshake);
    assert.deepEqual(run(facts(scan, 'intermediate')), ['tls-chain-incomplete incomplete warning', 'tls-signature-weak weak warning']);
    assert.match(tlsRules.flatMap((r) => r.check(facts(scan, 'intermediate'))).find((f) => f.rule === 'tls-chain-incomplete')!.message, /"CN=mxlint test intermediate CA", which issued the last one sent, is missing/);
    const dane = facts(scan, 'intermediate', [true]);
    assert.deepEqual(run(dane), ['tls-chain-incomplete daneEe info']);
    const section = tlsSection(dane);
    const address = section.addresses[0]!;
    assert.ok(address.scanned);
    assert.equal(address.chains[0]!.daneEe, true);
    assert.equal(address.chains[0]!.certificates[0]!.signatureLevel, undefined);
    assert.equal(address.chains[0]!.certificates[0]!.keyLevel, 'good');
  });

  it('an untrusted self-signed root is not an incomplete chain; a sent root\'s key and signature are not graded', async () => {
    const leaf = await ca.issue({ names: ['mx.example.test'] });
    const certificates: TlsFacts = {
      protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', chain: chainFacts(leaf.certPem, ca.caCertPem),
      trust: { verified: false, code: 'SELF_SIGNED_CERT_IN_CHAIN', reason: 'self-signed certificate in certificate chain' }, name: { matches: true },
    };
    const scan = await scanTls(simulatedServer({ versions: ['TLSv1.3'], suites: { 'TLSv1.3': TLS13 }, certificates }).handshake);
    assert.deepEqual(run(facts(scan, 'intermediate')), []);
    const graded = gradeAddress(tlsProfile('intermediate'), facts(scan, 'intermediate').addresses[0] as Scanned);
    assert.deepEqual(graded.certificates.map((c) => [c.position, c.keyLevel, c.signatureLevel]), [[0, 'good', 'good'], [1, null, null]]);
  });
});

test('the scan never offers a suite twice in one hello, nor one of another version', async () => {
  const server = simulatedServer({ versions: ['TLSv1.3', 'TLSv1.2', 'TLSv1.1', 'TLSv1'], suites: { 'TLSv1.3': TLS13, 'TLSv1.2': MODERN_12, 'TLSv1.1': LEGACY_12, 'TLSv1': LEGACY_12 } });
  await scanTls(server.handshake);
  for (const offer of server.offers) {
    assert.equal(new Set(offer.suites).size, offer.suites.length);
    assert.ok(offer.suites.every((suite) => suite.versions.includes(offer.version)), `${offer.version}: ${offer.suites.map((s) => s.iana).join(', ')}`);
  }
});
