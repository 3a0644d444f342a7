/**
 * The library's entry points validate their options as the CLI does, and refuse with an
 * OptionError through the promise (never a synchronous throw): nothing is looked up with options
 * the CLI would have refused.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDomain, checkDomains, checkPostfix, checkZones, createResolver, OptionError, readServerConfig, readZones, readZoneText, streamDomainChecks } from '../../src/index.js';
import type { CheckOptions } from '../../src/index.js';
import { parseMainCf } from '../../src/modes/postfix/main-cf.js';
import { runCli } from '../../src/cli/main.js';

/** A server nobody asks: every case below must be refused before the first query. */
const NOWHERE = { servers: ['127.0.0.1:9'], timeoutMs: 100, retries: 0 };
const ZONE = readZoneText('@ 300 IN SOA ns1 hostmaster 1 7200 900 1209600 300\n@ 300 IN MX 10 mx1\nmx1 300 IN A 185.199.108.25\n@ 300 IN TXT "v=spf1 mx -all"\n', { origin: 'lib.example', file: 'lib.example.zone' });

const REFUSED: [string, Record<string, unknown>, RegExp][] = [
  ['a timeout below 1', { timeoutMs: 0 }, /^timeoutMs must be a whole number from 1 to 600000, not 0$/],
  ['a timeout that is text', { timeoutMs: '200' }, /^timeoutMs must be a whole number .*not "200"$/],
  ['too many retries', { retries: 11 }, /^retries must be a whole number from 0 to 10, not 11$/],
  ['a concurrency of 0', { concurrency: 0 }, /^concurrency must be a whole number from 1 to 4096/],
  ['a rate of 0', { rate: 0 }, /^rate must be a number of queries per second above 0/],
  ['an unknown family', { checks: ['mx', 'm'] }, /^unknown check family "m" in checks/],
  ['an unknown family in the CLI spelling', { checks: 'mx,spff' }, /^unknown check family "spff" in checks/],
  ['checks that name nothing', { checks: ' , ' }, /^checks names no check family$/],
  ['dnsbl without lists', { checks: 'mx,dnsbl' }, /^checks dnsbl needs the block lists to ask/],
  ['a server that is a name', { servers: ['dns.example'] }, /^servers: "dns.example" is not an IP address/],
  ['a bad connect-to rule', { connectTo: ['mx1.example'] }, /^connectTo: "mx1.example" is not a rule/],
  ['an EHLO name that would extend the command', { smtp: { ehloName: 'a\r\nRSET' } }, /^smtp.ehloName must be a host name/],
  ['an SMTP port out of range', { smtp: { port: 70000 } }, /^smtp.port must be a whole number from 1 to 65535/],
  ['an unknown SMTP setting', { smtp: { host: 'x' } }, /^unknown option "host" in smtp/],
  ['a trust anchor that is not a certificate', { ca: ['-----BEGIN CERTIFICATE-----\nnot\n-----END CERTIFICATE-----'] }, /^ca: a certificate does not parse/],
  ['an unknown option (a typo)', { timeout: 100 }, /^unknown option "timeout" \(known: servers, timeoutMs/],
  ['an order that does not exist', { order: 'random' }, /^order must be "input" or "completion"/],
  ['a name server spec that does not read', { authoritative: { nameservers: ['ns1.example/not-an-address'] } }, /^authoritative: /],
];

describe('library entry points validate their options', () => {
  for (const [what, bad, message] of REFUSED) {
    it(`checkDomain refuses ${what} with an OptionError, through the promise`, async () => {
      let call: Promise<unknown> | undefined;
      assert.doesNotThrow(() => { call = checkDomain('example.com', { ...NOWHERE, ...bad } as CheckOptions); });
      await assert.rejects(call!, (error: unknown) => error instanceof OptionError && message.test(error.message));
    });
  }

  it('checkDomains, streamDomainChecks, checkZones and checkPostfix refuse the same way', async () => {
    const bad = { ...NOWHERE, retries: -1 } as CheckOptions;
    const isOptionError = (error: unknown): boolean => error instanceof OptionError && /^retries must be/.test(error.message);
    await assert.rejects(checkDomains(['example.com'], bad), isOptionError);
    await assert.rejects(streamDomainChecks(['example.com'], bad).next(), isOptionError);
    await assert.rejects(checkZones([ZONE], { ...bad, offline: true }), isOptionError);
    await assert.rejects(checkPostfix(readServerConfig(parseMainCf('myhostname = mx.lib.example\n', 'main.cf')), bad), isOptionError);
    await assert.rejects(checkPostfix(readServerConfig(parseMainCf('myhostname = mx.lib.example\n', 'main.cf')), { ...NOWHERE, addresses: ['mx.lib.example'] }),
      (error: unknown) => error instanceof OptionError && /^addresses: "mx.lib.example" is not an IP address$/.test(error.message));
  });

  it('readZones refuses a maxRecords that is no whole number from 1 to MAX_ZONE_RECORDS before reading a file', () => {
    for (const maxRecords of [0, 1.5, 10_000_001, '100' as unknown as number]) {
      assert.throws(() => readZones(['no/such/file.zone'], undefined, { maxRecords }),
        (error: unknown) => error instanceof OptionError && /^maxRecords must be a whole number from 1 to 10000000, not /.test(error.message));
    }
  });

  it('takes the families as the CLI writes them ("mx,spf"), not as the family "m"', async () => {
    const [result] = await checkZones([ZONE], { offline: true, checks: 'mx,spf' });
    assert.ok(result?.spf, 'the spf family ran');
    assert.equal(result.dmarc, undefined, 'dmarc was not asked for');
  });

  it('the CLI refuses the same values with the same words, naming its flags', async () => {
    const cases: [string[], RegExp][] = [
      [['--timeout', '0', 'example.com'], /^mxlint: --timeout must be a whole number from 1 to 600000, not 0 /],
      [['--checks', 'mx,spff', 'example.com'], /^mxlint: unknown check family "spff" in --checks /],
      [['--ehlo-name', 'a b', 'example.com'], /^mxlint: --ehlo-name must be a host name/],
      [['--server', 'dns.example', 'example.com'], /^mxlint: --server: "dns.example" is not an IP address/],
    ];
    for (const [args, message] of cases) {
      let stderr = '';
      const code = await runCli(args, { stdout: { write: () => true }, stderr: { write: (text: string) => (stderr += text) }, env: {} });
      assert.equal(code, 3, args.join(' '));
      assert.match(stderr, message);
    }
  });
});

describe('createResolver', () => {
  it('makes a resolver from the DNS options, validated as everywhere, for checkHost and for sharing', async () => {
    assert.throws(() => createResolver({ servers: ['dns.example'] }), (error: unknown) => error instanceof OptionError && /^servers: /.test(error.message));
    const resolver = createResolver({ servers: ['127.0.0.1:9'], timeoutMs: 100, retries: 0 });
    try {
      const [result] = await checkZones([ZONE], { offline: true, resolver, checks: 'mx' });
      assert.equal(result?.domain, 'lib.example');
    } finally {
      resolver.close();
    }
  });
});
