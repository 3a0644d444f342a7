/**
 * `mxlint serve` end to end: the built CLI as a child process, a real HTTP client (node:http), the
 * in-process DNS server behind it (some names answered late on purpose). Good and failing probes,
 * targets refused before anything is looked up, the allow list, the checks parameter, a burst over
 * capacity (429), per-probe timeouts, /healthz under load, /metrics, and SIGTERM: probes in flight
 * answer, new requests do not get in, the process exits 0.
 */
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ANSWER } from '../../src/dns/local-server/behaviour.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { CLI_PATH } from '../support/e2e.js';
import { freePort } from '../support/ports.js';
import { WATCHED_ZONE } from '../support/watched-zone.js';
import { zoneRecords } from '../support/zone-source.js';
import { SLOW_DOMAIN, slowWorldBehaviour, slowWorldRecords } from '../support/slow-world.js';
import { DEFAULT_MAX_CONNECTIONS, NEW_CONNECTION_GRACE_MS, SHUTDOWN_MARGIN_MS } from '../../src/serve/limits.js';
import { pagePolicy } from '../../src/report/html/page.js';
import type { DomainResult } from '../../src/engine/result.js';
import { schemaValidator } from '../support/result-schema.js';

/**
 * slow.watch.test is answered only when the test releases it: a probe of it stays in flight for as
 * long as the test needs, on an idle or a loaded machine alike. Each test that probes it holds its
 * answers afresh (`holdSlowAnswers`); between such tests they go out at once.
 */
let slowAnswers: Promise<void> = Promise.resolve();

function holdSlowAnswers(t: TestContext): () => void {
  let release!: () => void;
  slowAnswers = new Promise<void>((resolve) => { release = resolve; });
  t.after(() => release());
  return release;
}

/** Resolves when `check` holds, or after `ms` whether it does or not (the assertions after it then say what went wrong). */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!check() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Each reply of the slow-but-valid world this late, well within the per-try timeout. */
const SLOW_WORLD_DELAY_MS = 400;

const RECORDS = zoneRecords(WATCHED_ZONE);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const probe = (port: number, target: string, extra = ''): Promise<Reply> => get(port, `/probe?target=${encodeURIComponent(target)}${extra}`);

