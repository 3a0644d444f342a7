/**
 * The DKIM family on pure facts: the key record's tag list, the key in p= read with node:crypto
 * (keys of each kind made here), every rule on hand-made facts, the section and its text lines;
 * the options (dkimSelectors, dkimDiscover, --checks dkim) as the library and the CLI take them;
 * then through the library against the in-process DNS server, for what real servers do not do
 * (NXDOMAIN above a key, failures among the common selectors) and for what is asked and what not.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDkimKeyRecord, looksLikeDkimKey } from '../../src/families/dkim/record.js';
import { readPublicKey } from '../../src/families/dkim/key.js';
import { keyFacts } from '../../src/families/dkim/collect.js';
import type { DkimFacts, DkimSelectorFacts, SelectorLookup } from '../../src/families/dkim/collect.js';
import { dkimRules } from '../../src/families/dkim/rules/index.js';
import { dkimSection } from '../../src/families/dkim/section.js';
import { dkimLines } from '../../src/families/dkim/text.js';
import { DKIM_DISCOVERY_SELECTORS, MAX_DKIM_SELECTORS, selectorProblem } from '../../src/facts/dkim-selectors.js';
import { LIBRARY_OPTION_NAMES, requestedFamilies, validateOptions } from '../../src/engine/validate-options.js';
import { CLI_OPTION_NAMES } from '../../src/cli/args.js';
import { runCli } from '../../src/cli/main.js';
import { checkDomain } from '../../src/modes/domains.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import type { LookupFailure } from '../../src/dns/lookup.js';
import { OptionError } from '../../src/core/errors.js';
import type { Finding } from '../../src/core/finding.js';
import { runRules } from '../support/rules.js';
import { REPO_ROOT } from '../support/e2e.js';

// ---------------------------------------------------------------------------------------------
// Keys, made here: base64 of the DER SubjectPublicKeyInfo (RSA), of the bare key (Ed25519).

const spki = (key: ReturnType<typeof generateKeyPairSync>['publicKey']): Buffer => key.export({ type: 'spki', format: 'der' }) as Buffer;
const rsaKey = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
const RSA_512 = spki(rsaKey(512)).toString('base64');
const RSA_1024_KEY = rsaKey(1024);
const RSA_1024 = spki(RSA_1024_KEY).toString('base64');
const RSA_1024_PKCS1 = (RSA_1024_KEY.export({ type: 'pkcs1', format: 'der' }) as Buffer).toString('base64');
const RSA_2048 = spki(rsaKey(2048)).toString('base64');
const RSA_4160 = spki(rsaKey(4160)).toString('base64');
const ED25519_SPKI = spki(generateKeyPairSync('ed25519').publicKey);
const ED25519 = ED25519_SPKI.subarray(12).toString('base64');
const EC_P256 = spki(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey).toString('base64');

const DOMAIN = 'example.com';

function failure(name: string, kind: LookupFailure['kind'] = 'servfail'): LookupFailure {
  return { ok: false, question: { name, type: 'TXT' }, kind, message: `TXT ${name}: SERVFAIL from 192.0.2.53:53`, extendedErrors: [], durationMs: 1 };
}

function selector(name: string, lookup: SelectorLookup, source: 'given' | 'discovered' = 'given'): DkimSelectorFacts {
  return { selector: name, name: `${name}._domainkey.${DOMAIN}`, source, lookup };
}

const found = (...texts: string[]): SelectorLookup => ({ state: 'found', chain: [], keys: texts.map(keyFacts) });

function facts(selectors: DkimSelectorFacts[], extra: Partial<DkimFacts> = {}): DkimFacts {
  return { domain: DOMAIN, domainkeyName: `_domainkey.${DOMAIN}`, domainkey: { state: 'exists' }, selectors, discovery: null, ...extra };
}

/** "rule/messageId@target" of every finding, in report order. */
function keysOf(findings: Finding[]): string[] {
  return findings.map((f) => `${f.rule}/${f.messageId}${f.target === undefined ? '' : `@${f.target}`}`);
}

