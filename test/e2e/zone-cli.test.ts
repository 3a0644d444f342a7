/**
 * Zone mode end to end through the built CLI: test/fixtures/zones/db.example.com holds every problem
 * zone mode reports (and an $INCLUDE with more), each expected at an exact file:line:column. Offline
 * runs happen in a network namespace of their own where no packet can go anywhere; the live run asks
 * a real NSD (serving the provider's zone) through a tap that records every question.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { canIsolateNetwork, e2eGate, REPO_ROOT, runCli, startDnsTap, type DnsTap } from '../support/e2e.js';
import { sarifProblems } from '../support/sarif-check.js';
import { parseXml } from '../support/xml.js';
import { startNsd, type NsdServer } from '../support/nsd.js';

const ZONE = join('test', 'fixtures', 'zones', 'db.example.com');
const INCLUDED = join('test', 'fixtures', 'zones', 'inc', 'shop.inc');

/** Offline runs need no server: in a namespace if possible, so nothing could be sent even by mistake. */
const OFFLINE = canIsolateNetwork() ? { isolateNetwork: true } : { allowNoServer: true };

/**
 * Every finding of the offline run: result, rule, place. mx-single (info) is left out of the list.
 * The SPF family runs on zone data too: spf-missing at the owner's first record wherever there is no
 * SPF record (shop.example.com has one), and www's TXT question leads through its CNAME out of the zone.
 * The takeover check asks for the NS records of provider.example (the zone's second name server, the
 * apex's backup exchange) at every owner: outside the zone, so not looked up.
 */
const EXPECTED_OFFLINE = [
  `example.com zone-syntax ${ZONE}:28:10`,
  `example.com rrset-ttl-mismatch ${ZONE}:15:1`,
  `example.com spf-missing ${ZONE}:6:1`,
  `example.com dmarc-no-aggregate-reports ${ZONE}:30:12`,
  // One finding for the names outside the files (mx.provider.example, _dmarc.com, provider.example), listed once per run.
  `example.com zone-external-not-checked ${ZONE}:6:1`,
  // The owners of MX records that cannot be read have results of their own: nothing is served there.
  `sales.example.com domain-nxdomain (no location)`,
  `sales.example.com mx-preference-missing ${ZONE}:17:10`,
  `big.example.com domain-nxdomain (no location)`,
  `big.example.com mx-preference-range ${ZONE}:18:8`,
  `support.example.com mx-target-no-address ${ZONE}:19:12`,
  `support.example.com mx-target-missing-dot ${ZONE}:19:12`,
  `support.example.com spf-missing ${ZONE}:19:1`,
  `help.example.com mx-target-no-address ${ZONE}:20:9`,
  `help.example.com mx-target-missing-dot ${ZONE}:20:9`,
  `help.example.com spf-missing ${ZONE}:20:1`,
  `www.example.com cname-and-other-data ${ZONE}:21:1`,
  `www.example.com zone-external-not-checked ${ZONE}:21:1`,
  `alias.example.com mx-target-cname ${ZONE}:23:10`,
  `alias.example.com spf-missing ${ZONE}:23:1`,
  `literal.example.com mx-target-ip-literal ${ZONE}:25:12`,
  `literal.example.com spf-missing ${ZONE}:25:1`,
  `noaddr.example.com mx-target-no-address ${ZONE}:26:11`,
  `noaddr.example.com spf-missing ${ZONE}:26:1`,
  `shop.example.com mx-target-no-address ${INCLUDED}:3:5`,
  `shop.example.com zone-syntax ${INCLUDED}:5:10`,
  `shop.example.com mx-target-missing-dot ${INCLUDED}:3:5`,
];

function findingKeys(results: DomainResult[]): string[] {
  return results.flatMap((result) => result.findings
    .filter((f) => f.rule !== 'mx-single')
    .map((f) => `${result.input} ${f.rule} ${f.location ? `${f.location.file}:${f.location.line}:${f.location.column}` : '(no location)'}`));
}

