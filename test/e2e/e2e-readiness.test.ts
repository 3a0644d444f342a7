/**
 * The bulk-sender readiness summary end to end: the built CLI with --readiness against a real NSD
 * (the domains, their reverse zone and the `test` zone the DMARC tree walk ends in) and real Postfix
 * instances on loopback — one with STARTTLS, one without — reached through --connect-to from the
 * public-looking exchange addresses in the zone (which are only ever looked up). A ready domain, one
 * that misses every requirement it can, the reverse DNS of a sending host given with --sending-host,
 * and what stays unknown: no DKIM selector, an exchange nothing answers at. Then the JSON against
 * the schema, JSON Lines, and the text report's section.
 *
 * Skipped with the reason when nsd, postfix or openssl is missing (MXLINT_E2E=required makes that a failure).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import { e2eGate, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { startPostfix, type PostfixServer } from '../support/postfix.js';
import { createTestCa } from '../support/pki.js';
import { freePort } from '../support/ports.js';
import { assertMatchesSchema, schemaValidator } from '../support/result-schema.js';

const gate = [e2eGate('nsd'), e2eGate('postfix'), e2eGate('openssl')].find((g) => g.skip !== false) ?? { skip: false as const };

/** A 2048-bit RSA key (its private half thrown away), as test/fixtures/dkim publishes it. */
const DKIM_KEY = '"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAkJkHLclmiVCtXkKClnya5067jPmze91AL8OTILg6xpvwiMZklfEBMLB5sfl8SnX3KUR/Ocqavqh4adi1J73d9JSnZHNrdzNqF3jlWaHFBQI9zqbgLU7uN/IT/P5a9bJuKERBL" '
  + '"q4Xlv8oEHNdynRe4YvEen4AYikZ7SZNVzxsYtOFwVIalStS0sPVqbPPJfboUzF7rs9TtK8Uu1ayZDvGlw5F7AM4MYUfd37w5GffT0Y7JEsvAhF+9o4ruEwJ9uj6dchbfjn3im2P6kHlzoRFwyOmB0upxHJade817RBVkiSbYfaUlzSrYLdf4paJSbpNX1O8ScPmBlpmL" '
  + '"fjxRt7NZQIDAQAB"';

const ZONE = `
$ORIGIN ready.test.
$TTL 300
@              SOA  ns1 hostmaster 1 3600 600 86400 300
@              NS   ns1
ns1            A    127.0.0.1
; ready: SPF, a DKIM key under s1, DMARC p=none with reports, FCrDNS, STARTTLS
good           MX   10 mx.good
good           TXT  "v=spf1 mx -all"
_dmarc.good    TXT  "v=DMARC1; p=none; rua=mailto:dmarc@good.ready.test"
s1._domainkey.good TXT ( ${DKIM_KEY} )
mx.good        A    185.199.108.40
; misses what it can: no DKIM key, no DMARC reports, no PTR, no STARTTLS
bad            MX   10 mx.bad
bad            TXT  "v=spf1 mx -all"
_dmarc.bad     TXT  "v=DMARC1; p=reject"
mx.bad         A    185.199.108.41
; the host mail really leaves from, with forward-confirmed reverse DNS
out            A    185.199.108.42
; nothing answers at its exchange
down           MX   10 mx.down
down           TXT  "v=spf1 mx -all"
_dmarc.down    TXT  "v=DMARC1; p=quarantine; rua=mailto:dmarc@down.ready.test"
mx.down        A    185.199.108.43
`;

const REVERSE = `
$ORIGIN 108.199.185.in-addr.arpa.
$TTL 300
@    SOA  ns1.ready.test. hostmaster.ready.test. 1 3600 600 86400 300
@    NS   ns1.ready.test.
40   PTR  mx.good.ready.test.
42   PTR  out.ready.test.
43   PTR  mx.down.ready.test.
`;

