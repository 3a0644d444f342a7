/**
 * `mxlint postfix` end to end: the built CLI reads the example configurations of examples/postfix/
 * and compares them with a real NSD serving examples/zones/postfix.example.zone and the reverse zone,
 * and (--checks smtp) with real Postfix instances on 127.0.8.x: one running what main.cf says, one
 * not reloaded since (another SIZE, no STARTTLS), one behind another greeting and certificate. The
 * example zones hold public-looking addresses: every connection to one goes to loopback through
 * --connect-to, and runs that would probe others leave out --checks smtp.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { FORMAT_NAMES } from '../../src/report/formats.js';
import { e2eGate, REPO_ROOT, runCli, type CliResult } from '../support/e2e.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { startPostfix, type PostfixServer } from '../support/postfix.js';
import { createTestCa, type TestCa } from '../support/pki.js';

const gate = [e2eGate('postfix'), e2eGate('nsd'), e2eGate('openssl')].find((g) => g.skip !== false) ?? { skip: false as const };

const EXAMPLES = join(REPO_ROOT, 'examples');
const zone = (file: string): string => readFileSync(join(EXAMPLES, 'zones', file), 'utf8');
/** The address of mx.postfix.example in the example zone, and the Postfix instances standing in for it. */
const SERVER = '185.199.112.25';
const RUNNING = '127.0.8.1';
const NOT_RELOADED = '127.0.8.2';
const OTHER_FRONT = '127.0.8.3';
const BROKEN_TABLE = '127.0.8.4';

/** The replies of a Postfix to `commands`, sent one after the other once it greets. */
function smtpReplies(address: string, commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(25, address);
    let replies = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      replies += chunk;
      if (/^220 /m.test(replies) && commands.length > 0) socket.write(`${commands.splice(0).join('\r\n')}\r\n`);
    });
    socket.once('error', reject).once('close', () => resolve(replies));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

let nsd: NsdServer;
let ca: TestCa;
let pkiDir: string;
const postfixes: PostfixServer[] = [];

function mxlint(args: string[]): Promise<CliResult> {
  return runCli(['postfix', '--server', nsd.server, '--format', 'json', ...args]);
}

/** The results of a JSON run: the server's first, then each accepted domain's. */
function results(run: CliResult): DomainResult[] {
  assert.equal(run.stderr, '', 'stderr');
  return JSON.parse(run.stdout) as DomainResult[];
}

function rules(result: DomainResult, atLeast: Finding['severity'][] = ['error', 'unknown', 'warning']): string[] {
  return result.findings.filter((f) => atLeast.includes(f.severity)).map((f) => f.rule).sort();
}

function finding(result: DomainResult, rule: string): Finding {
  const found = result.findings.find((f) => f.rule === rule);
  assert.ok(found, `${result.input}: no ${rule} in ${result.findings.map((f) => f.rule).join(', ')}`);
  return found;
}

/** The live checks of the example main.cf against the Postfix at `instance`, reached for mx.postfix.example's address. */
function probeAgainst(instance: string, file = 'examples/postfix/main.cf'): Promise<CliResult> {
  return mxlint([file, '--address', SERVER, '--checks', 'mx,spf,dmarc,smtp', '--connect-to', `${SERVER}=${instance}`, '--ca', ca.caCertPath, '--smtp-timeout', '3000']);
}

