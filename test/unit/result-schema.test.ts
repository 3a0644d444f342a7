/**
 * docs/result.schema.json is a contract: real output must validate against it, and output that
 * drifts from it must not. The results come from the example zones served on loopback as the demo
 * serves them (the demo's SMTP and MTA-STS stand-ins, every public address sent to loopback with
 * connectTo), plus a small zone of this test's own for what the examples do not show (a block list,
 * a bogus answer, policy hosts without a usable address, SPF macros and redirect): every check family,
 * zone mode, the authoritative mode, `mxlint postfix`, invalid input, and what `--format json`,
 * `--format jsonl`, `mxlint spf --format json` and `--list-rules --format json` print.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { checkDomains } from '../../src/modes/domains.js';
import type { CheckOptions } from '../../src/core/options.js';
import type { DomainResult } from '../../src/engine/result.js';
import { readChecks } from '../../src/families/index.js';
import type { CheckFamily } from '../../src/families/index.js';
import { rules } from '../../src/catalog/rules.js';
import { checkZones, CONNECTING_FAMILIES, readZones } from '../../src/modes/zone/runner.js';
import { checkPostfix } from '../../src/modes/postfix/runner.js';
import { parseMainCf } from '../../src/modes/postfix/main-cf.js';
import { readServerConfig } from '../../src/modes/postfix/config.js';
import { parseNameServerSpec } from '../../src/dns/name-server-spec.js';
import type { NameServerSpec } from '../../src/core/options.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import type { LocalDnsServer } from '../../src/dns/local-server/server.js';
import { readZoneFile, readZoneText } from '../../src/dns/zone-file/reader.js';
import type { DnsRecord } from '../../src/dns/records.js';
import { isSubdomainOf } from '../../src/dns/name.js';
import { classifyAddress } from '../../src/net/address.js';
import { domainsOfText } from '../../src/cli/domain-lines.js';
import { runCli } from '../../src/cli/main.js';
import { validatingView } from '../../src/demo/validating-view.js';
import { startDemoSmtp } from '../../src/demo/smtp-server.js';
import { startDemoWebServer } from '../../src/demo/web-server.js';
import { demoWebFiles, readCertificate, readDemoConfig } from '../../src/demo/config.js';
import { freeLoopbackPort } from '../../src/demo/closed-port.js';
import type { LoopbackServer } from '../../src/demo/loopback-server.js';
import { freePort } from '../support/ports.js';
import { REPO_ROOT } from '../support/e2e.js';
import { assertMatchesSchema, resultSchema as schema, schemaErrors, schemaValidator as validator } from '../support/result-schema.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const packageVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const domainResult = validator();
const assertValid = assertMatchesSchema;

function assertInvalid(validate: ValidateFunction, data: unknown, what: string, expected: RegExp): void {
  assert.equal(validate(data), false, `${what} should not validate`);
  assert.match(schemaErrors(validate), expected, what);
}

// ---------------------------------------------------------------------------------------------
// What this test serves beside the example zones

/** Names under it fail validation: SERVFAIL for a query with DO, the answer with CD (a bogus signature). */
const BOGUS = 'bogus.schema.test';
const LIST = 'bl.schema.test';
const HEX = 'd7e0aee8f977d01f04bc420ac44d8da013bc0dd0945524f8dce34ca5b166c96e';
const SCHEMA_ZONE = `$ORIGIN schema.test.
$TTL 300
@ SOA ns1 hostmaster 1 7200 3600 1209600 300
@ NS ns1
ns1 A 185.199.110.53
; On the block list (with a reason) and answered an error code for; its policy host has no address.
listed MX 10 mx.listed
listed TXT "v=spf1 mx -all"
mx.listed A 185.199.110.25
mx.listed A 185.199.110.26
_mta-sts.listed TXT "v=STSv1; id=20240101"
_smtp._tls.listed TXT "v=TLSRPTv1; rua=mailto:tls@schema.test"
; Its policy host has only a private address: not contacted.
private-sts MX 10 mx.listed
_mta-sts.private-sts TXT "v=STSv1; id=1"
mta-sts.private-sts A 10.0.0.80
; SPF: an include that depends on the sender (macros), and a redirect with exp=.
macro MX 10 mx.listed
macro TXT "v=spf1 include:%{i}._spf.schema.test -all"
redirect MX 10 mx.listed
redirect TXT "v=spf1 redirect=_spf.schema.test"
_spf TXT "v=spf1 ip4:192.0.2.0/24 exp=explain.schema.test -all"
explain TXT "%{i} does not send mail for %{d}"
; SPF limits that only an evaluation for a client meets: hosts with only AAAA (void for IPv4 clients), 11 MX names.
spf-voids MX 10 mx.listed
spf-voids TXT "v=spf1 a:v6a.schema.test a:v6b.schema.test a:v6c.schema.test -all"
v6a AAAA 2001:db8::a
v6b AAAA 2001:db8::b
v6c AAAA 2001:db8::c
spf-mx TXT "v=spf1 mx:many.schema.test -all"
${Array.from({ length: 11 }, (_, i) => `many MX ${i} mx.listed`).join('\n')}
bogus MX 10 mx.bogus
mx.bogus A 185.199.110.27
; BIMI: a logo and evidence on a private host (not contacted), two records, a declination.
_dmarc.private-sts TXT "v=DMARC1; p=none"
default._bimi.private-sts TXT "v=BIMI1; l=https://mta-sts.private-sts.schema.test/l.svg; a=https://mta-sts.private-sts.schema.test/v.pem"
default._bimi.listed TXT "v=BIMI1; l=https://a.schema.test/l.svg"
default._bimi.listed TXT "v=BIMI1; l=https://b.schema.test/l.svg"
default._bimi.macro TXT "v=BIMI1; l=; a=;"
_25._tcp.mx.bogus TLSA 3 1 1 ${HEX}
; DKIM under common selectors (--dkim-discover): two records, an alias to a name without TXT, an alias loop, an Ed25519 key, a revoked key.
dkim MX 10 mx.listed
google._domainkey.dkim TXT "v=DKIM1; p="
google._domainkey.dkim TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
selector1._domainkey.dkim CNAME v6a.schema.test.
selector2._domainkey.dkim CNAME s2._domainkey.dkim
s2._domainkey.dkim CNAME selector2._domainkey.dkim
k1._domainkey.dkim TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
k2._domainkey.dkim TXT "v=DKIM1; p="
; DMARC: two records, discarded both, and none above them (the tree walk ends at _dmarc.test).
dmarc-twice MX 10 mx.listed
_dmarc.dmarc-twice TXT "v=DMARC1; p=reject"
_dmarc.dmarc-twice TXT "v=DMARC1; p=none"
`;
/** The top-level domain of this test's zones, where the DMARC tree walk ends (RFC 9989 §4.10). */
const TEST_TLD = `$ORIGIN test.
$TTL 300
@ SOA ns1.schema.test. hostmaster.schema.test. 1 7200 3600 1209600 300
@ NS ns1.schema.test.
`;
const LIST_ZONE = `$ORIGIN ${LIST}.
$TTL 300
@ SOA ns1.schema.test. hostmaster.schema.test. 1 7200 3600 1209600 300
@ NS ns1.schema.test.
25.110.199.185 A 127.0.0.2
25.110.199.185 TXT "listed for the schema test"
26.110.199.185 A 127.255.255.254
`;
const EXTRA_DOMAINS = ['listed.schema.test', 'dmarc-twice.schema.test', 'dkim.schema.test', 'private-sts.schema.test', 'macro.schema.test', 'redirect.schema.test', 'spf-voids.schema.test', 'spf-mx.schema.test', BOGUS];

