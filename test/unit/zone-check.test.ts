/**
 * Zone mode below the CLI: answers from zone data as the zone's servers give them, the zone-only
 * rules, and checkZones putting every finding at its line. Nothing here sends a packet: the outside
 * source is a recorder that answers NXDOMAIN, or the run is offline.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ServedData } from '../../src/dns/zone-data/served-data.js';
import type { Lookup, LookupSource, LookupSourceOptions } from '../../src/dns/lookup.js';
import { collectMailFacts } from '../../src/facts/mail.js';
import { runRules } from '../support/rules.js';
import { mxRules } from '../../src/families/mx/rules/index.js';
import { zoneExternalNotChecked, zoneRules } from '../../src/modes/zone/rules/index.js';
import type { OwnedFinding } from '../../src/modes/zone/rules/index.js';
import { checkZones } from '../../src/modes/zone/runner.js';
import { DEFAULT_MAX_ZONE_RECORDS, readZoneText } from '../../src/dns/zone-file/reader.js';
import { answerQuestion } from '../../src/dns/zone-data/answer.js';
import type { ParsedZone } from '../../src/dns/zone-file/types.js';
import { MAX_ZONE_ANSWERS_KEPT, ZoneLookupSource } from '../../src/modes/zone/zone-source.js';

const HEAD = '$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n  NS ns1\nns1 A 185.199.108.53\n';

function zone(body: string, file = 'db.example.com'): ParsedZone {
  return readZoneText(`${HEAD}${body}`, { file });
}

function served(...zones: ParsedZone[]): ServedData {
  return new ServedData(zones.flatMap((z) => z.records), zones.map((z) => z.origin));
}

/** Records what is asked outside the zones and answers NXDOMAIN, as a resolver would for made-up names. */
class RecordingSource implements LookupSource {
  readonly asked: { name: string; type: string; options: LookupSourceOptions | undefined }[] = [];

  lookup(name: string, type: string, options?: LookupSourceOptions): Promise<Lookup> {
    this.asked.push({ name, type, options });
    return Promise.resolve({
      ok: true, question: { name, type }, rcode: 'NXDOMAIN', answers: [], authorities: [], additionals: [],
      flags: { aa: false, tc: false, rd: true, ra: true, ad: false, cd: false }, extendedErrors: [], server: '127.0.0.1:53',
      transport: 'udp', durationMs: 1,
    });
  }
}

function sourceFor(body: string, outside: LookupSource | 'offline' = 'offline'): ZoneLookupSource {
  return new ZoneLookupSource(served(zone(body)), outside, 'zone file db.example.com');
}