const check = (f: DkimFacts): Finding[] => runRules(dkimRules, f);

// ---------------------------------------------------------------------------------------------

describe('DKIM key records (RFC 6376 §3.6.1)', () => {
  it('reads the tags, with their defaults when absent', () => {
    assert.deepEqual(parseDkimKeyRecord(`p=${RSA_2048}`), { keyType: 'rsa', publicKey: RSA_2048, hashes: null, services: ['*'], flags: [], problems: [] });
    const record = parseDkimKeyRecord(`v=DKIM1; k=ED25519; h=sha256 : SHA1; s=email; t=y:s; n=a note; p=${ED25519.slice(0, 20)} \t${ED25519.slice(20)}`);
    assert.deepEqual(record, { keyType: 'ed25519', publicKey: ED25519, hashes: ['sha256', 'sha1'], services: ['email'], flags: ['y', 's'], problems: [] });
  });

  it('an empty p= is a revoked key; a missing one is a syntax error', () => {
    assert.equal(parseDkimKeyRecord('v=DKIM1; p=').publicKey, '');
    assert.deepEqual(parseDkimKeyRecord('v=DKIM1; p=').problems, []);
    assert.match(parseDkimKeyRecord('v=DKIM1; k=rsa').problems.join(), /the p= tag \(the public key\) is missing/);
  });

  it('v= must come first and be DKIM1 exactly; unknown tags are ignored', () => {
    assert.match(parseDkimKeyRecord(`k=rsa; v=DKIM1; p=${RSA_2048}`).problems.join(), /v=DKIM1 is not the first tag/);
    assert.match(parseDkimKeyRecord(`v=dkim1; p=${RSA_2048}`).problems.join(), /v=dkim1 is not v=DKIM1/);
    assert.match(parseDkimKeyRecord(`v=DKIM2; p=${RSA_2048}`).problems.join(), /v=DKIM2 is not v=DKIM1/);
    assert.deepEqual(parseDkimKeyRecord(`v=DKIM1; g=*; x_future=1; p=${RSA_2048}`).problems, []);
  });

  it('a broken tag list, a repeated tag, a bad list entry are syntax problems', () => {
    assert.match(parseDkimKeyRecord(`v=DKIM1;; p=${RSA_2048}`).problems.join(), /field 2 is empty/);
    assert.match(parseDkimKeyRecord(`v=DKIM1; p=${RSA_2048}; p=`).problems.join(), /tag p appears more than once/);
    assert.match(parseDkimKeyRecord(`v=DKIM1; h=sha256:; p=${RSA_2048}`).problems.join(), /h= holds an empty entry/);
    assert.match(parseDkimKeyRecord(`v=DKIM1; k=r_sa; p=${RSA_2048}`).problems.join(), /k=r_sa is not a key type name/);
    assert.match(parseDkimKeyRecord(`v=DKIM1; s=e mail; p=${RSA_2048}`).problems.join(), /s= holds "e mail"/);
  });

  it('a TXT record is taken for a key (in discovery) when it starts with v=DKIM1 or has a p= tag', () => {
    assert.ok(looksLikeDkimKey('v=DKIM1; p='));
    assert.ok(looksLikeDkimKey(` k=rsa; p=${RSA_2048}`));
    assert.ok(looksLikeDkimKey('p=abc'));
    assert.ok(!looksLikeDkimKey('v=spf1 -all'));
    assert.ok(!looksLikeDkimKey('google-site-verification=abc'));
  });
});