interface Exporter {
  port: number;
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `launcher`: a command the exporter runs under, e.g. prlimit with its own file descriptor limit. */
async function startServe(dns: LocalDnsServer, args: string[], launcher: string[] = []): Promise<Exporter> {
  const port = await freePort();
  // A DNS timeout far above how long a test holds slow.watch.test's answer.
  const command = [...launcher, process.execPath, CLI_PATH, 'serve', '--listen', `127.0.0.1:${port}`, '--server', dns.address, '--checks', 'mx',
    '--timeout', '30000', '--retries', '0', ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const deadline = Date.now() + 10_000;
  while (!stderr.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`mxlint serve did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { port, child, stderr: () => stderr, exited };
}

function sample(body: string, metric: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${metric} `));
  return line === undefined ? undefined : Number(line.slice(metric.length + 1));
}

let dns: LocalDnsServer;
before(async () => {
  dns = await startLocalDnsServer({
    records: RECORDS,
    behave: (query) => (query.name === 'slow.watch.test' ? slowAnswers.then(() => ANSWER) : ANSWER),
  });
});
after(() => dns?.close());

describe('mxlint serve', () => {
  let exporter: Exporter;
  before(async () => { exporter = await startServe(dns, ['--allow', 'watch.test', '--max-probes', '2', '--probe-timeout', '5000']); });
  after(async () => {
    exporter.child.kill('SIGKILL');
    await exporter.exited;
  });

  it('a good probe: 200 in the exposition format, success, status, findings, MX records and addresses, durations by phase', async () => {
    const reply = await probe(exporter.port, 'Good.Watch.Test.');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(sample(reply.body, 'mxlint_probe_success'), 1);
    assert.equal(sample(reply.body, 'mxlint_probe_timed_out'), 0);
    assert.equal(sample(reply.body, 'mxlint_status{status="pass"}'), 1);
    assert.equal(sample(reply.body, 'mxlint_findings{rule="mx-single",severity="info"}'), 1);
    assert.equal(sample(reply.body, 'mxlint_mx_records'), 1);
    assert.equal(sample(reply.body, 'mxlint_mx_target_addresses{target="mail.good.watch.test",family="ipv4"}'), 1);
    for (const phase of ['mx', 'exchanges', 'checks']) assert.ok(sample(reply.body, `mxlint_probe_duration_seconds{phase="${phase}"}`)! >= 0, phase);
    assert.equal(sample(reply.body, 'mxlint_probe_dns_queries{transport="udp"}'), 3);
  });

  it('every scrape asks afresh: no answers kept between probes', async () => {
    const before = dns.queries.filter((q) => q.name === 'good.watch.test').length;
    await probe(exporter.port, 'good.watch.test');
    await probe(exporter.port, 'good.watch.test');
    assert.equal(dns.queries.filter((q) => q.name === 'good.watch.test').length - before, 2);
  });

  it('a failing domain: 200 with success 0 and the error finding; checks=mx is accepted', async () => {
    const reply = await probe(exporter.port, 'broken.watch.test', '&checks=mx');
    assert.equal(reply.status, 200);
    assert.equal(sample(reply.body, 'mxlint_probe_success'), 0);
    assert.equal(sample(reply.body, 'mxlint_status{status="fail"}'), 1);
    assert.equal(sample(reply.body, 'mxlint_findings{rule="mx-target-cname",severity="error"}'), 1);
  });

  const refused: [string, string, number, RegExp][] = [
    ['a URL', '/probe?target=https%3A%2F%2Fgood.watch.test%2F', 400, /is not a domain name: this is a URL/],
    ['a port', '/probe?target=good.watch.test%3A25', 400, /cannot carry a port/],
    ['an IPv4 address', '/probe?target=192.0.2.1', 400, /this is an IP address/],
    ['an IPv6 address', '/probe?target=%5B2001%3Adb8%3A%3A1%5D', 400, /this is an IP address/],
    ['a path', '/probe?target=good.watch.test%2Fx', 400, /cannot contain "\/"/],
    ['an e-mail address', '/probe?target=me%40good.watch.test', 400, /e-mail address/],
    ['no target', '/probe', 400, /missing target/],
    ['two targets', '/probe?target=good.watch.test&target=broken.watch.test', 400, /one target per probe/],
    ['a very long target', `/probe?target=${'a'.repeat(5000)}`, 400, /5000 characters long/],
    ['a domain outside --allow', '/probe?target=example.com', 403, /not under an allowed suffix \(watch\.test\)/],
    ['a suffix look-alike', '/probe?target=evilwatch.test', 403, /not under an allowed suffix/],
    ['an unknown check family', '/probe?target=good.watch.test&checks=bogus', 400, /checks bogus not run by this exporter/],
    ['control characters in what is echoed', '/probe?target=good.watch.test&checks=a%1b%5d0%3bx%07%0ab', 400, /^checks a\\027\]0;x\\007\\010b not run by this exporter/],
    ['a target with control characters', '/probe?target=x%1b%5b2J%c2%9b.test', 400, /^target "x\\027\[2J\\194\\155\.test" is not a domain name/],
    ['an unknown path', '/nothing', 404, /no such page/],
    ['the web page, off without --web', '/report?target=good.watch.test', 404, /no such page: \/report/],
  ];
  for (const [what, path, status, reason] of refused) {
    it(`${what}: ${status} with a one-line reason, nothing looked up`, async () => {
      const before = dns.queries.length;
      const reply = await get(exporter.port, path);
      assert.equal(reply.status, status);
      assert.match(reply.body, reason);
      assert.match(reply.body, /^[^\n]+\n$/, 'one line');
      assert.equal(dns.queries.length, before);
    });
  }

  it('other methods: 405', async () => {
    const reply = await get(exporter.port, '/probe?target=good.watch.test', { method: 'POST' });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.allow, 'GET, HEAD');
  });

  it('a burst over --max-probes: the first two run, the rest get 429 at once; /healthz answers all the while', async (t) => {
    // The order of events instead of milliseconds: while the slow answers are held, the 429s and
    // /healthz must come back; the two probes that run, only after the answers are released.
    const release = holdSlowAnswers(t);
    let released = false;
    const burst = Array.from({ length: 6 }, () => probe(exporter.port, 'slow.watch.test').then((reply) => ({ reply, beforeRelease: !released })));
    let answered = 0;
    for (const reply of burst) void reply.then(() => answered++);
    await until(() => answered >= 4);
    let healthBeforeRelease = false;
    const health = get(exporter.port, '/healthz').then((reply) => { healthBeforeRelease = !released; return reply; });
    await until(() => healthBeforeRelease);
    released = true;
    release();
    const replies = await Promise.all(burst);
    assert.equal((await health).status, 200);
    assert.equal((await health).body, 'ok\n');
    assert.ok(healthBeforeRelease, '/healthz answered while the probes were in flight');
    const ok = replies.filter(({ reply }) => reply.status === 200);
    const tooMany = replies.filter(({ reply }) => reply.status === 429);
    assert.equal(ok.length, 2);
    assert.equal(tooMany.length, 4);
    for (const { reply, beforeRelease } of tooMany) {
      assert.equal(reply.headers['retry-after'], '1');
      assert.match(reply.body, /^too many probes in flight \(at most 2\)/);
      assert.ok(beforeRelease, '429 while the slow answers were held: refused at once, not queued');
    }
    for (const { reply, beforeRelease } of ok) {
      assert.equal(sample(reply.body, 'mxlint_probe_success'), 1);
      assert.ok(!beforeRelease, 'the two that ran waited for the slow answer');
    }
  });

