/**
 * Hostile records for the policy families: SPF include chains 50 deep and macro bombs (the SPF
 * family's policy tree and check_host() both stay within their limits and end), and seeded garbage
 * for every record parser (SPF, DMARC, MTA-STS record and policy, TLS-RPT, DKIM keys read with
 * node:crypto): none throws. Include
 * loops are in rules-spf.test.ts; hostile policy servers in e2e-policy.test.ts; hostile SMTP servers
 * in e2e-smtp.test.ts and smtp-wire.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpProber } from '../../src/facts/smtp-prober.js';
import { spfFamily } from '../../src/families/spf/index.js';
import { collectMailFacts } from '../../src/facts/mail.js';
import { parseDmarcRecord } from '../../src/families/dmarc/record.js';
import { parseMtaStsPolicy, parseMtaStsRecord, readMtaStsPolicy } from '../../src/families/mta-sts/record.js';
import { MAX_POLICY_BYTES } from '../../src/families/mta-sts/collect.js';
import { parseTlsRptRecord } from '../../src/families/tlsrpt/record.js';
import { keyFacts } from '../../src/families/dkim/collect.js';
import { checkHost } from '../../src/families/spf/check-host.js';
import { MAX_DNS_TERMS } from '../../src/families/spf/limits.js';
import { MAX_POLICY_RECORDS } from '../../src/facts/spf/policy.js';
import { parseSpfRecord } from '../../src/facts/spf/record.js';
import type { SpfSection } from '../../src/families/spf/section.js';
import { MAX_NAME_LENGTH } from '../../src/dns/name.js';
import { seededRandom, type Random } from '../support/random.js';
import { cachedSource, zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';

const CHAIN_DEPTH = 50;

/** chain → _1 → _2 → … → _50, each an include of the next; the last authorizes an address. */
function chainZone(): string {
  const links = Array.from({ length: CHAIN_DEPTH }, (_, i) => `_${i} TXT "v=spf1 include:_${i + 1}.hostile.test -all"`);
  return `${zoneApex('hostile.test')}
mail MX 10 mx
mx A 192.0.2.25
mail TXT "v=spf1 include:_0.hostile.test -all"
${links.join('\n')}
_${CHAIN_DEPTH} TXT "v=spf1 ip4:192.0.2.25 -all"
`;
}

/** Every macro letter, repeated, transformed, in every term that takes a domain: expansions far past 253 octets. */
const MACRO_BOMB = [
  'v=spf1',
  `exists:${'%{s}%{l}%{o}%{d}%{i}%{v}%{h}'.repeat(6)}.bomb.hostile.test`,
  `a:${'%{d30r}.'.repeat(20)}hostile.test`,
  `mx:%{ir}.%{l-}.%{o+}.%{d1}.hostile.test`,
  `include:${'%{i}.'.repeat(30)}hostile.test`,
  ...Array.from({ length: 12 }, (_, i) => `exists:%{i}.${i}.%{d}.hostile.test`),
  '-all',
].join(' ');

function bombZone(): string {
  // A TXT string holds 255 octets: the record is split as a zone file may split it.
  const strings = MACRO_BOMB.match(/.{1,250}/g)!.map((part) => `"${part}"`).join(' ');
  return `${zoneApex('hostile.test')}
bomb MX 10 mx
mx A 192.0.2.25
bomb TXT ${strings}
`;
}

describe('hostile SPF records', () => {
  it(`an include chain ${CHAIN_DEPTH} deep: the family reports the lookup limit and fetches at most ${MAX_POLICY_RECORDS} records`, async () => {
    // Cached as the resolver is: the evaluations for an IPv4 and an IPv6 client re-read the walk's records.
    const source = cachedSource(zoneSource(zoneRecords(chainZone())));
    const mail = await collectMailFacts(source, 'mail.hostile.test');
    const outcome = await spfFamily.run({ domain: 'mail.hostile.test', lookups: source, mail, options: {}, checks: new Set(['spf']), signal: new AbortController().signal, prober: new SmtpProber() });
    assert.deepEqual(outcome.findings.map((f) => f.rule), ['spf-lookup-limit']);
    assert.ok((outcome.section as SpfSection).lookups > MAX_DNS_TERMS);
    const txtAsked = source.asked.filter((key) => key.endsWith(' TXT')).length;
    assert.ok(txtAsked <= MAX_POLICY_RECORDS + 1, `${txtAsked} TXT lookups`);
  });

  it(`check_host() on the same chain: permerror after ${MAX_DNS_TERMS} lookups, no more asked`, async () => {
    const source = zoneSource(zoneRecords(chainZone()));
    const outcome = await checkHost(source, { ip: '192.0.2.25', domain: 'mail.hostile.test' });
    assert.equal(outcome.result, 'permerror');
    assert.match(outcome.reason, /term number 11; at most 10/);
    assert.ok(source.asked.length <= MAX_DNS_TERMS + 1, `${source.asked.length} lookups: ${source.asked.join(', ')}`);
  });

  it('a macro bomb: check_host() ends in permerror, asks at most 10 terms\' worth, and no name it asks is over 253 octets', async () => {
    const source = zoneSource(zoneRecords(bombZone()));
    const sender = `${'x'.repeat(64)}@bomb.hostile.test`;
    for (const ip of ['192.0.2.99', '2001:db8::99']) {
      const outcome = await checkHost(source, { ip, domain: 'bomb.hostile.test', sender, helo: `${'h'.repeat(60)}.hostile.test` });
      assert.equal(outcome.result, 'permerror', outcome.reason);
      assert.ok(outcome.lookups <= MAX_DNS_TERMS + 1, `${outcome.lookups} lookups`);
    }
    for (const key of source.asked) assert.ok(key.split(' ')[0]!.length <= MAX_NAME_LENGTH, `asked ${key.length} characters: ${key}`);
  });

  it('a macro bomb in the SPF family: findings, no exception', async () => {
    const source = zoneSource(zoneRecords(bombZone()));
    const mail = await collectMailFacts(source, 'bomb.hostile.test');
    const outcome = await spfFamily.run({ domain: 'bomb.hostile.test', lookups: source, mail, options: {}, checks: new Set(['spf']), signal: new AbortController().signal, prober: new SmtpProber() });
    assert.ok(outcome.findings.length > 0);
  });
});