/** Where the DMARC tree walk ends: without it _dmarc.test would be REFUSED, and DMARC unknown. */
const TLD = `
$ORIGIN test.
$TTL 300
@    SOA  ns1.ready.test. hostmaster.ready.test. 1 3600 600 86400 300
@    NS   ns1.ready.test.
`;

type States = Record<string, string>;

function states(result: DomainResult): States {
  return Object.fromEntries(result.readiness!.requirements.map((r) => [r.id, r.state]));
}

function behind(result: DomainResult, id: string): string[] {
  return result.readiness!.requirements.find((r) => r.id === id)!.findings.map((f) => `${f.rule}@${f.target ?? ''}`).sort();
}

describe('--readiness against NSD and Postfix on loopback', { skip: gate.skip }, () => {
  let nsd: NsdServer;
  let pkiDir: string;
  let caFile: string;
  let closedPort: number;
  const postfixes: PostfixServer[] = [];

  before(async () => {
    pkiDir = mkdtempSync(join(tmpdir(), 'mxlint-readiness-pki-'));
    const ca = await createTestCa(join(pkiDir, 'ca'));
    caFile = ca.caCertPath;
    const cert = await ca.issue({ names: ['mx.good.ready.test'] });
    nsd = await startNsd({ zones: { 'ready.test': ZONE, '108.199.185.in-addr.arpa': REVERSE, test: TLD } });
    const port = await freePort(['127.0.13.40', '127.0.13.41']);
    postfixes.push(...await Promise.all([
      startPostfix({ addresses: ['127.0.13.40'], port, myhostname: 'mx.good.ready.test', tls: { keyPath: cert.keyPath, certPath: cert.chainPath } }),
      startPostfix({ addresses: ['127.0.13.41'], port, myhostname: 'mx.bad.ready.test', tls: null }),
    ]));
    closedPort = await freePort(['127.0.13.43']);
  });

  after(async () => {
    await Promise.all([...postfixes.map((p) => p.stop()), nsd?.stop()]);
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  const mxlint = (args: string[], format = 'json'): Promise<CliResult> => runCli([
    '--server', nsd.server, '--timeout', '5000', '--retries', '1', '--smtp-timeout', '10000', '--ca', caFile, '--format', format, '--readiness',
    '--connect-to', `185.199.108.40=127.0.13.40:${postfixes[0]!.port}`, '--connect-to', `185.199.108.41=127.0.13.41:${postfixes[1]!.port}`,
    '--connect-to', `185.199.108.43=127.0.13.43:${closedPort}`, ...args,
  ], { timeoutMs: 90_000 });
  const one = async (args: string[]): Promise<DomainResult> => {
    const run = await mxlint(args);
    assert.doesNotMatch(run.stderr, /internal error|\n\s+at /, run.stderr);
    const [result] = JSON.parse(run.stdout) as DomainResult[];
    assertMatchesSchema(schemaValidator('DomainResult'), result, args.join(' '));
    return result!;
  };

  it('a ready domain: every requirement met, with nothing behind it, and the families it reads ran without being named', async () => {
    const result = await one(['--dkim-selector', 's1', 'good.ready.test']);
    assert.deepEqual(result.readiness, {
      state: 'met',
      requirements: ['spf', 'dkim', 'dmarc', 'fcrdns', 'starttls'].map((id) => ({ id, state: 'met', findings: [] })),
    });
    for (const section of ['spf', 'dmarc', 'dkim', 'ptr', 'smtp'] as const) assert.ok(result[section] !== undefined, section);
    assert.equal(result.status, 'pass', JSON.stringify(result.findings));
  });

  it('a domain that misses what it can: each line not met, with the rule and the target behind it', async () => {
    const result = await one(['--dkim-selector', 's1', 'bad.ready.test']);
    assert.equal(result.readiness!.state, 'not-met');
    assert.deepEqual(states(result), { spf: 'met', dkim: 'not-met', dmarc: 'not-met', fcrdns: 'not-met', starttls: 'not-met' });
    assert.deepEqual(behind(result, 'dkim'), ['dkim-selector-missing@s1._domainkey.bad.ready.test']);
    assert.deepEqual(behind(result, 'dmarc'), ['dmarc-no-aggregate-reports@']);
    assert.deepEqual(behind(result, 'fcrdns'), ['mx-ptr-missing@mx.bad.ready.test']);
    assert.deepEqual(behind(result, 'starttls'), ['smtp-starttls-missing@mx.bad.ready.test']);
  });

  it('--sending-host: the reverse DNS of the host mail leaves from is checked instead of the exchange\'s', async () => {
    const byName = await one(['--dkim-selector', 's1', '--sending-host', 'out.ready.test', 'bad.ready.test']);
    assert.equal(states(byName).fcrdns, 'met');
    assert.deepEqual(byName.ptr, {
      hosts: 'sending', unresolved: [],
      addresses: [{ host: 'out.ready.test', address: '185.199.108.42', family: 4, names: ['out.ready.test'], forwardConfirmed: true }],
    });
    const byAddress = await one(['--sending-host', '185.199.108.41', 'bad.ready.test']);
    assert.deepEqual(behind(byAddress, 'fcrdns'), ['mx-ptr-missing@185.199.108.41']);
    const nowhere = await one(['--sending-host', 'nothing.ready.test', 'good.ready.test']);
    assert.equal(states(nowhere).fcrdns, 'unknown');
    assert.deepEqual(behind(nowhere, 'fcrdns'), ['sending-host-no-address@nothing.ready.test']);
  });

  it('unknown, never met: no DKIM selector known, an exchange nothing answers at', async () => {
    const result = await one(['down.ready.test']);
    assert.deepEqual(states(result), { spf: 'met', dkim: 'unknown', dmarc: 'met', fcrdns: 'met', starttls: 'unknown' });
    assert.equal(result.readiness!.state, 'unknown');
    const dkim = result.readiness!.requirements.find((r) => r.id === 'dkim')!;
    assert.deepEqual(dkim.findings, []);
    assert.match(dkim.reason!, /no DKIM selector known/);
    assert.equal(result.dkim, undefined);
    assert.deepEqual(behind(result, 'starttls'), ['smtp-unreachable@mx.down.ready.test']);
  });

  it('a bad --sending-host is a usage error naming the flag', async () => {
    const run = await runCli(['--readiness', '--sending-host', '192.168.1.5', 'good.ready.test'], { isolateNetwork: true });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /--sending-host: "192\.168\.1\.5" is not a globally routable address \(private, RFC 1918\)/);
  });

  it('JSON Lines carries the same summary; the text report a READINESS section with marks and words', async () => {
    const jsonl = await mxlint(['--dkim-selector', 's1', 'good.ready.test', 'bad.ready.test'], 'jsonl');
    const lines = jsonl.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as DomainResult);
    assert.deepEqual(lines.map((r) => [r.domain, r.readiness?.state]), [['good.ready.test', 'met'], ['bad.ready.test', 'not-met']]);
    const text = await mxlint(['--dkim-selector', 's1', '--no-color', 'bad.ready.test'], 'text');
    const section = text.stdout.split('\n').filter((line) => line.startsWith('  READINESS'));
    assert.deepEqual(section.map((line) => line.replace(/ {2}\(.*\)$/, '')), [
      '  READINESS ✗ not met',
      '  READINESS ✓ met: SPF: one valid record',
      '  READINESS ✗ not met: DKIM: a usable key for each selector',
      '  READINESS ✗ not met: DMARC: a policy of p=none or stricter, with aggregate reports',
      '  READINESS ✗ not met: reverse DNS of the sending hosts, forward-confirmed',
      '  READINESS ✗ not met: STARTTLS on the exchanges',
    ]);
    assert.match(section[5]!, /\(smtp-starttls-missing mx\.bad\.ready\.test\)$/);
  });
});