  it('/metrics: the exporter\'s own counters', async () => {
    const reply = await get(exporter.port, '/metrics');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.ok(sample(reply.body, 'mxlint_exporter_requests_total{path="/probe",code="429"}')! >= 4);
    assert.ok(sample(reply.body, 'mxlint_exporter_requests_total{path="/probe",code="400"}')! >= 9);
    assert.ok(sample(reply.body, 'mxlint_exporter_probes_total{result="pass"}')! >= 3);
    assert.equal(sample(reply.body, 'mxlint_exporter_probes_in_flight'), 0);
    assert.equal(sample(reply.body, 'mxlint_exporter_probes_max'), 2);
    assert.ok(sample(reply.body, 'mxlint_exporter_dns_queries_total{transport="udp"}')! > 0);
    assert.ok(sample(reply.body, 'process_resident_memory_bytes')! > 0);
    assert.match(reply.body, /^mxlint_exporter_build_info\{version="\d+\.\d+\.\d+"\} 1$/m);
  });
});

describe('mxlint serve --web', () => {
  let exporter: Exporter;
  before(async () => { exporter = await startServe(dns, ['--web', '--allow', 'watch.test', '--max-probes', '2', '--probe-timeout', '5000']); });
  after(async () => {
    exporter.child.kill('SIGKILL');
    await exporter.exited;
  });
  const report = (query: string): Promise<Reply> => get(exporter.port, `/report?${query}`);
  const WEB_POLICY = `${pagePolicy()}; form-action 'self'; frame-ancestors 'none'`;

  it('/: the form, under the page policy', async () => {
    const reply = await get(exporter.port, '/');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(reply.headers['content-security-policy'], WEB_POLICY);
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.match(reply.body, /<form class="check" method="get" action="report">/);
    assert.match(reply.body, /name="checks" value="mx" checked/);
  });

  it('/report: the HTML report of the domain; with format=json its result, as the schema says', async () => {
    const page = await report('target=Good.Watch.Test.');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-security-policy'], WEB_POLICY);
    assert.match(page.body, /<h2 id="d-0-name">good\.watch\.test<\/h2>/, 'the target as checked');
    assert.match(page.body, /<span class="badge mark-pass"><span class="mark" aria-hidden="true">✓<\/span> PASS<\/span>/);
    assert.match(page.body, /data-kind="exchange" transform="[^"]+"><title>mail\.good\.watch\.test \(pass\)<\/title>/);
    const json = await report('target=broken.watch.test&format=json&checks=mx');
    assert.equal(json.status, 200);
    assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
    const result = JSON.parse(json.body) as DomainResult;
    const valid = schemaValidator();
    assert.ok(valid(result), JSON.stringify(valid.errors));
    assert.equal(result.status, 'fail');
    assert.ok(result.findings.some((f) => f.rule === 'mx-target-cname'));
  });

  it('/report refuses as /probe does, nothing looked up: a page with the reason, or JSON', async () => {
    const before = dns.queries.length;
    const cases: [string, number, RegExp][] = [
      ['target=https%3A%2F%2Fgood.watch.test%2F', 400, /is not a domain name: this is a URL/],
      ['target=%3Cscript%3Ealert(1)%3C%2Fscript%3E.watch.test', 400, /target &quot;&lt;script&gt;alert\(1\)&lt;\/script&gt;\.watch\.test&quot; is not a domain name/],
      ['', 400, /missing target/],
      ['target=example.com', 403, /not under an allowed suffix/],
      ['target=good.watch.test&checks=spf', 400, /checks spf not run by this exporter/],
      ['target=good.watch.test&format=xml', 400, /format must be html or json/],
    ];
    for (const [query, status, reason] of cases) {
      const reply = await report(query);
      assert.equal(reply.status, status, query);
      assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8', query);
      assert.match(reply.body, reason, query);
      assert.doesNotMatch(reply.body, /<script>alert/, query);
    }
    const json = await report('target=192.0.2.1&format=json');
    assert.equal(json.status, 400);
    assert.match((JSON.parse(json.body) as { error: string }).error, /this is an IP address/);
    assert.equal(dns.queries.length, before);
  });

  it('/report over --max-probes: 429 at once, counted with the probes', async (t) => {
    const release = holdSlowAnswers(t);
    const running = [probe(exporter.port, 'slow.watch.test'), report('target=slow.watch.test')];
    await until(() => dns.queries.filter((q) => q.name === 'slow.watch.test').length >= 2);
    const [html, json] = [await report('target=slow.watch.test'), await report('target=slow.watch.test&format=json')];
    assert.equal(html.status, 429);
    assert.equal(html.headers['retry-after'], '1');
    assert.match(html.body, /too many probes in flight \(at most 2\)/);
    assert.equal(json.status, 429);
    release();
    const [probed, reported] = await Promise.all(running);
    assert.equal(probed!.status, 200);
    assert.equal(reported!.status, 200);
    const metrics = await get(exporter.port, '/metrics');
    assert.equal(sample(metrics.body, 'mxlint_exporter_requests_total{path="/report",code="429"}'), 2);
  });
});

