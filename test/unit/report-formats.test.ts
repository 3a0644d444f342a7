/**
 * The review-pipeline formats: SARIF 2.1.0 (checked field by field against the specification, see
 * test/support/sarif-check.ts), JUnit XML (parsed strictly), GitHub workflow commands (escaping), and
 * zone-mode text with source lines. Results come from a real offline zone check of the fixture and
 * from hand-made domain results.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rules } from '../../src/catalog/rules.js';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { artifactUri, sarifReporter, sarifRules } from '../../src/report/sarif.js';
import { junitReporter } from '../../src/report/junit.js';
import { escapeData, escapeProperty, githubReporter } from '../../src/report/github.js';
import { textReporter } from '../../src/report/text.js';
import { createReporter } from '../../src/report/formats.js';
import { rfcLinks } from '../../src/report/rfc-links.js';
import { checkZones, readZones } from '../../src/modes/zone/runner.js';
import { REPO_ROOT } from '../support/e2e.js';
import { sarifProblems } from '../support/sarif-check.js';
import { elementsNamed, parseXml } from '../support/xml.js';
import { renderRun } from '../support/render.js';

const ZONE = join('test', 'fixtures', 'zones', 'db.example.com');

const lookupFailed: Finding = { rule: 'dns-lookup-failed', messageId: 'test', fix: 'fix it', severity: 'unknown', message: 'MX slow.example: no reply from 127.0.0.1:53 after 3 attempts', rfc: 'RFC 1035 §4.1.1' };
const unknownDomain: DomainResult = {
  input: 'slow.example', domain: 'slow.example', canonical: 'slow.example', status: 'unknown', mx: [], findings: [lookupFailed], durationMs: 2000,
};
const hostile: DomainResult = {
  input: 'x.example', domain: 'x.example', canonical: 'x.example', status: 'fail', mx: [], durationMs: 1,
  findings: [{ rule: 'zone-syntax', messageId: 'test', fix: 'fix it', severity: 'error', rfc: 'RFC 1035 §5.1', message: 'bad "<x>" & \u0007bell\nnext %0A line, a:b',
    location: { file: 'zones/a,b:c d.zone', line: 3, column: 7 } }],
};

let zoneResults: DomainResult[];
before(async () => {
  process.chdir(REPO_ROOT);
  zoneResults = await checkZones(readZones([ZONE]), { offline: true });
});

describe('SARIF 2.1.0', () => {
  test('a zone run validates: every field the spec defines, rules from the catalog, physical locations', () => {
    const log = JSON.parse(renderRun(sarifReporter(), [...zoneResults, unknownDomain, hostile]));
    assert.deepEqual(sarifProblems(log), []);
    const run = log.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), rules.map((r) => r.id));
    const findings = [...zoneResults, unknownDomain, hostile].flatMap((r) => r.findings);
    assert.equal(run.results.length, findings.length);
    const first = run.results[0];
    assert.equal(first.ruleId, 'zone-syntax');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'test/fixtures/zones/db.example.com' }, region: { startLine: 28, startColumn: 10 },
    });
    assert.deepEqual(first.locations[0].logicalLocations, [{ name: 'example.com', fullyQualifiedName: 'example.com', kind: 'resource' }]);
    const unknown = run.results.find((r: { ruleId: string }) => r.ruleId === 'dns-lookup-failed');
    assert.deepEqual([unknown.kind, unknown.level, unknown.locations[0].physicalLocation], ['open', 'none', undefined]);
    assert.equal(run.results.find((r: { ruleId: string }) => r.ruleId === 'zone-external-not-checked').level, 'note');
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 2 }]);
  });

  test('rules carry help text with the fix and RFC links at the RFC Editor', () => {
    const log = JSON.parse(renderRun(sarifReporter(), []));
    assert.deepEqual(sarifProblems(log), []);
    assert.deepEqual(log.runs[0].results, []);
    const cname = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'mx-target-cname');
    assert.equal(cname.helpUri, 'https://www.rfc-editor.org/rfc/rfc2181#section-10.3');
    assert.match(cname.help.text, /Fix: point the MX at the canonical host name/);
    assert.match(cname.help.markdown, /\[RFC 5321 §5\.1\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc5321#section-5\.1\)/);
    assert.equal(cname.defaultConfiguration.level, 'error');
    assert.deepEqual(rfcLinks('RFC 7505'), [{ label: 'RFC 7505', url: 'https://www.rfc-editor.org/rfc/rfc7505' }]);
  });

  test('--list-rules --format sarif: the rule descriptors alone, a valid log', () => {
    const log = sarifRules(rules) as { runs: { tool: { driver: { rules: { id: string }[] } }; results?: unknown }[] };
    assert.deepEqual(sarifProblems(log), []);
    assert.equal(log.runs[0]!.results, undefined);
    assert.deepEqual(log.runs[0]!.tool.driver.rules.map((r) => r.id), rules.map((r) => r.id));
  });

  test('the check itself fails on what the spec forbids', () => {
    const log = JSON.parse(renderRun(sarifReporter(), [unknownDomain]));
    log.runs[0].results[0].level = 'warning';
    log.runs[0].results[0].ruleIndex = 0;
    log.runs[0].results[0].locations[0].physicalLocation = { artifactLocation: { uri: 'a b' }, region: { startLine: 0 } };
    log.runs[0].tool.driver.colour = 'red';
    delete log.version;
    assert.deepEqual(sarifProblems(log).map((p) => p.replace(/:.*/, '')).sort(), [
      '$',
      '$.runs[0].results[0]',
      '$.runs[0].results[0]',
      '$.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri',
      '$.runs[0].results[0].locations[0].physicalLocation.region.startLine',
      '$.runs[0].tool.driver',
    ]);
  });

  test('file names become URI references: escaped, relative kept relative, absolute as file: URIs', () => {
    assert.equal(artifactUri('zones/db example.com'), 'zones/db%20example.com');
    assert.equal(artifactUri('db:weird#1.zone'), './db:weird%231.zone');
    assert.equal(artifactUri('/srv/zones/db.example.com'), 'file:///srv/zones/db.example.com');
  });
});

