/**
 * Usage errors people hit, through runCli: each says what was given and what would work, in one
 * line on stderr, exit code 3, and nothing is looked up (an in-process DNS server counts the
 * queries that would have been sent).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { closest } from '../../src/cli/suggest.js';
import { startLocalDnsServer, type LocalDnsServer } from '../../src/dns/local-server/server.js';
import { FORMAT_NAMES } from '../../src/report/formats.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, env: {},
  });
  return { code, stdout, stderr };
}

describe('usage errors say what was given and what would work', () => {
  let server: LocalDnsServer;
  let dir: string;
  before(async () => {
    server = await startLocalDnsServer({ records: [] });
    dir = mkdtempSync(join(tmpdir(), 'mxlint-usage-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const refused = async (args: string[], message: RegExp): Promise<void> => {
    const asked = server.queries.length;
    const run = await cli([...args, '--server', server.address]);
    assert.equal(run.code, 3, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, message);
    assert.equal(run.stderr.split('\n').length, 2, `one line: ${JSON.stringify(run.stderr)}`);
    assert.equal(server.queries.length, asked, 'nothing was looked up');
  };

  it('a number flag given text names the text, not NaN', async () => {
    await refused(['--timeout', 'abc', 'example.com'], /^mxlint: --timeout must be a whole number from 1 to 600000, not "abc" /);
    await refused(['--retries', '2x', 'example.com'], /^mxlint: --retries must be a whole number from 0 to 10, not "2x" /);
    await refused(['--concurrency=', '-f', '-'], /^mxlint: --concurrency must be a whole number from 1 to 4096, not "" /);
    await refused(['serve', '--max-probes', 'many'], /^mxlint: --max-probes must be a whole number from 1 to 10000, not "many" /);
    await refused(['--timeout', '100', '--timeout', '200', 'example.com'], /^mxlint: --timeout is given 2 times; give it once /);
  });

  it('numbers are still read as numbers', async () => {
    const run = await cli(['--server', server.address, '--timeout', '1e3', '--retries', '0', '--format', 'json', 'nothing.example']);
    assert.equal(run.stderr, '');
    assert.equal(JSON.parse(run.stdout)[0].input, 'nothing.example');
  });

  it('an unknown format names the value and the choices, in mxlint, spf and postfix', async () => {
    await refused(['--format', 'xml', 'example.com'], new RegExp(`^mxlint: --format "xml" is not one of ${FORMAT_NAMES.join(', ')} \\(see mxlint --help\\)$`, 'm'));
    await refused(['spf', 'example.com', '--ip', '192.0.2.1', '-o', 'xml'], /^mxlint: --format "xml" is not one of text, json \(see mxlint spf --help\)$/m);
    await refused(['postfix', '--format', 'yaml'], /^mxlint: --format "yaml" is not one of text, json, /);
  });

  it('an unknown flag names the one meant', async () => {
    await refused(['--check', 'spf', 'example.com'], /^mxlint: unknown option --check \(did you mean --checks\?\) /);
    await refused(['--chekcs', 'spf', '--concurency', '3', 'example.com'], /^mxlint: unknown options --chekcs \(did you mean --checks\?\), --concurency \(did you mean --concurrency\?\) /);
    await refused(['spf', 'example.com', '--ip', '192.0.2.1', '--sendr', 'a@example.com'], /^mxlint: unknown option --sendr \(did you mean --sender\?\) \(see mxlint spf --help\)/);
    await refused(['--frobnicate', 'example.com'], /^mxlint: unknown option --frobnicate \(see mxlint --help\)/);
  });

  it('a one-label argument close to a command is a mistyped command, and nothing is asked', async () => {
    await refused(['servee'], /^mxlint: "servee" is not a domain but a mistyped command: did you mean mxlint serve\? To check "servee" as a domain, write "servee\."/);
    await refused(['example.com', 'postfx'], /did you mean mxlint postfix\?/);
    await refused(['Spf'], /did you mean mxlint spf\?/);
  });

  it('a one-label name far from any command, or written with a final dot, is checked', async () => {
    for (const name of ['servee.', 'intranet']) {
      const run = await cli(['--server', server.address, '--retries', '0', '--format', 'json', name]);
      assert.equal(run.stderr, '', name);
      assert.ok(server.queries.some((q) => q.name === name.replace(/\.$/, '')), `${name} was looked up`);
    }
  });

  it('an e-mail address is refused with the exact command that checks its domain', async () => {
    await refused(['user@example.com'], /^mxlint: "user@example\.com" is an e-mail address; mxlint checks the domain that receives its mail: mxlint example\.com --server 127\.0\.0\.1:\d+ /);
    await refused(['--checks', 'mx,spf', '-f', 'my list.txt', 'b@example.org'], /: mxlint --checks mx,spf -f 'my list\.txt' example\.org --server 127\.0\.0\.1:\d+ /);
  });

  it('files that cannot be read say why in words: a directory, a missing file', async () => {
    await refused(['--zone', dir], new RegExp(`^mxlint: cannot read zone file ${dir}: it is a directory, not a regular file `));
    await refused(['--zone', join(dir, 'none.zone')], /: no such file /);
    const run = await cli(['postfix', join(dir, 'main.cf'), '--server', server.address]);
    assert.equal(run.stderr, `mxlint: cannot read ${join(dir, 'main.cf')}: no such file\n`);
    assert.equal(run.code, 3);
  });

  it('--help lists every command', async () => {
    const run = await cli(['--help']);
    const commands = run.stdout.slice(run.stdout.indexOf('Commands:'), run.stdout.indexOf('Positionals:'));
    for (const command of ['serve', 'spf', 'postfix']) assert.match(commands, new RegExp(`^ {2}mxlint ${command} `, 'm'));
  });

  it('yargs speaks English whatever the locale', async () => {
    const saved = process.env.LC_ALL;
    process.env.LC_ALL = 'de_DE.UTF-8';
    try {
      await refused(['-o'], /^mxlint: Not enough arguments following: o /);
    } finally {
      if (saved === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = saved;
    }
  });

  it('suggestions: one edit for short words, a unique start, nothing for what is far', () => {
    assert.equal(closest('servee', ['serve', 'spf', 'postfix']), 'serve');
    assert.equal(closest('sfp', ['serve', 'spf', 'postfix']), 'spf');
    assert.equal(closest('post', ['serve', 'spf', 'postfix']), 'postfix');
    assert.equal(closest('spam', ['serve', 'spf', 'postfix']), null);
    assert.equal(closest('localhost', ['serve', 'spf', 'postfix']), null);
  });
});