describe('ZoneLookupSource answers as the zone\'s servers would', () => {
  test('records at a name, authoritatively, nothing sent', async () => {
    const outside = new RecordingSource();
    const answer = await sourceFor('mx1 A 185.199.108.25\nmx1 A 185.199.108.26\n', outside).lookup('MX1.example.com.', 'a');
    assert.ok(answer.ok);
    assert.equal(answer.rcode, 'NOERROR');
    assert.equal(answer.transport, 'zone');
    assert.equal(answer.flags.aa, true);
    assert.deepEqual(answer.answers.map((r) => r.data), ['185.199.108.25', '185.199.108.26']);
    assert.deepEqual(outside.asked, []);
  });

  test(`the answers to the last ${MAX_ZONE_ANSWERS_KEPT} questions asked are handed out again as they were; outside names are asked each time`, async () => {
    const outside = new RecordingSource();
    const hosts = Array.from({ length: MAX_ZONE_ANSWERS_KEPT + 1 }, (_, i) => `h${i} A 192.0.2.${i % 250}\n`).join('');
    const source = sourceFor(`mx1 A 185.199.108.25\n${hosts}`, outside);
    const first = await source.lookup('mx1.example.com', 'A');
    assert.equal(await source.lookup('MX1.example.com.', 'a'), first, 'the same question, written otherwise');
    assert.notEqual(await source.lookup('mx1.example.com', 'AAAA'), first);
    for (let i = 0; i < MAX_ZONE_ANSWERS_KEPT; i++) await source.lookup(`h${i}.example.com`, 'A');
    const again = await source.lookup('mx1.example.com', 'A');
    assert.notEqual(again, first, 'dropped once more questions were asked after it');
    assert.deepEqual(again, first);
    const last = await source.lookup(`h${MAX_ZONE_ANSWERS_KEPT}.example.com`, 'A');
    assert.ok(last.ok);
    assert.deepEqual(last.answers.map((r) => r.data), [`192.0.2.${MAX_ZONE_ANSWERS_KEPT % 250}`]);
    await source.lookup('mail.example.net', 'A');
    await source.lookup('mail.example.net', 'A');
    assert.deepEqual(outside.asked.map(({ name }) => name), ['mail.example.net', 'mail.example.net']);
  });

  test('NODATA and NXDOMAIN carry the SOA, as a server sends it', async () => {
    const source = sourceFor('mx1 A 185.199.108.25\n');
    const nodata = await source.lookup('mx1.example.com', 'AAAA');
    const nxdomain = await source.lookup('nope.example.com', 'A');
    assert.ok(nodata.ok && nxdomain.ok);
    assert.equal(nodata.rcode, 'NOERROR');
    assert.deepEqual(nodata.answers, []);
    assert.deepEqual(nodata.authorities.map((r) => r.type), ['SOA']);
    assert.equal(nxdomain.rcode, 'NXDOMAIN');
  });

  test('a CNAME inside the zone is followed in the answer; one leaving it is left to the outside source', async () => {
    const outside = new RecordingSource();
    const source = sourceFor('alias CNAME mx1\nmx1 A 185.199.108.25\nout CNAME mail.provider.example.\n', outside);
    const inside = await source.lookup('alias.example.com', 'A');
    assert.ok(inside.ok);
    assert.deepEqual(inside.answers.map((r) => `${r.name} ${r.type}`), ['alias.example.com CNAME', 'mx1.example.com A']);
    const facts = await collectMailFacts(source, 'example.com');
    assert.equal(facts.mx.state, 'nodata');
    const leaving = await source.lookup('out.example.com', 'A');
    assert.ok(leaving.ok);
    assert.deepEqual(leaving.answers.map((r) => r.type), ['CNAME']);
    assert.deepEqual(outside.asked, [], 'the CNAME itself comes from the zone');
  });

  test('a wildcard answers for names that do not exist, with the name asked', async () => {
    const answer = await sourceFor('*.hosts A 185.199.108.80\n').lookup('any.hosts.example.com', 'A');
    assert.ok(answer.ok);
    assert.deepEqual(answer.answers.map((r) => `${r.name} ${r.data}`), ['any.hosts.example.com 185.199.108.80']);
  });

  test('names below a delegation and outside the zone go to the outside source, with the options given', async () => {
    const outside = new RecordingSource();
    const source = sourceFor('sub NS ns.sub\nns.sub A 185.199.108.54\n', outside);
    await source.lookup('mx.sub.example.com', 'A', { flags: { recursionDesired: true } });
    await source.lookup('mail.provider.example', 'AAAA');
    assert.deepEqual(outside.asked.map((q) => `${q.name} ${q.type}`), ['mx.sub.example.com A', 'mail.provider.example AAAA']);
    assert.deepEqual(outside.asked[0]!.options, { flags: { recursionDesired: true } });
  });

  test('offline, a name outside is a not-asked failure, not a lookup that failed', async () => {
    const answer = await sourceFor('').lookup('mail.provider.example', 'A');
    assert.equal(answer.ok, false);
    assert.ok(!answer.ok && answer.kind === 'not-asked');
    assert.match(!answer.ok ? answer.message : '', /outside the zone files checked, and --offline asks no server/);
  });
});

describe('MX rules on zone data offline', () => {
  test('an exchange outside the zone: zone-external-not-checked (info), never dns-lookup-failed', async () => {
    const facts = await collectMailFacts(sourceFor('@ MX 10 mx1\n@ MX 20 mx.provider.example.\nmx1 A 185.199.108.25\n'), 'example.com');
    const findings = [...runRules(mxRules, facts), ...zoneExternalNotChecked.check(facts)];
    // No mx-no-ipv6 either: a host not looked up is no evidence about IPv6.
    assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.target]), [['zone-external-not-checked', 'info', 'mx.provider.example']]);
  });

  test('an alias leading out of the zone: mx-target-cname is known exactly; its target is not checked', async () => {
    const facts = await collectMailFacts(sourceFor('@ MX 10 mail\nmail CNAME mail.provider.example.\n'), 'example.com');
    const findings = [...runRules(mxRules, facts), ...zoneExternalNotChecked.check(facts)];
    assert.deepEqual(findings.map((f) => f.rule).sort(), ['mx-target-cname', 'zone-external-not-checked'], 'a provider\'s exchange: no mx-single');
    assert.match(findings.find((f) => f.rule === 'zone-external-not-checked')!.message, /through its alias mail\.provider\.example/);
  });
});

