/**
 * `mxlint postfix` without a network: the main.cf reader (continuations, comments, expansion,
 * defaults, loops, postconf -n input, lookup tables) and every postfix-* rule, firing and quiet, on
 * zone data answered in-process (test/support/zone-source.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMainCf } from '../../src/modes/postfix/main-cf.js';
import { MAX_EXPANDED_CHARS, MAX_EXPANSION_STEPS, PostfixParameters } from '../../src/modes/postfix/parameters.js';
import { MAX_ACCEPTED_DOMAINS, MAX_TABLE_BYTES, readServerConfig } from '../../src/modes/postfix/config.js';
import { MAX_FILE_BYTES } from '../../src/core/files.js';
import type { ServerConfig } from '../../src/modes/postfix/config.js';
import { checkPostfixWith } from '../../src/modes/postfix/runner.js';
import type { PostfixCheckOptions } from '../../src/modes/postfix/runner.js';
import type { LookupFailureKind } from '../../src/dns/lookup.js';
import type { DomainResult } from '../../src/engine/result.js';
import type { Finding } from '../../src/core/finding.js';
import { runCli } from '../../src/cli/main.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { zoneApex, zoneRecords, zoneSource } from '../support/zone-source.js';

function parameters(text: string): PostfixParameters {
  return new PostfixParameters(parseMainCf(text, 'main.cf'));
}

function expanded(text: string, name: string): string | null {
  const value = parameters(text).expand(name);
  return value.ok ? value.value : null;
}

describe('main.cf reader', () => {
  it('joins continuation lines, skips comments (indented ones inside a continuation too), keeps # inside a value', () => {
    const config = parseMainCf('# comment\nmydestination = a.example,\n  b.example\n   # an indented comment\n\tc.example\nsmtpd_banner = $myhostname # not a comment\n', 'main.cf');
    assert.equal(config.parameters.get('mydestination')?.value, 'a.example, b.example c.example');
    assert.deepEqual(config.parameters.get('mydestination')?.location, { file: 'main.cf', line: 2, column: 1 });
    assert.equal(config.parameters.get('smtpd_banner')?.value, '$myhostname # not a comment');
    assert.deepEqual(config.problems, []);
  });

  it('the last definition wins; CRLF line ends and spaces around = do not matter', () => {
    const config = parseMainCf('myhostname=a.example\r\nmyhostname   =   b.example  \r\n', 'main.cf');
    assert.equal(config.parameters.get('myhostname')?.value, 'b.example');
    assert.equal(config.parameters.get('myhostname')?.location.line, 2);
  });

  it('reports lines Postfix cannot use, each at its line, and goes on', () => {
    const config = parseMainCf('  leading = continuation with nothing before\nmyhostname mx.example\nbad name = x\nmydomain = example.com\n', 'main.cf');
    assert.deepEqual(config.problems.map((p) => [p.location.line, p.message.slice(0, 40)]), [
      [1, 'a continuation line (it starts with whit'],
      [2, "missing '=' after the parameter name: \"m"],
      [3, '"bad name" is not a parameter name (lett'],
    ]);
    assert.equal(config.parameters.get('mydomain')?.value, 'example.com');
  });

  it('never throws, whatever the bytes', () => {
    for (let seed = 1; seed < 200; seed++) {
      const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (seed * 7919 + i * 104729) % 256));
      const config = parseMainCf(bytes.toString('latin1').replace(/\x00/g, '\n'), 'main.cf');
      assert.doesNotThrow(() => readServerConfig(config));
    }
  });

  it('postconf -n output reads the same: one name = value per line', () => {
    const config = readServerConfig(parseMainCf('compatibility_level = 3.6\nmydestination = $myhostname, localhost\nmyhostname = mx.example.com\n', '(postconf -n)'));
    assert.equal(config.myhostname?.value, 'mx.example.com');
    assert.deepEqual(config.acceptedDomains.map((d) => d.domain), ['mx.example.com']);
  });
});

describe('parameter expansion and defaults', () => {
  it('expands $name, ${name}, $(name), $$ and the conditional forms; an undefined name is empty', () => {
    const text = 'a = one\nb = two\nempty =\nv = $a-${b}-$(a)-$$-${a?yes}-${empty?no}-${empty:fill}-${a:no}-$undefined_param.\n';
    assert.equal(expanded(text, 'v'), 'one-two-one-$-yes--fill--.');
  });

  it('a $name loop is bounded and reported, not followed forever', () => {
    const nesting = 'refers back to itself, and Postfix stops with "unreasonable macro call nesting"';
    assert.deepEqual(parameters('a = $b\nb = x $a\n').expand('a'), { ok: false, problem: `$a → $b → $a ${nesting}` });
    assert.deepEqual(parameters('a = ${a?x}\n').expand('a'), { ok: false, problem: `$a → $a ${nesting}` });
    const config = readServerConfig(parseMainCf('myhostname = $mydomain\nmydomain = $myhostname\n', 'main.cf'));
    assert.equal(config.myhostname, null);
    assert.equal(config.problems.filter((p) => /refers back to itself/.test(p.message)).length >= 1, true);
  });

  it(`bounds the size an expansion reaches (${MAX_EXPANDED_CHARS} characters) and the references it follows (${MAX_EXPANSION_STEPS}), not only the depth`, () => {
    // 16 levels each doubling a 10,000-character leaf: 655 million characters (V8 ran out of memory).
    const doubling = Array.from({ length: 16 }, (_, i) => `p${i + 1} = $p${i + 2}$p${i + 2}`).join('\n');
    const big = readServerConfig(parseMainCf(`compatibility_level = 3.6\nmyhostname = mx.example.com\nmydestination = $p1\n${doubling}\np17 = ${'x'.repeat(10_000)}\n`, 'main.cf'));
    assert.deepEqual(big.problems.map((p) => `${p.location.line} ${p.message}`), [
      `3 mydestination cannot be expanded: it expands to more than ${MAX_EXPANDED_CHARS} characters, the most mxlint expands`,
    ]);
    assert.deepEqual(big.acceptedDomains, []);
    // Ten references at each of 16 levels to an empty leaf: 10^16 steps, each cheap.
    const fanOut = Array.from({ length: 16 }, (_, i) => `p${i + 1} = ${`$p${i + 2}`.repeat(10)}`).join('\n');
    const wide = readServerConfig(parseMainCf(`compatibility_level = 3.6\nmyhostname = mx.example.com\nmydestination = $p1\n${fanOut}\np17 =\n`, 'main.cf'));
    assert.deepEqual(wide.problems.map((p) => `${p.location.line} ${p.message}`), [
      `3 mydestination cannot be expanded: it takes more than ${MAX_EXPANSION_STEPS} $name references to expand, the most mxlint follows`,
    ]);
    // What real configurations do stays well inside both.
    const list = Array.from({ length: 5000 }, (_, i) => `d${i}.example`).join(', ');
    assert.equal(expanded(`list = ${list}\nv = $list $list\n`, 'v'), `${list} ${list}`);
  });

  it('Postfix defaults: mydomain from myhostname, mydestination, myorigin, banner, size, TLS level', () => {
    const text = 'myhostname = mx.mail.example.com\n';
    assert.equal(expanded(text, 'mydomain'), 'mail.example.com');
    assert.equal(expanded(text, 'mydestination'), 'mx.mail.example.com, localhost.mail.example.com, localhost');
    assert.equal(expanded(text, 'myorigin'), 'mx.mail.example.com');
    assert.equal(expanded(text, 'smtpd_banner'), 'mx.mail.example.com ESMTP Postfix');
    assert.equal(expanded(text, 'message_size_limit'), '10240000');
    assert.equal(expanded(text, 'inet_interfaces'), 'all');
    assert.equal(expanded('myhostname = host\n', 'mydomain'), 'localdomain');
  });

  it('relay_domains: $mydestination below compatibility_level 2, empty from 2 on', () => {
    assert.equal(expanded('mydestination = a.example\n', 'relay_domains'), 'a.example');
    assert.equal(expanded('compatibility_level = 3.6\nmydestination = a.example\n', 'relay_domains'), '');
  });

  it('the TLS level: smtpd_tls_security_level, else the obsolete smtpd_use_tls / smtpd_enforce_tls, else none', () => {
    const level = (text: string): string => readServerConfig(parseMainCf(text, 'main.cf')).tlsLevel.value;
    assert.equal(level('smtpd_tls_security_level = encrypt\n'), 'encrypt');
    assert.equal(level('smtpd_use_tls = yes\n'), 'may');
    assert.equal(level('smtpd_enforce_tls = yes\n'), 'encrypt');
    assert.equal(level(''), 'none');
  });
});

describe('accepted domains and lookup tables', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mxlint-postfix-tables-'));
    writeFileSync(join(dir, 'virtual'), '# comment\nshop.example.com   anything\n  continued value\nuser@shop.example.com bob\n@catchall.example.com x\nblog.example.com x\n');
    writeFileSync(join(dir, 'relays'), 'relay-a.example.com relay-b.example.com\n# c\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function config(text: string): ServerConfig {
    return readServerConfig(parseMainCf(text, join(dir, 'main.cf')));
  }

  it('reads the keys of hash/lmdb sources (relative paths beside main.cf), list files, inline tables; skips localhost, !exclusions, .subdomain patterns', () => {
    const read = config([
      'compatibility_level = 3.6',
      'myhostname = mx.example.com',
      'mydomain = example.com',
      'mydestination = $myhostname, localhost.$mydomain, localhost, $mydomain, !no.example.com, .sub.example.com',
      'virtual_alias_domains = hash:virtual, lmdb:/nonexistent/table, pcre:/etc/postfix/domains.pcre',
      `relay_domains = ${join(dir, 'relays')}, inline:{ in1.example.com = x, in2.example.com }`,
      'virtual_mailbox_domains = example.com, bad..name',
    ].join('\n'));
    assert.deepEqual(read.acceptedDomains.map((d) => `${d.domain} ${d.parameter} ${d.location.file.replace(`${dir}/`, '')}:${d.location.line}`), [
      'mx.example.com mydestination main.cf:4',
      'example.com mydestination main.cf:4',
      'shop.example.com virtual_alias_domains virtual:2',
      'blog.example.com virtual_alias_domains virtual:6',
      'relay-a.example.com relay_domains relays:1',
      'relay-b.example.com relay_domains relays:1',
      'in1.example.com relay_domains main.cf:6',
      'in2.example.com relay_domains main.cf:6',
    ]);
    assert.deepEqual(read.uncheckedTables.map((t) => [t.parameter, t.entry]), [
      ['virtual_alias_domains', 'pcre:/etc/postfix/domains.pcre'],
    ]);
    assert.deepEqual(read.missingTables.map((t) => [t.parameter, t.entry]), [
      ['virtual_alias_domains', 'lmdb:/nonexistent/table'],
    ]);
    assert.deepEqual(read.problems.map((p) => p.location.line), [7]);
    assert.ok(read.sources.has(join(dir, 'virtual')));
  });

  it('a table Postfix cannot open (neither database nor source, or no regular file) is missing; a source without its database is read; a database without its source is not checked', () => {
    writeFileSync(join(dir, 'built'), 'built.example.com x\n');
    writeFileSync(join(dir, 'only-db.db'), 'binary');
    const fifo = join(dir, 'domains.fifo');
    execFileSync('mkfifo', [fifo]);
    const read = config([
      'compatibility_level = 3.6',
      'myhostname = mx.example.com',
      'mydestination = hash:/nonexistent/virtual, /dev/zero',
      'virtual_alias_domains = hash:/dev/zero, texthash:/dev/urandom, hash:built',
      `virtual_mailbox_domains = ${fifo}, hash:only-db, lmdb:/nonexistent/table`,
    ].join('\n'));
    assert.deepEqual(read.missingTables.map((t) => `${t.location.line} ${t.entry}: ${t.reason}`), [
      '3 hash:/nonexistent/virtual: there is no /nonexistent/virtual.db, and its text source /nonexistent/virtual cannot be opened: no such file',
      '3 /dev/zero: the list file /dev/zero cannot be opened: it is a character device, not a regular file',
      '4 hash:/dev/zero: there is no /dev/zero.db, and its text source /dev/zero cannot be opened: it is a character device, not a regular file',
      '4 texthash:/dev/urandom: its text source /dev/urandom cannot be opened: it is a character device, not a regular file',
      `5 ${fifo}: the list file ${fifo} cannot be opened: it is a FIFO (named pipe), not a regular file`,
      '5 lmdb:/nonexistent/table: there is no /nonexistent/table.lmdb, and its text source /nonexistent/table cannot be opened: no such file',
    ]);
    assert.deepEqual(read.uncheckedTables.map((t) => t.entry), ['hash:only-db']);
    assert.deepEqual(read.acceptedDomains.map((d) => d.domain), ['built.example.com']);
  });

  it(`reads at most ${MAX_FILE_BYTES / 2 ** 20} MiB of one table and ${MAX_TABLE_BYTES / 2 ** 20} MiB of tables for one configuration`, () => {
    const line = `big.example.com ${'x'.repeat(1000)}\n`;
    writeFileSync(join(dir, 'huge'), line.repeat(Math.ceil(MAX_FILE_BYTES / line.length) + 1));
    writeFileSync(join(dir, 'quarter'), line.repeat(Math.floor(MAX_FILE_BYTES / line.length)));
    const read = config(`compatibility_level = 3.6\nmyhostname = mx.example.com\nmydestination = hash:huge${', hash:quarter'.repeat(5)}\n`);
    const source = (name: string) => `its text source ${join(dir, name)} (the file postmap builds the table from) cannot be read here`;
    assert.deepEqual(read.uncheckedTables.map((t) => `${t.entry}: ${t.reason}`), [
      `hash:huge: ${source('huge')}: it is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB, the most mxlint reads of it`,
      `hash:quarter: ${source('quarter')}: with it the tables read would hold more than ${MAX_TABLE_BYTES / 2 ** 20} MiB, the most mxlint reads for one configuration`,
    ]);
    assert.equal(read.acceptedDomains.length, 1, 'the one domain the tables read name, once');
  });

  it(`checks at most ${MAX_ACCEPTED_DOMAINS} accepted domains, saying where the rest start`, () => {
    writeFileSync(join(dir, 'many'), Array.from({ length: MAX_ACCEPTED_DOMAINS + 5 }, (_, i) => `d${i}.example.com x\n`).join(''));
    const read = config('compatibility_level = 3.6\nmyhostname = mx.example.com\nmydestination = hash:many\n');
    assert.equal(read.acceptedDomains.length, MAX_ACCEPTED_DOMAINS);
    assert.deepEqual(read.uncheckedTables.map((t) => `${t.entry} ${t.location.file.replace(`${dir}/`, '')}:${t.location.line}: ${t.reason}`), [
      `d${MAX_ACCEPTED_DOMAINS}.example.com many:${MAX_ACCEPTED_DOMAINS + 1}: mxlint checks at most ${MAX_ACCEPTED_DOMAINS} accepted domains of one configuration, and this is the first of 5 more`,
    ]);
  });

  it('virtual_alias_domains defaults to the keys of virtual_alias_maps', () => {
    assert.deepEqual(config('myhostname = mx.example.com\nmydestination =\nvirtual_alias_maps = hash:virtual\n').acceptedDomains.map((d) => d.domain),
      ['shop.example.com', 'blog.example.com']);
  });
});

const SERVER = '185.199.110.25';

/** example.com served in-process: a consistent setup for mx.example.com at SERVER, and the mistakes the tests ask for. */
const ZONE = `${zoneApex('example.com')}
@          MX   10 mx
@          TXT  "v=spf1 mx -all"
_dmarc     TXT  "v=DMARC1; p=reject"
mx         A    ${SERVER}
mx         TXT  "v=spf1 a -all"
nomx       TXT  "v=spf1 -all"
nomx-here  A    ${SERVER}
nomx-here  TXT  "v=spf1 -all"
null       MX   0 .
null       TXT  "v=spf1 -all"
away       MX   10 other
other      A    185.199.110.99
broken     MX   10 lost
nospf      TXT  "nothing"
failspf    TXT  "v=spf1 -all"
ptr-elsewhere A 185.199.110.77
`;
/** The top-level domain: the DMARC tree walk asks _dmarc.com last (RFC 9989 §4.10). */
const COM = zoneApex('com');
const REVERSE = `$ORIGIN 185.in-addr.arpa.\n$TTL 300\n@ SOA ns.example.com. hostmaster.example.com. 1 7200 900 1209600 300\n@ NS ns.example.com.
25.110.199 PTR mx.example.com.
26.110.199 PTR ptr-elsewhere.example.com.
`;