function zoneRecords(text: string, file: string): DnsRecord[] {
  const zone = readZoneText(text, { file });
  assert.deepEqual(zone.problems, [], file);
  return zone.records;
}

function exampleZoneFiles(): string[] {
  const dir = join(EXAMPLES, 'zones');
  return readdirSync(dir).filter((f) => f.endsWith('.zone')).sort().map((f) => join(dir, f));
}

const demoConfig = readDemoConfig();
const tlsPair = readCertificate;
const demoCa = readFileSync(join(EXAMPLES, 'tls', 'demo-ca.pem'), 'utf8');

/** What --checks all runs: every family but the TLS scan, which has a run of its own below. */
const ALL_FAMILIES: CheckFamily[] = readChecks('all', 'checks');
/** Zone mode runs neither dnssec nor dane (no resolver vouches for a file). */
const ZONE_FAMILIES = ALL_FAMILIES.filter((family) => family !== 'dnssec' && family !== 'dane');

let dns: LocalDnsServer;
let lameDns: LocalDnsServer;
let cacheDns: LocalDnsServer;
let downPort: number;
const demoServers = new Map<string, LoopbackServer>();
let options: CheckOptions;

before(async () => {
  const records = [...exampleZoneFiles().flatMap((file) => {
    const zone = readZoneFile(file);
    assert.deepEqual(zone.problems, [], file);
    return zone.records;
  }), ...zoneRecords(SCHEMA_ZONE, 'schema.test'), ...zoneRecords(LIST_ZONE, LIST), ...zoneRecords(TEST_TLD, 'test')];
  const view = validatingView(demoConfig.signedZones, demoConfig.unservedZones);
  dns = await startLocalDnsServer({
    records,
    behave: (query) => (query.flags.do && !query.flags.cd && isSubdomainOf(query.name, BOGUS) ? { kind: 'rcode', rcode: 'SERVFAIL' } : view(query)),
  });
  // For the authoritative mode: a server of another zone only (lame), one that answers without AA (a cache).
  lameDns = await startLocalDnsServer({ records: zoneRecords(LIST_ZONE, LIST) });
  cacheDns = await startLocalDnsServer({ records, behave: () => ({ kind: 'answer', edit: (reply) => { reply.flags = (reply.flags ?? 0) & ~dnsPacket.AUTHORITATIVE_ANSWER; } }) });
  downPort = await freePort();
  for (const [host, { greeting, certificate }] of Object.entries(demoConfig.smtp)) {
    demoServers.set(host, await startDemoSmtp({ greeting, tls: certificate === null ? null : tlsPair(certificate) }));
  }
  for (const [host, { certificate, files }] of demoWebFiles(demoConfig)) demoServers.set(host, await startDemoWebServer({ tls: tlsPair(certificate), files }));
  // As the demo does: every public address to its demo server, or to a loopback port where nothing listens.
  const closedPort = await freeLoopbackPort();
  const connectTo = records.flatMap((record) => {
    if ((record.type !== 'A' && record.type !== 'AAAA') || !classifyAddress(record.data, record.type === 'A' ? 4 : 6).globallyRoutable) return [];
    return [`${record.data}=127.0.0.1:${demoServers.get(record.name)?.port ?? closedPort}`];
  });
  options = {
    servers: [dns.address], timeoutMs: 5000, retries: 1, smtp: { timeoutMs: 2000 }, httpsTimeoutMs: 2000,
    ca: [demoCa], connectTo, dnsbl: [LIST], dkimDiscover: true,
  };
});

