/**
 * The examples stay true: `npm run demo` (dist/src/demo/main.js) still gives every example domain the
 * verdict and the findings its comment in examples/demo-domains.txt promises, and examples/library.mjs
 * still prints what it should against the example zones served on loopback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DnsRecord } from '../../src/dns/records.js';
import { txtToString } from '../../src/dns/records.js';
import type { DomainResult } from '../../src/engine/result.js';
import { rules } from '../../src/catalog/rules.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { readZoneFile } from '../../src/dns/zone-file/reader.js';
import { domainsOfText } from '../../src/cli/domain-lines.js';
import { canIsolateNetwork, REPO_ROOT } from '../support/e2e.js';
import { assertMatchesSchema, schemaValidator } from '../support/result-schema.js';

const EXAMPLES = join(REPO_ROOT, 'examples');
const DEMO = join(REPO_ROOT, 'dist', 'src', 'demo', 'main.js');
const LIBRARY_EXAMPLE = join(EXAMPLES, 'library.mjs');

type Verdict = 'PASS' | 'WARN' | 'FAIL' | 'UNKNOWN';

/**
 * What each example domain is there to show: its verdict and every rule that fires, sorted. The
 * demo checks many names, so what they share is reported once: mx-single for mail.mistakes.example
 * at the first domain using it (spf-lookups), the others list it under reportedElsewhere.
 */