function ruleFindings(parsed: ParsedZone, ...others: ParsedZone[]): OwnedFinding[] {
  const data = served(parsed, ...others);
  return zoneRules.flatMap((rule) => rule.check({ zone: parsed, served: data, first: 0 }));
}

function summary(owned: OwnedFinding[]): string[] {
  return owned.map(({ owner, finding }) => `${finding.rule} ${owner ?? '-'} ${finding.location?.line}:${finding.location?.column}${finding.target ? ` ${finding.target}` : ''}`);
}

describe('other families on zone data offline', () => {
  test('SPF: an include outside the zone is not checked (info), never a failed lookup; inside it is judged', async () => {
    const parsed = zone('@ MX 10 mx1\nmx1 A 185.199.108.25\n@ TXT "v=spf1 mx include:_spf.provider.example -all"\nshop MX 10 mx1\n');
    const [apex, shop] = await checkZones([parsed], { offline: true, checks: ['spf'] });
    assert.deepEqual(apex!.findings.map((f) => `${f.severity} ${f.rule} ${f.target ?? ''}`.trim()), ['info zone-external-not-checked _spf.provider.example']);
    assert.match(apex!.findings[0]!.message, /^The TXT records of _spf\.provider\.example were not looked up/);
    assert.equal(apex!.findings[0]!.location?.line, 3, 'at the owner\'s first record');
    assert.deepEqual(shop!.findings.map((f) => `${f.rule} ${f.location?.line}:${f.location?.column}`), ['spf-missing 9:1']);
  });

  test('a finding about a family\'s record points at that TXT record, not at the owner\'s first record', async () => {
    // Before: spf-syntax and dmarc-syntax pointed at the SOA record (line 3), the owner's first.
    const parsed = zone('@ MX 10 mx1\nmx1 A 185.199.108.25\n@ TXT "unrelated"\n@ TXT "v=spf1 mx bogus -all"\n_dmarc TXT "v=DMARC1; p=bogus"\n'
      + '_smtp._tls TXT "v=TLSRPTv1; rua=nowhere"\n');
    const [apex] = await checkZones([parsed], { offline: true, checks: ['spf', 'dmarc', 'tlsrpt'] });
    const located = (rule: string): string => apex!.findings.filter((f) => f.rule === rule).map((f) => `${f.location?.line}:${f.location?.column}`).join(' ');
    assert.equal(located('spf-syntax'), '9:7');
    assert.equal(located('dmarc-syntax'), '10:12');
    assert.equal(located('tlsrpt-syntax'), '11:16');
  });

  test('DMARC: the names above the zone file are not checked (info), never dmarc-lookup-failed; no record in the file is dmarc-missing', async () => {
    const sub = readZoneText('$ORIGIN mail.example.com.\n$TTL 60\n@ SOA ns1 h 1 1 1 1 1\n NS ns1\nns1 A 185.199.108.53\n@ MX 10 mx\nmx A 185.199.108.25\n', { file: 'db.mail.example.com' });
    const [apex] = await checkZones([sub], { offline: true, checks: ['dmarc'] });
    assert.deepEqual(apex!.findings.map((f) => `${f.severity} ${f.rule} ${f.target ?? ''}`.trim()), ['warning dmarc-missing', 'info zone-external-not-checked _dmarc.example.com']);
    assert.equal(apex!.findings[0]!.messageId, 'missingInZoneFiles');
  });
});

