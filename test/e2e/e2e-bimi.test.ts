/**
 * The BIMI family end to end: the built CLI against a real NSD serving bimi.test and a real HTTPS
 * server (node:https, a certificate from the test CA) on 127.0.0.1 that serves logos and evidence
 * documents — Mark Certificates with a logotype extension made with openssl by a test "Mark
 * Verifying Authority". The zone's public-looking web server address is sent to that server with
 * --connect-to; every address contacted is loopback.
 *
 * Needs nsd and openssl; skipped with the reason otherwise (MXLINT_E2E=required makes that a failure).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { e2eGate, runCli, type CliResult, type Gate } from '../support/e2e.js';
import { FORMAT_NAMES } from '../../src/report/formats.js';
import { startNsd, type NsdServer } from '../support/nsd.js';
import { createTestCa, type TestCa } from '../support/pki.js';
import { createMarkAuthority, GOOD_LOGO, logo, type MarkAuthority } from '../support/bimi.js';
import { jsonResults } from '../support/cli-results.js';

const gates: Gate[] = [e2eGate('nsd'), e2eGate('openssl')];
const skip = gates.map((g) => g.skip).find((reason) => reason !== false) ?? false;

/** The web server's address in the zone: public-looking, only ever reached through --connect-to. */
const WEB_ADDRESS = '185.199.110.80';
const WEB_HOST = 'brand.bimi.test';

const ENTITY_BOMB = `<!DOCTYPE svg [<!ENTITY l0 "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('')}]>\n${logo({ title: '&l9;' })}`;

/** Each case: a subdomain of bimi.test with a BIMI record naming /CASE/logo.svg (and /CASE/vmc.pem), and what the server serves there. */
interface Case {
  /** The logo served; a Buffer as it is (SVGZ), null for 404. */
  logo?: string | Buffer | null;
  /** The Mark Certificate's names and logo, or none (no a=). */
  mark?: { names?: string[]; svg?: string; days?: number; stranger?: boolean } | null;
  /** The whole record instead of the usual one. */
  record?: string;
  dmarc?: string;
  redirect?: boolean;
}

const CASES: Record<string, Case> = {
  good: { mark: {} },
  svgz: { logo: gzipSync(GOOD_LOGO), mark: {} },
  selfasserted: { mark: null },
  script: { logo: logo({ body: '<script>alert(document.cookie)</script>' }), mark: null },
  external: { logo: logo({ body: '<use xlink:href="https://tracker.example/pixel.svg#p"/>' }), mark: null },
  profile: { logo: logo({ root: 'version="1.1" baseProfile="full"' }), mark: null },
  notitle: { logo: logo({ title: null }), mark: null },
  big: { logo: logo({ body: `<desc>${'brand '.repeat(7000)}</desc>` }), mark: null },
  bomb: { logo: ENTITY_BOMB, mark: null },
  mismatch: { mark: { svg: logo({ body: '<rect width="100" height="100" fill="#00c"/>' }) } },
  expired: { mark: { days: -3 } },
  wrongname: { mark: { names: ['other-brand.test'] } },
  untrusted: { mark: { stranger: true } },
  weak: { mark: {}, dmarc: 'v=DMARC1; p=quarantine; pct=50' },
  testing: { mark: {}, dmarc: 'v=DMARC1; p=reject; t=y' },
  redirect: { redirect: true, mark: null },
  notfound: { logo: null, mark: null },
  private: { record: 'v=BIMI1; l=https://intranet.bimi.test/logo.svg' },
  noaddress: { record: 'v=BIMI1; l=https://nothing.bimi.test/logo.svg' },
  declined: { record: 'v=BIMI1; l=; a=;' },
  port: { record: `v=BIMI1; l=https://${WEB_HOST}:8443/good/logo.svg` },
  slow: { mark: null },
  // A title and a reference that would reorder or drive a terminal (XML text allows bidi and C1 controls).
  hostile: { logo: logo({ title: '\u202egnp.exe \u0085\u009b31m Brand', body: '<use xlink:href="https://e.example/\u202e\u009b2J"/>' }), mark: null },
  syntax: { record: 'v=BIMI1; l=http://brand.bimi.test/syntax/logo.svg' },
  missing: { record: '' },
};