describe('mxlint --zone, offline', () => {
  it('reports every problem of the fixture at its line, one result per MX owner and the apex, exit 2', async () => {
    const run = await runCli(['--zone', ZONE, '--offline', '--format', 'json'], OFFLINE);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 2);
    const results = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(results.map((r) => r.input), [
      'example.com', 'sales.example.com', 'big.example.com', 'support.example.com', 'help.example.com', 'www.example.com', 'alias.example.com',
      'literal.example.com', 'noaddr.example.com', 'shop.example.com',
    ]);
    assert.deepEqual(findingKeys(results), EXPECTED_OFFLINE);
    for (const result of results) assert.deepEqual([result.zone?.file, result.zone?.origin], [ZONE, 'example.com']);
    assert.deepEqual(results[0]!.zone?.notAsked, ['mx.provider.example', '_dmarc.com', 'provider.example'], 'what --offline left unasked');
    const apex = results[0]!;
    assert.deepEqual(apex.mx.map((m) => m.exchange), ['mx1.example.com', 'mx.provider.example']);
  });

  it('reads like a compiler in text: file:line:col: severity rule: message, the source line and a caret', async () => {
    const run = await runCli(['--zone', ZONE, '--offline'], OFFLINE);
    assert.equal(run.code, 2);
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith(`${ZONE}:17:10: error mx-preference-missing: MX record for sales.example.com has no preference`));
    assert.ok(at >= 0, run.stdout);
    assert.equal(lines[at + 1], '  17 | sales\tMX\tmx1\t\t; mx-preference-missing 17:10');
    assert.equal(lines[at + 2], '     |      \t  \t^');
    assert.equal(lines[at + 3], '     = RFC 1035 §3.3.9');
    assert.match(run.stdout, /^ {2}\? MX 20 mx\.provider\.example {2}outside the zone files: not looked up \(--offline\)$/m);
    assert.match(run.stdout, new RegExp(`^${INCLUDED.replaceAll('.', '\\.')}:5:10: error zone-syntax: "2001:db8::80::1" is not an IPv6 address$`, 'm'));
  });

  it('the bulk and monitoring formats take zone mode too: csv rows and nagios details in file order, at one owner at a time', async () => {
    const owners = ['example.com', 'sales.example.com', 'big.example.com', 'support.example.com', 'help.example.com', 'www.example.com', 'alias.example.com',
      'literal.example.com', 'noaddr.example.com', 'shop.example.com'];
    const csv = await runCli(['--zone', ZONE, '--offline', '--format', 'csv', '--concurrency', '1'], OFFLINE);
    assert.equal(csv.code, 2, csv.stderr);
    assert.deepEqual(csv.stdout.trimEnd().split('\n').slice(1).map((row) => row.split(',')[0]), owners);
    const nagios = await runCli(['--zone', ZONE, '--offline', '--format', 'nagios'], OFFLINE);
    assert.equal(nagios.code, 2, nagios.stderr);
    assert.match(nagios.stdout, /^MXLINT CRITICAL - 10 domains: 10 fail; example\.com: zone-syntax; sales\.example\.com: domain-nxdomain, mx-preference-missing; /);
    assert.match(nagios.stdout, /\nbig\.example\.com error mx-preference-range: MX preference 70000 /);
  });

  it('--max-zone-records sets how many records are read: past it, a zone-syntax finding at the next record says how to raise it', async () => {
    const run = await runCli(['--zone', ZONE, '--offline', '--format', 'json', '--max-zone-records', '5'], OFFLINE);
    assert.equal(run.code, 2, run.stderr);
    const results = JSON.parse(run.stdout) as DomainResult[];
    assert.deepEqual(results.map((r) => r.input), ['example.com'], 'the owners of MX records after the fifth record are not read');
    const cap = results[0]!.findings.find((f) => f.rule === 'zone-syntax' && f.message.startsWith('more than 5 records'));
    assert.ok(cap, run.stdout);
    assert.equal(cap.fix, 'to check a zone this big, raise the bound with --max-zone-records (maxRecords in the library)');
    const raised = await runCli(['--zone', ZONE, '--offline', '--format', 'json', '--max-zone-records', '10000000'], OFFLINE);
    assert.deepEqual(findingKeys(JSON.parse(raised.stdout) as DomainResult[]), EXPECTED_OFFLINE);
  });

  it('--origin reads the file under another name; a missing file is one line and exit 3', async () => {
    const renamed = await runCli(['--zone', ZONE, '--origin', 'example.org', '--offline', '--format', 'json'], OFFLINE);
    const results = JSON.parse(renamed.stdout) as DomainResult[];
    assert.equal(results[0]!.input, 'example.org', 'the $ORIGIN in the file still says example.com, so its names lie outside');
    assert.ok(results[0]!.findings.some((f) => f.rule === 'zone-syntax' && /outside the zone example\.org/.test(f.message)));
    const missing = await runCli(['--zone', 'no/such/db.zone', '--offline'], OFFLINE);
    assert.equal(missing.code, 3);
    assert.equal(missing.stdout, '');
    assert.equal(missing.stderr, 'mxlint: cannot read zone file no/such/db.zone: no such file (see mxlint --help)\n');
  });

  const usage: [string[], RegExp][] = [
    [['--zone', ZONE, 'example.com'], /give domains or --zone files, not both/],
    [['--zone', ZONE, '-f', ZONE], /give domains or --zone files, not both \(-f reads domains\)/],
    [['--zone', ZONE, '--offline', '--shard', '1/2'], /--shard splits a domain list; zone mode checks every owner/],
    [['--offline', '-f', '-'], /--offline only applies to --zone/],
    [['--zone', ZONE, '--ns', '127.0.0.1'], /--authoritative and --ns check domains on their name servers, not zone files/],
    [['serve', '--zone', ZONE], /Unknown argument: zone/],
    [['--zone', ZONE, '--zone', ZONE, '--origin', 'example.com'], /--origin names the origin of one zone file/],
    [['--offline', 'example.com'], /--offline only applies to --zone/],
    [['--zone', ZONE, '--offline', '--server', '127.0.0.1'], /--offline asks no server/],
    [['--origin', 'example.com', 'example.com'], /--origin names the origin of one zone file/],
    [['--zone', ZONE, '--offline', '--checks', 'mx,dane'], /--checks dane needs a validating resolver's answers/],
    [['--zone', ZONE, '--offline', '--checks', 'mx,smtp'], /--checks smtp connects to servers, which --offline rules out/],
    [['--max-zone-records', '100', 'example.com'], /--max-zone-records only applies to --zone/],
    [['--zone', ZONE, '--offline', '--max-zone-records', '0'], /--max-zone-records must be a whole number from 1 to 10000000, not 0/],
    [['--zone', ZONE, '--offline', '--max-zone-records', '1e9'], /--max-zone-records must be a whole number from 1 to 10000000/],
  ];
  for (const [args, message] of usage) {
    it(`usage error, exit 3, nothing sent: ${args.join(' ')}`, async () => {
      const run = await runCli(args, OFFLINE);
      assert.equal(run.code, 3);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.equal(run.stderr.split('\n').length, 2, 'one line');
    });
  }
});