describe('the key in p=, read with node:crypto', () => {
  it('RSA: the modulus length, from a SubjectPublicKeyInfo or a bare RSAPublicKey', () => {
    assert.deepEqual(readPublicKey('rsa', RSA_2048), { ok: true, type: 'rsa', bits: 2048 });
    assert.deepEqual(readPublicKey('rsa', RSA_1024), { ok: true, type: 'rsa', bits: 1024 });
    assert.deepEqual(readPublicKey('rsa', RSA_1024_PKCS1), { ok: true, type: 'rsa', bits: 1024 });
    assert.deepEqual(readPublicKey('rsa', RSA_512), { ok: true, type: 'rsa', bits: 512 });
  });

  it('Ed25519: the bare 32-octet key; wrapped in a SubjectPublicKeyInfo it is named as such', () => {
    assert.deepEqual(readPublicKey('ed25519', ED25519), { ok: true, type: 'ed25519', bits: null });
    const wrapped = readPublicKey('ed25519', ED25519_SPKI.toString('base64'));
    assert.ok(!wrapped.ok && /wrapped in a SubjectPublicKeyInfo \(44 octets\)/.test(wrapped.problem), JSON.stringify(wrapped));
    const rsa = readPublicKey('ed25519', RSA_2048);
    assert.ok(!rsa.ok && /it is an RSA key: k=ed25519 is wrong/.test(rsa.problem), JSON.stringify(rsa));
  });

  it('not base64, not DER, another kind of key: a problem, never a throw', () => {
    const problem = (type: 'rsa' | 'ed25519', text: string): string => {
      const reading = readPublicKey(type, text);
      assert.ok(!reading.ok, text);
      return reading.problem;
    };
    assert.match(problem('rsa', 'abc*def'), /characters that base64 does not use/);
    assert.match(problem('rsa', Buffer.from('not a key at all').toString('base64')), /does not decode to an RSA public key/);
    assert.match(problem('rsa', EC_P256), /holds an ec key where k=rsa says RSA/);
    assert.match(problem('rsa', RSA_2048.slice(0, 100)), /does not decode/);
    assert.match(problem('ed25519', 'AAAA'), /decodes to 3 octets, where an Ed25519 key is 32/);
  });
});