function zoneText(): string {
  const lines = Object.entries(CASES).flatMap(([name, c]) => {
    const record = c.record ?? `v=BIMI1; l=https://${WEB_HOST}/${name}/logo.svg${c.mark === null ? '' : `; a=https://${WEB_HOST}/${name}/vmc.pem`}`;
    return [
      `${name} A 185.199.110.1`,
      `_dmarc.${name} TXT "${c.dmarc ?? 'v=DMARC1; p=reject'}"`,
      ...(record === '' ? [] : [`default._bimi.${name} TXT "${record}"`]),
    ];
  });
  return [
    '$ORIGIN bimi.test.', '$TTL 300',
    '@ SOA ns1 hostmaster 1 3600 600 86400 300', '@ NS ns1', 'ns1 A 192.0.2.53',
    '_dmarc TXT "v=DMARC1; p=reject"',
    `brand A ${WEB_ADDRESS}`, 'intranet A 10.20.30.40', 'nothing TXT "no address here"',
    // Another selector, at the organizational domain only: sub.bimi.test inherits it.
    `brand2._bimi TXT "v=BIMI1; l=https://${WEB_HOST}/good/logo.svg; a=https://${WEB_HOST}/org/vmc.pem"`,
    'sub A 185.199.110.1',
    ...lines, '',
  ].join('\n');
}

interface WebServer {
  port: number;
  requests: string[];
  close(): Promise<void>;
}

async function startWebServer(ca: TestCa, files: Map<string, { type: string; body: string | Buffer }>): Promise<WebServer> {
  const leaf = await ca.issue({ names: [WEB_HOST] });
  const state = { port: 0, requests: [] as string[], close: async () => undefined };
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: leaf.keyPem, cert: leaf.chainPem }, (req, res) => {
    state.requests.push(`${req.headers.host ?? ''}${req.url ?? ''}`);
    if (req.url === '/slow/logo.svg') {
      // A byte every 100 ms, for ever: only the fetch's deadline ends it.
      res.writeHead(200, { 'content-type': 'image/svg+xml' });
      const timer = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (req.url === '/redirect/logo.svg') {
      res.writeHead(301, { location: `https://${WEB_HOST}/good/logo.svg` });
      res.end();
      return;
    }
    const file = files.get(req.url ?? '');
    if (file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type });
    res.end(file.body);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  state.port = (server.address() as AddressInfo).port;
  state.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}


/** The BIMI findings as rule/messageId, sorted. */
function bimiKeys(result: DomainResult | undefined): string[] {
  return (result?.findings ?? []).filter((f) => f.rule.startsWith('bimi-')).map((f) => `${f.rule}/${f.messageId}`).sort();
}

function finding(result: DomainResult | undefined, rule: string): Finding {
  const found = result?.findings.find((f) => f.rule === rule);
  assert.ok(found, `${result?.input} has ${rule}: ${JSON.stringify(result?.findings.map((f) => f.rule))}`);
  return found;
}

it('e2e prerequisites: nsd, openssl', { skip }, () => {});

