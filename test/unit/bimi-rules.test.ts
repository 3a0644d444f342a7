/**
 * The BIMI family on pure facts: the assertion record's syntax, the DMARC enforcement BIMI requires,
 * the evidence document (Mark Certificates made with openssl by a test authority: chain, names,
 * dates, logotype hash) and every rule on hand-made facts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BimiFacts, EvidenceFetch, IndicatorFetch } from '../../src/families/bimi/collect.js';
import { bimiRules } from '../../src/families/bimi/rules.js';
import { bimiSection } from '../../src/families/bimi/section.js';
import { bimiLines } from '../../src/families/bimi/text.js';
import { parseBimiRecord } from '../../src/families/bimi/record.js';
import { dmarcEnforcement } from '../../src/families/bimi/dmarc-enforcement.js';
import type { DmarcAt, DmarcEnforcementFacts } from '../../src/families/bimi/dmarc-enforcement.js';
import { coversDomain, readEvidence } from '../../src/families/bimi/evidence.js';
import type { EvidenceReading } from '../../src/families/bimi/evidence.js';
import { readIndicator } from '../../src/families/bimi/svg.js';
import { runRules } from '../support/rules.js';
import { e2eGate } from '../support/e2e.js';
import { createMarkAuthority, embeddedLogo, GOOD_LOGO, logo, logotypeExtension, type MarkAuthority } from '../support/bimi.js';

describe('the assertion record', () => {
  test('a good record: logo and evidence as https: URLs', () => {
    const record = parseBimiRecord('v=BIMI1; l=https://brand.example/logo.svg; a=https://brand.example:8443/vmc.pem?v=2');
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.location, { url: 'https://brand.example/logo.svg', host: 'brand.example', port: 443, path: '/logo.svg' });
    assert.deepEqual(record.evidence, { url: 'https://brand.example:8443/vmc.pem?v=2', host: 'brand.example', port: 8443, path: '/vmc.pem?v=2' });
    assert.deepEqual([record.declined, record.discarded], [false, false]);
  });

  test('white space around "=" is allowed; a= absent reads as empty', () => {
    const record = parseBimiRecord('v = BIMI1 ; l = https://brand.example/logo.svg ;');
    assert.deepEqual([record.problems, record.evidence, record.location?.host], [[], null, 'brand.example']);
  });

  test('declination: l= and a= both empty', () => {
    const record = parseBimiRecord('v=BIMI1; l=; a=;');
    assert.deepEqual([record.declined, record.problems, record.location], [true, [], null]);
  });

  for (const [text, problem, discarded] of [
    ['l=https://b.example/l.svg; v=BIMI1', 'it does not start with v=BIMI1', true],
    ['v=bimi1; l=https://b.example/l.svg', 'v=bimi1 is not v=BIMI1 (compared exactly)', true],
    ['v=BIMI1; a=https://b.example/vmc.pem', 'the l= tag (the logo\'s location) is missing; it is required, empty to decline', false],
    ['v=BIMI1; l=http://b.example/l.svg', 'l=http://b.example/l.svg uses http:, but only https: is allowed', false],
    ['v=BIMI1; l=https://192.0.2.1/l.svg', 'l=https://192.0.2.1/l.svg names an IP address where a fully qualified domain name is required', false],
    ['v=BIMI1; l=https://b.example/a.svg,https://b.example/b.svg', 'l=https://b.example/a.svg,https://b.example/b.svg holds a comma: it must be a single URI (commas within it encoded as %2C)', false],
    ['v=BIMI1; l=https://b.example/logo.png', 'l=https://b.example/logo.png names an image format other than SVG, which receivers treat as a permanent error', false],
    ['v=BIMI1; L=https://b.example/l.svg', 'tag names are case-sensitive: "L" is not "l", so receivers ignore it', false],
    ['v=BIMI1; l=https://b.example/l.svg; a=ftp://b.example/v.pem', 'a=ftp://b.example/v.pem uses ftp:, but only https: is allowed', false],
  ] as const) {
    test(`"${text}"`, () => {
      const record = parseBimiRecord(text);
      assert.ok(record.problems.includes(problem), JSON.stringify(record.problems));
      assert.equal(record.discarded, discarded);
    });
  }

  test('avp= and lps= values receivers ignore are noted apart', () => {
    const record = parseBimiRecord('v=BIMI1; l=https://b.example/l.svg; avp=logo; lps=yes');
    assert.deepEqual([record.problems, record.ignored], [[], ['lps=yes is not true or false', 'avp=logo is not brand or personal']]);
  });
});

function dmarcAt(name: string, text: string | null): DmarcAt {
  if (text === null) return { state: 'none', name };
  const tag = (t: string): string | null => new RegExp(`(?:^|;)\\s*${t}=([^;]*)`).exec(text)?.[1]?.trim().toLowerCase() ?? null;
  return { state: 'found', name, text, tags: { p: tag('p'), sp: tag('sp'), pct: tag('pct'), testing: tag('t') === 'y' } };
}

function enforcement(own: string | null, org?: string | null): ReturnType<typeof dmarcEnforcement> {
  const facts: DmarcEnforcementFacts = {
    domain: 'mail.brand.example', own: dmarcAt('_dmarc.mail.brand.example', own),
    organizational: org === undefined ? null : { domain: 'brand.example', at: dmarcAt('_dmarc.brand.example', org) },
  };
  return dmarcEnforcement(facts);
}

describe('DMARC enforcement as BIMI requires it', () => {
  test('reject, quarantine at 100%, and a subdomain inheriting an enforcing sp are enforcement', () => {
    assert.deepEqual(enforcement('v=DMARC1; p=reject'), { state: 'enforced' });
    assert.deepEqual(enforcement('v=DMARC1; p=quarantine; pct=100'), { state: 'enforced' });
    assert.deepEqual(enforcement('v=DMARC1; p=reject; pct=50'), { state: 'enforced' });
    assert.deepEqual(enforcement(null, 'v=DMARC1; p=reject; sp=quarantine'), { state: 'enforced' });
  });

  test('what falls short, each reason said', () => {
    assert.deepEqual(enforcement('v=DMARC1; p=none'), { state: 'not-enforced', reasons: ['_dmarc.mail.brand.example has p=none, not quarantine or reject'] });
    assert.deepEqual(enforcement('v=DMARC1; p=quarantine; pct=50'), { state: 'not-enforced', reasons: ['_dmarc.mail.brand.example quarantines only pct=50% of failing mail'] });
    assert.deepEqual(enforcement('v=DMARC1; p=reject; t=y'), { state: 'not-enforced', reasons: ['_dmarc.mail.brand.example has t=y (testing: receivers apply a policy one step weaker)'] });
    assert.deepEqual(enforcement(null), { state: 'not-enforced', reasons: ['there is no DMARC record at _dmarc.mail.brand.example'] });
    assert.deepEqual(enforcement(null, null), { state: 'not-enforced', reasons: ['there is no DMARC record at _dmarc.mail.brand.example', 'there is no DMARC record at _dmarc.brand.example, the Organizational Domain'] });
    assert.deepEqual(enforcement(null, 'v=DMARC1; p=reject; sp=none'), { state: 'not-enforced', reasons: ['_dmarc.brand.example has sp=none'] });
    assert.deepEqual(enforcement('v=DMARC1; p=reject', 'v=DMARC1; p=none'), { state: 'not-enforced', reasons: ['_dmarc.brand.example has p=none, not quarantine or reject'] });
    assert.deepEqual(enforcement('v=DMARC1; p=reject', null), { state: 'not-enforced', reasons: ['there is no DMARC record at _dmarc.brand.example, the Organizational Domain'] });
  });

  test('several records apply none; a failed lookup is a failure, not a verdict', () => {
    const multiple: DmarcEnforcementFacts = { domain: 'b.example', own: { state: 'multiple', name: '_dmarc.b.example', count: 2 }, organizational: null };
    assert.deepEqual(dmarcEnforcement(multiple), { state: 'not-enforced', reasons: ['_dmarc.b.example has 2 DMARC records, so receivers apply none'] });
    const failure = { kind: 'timeout', message: 'TXT _dmarc.b.example: no answer' } as const;
    const failed: DmarcEnforcementFacts = { domain: 'b.example', own: { state: 'failed', name: '_dmarc.b.example', failure: failure as never }, organizational: null };
    assert.equal(dmarcEnforcement(failed).state, 'failed');
  });
});

const NOW = new Date();
const LOGO_URL = 'https://brand.example/logo.svg';
const VMC_URL = 'https://brand.example/vmc.pem';

function indicatorFetch(svg: string | Buffer): IndicatorFetch {
  const body = typeof svg === 'string' ? Buffer.from(svg) : svg;
  return { url: LOGO_URL, state: 'fetched', host: 'brand.example', address: '192.0.2.80', contentType: 'image/svg+xml', size: body.length, reading: readIndicator(body) };
}

function evidenceFetch(reading: EvidenceReading): EvidenceFetch {
  return { url: VMC_URL, state: 'fetched', host: 'brand.example', address: '192.0.2.80', contentType: 'application/pem-certificate-chain', reading };
}

function facts(record: string, parts: Partial<BimiFacts> = {}): BimiFacts {
  return {
    domain: 'brand.example', selector: 'default', organizational: 'brand.example', now: NOW,
    discovery: { state: 'found', name: 'default._bimi.brand.example', source: 'brand.example', inherited: false, records: [{ text: record, parsed: parseBimiRecord(record) }] },
    dmarc: { domain: 'brand.example', own: dmarcAt('_dmarc.brand.example', 'v=DMARC1; p=reject'), organizational: null },
    indicator: null, evidence: null, ...parts,
  };
}

function ruleKeys(f: BimiFacts): string[] {
  return runRules(bimiRules, f).map((finding) => `${finding.rule}/${finding.messageId}`);
}

describe('the rules on hand-made facts', () => {
  test('no record: an informational note naming where it was looked for', () => {
    const none: BimiFacts = { ...facts(''), discovery: { state: 'none', asked: ['default._bimi.mail.brand.example', 'default._bimi.brand.example'] }, dmarc: null };
    const [finding] = runRules(bimiRules, none);
    assert.equal(finding?.rule, 'bimi-missing');
    assert.match(finding!.message, /no "v=BIMI1" TXT at default\._bimi\.mail\.brand\.example nor at default\._bimi\.brand\.example/);
  });

  test('a good record, logo and Mark Certificate: only the chain is unknown without trust anchors', () => {
    const record = `v=BIMI1; l=${LOGO_URL}; a=${VMC_URL}`;
    const evidence: EvidenceReading = {
      certificates: 2, problems: [], chain: { state: 'no-anchors' },
      mark: { subject: 'CN=brand.example', issuer: 'CN=Mark CA', altNames: ['brand.example'], validFrom: new Date(NOW.getTime() - 1e9).toISOString(), validTo: new Date(NOW.getTime() + 1e9).toISOString() },
      logo: { kind: 'embedded', mediaType: 'image/svg+xml', indicator: readIndicator(Buffer.from(GOOD_LOGO)), hashes: [], hashMatches: true },
    };
    const good = facts(record, { indicator: indicatorFetch(GOOD_LOGO), evidence: evidenceFetch(evidence) });
    assert.deepEqual(ruleKeys(good), ['bimi-evidence-not-verified/notVerified']);
    assert.deepEqual(ruleKeys({ ...good, evidence: evidenceFetch({ ...evidence, chain: { state: 'verified', anchor: 'CN=Root' } }) }), []);
    const section = bimiSection(good);
    assert.equal(section.logo?.svgTinyPs, true);
    assert.deepEqual([section.evidence?.chain, section.evidence?.logoMatches, section.dmarc], ['not-verified', true, 'enforced']);
    assert.deepEqual(bimiLines(section).map((l) => l.label), ['BIMI', 'BIMI logo', 'BIMI VMC']);

    const otherLogo = indicatorFetch(logo({ body: '<rect width="10" height="10"/>' }));
    assert.deepEqual(ruleKeys({ ...good, indicator: otherLogo }), ['bimi-evidence-logo-mismatch/differs', 'bimi-evidence-not-verified/notVerified']);
    const expired = { ...evidence.mark!, validTo: new Date(NOW.getTime() - 1000).toISOString() };
    assert.ok(ruleKeys({ ...good, evidence: evidenceFetch({ ...evidence, mark: expired }) }).includes('bimi-evidence-expired/expired'));
    const otherName = { ...evidence.mark!, altNames: ['other.example'] };
    assert.ok(ruleKeys({ ...good, evidence: evidenceFetch({ ...evidence, mark: otherName }) }).includes('bimi-evidence-name-mismatch/mismatch'));
    const untrusted = { ...evidence, chain: { state: 'failed' as const, reason: 'no certificate issued it' } };
    assert.deepEqual(ruleKeys({ ...good, evidence: evidenceFetch(untrusted) }), ['bimi-evidence-untrusted/untrusted']);
  });

  test('without a=, a note that the largest providers want a Mark Certificate; an invalid and an oversized logo', () => {
    const record = `v=BIMI1; l=${LOGO_URL}`;
    assert.deepEqual(ruleKeys(facts(record, { indicator: indicatorFetch(GOOD_LOGO) })), ['bimi-no-evidence/noEvidence']);
    const big = logo({ body: `<desc>${'x'.repeat(40_000)}</desc>` });
    assert.deepEqual(ruleKeys(facts(record, { indicator: indicatorFetch(big) })), ['bimi-indicator-size/tooLarge', 'bimi-no-evidence/noEvidence']);
    const scripted = facts(record, { indicator: indicatorFetch(logo({ body: '<script>x()</script>' })) });
    assert.deepEqual(ruleKeys(scripted), ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence']);
    assert.equal(bimiSection(scripted).logo?.svgTinyPs, false);
  });

  test('DMARC not enforcing is an error naming why', () => {
    const weak = facts(`v=BIMI1; l=${LOGO_URL}; a=`, {
      indicator: indicatorFetch(GOOD_LOGO),
      dmarc: { domain: 'brand.example', own: dmarcAt('_dmarc.brand.example', 'v=DMARC1; p=quarantine; pct=25'), organizational: null },
    });
    const finding = runRules(bimiRules, weak).find((f) => f.rule === 'bimi-dmarc-not-enforced');
    assert.equal(finding?.message, 'BIMI needs DMARC enforcement for brand.example, but _dmarc.brand.example quarantines only pct=25% of failing mail: receivers perform no BIMI processing for its mail.');
  });

  test('malformed, discarded, declined and multiple records', () => {
    assert.deepEqual(ruleKeys({ ...facts('v=BIMI1; l=http://b.example/l.svg'), dmarc: null }), ['bimi-record-syntax/failed']);
    assert.deepEqual(ruleKeys({ ...facts('v=BIMI2; l=https://b.example/l.svg'), dmarc: null }), ['bimi-record-syntax/discarded']);
    assert.deepEqual(ruleKeys({ ...facts('v=BIMI1; l=; a='), dmarc: null }), ['bimi-declined/declined']);
    const ignored = runRules(bimiRules, facts(`v=BIMI1; l=${LOGO_URL}; a=${VMC_URL}; avp=none`, { dmarc: null }));
    assert.deepEqual(ignored.map((f) => [f.rule, f.severity]), [['bimi-record-syntax', 'warning']]);
    const two = facts('');
    two.discovery = { state: 'found', name: 'default._bimi.brand.example', source: 'brand.example', inherited: false,
      records: ['v=BIMI1; l=https://a.example/l.svg', 'v=BIMI1; l=https://b.example/l.svg'].map((text) => ({ text, parsed: parseBimiRecord(text) })) };
    assert.deepEqual(ruleKeys({ ...two, dmarc: null }), ['bimi-multiple/multiple']);
    assert.equal(bimiSection(two).state, 'multiple');
  });

  test('fetches: failed on the server\'s side is an error, unreachable is unknown, a failed host lookup too', () => {
    const record = `v=BIMI1; l=${LOGO_URL}; a=${VMC_URL}`;
    const failed = facts(record, {
      indicator: { url: LOGO_URL, state: 'failed', host: 'brand.example', problem: 'answer', reason: '192.0.2.80 answered HTTP 404 instead of 200' },
      evidence: { url: VMC_URL, state: 'unreachable', host: 'brand.example', reason: 'connection refused' },
    });
    assert.deepEqual(ruleKeys(failed), ['bimi-fetch-failed/failed', 'bimi-fetch-unreachable/unreachable']);
    const lookup = facts(record, { indicator: { url: LOGO_URL, state: 'lookup-failed', host: 'brand.example', failures: [{ kind: 'timeout', message: 'A brand.example: no answer' } as never] } });
    assert.deepEqual(ruleKeys(lookup), ['bimi-lookup-failed/failed']);
  });
});

describe('evidence documents (Mark Certificates made with openssl)', { skip: e2eGate('openssl').skip }, () => {
  let dir: string;
  let authority: MarkAuthority;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-bimi-'));
    authority = await createMarkAuthority(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a good VMC: the Mark Certificate, its logo, its chain to the root given', async () => {
    const pem = await authority.issue({ names: ['brand.example'] });
    const reading = readEvidence(pem, [authority.rootPem], new Date());
    assert.deepEqual(reading.problems, []);
    assert.equal(reading.certificates, 2);
    assert.deepEqual(reading.mark?.altNames, ['brand.example']);
    assert.deepEqual(reading.chain, { state: 'verified', anchor: 'CN=mxlint test Mark Root' });
    assert.equal(reading.logo?.kind, 'embedded');
    assert.ok(reading.logo?.kind === 'embedded' && reading.logo.hashMatches && reading.logo.indicator.svg?.toString() === GOOD_LOGO);
    assert.deepEqual(readEvidence(pem, [], new Date()).chain, { state: 'no-anchors' });
    assert.ok(coversDomain(reading.mark!, 'default', ['brand.example']));
    assert.ok(!coversDomain(reading.mark!, 'default', ['other.example']));
  });

  test('a chain that does not reach the anchor given, or lacks its intermediate', async () => {
    const pem = await authority.issue({ names: ['default._bimi.brand.example'] });
    const stranger = (await createMarkAuthority(join(dir, 'other'), 'Another Mark')).rootPem;
    const reading = readEvidence(pem, [stranger], new Date());
    assert.equal(reading.chain.state, 'failed');
    assert.match((reading.chain as { reason: string }).reason, /no certificate of the document nor any trust anchor issued CN=mxlint test Mark CA/);
    const leafOnly = pem.slice(0, pem.indexOf('-----END CERTIFICATE-----') + 25);
    assert.match((readEvidence(leafOnly, [authority.rootPem], new Date()).chain as { reason: string }).reason, /issued CN=default\._bimi\.brand\.example/);
    assert.ok(coversDomain(reading.mark!, 'default', ['brand.example']));
    assert.ok(!coversDomain(reading.mark!, 'brand2', ['brand.example']));
  });

  test('no BIMI usage, no logotype, a hash that does not match its logo', async () => {
    assert.match(readEvidence(await authority.issue({ names: ['b.example'], noBimiUsage: true }), [], new Date()).problems[0]!, /no certificate in it has the BIMI extended key usage/);
    assert.deepEqual(readEvidence(await authority.issue({ names: ['b.example'], svg: null }), [], new Date()).problems, ['the Mark Certificate has no logotype extension, which carries the logo']);
    const { uri } = embeddedLogo(GOOD_LOGO);
    const wrongHash = logotypeExtension(uri, Buffer.from('something else'));
    assert.deepEqual(readEvidence(await authority.issue({ names: ['b.example'], logotype: wrongHash }), [], new Date()).problems, ['the logotype\'s hash does not match the logo it embeds']);
    assert.deepEqual(readEvidence('no certificate here', [], new Date()).problems, ['it holds no PEM certificate (-----BEGIN CERTIFICATE-----)']);
  });

  test('a logo referenced by https: and its hash: the logo at l= must have that hash', async () => {
    const referenced = logotypeExtension('https://brand.example/logo.svg', Buffer.from(GOOD_LOGO));
    const reading = readEvidence(await authority.issue({ names: ['brand.example'], logotype: referenced }), [authority.rootPem], new Date());
    assert.deepEqual([reading.problems, reading.logo?.kind], [[], 'referenced']);
    const record = `v=BIMI1; l=${LOGO_URL}; a=${VMC_URL}`;
    assert.deepEqual(ruleKeys(facts(record, { indicator: indicatorFetch(GOOD_LOGO), evidence: evidenceFetch(reading) })), []);
    assert.deepEqual(ruleKeys(facts(record, { indicator: indicatorFetch(logo()), evidence: evidenceFetch(reading) })), ['bimi-evidence-logo-mismatch/hashDiffers']);
  });

  test('an expired Mark Certificate', async () => {
    const reading = readEvidence(await authority.issue({ names: ['brand.example'], days: -2 }), [authority.rootPem], new Date());
    const record = `v=BIMI1; l=${LOGO_URL}; a=${VMC_URL}`;
    assert.deepEqual(ruleKeys(facts(record, { indicator: indicatorFetch(GOOD_LOGO), evidence: evidenceFetch(reading) })), ['bimi-evidence-expired/expired']);
  });
});