after(async () => {
  await Promise.all([dns?.close(), lameDns?.close(), cacheDns?.close(), ...[...demoServers.values()].map((server) => server.close())]);
});

function demoDomains(): string[] {
  return domainsOfText(readFileSync(join(EXAMPLES, 'demo-domains.txt'), 'utf8'));
}

/** Every value at `path` (dot-separated; arrays are walked through) in the results. */
function valuesAt(results: readonly unknown[], path: string): unknown[] {
  let values: unknown[] = [...results];
  for (const key of path.split('.')) {
    values = values.flatMap((value) => {
      const at = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
      return Array.isArray(at) ? at : at === undefined ? [] : [at];
    });
  }
  return values;
}

function assertSeen(results: readonly unknown[], path: string, expected: unknown[]): void {
  const seen = new Set(valuesAt(results, path));
  for (const value of expected) assert.ok(seen.has(value), `the results show ${path} = ${JSON.stringify(value)} (seen: ${JSON.stringify([...seen])})`);
}

// ---------------------------------------------------------------------------------------------

describe('docs/result.schema.json itself', () => {
  it('carries the package version in its $id and title', () => {
    assert.equal(schema.$id, `urn:mxlint:result-schema:${packageVersion}`);
    assert.ok(schema.title.includes(packageVersion), schema.title);
  });

  it('lists every rule id of the catalog, in catalog order, and every rule family', () => {
    assert.deepEqual(schema.$defs.RuleId?.enum, rules.map((rule) => rule.id),
      'a rule added, renamed or removed changes RuleId in docs/result.schema.json, with an entry in CHANGELOG.md');
    assert.deepEqual(new Set(schema.$defs.RuleFamily?.enum), new Set(rules.map((rule) => rule.family)));
  });

  it('gives every property a title and a description', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${path}/${index}`));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && value !== null && typeof value === 'object') {
          for (const [name, property] of Object.entries(value)) {
            // `false` forbids a property in an if/then branch; the property is described where it is defined.
            if (property === false) continue;
            const { title, description } = property as { title?: unknown; description?: unknown };
            if (typeof title !== 'string' || typeof description !== 'string') {
              const conditional = /\/(if|then|else|contains)(\/|$)/.test(`${path}/properties`);
              if (!conditional) missing.push(`${path}/properties/${name}`);
            }
          }
        }
        walk(value, `${path}/${key}`);
      }
    };
    walk(schema, '#');
    assert.deepEqual(missing, []);
  });
});

describe('results validate against the schema', () => {
  let results: DomainResult[];
  before(async () => {
    results = await checkDomains([...demoDomains(), ...EXTRA_DOMAINS, 'not a domain', 'https://good.example/'], { ...options, checks: ALL_FAMILIES });
  });

  it('every family (--checks all) on the example domains, this test\'s own and invalid input', () => {
    for (const result of results) assertValid(domainResult, result, result.input);
    for (const section of ['spf', 'dmarc', 'dkim', 'mta-sts', 'tlsrpt', 'dnssec', 'dane', 'ptr', 'smtp', 'dnsbl', 'implicit']) {
      assert.ok(results.some((result) => section in result), `some result has a ${section} section`);
    }
    assertSeen(results, 'status', ['pass', 'warn', 'fail', 'unknown']);
    assertSeen(results, 'findings.severity', ['error', 'warning', 'unknown', 'info']);
    assertSeen(results, 'domain', [null]);
    assertSeen(results, 'mx.exchange', ['.']);
    assertSeen(results, 'dmarc.state', ['found', 'multiple', 'none', 'failed', 'skipped']);
    assertSeen(results, 'dmarc.inherited', [true, false]);
    assertSeen(results, 'dmarc.walk.result', ['record', 'multiple', 'none', 'failed']);
    assertSeen(results, 'dmarc.walk.psd', ['y', 'n']);
    assertSeen(results, 'dmarc.organizationalDomain.how', ['psd-n', 'below-psd-y', 'highest-record', 'no-record']);
    assertSeen(results, 'dmarc.effectivePolicy.domain.state', ['applied', 'discarded', 'none', 'unknown']);
    assertSeen(results, 'dmarc.effectivePolicy.nonExistentSubdomains.tag', ['p', 'np']);
    assertSeen(results, 'dmarc.effectivePolicy.domain.testing', [true, false]);
    assertSeen(results, 'dmarc.discarded.reason', ['not-first', 'white-space']);
    assertSeen(results, 'dmarc.reportAuthorizations.state', ['authorized', 'unauthorized']);
    assertSeen(results, 'dkim.domainkey', ['exists', 'nxdomain', 'failed', 'skipped']);
    assertSeen(results, 'dkim.selectors.state', ['found', 'multiple', 'nxdomain', 'nodata', 'loop']);
    assertSeen(results, 'dkim.selectors.key.bits', [2048, null]);
    assertSeen(results, 'dkim.selectors.key.revoked', [true, false]);
    assertSeen(results, 'mta-sts.state', ['found', 'none', 'failed', 'skipped']);
    assertSeen(results, 'mta-sts.policy.fetch', ['fetched', 'no-address', 'not-public']);
    assertSeen(results, 'tlsrpt.state', ['found', 'none', 'failed', 'skipped']);
    assertSeen(results, 'bimi.state', ['found', 'multiple', 'none', 'failed', 'skipped']);
    assertSeen(results, 'bimi.dmarc', ['enforced', 'not-enforced']);
    assertSeen(results, 'bimi.declined', [true, false]);
    assertSeen(results, 'bimi.logo.fetch', ['fetched', 'not-public']);
    assertSeen(results, 'bimi.evidence.chain', ['verified']);
    assertSeen(results, 'spf.includes.domain', [null]);
    assertSeen(results, 'spf.evaluations.limit', [null, 'lookups', 'voidLookups', 'mxNames']);
    assertSeen(results, 'dnssec.lookups.state', ['secure', 'insecure', 'bogus', 'failed']);
    assertSeen(results, 'dane.hosts.state', ['secure', 'insecure', 'bogus']);
    assertSeen(results, 'dane.hosts.certificateMatches.matched', [true, false]);
    assertSeen(results, 'ptr.addresses.forwardConfirmed', [true, false]);
    assertSeen(results, 'smtp.probes.probed', [true, false]);
    assertSeen(results, 'smtp.probes.failure.kind', ['refused']);
    assertSeen(results, 'smtp.probes.tls.nameMatches', [true, false]);
    assertSeen(results, 'dnsbl.listings.state', ['listed', 'not-listed', 'unknown']);
  });

  it('the TLS scan: addresses scanned, without STARTTLS, not contacted; every trial state', async () => {
    // Two exchanges, one without STARTTLS, and a private one: every shape, at the cost of one scan.
    const scanned = await checkDomains(['starttls.mistakes.example', 'private.mistakes.example'], { ...options, checks: ['tls'] });
    for (const result of scanned) assertValid(domainResult, result, result.input);
    assertSeen(scanned, 'tls.addresses.scanned', [true, false]);
    assertSeen(scanned, 'tls.addresses.starttls', [true, false]);
    assertSeen(scanned, 'tls.addresses.versions.state', ['accepted', 'refused']);
    assertSeen(scanned, 'tls.addresses.suites.state', ['accepted', 'refused', 'not-tested']);
    // A Node server's defaults accept AES-CCM_8 (OpenSSL's HIGH has it): insufficient.
    assertSeen(scanned, 'tls.addresses.grade', ['insufficient', null]);
  });

  it('SMTP with a certificate that does not verify (no --ca), and DANE without the probe', async () => {
    const noCa = await checkDomains(['good.example', 'rollover.example'], { ...options, ca: [], checks: ['smtp', 'dane'] });
    const daneOnly = await checkDomains(['good.example'], { ...options, checks: ['dane'] });
    for (const result of [...noCa, ...daneOnly]) assertValid(domainResult, result, result.input);
    assertSeen(noCa, 'smtp.probes.tls.certificateValid', [false]);
    assertSeen(daneOnly, 'dane.hosts.certificateMatches', [null]);
  });

  it('the authoritative mode (--ns): authoritative, not-authoritative, lame and unreachable servers', async () => {
    const spec = (text: string): NameServerSpec => {
      const parsed = parseNameServerSpec(text);
      assert.ok(parsed.ok, text);
      return parsed.spec;
    };
    const nameservers = [spec(`ns1.good.example/${dns.address}`), spec(`ns2.good.example/${cacheDns.address}`),
      spec(`ns3.good.example/${lameDns.address}`), spec(`ns4.good.example/127.0.0.1:${downPort}`), spec('nowhere.schema.test')];
    // ns4 never answers: it costs one timeout, so a shorter one here (still far above a loaded machine's reply time).
    const waitForNs4 = { ...options, timeoutMs: 2000, retries: 0 };
    const answered = await checkDomains(['good.example', 'nullmx.example', 'implicit.mistakes.example'], { ...waitForNs4, authoritative: { nameservers } });
    // None of these servers answers for the zone: a result with the servers only.
    const unanswered = await checkDomains(['good.example'], { ...waitForNs4, authoritative: { nameservers: nameservers.slice(2) } });
    for (const result of [...answered, ...unanswered]) assertValid(domainResult, result, result.input);
    assertSeen(answered, 'authoritative.servers.status', ['authoritative', 'not-authoritative', 'lame', 'unreachable']);
    assertSeen(answered, 'authoritative.servers.address', [null]);
    assertSeen(unanswered, 'authoritative.source', ['given']);
  });

  it('zone mode: every example zone, offline and against the server', async () => {
    const zones = readZones([...exampleZoneFiles(), join(REPO_ROOT, 'test', 'fixtures', 'zones', 'db.example.com')]);
    const offline = await checkZones(zones, { ...options, offline: true, checks: ZONE_FAMILIES.filter((f) => !CONNECTING_FAMILIES.includes(f)) });
    const online = await checkZones(readZones(exampleZoneFiles()), { ...options, checks: ZONE_FAMILIES });
    for (const result of [...offline, ...online]) assertValid(domainResult, result, `${result.zone?.file} ${result.input}`);
    assertSeen(offline, 'findings.rule', ['zone-external-not-checked']);
    assert.ok(offline.some((result) => result.findings.some((finding) => finding.location !== undefined)), 'findings with a location');
    for (const result of [...offline, ...online]) assert.ok(result.zone, `${result.input} has a zone section`);
  });

  it('mxlint postfix: every example main.cf, with every family', async () => {
    const dir = join(EXAMPLES, 'postfix');
    const all: DomainResult[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.cf')).sort()) {
      const config = readServerConfig(parseMainCf(readFileSync(join(dir, file), 'utf8'), join(dir, file)));
      const addresses = /^main(-mx-elsewhere)?\.cf$/.test(file) ? ['185.199.112.25'] : [];
      const results = await checkPostfix(config, { ...options, addresses, checks: ALL_FAMILIES });
      assert.ok(results[0]?.postfix, `${file}: the server's result comes first`);
      all.push(...results);
    }
    for (const result of all) assertValid(domainResult, result, result.input);
    assertSeen(all, 'postfix.addresses.source', ['option', 'inet_interfaces']);
    assert.ok(all.some((result) => result.smtp !== undefined && result.postfix !== undefined), 'the server\'s result has the SMTP probe');
  });
});