async function check(mainCf: string, options: PostfixCheckOptions = {}, failures: Record<string, LookupFailureKind> = {}): Promise<DomainResult[]> {
  const source = zoneSource(zoneRecords(ZONE, REVERSE, COM), failures);
  return checkPostfixWith(source, readServerConfig(parseMainCf(mainCf, 'main.cf')), { checks: ['mx'], addresses: [SERVER], ...options });
}

const BASE = 'compatibility_level = 3.6\nmyhostname = mx.example.com\nmydomain = example.com\nmyorigin = $mydomain\nmydestination = $mydomain\n';

function postfixFindings(result: DomainResult): Finding[] {
  return result.findings.filter((f) => f.rule.startsWith('postfix-'));
}

function ruleIds(result: DomainResult): string[] {
  return postfixFindings(result).map((f) => `${f.rule} ${f.severity}`);
}

describe('postfix rules', () => {
  it('a consistent configuration: no postfix finding, the server result first, then each accepted domain', async () => {
    const [server, ...domains] = await check(BASE);
    assert.equal(server!.input, 'main.cf');
    assert.equal(server!.domain, 'mx.example.com');
    assert.deepEqual(ruleIds(server!), []);
    assert.deepEqual(domains.map((d) => [d.domain, ruleIds(d)]), [['example.com', []]]);
  });

  it('myhostname unset, not fully qualified, without an address', async () => {
    assert.deepEqual(ruleIds((await check('mydestination =\n'))[0]!), ['postfix-myhostname-unset unknown']);
    const [single] = await check('myhostname = mailhost\nmydestination =\n');
    assert.ok(ruleIds(single!).includes('postfix-myhostname-not-fqdn error'));
    const [local] = await check('myhostname = mail.localdomain\nmydestination =\n');
    assert.ok(ruleIds(local!).includes('postfix-myhostname-not-fqdn error'));
    const [noAddress] = await check('myhostname = nomx.example.com\nmyorigin = example.com\nmydestination =\n');
    assert.ok(ruleIds(noAddress!).includes('postfix-myhostname-no-address error'), ruleIds(noAddress!).join());
  });

  it('the server addresses: unknown without --address and with inet_interfaces = all; loopback interfaces are not public', async () => {
    const [all] = await check(BASE, { addresses: [] });
    assert.deepEqual(ruleIds(all!), ['postfix-address-unknown unknown']);
    const [loopback] = await check(`${BASE}inet_interfaces = 127.0.0.1, [::1]\n`, { addresses: [] });
    assert.deepEqual(ruleIds(loopback!), ['postfix-address-unknown unknown', 'postfix-interface-not-public info', 'postfix-interface-not-public info']);
  });

  it('reverse DNS: PTR to a name that does not resolve back (FCrDNS) and does not name myhostname', async () => {
    const [server] = await check(BASE, { addresses: ['185.199.110.26'] });
    assert.deepEqual(ruleIds(server!).filter((r) => r.includes('ptr')), ['postfix-ptr-not-confirmed error', 'postfix-ptr-not-myhostname warning']);
  });

  it('a failed lookup is unknown, never a pass or a missing record', async () => {
    const [ptrFailed] = await check(BASE, {}, { '25.110.199.185.in-addr.arpa PTR': 'servfail' });
    assert.deepEqual(ruleIds(ptrFailed!), ['postfix-lookup-failed unknown']);
    const [spfFailed] = await check(BASE, {}, { 'example.com TXT': 'timeout' });
    assert.deepEqual(ruleIds(spfFailed!), ['postfix-myorigin-spf unknown']);
  });

  it("myorigin's SPF: fail is an error, no record a warning", async () => {
    const [fail] = await check(`${BASE}myorigin = failspf.example.com\n`);
    assert.deepEqual(ruleIds(fail!), ['postfix-myorigin-spf error']);
    const [none] = await check(`${BASE}myorigin = nospf.example.com\n`);
    assert.deepEqual(ruleIds(none!), ['postfix-myorigin-spf warning']);
  });

  it('accepted domains: no MX (unless the implicit MX is this server), null MX, MX elsewhere (naming the host), a failed exchange lookup', async () => {
    const results = await check(`${BASE}virtual_alias_domains = nomx.example.com nomx-here.example.com null.example.com away.example.com broken.example.com\n`, {},
      { 'lost.example.com A': 'servfail' });
    const byDomain = new Map(results.slice(1).map((r) => [r.domain, r]));
    assert.deepEqual(ruleIds(byDomain.get('nomx.example.com')!), ['postfix-domain-no-mx error']);
    assert.deepEqual(ruleIds(byDomain.get('nomx-here.example.com')!), []);
    assert.deepEqual(ruleIds(byDomain.get('null.example.com')!), ['postfix-domain-mx-elsewhere error']);
    const away = postfixFindings(byDomain.get('away.example.com')!);
    assert.deepEqual(away.map((f) => f.rule), ['postfix-domain-mx-elsewhere']);
    assert.match(away[0]!.message, /its MX points at other\.example\.com \(185\.199\.110\.99\), none of which is this server \(185\.199\.110\.25\)/);
    assert.deepEqual(away[0]!.location, { file: 'main.cf', line: 6, column: 1 });
    assert.deepEqual(ruleIds(byDomain.get('broken.example.com')!), ['postfix-domain-mx-elsewhere unknown']);
  });

  it('syntax problems and unreadable tables are findings at their line', async () => {
    const [server] = await check(`${BASE}oops\nrelay_domains = mysql:/etc/postfix/relay.cf\n`);
    assert.deepEqual(postfixFindings(server!).map((f) => [f.rule, f.location?.line]), [['postfix-config-syntax', 6], ['postfix-table-not-checked', 7]]);
  });

  it('a table Postfix cannot open is an error: no mail would be accepted', async () => {
    const [server] = await check(`${BASE}virtual_alias_domains = hash:/nonexistent/virtual\n`);
    const [missing] = postfixFindings(server!);
    assert.deepEqual([missing!.rule, missing!.severity, missing!.location?.line], ['postfix-table-missing', 'error', 6]);
    assert.equal(missing!.message, 'virtual_alias_domains names hash:/nonexistent/virtual, but there is no /nonexistent/virtual.db, and its text source /nonexistent/virtual cannot be opened: no such file: Postfix cannot open it and answers every recipient with "451 4.3.0 Temporary lookup failure", so no mail is accepted.');
    assert.equal(server!.status, 'fail');
  });

  it('a certificate file that is a device is not read: the run ends, the certificate is not judged from it', async () => {
    const [server] = await check(`${BASE}smtpd_tls_security_level = may\nsmtpd_tls_cert_file = /dev/zero\n`);
    assert.deepEqual(ruleIds(server!), []);
  });
});

