/**
 * DNSSEC verdicts and TLSA matching without servers: how validatedLookup reads AD, EDE and the CD
 * retry from scripted answers, and matchTlsa / unusableReason against certificates of the test CA.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import type { Lookup, LookupSource, LookupSourceOptions } from '../../src/dns/lookup.js';
import type { TlsaData } from '../../src/dns/records.js';
import { resolverValidation, validatedLookup } from '../../src/facts/dnssec-validation.js';
import { agileRecords, matchTlsa, unusableReason } from '../../src/families/dane/tlsa.js';
import { recordRole, rolloverOf } from '../../src/families/dane/rollover.js';
import { daneRules } from '../../src/families/dane/rules/index.js';
import { daneNewCertMismatch, daneNoRolloverScheme, daneTlsaDigestAgility } from '../../src/families/dane/rules/rollover.js';
import type { DaneFacts } from '../../src/families/dane/collect.js';
import type { Validated } from '../../src/facts/dnssec-validation.js';
import type { AddressProbe } from '../../src/facts/smtp-probes.js';
import { certificateFacts, pemCertificates, type CertificateFacts } from '../../src/tls/certificate.js';
import { e2eGate } from '../support/e2e.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/pki.js';

type Flags = NonNullable<LookupSourceOptions['flags']>;

/** Answers by (name, CD): NOERROR with or without AD, or a failure with rcode and EDE codes. */
function source(script: (name: string, flags: Flags) => { ad: boolean } | { kind: 'servfail' | 'timeout'; ede?: number[] }): LookupSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    lookup: async (name, type, options = {}): Promise<Lookup> => {
      const flags = options.flags ?? {};
      asked.push(`${name} ${type}${flags.dnssecOk ? ' DO' : ''}${flags.checkingDisabled ? ' CD' : ''}`);
      const outcome = script(name, flags);
      const question = { name, type };
      if ('ad' in outcome) {
        return {
          ok: true, question, rcode: 'NOERROR', answers: [], authorities: [], additionals: [], extendedErrors: [],
          flags: { aa: false, tc: false, rd: true, ra: true, ad: outcome.ad, cd: false }, server: '127.0.0.1:53', transport: 'udp', durationMs: 1,
        };
      }
      return {
        ok: false, question, kind: outcome.kind, message: `${type} ${name}: ${outcome.kind}`, durationMs: 1,
        ...(outcome.kind === 'servfail' ? { rcode: 'SERVFAIL' } : {}),
        extendedErrors: (outcome.ede ?? []).map((code) => ({ code, text: '' })),
      };
    },
  };
}

describe('validatedLookup', () => {
  it('AD makes an answer secure, its absence insecure; always asked with DO', async () => {
    const lookups = source((name) => ({ ad: name === 'signed.example' }));
    assert.equal((await validatedLookup(lookups, 'signed.example', 'MX')).state, 'secure');
    assert.equal((await validatedLookup(lookups, 'plain.example', 'MX')).state, 'insecure');
    assert.deepEqual(lookups.asked, ['signed.example MX DO', 'plain.example MX DO']);
  });

  it('SERVFAIL with a validation EDE is bogus at once, without a CD retry', async () => {
    for (const code of [6, 7, 9, 10]) {
      const lookups = source(() => ({ kind: 'servfail', ede: [code] }));
      const result = await validatedLookup(lookups, 'bad.example', 'MX');
      assert.equal(result.state, 'bogus', String(code));
      assert.match(result.state === 'bogus' ? result.evidence : '', new RegExp(`EDE ${code} `));
      assert.equal(lookups.asked.length, 1);
    }
  });

  it('SERVFAIL that clears with CD is bogus; one that stays, or another EDE, is a failure', async () => {
    const clears = source((_name, flags) => (flags.checkingDisabled ? { ad: false } : { kind: 'servfail' }));
    const bogus = await validatedLookup(clears, 'bad.example', 'A');
    assert.equal(bogus.state, 'bogus');
    assert.match(bogus.state === 'bogus' ? bogus.evidence : '', /checking disabled/);
    assert.deepEqual(clears.asked, ['bad.example A DO', 'bad.example A DO CD']);
    assert.equal((await validatedLookup(source(() => ({ kind: 'servfail', ede: [22] })), 'x.example', 'A')).state, 'failed');
    assert.equal((await validatedLookup(source(() => ({ kind: 'timeout' })), 'x.example', 'A')).state, 'failed');
  });

  it('a resolver validates when the root or any answer carries AD; AD nowhere means it does not', async () => {
    assert.equal((await resolverValidation(source((name) => ({ ad: name === '.' })), [])).state, 'validating');
    const noAnchorForRoot = source(() => ({ ad: false }));
    const seenSecure = await validatedLookup(source(() => ({ ad: true })), 'signed.example', 'MX');
    assert.equal((await resolverValidation(noAnchorForRoot, [seenSecure])).state, 'validating');
    assert.equal((await resolverValidation(source(() => ({ ad: false })), [])).state, 'not-validating');
    assert.equal((await resolverValidation(source(() => ({ kind: 'timeout' })), [])).state, 'unknown');
  });
});

