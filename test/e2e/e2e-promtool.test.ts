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
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { startExporter, type Exporter } from '../../src/serve/exporter.js';
import { e2eGate, REPO_ROOT, runCli } from '../support/e2e.js';
import { WATCHED_ZONE } from '../support/watched-zone.js';
import { zoneRecords } from '../support/zone-source.js';

const gate = e2eGate('promtool');
const EXAMPLES = join(REPO_ROOT, 'examples', 'monitoring');

const RECORDS = zoneRecords(WATCHED_ZONE);

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
  let dns: LocalDnsServer;
  let exporter: Exporter;
  before(async () => {
    dns = await startLocalDnsServer({ records: RECORDS });
    exporter = await startExporter({
      listen: { host: '127.0.0.1', port: 0, family: 4 }, resolver: { servers: [{ host: dns.host, port: dns.port, family: 4 }] },
      checks: ['mx'], allow: [], probeTimeoutMs: 5000, maxProbes: 4, version: '0.0.0', web: false,
    });
  });
  after(async () => {
    await exporter?.shutDown();
    await dns?.close();
  });

  it('check metrics: the textfile format', async () => {
    const run = await runCli(['--server', dns.address, '--checks', 'mx', '--format', 'prometheus', 'good.watch.test', 'broken.watch.test', 'not a domain']);
    assert.equal(run.code, 2, 'a failing domain beside an unknown one: fail');
    const check = await promtool(['check', 'metrics'], run.stdout);
    assert.equal(check.code, 0, check.output);
    assert.equal(check.output, '');
  });

  it('check metrics: a probe and the exporter\'s own metrics', async () => {
    for (const path of ['/probe?target=good.watch.test', '/probe?target=broken.watch.test', '/metrics']) {
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
    for (const path of ['/probe?target=good.watch.test', '/metrics']) {
      for (const [, name] of (await get(exporter.port, path)).matchAll(/^# TYPE (\S+)/gm)) emitted.add(name!);
    }
    const used = new Set([...readFileSync(join(EXAMPLES, 'mxlint-alerts.yml'), 'utf8').matchAll(/\b(mxlint_[a-z_]+)/g)].map((m) => m[1]!));
    assert.ok(used.size >= 3);
    for (const name of used) assert.ok(emitted.has(name), `${name} is used in the alert rules but not emitted`);
  });
});
