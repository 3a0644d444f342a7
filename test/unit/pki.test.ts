/**
 * The test CA end to end: a real HTTPS server on loopback with issued certificates, a client that
 * trusts only the test CA, and the DANE digests checked against node:crypto's own parsing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { e2eGate } from '../support/e2e.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/pki.js';

const skip = e2eGate('openssl').skip;
const DAY_MS = 86_400_000;
/** Slack for the seconds between issuing and checking. */
const CLOCK_SLACK_MS = 60_000;

type Outcome = { status: number } | { error: string };

/** Serves `leaf` over HTTPS on 127.0.0.1 and makes one request with `servername`, trusting `ca` (or nothing). */
async function fetchWith(leaf: IssuedCertificate, servername: string, ca: string | undefined): Promise<Outcome> {
  const server: Server = createServer({ key: leaf.keyPem, cert: leaf.chainPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise<Outcome>((resolve) => {
      const request = get({ host: '127.0.0.1', port, servername, ca, agent: false, timeout: 5000 }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      request.on('timeout', () => request.destroy(new Error('timeout')));
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function sha(algorithm: 'sha256' | 'sha512', data: Buffer): string {
  return createHash(algorithm).update(data).digest('hex');
}

describe('createTestCa', { skip }, () => {
  let dir: string;
  let ca: TestCa;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-pki-'));
    ca = await createTestCa(dir);
  });

  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('issues a certificate a client trusting the CA verifies, for a DNS name and an IP address', async () => {
    const leaf = await ca.issue({ names: ['mx.example.test', '127.0.0.1'] });
    assert.deepEqual(await fetchWith(leaf, 'mx.example.test', ca.caCertPem), { status: 200 });
    const x509 = new X509Certificate(leaf.certPem);
    assert.equal(x509.subjectAltName, 'DNS:mx.example.test, IP Address:127.0.0.1');
    assert.ok(x509.checkIssued(new X509Certificate(ca.caCertPem)));
    assert.equal(x509.publicKey.asymmetricKeyType, 'ec');
  });

  it('the verification depends on the CA and the name', async () => {
    const leaf = await ca.issue({ names: ['mx.example.test'] });
    assert.deepEqual(await fetchWith(leaf, 'other.example.test', ca.caCertPem), { error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    assert.deepEqual(await fetchWith(leaf, 'mx.example.test', undefined), { error: 'SELF_SIGNED_CERT_IN_CHAIN' });
  });

  it('issues expired and soon-expiring certificates', async () => {
    const expired = await ca.issue({ names: ['mx.example.test'], days: -1 });
    assert.deepEqual(await fetchWith(expired, 'mx.example.test', ca.caCertPem), { error: 'CERT_HAS_EXPIRED' });
    const expiring = await ca.issue({ names: ['mx.example.test'], days: 3 });
    assert.deepEqual(await fetchWith(expiring, 'mx.example.test', ca.caCertPem), { status: 200 });
    const validTo = new Date(new X509Certificate(expiring.certPem).validTo).getTime();
    assert.equal(validTo, expiring.notAfter.getTime());
    assert.ok(Math.abs(validTo - (Date.now() + 3 * DAY_MS)) < CLOCK_SLACK_MS, `notAfter ${expiring.notAfter.toISOString()}`);
    assert.equal(new Date(new X509Certificate(expired.certPem).validFrom).getTime(), expired.notBefore.getTime());
  });

  it('issues RSA certificates too', async () => {
    const leaf = await ca.issue({ names: ['mx.example.test'], keyType: 'rsa' });
    assert.equal(new X509Certificate(leaf.certPem).publicKey.asymmetricKeyType, 'rsa');
    assert.deepEqual(await fetchWith(leaf, 'mx.example.test', ca.caCertPem), { status: 200 });
  });

  it('gives the DANE digests of the certificate and its SPKI, as node:crypto computes them', async () => {
    for (const leaf of await Promise.all([ca.issue({ names: ['a.example.test'] }), ca.issue({ names: ['b.example.test'], keyType: 'rsa' })])) {
      const x509 = new X509Certificate(leaf.certPem);
      const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
      assert.equal(leaf.certSha256, x509.fingerprint256.replace(/:/g, '').toLowerCase());
      assert.equal(leaf.certSha512, x509.fingerprint512.replace(/:/g, '').toLowerCase());
      assert.equal(leaf.spkiSha256, sha('sha256', spki));
      assert.equal(leaf.spkiSha512, sha('sha512', spki));
      assert.ok(x509.checkPrivateKey(createPrivateKey(leaf.keyPem)));
    }
    const caX509 = new X509Certificate(ca.caCertPem);
    assert.equal(ca.caCertSha256, caX509.fingerprint256.replace(/:/g, '').toLowerCase());
    assert.equal(ca.caSpkiSha256, sha('sha256', caX509.publicKey.export({ type: 'spki', format: 'der' })));
  });
});