describe('zone-file rules', () => {
  test('rrset-ttl-mismatch: each record whose TTL differs from the first of its RRset; signatures exempt', () => {
    const parsed = zone('mx1 A 185.199.108.25\nmx1 600 A 185.199.108.26\nmx1 3600 A 185.199.108.27\nmx1 300 AAAA 2a01:4f8::1\n'
      + 'mx1 300 RRSIG A 13 3 300 20300101000000 20200101000000 1 example.com. AAAA\nmx1 60 RRSIG AAAA 13 3 300 20300101000000 20200101000000 1 example.com. AAAA\n');
    assert.deepEqual(summary(ruleFindings(parsed)), ['rrset-ttl-mismatch mx1.example.com 7:1']);
    assert.match(ruleFindings(parsed)[0]!.finding.message, /TTL 600 here but 3600 at line 6/);
  });

  test('cname-and-other-data: at the CNAME, listing the others with their lines; DNSSEC records may stand beside it', () => {
    const parsed = zone('www CNAME web.provider.example.\nwww MX 10 mx1\nwww TXT "x"\nmx1 A 185.199.108.25\n'
      + 'ok CNAME mx1\nok NSEC mx1.example.com. CNAME RRSIG NSEC\ntwo CNAME mx1\ntwo CNAME ns1\n');
    const owned = ruleFindings(parsed);
    assert.deepEqual(summary(owned), ['cname-and-other-data www.example.com 6:1', 'cname-and-other-data two.example.com 12:1']);
    assert.match(owned[0]!.finding.message, /MX \(line 7\), TXT \(line 8\)/);
    assert.match(owned[1]!.finding.message, /CNAME \(line 13\)/);
  });

  test('a relative exchange naming nothing in the zone: mx-target-missing-dot at the MX data', () => {
    const parsed = zone('a MX 10 mx1.example.net\nb MX 10 mx1\nmx1 A 185.199.108.25\nc MX 10 mx1.example.com\n'
      + 'd MX 10 anything.hosts\n*.hosts A 185.199.108.80\ne MX 10 mail.provider.example.\n$ORIGIN other.example.\nf MX 10 nothing\n');
    assert.deepEqual(summary(ruleFindings(parsed)), ['mx-target-missing-dot a.example.com 6:6 mx1.example.net.example.com']);
    const { finding } = ruleFindings(parsed)[0]!;
    assert.match(finding.message, /^MX 10 mx1\.example\.net at a\.example\.com has no final dot, so it means mx1\.example\.net\.example\.com, which does not exist in the zone\.$/);
    assert.match(finding.fix, /end its name with a dot \("mx1\.example\.net\."\)/);
    assert.equal(finding.rfc, 'RFC 1035 §5.1');
  });

  test('a zone without an SOA at its origin cannot be loaded: zone-syntax at 1:1', () => {
    const parsed = readZoneText('$TTL 60\nwww A 185.199.108.80\n', { file: 'db.example.com' });
    assert.deepEqual(summary(ruleFindings(parsed)), ['zone-syntax - 1:1']);
    assert.match(ruleFindings(parsed)[0]!.finding.message, /no SOA record at its origin/);
  });
});

