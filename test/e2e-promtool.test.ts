/**
 * Prometheus's own checker on what mxlint gives Prometheus: `promtool check metrics` on the
 * textfile format and on the exporter's /probe and /metrics (the exposition format, naming and
 * HELP conventions), `promtool check config` and `check rules` on the examples in
 * examples/monitoring/, and every mxlint metric those examples use is one mxlint emits.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { DnsRecord } from '../src/dns/records.js';
import { startDnsServer, type DnsTestServer } from '../src/testing/dns-server.js';
import { readZoneText } from '../src/zone/reader.js';
import { startExporter, type Exporter } from '../src/serve/exporter.js';
import { e2eGate, REPO_ROOT, runCli } from './support/e2e.js';

const gate = e2eGate('promtool');
const EXAMPLES = join(REPO_ROOT, 'examples', 'monitoring');

const RECORDS: DnsRecord[] = readZoneText(`
$ORIGIN prom.test.
$TTL 300
@            SOA  ns1 hostmaster 1 3600 600 86400 300
@            NS   ns1
ns1          A    192.0.2.53
good         MX   10 mail.good
mail.good    A    185.199.108.25
mail.good    AAAA 2a01:4f8:c17:1::25
broken       MX   10 smtp.broken
smtp.broken  CNAME mail.good
`, { file: 'prom.test.zone' }).entries.map((entry) => entry.record);

function promtool(args: string[], stdin?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile('promtool', args, { cwd: EXAMPLES, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(stdin ?? '');
  });
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject).end();
  });
}

describe('promtool', gate, () => {
  let dns: DnsTestServer;
  let exporter: Exporter;
  before(async () => {
    dns = await startDnsServer({ records: RECORDS });
    exporter = await startExporter({
      listen: { host: '127.0.0.1', port: 0, family: 4 }, resolver: { servers: [{ host: dns.host, port: dns.port, family: 4 }] },
      checks: ['mx'], allow: [], probeTimeoutMs: 5000, maxProbes: 4, version: '0.0.0',
    });
  });
  after(async () => {
    await exporter?.shutDown();
    await dns?.close();
  });

  it('check metrics: the textfile format', async () => {
    const run = await runCli(['--server', dns.address, '--format', 'prometheus', 'good.prom.test', 'broken.prom.test', 'not a domain']);
    assert.equal(run.code, 2, 'a failing domain beside an unknown one: fail');
    const check = await promtool(['check', 'metrics'], run.stdout);
    assert.equal(check.code, 0, check.output);
    assert.equal(check.output, '');
  });

  it('check metrics: a probe and the exporter\'s own metrics', async () => {
    for (const path of ['/probe?target=good.prom.test', '/probe?target=broken.prom.test', '/metrics']) {
      const body = await get(exporter.port, path);
      assert.match(body, /^# HELP /);
      const check = await promtool(['check', 'metrics'], body);
      assert.equal(check.code, 0, `${path}: ${check.output}`);
      assert.equal(check.output, '', path);
    }
  });

  it('check config and check rules: the examples', async () => {
    const config = await promtool(['check', 'config', 'prometheus.yml']);
    assert.equal(config.code, 0, config.output);
    const rules = await promtool(['check', 'rules', 'mxlint-alerts.yml']);
    assert.equal(rules.code, 0, rules.output);
  });

  it('every mxlint metric the examples use is emitted', async () => {
    const emitted = new Set<string>();
    for (const path of ['/probe?target=good.prom.test', '/metrics']) {
      for (const [, name] of (await get(exporter.port, path)).matchAll(/^# TYPE (\S+)/gm)) emitted.add(name!);
    }
    const used = new Set([...readFileSync(join(EXAMPLES, 'mxlint-alerts.yml'), 'utf8').matchAll(/\b(mxlint_[a-z_]+)/g)].map((m) => m[1]!));
    assert.ok(used.size >= 3);
    for (const name of used) assert.ok(emitted.has(name), `${name} is used in the alert rules but not emitted`);
  });
});