describe('the DKIM rules', () => {
  it('a good RSA key and a good Ed25519 key: no finding; the section says usable, the text ✓', () => {
    const f = facts([selector('s1', found(`v=DKIM1; k=rsa; p=${RSA_2048}`)), selector('ed', found(`v=DKIM1; k=ed25519; p=${ED25519}`))]);
    assert.deepEqual(check(f), []);
    const section = dkimSection(f);
    assert.deepEqual(section.selectors.map((s) => [s.state, s.key?.type, s.key?.bits, s.key?.usable]), [['found', 'rsa', 2048, true], ['found', 'ed25519', null, true]]);
    assert.deepEqual(dkimLines(section).map((l) => l.text), ['s1: ✓ rsa 2048 bits', 'ed: ✓ ed25519']);
  });

  it('key sizes (RFC 8301 §3.2): under 1024 an error, under 2048 a warning, over 4096 a warning', () => {
    const findings = check(facts([selector('k512', found(`p=${RSA_512}`)), selector('k1024', found(`p=${RSA_1024}`)), selector('k4160', found(`p=${RSA_4160}`))]));
    assert.deepEqual(findings.map((f) => `${f.severity} ${f.rule}/${f.messageId}@${f.target}`), [
      'error dkim-key-too-short/tooShort@k512._domainkey.example.com',
      'warning dkim-key-too-long/tooLong@k4160._domainkey.example.com',
      'warning dkim-key-too-short/short@k1024._domainkey.example.com',
    ]);
    assert.match(findings[0]!.message, /has 512 bits: verifiers must not accept/);
    const section = dkimSection(facts([selector('k512', found(`p=${RSA_512}`)), selector('k1024', found(`p=${RSA_1024}`))]));
    assert.deepEqual(section.selectors.map((s) => s.key?.usable), [false, true]);
    assert.deepEqual(dkimLines(section).map((l) => l.text), ['k512: ✗ rsa 512 bits', 'k1024: ! rsa 1024 bits']);
  });

  it('revoked (info), testing (warning), sha1 only, unknown hashes only, not for e-mail, unknown k= (errors)', () => {
    const findings = check(facts([
      selector('revoked', found('v=DKIM1; p=')),
      selector('testing', found(`v=DKIM1; t=y; p=${RSA_2048}`)),
      selector('strict', found(`v=DKIM1; t=s; h=sha1:sha256; s=email:other; p=${RSA_2048}`)),
      selector('sha1', found(`v=DKIM1; h=sha1; p=${RSA_2048}`)),
      selector('sha512', found(`v=DKIM1; h=sha512; p=${RSA_2048}`)),
      selector('service', found(`v=DKIM1; s=tlsrpt; p=${RSA_2048}`)),
      selector('dsa', found(`v=DKIM1; k=dsa; p=${RSA_2048}`)),
    ]));
    assert.deepEqual(keysOf(findings), [
      'dkim-key-hash-unusable/sha1Only@sha1._domainkey.example.com',
      'dkim-key-hash-unusable/unknownOnly@sha512._domainkey.example.com',
      'dkim-key-not-for-email/notForEmail@service._domainkey.example.com',
      'dkim-key-type-unknown/unknown@dsa._domainkey.example.com',
      'dkim-testing/testing@testing._domainkey.example.com',
      'dkim-key-revoked/revoked@revoked._domainkey.example.com',
    ]);
    assert.match(findings[0]!.message, /allows only h=sha1: verifiers no longer accept sha1 signatures/);
    assert.match(findings[2]!.message, /is for s=tlsrpt, not e-mail/);
  });

  it('a malformed record is judged for its syntax only; a key that does not parse is dkim-key-invalid', () => {
    const findings = check(facts([
      selector('syntax', found(`p=${RSA_512}; v=DKIM1; h=sha1`)),
      selector('nop', found('v=DKIM1; k=rsa')),
      selector('bad', found('v=DKIM1; p=not*base64')),
      selector('edspki', found(`v=DKIM1; k=ed25519; p=${ED25519_SPKI.toString('base64')}`)),
    ]));
    assert.deepEqual(keysOf(findings), [
      'dkim-key-invalid/invalid@bad._domainkey.example.com',
      'dkim-key-invalid/invalid@edspki._domainkey.example.com',
      'dkim-syntax/malformed@nop._domainkey.example.com',
      'dkim-syntax/malformed@syntax._domainkey.example.com',
    ]);
    assert.match(findings[3]!.message, /^The DKIM key record at syntax\._domainkey\.example\.com \("p=.*"\) is malformed: v=DKIM1 is not the first tag, where it must be; verifiers ignore it/);
    assert.deepEqual(dkimLines(dkimSection(facts([selector('bad', found('v=DKIM1; p=not*base64'))]))).map((l) => l.text), ['bad: ✗ rsa, no usable key']);
  });

  it('several records at a selector: dkim-multiple, and nothing else judged', () => {
    const f = facts([selector('multi', found(`v=DKIM1; p=${RSA_2048}`, `v=DKIM1; p=${RSA_512}`))]);
    const findings = check(f);
    assert.deepEqual(keysOf(findings), ['dkim-multiple/multiple@multi._domainkey.example.com']);
    assert.match(findings[0]!.message, /has 2 TXT records \("v=DKIM1; p=MII.*", "v=DKIM1; p=MFw.*"\)/);
    assert.deepEqual(dkimSection(f).selectors[0], {
      selector: 'multi', name: 'multi._domainkey.example.com', source: 'given', state: 'multiple', cname: [],
      records: [`v=DKIM1; p=${RSA_2048}`, `v=DKIM1; p=${RSA_512}`],
    });
  });

  it('a given selector without a record is an error, NXDOMAIN and NODATA told apart; a common one is never reported missing', () => {
    const findings = check(facts([
      selector('gone', { state: 'nxdomain', chain: [] }),
      selector('empty', { state: 'nodata', chain: [] }),
      selector('google', { state: 'nxdomain', chain: [] }, 'discovered'),
    ]));
    assert.deepEqual(keysOf(findings), [
      'dkim-selector-missing/nodata@empty._domainkey.example.com',
      'dkim-selector-missing/nxdomain@gone._domainkey.example.com',
    ]);
    assert.match(findings[1]!.message, /^gone\._domainkey\.example\.com does not exist \(NXDOMAIN\): there is no key for selector gone/);
  });

  it('an alias that leads nowhere, given or common: dkim-cname-broken, not dkim-selector-missing', () => {
    const findings = check(facts([
      selector('selector1', { state: 'nxdomain', chain: ['selector1-example-com._domainkey.tenant.example.net'] }, 'discovered'),
      selector('s2', { state: 'nodata', chain: ['a.example.net', 's2.esp.example.net'] }),
      selector('loop', { state: 'loop', chain: ['loop2._domainkey.example.com', 'loop._domainkey.example.com'] }),
      selector('fine', { state: 'found', chain: ['key.esp.example.net'], keys: [keyFacts(`p=${RSA_2048}`)] }),
    ]));
    assert.deepEqual(keysOf(findings), [
      'dkim-cname-broken/loop@loop._domainkey.example.com',
      'dkim-cname-broken/nodata@s2._domainkey.example.com',
      'dkim-cname-broken/nxdomain@selector1._domainkey.example.com',
    ]);
    assert.match(findings[2]!.message, /is an alias of selector1-example-com\._domainkey\.tenant\.example\.net, which does not exist \(NXDOMAIN\): the key it pointed to was removed.*sign mail as example\.com\./);
    assert.match(findings[0]!.message, /chain loops \(loop\._domainkey\.example\.com → loop2\._domainkey\.example\.com → loop\._domainkey\.example\.com\)/);
    assert.match(findings[1]!.message, /alias of s2\.esp\.example\.net, which has no TXT record/);
  });

  it('NXDOMAIN at _domainkey above a selector that has a record: dkim-nxdomain-above-key (RFC 8020)', () => {
    const f = facts([selector('s1', found(`p=${RSA_2048}`)), selector('s2', { state: 'nxdomain', chain: [] })], { domainkey: { state: 'nxdomain' } });
    const findings = check(f);
    assert.deepEqual(keysOf(findings), ['dkim-selector-missing/nxdomain@s2._domainkey.example.com', 'dkim-nxdomain-above-key/nxdomain@s1._domainkey.example.com']);
    assert.match(findings[1]!.message, /^_domainkey\.example\.com answers NXDOMAIN \(it does not exist\), yet s1\._domainkey\.example\.com below it has a record/);
  });

  it('no selector: a hint of what _domainkey says, never "missing"; nothing when the domain does not exist', () => {
    const hint = (extra: Partial<DkimFacts>): string[] => check(facts([], extra)).map((f) => `${f.severity} ${f.rule}/${f.messageId}`);
    assert.deepEqual(hint({ domainkey: { state: 'nxdomain' } }), ['info dkim-selectors-unknown/nxdomain']);
    assert.deepEqual(hint({ domainkey: { state: 'exists' } }), ['info dkim-selectors-unknown/exists']);
    assert.deepEqual(hint({ domainkey: { state: 'exists' }, discovery: { asked: 30, failed: [] } }), ['info dkim-selectors-unknown/noneDiscovered']);
    assert.deepEqual(hint({ domainkey: { state: 'nxdomain' }, discovery: { asked: 0, failed: [] } }), ['info dkim-selectors-unknown/nxdomain']);
    assert.deepEqual(hint({ domainkey: { state: 'failed', failure: failure('_domainkey.example.com') } }), ['unknown dkim-lookup-failed/failed']);
    assert.deepEqual(hint({ domainkey: null }), []);
    const [nxdomain] = check(facts([], { domainkey: { state: 'nxdomain' } }));
    assert.match(nxdomain!.message, /^_domainkey\.example\.com does not exist \(NXDOMAIN\): example\.com publishes no DKIM key under any selector/);
    assert.equal(nxdomain!.fix, 'if mail from example.com should carry its own DKIM signature, publish the key at SELECTOR._domainkey.example.com');
    // A key found under a common selector is a selector known: no hint.
    assert.deepEqual(check(facts([selector('google', found(`p=${RSA_2048}`), 'discovered')], { discovery: { asked: 30, failed: [] } })), []);
    assert.deepEqual(dkimLines(dkimSection(facts([], { domainkey: { state: 'nxdomain' } }))).map((l) => l.text), ['no key under any selector: _domainkey does not exist']);
    assert.deepEqual(dkimLines(dkimSection(facts([], { domainkey: null }))), []);
    const given = dkimSection(facts([selector('s1', found(`p=${RSA_2048}`))], { discovery: { asked: 29, failed: [] } }));
    assert.deepEqual(dkimLines(given).map((l) => l.text), ['s1: ✓ rsa 2048 bits', 'none of the 29 other common selectors has a key']);
  });

  it('failed lookups are unknown: each given selector\'s, _domainkey\'s when it decides something, the common ones\' as one finding', () => {
    const given = facts([selector('s1', { state: 'failed', chain: [], failure: failure('s1._domainkey.example.com') })],
      { domainkey: { state: 'failed', failure: failure('_domainkey.example.com') } });
    // _domainkey failed beside a given selector: nothing depends on it.
    assert.deepEqual(keysOf(check(given)), ['dkim-lookup-failed/failed@s1._domainkey.example.com']);
    const discovery = facts([], {
      domainkey: { state: 'exists' },
      // A name left unasked on purpose (zone mode, offline) is no failure.
      discovery: { asked: 30, failed: [{ selector: 'selector1', failure: failure('selector1._domainkey.example.com', 'not-asked') },
        { selector: 'google', failure: failure('google._domainkey.example.com') }, { selector: 'k1', failure: failure('k1._domainkey.example.com', 'timeout') }] },
    });
    const findings = check(discovery);
    assert.deepEqual(keysOf(findings), ['dkim-lookup-failed/failed', 'dkim-selectors-unknown/noneDiscovered']);
    assert.match(findings[0]!.message, /^2 of the common selectors could not be asked \(google, k1\); the first: TXT google\._domainkey\.example\.com: SERVFAIL/);
    assert.deepEqual(dkimLines(dkimSection(given)).map((l) => l.text), ['s1: ? lookup failed']);
  });
});