describe('mxlint postfix command line', () => {
  const io = () => {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: { write: (t: string) => (out.stdout += t, true) }, stderr: { write: (t: string) => (out.stderr += t, true) }, env: {} } };
  };

  it('--postconf - reads `postconf -n` output from stdin and reports in JSON', async () => {
    const server = await startLocalDnsServer({ records: zoneRecords(ZONE, REVERSE, COM) });
    try {
      const run = io();
      const stdin = (async function* () { yield BASE; })();
      const code = await runCli(['postfix', '--postconf', '-', '--address', SERVER, '--server', server.address, '--format', 'json'], { ...run.io, stdin });
      const results = JSON.parse(run.out.stdout) as DomainResult[];
      assert.deepEqual(results.map((r) => [r.input, r.status]), [['(postconf -n)', 'pass'], ['example.com', 'pass']], run.out.stderr);
      assert.equal(code, 0);
    } finally {
      await server.close();
    }
  });

  it('a bad --address and main.cf with --postconf are usage errors: one line, exit 3', async () => {
    const bad = io();
    assert.equal(await runCli(['postfix', 'main.cf', '--address', 'mx.example.com', '--server', '127.0.0.1:9'], bad.io), 3);
    assert.equal(bad.out.stderr, 'mxlint: --address: "mx.example.com" is not an IPv4 or IPv6 address (see mxlint postfix --help)\n');
    const both = io();
    assert.equal(await runCli(['postfix', 'main.cf', '--postconf', 'x', '--server', '127.0.0.1:9'], both.io), 3);
    assert.match(both.out.stderr, /^mxlint: give main\.cf or --postconf, not both/);
  });
});