describe('mxlint postfix against NSD and real Postfix servers', { skip: gate.skip }, () => {
  before(async () => {
    pkiDir = mkdtempSync(join(tmpdir(), 'mxlint-postfix-pki-'));
    ca = await createTestCa(join(pkiDir, 'ca'));
    const good = await ca.issue({ names: ['mx.postfix.example'] });
    const stranger = await ca.issue({ names: ['filter.example.net'] });
    nsd = await startNsd({ host: '127.0.8.53', zones: {
      'postfix.example': zone('postfix.example.zone'), '185.in-addr.arpa': zone('185.in-addr.arpa.zone'),
      // The top-level domain, where the DMARC tree walk ends (RFC 9989 §4.10).
      example: zone('example.zone'),
      // The domain of postfix.example's name server: it exists (the takeover check asks).
      'good.example': zone('good.example.zone'),
    } });
    postfixes.push(...await Promise.all([
      // What examples/postfix/main.cf says.
      startPostfix({ addresses: [RUNNING], port: 25, myhostname: 'mx.postfix.example', messageSizeLimit: 52_428_800, tls: { keyPath: good.keyPath, certPath: good.chainPath } }),
      // The defaults it ran with before main.cf was edited, and never reloaded since.
      startPostfix({ addresses: [NOT_RELOADED], port: 25, myhostname: 'mx.postfix.example', tls: null }),
      // Something else answers at the address: another greeting, another certificate.
      startPostfix({ addresses: [OTHER_FRONT], port: 25, myhostname: 'mx.postfix.example', messageSizeLimit: 52_428_800, banner: 'filter.example.net ESMTP', tls: { keyPath: stranger.keyPath, certPath: stranger.chainPath } }),
    ]));
  });

  after(async () => {
    await Promise.all([...postfixes.map((p) => p.stop()), nsd?.stop()]);
    if (pkiDir) rmSync(pkiDir, { recursive: true, force: true });
  });

  it('a consistent setup: main.cf, DNS and the running server agree, no problem reported', async () => {
    const run = await probeAgainst(RUNNING);
    const [server, ...domains] = results(run);
    assert.equal(run.code, 0, run.stdout);
    assert.equal(server!.input, 'examples/postfix/main.cf');
    assert.equal(server!.domain, 'mx.postfix.example');
    assert.deepEqual(rules(server!), []);
    // $myhostname and $mydomain expanded, the continuation line read, the virtual table's source read.
    assert.deepEqual(domains.map((d) => d.domain), ['mx.postfix.example', 'postfix.example', 'shop.postfix.example']);
    assert.deepEqual(server!.postfix?.acceptedDomains.map((d) => `${d.domain} ${d.parameter} ${d.file}:${d.line}`), [
      'mx.postfix.example mydestination examples/postfix/main.cf:12',
      'postfix.example mydestination examples/postfix/main.cf:12',
      'shop.postfix.example virtual_alias_domains examples/postfix/virtual:2',
    ]);
    for (const domain of domains) assert.deepEqual(rules(domain), [], domain.input);
    const [probe] = server!.smtp!.probes;
    assert.ok(probe?.probed);
    assert.equal(probe.connectedTo, `${RUNNING}:25`);
    assert.equal(probe.ehlo?.size, 52_428_800);
    assert.equal(probe.tls?.certificateValid, true);
    assert.deepEqual(server!.ptr?.addresses.map((a) => [a.address, a.names, a.forwardConfirmed]), [[SERVER, ['mx.postfix.example'], true]]);
  });

  it('a server not reloaded since main.cf changed: SIZE differs from message_size_limit, no STARTTLS though the level is may', async () => {
    const run = await probeAgainst(NOT_RELOADED);
    const [server] = results(run);
    assert.equal(run.code, 2, run.stdout);
    assert.deepEqual(rules(server!), ['postfix-size-mismatch', 'postfix-starttls-missing']);
    assert.match(finding(server!, 'postfix-size-mismatch').message, /offers SIZE 10240000 .* message_size_limit = 52428800/);
    assert.equal(finding(server!, 'postfix-size-mismatch').location?.line, 24);
    assert.match(finding(server!, 'postfix-starttls-missing').message, /smtpd_tls_security_level = may, but .* offers no STARTTLS/);
  });

  it('another server in front: the greeting does not name myhostname, the certificate does not cover the MX name', async () => {
    const run = await probeAgainst(OTHER_FRONT);
    const [server] = results(run);
    assert.equal(run.code, 2, run.stdout);
    // examples/postfix/main.cf names a certificate file that is not on this machine: only the live one is judged.
    assert.deepEqual(rules(server!), ['postfix-banner-hostname', 'postfix-certificate-names']);
    assert.match(finding(server!, 'postfix-banner-hostname').message, /names filter\.example\.net, not myhostname mx\.postfix\.example/);
    assert.match(finding(server!, 'postfix-certificate-names').message, /names filter\.example\.net\) does not cover mx\.postfix\.example/);
  });

  it('reads the main.cf the running Postfix was started with: it agrees with the live server', async () => {
    const mainCf = join(postfixes[0]!.dir, 'conf', 'main.cf');
    const run = await mxlint([mainCf, '--address', SERVER, '--checks', 'mx,smtp', '--connect-to', `${SERVER}=${RUNNING}`, '--ca', ca.caCertPath]);
    const [server, ...domains] = results(run);
    assert.deepEqual(rules(server!), []);
    assert.equal(server!.postfix?.messageSizeLimit, 52_428_800);
    assert.equal(server!.postfix?.tlsSecurityLevel, 'may');
    // mydestination is empty there: no domain to check.
    assert.deepEqual(domains, []);
    assert.equal(run.code, 0, run.stdout);
  });

  it('the certificate a main.cf configures is read from its file: one that does not cover the MX name is reported at its line, no probe needed', async () => {
    const mainCf = join(postfixes[2]!.dir, 'conf', 'main.cf');
    const run = await mxlint([mainCf, '--address', SERVER, '--checks', 'mx']);
    const [server] = results(run);
    assert.deepEqual(rules(server!), ['postfix-certificate-names']);
    const problem = finding(server!, 'postfix-certificate-names');
    assert.match(problem.message, /^The certificate main\.cf configures \(.*\) \(names filter\.example\.net\) does not cover mx\.postfix\.example/);
    assert.match(readFileSync(mainCf, 'utf8').split('\n')[problem.location!.line - 1]!, /^smtpd_tls_chain_files = /);
    assert.equal(run.code, 2);
  });

  it('a domain Postfix accepts whose MX points at another server: says which host and address instead', async () => {
    const run = await mxlint(['examples/postfix/main-mx-elsewhere.cf', '--address', SERVER]);
    const all = results(run);
    const legacy = all.find((r) => r.domain === 'legacy.postfix.example')!;
    assert.equal(run.code, 2);
    assert.deepEqual(rules(legacy), ['postfix-domain-mx-elsewhere']);
    const problem = finding(legacy, 'postfix-domain-mx-elsewhere');
    assert.match(problem.message, /its MX points at old-mx\.postfix\.example \(185\.199\.112\.99\), none of which is this server \(185\.199\.112\.25\)/);
    assert.deepEqual([problem.location?.file, problem.location?.line], ['examples/postfix/main-mx-elsewhere.cf', 17]);
    assert.deepEqual(all.filter((r) => r !== legacy).map((r) => rules(r)), [[], [], [], []]);
  });

  it('an address without PTR (taken from inet_interfaces): postfix-ptr-missing at the inet_interfaces line', async () => {
    const run = await mxlint(['examples/postfix/main-no-ptr.cf']);
    const [server] = results(run);
    assert.equal(run.code, 2);
    assert.deepEqual(rules(server!), ['postfix-ptr-missing']);
    assert.equal(finding(server!, 'postfix-ptr-missing').location?.line, 9);
    assert.deepEqual(server!.postfix?.addresses, [{ address: '185.199.112.26', family: 4, source: 'inet_interfaces' }]);
  });

  it('a PTR naming another host than myhostname (though forward-confirmed): a warning, not an FCrDNS error', async () => {
    const run = await mxlint(['examples/postfix/main-ptr-other.cf']);
    const [server] = results(run);
    assert.equal(run.code, 1);
    assert.deepEqual(rules(server!), ['postfix-ptr-not-myhostname']);
    assert.match(finding(server!, 'postfix-ptr-not-myhostname').message, /has PTR gw\.postfix\.example, not myhostname relay\.postfix\.example/);
  });

  it('every output format reports the run, with the exit code of the worst result', async () => {
    for (const format of FORMAT_NAMES) {
      const run = await runCli(['postfix', 'examples/postfix/main-mx-elsewhere.cf', '--address', SERVER, '--server', nsd.server, '--format', format]);
      assert.equal(run.code, 2, `${format}: ${run.stderr}`);
      assert.match(run.stdout, /legacy\.postfix\.example/, format);
    }
  });

  it('text: findings point at the main.cf line, shown under the message', async () => {
    const run = await runCli(['postfix', 'examples/postfix/main-mx-elsewhere.cf', '--address', SERVER, '--server', nsd.server, '--quiet']);
    assert.match(run.stdout, /^examples\/postfix\/main-mx-elsewhere\.cf:17:1: error postfix-domain-mx-elsewhere: /m);
    assert.match(run.stdout, /^ {2}17 \| virtual_alias_domains = hash:virtual, legacy\.postfix\.example$/m);
  });

  it('a main.cf that cannot be read: one line on stderr, exit 3', async () => {
    const run = await runCli(['postfix', 'examples/postfix/no-such-main.cf', '--server', nsd.server]);
    assert.equal(run.code, 3);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'mxlint: cannot read examples/postfix/no-such-main.cf: no such file\n');
  });

  it('an accepted-domain table that is not there: the real Postfix defers every recipient, and mxlint says so at its line', async () => {
    const broken = await startPostfix({ addresses: [BROKEN_TABLE], port: 25, myhostname: 'mx.postfix.example', tls: null, extraMainCf: ['mydestination = hash:/nonexistent/virtual'] });
    postfixes.push(broken);
    const reply = await smtpReplies(BROKEN_TABLE, ['EHLO client.example', 'MAIL FROM:<a@client.example>', 'RCPT TO:<someone@mx.postfix.example>', 'QUIT']);
    assert.match(reply, /^451 4\.3\.0 <someone@mx\.postfix\.example>: Temporary lookup failure/m);
    const mainCf = join(broken.dir, 'conf', 'main.cf');
    const run = await mxlint([mainCf, '--address', SERVER, '--checks', 'mx']);
    const [server] = results(run);
    const missing = finding(server!, 'postfix-table-missing');
    assert.equal(missing.severity, 'error');
    assert.match(readFileSync(mainCf, 'utf8').split('\n')[missing.location!.line - 1]!, /^mydestination = hash:\/nonexistent\/virtual$/);
    assert.equal(run.code, 2);
  });
});