describe('what the JSON formats print', () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
    return { code, stdout, stderr };
  }
  const resolverArgs = (): string[] => ['--server', dns.address, '--timeout', '5000', '--retries', '1'];

  it('--format json: one array of results, indented by two spaces; [] when there is none', async () => {
    const run = await cli([...resolverArgs(), '--format', 'json', 'good.example', 'typo.mistakes.example', 'listed.schema.test', 'not a domain']);
    assert.equal(run.code, 2, run.stderr);
    const printed: unknown = JSON.parse(run.stdout);
    assertValid(validator('JsonOutput'), printed, '--format json');
    assert.equal(run.stdout, `${JSON.stringify(printed, null, 2)}\n`);
    assert.equal((printed as unknown[]).length, 4);

    const quiet = await cli([...resolverArgs(), '--format', 'json', '--quiet', 'good.example']);
    assert.equal(quiet.stdout, '[]\n');
    assertValid(validator('JsonOutput'), JSON.parse(quiet.stdout), '--format json --quiet');
  });

  it('--format jsonl: one compact result per line and nothing else', async () => {
    const run = await cli([...resolverArgs(), '--format', 'jsonl', '--checks', 'mx,spf,dmarc,tlsrpt,ptr', 'good.example', 'implicit.mistakes.example']);
    const lines = run.stdout.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 2);
    for (const line of lines) {
      const result: unknown = JSON.parse(line);
      assertValid(validator('JsonlLine'), result, line.slice(0, 60));
      assert.equal(line, JSON.stringify(result));
    }
  });

  it('mxlint postfix --format json prints the same array', async () => {
    const run = await cli(['postfix', join(EXAMPLES, 'postfix', 'main.cf'), '--address', '185.199.112.25', ...resolverArgs(), '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    assertValid(validator('JsonOutput'), JSON.parse(run.stdout), 'mxlint postfix --format json');
  });

  it('mxlint spf --format json: pass, fail with an explanation of its own or the record\'s, neutral, permerror, temperror', async () => {
    const cases: [string, string, string][] = [
      ['good.example', '185.199.108.25', 'pass'], ['good.example', '192.0.2.1', 'fail'], ['redirect.schema.test', '198.51.100.7', 'fail'],
      ['macro.schema.test', '198.51.100.7', 'permerror'], ['spf-syntax.mistakes.example', '192.0.2.1', 'permerror'],
      ['spf-ptr.mistakes.example', '192.0.2.1', 'neutral'], ['unserved.example', '192.0.2.1', 'temperror'],
      ['spf-lookups.mistakes.example', '192.0.2.1', 'permerror'], ['spf-voids.schema.test', '192.0.2.1', 'permerror'], ['spf-mx.schema.test', '192.0.2.1', 'permerror'],
    ];
    const outputs: unknown[] = [];
    for (const [domain, ip, expected] of cases) {
      const run = await cli(['spf', domain, '--ip', ip, ...resolverArgs(), '--format', 'json']);
      const printed = JSON.parse(run.stdout) as { result: string };
      assertValid(validator('SpfCommandOutput'), printed, `mxlint spf ${domain} --ip ${ip}`);
      assert.equal(printed.result, expected, `${domain} ${ip}`);
      assert.equal(run.stdout, `${JSON.stringify(printed, null, 2)}\n`);
      outputs.push(printed);
    }
    assertSeen(outputs, 'explanation.source', ['exp', 'default']);
    assertSeen(outputs, 'trace.step', ['record', 'term', 'redirect', 'result']);
    assertSeen(outputs, 'limit.limit', ['lookups', 'voidLookups', 'mxNames']);
  });

  it('--list-rules --format json and jsonl: the rule catalog', async () => {
    const json = await cli(['--list-rules', '--format', 'json']);
    assertValid(validator('RuleCatalog'), JSON.parse(json.stdout), '--list-rules --format json');
    const jsonl = await cli(['--list-rules', '--format', 'jsonl']);
    for (const line of jsonl.stdout.trimEnd().split('\n')) assertValid(validator('RuleMeta'), JSON.parse(line), line.slice(0, 60));
  });
});