// ---------------------------------------------------------------------------------------------

const VALID_RECORDS = [
  'v=spf1 mx a:mail.example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.net exists:%{i}.bl.example.org redirect=_r.example.com exp=_x.example.com -all',
  'v=DMARC1; p=reject; sp=quarantine; pct=50; rua=mailto:d@example.com!10m,https://r.example.com/; ruf=mailto:f@example.com; adkim=s; aspf=r; fo=1:d:s; rf=afrf; ri=86400',
  'v=STSv1; id=20240101T000000;',
  'v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://report.example.com/tlsrpt',
  'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n',
];

const PIECES = ['v=spf1', 'v=DMARC1', 'v=STSv1', 'v=TLSRPTv1', ';', '=', ':', '%{', '}', '%', '/', '!', ',', '\u0000', '\uFFFD', '\ud800', 'é', ' ', '\r\n', '\n', '\\', '"', '..', '*.', '-', '+', '?', '~'];

/** DKIM key records: an RSA key (DER SubjectPublicKeyInfo) and the Ed25519 key of RFC 8463's example. */
const VALID_DKIM_RECORDS = [
  'v=DKIM1; k=rsa; h=sha256; s=email; t=s; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDhkproqwhFDqQxkMAHQ8JGjBHQUv0cqOr93W3/VE/wJ34eX2eRJ6CH67onQpk3Nhlw0/SzyKaN7SQU3saj4ub3LxhiYHl3AfXSJKtwF6AFSbn2K/US6MyVbkj1Uwc1z/9rZCMcxAzJaa3z7ShwXZRPdyKT8qY+aQjwtlqQ+6rmeQIDAQAB',
  'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
];

/**
 * No record a parser is given is longer: a TXT record's strings fit one DNS message (65,535 octets),
 * an MTA-STS policy is read up to MAX_POLICY_BYTES. Past it, repeated tails grew a few cases to
 * 100 MB, which took most of the test's time and tested nothing a record can be.
 */
const MAX_GARBAGE_CHARS = 65_535;

function garbage(random: Random, bases: readonly string[] = VALID_RECORDS): string {
  const base = bases[Math.floor(random() * bases.length)]!;
  let text = base;
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (text.length + 1));
    const choice = random();
    if (choice < 0.3) text = text.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)]! + text.slice(at);
    else if (choice < 0.5) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20));
    else if (choice < 0.7) text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x110)) + text.slice(at);
    else if (choice < 0.85) text = text.slice(0, at) + text.slice(at).repeat(1 + Math.floor(random() * 50));
    else text = Array.from({ length: Math.floor(random() * 300) }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
    text = text.slice(0, MAX_GARBAGE_CHARS);
  }
  return text;
}

describe('a hostile MTA-STS policy', () => {
  it('a line of 64 KiB of blanks before a last word is read in linear time (it took about 20 s of backtracking)', () => {
    const body = `mx: a${' \t'.repeat(MAX_POLICY_BYTES / 2 - 4)}b`;
    const started = performance.now();
    const policy = parseMtaStsPolicy(body);
    // Ten times what a loaded machine needs, a tenth of what the quadratic pattern took.
    assert.ok(performance.now() - started < 2000, `${Math.round(performance.now() - started)} ms`);
    assert.equal(policy.mx.length, 0, 'a host name with blanks inside is not one');
  });
});

describe('record parsers on seeded garbage', () => {
  const ITERATIONS = 5000;
  const SEED = 6;
  it(`${ITERATIONS} mutated records through the SPF, DMARC, MTA-STS and TLS-RPT parsers: none throws, each gives a verdict`, () => {
    const random = seededRandom(SEED);
    for (let i = 0; i < ITERATIONS; i++) {
      const text = garbage(random);
      const replay = `seed ${SEED}, iteration ${i}: ${JSON.stringify(text.slice(0, 200))}`;
      try {
        assert.equal(typeof parseSpfRecord(text).ok, 'boolean');
        assert.ok(Array.isArray(parseDmarcRecord(text).problems));
        assert.ok(parseMtaStsRecord(text) !== undefined);
        assert.ok(parseTlsRptRecord(text) !== undefined);
        assert.equal(typeof parseMtaStsPolicy(text).usable, 'boolean');
        assert.equal(typeof readMtaStsPolicy(Buffer.from(text, 'latin1')).policy.usable, 'boolean');
      } catch (error) {
        assert.fail(`${replay}: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
  });

  it(`${ITERATIONS} mutated DKIM key records, the key in p= read with node:crypto: none throws, each gives a verdict`, () => {
    const random = seededRandom(SEED);
    for (let i = 0; i < ITERATIONS; i++) {
      const text = garbage(random, VALID_DKIM_RECORDS);
      try {
        const { record, key } = keyFacts(text);
        assert.ok(Array.isArray(record.problems));
        assert.ok(key === null || typeof key.ok === 'boolean');
      } catch (error) {
        assert.fail(`seed ${SEED}, iteration ${i}: ${JSON.stringify(text.slice(0, 200))}: ${error instanceof Error ? error.stack : String(error)}`);
      }
    }
  });
});
