/**
 * Unit tests of resolv.conf(5) parsing and of the server addresses given with --server.
 * Only text is parsed here: no address is ever contacted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { parseResolvConf } from '../../src/dns/resolv-conf.js';
import type { ResolvConf } from '../../src/dns/resolv-conf.js';
import { DNS_PORT, formatServerAddress, parseServerAddress } from '../../src/dns/server-address.js';
import type { ServerAddress } from '../../src/dns/server-address.js';

const v4 = (host: string, port = 53): ServerAddress => ({ host, port, family: 4 });
const v6 = (host: string, port = 53): ServerAddress => ({ host, port, family: 6 });

describe('parseResolvConf', () => {
  const cases: { name: string; text: string; conf: ResolvConf }[] = [
    {
      name: 'the systemd-resolved stub file',
      text: [
        '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).',
        '# Do not edit.',
        '#',
        'nameserver 127.0.0.53',
        'options edns0 trust-ad',
        'search .',
        '',
      ].join('\n'),
      conf: { servers: [v4('127.0.0.53')] },
    },
    {
      name: 'several servers, both families, an IPv6 link-local with its scope',
      text: [
        '; written by NetworkManager',
        'search example.com corp.example.com',
        'nameserver 192.0.2.53',
        'nameserver 2001:db8::53',
        'nameserver fe80::1%eth0',
        'nameserver 198.51.100.53',
      ].join('\n'),
      conf: { servers: [v4('192.0.2.53'), v6('2001:db8::53'), v6('fe80::1%eth0'), v4('198.51.100.53')] },
    },
    {
      name: 'options timeout:3 attempts:4 rotate',
      text: 'nameserver 192.0.2.53\noptions timeout:3 attempts:4 rotate\n',
      conf: { servers: [v4('192.0.2.53')], timeoutMs: 3000, attempts: 4 },
    },
    {
      name: 'a Kubernetes pod file with ndots',
      text: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
      conf: { servers: [v4('10.96.0.10')] },
    },
    {
      name: 'comments after # and ; at the start and at the end of a line',
      text: '#nameserver 192.0.2.1\n;nameserver 192.0.2.2\nnameserver 192.0.2.3 # the office\nnameserver 192.0.2.4;backup\n  # indented comment\n',
      conf: { servers: [v4('192.0.2.3'), v4('192.0.2.4')] },
    },
    {
      name: 'CRLF line ends, tabs and runs of spaces',
      text: 'nameserver\t192.0.2.53\r\n   nameserver    2001:db8::53   \r\noptions\ttimeout:2\r\n',
      conf: { servers: [v4('192.0.2.53'), v6('2001:db8::53')], timeoutMs: 2000 },
    },
    {
      name: 'garbage lines and malformed nameservers are skipped',
      text: [
        'this is not a resolv.conf line',
        'nameserver',
        'nameserver dns.example.net',
        'nameserver 192.0.2.300',
        'nameserver 192.0.2.53:5353',
        'NAMESERVER 192.0.2.9',
        'nameservers 192.0.2.8',
        'nameserver 192.0.2.53',
        'options timeout:abc attempts:-1 timeout:1.5 attempts',
      ].join('\n'),
      conf: { servers: [v4('192.0.2.53')] },
    },
    {
      name: 'timeout and attempts beyond glibc caps are clamped, not refused',
      text: 'options timeout:99 attempts:9',
      conf: { servers: [], timeoutMs: 30_000, attempts: 5 },
    },
    {
      name: 'zero is raised to the minimum of one',
      text: 'options timeout:0 attempts:0',
      conf: { servers: [], timeoutMs: 1000, attempts: 1 },
    },
    {
      name: 'the caps themselves are kept',
      text: 'options timeout:30 attempts:5',
      conf: { servers: [], timeoutMs: 30_000, attempts: 5 },
    },
    {
      name: 'a later options line overrides an earlier one',
      text: 'options timeout:5 attempts:2\noptions timeout:1',
      conf: { servers: [], timeoutMs: 1000, attempts: 2 },
    },
    { name: 'an empty file', text: '', conf: { servers: [] } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(parseResolvConf(c.text), c.conf));

  test('an IPv4 nameserver with a scope is skipped, as glibc does', () => {
    assert.deepEqual(parseResolvConf('nameserver 127.0.0.1%lo\nnameserver 192.0.2.53'), { servers: [v4('192.0.2.53')] });
  });
});

describe('parseServerAddress accepts', () => {
  const cases: [text: string, server: ServerAddress][] = [
    ['127.0.0.1', v4('127.0.0.1')],
    ['127.0.0.1:5300', v4('127.0.0.1', 5300)],
    [' 127.0.0.1:53 ', v4('127.0.0.1')],
    ['127.0.0.1:1', v4('127.0.0.1', 1)],
    ['127.0.0.1:65535', v4('127.0.0.1', 65535)],
    ['[::1]:5300', v6('::1', 5300)],
    ['[::1]', v6('::1')],
    ['::1', v6('::1')],
    ['2001:db8::53', v6('2001:db8::53')],
    ['fe80::1%eth0', v6('fe80::1%eth0')],
    ['[fe80::1%eth0]:5300', v6('fe80::1%eth0', 5300)],
    ['[127.0.0.1]:5300', v4('127.0.0.1', 5300)],
  ];
  for (const [text, server] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(parseServerAddress(text), { ok: true, server }));
  }

  test('the default port is 53 unless another is given', () => {
    assert.equal(DNS_PORT, 53);
    assert.deepEqual(parseServerAddress('192.0.2.53', 5353), { ok: true, server: v4('192.0.2.53', 5353) });
    assert.deepEqual(parseServerAddress('192.0.2.53:54', 5353), { ok: true, server: v4('192.0.2.53', 54) });
  });
});

describe('parseServerAddress refuses', () => {
  const notIp = (text: string): string => `"${text}" is not an IP address (write host[:port], IPv6 as [::1]:5300)`;
  const badPort = (text: string): string => `"${text}" has no valid port (1-65535)`;
  const cases: [text: string, reason: string][] = [
    ['127.0.0.1:0', badPort('127.0.0.1:0')],
    ['127.0.0.1:65536', badPort('127.0.0.1:65536')],
    ['127.0.0.1:abc', badPort('127.0.0.1:abc')],
    ['127.0.0.1:', badPort('127.0.0.1:')],
    ['127.0.0.1:+53', badPort('127.0.0.1:+53')],
    ['127.0.0.1:5e3', badPort('127.0.0.1:5e3')],
    ['[::1]:0', badPort('[::1]:0')],
    ['[::1]:65536', badPort('[::1]:65536')],
    ['[::1]:', badPort('[::1]:')],
    ['localhost', notIp('localhost')],
    ['localhost:53', notIp('localhost:53')],
    ['dns.example.net', notIp('dns.example.net')],
    ['[dns.example.net]:53', notIp('[dns.example.net]:53')],
    ['192.0.2.300', notIp('192.0.2.300')],
    ['', notIp('')],
    ['[]:53', notIp('[]:53')],
    ['[::1]x', notIp('[::1]x')],
  ];
  for (const [text, reason] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(parseServerAddress(text), { ok: false, reason }));
  }

  // The host goes to a socket as is, and Node resolves a host that is not an IP as a name: only
  // IPv6 may carry a scope id.
  for (const text of ['127.0.0.1%eth0', '192.0.2.53%', '[::1%]']) {
    test(`${JSON.stringify(text)}: a host node:net does not take for an IP address`, () => {
      const parsed = parseServerAddress(text);
      assert.equal(parsed.ok, false, `accepted as ${JSON.stringify(parsed)}; isIP(host) is ${parsed.ok ? isIP(parsed.server.host) : '-'}`);
    });
  }
});

describe('formatServerAddress', () => {
  const cases: [server: ServerAddress, text: string][] = [
    [v4('127.0.0.1'), '127.0.0.1:53'],
    [v4('127.0.0.1', 5300), '127.0.0.1:5300'],
    [v6('::1', 5300), '[::1]:5300'],
    [v6('2001:db8::53'), '[2001:db8::53]:53'],
    [v6('fe80::1%eth0'), '[fe80::1%eth0]:53'],
  ];
  for (const [server, text] of cases) {
    test(`${text}, and back`, () => {
      assert.equal(formatServerAddress(server), text);
      assert.deepEqual(parseServerAddress(text), { ok: true, server });
    });
  }
});