describe('the CI examples in examples/ci/', () => {
  const files = ['github-actions.yml', 'gitlab-ci.yml'];
  for (const file of files) {
    it(`${file}: every mxlint command runs as written, on the fixture zone, and gives its format`, async () => {
      const text = readFileSync(join(REPO_ROOT, 'examples', 'ci', file), 'utf8');
      const commands = [...text.matchAll(/^\s*(?:run: |- )mxlint (.*?)(?: >.*)?$/gm)].map((m) => m[1]!);
      assert.doesNotMatch(text, /npx[^\n]*mxlint/, `${file} runs mxlint with npx, which fetches from the npm registry, where mxlint is not`);
      assert.ok(commands.length > 0, `no mxlint command in ${file}`);
      for (const command of commands) {
        const args = command.replace('$ZONES', `--zone ${ZONE}`).split(/\s+/);
        const run = await runCli(args, OFFLINE);
        assert.equal(run.code, 2, `${command}: ${run.stderr}`);
        const format = args[args.indexOf('--format') + 1];
        if (format === 'github') assert.match(run.stdout, /^::error file=/);
        else if (format === 'sarif') assert.deepEqual(sarifProblems(JSON.parse(run.stdout)), []);
        else if (format === 'junit') assert.equal(parseXml(run.stdout).name, 'testsuites');
        else assert.fail(`${file} uses --format ${format}, which this test does not know`);
      }
    });
  }
});