const opensslGate = e2eGate('openssl');

function facts(pem: string): CertificateFacts {
  return certificateFacts(new X509Certificate(pem).raw);
}

function tlsa(usage: number, selector: number, matchingType: number, hex: string): TlsaData {
  return { usage, selector, matchingType, certificate: Buffer.from(hex, 'hex') };
}

describe('TLSA matching', { skip: opensslGate.skip }, () => {
  let dir: string;
  let ca: TestCa;
  let other: TestCa;
  let leaf: IssuedCertificate;
  let chain: CertificateFacts[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-tlsa-'));
    ca = await createTestCa(join(dir, 'ca'));
    other = await createTestCa(join(dir, 'other'));
    leaf = await ca.issue({ names: ['mx.example.test'] });
    chain = [facts(leaf.certPem), facts(ca.caCertPem)];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('DANE-EE matches the leaf by certificate or SPKI, SHA-256, SHA-512 or whole, whatever its name', () => {
    for (const record of [tlsa(3, 1, 1, leaf.spkiSha256), tlsa(3, 0, 1, leaf.certSha256), tlsa(3, 1, 2, leaf.spkiSha512),
      tlsa(3, 0, 0, Buffer.from(chain[0]!.der).toString('hex'))]) {
      assert.equal(matchTlsa([record], chain, false).matched, true, `${record.usage} ${record.selector} ${record.matchingType}`);
    }
    assert.equal(matchTlsa([tlsa(3, 1, 1, ca.caSpkiSha256)], chain, true).matched, false, 'DANE-EE never matches an issuer');
  });

  it('DANE-TA matches an issuer the leaf chains to, only when the name matches', () => {
    assert.equal(matchTlsa([tlsa(2, 0, 1, ca.caCertSha256)], chain, true).matched, true);
    assert.equal(matchTlsa([tlsa(2, 1, 1, ca.caSpkiSha256)], chain, true).matched, true);
    assert.equal(matchTlsa([tlsa(2, 0, 1, ca.caCertSha256)], chain, false).matched, false);
    assert.equal(matchTlsa([tlsa(2, 0, 1, leaf.certSha256)], chain, true).matched, false, 'the leaf is no trust anchor');
    // An unrelated CA certificate slipped into the chain matches its record but signed nothing.
    const forged = [chain[0]!, facts(other.caCertPem)];
    assert.equal(matchTlsa([tlsa(2, 0, 1, other.caCertSha256)], forged, true).matched, false);
  });

  it('DANE-TA 2 1 0 carries the anchor key: it matches a chain that leaves the anchor out', () => {
    const spki = Buffer.from(chain[1]!.spki).toString('hex');
    assert.equal(matchTlsa([tlsa(2, 1, 0, spki)], [chain[0]!], true).matched, true);
    assert.equal(matchTlsa([tlsa(2, 1, 0, Buffer.from(facts(other.caCertPem).spki).toString('hex'))], [chain[0]!], true).matched, false);
  });

  it('unusable records are named and never match', () => {
    assert.match(unusableReason(tlsa(1, 1, 1, leaf.spkiSha256)) ?? '', /PKIX-EE/);
    assert.match(unusableReason(tlsa(0, 0, 1, ca.caCertSha256)) ?? '', /PKIX-TA/);
    assert.match(unusableReason(tlsa(3, 2, 1, leaf.spkiSha256)) ?? '', /selector 2/);
    assert.match(unusableReason(tlsa(3, 1, 3, leaf.spkiSha256)) ?? '', /matching type 3/);
    assert.match(unusableReason(tlsa(3, 1, 1, 'abcd')) ?? '', /32 octets, this one 2/);
    assert.equal(unusableReason(tlsa(3, 1, 1, leaf.spkiSha256)), null);
    assert.equal(matchTlsa([tlsa(1, 1, 1, leaf.spkiSha256)], chain, true).matched, false);
  });
});

// ---------------------------------------------------------------------------------------------
// Records over time: roles, rollover schemes, digest agility, a certificate about to be installed

const SECURE: Validated = {
  state: 'secure',
  answer: {
    ok: true, question: { name: 'x', type: 'A' }, rcode: 'NOERROR', answers: [], authorities: [], additionals: [], extendedErrors: [],
    flags: { aa: false, tc: false, rd: true, ra: true, ad: true, cd: false }, server: '127.0.0.1:53', transport: 'udp', durationMs: 1,
  },
};

/** DANE facts of one host, everything authenticated, whose address presented `chain` (none: no SMTP probe). */
function daneFacts(records: TlsaData[], chain: CertificateFacts[] | null, newCertificate: string | null = null): DaneFacts {
  const probes: AddressProbe[] | null = chain === null ? null : [{
    exchange: 'mx.example.test', address: '192.0.2.25', family: 4, state: 'probed', target: { host: '192.0.2.25', port: 25 }, ptr: { state: 'none' },
    session: {
      banner: null, ehlo: null, ehloAfterTls: null, envelope: null, failure: null, durationMs: 1,
      tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', chain, trust: { verified: true }, name: { matches: true } },
    },
  }];
  return {
    domain: 'example.test', resolver: { state: 'validating' }, mx: SECURE, unresolved: null,
    hosts: [{ name: 'mx.example.test', tlsaName: '_25._tcp.mx.example.test', tlsa: SECURE, records, addresses: [SECURE, SECURE], probes }],
    newCertificate: newCertificate === null ? null : {
      chain: pemCertificates(newCertificate).map(facts), x509: new X509Certificate(pemCertificates(newCertificate)[0]!),
    },
  };
}

function findings(facts: DaneFacts): string[] {
  return daneRules.flatMap((rule) => rule.check(facts)).map((f) => `${f.rule} ${f.messageId}`);
}

describe('TLSA records over time', { skip: opensslGate.skip }, () => {
  let dir: string;
  let ca: TestCa;
  let other: TestCa;
  let leaf: IssuedCertificate;
  let next: IssuedCertificate;
  let chain: CertificateFacts[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-rollover-'));
    ca = await createTestCa(join(dir, 'ca'));
    other = await createTestCa(join(dir, 'other'));
    leaf = await ca.issue({ names: ['mx.example.test'] });
    next = await ca.issue({ names: ['mx.example.test'] });
    chain = [facts(leaf.certPem), facts(ca.caCertPem)];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('current + next key: the next-key record matches nothing yet, which is expected — no finding', () => {
    const records = [tlsa(3, 1, 1, leaf.spkiSha256), tlsa(3, 1, 1, next.spkiSha256)];
    assert.deepEqual(rolloverOf(records, [chain]), { scheme: 'current+next' });
    assert.deepEqual(records.map((r) => recordRole(r, [chain])), ['current', 'next-key']);
    assert.deepEqual(findings(daneFacts(records, chain)), []);
  });

  it('3 1 1 beside the 2 1 1 of the CA that really issued the chain: current + issuer', () => {
    const records = [tlsa(3, 1, 1, leaf.spkiSha256), tlsa(2, 1, 1, ca.caSpkiSha256)];
    assert.deepEqual(rolloverOf(records, [chain]), { scheme: 'current+issuer' });
    assert.deepEqual(findings(daneFacts(records, chain)), []);
  });

  it('the 2 1 1 of an unrelated CA is no rollover, and the finding names it', () => {
    const records = [tlsa(3, 1, 1, leaf.spkiSha256), tlsa(2, 1, 1, other.caSpkiSha256)];
    assert.equal(rolloverOf(records, [chain])?.scheme, null);
    assert.deepEqual(records.map((r) => recordRole(r, [chain])), ['current', 'other-issuer']);
    const facts = daneFacts(records, chain);
    assert.deepEqual(findings(facts), ['dane-no-rollover-scheme otherIssuer']);
    assert.match(daneNoRolloverScheme.check(facts)[0]!.message, /"2 1 1 [0-9a-f]{16}…" is a DANE-TA record for a CA that issued nothing/);
    assert.equal(daneNoRolloverScheme.meta.severity, 'info');
  });

  it('several records of the same key (3 1 1, 3 0 1, 3 1 2) are no rollover', () => {
    const records = [tlsa(3, 1, 1, leaf.spkiSha256), tlsa(3, 0, 1, leaf.certSha256), tlsa(3, 1, 2, leaf.spkiSha512)];
    assert.equal(rolloverOf(records, [chain])?.scheme, null);
    assert.deepEqual(findings(daneFacts(records, chain)), ['dane-no-rollover-scheme sameCertificate']);
  });

  it('a record set none of whose records matches is a mismatch, not a rollover question', () => {
    const records = [tlsa(3, 1, 1, next.spkiSha256), tlsa(2, 1, 1, other.caSpkiSha256)];
    assert.equal(rolloverOf(records, [chain]), null);
    assert.deepEqual(findings(daneFacts(records, chain)), ['dane-tlsa-mismatch mismatch']);
  });

  it('without the SMTP probe nothing is said about rollovers', () => {
    assert.deepEqual(findings(daneFacts([tlsa(3, 1, 1, leaf.spkiSha256)], null)), []);
  });

  it('digest agility: a matching 3 1 1 beside a 3 1 2 that matches nothing fails senders that use only the strongest digest', () => {
    const records = [tlsa(3, 1, 1, leaf.spkiSha256), tlsa(3, 1, 2, next.spkiSha512)];
    assert.deepEqual(agileRecords(records).map((r) => r.matchingType), [2]);
    const found = findings(daneFacts(records, chain));
    assert.ok(found.includes('dane-tlsa-digest-agility strongestStale'), found.join(', '));
    assert.match(daneTlsaDigestAgility.check(daneFacts(records, chain))[0]!.message, /only by 3 1 1 .* usage 3 selector 1 .* look at 3 1 2 [0-9a-f]{16}… alone/);
    // The stronger digest for the key in use published too: fine for every sender.
    assert.deepEqual(daneTlsaDigestAgility.check(daneFacts([...records, tlsa(3, 1, 2, leaf.spkiSha512)], chain)), []);
  });

  it('--cert: a new key the records do not describe is dane-new-cert-mismatch, with the record to publish', () => {
    const facts = daneFacts([tlsa(3, 1, 1, leaf.spkiSha256)], null, next.certPem);
    const [finding] = daneNewCertMismatch.check(facts);
    assert.equal(finding?.messageId, 'noMatch');
    assert.equal(finding?.fix, `publish "_25._tcp.mx.example.test. IN TLSA 3 1 1 ${next.spkiSha256}" beside the current records, wait two TTLs, then install the certificate`);
    assert.deepEqual(daneNewCertMismatch.check(daneFacts([tlsa(3, 1, 1, leaf.spkiSha256), tlsa(3, 1, 1, next.spkiSha256)], null, next.certPem)), []);
  });

  it('--cert against DANE-TA records: matched through the chain in the file, not without it', () => {
    const records = [tlsa(2, 1, 1, ca.caSpkiSha256)];
    assert.deepEqual(daneNewCertMismatch.check(daneFacts(records, null, next.chainPem)), []);
    assert.equal(daneNewCertMismatch.check(daneFacts(records, null, next.certPem))[0]?.messageId, 'noChain');
  });
});
