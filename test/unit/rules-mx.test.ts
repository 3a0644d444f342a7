/**
 * Unit tests of the MX rules: every rule in mxRules is shown firing (id, severity, target, and a message
 * that names the record and the fix) and staying quiet, on MailFacts built by test/support/facts.ts.
 * Pure functions only: nothing here touches a network.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFindings } from '../../src/core/finding.js';
import type { RuleMeta } from '../../src/core/rule.js';
import { domainInvalid, mxRules } from '../../src/families/mx/rules/index.js';
import { runRules } from '../support/rules.js';
import { zoneRuleCatalog } from '../../src/modes/zone/rules/index.js';
import { profileRuleCatalog } from '../../src/engine/profiles/index.js';
import { authoritativeRuleCatalog } from '../../src/modes/authoritative/rules.js';
import { postfixRuleCatalog } from '../../src/modes/postfix/rules.js';
import { rules } from '../../src/catalog/rules.js';
import { FAMILIES } from '../../src/families/index.js';
import { EXIT_CODES, statusOf, worstStatus } from '../../src/core/status.js';
import type { Finding, Severity, Status } from '../../src/core/finding.js';
import type { MailFacts } from '../../src/facts/mail.js';
import { collectMailFacts } from '../../src/facts/mail.js';
import type { Resolver } from '../../src/dns/resolver.js';
import type { Lookup, LookupFailure } from '../../src/dns/lookup.js';
import type { DnsRecord } from '../../src/dns/records.js';
import {
  failed, FAKE_SERVER, lookupFailure, loop, mailFacts, NODATA, NXDOMAIN, tooLong, TTL, unqueryable, via, type HostSpec,
  type MailFactsSpec,
} from '../support/facts.js';

const V4 = '185.199.108.153';
const V4_2 = '185.199.109.153';
const V6 = '2a01:4f8::1';
const V6_2 = '2a01:4f8::2';
const GOOD: HostSpec = { a: [V4], aaaa: [V6] };
const GOOD_2: HostSpec = { a: [V4_2], aaaa: [V6_2] };

const facts = (spec: MailFactsSpec): MailFacts => mailFacts('example.com', spec);

/** Two exchanges, each with public IPv4 and IPv6: nothing to report. */
const CLEAN = facts({ mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']], hosts: { 'mx1.example.com': GOOD, 'mx2.example.com': GOOD_2 } });

/** example.com with the one exchange `name`, described by `host`. */
function oneMx(host: HostSpec, name = 'mx1.example.com', preference = 10): MailFacts {
  return facts({ mx: [[preference, name]], hosts: { [name]: host } });
}

/** Two exchanges: mx1 as `host`, mx2 healthy. */
function twoMx(host: HostSpec): MailFacts {
  return facts({ mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']], hosts: { 'mx1.example.com': host, 'mx2.example.com': GOOD_2 } });
}

/** No MX at the domain: mail would go to its own addresses. */
function implicitMx(implicit: HostSpec): MailFacts {
  return facts({ mx: NODATA, implicit });
}

interface Expected {
  /** undefined: a finding about the domain as a whole. */
  target?: string;
  /** Fragments the finding must say (in its message, fix or RFC): the record concerned, the cause, the fix. */
  says: string[];
}

interface RuleCases {
  severity: Severity;
  fires: { name: string; facts: MailFacts; expect: Expected[] }[];
  quiet: { name: string; facts: MailFacts }[];
}

/** Private, reserved and otherwise unroutable addresses, with the words the message must use for each. */
const UNROUTABLE: [address: string, ...words: string[]][] = [
  ['10.1.2.3', 'private', 'RFC 1918'],
  ['172.16.0.1', 'private', 'RFC 1918'],
  ['192.168.1.1', 'private', 'RFC 1918'],
  ['127.0.0.1', 'loopback'],
  ['127.1.2.3', 'loopback'],
  ['100.64.0.1', 'carrier-grade NAT', 'RFC 6598'],
  ['100.127.255.254', 'carrier-grade NAT', 'RFC 6598'],
  ['169.254.1.1', 'link-local'],
  ['192.0.2.1', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.25', 'documentation'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['0.0.0.0', 'unspecified'],
  ['224.0.0.1', 'multicast'],
  ['fc00::1', 'unique local', 'RFC 4193'],
  ['fd12:3456::25', 'unique local', 'RFC 4193'],
  ['fe80::1', 'link-local'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['2001:db8::25', 'documentation'],
  ['100::1', 'discard-only', 'RFC 6666'],
  ['2001:2::1', 'benchmarking', 'RFC 5180'],
  ['fec0::1', 'site-local'],
  ['2001:20::1', 'ORCHIDv2', 'RFC 7343'],
  ['ff02::1', 'multicast'],
  ['::ffff:10.0.0.1', 'private', 'RFC 1918', 'IPv4-mapped'],
  ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped'],
];

const ROUTABLE = ['185.199.108.153', '8.8.8.8', '2a01:4f8::1', '2606:4700::1111', '::ffff:185.199.108.153'];

/** The host with `address` in the record of its family (an IPv4-mapped address is an AAAA record). */
function hostWith(address: string): HostSpec {
  return address.includes(':') ? { a: [V4_2], aaaa: [address] } : { a: [address], aaaa: [V6_2] };
}

const CASES: Record<string, RuleCases> = {
  'domain-nxdomain': {
    severity: 'error',
    fires: [
      { name: 'NXDOMAIN for MX', facts: facts({ mx: NXDOMAIN }),
        expect: [{ says: ['example.com does not exist (NXDOMAIN)', 'mail to it bounces', 'Check the spelling'] }] },
      { name: 'the domain is an alias of a name that does not exist', facts: facts({ mx: via('gone.example.net', NXDOMAIN) }),
        expect: [{ says: ['example.com does not exist (NXDOMAIN)', 'it is an alias of gone.example.net, which does not exist'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'NODATA for MX (the name exists)', facts: implicitMx({ a: [V4] }) },
      { name: 'the MX lookup failed', facts: facts({ mx: failed('servfail') }) },
    ],
  },

  'mail-domain-alias': {
    severity: 'info',
    fires: [
      { name: 'CNAME at the domain, MX at the target',
        facts: facts({ mx: via('mail.example.net', [[10, 'mx1.example.com'], [20, 'mx2.example.com']]), hosts: { 'mx1.example.com': GOOD, 'mx2.example.com': GOOD_2 } }),
        expect: [{ says: ['example.com is an alias (CNAME example.com → mail.example.net)', 'the MX records of mail.example.net', 'publish MX records at the domain itself'] }] },
      { name: 'a chain of two aliases', facts: facts({ mx: via(['a.example.net', 'b.example.org'], [[0, '.']]) }),
        expect: [{ says: ['CNAME example.com → a.example.net → b.example.org', 'the MX records of b.example.org'] }] },
      { name: 'an alias whose target does not exist', facts: facts({ mx: via('gone.example.net', NXDOMAIN) }),
        expect: [{ says: ['CNAME example.com → gone.example.net'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'a CNAME loop (mx-missing reports it)', facts: facts({ mx: loop('a.example.net', 'example.com') }) },
      { name: 'a chain too long to follow (unknown: dns-lookup-failed reports it)', facts: facts({ mx: tooLong() }) },
    ],
  },

  'mx-missing': {
    severity: 'error',
    fires: [
      { name: 'no MX, no A, no AAAA', facts: implicitMx({ a: NODATA, aaaa: NODATA }),
        expect: [{ says: ['example.com has no MX records and no A or AAAA records', 'cannot receive mail', '"example.com. MX 10 mail.example.com."', '"MX 0 ."'] }] },
      { name: 'an alias whose target has no MX and no address', facts: facts({ mx: via('web.example.net', NODATA), implicit: { a: NODATA, aaaa: NODATA } }),
        expect: [{ says: ['web.example.net has no MX records and no A or AAAA records'] }] },
      { name: 'the CNAME chain at the domain loops', facts: facts({ mx: loop('a.example.net', 'example.com') }),
        expect: [{ says: ['example.com cannot receive mail', 'its CNAME chain loops (example.com → a.example.net → example.com)', 'Point the alias at a real name'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'no MX but an A record (implicit MX)', facts: implicitMx({ a: [V4] }) },
      { name: 'no MX, A lookup timed out, no AAAA', facts: implicitMx({ a: failed('timeout'), aaaa: NODATA }) },
      { name: 'NXDOMAIN (domain-nxdomain reports it)', facts: facts({ mx: NXDOMAIN }) },
      { name: 'null MX', facts: facts({ mx: [[0, '.']] }) },
      { name: 'the MX lookup failed', facts: facts({ mx: failed('timeout') }) },
      { name: 'a CNAME chain at the domain too long to follow (unknown, not missing)', facts: facts({ mx: tooLong() }) },
    ],
  },

  'mx-implicit': {
    severity: 'warning',
    fires: [
      { name: 'no MX, one A', facts: implicitMx({ a: [V4] }),
        expect: [{ says: [`example.com has no MX records, so senders deliver to its own address (${V4})`, 'Publish an explicit MX record', 'MX 0 .'] }] },
      { name: 'no MX, A and AAAA', facts: implicitMx({ a: [V4], aaaa: [V6] }),
        expect: [{ says: [`its own addresses (${V4}, ${V6})`] }] },
      { name: 'an alias whose target has no MX but an address', facts: facts({ mx: via('www.example.net', NODATA), implicit: { a: [V4] } }),
        expect: [{ says: ['www.example.net has no MX records', V4] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'no MX and no address (mx-missing reports it)', facts: implicitMx({ a: NODATA, aaaa: NODATA }) },
      { name: 'no MX, the address lookups failed', facts: implicitMx({ a: failed('timeout'), aaaa: failed('timeout') }) },
    ],
  },

  'null-mx': {
    severity: 'info',
    fires: [
      { name: 'MX 0 . alone', facts: facts({ mx: [[0, '.']] }),
        expect: [{ says: ['example.com publishes a null MX ("MX 0 .")', 'accepts no mail', 'Replace it with real MX records'] }] },
      { name: 'a null MX with preference 10 (still a null MX)', facts: facts({ mx: [[10, '.']] }), expect: [{ says: ['null MX'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'null MX mixed with a real one (null-mx-mixed reports it)', facts: facts({ mx: [[0, '.'], [10, 'mx1.example.com']], hosts: { 'mx1.example.com': GOOD } }) },
      { name: 'no MX at all', facts: implicitMx({ a: [V4] }) },
    ],
  },

  'null-mx-mixed': {
    severity: 'error',
    fires: [
      { name: 'MX 0 . beside MX 10 mx1', facts: facts({ mx: [[0, '.'], [10, 'mx1.example.com']], hosts: { 'mx1.example.com': GOOD } }),
        expect: [{ says: ['example.com mixes a null MX ("MX 0 .") with other MX records (mx1.example.com)', 'must be the only MX record', 'Remove the null MX'] }] },
      { name: 'MX 10 . beside two exchanges', facts: facts({ mx: [[10, '.'], [20, 'mx1.example.com'], [30, 'mx2.example.com']], hosts: { 'mx1.example.com': GOOD, 'mx2.example.com': GOOD_2 } }),
        expect: [{ says: ['("MX 10 .")', '(mx1.example.com, mx2.example.com)'] }] },
    ],
    quiet: [
      { name: 'null MX alone', facts: facts({ mx: [[0, '.']] }) },
      { name: 'clean domain', facts: CLEAN },
    ],
  },

  'null-mx-preference': {
    severity: 'warning',
    fires: [
      { name: 'MX 10 . alone', facts: facts({ mx: [[10, '.']] }),
        expect: [{ says: ['null MX with preference 10', 'must be 0', 'Publish it as "example.com. MX 0 ."'] }] },
    ],
    quiet: [
      { name: 'MX 0 .', facts: facts({ mx: [[0, '.']] }) },
      { name: 'MX 10 . mixed with others (null-mx-mixed reports it)', facts: facts({ mx: [[10, '.'], [20, 'mx1.example.com']], hosts: { 'mx1.example.com': GOOD } }) },
      { name: 'clean domain', facts: CLEAN },
    ],
  },

  'mx-target-ip-literal': {
    severity: 'error',
    fires: [
      { name: 'MX 10 192.0.2.1', facts: facts({ mx: [[10, '192.0.2.1']] }),
        expect: [{ target: '192.0.2.1', says: ['MX 10 192.0.2.1 names an IP address', '"mail.example.com. A 192.0.2.1"', 'point the MX at it'] }] },
      { name: 'an IPv6 literal beside a real exchange', facts: facts({ mx: [[10, 'mx1.example.com'], [20, '2001:db8::25']], hosts: { 'mx1.example.com': GOOD } }),
        expect: [{ target: '2001:db8::25', says: ['MX 20 2001:db8::25 names an IP address'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'a name made of digits and letters', facts: oneMx(GOOD, '192-0-2-1.example.com') },
    ],
  },

  'mx-target-cname': {
    severity: 'error',
    fires: [
      { name: 'the exchange is an alias', facts: twoMx({ a: via('mx1.provider.net', [V4]), aaaa: via('mx1.provider.net', [V6]) }),
        expect: [{ target: 'mx1.example.com', says: ['MX 10 mx1.example.com points to an alias (CNAME mx1.example.com → mx1.provider.net)', 'Point the MX at mx1.provider.net'] }] },
      { name: 'a chain of two aliases', facts: oneMx({ a: via(['a.example.net', 'b.example.net'], [V4]), aaaa: via(['a.example.net', 'b.example.net'], NODATA) }),
        expect: [{ target: 'mx1.example.com', says: ['CNAME mx1.example.com → a.example.net → b.example.net', 'Point the MX at b.example.net'] }] },
      { name: 'an alias to a name without addresses', facts: oneMx({ a: via('gone.example.net', NXDOMAIN), aaaa: via('gone.example.net', NXDOMAIN) }),
        expect: [{ target: 'mx1.example.com', says: ['CNAME mx1.example.com → gone.example.net'] }] },
      { name: 'a looping alias: no canonical name to recommend', facts: oneMx({ a: loop('a.example.net', 'mx1.example.com'), aaaa: loop('a.example.net', 'mx1.example.com') }),
        expect: [{ target: 'mx1.example.com', says: ['CNAME mx1.example.com → a.example.net → mx1.example.com', 'Point the MX at a host name that has its own A/AAAA records'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'the domain itself is an alias, the exchange is not', facts: facts({ mx: via('mail.example.net', [[10, 'mx1.example.com']]), hosts: { 'mx1.example.com': GOOD } }) },
    ],
  },

  'mx-target-no-address': {
    severity: 'error',
    fires: [
      { name: 'the exchange does not exist', facts: twoMx({ a: NXDOMAIN, aaaa: NXDOMAIN }),
        expect: [{ target: 'mx1.example.com', says: ['MX exchange mx1.example.com cannot be reached: mx1.example.com does not exist (NXDOMAIN)', 'publish an A (and AAAA) record for the exchange'] }] },
      { name: 'the exchange has no A and no AAAA', facts: oneMx({ a: NODATA, aaaa: NODATA }),
        expect: [{ target: 'mx1.example.com', says: ['mx1.example.com exists but has no A or AAAA record (NODATA)'] }] },
      { name: 'no A (NODATA), no AAAA (NXDOMAIN)', facts: oneMx({ a: NODATA, aaaa: NXDOMAIN }),
        expect: [{ target: 'mx1.example.com', says: ['has no A record (NODATA) and no AAAA record (NXDOMAIN)'] }] },
      { name: 'an alias to a name that does not exist', facts: oneMx({ a: via('gone.example.net', NXDOMAIN), aaaa: via('gone.example.net', NXDOMAIN) }),
        expect: [{ target: 'mx1.example.com', says: ['its alias target gone.example.net does not exist (NXDOMAIN)'] }] },
      { name: 'a CNAME loop', facts: oneMx({ a: loop('a.example.net', 'mx1.example.com'), aaaa: loop('a.example.net', 'mx1.example.com') }),
        expect: [{ target: 'mx1.example.com', says: ['its CNAME chain loops (mx1.example.com → a.example.net → mx1.example.com), so it has no address'] }] },
      { name: 'both exchanges missing, one finding each', facts: facts({ mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']], hosts: { 'mx1.example.com': { a: NXDOMAIN, aaaa: NXDOMAIN }, 'mx2.example.com': {} } }),
        expect: [{ target: 'mx1.example.com', says: ['NXDOMAIN'] }, { target: 'mx2.example.com', says: ['NODATA'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'A only', facts: oneMx({ a: [V4] }) },
      { name: 'AAAA only (mx-target-ipv6-only reports it)', facts: oneMx({ aaaa: [V6] }) },
      { name: 'A timed out, no AAAA (unknown, not missing)', facts: oneMx({ a: failed('timeout'), aaaa: NODATA }) },
      { name: 'no A, AAAA SERVFAIL (unknown, not missing)', facts: oneMx({ a: NODATA, aaaa: failed('servfail') }) },
      { name: 'a CNAME chain too long to follow (unknown, not missing)', facts: oneMx({ a: tooLong(), aaaa: tooLong() }) },
      { name: 'no MX and no address (mx-missing reports it)', facts: implicitMx({}) },
    ],
  },

  'mx-target-private-address': {
    severity: 'error',
    fires: [
      ...UNROUTABLE.map(([address, ...words]) => ({
        name: `${address} (${words.join(', ')})`, facts: oneMx(hostWith(address)),
        expect: [{ target: 'mx1.example.com', says: [`mx1.example.com has an address no sender on the Internet can reach: ${address} (`, ...words, 'publish only the public addresses of the mail server'] }],
      })),
      { name: 'two bad addresses, one finding', facts: oneMx({ a: ['10.0.0.1', V4], aaaa: ['fd00::1'] }),
        expect: [{ target: 'mx1.example.com', says: ['has addresses no sender on the Internet can reach: 10.0.0.1 (private', 'fd00::1 (unique local', 'publish only the public addresses'] }] },
      { name: 'the implicit MX has a private address', facts: implicitMx({ a: ['192.168.0.10'] }),
        expect: [{ target: 'example.com', says: ['example.com has an address no sender on the Internet can reach: 192.168.0.10'] }] },
      { name: 'private address behind an alias', facts: oneMx({ a: via('internal.example.net', ['10.9.8.7']) }),
        expect: [{ target: 'mx1.example.com', says: ['10.9.8.7 (private'] }] },
    ],
    quiet: [
      ...ROUTABLE.map((address) => ({ name: `${address} is public`, facts: oneMx(hostWith(address)) })),
      { name: 'clean domain', facts: CLEAN },
      { name: 'an IP-literal exchange is not looked up', facts: facts({ mx: [[10, '10.0.0.1']] }) },
    ],
  },

  'mx-target-ipv6-only': {
    severity: 'warning',
    fires: [
      { name: 'AAAA but no A', facts: twoMx({ a: NODATA, aaaa: [V6] }),
        expect: [{ target: 'mx1.example.com', says: [`mx1.example.com has only AAAA records (${V6}) and no A record`, 'publish an A record for the exchange'] }] },
      { name: 'the implicit MX has only AAAA', facts: implicitMx({ aaaa: [V6, V6_2] }),
        expect: [{ target: 'example.com', says: [`(${V6}, ${V6_2})`] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'A only', facts: oneMx({ a: [V4] }) },
      { name: 'A timed out, AAAA found (unknown, not IPv6-only)', facts: oneMx({ a: failed('timeout'), aaaa: [V6] }) },
      { name: 'neither (mx-target-no-address reports it)', facts: oneMx({}) },
    ],
  },

  'mx-target-duplicate': {
    severity: 'warning',
    fires: [
      { name: 'mx1 listed at 10 and 20', facts: facts({ mx: [[10, 'mx1.example.com'], [20, 'mx1.example.com'], [30, 'mx2.example.com']], hosts: { 'mx1.example.com': GOOD, 'mx2.example.com': GOOD_2 } }),
        expect: [{ target: 'mx1.example.com', says: ['mx1.example.com is listed 2 times (preferences 10, 20)', 'keep one MX record per exchange'] }] },
      { name: 'two exchanges each listed twice', facts: facts({ mx: [[10, 'mx2.example.com'], [10, 'mx1.example.com'], [20, 'mx1.example.com'], [30, 'mx2.example.com']], hosts: { 'mx1.example.com': GOOD, 'mx2.example.com': GOOD_2 } }),
        expect: [{ target: 'mx2.example.com', says: ['preferences 10, 30'] }, { target: 'mx1.example.com', says: ['preferences 10, 20'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'two null MX records are left to the null MX rules', facts: facts({ mx: [[0, '.'], [10, '.']] }) },
    ],
  },

  'mx-target-missing-dot': {
    severity: 'warning',
    fires: [
      { name: 'mail.example.com.example.com', facts: oneMx(GOOD, 'mail.example.com.example.com'),
        expect: [{ target: 'mail.example.com.example.com', says: ['MX 10 mail.example.com.example.com ends with "example.com" twice', 'says "mail.example.com" without the final dot', 'Write "mail.example.com." with the trailing dot'] }] },
      { name: 'mx.sub.example.com.example.com', facts: oneMx(GOOD, 'mx.sub.example.com.example.com'),
        expect: [{ target: 'mx.sub.example.com.example.com', says: ['ends with "example.com" twice', 'Write "mx.sub.example.com."'] }] },
      { name: 'a three-label origin appended again', facts: mailFacts('sub.example.com', { mx: [[10, 'mx.sub.example.com.sub.example.com']], hosts: { 'mx.sub.example.com.sub.example.com': GOOD } }),
        expect: [{ target: 'mx.sub.example.com.sub.example.com', says: ['ends with "sub.example.com" twice', 'Write "mx.sub.example.com."'] }] },
    ],
    quiet: [
      ...['mail.example.com', 'a.b.c.d', 'mail.mail.example.com', 'com.com.example.com', 'example.example.com', 'mx.example.com.com'].map((name) => ({ name, facts: oneMx(GOOD, name) })),
      { name: 'clean domain', facts: CLEAN },
    ],
  },

  'mx-target-syntax': {
    severity: 'error',
    fires: [
      { name: 'an underscore in a looked-up exchange', facts: oneMx(GOOD, 'mail_server.example.com'),
        expect: [{ target: 'mail_server.example.com', says: ['MX 10 mail_server.example.com is not a valid host name: label "mail_server" contains an underscore', 'rename the host with letters, digits and hyphens'] }] },
      { name: 'a leading hyphen', facts: oneMx(GOOD, '-mx.example.com'),
        expect: [{ target: '-mx.example.com', says: ['label "-mx" is not letters, digits and interior hyphens'] }] },
      { name: 'an exchange that could not be queried', facts: facts({ mx: [[10, 'mx 1.example.com']], hosts: { 'mx 1.example.com': unqueryable('label "mx 1" is not letters, digits and interior hyphens') } }),
        expect: [{ target: 'mx 1.example.com', says: ['MX 10 mx 1.example.com is not a valid host name: label "mx 1"'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'an IP literal (mx-target-ip-literal reports it)', facts: facts({ mx: [[10, '192.0.2.1']] }) },
      { name: 'digits and interior hyphens', facts: oneMx(GOOD, 'mx-01.e-x.example.com') },
    ],
  },

  'mx-single': {
    severity: 'info',
    fires: [
      { name: 'one exchange', facts: oneMx(GOOD),
        expect: [{ target: 'mx1.example.com', says: ['example.com has a single MX exchange (mx1.example.com), with one address per IP version', 'Add a second exchange with a higher preference value'] }] },
      { name: 'one exchange listed twice is still one', facts: facts({ mx: [[10, 'mx1.example.com'], [20, 'mx1.example.com']], hosts: { 'mx1.example.com': GOOD } }),
        expect: [{ target: 'mx1.example.com', says: ['single MX exchange (mx1.example.com)'] }] },
      { name: 'IPv4 only, one address', facts: oneMx({ a: [V4] }), expect: [{ target: 'mx1.example.com', says: ['single MX exchange'] }] },
    ],
    quiet: [
      { name: 'two exchanges', facts: CLEAN },
      { name: 'a provider\'s exchange, in another organization (its redundancy is behind the name)', facts: oneMx(GOOD, 'smtp.provider.example') },
      { name: 'a provider\'s exchange under a public suffix of its own', facts: oneMx(GOOD, 'tenant.mail.protection.outlook.com') },
      { name: 'several IPv4 addresses: several servers behind one name', facts: oneMx({ a: [V4, V4_2] }) },
      { name: 'no address (mx-target-no-address reports it)', facts: oneMx({ a: NXDOMAIN, aaaa: NXDOMAIN }) },
      { name: 'null MX', facts: facts({ mx: [[0, '.']] }) },
      { name: 'null MX mixed with one exchange (null-mx-mixed reports it)', facts: facts({ mx: [[0, '.'], [10, 'mx1.example.com']], hosts: { 'mx1.example.com': GOOD } }) },
      { name: 'implicit MX', facts: implicitMx({ a: [V4] }) },
    ],
  },

  'mx-no-ipv6': {
    severity: 'info',
    fires: [
      { name: 'both exchanges IPv4 only', facts: facts({ mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']], hosts: { 'mx1.example.com': { a: [V4] }, 'mx2.example.com': { a: [V4_2] } } }),
        expect: [{ says: ['No mail host of example.com has an IPv6 address', 'Publish AAAA records'] }] },
      { name: 'an IPv4-mapped AAAA is not IPv6', facts: oneMx({ a: [V4], aaaa: [`::ffff:${V4}`] }), expect: [{ says: ['IPv4-mapped ones do not count'] }] },
      { name: 'the implicit MX has only IPv4', facts: implicitMx({ a: [V4] }), expect: [{ says: ['No mail host of example.com'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'one of two exchanges has IPv6', facts: facts({ mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']], hosts: { 'mx1.example.com': { a: [V4] }, 'mx2.example.com': GOOD_2 } }) },
      { name: 'the AAAA lookup failed', facts: oneMx({ a: [V4], aaaa: failed('timeout') }) },
      { name: 'null MX: no mail hosts', facts: facts({ mx: [[0, '.']] }) },
      { name: 'no host has any address', facts: oneMx({ a: NXDOMAIN, aaaa: NXDOMAIN }) },
      { name: 'IPv6 only', facts: oneMx({ aaaa: [V6] }) },
    ],
  },

  'dns-lookup-failed': {
    severity: 'unknown',
    fires: [
      { name: 'the MX lookup got SERVFAIL', facts: facts({ mx: failed('servfail') }),
        expect: [{ says: ['MX example.com: SERVFAIL from 192.0.2.53:53', 'The check could not be completed', 'ask another server (--server)'] }] },
      { name: 'the MX lookup at the alias target timed out', facts: facts({ mx: via('mail.example.net', failed('timeout')) }),
        expect: [{ says: ['MX mail.example.net: no reply from 192.0.2.53:53'] }] },
      { name: "an exchange's A lookup timed out", facts: twoMx({ a: failed('timeout'), aaaa: [V6] }),
        expect: [{ target: 'mx1.example.com', says: ['A mx1.example.com: no reply from 192.0.2.53:53 after 3 tries', '--server'] }] },
      { name: 'both lookups of one exchange failed: one finding', facts: oneMx({ a: failed('refused'), aaaa: failed('malformed') }),
        expect: [{ target: 'mx1.example.com', says: ['A mx1.example.com: REFUSED from 192.0.2.53:53; AAAA mx1.example.com: malformed reply'] }] },
      { name: "the implicit MX's A lookup failed", facts: implicitMx({ a: failed('network'), aaaa: NODATA }),
        expect: [{ target: 'example.com', says: ['A example.com: send ENETUNREACH'] }] },
      { name: 'the CNAME chain at the domain is longer than mxlint follows', facts: facts({ mx: tooLong() }),
        expect: [{ says: ['MX example.com: the CNAME chain is longer than 8 aliases (example.com → hop1.chain.example'] }] },
      { name: "an exchange's CNAME chain is longer than mxlint follows", facts: oneMx({ a: tooLong(), aaaa: tooLong() }),
        expect: [{ target: 'mx1.example.com', says: ['A mx1.example.com: the CNAME chain is longer than 8 aliases'] }] },
    ],
    quiet: [
      { name: 'clean domain', facts: CLEAN },
      { name: 'NXDOMAIN is an answer, not a failure', facts: facts({ mx: NXDOMAIN }) },
      { name: 'NODATA everywhere is an answer', facts: implicitMx({}) },
    ],
  },
};

/** The finding as a whole says each fragment: in its message, its fix or its RFC. */
function assertSays(finding: Finding, fragments: string[]): void {
  const said = `${finding.message}\n${finding.fix}\n${finding.rfc}`;
  for (const fragment of fragments) assert.ok(said.toLowerCase().includes(fragment.toLowerCase()), `finding\n  ${said}\nshould say\n  ${fragment}`);
}

test('every rule in mxRules has cases here, and every case names a rule in mxRules', () => {
  assert.deepEqual(Object.keys(CASES).sort(), mxRules.map((r) => r.meta.id).sort());
});

for (const rule of mxRules) {
  const cases = CASES[rule.meta.id];
  if (cases === undefined) continue;
  describe(rule.meta.id, () => {
    test('has the severity of the contract', () => assert.equal(rule.meta.severity, cases.severity));
    for (const c of cases.fires) {
      test(`fires: ${c.name}`, () => {
        const found = rule.check(c.facts);
        assert.deepEqual(found.map((f) => f.target), c.expect.map((e) => e.target), 'one finding per expected target, in order');
        found.forEach((finding, i) => {
          assert.equal(finding.rule, rule.meta.id);
          assert.equal(finding.severity, cases.severity);
          assert.equal(finding.rfc, rule.meta.rfc);
          assertSays(finding, c.expect[i]!.says);
        });
      });
    }
    for (const c of cases.quiet) test(`quiet: ${c.name}`, () => assert.deepEqual(rule.check(c.facts), []));
  });
}

describe('a failed lookup is never reported as a missing record', () => {
  const MISSING = new Set(['mx-missing', 'mx-target-no-address', 'mx-target-ipv6-only', 'mx-implicit']);
  /** `alsoAbout`: findings about the host that do not depend on the failed lookup (and then the status they give). */
  const scenarios: { name: string; facts: MailFacts; host: string; alsoAbout?: string[]; status?: Status }[] = [
    { name: 'exchange: A timeout, AAAA NODATA', facts: oneMx({ a: failed('timeout'), aaaa: NODATA }), host: 'mx1.example.com' },
    { name: 'exchange: A NODATA, AAAA SERVFAIL', facts: oneMx({ a: NODATA, aaaa: failed('servfail') }), host: 'mx1.example.com' },
    { name: 'exchange: both malformed', facts: oneMx({ a: failed('malformed'), aaaa: failed('malformed') }), host: 'mx1.example.com' },
    { name: 'exchange alias: A timeout at the target, AAAA NODATA there', facts: oneMx({ a: via('mx.example.net', failed('timeout')), aaaa: via('mx.example.net', NODATA) }), host: 'mx1.example.com', alsoAbout: ['mx-target-cname'], status: 'fail' },
    { name: 'implicit MX: A timeout, AAAA NODATA', facts: implicitMx({ a: failed('timeout'), aaaa: NODATA }), host: 'example.com' },
    { name: 'implicit MX: A NODATA, AAAA REFUSED', facts: implicitMx({ a: NODATA, aaaa: failed('refused') }), host: 'example.com' },
  ];
  for (const s of scenarios) {
    test(s.name, () => {
      const findings = runRules(mxRules, s.facts);
      assert.deepEqual(findings.filter((f) => f.target === s.host).map((f) => f.rule), [...(s.alsoAbout ?? []), 'dns-lookup-failed']);
      assert.deepEqual(findings.filter((f) => MISSING.has(f.rule)), []);
      assert.equal(statusOf(findings), s.status ?? 'unknown');
    });
  }

  test('the other exchange is still judged: mx2 has no address, mx1 only failed', () => {
    const findings = runRules(mxRules, facts({
      mx: [[10, 'mx1.example.com'], [20, 'mx2.example.com']],
      hosts: { 'mx1.example.com': { a: failed('timeout'), aaaa: NODATA }, 'mx2.example.com': { a: NODATA, aaaa: NODATA } },
    }));
    assert.deepEqual(findings.map((f) => [f.rule, f.target]), [
      ['mx-target-no-address', 'mx2.example.com'],
      ['dns-lookup-failed', 'mx1.example.com'],
    ]);
    assert.equal(statusOf(findings), 'fail');
  });
});

describe('the MX rules together', () => {
  test('a clean domain has no findings and passes', () => {
    const findings = runRules(mxRules, CLEAN);
    assert.deepEqual(findings, []);
    assert.equal(statusOf(findings), 'pass');
  });

  test('findings come ordered by severity (error, unknown, warning, info), then rule, then target', () => {
    const findings = runRules(mxRules, facts({
      mx: via('mail.example.net', [
        [10, 'mx-b.example.com'], [20, 'mx-a.example.com'], [30, '192.0.2.1'], [40, 'mail.example.com.example.com'], [50, 'slow.example.com'],
      ]),
      hosts: {
        'mx-b.example.com': { a: ['10.0.0.2'], aaaa: [V6] },
        'mx-a.example.com': { a: ['10.0.0.1'], aaaa: [V6_2] },
        'mail.example.com.example.com': { a: NXDOMAIN, aaaa: NXDOMAIN },
        'slow.example.com': { a: failed('timeout'), aaaa: failed('timeout') },
      },
    }));
    assert.deepEqual(findings.map((f) => [f.severity, f.rule, f.target]), [
      ['error', 'mx-target-ip-literal', '192.0.2.1'],
      ['error', 'mx-target-no-address', 'mail.example.com.example.com'],
      ['error', 'mx-target-private-address', 'mx-a.example.com'],
      ['error', 'mx-target-private-address', 'mx-b.example.com'],
      ['unknown', 'dns-lookup-failed', 'slow.example.com'],
      ['warning', 'mx-target-missing-dot', 'mail.example.com.example.com'],
      ['info', 'mail-domain-alias', undefined],
    ]);
    assert.equal(statusOf(findings), 'fail');
  });

  test('null MX alone: only the null-mx note, and the domain passes', () => {
    const findings = runRules(mxRules, facts({ mx: [[0, '.']] }));
    assert.deepEqual(findings.map((f) => f.rule), ['null-mx']);
    assert.equal(statusOf(findings), 'pass');
  });

  test('null MX with preference 10: a warning beside the note', () => {
    const findings = runRules(mxRules, facts({ mx: [[10, '.']] }));
    assert.deepEqual(findings.map((f) => f.rule), ['null-mx-preference', 'null-mx']);
    assert.equal(statusOf(findings), 'warn');
  });

  test('NXDOMAIN through an alias: the error and the alias note, nothing about missing MX', () => {
    const findings = runRules(mxRules, facts({ mx: via('gone.example.net', NXDOMAIN) }));
    assert.deepEqual(findings.map((f) => f.rule), ['domain-nxdomain', 'mail-domain-alias']);
  });

  test('no MX and no address: mx-missing alone (no implicit MX, no IPv6 note)', () => {
    assert.deepEqual(runRules(mxRules, implicitMx({})).map((f) => f.rule), ['mx-missing']);
  });

  test('no MX but an address: mx-implicit, not mx-missing', () => {
    assert.deepEqual(runRules(mxRules, implicitMx({ a: [V4], aaaa: [V6] })).map((f) => f.rule), ['mx-implicit']);
  });

  test('an IPv6-only exchange beside a dual-stack one', () => {
    const findings = runRules(mxRules, twoMx({ a: NODATA, aaaa: [V6] }));
    assert.deepEqual(findings.map((f) => [f.rule, f.target]), [['mx-target-ipv6-only', 'mx1.example.com']]);
  });
});

describe('compareFindings', () => {
  const finding = (severity: Severity, rule: string, target?: string): Finding =>
    ({ rule, messageId: 'test', fix: 'fix it', severity, message: '', rfc: '', ...(target === undefined ? {} : { target }) });

  test('sorts a shuffled list into severity, rule, target order; no target first', () => {
    const sorted = [
      finding('error', 'a-rule', 'b.example'),
      finding('error', 'b-rule'),
      finding('error', 'b-rule', 'a.example'),
      finding('unknown', 'a-rule'),
      finding('warning', 'a-rule'),
      finding('info', 'a-rule', 'a.example'),
      finding('info', 'a-rule', 'b.example'),
    ];
    const shuffled = [sorted[5]!, sorted[3]!, sorted[2]!, sorted[6]!, sorted[0]!, sorted[4]!, sorted[1]!];
    assert.deepEqual([...shuffled].sort(compareFindings), sorted);
  });

  test('compares text by code unit, not by locale', () => {
    assert.ok(compareFindings(finding('error', 'x', 'Z.example'), finding('error', 'x', 'a.example')) < 0);
    assert.equal(compareFindings(finding('info', 'x', 'a'), finding('info', 'x', 'a')), 0);
  });
});

describe('the rule catalog', () => {
  test('lists domain-invalid, every family\'s rules in family order (the MX rules first), the profiles\' rules, the zone-file rules, the authoritative ones, then the postfix ones; each id once', () => {
    const ids = rules.map((r) => r.id);
    assert.deepEqual(ids, [
      'domain-invalid', ...FAMILIES.flatMap((family) => family.rules.map((r) => r.id)), ...profileRuleCatalog.map((r) => r.id),
      ...zoneRuleCatalog.map((r) => r.id), ...authoritativeRuleCatalog.map((r) => r.id), ...postfixRuleCatalog.map((r) => r.id),
    ]);
    assert.deepEqual(ids.slice(1, 1 + mxRules.length), mxRules.map((r) => r.meta.id));
    assert.equal(mxRules.length, 18);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('every rule has a summary, an RFC (or, for a Postfix setting, its postconf(5) entry; for BIMI, which has none yet, its Internet-Drafts), a fix and the family it is listed under', () => {
    const reference = (r: RuleMeta): boolean => r.rfc.startsWith('RFC ') || (r.family === 'postfix' && r.rfc.startsWith('http://www.postfix.org/postconf.5.html'))
      || (r.family === 'bimi' && r.rfc.startsWith('draft-'));
    for (const r of rules) assert.ok(r.summary.length > 0 && reference(r) && r.fix.length > 0, r.id);
    for (const family of FAMILIES) {
      for (const r of family.rules) assert.equal(r.family, family.name, r.id);
    }
    for (const r of mxRules) assert.equal(r.meta.family, 'mx');
    assert.equal(domainInvalid.family, 'mx');
    assert.deepEqual(new Set(profileRuleCatalog.map((r) => r.family)), new Set(['profile']));
    assert.deepEqual(new Set(zoneRuleCatalog.map((r) => r.family)), new Set(['zone']));
    assert.deepEqual(new Set(authoritativeRuleCatalog.map((r) => r.family)), new Set(['authoritative']));
    assert.deepEqual(new Set(postfixRuleCatalog.map((r) => r.family)), new Set(['postfix']));
  });
});

describe('status', () => {
  const of = (...severities: Severity[]): Finding[] => severities.map((severity) => ({ rule: 'r', messageId: 'test', fix: 'fix it', severity, message: '', rfc: '' }));
  const cases: [Finding[], Status][] = [
    [of(), 'pass'],
    [of('info', 'info'), 'pass'],
    [of('info', 'warning'), 'warn'],
    [of('warning', 'unknown', 'info'), 'unknown'],
    [of('unknown', 'error'), 'fail'],
    [of('error', 'warning'), 'fail'],
  ];
  for (const [findings, status] of cases) {
    test(`statusOf [${findings.map((f) => f.severity).join(', ')}] is ${status}`, () => assert.equal(statusOf(findings), status));
  }

  const worst: [Status[], Status][] = [
    [[], 'pass'],
    [['pass', 'pass'], 'pass'],
    [['pass', 'warn'], 'warn'],
    [['warn', 'unknown', 'pass'], 'unknown'],
    [['unknown', 'fail', 'warn'], 'fail'],
    [['fail', 'unknown'], 'fail'],
  ];
  for (const [statuses, status] of worst) {
    test(`worstStatus [${statuses.join(', ')}] is ${status}`, () => assert.equal(worstStatus(statuses), status));
  }

  test('worstStatus takes any iterable', () => {
    assert.equal(worstStatus(new Set<Status>(['warn', 'pass']).values()), 'warn');
  });

  test('EXIT_CODES follow the Nagios convention', () => {
    assert.deepEqual(EXIT_CODES, { pass: 0, warn: 1, fail: 2, unknown: 3 });
  });
});

describe('the fact builders match what collectMailFacts gathers', () => {
  /**
   * A resolver stub answering from `records` like a server that does not chase aliases: a CNAME at
   * the name comes back alone. Names with no record at all are NXDOMAIN; `failures` fail.
   */
  function stubResolver(records: DnsRecord[], failures: LookupFailure[] = []): Resolver {
    const lookup = async (name: string, type: string): Promise<Lookup> => {
      const failure = failures.find((f) => f.question.name === name && f.question.type === type);
      if (failure) return failure;
      const at = records.filter((r) => r.name === name);
      const alias = at.filter((r) => r.type === 'CNAME');
      return {
        ok: true, question: { name, type }, rcode: at.length === 0 ? 'NXDOMAIN' : 'NOERROR',
        answers: alias.length > 0 ? alias : at.filter((r) => r.type === type), authorities: [], additionals: [],
        flags: { aa: false, tc: false, rd: true, ra: true, ad: false, cd: false }, extendedErrors: [],
        server: FAKE_SERVER, transport: 'udp', durationMs: 1,
      };
    };
    return { lookup } as unknown as Resolver;
  }
  const rr = {
    mx: (name: string, preference: number, exchange: string): DnsRecord => ({ name, type: 'MX', ttl: TTL, data: { preference, exchange } }),
    a: (name: string, data: string): DnsRecord => ({ name, type: 'A', ttl: TTL, data }),
    aaaa: (name: string, data: string): DnsRecord => ({ name, type: 'AAAA', ttl: TTL, data }),
    cname: (name: string, data: string): DnsRecord => ({ name, type: 'CNAME', ttl: TTL, data }),
    txt: (name: string): DnsRecord => ({ name, type: 'TXT', ttl: TTL, data: [Buffer.from('v=spf1 -all')] }),
  };

  test('alias at the domain, an aliased exchange, a missing one, an IP literal and a failure', async () => {
    const records = [
      rr.cname('example.com', 'mail.example.net'),
      rr.mx('mail.example.net', 10, 'mx1.example.com'), rr.mx('mail.example.net', 20, 'mx2.example.com'),
      rr.mx('mail.example.net', 30, 'gone.example.com'), rr.mx('mail.example.net', 40, '192.0.2.1'),
      rr.mx('mail.example.net', 50, 'slow.example.com'), rr.mx('mail.example.net', 60, 'mx1.example.com'),
      rr.a('mx1.example.com', V4), rr.aaaa('mx1.example.com', V6),
      rr.cname('mx2.example.com', 'mx2.provider.net'), rr.a('mx2.provider.net', V4_2),
      rr.aaaa('slow.example.com', V6_2),
    ];
    const collected = await collectMailFacts(stubResolver(records, [lookupFailure('slow.example.com', 'A', 'timeout')]), 'example.com');
    assert.deepEqual(collected, facts({
      mx: via('mail.example.net', [[10, 'mx1.example.com'], [20, 'mx2.example.com'], [30, 'gone.example.com'], [40, '192.0.2.1'], [50, 'slow.example.com'], [60, 'mx1.example.com']]),
      hosts: {
        'mx1.example.com': GOOD,
        'mx2.example.com': { a: via('mx2.provider.net', [V4_2]), aaaa: via('mx2.provider.net', NODATA) },
        'gone.example.com': { a: NXDOMAIN, aaaa: NXDOMAIN },
        'slow.example.com': { a: failed('timeout'), aaaa: [V6_2] },
      },
    }));
  });

  test('no MX: the implicit host of the alias target', async () => {
    const records = [rr.cname('example.com', 'www.example.net'), rr.a('www.example.net', V4), rr.txt('www.example.net')];
    assert.deepEqual(await collectMailFacts(stubResolver(records), 'example.com'), facts({ mx: via('www.example.net', NODATA), implicit: { a: [V4] } }));
  });

  test('a loop at the domain', async () => {
    const records = [rr.cname('example.com', 'a.example.net'), rr.cname('a.example.net', 'example.com')];
    assert.deepEqual(await collectMailFacts(stubResolver(records), 'example.com'), facts({ mx: loop('a.example.net', 'example.com') }));
  });
});