describe('DKIM options', () => {
  it('turn the family on, in registry order; --checks dkim without them is refused naming the flags', () => {
    assert.deepEqual(requestedFamilies({ dkimSelectors: ['s1'] }), ['mx', 'spf', 'dmarc', 'dkim', 'takeover']);
    assert.deepEqual(requestedFamilies({ dkimDiscover: true, checks: 'mx' }), ['mx', 'dkim']);
    assert.deepEqual(requestedFamilies({ dkimSelectors: ['s1'], dnsbl: ['bl.example.org'], checks: ['dnsbl', 'mx'] }), ['mx', 'dkim', 'dnsbl']);
    assert.deepEqual(requestedFamilies({}), ['mx', 'spf', 'dmarc', 'takeover']);
    assert.ok(requestedFamilies({ checks: 'all' }).includes('dkim'), 'all includes it without selectors');
    assert.throws(() => requestedFamilies({ checks: 'mx,dkim' }),
      new OptionError('checks dkim needs the selectors to ask: dkimSelectors selector[,selector…], or dkimDiscover to try common ones'));
    assert.throws(() => requestedFamilies({ checks: 'dkim', dkimSelectors: [] }, CLI_OPTION_NAMES),
      new OptionError('--checks dkim needs the selectors to ask: --dkim-selector selector[,selector…], or --dkim-discover to try common ones'));
  });

  it('selectors are validated: labels of letters, digits and hyphens, the selector alone, at most MAX_DKIM_SELECTORS', () => {
    const refused = (options: object, message: RegExp): void => assert.throws(() => validateOptions(options), (error: Error) => error instanceof OptionError && message.test(error.message));
    assert.deepEqual(validateOptions({ dkimSelectors: ['s1', 'Selector-2', '20230601.eu', 'k1'] }).dkimSelectors, ['s1', 'Selector-2', '20230601.eu', 'k1']);
    refused({ dkimSelectors: ['s_1'] }, /^dkimSelectors: "s_1" is not a DKIM selector: label "s_1" contains an underscore$/);
    refused({ dkimSelectors: ['s1._domainkey.example.com'] }, /^dkimSelectors: "s1\._domainkey\.example\.com" is a DNS name; give the selector alone .*s1\)$/);
    refused({ dkimSelectors: [''] }, /is not a DKIM selector: the name is empty/);
    refused({ dkimSelectors: [7] }, /^dkimSelectors holds selector names, not 7$/);
    refused({ dkimSelectors: 's1' }, /^dkimSelectors must be a list, not "s1"$/);
    refused({ dkimSelectors: Array.from({ length: MAX_DKIM_SELECTORS + 1 }, (_, i) => `s${i}`) }, new RegExp(`names ${MAX_DKIM_SELECTORS + 1} selectors; at most ${MAX_DKIM_SELECTORS}`));
    refused({ dkimDiscover: 'yes' }, /^dkimDiscover must be true or false, not "yes"$/);
    assert.equal(LIBRARY_OPTION_NAMES.dkimSelectors, 'dkimSelectors');
    assert.equal(selectorProblem('google'), null);
  });

  it('the common selectors are what docs/checks.md lists, in order, each once', () => {
    const checksDoc = readFileSync(join(REPO_ROOT, 'docs', 'checks.md'), 'utf8');
    const paragraph = /The common selectors, asked in this order: ([^]*?)\n- \*\*/.exec(checksDoc)?.[1] ?? '';
    const documented = [...paragraph.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const selectors = DKIM_DISCOVERY_SELECTORS.map((s) => s.selector);
    assert.deepEqual(documented, selectors);
    assert.equal(new Set(selectors).size, selectors.length);
    for (const { selector: s, provider } of DKIM_DISCOVERY_SELECTORS) {
      assert.equal(selectorProblem(s), null, s);
      assert.ok(paragraph.replace(/\s+/g, ' ').includes(provider), `docs/checks.md names ${provider}`);
    }
  });
});