const PROVIDER_ZONE = `$TTL 300
@	SOA	ns1 hostmaster 1 7200 3600 1209600 300
	NS	ns1
ns1	A	185.199.109.53
mx	A	185.199.109.25
mx	AAAA	2a01:4f8:c17:4::25
web	A	185.199.109.80
`;

/** The top-level zone above the fixture: the DMARC tree walk asks _dmarc.com (RFC 9989 §4.10) and finds no record there. */
const TOP_LEVEL_ZONE = `$ORIGIN com.
$TTL 300
@ SOA ns1.provider.example. hostmaster.provider.example. 1 7200 3600 1209600 300
@ NS ns1.provider.example.
`;

describe('mxlint --zone with --server: names outside the zone files are looked up live', { skip: e2eGate('nsd').skip }, () => {
  let nsd: NsdServer;
  let tap: DnsTap;
  before(async () => {
    nsd = await startNsd({ zones: { 'provider.example': PROVIDER_ZONE, com: TOP_LEVEL_ZONE } });
    tap = await startDnsTap({ upstream: { host: nsd.host, port: nsd.port }, udp: 'forward', tcp: 'forward' });
  });
  after(async () => {
    await tap?.close();
    await nsd?.stop();
  });

  it('asks only for the names outside the zone files; the rest is answered from them', async () => {
    const run = await runCli(['--zone', ZONE, '--server', tap.server, '--format', 'json', '--timeout', '1000', '--retries', '0']);
    assert.equal(run.code, 2, run.stderr);
    const results = JSON.parse(run.stdout) as DomainResult[];
    const apex = results[0]!;
    assert.ok(!apex.findings.some((f) => f.rule === 'zone-external-not-checked'), 'looked up, so checked');
    assert.deepEqual(apex.mx.find((m) => m.exchange === 'mx.provider.example'), {
      preference: 20, exchange: 'mx.provider.example', cname: [],
      addresses: [{ address: '185.199.109.25', family: 4 }, { address: '2a01:4f8:c17:4::25', family: 6 }],
    });
    const asked = [...new Set(tap.queries.map((q) => `${q.name} ${q.type}`))].sort();
    // provider.example NS: the takeover check's question whether the provider's domain exists (once for every owner).
    assert.deepEqual(asked, ['_dmarc.com TXT', 'mx.provider.example A', 'mx.provider.example AAAA', 'provider.example NS', 'web.provider.example TXT']);
    assert.equal(tap.queries.filter((q) => q.name === 'provider.example' && q.type === 'NS').length, 1);
    // Looked up, www's alias target turns out to have no SPF record either.
    const live = EXPECTED_OFFLINE.filter((key) => !key.includes('zone-external-not-checked'));
    live.splice(live.indexOf(`www.example.com cname-and-other-data ${ZONE}:21:1`) + 1, 0, `www.example.com spf-missing ${ZONE}:21:1`);
    // With _dmarc.com answered, every owner's tree walk ends: the apex's record, without rua, applies to
    // them all (but sales and big, which do not exist), and is reported once, at the apex that owns it.
    assert.deepEqual(findingKeys(results), live);
    for (const owner of results.slice(1).filter((r) => !r.findings.some((f) => f.rule === 'domain-nxdomain'))) {
      assert.ok(owner.reportedElsewhere?.some((e) => e.rule === 'dmarc-no-aggregate-reports' && e.shared === '_dmarc.example.com' && e.reportedAt === 'example.com'), owner.input);
    }
  });
});