describe('JUnit XML', () => {
  test('a testcase per name, a failure per error finding, skipped when it could not be checked', () => {
    const xml = renderRun(junitReporter(), [...zoneResults, unknownDomain, hostile], 1234);
    const root = parseXml(xml);
    assert.equal(root.name, 'testsuites');
    const [suite] = elementsNamed(root, 'testsuite');
    assert.deepEqual(
      [suite!.attributes.tests, suite!.attributes.failures, suite!.attributes.skipped, suite!.attributes.time],
      [String(zoneResults.length + 2), String(zoneResults.length + 1), '1', '1.234'],
    );
    const cases = elementsNamed(root, 'testcase');
    assert.deepEqual(cases.map((c) => c.attributes.name), [...zoneResults.map((r) => r.input), 'slow.example', 'x.example']);
    const apex = cases[0]!;
    assert.equal(apex.attributes.file, ZONE);
    assert.equal(apex.attributes.classname, 'mxlint.zone.example.com');
    assert.deepEqual(elementsNamed(apex, 'failure').map((f) => f.attributes.type), ['zone-syntax']);
    assert.match(elementsNamed(apex, 'failure')[0]!.text, new RegExp(`^${ZONE.replaceAll('.', '\\.')}:28:10: error zone-syntax: `));
    const sales = cases[1]!;
    assert.equal(sales.attributes.name, 'sales.example.com', 'the owner of the MX record that cannot be read has a testcase of its own');
    assert.deepEqual(elementsNamed(sales, 'failure').map((f) => f.attributes.type), ['domain-nxdomain', 'mx-preference-missing']);
    assert.match(elementsNamed(apex, 'system-out')[0]!.text, /warning rrset-ttl-mismatch/);
    const slow = cases.at(-2)!;
    assert.deepEqual(elementsNamed(slow, 'failure'), []);
    assert.match(elementsNamed(slow, 'skipped')[0]!.attributes.message!, /could not be checked: dns-lookup-failed/);
  });

  test('markup and control characters in messages cannot break the document', () => {
    const root = parseXml(renderRun(junitReporter(), [hostile]));
    const failure = elementsNamed(root, 'failure')[0]!;
    assert.equal(failure.attributes.message, 'bad "<x>" & \ufffdbell\nnext %0A line, a:b');
  });
});

describe('GitHub workflow commands', () => {
  test('one annotation per finding, at file, line and column; the title is the rule; the message, the fix and the RFC', () => {
    const lines = renderRun(githubReporter(), zoneResults).trimEnd().split('\n');
    assert.ok(lines.includes(`::error file=${ZONE},line=17,col=10,title=mx-preference-missing::sales.example.com: MX record for sales.example.com has no preference. Fix: write \`sales MX 10 mx1\`. (RFC 1035 §3.3.9)`));
    assert.ok(lines.some((l) => l.startsWith(`::warning file=${ZONE},line=15,col=1,title=rrset-ttl-mismatch::`)));
    assert.ok(lines.some((l) => l.startsWith(`::notice file=${ZONE},line=6,col=1,title=zone-external-not-checked::example.com: 3 names were not looked up: _dmarc.com, mx.provider.example, provider.example;`)));
    assert.equal(lines.at(-1), `mxlint: ${zoneResults.length} checked: 0 pass, 0 warn, ${zoneResults.length} fail, 0 unknown`);
  });

  test('unknown is a warning; domains without a file get no file property', () => {
    assert.equal(renderRun(githubReporter(), [unknownDomain]).split('\n')[0],
      '::warning title=dns-lookup-failed::slow.example: MX slow.example: no reply from 127.0.0.1:53 after 3 attempts. Fix: fix it. (RFC 1035 §4.1.1)');
  });

  test('escaping: %, CR and LF in the message; also : and , in properties', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a,b:c%'), 'a%2Cb%3Ac%25');
    const line = renderRun(githubReporter(), [hostile]).split('\n')[0];
    assert.equal(line, '::error file=zones/a%2Cb%3Ac d.zone,line=3,col=7,title=zone-syntax::x.example: bad "<x>" & \u0007bell%0Anext %250A line, a:b. Fix: fix it. (RFC 1035 §5.1)');
  });
});

describe('text in zone mode', () => {
  test('a finding whose file is at hand shows the line and a caret, then the RFC and the fix; one whose file is not, only the head line', () => {
    const sources = new Map([['zones/a,b:c d.zone', 'one\ntwo\n\tthree\t"x"\n']]);
    const out = renderRun(createReporter('text', { color: false, quiet: false, width: 40, sources }), [hostile]);
    const lines = out.split('\n');
    const head = lines.findIndex((l) => l.startsWith('zones/a,b:c d.zone:3:7: error zone-syntax: bad'));
    assert.ok(head > 0, out);
    assert.equal(lines[head], 'zones/a,b:c d.zone:3:7: error zone-syntax: bad "<x>" & \\007bell\\010next %0A line, a:b');
    assert.equal(lines[head + 1], '  3 | \tthree\t"x"');
    assert.equal(lines[head + 2], '    | \t     ^');
    assert.equal(lines[head + 3], '    = RFC 1035 §5.1');
    assert.equal(lines[head + 4], '    = fix: fix it');
    const bare = renderRun(textReporter({ color: false, quiet: false, width: null }), [hostile]);
    assert.doesNotMatch(bare, / \| /);
  });
});