describe('the CLI flags', () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
    return { code, stdout, stderr };
  }
  let server: LocalDnsServer;
  before(async () => {
    server = await startLocalDnsServer({ records: [] });
  });
  after(() => server.close());

  it('--checks dkim without selectors, or a bad selector: one line naming the flag, exit 3, nothing asked', async () => {
    for (const [args, message] of [
      [['--checks', 'dkim', 'example.com'], /^mxlint: --checks dkim needs the selectors to ask: --dkim-selector selector\[,selector…\], or --dkim-discover to try common ones/],
      [['--dkim-selector', 's1,s_2', 'example.com'], /^mxlint: --dkim-selector: "s_2" is not a DKIM selector: label "s_2" contains an underscore/],
    ] as const) {
      const run = await cli([...args, '--server', server.address]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.split('\n').length, 2, run.stderr);
    }
    assert.equal(server.queries.length, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// Through the library, against the in-process server.

const NXDOMAIN_RCODE = 3;
/** TXT data in presentation form: the text as quoted strings of at most 255 octets. */
const txt = (text: string): string => (text.match(/.{1,200}/g) ?? []).map((part) => `"${part}"`).join(' ');
const ZONE = `
$ORIGIN lib.test.
$TTL 300
@ SOA ns1 hostmaster 1 3600 600 86400 300
@ NS ns1
ns1 A 192.0.2.53
; _domainkey answered NXDOMAIN by the server's script below, though a key is under it.
cut MX 10 mx.cut
mx.cut A 192.0.2.25
s1._domainkey.cut TXT ${txt(`v=DKIM1; p=${RSA_1024}`)}
; Nothing under _domainkey: NXDOMAIN, and no common selector needs to be asked.
none MX 10 mx.cut
; Common selectors that fail (SERVFAIL by the script), one that has a key.
flaky MX 10 mx.cut
google._domainkey.flaky TXT ${txt(`v=DKIM1; p=${RSA_2048}`)}
`;

describe('the dkim family through the library', () => {
  let server: LocalDnsServer;
  before(async () => {
    const zone = readZoneText(ZONE, { file: 'lib.test' });
    assert.deepEqual(zone.problems, []);
    server = await startLocalDnsServer({
      records: zone.records,
      behave: (q) => {
        if (q.name === '_domainkey.cut.lib.test') return { kind: 'answer', edit: (reply) => { reply.flags = ((reply.flags ?? 0) & ~0xf) | NXDOMAIN_RCODE; } };
        if (/^(k1|k2|mandrill)\._domainkey\.flaky\.lib\.test$/.test(q.name)) return { kind: 'rcode', rcode: 'SERVFAIL' };
        return { kind: 'answer' };
      },
    });
  });
  after(() => server.close());

  const check = (domain: string, options: Parameters<typeof checkDomain>[1]) => checkDomain(domain, { servers: [server.address], retries: 0, timeoutMs: 2000, ...options });
  const asked = (from: number, below: string): string[] => server.queries.slice(from).filter((q) => q.name.endsWith(below)).map((q) => q.name);

  it('a key below an _domainkey that answers NXDOMAIN: found, and dkim-nxdomain-above-key', async () => {
    const result = await check('cut.lib.test', { checks: 'dkim', dkimSelectors: ['s1'] });
    assert.deepEqual(result.findings.map((f) => f.rule).sort(), ['dkim-key-too-short', 'dkim-nxdomain-above-key']);
    assert.equal(result.dkim?.domainkey, 'nxdomain');
    assert.equal(result.dkim?.selectors[0]?.key?.bits, 1024);
  });

  it('discovery asks no common selector below an _domainkey that does not exist', async () => {
    const from = server.queries.length;
    const result = await check('none.lib.test', { checks: 'dkim', dkimDiscover: true, dkimSelectors: ['mine'] });
    assert.deepEqual(result.dkim, {
      domainkey: 'nxdomain', discovery: { asked: 0 },
      selectors: [{ selector: 'mine', name: 'mine._domainkey.none.lib.test', source: 'given', state: 'nxdomain', cname: [] }],
    });
    assert.deepEqual(asked(from, '_domainkey.none.lib.test').sort(), ['_domainkey.none.lib.test', 'mine._domainkey.none.lib.test']);
    assert.deepEqual(result.findings.map((f) => f.rule), ['dkim-selector-missing']);
  });

  it('discovery asks each common selector once (given ones not again), and reports those that failed together', async () => {
    const from = server.queries.length;
    const result = await check('flaky.lib.test', { checks: 'dkim', dkimDiscover: true, dkimSelectors: ['S1', 'google', 's1'] });
    const names = asked(from, '._domainkey.flaky.lib.test');
    const expected = [...new Set(['s1', 'google', ...DKIM_DISCOVERY_SELECTORS.map((s) => s.selector)])].map((s) => `${s}._domainkey.flaky.lib.test`);
    assert.deepEqual([...new Set(names)].sort(), expected.sort());
    assert.deepEqual(result.dkim?.selectors.map((s) => [s.selector, s.source, s.state]), [['s1', 'given', 'nxdomain'], ['google', 'given', 'found']]);
    assert.deepEqual(result.dkim?.discovery, { asked: DKIM_DISCOVERY_SELECTORS.length - 2 });
    const failed = result.findings.filter((f) => f.rule === 'dkim-lookup-failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.message, /^3 of the common selectors could not be asked \(k1, k2, mandrill\); the first: TXT k1\._domainkey\.flaky\.lib\.test: SERVFAIL/);
    assert.deepEqual(result.findings.map((f) => f.rule), ['dkim-selector-missing', 'dkim-lookup-failed']);
  });
});