describe('zone mistakes: records written so that they say something else', () => {
  test('zone-owner-origin-twice: any owner ending with the origin twice, once per owner, on the name meant', () => {
    const parsed = zone('_dmarc.shop.example.com TXT "v=DMARC1; p=reject"\nexample.com A 185.199.108.3\nexample.com TXT "x"\nok.example.com. A 185.199.108.1\n'
      + '$ORIGIN sub.example.com.\nwww.sub.example.com A 185.199.108.2\n');
    assert.deepEqual(summary(ruleFindings(parsed)), [
      'zone-owner-origin-twice _dmarc.shop.example.com 6:1', 'zone-owner-origin-twice example.com 7:1', 'zone-owner-origin-twice www.sub.example.com 11:1',
    ]);
    const [dmarc, apex] = ruleFindings(parsed).map((o) => o.finding);
    assert.match(dmarc!.message, /^The owner _dmarc\.shop\.example\.com\.example\.com ends with the origin example\.com twice: .*"_dmarc\.shop\.example\.com" without the final dot.*\(TXT\)/);
    assert.equal(dmarc!.fix, 'write the owner as "_dmarc.shop.example.com." with the final dot, or as "_dmarc.shop" relative to the origin');
    assert.match(apex!.message, /Its records \(A, TXT\)/);
    assert.match(apex!.fix, /or as "@" relative to the origin$/);
  });

  test('zone-txt-unquoted: words joined without spaces, or a record cut at ";", for each kind of policy record; quoted or single words are fine', () => {
    const parsed = zone('@ TXT v=spf1 mx include:_spf.example.net -all\n_dmarc TXT v=DMARC1; p=reject; rua=mailto:d@example.com\n'
      + 'sel._domainkey TXT k=rsa; p=MIIBIjANBgkq\n_mta-sts TXT v=STSv1 id=2024\n_smtp._tls TXT v=TLSRPTv1;rua=mailto:t@example.com\n'
      + 'a TXT "v=spf1 mx -all"\nb TXT v=spf1\nc TXT hello world ; a comment\nd TXT v=spf1 "mx" -all\n');
    const owned = ruleFindings(parsed);
    assert.deepEqual(summary(owned), [
      'zone-txt-unquoted example.com 6:7', 'zone-txt-unquoted _dmarc.example.com 7:12', 'zone-txt-unquoted sel._domainkey.example.com 8:20',
      'zone-txt-unquoted _mta-sts.example.com 9:14', 'zone-txt-unquoted _smtp._tls.example.com 10:16',
    ]);
    const [spf, dmarc, dkim, sts, tlsrpt] = owned.map((o) => o.finding);
    assert.equal(spf!.messageId, 'words');
    assert.match(spf!.message, /^The SPF record at example\.com is written without quotes: its 4 words became 4 separate strings, which receivers join without spaces into "v=spf1mxinclude:_spf\.example\.net-all"/);
    assert.equal(spf!.fix, 'write it in quotes: @ TXT "v=spf1 mx include:_spf.example.net -all"');
    assert.equal(dmarc!.messageId, 'comment');
    assert.match(dmarc!.message, /the ";" after "v=DMARC1" starts a comment: the record published is "v=DMARC1", and "p=reject; rua=mailto:d@example\.com" is dropped/);
    assert.equal(dmarc!.fix, 'write it in quotes: _dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@example.com"');
    assert.match(dkim!.message, /^The DKIM record at sel\._domainkey\.example\.com .* "k=rsa"/);
    assert.equal(sts!.messageId, 'words');
    assert.match(sts!.message, /^The MTA-STS record .* into "v=STSv1id=2024"/);
    assert.match(tlsrpt!.message, /^The TLS-RPT record .*"rua=mailto:t@example\.com" is dropped/);
  });

  test('zone-spf-split: a TXT record of SPF terms beside the SPF record; other TXT records and two SPF records are not it', () => {
    const long = Array.from({ length: 30 }, (_, i) => `include:_spf${i}.provider.example`).join(' ');
    const parsed = zone('@ TXT "v=spf1 mx include:_spf.a.example"\n@ TXT "include:_spf.b.example -all"\n@ TXT "google-site-verification=abc"\n'
      + `big TXT "v=spf1 mx"\nbig TXT ${[0, 250, 500, 750].map((at) => `"${long.slice(at, at + 250)}"`).join(' ')} "-all"\n`
      + 'two TXT "v=spf1 -all"\ntwo TXT "v=spf1 mx -all"\nall TXT "v=spf1 mx"\nall TXT "~all"\namx TXT "v=spf1 a"\namx TXT "amazonses:xyz"\n');
    const owned = ruleFindings(parsed);
    assert.deepEqual(summary(owned), ['zone-spf-split example.com 7:1', 'zone-spf-split big.example.com 10:1', 'zone-spf-split all.example.com 14:1']);
    const [apex, big] = owned.map((o) => o.finding);
    assert.match(apex!.message, /^example\.com has the SPF record "v=spf1 mx include:_spf\.a\.example" and beside it the TXT record "include:_spf\.b\.example -all"/);
    assert.equal(apex!.fix, 'publish one record instead of the two: @ TXT "v=spf1 mx include:_spf.a.example include:_spf.b.example -all"');
    const strings = [...big!.fix.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    assert.ok(strings.length >= 2 && strings.every((s) => s.length <= 255), 'strings of at most 255 characters');
    assert.equal(strings.join(''), `v=spf1 mx ${long}-all`, 'joined without spaces, they make the record meant');
  });

  test('the findings go to the result of the name they are about: the name meant, the owner, its nearest checked ancestor', async () => {
    const parsed = zone('@ MX 10 mx1\nmx1 A 185.199.108.25\n@ TXT v=spf1 mx -all\n_dmarc.example.com TXT "v=DMARC1; p=reject"\nshop MX 10 mx1\n_dmarc.shop TXT v=DMARC1; p=none\n');
    const [apex, shop] = await checkZones([parsed], { offline: true, checks: ['mx', 'spf', 'dmarc'] });
    const zoneRulesOf = (findings: { rule: string }[]) => findings.map((f) => f.rule).filter((rule) => rule.startsWith('zone-') && rule !== 'zone-external-not-checked');
    assert.deepEqual(zoneRulesOf(apex!.findings), ['zone-txt-unquoted', 'zone-owner-origin-twice']);
    assert.deepEqual(zoneRulesOf(shop!.findings), ['zone-txt-unquoted']);
  });
});

describe('checkZones', () => {
  test('a result for the apex, each MX owner and each owner of an MX record that cannot be read; other findings go to the nearest ancestor checked', async () => {
    const parsed = zone('@ MX 10 mx1\nmx1 A 185.199.108.25\nmx1 AAAA 2a01:4f8::25\nshop MX 10 mx1\nsales MX mx1\nbroken A 300.1.1.1\nx.shop A 300.1.1.2\n');
    const results = await checkZones([parsed], { offline: true, checks: ['mx'] });
    assert.deepEqual(results.map((r) => `${r.input} ${r.status}`), ['example.com fail', 'shop.example.com fail', 'sales.example.com fail']);
    const [apex, shop, sales] = results;
    assert.deepEqual(apex!.zone, { file: 'db.example.com', origin: 'example.com' });
    assert.deepEqual(apex!.findings.map((f) => `${f.rule} ${f.location?.line}:${f.location?.column}`), ['zone-syntax 11:10', 'mx-single 6:6']);
    assert.deepEqual(shop!.findings.map((f) => `${f.rule} ${f.location?.line}:${f.location?.column}`), ['zone-syntax 12:10'], 'below shop: its result');
    assert.deepEqual(shop!.reportedElsewhere, [
      { rule: 'mx-single', messageId: 'single', severity: 'info', shared: 'mx1.example.com', target: 'mx1.example.com', reportedAt: 'example.com' },
    ], 'the exchange shop shares with the apex: reported there');
    // The MX record of sales could not be read, so sales has no records at all: its own result says both.
    assert.deepEqual(sales!.findings.map((f) => `${f.rule} ${f.location?.line ?? '-'}:${f.location?.column ?? '-'}`), [
      'domain-nxdomain -:-', 'mx-preference-missing 10:10',
    ]);
  });

  test('the zone files answer for each other: an exchange in another zone given is checked, not left out', async () => {
    const net = readZoneText('$ORIGIN example.net.\n$TTL 60\n@ SOA ns1 h 1 1 1 1 1\n NS ns1\nns1 A 185.199.108.53\nmail CNAME mx\n', { file: 'db.example.net' });
    const com = zone('@ MX 10 mail.example.net.\n');
    const [apex] = await checkZones([com, net], { offline: true, checks: ['mx'] });
    assert.deepEqual(apex!.findings.map((f) => f.rule), ['mx-target-cname', 'mx-target-no-address']);
  });
});

describe('big record sets', () => {
  const many = (count: number) => Array.from({ length: count }, (_, i) => `mx A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`).join('\n');

  test('200,000 A records at one name are one answer, not a stack overflow', () => {
    const records = readZoneText(`${HEAD}${many(200_000)}\n`, { file: 'db.example.com' }).records;
    assert.equal(records.length, DEFAULT_MAX_ZONE_RECORDS, 'read up to the zone cap');
    // The answer code itself, past the reader's cap: ten copies of the set make a million-record answer.
    const million = new ServedData(Array.from({ length: 10 }, () => records).flat());
    assert.equal(answerQuestion(million, 'mx.example.com', 'A').answers.length, records.filter((r) => r.name === 'mx.example.com').length * 10);
  });

  test('a zone whose exchange has as many addresses as a zone may hold is checked to its verdict', async () => {
    const [apex] = await checkZones([zone(`@ MX 10 mx\n${many(DEFAULT_MAX_ZONE_RECORDS)}\n`)], { offline: true, checks: ['mx'] });
    assert.equal(apex!.input, 'example.com');
    const exchange = apex!.mx[0]!;
    assert.ok('addresses' in exchange);
    assert.equal(exchange.addresses.length, DEFAULT_MAX_ZONE_RECORDS - 4, 'the SOA, NS, the glue and the MX came first');
    assert.ok(apex!.findings.some((f) => f.rule === 'zone-syntax' && f.message.startsWith(`more than ${DEFAULT_MAX_ZONE_RECORDS} records`)));
  });
});