describe('BIMI end to end: NSD and an HTTPS server with logos and Mark Certificates on loopback', { skip }, () => {
  let dir: string;
  let nsd: NsdServer;
  let web: WebServer;
  let authority: MarkAuthority;
  let rootFile: string;
  let caFile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-bimi-e2e-'));
    const ca = await createTestCa(join(dir, 'web'));
    authority = await createMarkAuthority(join(dir, 'marks'));
    const stranger = await createMarkAuthority(join(dir, 'stranger'));
    const files = new Map<string, { type: string; body: string | Buffer }>();
    for (const [name, c] of Object.entries(CASES)) {
      if (c.logo !== null) files.set(`/${name}/logo.svg`, { type: 'image/svg+xml', body: c.logo ?? GOOD_LOGO });
      if (c.mark) {
        const issuer = c.mark.stranger ? stranger : authority;
        const pem = await issuer.issue({ names: c.mark.names ?? [`${name}.bimi.test`], svg: c.mark.svg ?? GOOD_LOGO, days: c.mark.days ?? 365 });
        files.set(`/${name}/vmc.pem`, { type: 'application/pem-certificate-chain', body: pem });
      }
    }
    files.set('/org/vmc.pem', { type: 'application/pem-certificate-chain', body: await authority.issue({ names: ['brand2._bimi.bimi.test'] }) });
    rootFile = join(dir, 'mark-root.pem');
    writeFileSync(rootFile, authority.rootPem);
    caFile = join(dir, 'web-ca.pem');
    writeFileSync(caFile, ca.caCertPem);
    [nsd, web] = await Promise.all([startNsd({ zones: { 'bimi.test': zoneText() } }), startWebServer(ca, files)]);
  });

  after(async () => {
    await web?.close();
    await nsd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The web server's CA is given with --ca; so are the Mark Certificates' anchors, where a test wants them. */
  const mxlint = (args: string[], options: { webCa?: 'flag' | 'environment' } = {}): Promise<CliResult> => runCli([
    '--server', nsd.server, '--checks', 'bimi', '--connect-to', `${WEB_ADDRESS}=127.0.0.1:${web.port}`,
    ...(options.webCa === 'environment' ? [] : ['--ca', caFile]), ...args,
  ], { timeoutMs: 60_000, ...(options.webCa === 'environment' ? { env: { NODE_EXTRA_CA_CERTS: caFile } } : {}) });

  describe('every case, with the Mark Verifying Authority\'s root given as a trust anchor', () => {
    const expected: Record<string, string[]> = {
      good: [],
      svgz: [],
      selfasserted: ['bimi-no-evidence/noEvidence'],
      script: ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence'],
      external: ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence'],
      profile: ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence'],
      notitle: ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence'],
      big: ['bimi-indicator-size/tooLarge', 'bimi-no-evidence/noEvidence'],
      bomb: ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence'],
      mismatch: ['bimi-evidence-logo-mismatch/differs'],
      expired: ['bimi-evidence-expired/expired'],
      wrongname: ['bimi-evidence-name-mismatch/mismatch'],
      untrusted: ['bimi-evidence-untrusted/untrusted'],
      weak: ['bimi-dmarc-not-enforced/notEnforced'],
      testing: ['bimi-dmarc-not-enforced/notEnforced'],
      redirect: ['bimi-fetch-failed/failed', 'bimi-no-evidence/noEvidence'],
      notfound: ['bimi-fetch-failed/failed', 'bimi-no-evidence/noEvidence'],
      private: ['bimi-fetch-unreachable/notPublic', 'bimi-no-evidence/noEvidence'],
      noaddress: ['bimi-fetch-failed/noAddress', 'bimi-no-evidence/noEvidence'],
      declined: ['bimi-declined/declined'],
      port: ['bimi-no-evidence/noEvidence'],
      hostile: ['bimi-indicator-invalid/invalid', 'bimi-no-evidence/noEvidence'],
      syntax: ['bimi-record-syntax/failed'],
      missing: ['bimi-missing/missing'],
    };
    let run: CliResult;
    let found: Map<string, DomainResult>;
    before(async () => {
      run = await mxlint(['--ca', rootFile, '--format', 'json', ...Object.keys(expected).map((name) => `${name}.bimi.test`)]);
      found = new Map(jsonResults(run).map((r) => [r.input, r]));
    });

    for (const [name, rules] of Object.entries(expected)) {
      it(`${name}: ${rules.join(', ') || 'no BIMI findings'}`, () => {
        assert.deepEqual(bimiKeys(found.get(`${name}.bimi.test`)), rules);
      });
    }

    it('good: the logo is SVG Tiny PS, the Mark Certificate verified to the root given, its logo that of l=', () => {
      const good = found.get('good.bimi.test')!;
      assert.equal(good.status, 'pass');
      const bimi = good.bimi!;
      assert.deepEqual([bimi.state, bimi.selector, bimi.name, bimi.inherited, bimi.declined, bimi.dmarc], ['found', 'default', 'default._bimi.good.bimi.test', false, false, 'enforced']);
      assert.deepEqual(bimi.logo, {
        url: `https://${WEB_HOST}/good/logo.svg`, fetch: 'fetched', address: WEB_ADDRESS, connectedTo: `127.0.0.1:${web.port}`,
        contentType: 'image/svg+xml', size: Buffer.byteLength(GOOD_LOGO), compressed: false, svgTinyPs: true, title: 'Example Brand',
      });
      assert.equal(bimi.evidence?.chain, 'verified');
      assert.equal(bimi.evidence?.logoMatches, true);
      assert.deepEqual(bimi.evidence?.certificate?.altNames, ['good.bimi.test']);
      assert.equal(found.get('svgz.bimi.test')!.bimi?.logo?.compressed, true);
    });

    it('what each finding names: the script, the external reference, the profile, the entity bomb, the DMARC shortfall', () => {
      assert.match(finding(found.get('script.bimi.test'), 'bimi-indicator-invalid').message, /<script> is a script/);
      assert.match(finding(found.get('external.bimi.test'), 'bimi-indicator-invalid').message, /refers to "https:\/\/tracker\.example\/pixel\.svg#p"/);
      assert.match(finding(found.get('profile.bimi.test'), 'bimi-indicator-invalid').message, /baseProfile="full", not "tiny-ps".*version="1\.1", not "1\.2"/);
      assert.match(finding(found.get('bomb.bimi.test'), 'bimi-indicator-invalid').message, /entity references expand past 100000 characters/);
      assert.match(finding(found.get('weak.bimi.test'), 'bimi-dmarc-not-enforced').message, /_dmarc\.weak\.bimi\.test quarantines only pct=50% of failing mail/);
      assert.match(finding(found.get('testing.bimi.test'), 'bimi-dmarc-not-enforced').message, /t=y/);
      assert.match(finding(found.get('redirect.bimi.test'), 'bimi-fetch-failed').message, /answered 301 with a redirect/);
      assert.match(finding(found.get('private.bimi.test'), 'bimi-fetch-unreachable').message, /10\.20\.30\.40 \(private/);
      assert.match(finding(found.get('untrusted.bimi.test'), 'bimi-evidence-untrusted').message, /no certificate of the document nor any trust anchor issued CN=mxlint test Mark CA \(issuer CN=mxlint test Mark Root\)/);
    });

    it('the private host and the host without an address were never contacted; redirects are not followed', () => {
      assert.ok(!web.requests.some((r) => r.includes('intranet') || r.includes('nothing')));
      assert.equal(web.requests.filter((r) => r.endsWith('/redirect/logo.svg')).length, 1);
      assert.ok(web.requests.every((r) => r.startsWith(`${WEB_HOST}/`) || r === `${WEB_HOST}:8443/good/logo.svg`), 'the Host header is the URL\'s host (and port), wherever the connection went');
      assert.ok(web.requests.includes(`${WEB_HOST}:8443/good/logo.svg`), 'a URL with a port names it in the Host header');
    });
  });

  it('without --ca, the Mark Certificate\'s chain is not verified: unknown, never valid', async () => {
    // The web server's certificate is trusted as a system CA would be; no trust anchor is given.
    const run = await mxlint(['--format', 'json', 'good.bimi.test'], { webCa: 'environment' });
    const [result] = jsonResults(run);
    assert.deepEqual(bimiKeys(result), ['bimi-evidence-not-verified/notVerified']);
    assert.equal(result!.status, 'unknown');
    assert.equal(run.code, 3);
    assert.equal(result!.bimi?.evidence?.chain, 'not-verified');
  });

  it('--bimi-selector: a selector only the organizational domain has is inherited, its Mark Certificate naming SELECTOR._bimi', async () => {
    const run = await mxlint(['--ca', rootFile, '--bimi-selector', 'brand2', '--format', 'json', 'sub.bimi.test', 'good.bimi.test']);
    const [sub, good] = jsonResults(run);
    assert.deepEqual(bimiKeys(sub), []);
    assert.deepEqual([sub!.bimi?.name, sub!.bimi?.inherited, sub!.bimi?.selector], ['brand2._bimi.bimi.test', true, 'brand2']);
    assert.equal(good!.bimi?.name, 'brand2._bimi.bimi.test');
  });

  it('the text report: the record, the logo and the Mark Certificate, one line each', async () => {
    const run = await mxlint(['--ca', rootFile, 'good.bimi.test']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /BIMI logo and Mark Certificate named; DMARC enforces +\(default\._bimi\.good\.bimi\.test\)/);
    assert.match(run.stdout, /BIMI logo SVG Tiny PS "Example Brand", \d+ octets +\(https:\/\/brand\.bimi\.test\/good\/logo\.svg from 185\.199\.110\.80, connected to 127\.0\.0\.1:\d+\)/);
    assert.match(run.stdout, /BIMI VMC CN=good\.bimi\.test, valid until \d{4}-\d\d-\d\d, chain verified, logo matches l=/);
  });

  it('a hostile logo\'s title and references never reach the terminal raw, in any format', async () => {
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Bidi_Control}\u2028\u2029]/u;
    for (const format of FORMAT_NAMES) {
      const run = await mxlint(['--ca', rootFile, '--format', format, 'hostile.bimi.test']);
      for (const [stream, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
        const found = unsafe.exec(text);
        assert.equal(found, null, `${format}: ${stream} holds U+${found?.[0]?.codePointAt(0)?.toString(16).padStart(4, '0')}`);
      }
      if (format === 'json') assert.equal(jsonResults(run)[0]!.bimi?.logo?.title, '\u202egnp.exe \u0085\u009b31m Brand', 'JSON keeps the exact text');
    }
  });

  it('a logo that trickles is cut at --https-timeout: unknown, never a pass', async () => {
    const run = await mxlint(['--https-timeout', '1500', '--format', 'json', 'slow.bimi.test']);
    const [result] = jsonResults(run);
    assert.deepEqual(bimiKeys(result), ['bimi-fetch-unreachable/unreachable', 'bimi-no-evidence/noEvidence']);
    assert.match(finding(result, 'bimi-fetch-unreachable').message, /no complete answer from brand\.bimi\.test \(127\.0\.0\.1:\d+\) within 1500 ms/);
    assert.equal(result!.status, 'unknown');
  });

  it('a bad selector is a usage error naming the flag', async () => {
    const run = await mxlint(['--bimi-selector', 'bad_selector!', 'good.bimi.test']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /--bimi-selector must be a selector/);
  });

  it('a BIMI lookup that fails is unknown, never missing (SERVFAIL from an in-process server)', async () => {
    const records = readZoneText(zoneText(), { file: 'bimi.test.zone' }).records;
    const server = await startLocalDnsServer({
      records, behave: (q) => (q.name === 'default._bimi.good.bimi.test' ? { kind: 'rcode', rcode: 'SERVFAIL' } : { kind: 'answer' }),
    });
    try {
      const [result] = jsonResults(await runCli(['--server', server.address, '--retries', '0', '--checks', 'bimi', '--format', 'json', 'good.bimi.test']));
      assert.deepEqual(bimiKeys(result), ['bimi-lookup-failed/failed']);
      assert.equal(result!.bimi?.state, 'failed');
      assert.ok(!server.queries.some((q) => q.name === 'default._bimi.bimi.test'), 'no fallback to the organizational domain after a failure');
    } finally {
      await server.close();
    }
  });
});
