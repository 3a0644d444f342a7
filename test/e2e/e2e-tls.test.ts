/**
 * The TLS family end to end: the built CLI with --checks tls against real Postfix instances on
 * 127.0.7.x configured three ways — TLS 1.3 only; TLS 1.0–1.2 with every suite OpenSSL has
 * (tls_low_cipherlist = ALL:@SECLEVEL=0), a 1024-bit DH prime and a 1024-bit RSA certificate signed
 * with SHA-1; no STARTTLS — plus a chain without its intermediate, and an in-process server for what
 * Postfix cannot do (a stapled OCSP response). DNS comes from a real NSD; every address is loopback.
 * Then DANE-EE (RFC 7672 §3.1.1) through a signed hierarchy behind a validating Unbound: where an
 * authenticated 3 1 1 record matches, the chain and the certificate's signature are informational.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import type { TlsAddressSection } from '../../src/families/tls/section.js';
import { e2eGate, runCli, type CliResult } from '../support/e2e.js';
import { runTool } from '../support/daemon.js';
import { startHierarchy, type Hierarchy } from '../support/hierarchy.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { startPostfix, type PostfixServer } from '../support/postfix.js';
import { createTestCa, type TestCa } from '../support/pki.js';
import { startStarttlsServer, type StarttlsServer } from '../support/starttls-server.js';

const gate = [e2eGate('postfix'), e2eGate('nsd'), e2eGate('openssl')].find((g) => g.skip !== false) ?? { skip: false as const };
const daneGate = [gate, e2eGate('unbound'), e2eGate('dnssec-signzone')].find((g) => g.skip !== false) ?? { skip: false as const };

const ZONE = `
$ORIGIN tls.test.
$TTL 300
@              SOA  ns1 hostmaster 1 3600 600 86400 300
@              NS   ns1
ns1            A    127.0.7.53
modern         MX   10 mx.modern
mx.modern      A    127.0.7.10
weak           MX   10 mx.weak
mx.weak        A    127.0.7.11
plain          MX   10 mx.plain
mx.plain       A    127.0.7.12
incomplete     MX   10 mx.incomplete
mx.incomplete  A    127.0.7.13
stapled        MX   10 mx.stapled
mx.stapled     A    127.0.7.14
unstapled      MX   10 mx.unstapled
mx.unstapled   A    127.0.7.15
stalling       MX   10 mx.stalling
mx.stalling    A    127.0.7.16
; two exchanges on one address: scanned one after the other
shared         MX   10 mx1.shared
shared         MX   20 mx2.shared
mx1.shared     A    127.0.7.14
mx2.shared     A    127.0.7.14
; a second domain on the stapled exchange: a bulk run scans it once
also-stapled   MX   10 mx.stapled
`;

let nsd: NsdServer;
let ca: TestCa;
let pkiDir: string;
const postfixes: PostfixServer[] = [];
const servers: StarttlsServer[] = [];
let stapling: StarttlsServer;

async function check(domain: string, ...args: string[]): Promise<{ run: CliResult; result: DomainResult }> {
  const run = await runCli(['--server', nsd.server, '--checks', 'tls', '--allow-private', '--ca', ca.caCertPath, '--deadline', '120000',
    '--format', 'json', ...args, domain], { timeoutMs: 150_000 });
  assert.equal(run.stderr, '', `stderr of ${domain}`);
  return { run, result: (JSON.parse(run.stdout) as DomainResult[])[0]! };
}

type Scanned = Extract<TlsAddressSection, { scanned: true }>;

function addresses(result: DomainResult): Scanned[] {
  return (result as unknown as { tls: { addresses: Scanned[] } }).tls.addresses;
}

function findings(result: DomainResult): string[] {
  return result.findings.map((f) => `${f.rule} ${f.messageId} ${f.severity}`).sort();
}

function accepted<T extends { state: string }>(items: T[]): T[] {
  return items.filter((item) => item.state === 'accepted');
}

describe('TLS quality against Postfix and a stapling server', { skip: gate.skip }, () => {
  before(async () => {
    pkiDir = mkdtempSync(join(tmpdir(), 'mxlint-tls-pki-'));
    ca = await createTestCa(join(pkiDir, 'ca'));
    const intermediate = await createTestCa(join(pkiDir, 'intermediate'), { parent: ca });
    const dhParams = join(pkiDir, 'dh1024.pem');
    const dh = await runTool('openssl', ['dhparam', '-out', dhParams, '1024']);
    assert.equal(dh.code, 0, dh.output);
    const [modern, weak, incomplete, stapled, unstapled] = await Promise.all([
      ca.issue({ names: ['mx.modern.tls.test'] }),
      ca.issue({ names: ['mx.weak.tls.test'], keyType: 'rsa', rsaBits: 1024, digest: 'sha1' }),
      intermediate.issue({ names: ['mx.incomplete.tls.test'] }),
      ca.issue({ names: ['mx.stapled.tls.test', 'mx1.shared.tls.test', 'mx2.shared.tls.test'], ocspUrl: 'http://ocsp.tls.test/' }),
      ca.issue({ names: ['mx.unstapled.tls.test', 'mx.stalling.tls.test'], ocspUrl: 'http://ocsp.tls.test/' }),
    ]);
    nsd = await startNsd({ zones: { 'tls.test': ZONE } });
    postfixes.push(...await Promise.all([
      startPostfix({
        addresses: ['127.0.7.10'], port: 25, myhostname: 'mx.modern.tls.test',
        tls: { keyPath: modern.keyPath, certPath: modern.chainPath, protocols: '>=TLSv1.3' },
        extraMainCf: ['tls_eecdh_auto_curves = X25519 prime256v1 secp384r1'],
      }),
      startPostfix({
        addresses: ['127.0.7.11'], port: 25, myhostname: 'mx.weak.tls.test',
        tls: {
          keyPath: weak.keyPath, certPath: weak.chainPath, protocols: '>=TLSv1, <=TLSv1.2',
          ciphers: { grade: 'low', cipherlist: 'ALL:@SECLEVEL=0' }, serverOrder: false, dhParamFile: dhParams,
        },
      }),
      startPostfix({ addresses: ['127.0.7.12'], port: 25, myhostname: 'mx.plain.tls.test', tls: null }),
      // The leaf alone: its issuer, the intermediate, is not sent.
      startPostfix({ addresses: ['127.0.7.13'], port: 25, myhostname: 'mx.incomplete.tls.test', tls: { keyPath: incomplete.keyPath, certPath: incomplete.certPath, protocols: '>=TLSv1.2' } }),
    ]));
    stapling = await startStarttlsServer({ host: '127.0.7.14', port: 25, key: stapled.keyPem, cert: stapled.chainPem, ocspResponse: Buffer.from('a stapled response') });
    servers.push(stapling, await startStarttlsServer({ host: '127.0.7.15', port: 25, key: unstapled.keyPem, cert: unstapled.chainPem }));
    // Answers the handshakes of TLS 1.3 and 1.2, then goes silent: only the check's deadline ends the scan.
    servers.push(await startStarttlsServer({ host: '127.0.7.16', port: 25, key: unstapled.keyPem, cert: unstapled.chainPem, silentFrom: 3 }));
  });

  after(async () => {
    await Promise.all([...postfixes.map((p) => p.stop()), ...servers.map((s) => s.close()), nsd?.stop()]);
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  it('TLS 1.3 only: good under every profile, no findings; every version tried on its own, the raw trials in the JSON', async () => {
    for (const profile of ['modern', 'intermediate', 'ncsc']) {
      const { run, result } = await check('modern.tls.test', '--tls-profile', profile);
      assert.equal(run.code, 0, run.stdout);
      assert.deepEqual(findings(result), [], profile);
      const [address] = addresses(result);
      assert.equal((result as unknown as { tls: { profile: string } }).tls.profile, profile);
      assert.equal(address!.starttls, true);
      assert.equal(address!.incomplete, undefined);
      assert.deepEqual(address!.versions.map((v) => [v.version, v.state]), [['TLSv1.3', 'accepted'], ['TLSv1.2', 'refused'], ['TLSv1.1', 'refused'], ['TLSv1', 'refused']]);
      assert.deepEqual(accepted(address!.suites).map((s) => s.suite).sort(), ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);
      assert.ok(address!.suites.some((s) => s.suite === 'TLS_AES_128_CCM_8_SHA256' && s.state === 'refused'), 'a suite the server refuses is listed as refused');
      assert.deepEqual([...new Set(accepted(address!.groups).map((g) => g.group))].sort(), ['secp256r1', 'secp384r1', 'x25519']);
      assert.equal(address!.chains.length, 1);
      assert.deepEqual({ ...address!.chains[0]!.certificates[0], sha256: undefined, spkiSha256: undefined, validTo: undefined, subject: undefined, issuer: undefined }, {
        keyType: 'ec', keyBits: 256, curve: 'secp256r1', signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: false,
        keyLevel: profile === 'ncsc' ? 'good' : 'good', signatureLevel: profile === 'ncsc' ? 'sufficient' : 'good',
        sha256: undefined, spkiSha256: undefined, validTo: undefined, subject: undefined, issuer: undefined,
      });
      assert.equal(address!.chains[0]!.complete, true);
      assert.equal(address!.grade, profile === 'ncsc' ? 'sufficient' : 'good');
    }
  });

  it('TLS 1.0–1.2 with every suite, DH 1024, an RSA 1024 certificate signed with SHA-1: each weakness its finding, graded per profile', async () => {
    const { run, result } = await check('weak.tls.test', '--tls-profile', 'intermediate');
    assert.equal(run.code, 1, run.stdout);
    const [address] = addresses(result);
    assert.deepEqual(address!.versions.map((v) => [v.version, v.state, v.level]), [
      ['TLSv1.3', 'refused', undefined], ['TLSv1.2', 'accepted', 'good'], ['TLSv1.1', 'accepted', 'phase-out'], ['TLSv1', 'accepted', 'phase-out'],
    ]);
    const suites12 = accepted(address!.suites).filter((s) => s.version === 'TLSv1.2').map((s) => s.suite);
    for (const suite of ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_DH_anon_WITH_AES_128_CBC_SHA', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256']) {
      assert.ok(suites12.includes(suite), `${suite} accepted in TLS 1.2`);
    }
    assert.ok(address!.suites.filter((s) => s.state === 'not-tested').every((s) => s.reason === "this machine's OpenSSL cannot offer it"),
      'what is not tested is what this OpenSSL lacks (RC4, 3DES …), never "refused"');
    const dhe = accepted(address!.suites).find((s) => s.suite === 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256');
    assert.deepEqual(dhe!.keyExchange, { kind: 'dhe', group: null, size: 1024 });
    assert.equal(address!.order!.enforced, false);
    assert.equal(address!.sha1Signatures.state, 'accepted');
    const leaf = address!.chains[0]!.certificates[0]!;
    assert.deepEqual([leaf.keyType, leaf.keyBits, leaf.signatureAlgorithm, leaf.keyLevel, leaf.signatureLevel], ['rsa', 1024, 'ecdsa-with-SHA1', 'insufficient', 'insufficient']);
    assert.equal(address!.grade, 'insufficient');
    assert.deepEqual(findings(result), [
      'tls-cipher-weak weak info', 'tls-cipher-weak weak warning', 'tls-key-exchange-weak dhe info', 'tls-key-exchange-weak groups info', 'tls-key-exchange-weak sha1 warning',
      'tls-key-weak weak warning', 'tls-protocol-weak weak info', 'tls-signature-weak weak warning',
    ]);
    const protocol = result.findings.find((f) => f.rule === 'tls-protocol-weak')!;
    assert.match(protocol.message, /TLS 1\.1, TLS 1\.0, which the intermediate \(Mozilla 5\.7\) profile rates phase out/);
    assert.match(protocol.fix, /smtpd_tls_protocols = >=TLSv1\.2/);
    assert.match(result.findings.find((f) => f.rule === 'tls-key-weak')!.message, /RSA 1024-bit key/);

    // The same scan under NCSC: old versions insufficient, and the server lets the client pick a weak suite.
    const ncsc = await check('weak.tls.test', '--tls-profile', 'ncsc');
    assert.ok(findings(ncsc.result).includes('tls-protocol-weak weak warning'));
    assert.ok(findings(ncsc.result).includes('tls-order-not-enforced notEnforced warning'));
    assert.ok(findings(ncsc.result).includes('tls-key-exchange-weak dhe warning'));
  });

  it('no STARTTLS: tls-unavailable, nothing graded, one connection', async () => {
    const { result } = await check('plain.tls.test');
    assert.deepEqual(findings(result), ['tls-unavailable noStarttls warning']);
    const [address] = addresses(result);
    assert.equal(address!.starttls, false);
    assert.equal(address!.grade, null);
    assert.equal(address!.handshakes, 1);
  });

  it('a chain without its intermediate: tls-chain-incomplete naming the missing issuer', async () => {
    const { result } = await check('incomplete.tls.test');
    const chain = result.findings.filter((f) => f.rule === 'tls-chain-incomplete');
    assert.deepEqual(chain.map((f) => `${f.messageId} ${f.severity}`), ['incomplete warning']);
    assert.match(chain[0]!.message, /"CN=mxlint test intermediate CA", which issued the last one sent, is missing/);
    const [address] = addresses(result);
    assert.equal(address!.chains[0]!.complete, false);
    assert.equal(address!.chains[0]!.trusted, false);
  });

  it('OCSP: a stapled response is seen; a certificate naming a responder without one is tls-ocsp-not-stapled', async () => {
    const stapled = await check('stapled.tls.test');
    assert.equal(addresses(stapled.result)[0]!.ocspStapled, true);
    assert.ok(!findings(stapled.result).some((f) => f.startsWith('tls-ocsp')));
    const unstapled = await check('unstapled.tls.test');
    assert.equal(addresses(unstapled.result)[0]!.ocspStapled, false);
    assert.ok(findings(unstapled.result).includes('tls-ocsp-not-stapled notStapled info'));
  });

  it('two exchanges on one address are scanned one after the other: never two connections at once', async () => {
    const before = stapling.connections();
    const { result } = await check('shared.tls.test');
    const scanned = addresses(result);
    assert.equal(scanned.length, 2);
    assert.equal(stapling.connections() - before, scanned[0]!.handshakes + scanned[1]!.handshakes);
    assert.equal(stapling.overlapping(), 0);
  });

  it('a bulk run scans an exchange its domains share once, through the run\'s SMTP connection limits', async () => {
    // Before: every domain's check scanned the exchange again, outside --smtp-per-host and --smtp-budget.
    const before = stapling.connections();
    const run = await runCli(['--server', nsd.server, '--checks', 'tls', '--allow-private', '--ca', ca.caCertPath, '--deadline', '120000', '--format', 'json',
      '--smtp-per-host', '1', '-f', '-'], { timeoutMs: 150_000, stdin: 'stapled.tls.test\nalso-stapled.tls.test\n' });
    const results = JSON.parse(run.stdout) as DomainResult[];
    const [first, second] = results.map((result) => addresses(result)[0]!);
    assert.deepEqual(second, first);
    assert.equal(stapling.connections() - before, first!.handshakes, 'one scan for both domains');
    assert.equal(stapling.overlapping(), 0);
  });

  it('--smtp-budget bounds the scan\'s connections: the rest is not tested, tls-scan-incomplete', async () => {
    const before = stapling.connections();
    const { result } = await check('stapled.tls.test', '--smtp-budget', '3');
    const [address] = addresses(result);
    assert.equal(address!.handshakes, 3);
    assert.equal(stapling.connections() - before, 3);
    assert.match(address!.incomplete ?? '', /the run has opened 3 SMTP connections, its whole budget/);
    assert.deepEqual(findings(result).filter((f) => f.startsWith('tls-scan-incomplete')), ['tls-scan-incomplete cutShort unknown']);
  });

  it("the check's deadline cuts the scan: what it found stands, the rest is not tested, tls-scan-incomplete is unknown", async () => {
    // The third connection is never answered and each step may take a minute: only the deadline ends the scan.
    const run = await runCli(['--server', nsd.server, '--checks', 'tls', '--allow-private', '--smtp-timeout', '60000', '--deadline', '1500', '--format', 'json',
      'stalling.tls.test'], { timeoutMs: 50_000 });
    const result = (JSON.parse(run.stdout) as DomainResult[])[0]!;
    const [address] = addresses(result);
    assert.match(address!.incomplete ?? '', /deadline/);
    assert.equal(address!.handshakes, 3);
    assert.deepEqual(address!.versions.map((v) => [v.version, v.state]), [['TLSv1.3', 'accepted'], ['TLSv1.2', 'accepted'], ['TLSv1.1', 'not-tested'], ['TLSv1', 'not-tested']]);
    assert.ok(address!.versions.slice(2).every((v) => /deadline/.test(v.reason ?? '')));
    assert.ok(address!.suites.some((s) => s.state === 'not-tested' && /deadline/.test(s.reason ?? '')));
    assert.deepEqual(findings(result).filter((f) => f.startsWith('tls-scan-incomplete')), ['tls-scan-incomplete cutShort unknown']);
  });

  it('the text report: one line per address with the grade, versions and certificate', async () => {
    const run = await runCli(['--server', nsd.server, '--checks', 'tls', '--allow-private', '--ca', ca.caCertPath, '--deadline', '120000', '--no-color', 'modern.tls.test'], { timeoutMs: 150_000 });
    assert.match(run.stdout, /TLS\s+mx\.modern\.tls\.test 127\.0\.7\.10: ✓ good \(intermediate\); TLS 1\.3; 3 cipher suites: 3 good; groups [^;]+; certificate EC secp256r1 ecdsa-with-SHA256, chain complete/);
  });
});

describe('DANE-EE: where an authenticated record matches, the chain and signatures are informational', { skip: daneGate.skip }, () => {
  const MX_ADDRESS = '127.0.7.20';
  let hierarchy: Hierarchy;
  let postfix: PostfixServer;
  let daneDir: string;
  let daneCa: TestCa;

  before(async () => {
    daneDir = mkdtempSync(join(tmpdir(), 'mxlint-tls-dane-'));
    daneCa = await createTestCa(join(daneDir, 'ca'));
    const intermediate = await createTestCa(join(daneDir, 'intermediate'), { parent: daneCa });
    // The leaf alone (its intermediate not sent), signed with SHA-1: a warning each, unless DANE-EE matches.
    const leaf = await intermediate.issue({ names: ['mx.ee.signed.test', 'mx.other.signed.test', 'mx.unsigned.test'], digest: 'sha1' });
    const domain = (name: string, tlsa: string): string => `${name} MX 10 mx.${name}\nmx.${name} A ${MX_ADDRESS}\n_25._tcp.mx.${name} TLSA ${tlsa}`;
    hierarchy = await startHierarchy({
      zones: [
        { name: '.', address: '127.0.7.2' },
        { name: 'test.', address: '127.0.7.3' },
        { name: 'signed.test.', address: '127.0.7.4', text: [domain('ee', `3 1 1 ${leaf.spkiSha256}`), domain('other', `3 1 1 ${'ab'.repeat(32)}`)].join('\n') },
        { name: 'unsigned.test.', address: '127.0.7.5', text: `@ MX 10 mx\nmx A ${MX_ADDRESS}\n_25._tcp.mx TLSA 3 1 1 ${leaf.spkiSha256}` },
      ],
      dnssec: { sign: ['.', 'test.', 'signed.test.'] },
      resolver: { address: '127.0.7.54' },
    });
    postfix = await startPostfix({
      addresses: [MX_ADDRESS], port: 25, myhostname: 'mx.ee.signed.test',
      tls: { keyPath: leaf.keyPath, certPath: leaf.certPath, protocols: '>=TLSv1.2' },
    });
  });

  after(async () => {
    await Promise.all([postfix?.stop(), hierarchy?.stop()]);
    if (daneDir) rmSync(daneDir, { recursive: true, force: true });
  });

  async function daneCheck(domain: string): Promise<DomainResult> {
    const run = await runCli(['--server', hierarchy.resolver!.server, '--checks', 'tls', '--allow-private', '--ca', daneCa.caCertPath, '--deadline', '120000',
      '--format', 'json', domain], { timeoutMs: 150_000 });
    assert.equal(run.stderr, '', `stderr of ${domain}`);
    return (JSON.parse(run.stdout) as DomainResult[])[0]!;
  }

  const chainFindings = (result: DomainResult): string[] => findings(result).filter((f) => /^tls-(?:chain-incomplete|signature-weak|key-weak) /.test(f));

  it('a matching 3 1 1 in a signed zone: tls-chain-incomplete informational, the SHA-1 signature not graded', async () => {
    const result = await daneCheck('ee.signed.test');
    assert.deepEqual(chainFindings(result), ['tls-chain-incomplete daneEe info']);
    const chain = addresses(result)[0]!.chains[0]!;
    assert.deepEqual([chain.daneEe, chain.complete], [true, false]);
    assert.equal(chain.certificates[0]!.signatureAlgorithm, 'ecdsa-with-SHA1');
    assert.equal(chain.certificates[0]!.signatureLevel, undefined, 'not graded under DANE-EE');
    assert.equal(chain.certificates[0]!.keyLevel, 'good', "the leaf's key is still what senders use");
  });

  it('a 3 1 1 that matches nothing, or one in an unsigned zone: the chain and the signature are warnings', async () => {
    for (const domain of ['other.signed.test', 'unsigned.test']) {
      const result = await daneCheck(domain);
      assert.deepEqual(chainFindings(result), ['tls-chain-incomplete incomplete warning', 'tls-signature-weak weak warning'], domain);
      assert.equal(addresses(result)[0]!.chains[0]!.daneEe, false, domain);
    }
  });
});