const EXPECTED: Record<string, { verdict: Verdict; rules: string[] }> = {
  'good.example': { verdict: 'PASS', rules: [] },
  'nullmx.example': { verdict: 'PASS', rules: ['dkim-selectors-unknown', 'null-mx'] },
  'rollover.example': { verdict: 'PASS', rules: ['dkim-selectors-unknown', 'mx-single'] },
  'starttls.mistakes.example': { verdict: 'PASS', rules: ['dkim-selectors-unknown', 'mx-no-ipv6'] },
  'ip-literal.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-target-ip-literal'] },
  'cname.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-single', 'mx-target-cname'] },
  'no-address.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-target-no-address'] },
  'private.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-no-ipv6', 'mx-single', 'mx-target-private-address'] },
  'implicit.mistakes.example': { verdict: 'WARN', rules: ['dkim-selectors-unknown', 'mx-implicit', 'mx-no-ipv6'] },
  'missing-dot.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-target-missing-dot', 'mx-target-no-address'] },
  'null-mixed.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'null-mx-mixed'] },
  'underscore.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-no-ipv6', 'mx-single', 'mx-target-syntax'] },
  'spf-lookups.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-single', 'spf-lookup-limit'] },
  'spf-all.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'spf-permissive-all'] },
  'spf-twice.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'spf-multiple'] },
  'spf-syntax.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'spf-syntax'] },
  'spf-include.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'spf-include-unresolvable'] },
  'spf-ptr.mistakes.example': { verdict: 'WARN', rules: ['dkim-selectors-unknown', 'spf-permissive-all', 'spf-ptr'] },
  'typo.mistakes.example': { verdict: 'FAIL', rules: ['domain-nxdomain'] },
  'takeover.mistakes.example': {
    verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'mx-target-no-address', 'spf-include-unresolvable', 'takeover-unregistered-domain', 'takeover-unregistered-domain'],
  },
  'dmarc-none.mistakes.example': { verdict: 'WARN', rules: ['dkim-selectors-unknown', 'dmarc-external-report-unauthorized', 'dmarc-no-aggregate-reports', 'dmarc-policy-none'] },
  'dmarc-syntax.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'dmarc-removed-tag', 'dmarc-syntax'] },
  'dmarc-twice.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'dmarc-multiple'] },
  'dmarc-order.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'dmarc-record-discarded'] },
  'dmarc-space.mistakes.example': { verdict: 'FAIL', rules: ['dkim-selectors-unknown', 'dmarc-record-discarded'] },
  'dmarc-bis.mistakes.example': { verdict: 'WARN', rules: ['dkim-selectors-unknown', 'dmarc-removed-tag', 'dmarc-testing', 'dmarc-unknown-tag'] },
  'giant.bank.example': { verdict: 'PASS', rules: ['dkim-selectors-unknown', 'dmarc-no-aggregate-reports', 'mx-single'] },
  'dkim-weak.mistakes.example': { verdict: 'WARN', rules: ['dkim-key-too-short', 'dkim-testing'] },
  'dkim-gone.mistakes.example': { verdict: 'FAIL', rules: ['dkim-cname-broken'] },
  'dkim-sha1.mistakes.example': { verdict: 'FAIL', rules: ['dkim-key-hash-unusable', 'dkim-key-too-short'] },
  'unserved.example': { verdict: 'UNKNOWN', rules: ['dkim-lookup-failed', 'dmarc-lookup-failed', 'dns-lookup-failed', 'spf-lookup-failed', 'takeover-lookup-failed'] },
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** `node file ...args` from the repository root (in a network namespace of its own if asked); killed after 120 s, as hung. */
function runNode(file: string, args: string[], options: { isolateNetwork?: boolean } = {}): Promise<Run> {
  const started = performance.now();
  const [command, commandArgs] = options.isolateNetwork
    ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, file, ...args]]
    : [process.execPath, [file, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** The domains of demo-domains.txt, read as the demo reads them (the bulk list reader). */
function demoDomains(): string[] {
  return domainsOfText(readFileSync(join(EXAMPLES, 'demo-domains.txt'), 'utf8'));
}

/** Every record of examples/zones/*.zone, each zone read without problems. */
function exampleRecords(): DnsRecord[] {
  const dir = join(EXAMPLES, 'zones');
  const files = readdirSync(dir).filter((f) => f.endsWith('.zone')).sort();
  assert.deepEqual(files, [
    '185.in-addr.arpa.zone', '7.1.c.0.8.f.4.0.1.0.a.2.ip6.arpa.zone', 'bank.example.zone', 'example.zone', 'good.example.zone', 'mistakes.example.zone',
    'nullmx.example.zone', 'postfix.example.zone', 'rollover.example.zone', 'test.zone',
  ]);
  return files.flatMap((file) => {
    const zone = readZoneFile(join(dir, file));
    assert.deepEqual(zone.problems, [], `${file} reads without problems`);
    return zone.records;
  });
}

/** The TXT text of one example name (its only TXT record). */
function exampleText(name: string): string {
  const texts = exampleRecords().flatMap((record) => (record.type === 'TXT' && record.name === name ? [txtToString(record.data)] : []));
  assert.equal(texts.length, 1, `one TXT record at ${name}`);
  return texts[0]!;
}

interface TextDomain {
  verdict: string;
  rules: string[];
}

/** The text report, domain by domain: the header's verdict and the rule of every finding line. */
function readTextReport(stdout: string): Map<string, TextDomain> {
  const domains = new Map<string, TextDomain>();
  let current: TextDomain | undefined;
  for (const line of stdout.split('\n')) {
    const header = /^(\S+)(?: \(alias of \S+\))?  [✓!✗?] (PASS|WARN|FAIL|UNKNOWN)$/.exec(line);
    if (header) {
      assert.ok(!domains.has(header[1]!), `${header[1]} is reported once`);
      current = { verdict: header[2]!, rules: [] };
      domains.set(header[1]!, current);
      continue;
    }
    const finding = /^ {2}(error|warning|unknown|info) +([a-z0-9-]+): /.exec(line);
    if (finding) {
      assert.ok(current, `a finding before any domain: ${line}`);
      current.rules.push(finding[2]!);
    }
  }
  for (const domain of domains.values()) domain.rules.sort();
  return domains;
}

// ---------------------------------------------------------------------------------------------

describe('examples/demo-domains.txt', () => {
  it('lists exactly the domains this test expects, in this order', () => {
    assert.deepEqual(demoDomains(), Object.keys(EXPECTED));
  });
});

describe('npm run demo (dist/src/demo/main.js)', () => {
  let text: Run;
  let json: Run;
  before(async () => {
    [text, json] = await Promise.all([runNode(DEMO, []), runNode(DEMO, ['--format', 'json'])]);
  });

  it('exits 0 and says on stderr that it served the zones on loopback and mxlint exited 2', () => {
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, /^mxlint demo: example zones from examples\/zones\/ served on 127\.0\.0\.1:\d+ \(loopback only\);/m);
    assert.match(text.stderr, /^\$ mxlint --server 127\.0\.0\.1:\d+ --timeout 5000 --retries 1 .* good\.example nullmx\.example .* unserved\.example$/m);
    assert.match(text.stderr, /mxlint exited with 2 \(0 pass, 1 warn, 2 fail, 3 unknown\)/);
    assert.doesNotMatch(text.stderr, /internal error|\n\s+at /);
    // No time bound: how fast the demo is belongs in `npm run bench`. That it ends by itself is the exit
    // code above (a hung demo is killed: no code); that every lookup got its answer, the verdicts and
    // rules below (a failed lookup makes its domain unknown).
  });

  it('names every example domain with its expected verdict and rules, in the text report', () => {
    const report = readTextReport(text.stdout);
    assert.deepEqual([...report.keys()], Object.keys(EXPECTED), 'every domain, in list order');
    for (const [domain, expected] of Object.entries(EXPECTED)) {
      assert.deepEqual(report.get(domain), expected, domain);
    }
  });

  it('ends the text report with the tally: 5 pass, 5 warn, 20 fail, 1 unknown', () => {
    assert.match(text.stdout, /^31 domains checked in \d+\.\d s: 5 pass, 5 warn, 20 fail, 1 unknown$/m);
  });

  it('gives the same verdicts and rules as JSON, findings aimed at the right exchange', () => {
    assert.equal(json.code, 0, json.stderr);
    const results = JSON.parse(json.stdout) as DomainResult[];
    assertMatchesSchema(schemaValidator('JsonOutput'), results, 'npm run demo -- --format json');
    assert.deepEqual(
      results.map((r) => ({ domain: r.domain, verdict: r.status.toUpperCase(), rules: r.findings.map((f) => f.rule).sort() })),
      Object.entries(EXPECTED).map(([domain, expected]) => ({ domain, ...expected })),
    );
    const byDomain = new Map(results.map((r) => [r.domain, r]));
    const target = (domain: string, rule: string): string | undefined => byDomain.get(domain)?.findings.find((f) => f.rule === rule)?.target;
    assert.equal(target('cname.mistakes.example', 'mx-target-cname'), 'smtp.cname.mistakes.example');
    assert.equal(target('no-address.mistakes.example', 'mx-target-no-address'), 'mx.no-address.mistakes.example');
    assert.equal(target('private.mistakes.example', 'mx-target-private-address'), 'mx.private.mistakes.example');
    assert.equal(target('missing-dot.mistakes.example', 'mx-target-no-address'), 'mail.mistakes.example.mistakes.example');
    assert.equal(target('underscore.mistakes.example', 'mx-target-syntax'), 'mail_in.mistakes.example');
    assert.deepEqual(byDomain.get('good.example')?.mx, [
      { preference: 10, exchange: 'mx1.good.example', cname: [], addresses: [{ address: '185.199.108.25', family: 4 }, { address: '2a01:4f8:c17:1::25', family: 6 }] },
      { preference: 20, exchange: 'mx2.good.example', cname: [], addresses: [{ address: '185.199.109.25', family: 4 }, { address: '2a01:4f8:c17:2::25', family: 6 }] },
    ]);
    assert.deepEqual(byDomain.get('implicit.mistakes.example')?.implicit, { addresses: [{ address: '185.199.110.80', family: 4 }] });
    const unserved = byDomain.get('unserved.example')!.findings;
    assert.match(unserved.find((f) => f.rule === 'dns-lookup-failed')!.message, /^MX unserved\.example: REFUSED from 127\.0\.0\.1:\d+\. /);
    assert.match(unserved.find((f) => f.rule === 'dmarc-lookup-failed')!.message, /^TXT _dmarc\.unserved\.example: REFUSED from 127\.0\.0\.1:\d+\. /);
  });

  it('finds the domains anyone may register behind takeover.mistakes.example, confirmed by the server of test. (asked directly)', () => {
    const result = (JSON.parse(json.stdout) as DomainResult[]).find((r) => r.domain === 'takeover.mistakes.example')!;
    const takeover = result.findings.filter((f) => f.rule === 'takeover-unregistered-domain');
    assert.deepEqual(takeover.map((f) => f.target), ['mailhost-gone.test', 'newsletter-gone.test']);
    for (const finding of takeover) assert.match(finding.message, /\(NXDOMAIN from ns1\.test \(185\.199\.111\.53\), a server of the parent zone test\)/);
    assert.match(takeover[0]!.message, /depends on it: takeover\.mistakes\.example MX 20 mx\.mailhost-gone\.test\. Anyone may be able to register mailhost-gone\.test and then receive mail/);
    assert.match(takeover[1]!.message, /depends on it: takeover\.mistakes\.example SPF include:_spf\.newsletter-gone\.test\. Anyone may be able to register newsletter-gone\.test and then send mail that passes/);
    assert.deepEqual(result.takeover, {
      state: 'checked',
      domains: [
        { domain: 'mailhost-gone.test', state: 'unregistered', confirmedBy: 'ns1.test (185.199.111.53)',
          dependents: [{ name: 'mx.mailhost-gone.test', role: 'mail', path: 'takeover.mistakes.example MX 20 mx.mailhost-gone.test' }] },
        { domain: 'newsletter-gone.test', state: 'unregistered', confirmedBy: 'ns1.test (185.199.111.53)',
          dependents: [{ name: '_spf.newsletter-gone.test', role: 'spf', path: 'takeover.mistakes.example SPF include:_spf.newsletter-gone.test' }] },
        { domain: 'good.example', state: 'registered',
          dependents: [{ name: 'good.example', role: 'dmarc-reports', path: '_dmarc.mistakes.example DMARC rua=mailto:dmarc@good.example' }] },
      ],
    });
    assert.match(text.stdout, /^ {2}TAKEOVER ✗ mailhost-gone\.test does not exist: mx\.mailhost-gone\.test {2}\(NXDOMAIN from ns1\.test \(185\.199\.111\.53\)\)$/m);
  });

  it('finds the DKIM keys under common selectors (--dkim-discover): the good key, the weak one, the removed one', () => {
    const results = new Map((JSON.parse(json.stdout) as DomainResult[]).map((r) => [r.domain, r]));
    const discovered = (selector: string, domain: string) => ({ selector, name: `${selector}._domainkey.${domain}`, source: 'discovered' });
    const key = (bits: number, extra: object = {}) => ({ type: 'rsa', bits, usable: true, revoked: false, hashes: null, services: ['*'], flags: [], ...extra });
    assert.deepEqual(results.get('good.example')?.dkim, {
      domainkey: 'exists', discovery: { asked: 30 },
      selectors: [{ ...discovered('default', 'good.example'), state: 'found', cname: [], records: [exampleText('default._domainkey.good.example')], key: key(2048) }],
    });
    assert.deepEqual(results.get('dkim-weak.mistakes.example')?.dkim?.selectors.map((s) => s.key), [key(1024, { flags: ['y'] })]);
    assert.deepEqual(results.get('dkim-gone.mistakes.example')?.dkim?.selectors, [
      { ...discovered('selector1', 'dkim-gone.mistakes.example'), state: 'nxdomain', cname: ['selector1-dkim-gone._domainkey.esp.mistakes.example'] },
    ]);
    assert.deepEqual(results.get('dkim-sha1.mistakes.example')?.dkim?.selectors.map((s) => s.key), [key(512, { usable: false, hashes: ['sha1'] })]);
    assert.deepEqual(results.get('nullmx.example')?.dkim, { domainkey: 'nxdomain', selectors: [], discovery: { asked: 0 } });
    assert.equal(results.get('typo.mistakes.example')?.dkim?.domainkey, 'skipped');
    assert.match(text.stdout, /^ {2}DKIM default \(common selector\): ✓ rsa 2048 bits {2}\(default\._domainkey\.good\.example\)$/m);
  });

  it('gives each domain its SPF section: the record, its lookups and the tree of includes', () => {
    const results = new Map((JSON.parse(json.stdout) as DomainResult[]).map((r) => [r.domain, r]));
    // check_host() for a client of each family the record does not list: documentation addresses.
    const unlisted = (domain: string, lookups: number) => [4, 6].map((family) => ({
      family, ip: family === 4 ? '192.0.2.1' : '2001:db8::1', result: 'fail', reason: `"-all" in the SPF record of ${domain} matched`, lookups, voidLookups: 0, limit: null,
    }));
    assert.deepEqual(results.get('good.example')?.spf, { state: 'found', record: 'v=spf1 mx -all', lookups: 1, voidLookups: 0, includes: [], evaluations: unlisted('good.example', 1) });
    assert.deepEqual(results.get('nullmx.example')?.spf, { state: 'found', record: 'v=spf1 -all', lookups: 0, voidLookups: 0, includes: [], evaluations: unlisted('nullmx.example', 0) });
    const include = (name: string, lookups: number, includes: unknown[] = []) => ({
      term: `include:${name}.spf-lookups.mistakes.example`, domain: `${name}.spf-lookups.mistakes.example`,
      record: exampleText(`${name}.spf-lookups.mistakes.example`), lookups, includes,
    });
    const { evaluations, ...lookups } = results.get('spf-lookups.mistakes.example')!.spf!;
    assert.deepEqual(lookups, {
      state: 'found', record: exampleText('spf-lookups.mistakes.example'), lookups: 13, voidLookups: 0,
      includes: [include('_spf1', 5), include('_spf2', 7, [include('_spf3', 4)])],
    });
    assert.deepEqual(evaluations.map((e) => [e.result, e.lookups, e.limit]), [['permerror', 11, 'lookups'], ['permerror', 11, 'lookups']]);
    assert.deepEqual(results.get('spf-twice.mistakes.example')?.spf, { state: 'multiple', record: null, lookups: 0, voidLookups: 0, includes: [], evaluations: [] });
    assert.equal(results.get('typo.mistakes.example')?.spf?.record, null);
    assert.match(text.stdout, /^ {2}SPF v=spf1 mx -all {2}\(1 of 10 DNS lookups\)$/m, 'the text report shows the record');
  });
});

describe('npm run demo: DMARC as RFC 9989 reads it', () => {
  let results: Map<string | null, DomainResult>;
  let text: string;
  before(async () => {
    const [json, plain] = await Promise.all([runNode(DEMO, ['--format', 'json']), runNode(DEMO, [])]);
    results = new Map((JSON.parse(json.stdout) as DomainResult[]).map((r) => [r.domain, r]));
    text = plain.stdout;
  });

  it('a public suffix\'s record (psd=y) applies to a domain one label below it that has none', () => {
    const giant = results.get('giant.bank.example')!.dmarc!;
    assert.deepEqual(giant.walk, [{ name: '_dmarc.giant.bank.example', result: 'none' }, { name: '_dmarc.bank.example', result: 'record', psd: 'y' }]);
    assert.deepEqual(giant.organizationalDomain, { name: 'giant.bank.example', how: 'below-psd-y' });
    assert.deepEqual([giant.name, giant.inherited, giant.policy], ['_dmarc.bank.example', true, 'reject']);
    assert.match(text, /^ {2}DMARC tree walk _dmarc\.giant\.bank\.example \(no record\) → _dmarc\.bank\.example \(record, psd=y\); organizational domain giant\.bank\.example \(one label below a psd=y record\)$/m);
  });

  it('np, psd=n and t=y are read: the effective policy of the domain and of the names below it', () => {
    const bis = results.get('dmarc-bis.mistakes.example')!.dmarc!;
    assert.deepEqual(bis.organizationalDomain, { name: 'dmarc-bis.mistakes.example', how: 'psd-n' });
    assert.deepEqual(bis.effectivePolicy?.domain, { state: 'applied', name: '_dmarc.dmarc-bis.mistakes.example', policy: 'quarantine', declared: 'reject', tag: 'p', testing: true });
    assert.equal(bis.effectivePolicy?.nonExistentSubdomains.tag, 'np');
    assert.match(text, /^ {2}DMARC policy quarantine \(p=reject under t=y\), subdomains too, rua mailto:dmarc@dmarc-bis\.mistakes\.example {2}\(_dmarc\.dmarc-bis\.mistakes\.example\)$/m);
  });

  it('a record that does not start with v=DMARC1 is named with its text, and the parent\'s record applies', () => {
    const order = results.get('dmarc-order.mistakes.example')!;
    assert.deepEqual(order.dmarc?.discarded, [{ name: '_dmarc.dmarc-order.mistakes.example', text: 'p=reject; v=DMARC1', reason: 'not-first' }]);
    assert.equal(order.dmarc?.name, '_dmarc.mistakes.example');
    assert.match(order.findings.find((f) => f.rule === 'dmarc-record-discarded')!.message, /"p=reject; v=DMARC1" at _dmarc\.dmarc-order\.mistakes\.example is not a DMARC record/);
    assert.equal(results.get('dmarc-space.mistakes.example')!.dmarc?.discarded?.[0]?.reason, 'white-space');
  });
});

/** What `npm run demo -- --checks all` shows for the domains that are there for the transport checks. */
const EXPECTED_ALL: Record<string, { verdict: Verdict; rules: string[] }> = {
  'good.example': { verdict: 'PASS', rules: [] },
  'rollover.example': { verdict: 'FAIL', rules: ['bimi-missing', 'dane-tlsa-mismatch', 'dane-tlsa-mismatch', 'dkim-selectors-unknown', 'mta-sts-missing', 'mx-single', 'tlsrpt-missing'] },
  'starttls.mistakes.example': {
    verdict: 'WARN',
    rules: ['bimi-missing', 'dane-tlsa-insecure', 'dkim-selectors-unknown', 'dnssec-unsigned', 'mta-sts-missing', 'mx-no-ipv6', 'mx-ptr-missing', 'mx-ptr-missing',
      'smtp-banner-name-mismatch', 'smtp-cert-name-mismatch', 'smtp-starttls-missing', 'tlsrpt-missing'],
  },
};

interface ProbeSection { address: string; probed: boolean; connectedTo?: string; tls: { certificateValid: boolean } | null }

/** The families the demo's `--checks all` runs and has findings for (no --dnsbl, so no block list is asked; dkim through the demo's --dkim-discover). */
const DEMO_FAMILIES = ['mx', 'spf', 'dmarc', 'dkim', 'mta-sts', 'tlsrpt', 'dnssec', 'dane', 'ptr', 'smtp', 'takeover'];
const familyOfRule = new Map<string, string>(rules.map((rule) => [rule.id, rule.family]));

/** `domain severity rule` for each finding of the results that `keep` keeps, sorted. */
function findingKeys(results: DomainResult[], keep: (result: DomainResult, finding: DomainResult['findings'][number]) => boolean): string[] {
  return results.flatMap((r) => r.findings.filter((f) => keep(r, f)).map((f) => `${r.domain} ${f.severity} ${f.rule}`)).sort();
}

describe('npm run demo -- --readiness (the bulk-sender summary, offline)', () => {
  let results: Map<string | null, DomainResult>;
  let run: Run;
  before(async () => {
    run = await runNode(DEMO, ['--readiness', '--format', 'json'], { isolateNetwork: canIsolateNetwork() });
    results = new Map((JSON.parse(run.stdout) as DomainResult[]).map((r) => [r.domain, r]));
  });
  const states = (domain: string) => Object.fromEntries(results.get(domain)!.readiness!.requirements.map((r) => [r.id, r.state]));

  it('good.example meets every requirement; the output is what the schema describes', () => {
    assert.equal(run.code, 0, run.stderr);
    assertMatchesSchema(schemaValidator('JsonOutput'), JSON.parse(run.stdout), 'npm run demo -- --readiness --format json');
    assert.equal(results.get('good.example')!.readiness!.state, 'met');
    assert.deepEqual(states('good.example'), { spf: 'met', dkim: 'met', dmarc: 'met', fcrdns: 'met', starttls: 'met' });
  });

  it('the mistakes show what is not met and what cannot be known, never met in its place', () => {
    assert.deepEqual(states('starttls.mistakes.example'), { spf: 'met', dkim: 'unknown', dmarc: 'met', fcrdns: 'not-met', starttls: 'not-met' });
    assert.deepEqual(states('nullmx.example'), { spf: 'met', dkim: 'unknown', dmarc: 'met', fcrdns: 'unknown', starttls: 'unknown' });
    assert.deepEqual(states('dmarc-none.mistakes.example').dmarc, 'not-met');
    assert.deepEqual(states('typo.mistakes.example'), { spf: 'not-met', dkim: 'unknown', dmarc: 'not-met', fcrdns: 'unknown', starttls: 'unknown' });
    assert.equal(states('spf-lookups.mistakes.example').spf, 'not-met');
    assert.equal(states('dkim-sha1.mistakes.example').dkim, 'not-met');
    assert.equal(results.get('unserved.example')!.readiness!.state, 'unknown');
    assert.ok([...results.values()].every((r) => r.domain === null || r.readiness !== undefined));
  });
});

describe('npm run demo -- --checks all (DNSSEC, DANE and SMTP, offline)', () => {
  let run: Run;
  let nagios: Run;
  let prometheus: Run;
  let results: DomainResult[];
  before(async () => {
    // In a network namespace of its own where one is possible: then nothing could leave even by mistake.
    const demoAll = (format: string) => runNode(DEMO, ['--checks', 'all', '--format', format], { isolateNetwork: canIsolateNetwork() });
    [run, nagios, prometheus] = await Promise.all([demoAll('json'), demoAll('nagios'), demoAll('prometheus')]);
    results = JSON.parse(run.stdout) as DomainResult[];
  });

  it('gives the transport examples their verdicts and rules', () => {
    assert.equal(run.code, 0, run.stderr);
    for (const [domain, expected] of Object.entries(EXPECTED_ALL)) {
      const result = results.find((r) => r.domain === domain)!;
      assert.deepEqual({ verdict: result.status.toUpperCase(), rules: result.findings.map((f) => f.rule).sort() }, expected, domain);
    }
  });

  it('prints what docs/result.schema.json describes: a JSON array of results with every family\'s section', () => {
    assertMatchesSchema(schemaValidator('JsonOutput'), JSON.parse(run.stdout), 'npm run demo -- --checks all --format json');
    for (const section of ['spf', 'dmarc', 'dkim', 'mta-sts', 'tlsrpt', 'dnssec', 'dane', 'ptr', 'smtp', 'bimi', 'takeover']) {
      assert.ok(results.some((result) => section in result), `a ${section} section`);
    }
  });

  it('connects only to loopback: every probed address was redirected to 127.0.0.1, private ones were not probed', () => {
    const probes = results.flatMap((r) => ((r as unknown as { smtp?: { probes: ProbeSection[] } }).smtp?.probes ?? []));
    assert.ok(probes.filter((p) => p.probed).length >= 10);
    for (const probe of probes) {
      if (probe.probed) assert.match(probe.connectedTo ?? '', /^127\.0\.0\.1:\d+$/, probe.address);
      else assert.equal(probe.address, '10.1.2.3');
    }
    const good = (results.find((r) => r.domain === 'good.example') as unknown as { smtp: { probes: ProbeSection[] } }).smtp.probes;
    assert.deepEqual(good.map((p) => p.tls?.certificateValid), [true, true, true, true]);
  });

  it('fetches good.example\'s MTA-STS policy from the demo web server, reached only through --connect-to', () => {
    const policy = results.find((r) => r.domain === 'good.example')!['mta-sts']?.policy;
    assert.equal(policy?.fetch, 'fetched');
    assert.equal(policy?.address, '185.199.108.80');
    assert.match(policy?.connectedTo ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(policy?.mode, 'enforce');
    assert.deepEqual(policy?.mx, ['mx1.good.example', 'mx2.good.example']);
    assert.equal(policy?.maxAge, 604800);
  });

  it('shows good.example\'s BIMI logo and Mark Certificate, fetched from the demo web server and verified to the demo CA', () => {
    const bimi = results.find((r) => r.domain === 'good.example')!.bimi;
    assert.deepEqual([bimi?.state, bimi?.name, bimi?.dmarc], ['found', 'default._bimi.good.example', 'enforced']);
    assert.deepEqual([bimi?.logo?.fetch, bimi?.logo?.address, bimi?.logo?.svgTinyPs, bimi?.logo?.title], ['fetched', '185.199.108.81', true, 'good.example']);
    assert.match(bimi?.logo?.connectedTo ?? '', /^127\.0\.0\.1:\d+$/);
    assert.deepEqual([bimi?.evidence?.chain, bimi?.evidence?.logoMatches, bimi?.evidence?.certificate?.altNames], ['verified', true, ['good.example']]);
  });

  it('--format nagios: the first line counts every family\'s findings, and the details name each problem of each domain', () => {
    assert.equal(nagios.code, 0, nagios.stderr);
    assert.match(nagios.stderr, /mxlint exited with 2 /);
    const [first, ...details] = nagios.stdout.trimEnd().split('\n');
    const count = (severity: string): number => results.flatMap((r) => r.findings).filter((f) => f.severity === severity).length;
    const statuses = (status: string): number => results.filter((r) => r.status === status).length;
    assert.match(first!, /^MXLINT CRITICAL - 31 domains: \d+ fail, 1 unknown, \d+ warn, \d+ pass; rollover\.example: dane-tlsa-mismatch \(mx\.rollover\.example\); /);
    assert.match(first!, new RegExp(` \\| time=\\d+\\.\\d{3}s;;;0 domains=31 pass=${statuses('pass')} warn=${statuses('warn')} fail=${statuses('fail')} `
      + `unknown=${statuses('unknown')} errors=${count('error')} warnings=${count('warning')}$`));
    // Past its line limit (what Nagios keeps of a plugin's output) the reporter counts the details it leaves out.
    const leftOut = /^… (\d+) more lines? left out$/.exec(details.at(-1) ?? '');
    const listed = leftOut === null ? details : details.slice(0, -1);
    const named = listed.map((line) => /^(\S+ (?:error|warning|unknown) [a-z0-9-]+): \S/.exec(line)?.[1] ?? `unexpected: ${line}`);
    const every = results.flatMap((r) => (r.status === 'pass' ? [] : r.findings.filter((f) => f.severity !== 'info').map((f) => `${r.domain} ${f.severity} ${f.rule}`)));
    assert.deepEqual(named, every.slice(0, named.length), 'a line per finding, in the order of the results');
    assert.equal(named.length + Number(leftOut?.[1] ?? 0), every.length, 'the lines left out are counted');
    const families = new Set(every.map((key) => familyOfRule.get(key.split(' ')[2]!)));
    for (const family of DEMO_FAMILIES) assert.ok(families.has(family), `a ${family} finding among those the details list or count`);
    assert.ok(details.some((line) => /^starttls\.mistakes\.example warning smtp-starttls-missing: mx1\.starttls\.mistakes\.example .*does not offer STARTTLS/.test(line)));
  });

  it('--format prometheus: mxlint_findings counts every family\'s findings by domain, rule and severity; mxlint_status each verdict', () => {
    assert.equal(prometheus.code, 0, prometheus.stderr);
    const samples = (metric: string): Map<string, number> => new Map([...prometheus.stdout.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, 'gm'))]
      .map(([, labels, value]) => [labels!, Number(value)]));
    const findings = samples('mxlint_findings');
    const expected = new Map<string, number>();
    for (const key of findingKeys(results, () => true)) {
      const [domain, severity, rule] = key.split(' ');
      const labels = `domain="${domain}",rule="${rule}",severity="${severity}"`;
      expected.set(labels, (expected.get(labels) ?? 0) + 1);
    }
    assert.deepEqual(new Map([...findings].sort()), new Map([...expected].sort()));
    assert.equal(findings.get('domain="rollover.example",rule="dane-tlsa-mismatch",severity="error"'), 2, 'one per address');
    assert.equal(findings.get('domain="good.example",rule="mta-sts-missing",severity="info"'), undefined, 'good.example publishes its policy');
    const families = new Set([...findings.keys()].map((labels) => familyOfRule.get(/rule="([^"]+)"/.exec(labels)![1]!)));
    for (const family of DEMO_FAMILIES) assert.ok(families.has(family), `a ${family} finding among the metrics`);
    const status = samples('mxlint_status');
    for (const result of results) assert.equal(status.get(`domain="${result.domain}",status="${result.status}"`), 1, result.domain ?? result.input);
  });

  it('refuses --allow-private and --connect-to: the demo maps the addresses itself', async () => {
    const refused = await runNode(DEMO, ['--allow-private']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /not for the demo/);
  });
});

describe('npm run demo -- postfix (examples/postfix/)', () => {
  it('checks the consistent main.cf at its address: every result passes, the domains come from $mydomain, the continuation and the virtual table', async () => {
    const run = await runNode(DEMO, ['postfix', '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^\$ mxlint postfix --server 127\.0\.0\.1:\d+ .* --address 185\.199\.112\.25 .* examples\/postfix\/main\.cf$/m);
    assert.match(run.stderr, /mxlint exited with 0 \(0 pass, 1 warn, 2 fail, 3 unknown\)\.$/m);
    const results = JSON.parse(run.stdout) as DomainResult[];
    assertMatchesSchema(schemaValidator('JsonOutput'), results, 'npm run demo -- postfix --format json');
    assert.deepEqual(results.map((r) => [r.input, r.status]), [
      ['examples/postfix/main.cf', 'pass'], ['mx.postfix.example', 'pass'], ['postfix.example', 'pass'], ['shop.postfix.example', 'pass'],
    ]);
  });

  it('reports each broken variant with its rule', async () => {
    const cases: [string[], number, string][] = [
      [['examples/postfix/main-mx-elsewhere.cf', '--address', '185.199.112.25'], 2, 'postfix-domain-mx-elsewhere'],
      [['examples/postfix/main-no-ptr.cf'], 2, 'postfix-ptr-missing'],
      [['examples/postfix/main-ptr-other.cf'], 1, 'postfix-ptr-not-myhostname'],
    ];
    for (const [args, code, rule] of cases) {
      const run = await runNode(DEMO, ['postfix', ...args, '--format', 'json']);
      assert.match(run.stderr, new RegExp(`mxlint exited with ${code} `), args[0]);
      const rules = (JSON.parse(run.stdout) as DomainResult[]).flatMap((r) => r.findings.filter((f) => f.severity !== 'info').map((f) => f.rule));
      assert.deepEqual(rules, [rule], args[0]);
    }
  });
});

describe('examples/library.mjs', () => {
  let server: LocalDnsServer;
  before(async () => {
    server = await startLocalDnsServer({ records: exampleRecords() });
  });
  after(() => server.close());

  const fix = (id: string): string => {
    const rule = rules.find((r) => r.id === id);
    assert.ok(rule, `rule ${id} exists`);
    return rule.fix;
  };

  it('checks good.example and cname.mistakes.example against the example zones and prints what it promises', async () => {
    const run = await runNode(LIBRARY_EXAMPLE, [server.address, 'good.example', 'cname.mistakes.example']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(run.stdout.split('\n'), [
      'good.example: pass',
      '  MX 10 mx1.good.example 185.199.108.25, 2a01:4f8:c17:1::25',
      '  MX 20 mx2.good.example 185.199.109.25, 2a01:4f8:c17:2::25',
      `cname.mistakes.example: error mx-target-cname (RFC 2181 §10.3, RFC 5321 §5.1) — fix: ${fix('mx-target-cname')}`,
      `cname.mistakes.example: info mx-single (RFC 5321 §5.1) — fix: ${fix('mx-single')}`,
      '',
    ]);
    // Everything it asked went to the server it was given, over UDP, about the two domains (and _dmarc of
    // their top-level domain, where the DMARC tree walk ends).
    assert.ok(server.queries.length > 0);
    for (const query of server.queries) {
      assert.equal(query.transport, 'udp');
      assert.match(query.name, /(^|\.)(good\.example|mistakes\.example)$|^_dmarc\.example$/);
      assert.equal(query.remote.address, '127.0.0.1');
    }
  });

  it('prints its usage and exits 3 without a server and a domain', async () => {
    const run = await runNode(LIBRARY_EXAMPLE, []);
    assert.equal(run.code, 3);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'usage: node examples/library.mjs SERVER[:PORT] DOMAIN...\n');
  });
});