describe('output that drifts from the schema does not validate', () => {
  const result = (): DomainResult => ({
    input: 'good.example', domain: 'good.example', canonical: 'good.example', status: 'warn',
    mx: [{ preference: 10, exchange: 'mx.good.example', addresses: [{ address: '185.199.108.25', family: 4 }], cname: [] }],
    findings: [{ rule: 'mx-single', messageId: 'single', severity: 'warning', message: 'One exchange.', fix: 'Add a second exchange.', rfc: 'RFC 5321 §5.1' }],
    durationMs: 3,
  });

  it('the hand-made result is valid to begin with', () => {
    assertValid(domainResult, result(), 'the base result');
  });

  it('a finding without its messageId or fix', () => {
    for (const field of ['messageId', 'fix'] as const) {
      const without = result();
      const { [field]: _, ...rest } = without.findings[0]!;
      without.findings[0] = rest as never;
      assertInvalid(domainResult, without, `a finding without ${field}`, new RegExp(`must have required property '${field}'`));
    }
  });

  it('an unknown field, at the top or in a section', () => {
    assertInvalid(domainResult, { ...result(), extra: true }, 'an unknown top-level field', /must NOT have additional properties/);
    assertInvalid(domainResult, { ...result(), spf: { record: null, lookups: 0, voidLookups: 0, includes: [], cost: 1 } }, 'an unknown SPF field', /additional properties/);
  });

  it('a wrong enum value, a missing field, a wrong type', () => {
    assertInvalid(domainResult, { ...result(), status: 'ok' }, 'status "ok"', /allowed values|constant/);
    const severity = result();
    severity.findings[0]!.severity = 'notice' as never;
    assertInvalid(domainResult, severity, 'severity "notice"', /allowed values/);
    const rule = result();
    rule.findings[0]!.rule = 'mx-lonely';
    assertInvalid(domainResult, rule, 'an unknown rule id', /allowed values/);
    const { durationMs: _, ...noDuration } = result();
    assertInvalid(domainResult, noDuration, 'no durationMs', /required property 'durationMs'/);
    const fix = result();
    fix.findings[0] = { ...fix.findings[0]!, fix: 42 } as never;
    assertInvalid(domainResult, fix, 'a fix that is no string', /must be string/);
  });

  it('a status that does not follow from the findings', () => {
    assertInvalid(domainResult, { ...result(), status: 'pass' }, 'a warning that passes', /status/);
  });
});