describe('mxlint serve: timeouts and shutdown', () => {
  it('a probe past its timeout answers at the timeout: success 0, timed out 1, status unknown', async (t) => {
    const exporter = await startServe(dns, ['--probe-timeout', '300']);
    t.after(async () => { exporter.child.kill('SIGKILL'); await exporter.exited; });
    // The DNS answer is held until the test ends: the probe can only answer at its own timeout.
    holdSlowAnswers(t);
    const started = performance.now();
    const reply = await probe(exporter.port, 'slow.watch.test');
    const ms = performance.now() - started;
    assert.equal(reply.status, 200);
    assert.equal(sample(reply.body, 'mxlint_probe_success'), 0);
    assert.equal(sample(reply.body, 'mxlint_probe_timed_out'), 1);
    assert.equal(sample(reply.body, 'mxlint_status{status="unknown"}'), 1);
    assert.ok(ms >= 290, `answered after ${Math.round(ms)} ms, before its 300 ms timeout`);
    // Prometheus's own scrape timeout, less the offset, is shorter still.
    const scrape = await get(exporter.port, '/probe?target=slow.watch.test', { headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '0.7' } });
    assert.equal(sample(scrape.body, 'mxlint_probe_timed_out'), 1);
  });

  it('SIGTERM: the probe in flight gets its full answer, new requests are refused, exit 0', async (t) => {
    const exporter = await startServe(dns, []);
    const release = holdSlowAnswers(t);
    const asked = (): number => dns.queries.filter((q) => q.name === 'slow.watch.test').length;
    const askedBefore = asked();
    const inFlight = probe(exporter.port, 'slow.watch.test');
    // In flight for certain: its MX question has reached the DNS server, whose answer is held.
    await until(() => asked() > askedBefore);
    exporter.child.kill('SIGTERM');
    await until(() => exporter.stderr().includes('SIGTERM: finishing the probes in flight'));
    // Still listening while it drains: a load balancer's health check hears 503, not a refused connection.
    const late = await get(exporter.port, '/healthz').then((reply) => reply.status, (error: NodeJS.ErrnoException) => error.code);
    assert.equal(late, 503, `a request after SIGTERM: ${late}`);
    release();
    const reply = await inFlight;
    assert.equal(reply.status, 200);
    assert.equal(sample(reply.body, 'mxlint_probe_success'), 1);
    assert.equal(sample(reply.body, 'mxlint_probe_timed_out'), 0);
    assert.equal(await exporter.exited, 0);
    assert.match(exporter.stderr(), /SIGTERM: finishing the probes in flight, taking no new ones\nmxlint serve: stopped\n$/);
  });

  describe('against a slow but valid domain (every reply late, long alias chains)', () => {
    let slow: LocalDnsServer;
    before(async () => {
      slow = await startLocalDnsServer({ records: slowWorldRecords(), behave: slowWorldBehaviour(SLOW_WORLD_DELAY_MS) });
    });
    after(() => slow.close());

    it('a probe past its timeout cancels its check: the DNS server hears nothing from it after the answer', async (t) => {
      const exporter = await startServe(slow, ['--probe-timeout', '1000']);
      t.after(async () => { exporter.child.kill('SIGKILL'); await exporter.exited; });
      const reply = await probe(exporter.port, SLOW_DOMAIN);
      assert.equal(sample(reply.body, 'mxlint_probe_timed_out'), 1);
      // Let a query sent just before the cancellation arrive, however busy the machine; then watch.
      await new Promise((resolve) => setTimeout(resolve, 4 * SLOW_WORLD_DELAY_MS));
      const asked = slow.queries.length;
      // Unbounded, the check would go on asking for another 6 s: a question every 400 ms.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.equal(slow.queries.length, asked, 'no question after the probe timed out');
    });

    it('SIGTERM with such a probe in flight: /healthz 503 meanwhile, exit 0 within the probe timeout and the shutdown margin', async () => {
      const probeTimeoutMs = 1500;
      const exporter = await startServe(slow, ['--probe-timeout', String(probeTimeoutMs)]);
      const inFlight = probe(exporter.port, SLOW_DOMAIN);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const signalled = performance.now();
      exporter.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal((await get(exporter.port, '/healthz')).status, 503);
      assert.equal((await inFlight).status, 200);
      assert.equal(await exporter.exited, 0);
      const took = performance.now() - signalled;
      // Promised: the probe timeout and the shutdown margin. Held against the slow alternative, so a busy
      // machine cannot fail it: before, the check ran to its end (18 replies of 400 ms in a row and more).
      assert.ok(took < 18 * SLOW_WORLD_DELAY_MS, `exited ${Math.round(took)} ms after SIGTERM, as late as an uncancelled check (${probeTimeoutMs} + ${SHUTDOWN_MARGIN_MS} ms promised)`);
    });
  });

  it(`under ulimit -n 1024, with 1,000 idle connections open: probes and /healthz answer, the process lives (at most ${DEFAULT_MAX_CONNECTIONS} kept)`,
    { timeout: 120_000 }, async (t) => {
      // Before: the idle connections took every descriptor; new ones were refused, and the probes'
      // UDP sockets failed (EMFILE), which crashed the process.
      const exporter = await startServe(dns, [], ['prlimit', '--nofile=1024:1024', '--']);
      const idle: Socket[] = [];
      t.after(async () => {
        for (const socket of idle) socket.destroy();
        exporter.child.kill('SIGKILL');
        await exporter.exited;
      });
      await Promise.all(Array.from({ length: 1000 }, () => new Promise<void>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: exporter.port });
        idle.push(socket);
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.on('connect', () => resolve());
      })));
      for (let round = 0; round < 5; round++) {
        const replies = await Promise.all(Array.from({ length: 8 }, () => probe(exporter.port, 'good.watch.test')));
        for (const reply of replies) {
          assert.equal(reply.status, 200);
          assert.equal(sample(reply.body, 'mxlint_probe_success'), 1, reply.body);
        }
        assert.equal((await get(exporter.port, '/healthz')).status, 200);
      }
      // Those past the cap are let be for the grace time (they might be a burst of clients about to ask).
      const stillOpen = (): number => idle.filter((socket) => !socket.destroyed && socket.readyState === 'open').length;
      const deadline = Date.now() + NEW_CONNECTION_GRACE_MS + 30_000;
      while (stillOpen() > DEFAULT_MAX_CONNECTIONS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(stillOpen() <= DEFAULT_MAX_CONNECTIONS, `${stillOpen()} idle connections still open`);
      assert.equal(exporter.child.exitCode, null, exporter.stderr());
    });

  it('a listen address in use: one line, exit 3', async (t) => {
    const first = await startServe(dns, []);
    t.after(async () => { first.child.kill('SIGKILL'); await first.exited; });
    const second = spawn(process.execPath, [CLI_PATH, 'serve', '--listen', `127.0.0.1:${first.port}`, '--server', dns.address], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    second.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => second.once('close', resolve));
    assert.equal(code, 3);
    assert.match(stderr, /^mxlint: serve: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE.*\n$/);
  });

  it('bad serve options are usage errors', async () => {
    for (const args of [['--listen', 'localhost:9314'], ['--allow', 'https://x'], ['--max-probes', '0'], ['--format', 'json']]) {
      const child = spawn(process.execPath, [CLI_PATH, 'serve', '--server', dns.address, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      assert.equal(code, 3, args.join(' '));
      assert.match(stderr, /^mxlint: .*\(see mxlint --help\)\n$/, args.join(' '));
    }
  });
});
