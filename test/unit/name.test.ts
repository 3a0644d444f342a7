/**
 * Unit tests of domain-name handling: what a user may type as a domain, host-name syntax, IP literals
 * written where a name belongs, and the canonical form names are kept in.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import {
  canonicalName, hostnameProblem, isIpLiteral, nameLabels, isSubdomainOf, MAX_LABEL_LENGTH, MAX_NAME_LENGTH, namesEqual, parseDomainInput,
} from '../../src/dns/name.js';

const LABEL_63 = 'a'.repeat(63);
const LABEL_64 = 'a'.repeat(64);
/** 63+1+63+1+63+1+61 = 253 characters: the longest name allowed. */
const NAME_253 = [LABEL_63, LABEL_63, LABEL_63, 'b'.repeat(61)].join('.');
const NAME_254 = [LABEL_63, LABEL_63, LABEL_63, 'b'.repeat(62)].join('.');

const short = (text: string): string => (text.length > 40 ? `${text.slice(0, 12)}…(${text.length} chars)` : text);

describe('parseDomainInput accepts', () => {
  const cases: [input: string, name: string][] = [
    ['example.com', 'example.com'],
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['  example.com\t', 'example.com'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['BÜCHER.de', 'xn--bcher-kva.de'],
    ['xn--bcher-kva.de', 'xn--bcher-kva.de'],
    ['mail-01.sub.example.org', 'mail-01.sub.example.org'],
    ['com', 'com'],
    [`${LABEL_63}.com`, `${LABEL_63}.com`],
    [NAME_253, NAME_253],
    [`${NAME_253}.`, NAME_253],
  ];
  for (const [input, name] of cases) {
    test(`${JSON.stringify(short(input))} as ${short(name)}`, () => assert.deepEqual(parseDomainInput(input), { valid: true, name }));
  }
});

describe('parseDomainInput reads a plain name as domainToASCII would', () => {
  // Plain letter-digit-hyphen names skip domainToASCII; every name here must come out as it would
  // through it, whichever path it takes (A-labels, digits and 0x in the last label, a Kelvin sign).
  const names = ['Shop-1.C01.bench', 'a--b.example', '-lead.example', 'x.xn--bcher-kva.de', 'XN--BCHER-KVA.de', 'a.b1', 'a.0x1g', 'a.1b',
    '9.example.com', 'mail.\u212Aelvin.example', 'straße.example', `${LABEL_64}.example`];
  for (const name of names) {
    test(JSON.stringify(short(name)), () => {
      const parsed = parseDomainInput(name);
      const ascii = domainToASCII(name);
      if (parsed.valid) assert.equal(parsed.name, ascii);
      else assert.ok(ascii === '' || hostnameProblem(ascii) !== null || /^[\d.]+$/.test(ascii.slice(ascii.lastIndexOf('.') + 1)), parsed.reason);
    });
  }
});

describe('parseDomainInput refuses, with the reason', () => {
  const cases: [input: string, reason: string][] = [
    ['', 'the domain is empty'],
    ['   ', 'the domain is empty'],
    ['exa mple.com', 'a domain name cannot contain spaces'],
    ['example.com extra', 'a domain name cannot contain spaces'],
    ['https://example.com', 'this is a URL'],
    ['HTTP://example.com/', 'this is a URL'],
    ['mailto:user@example.com', 'this is an e-mail address (the domain is the part after "@")'],
    ['user@example.com', 'this is an e-mail address (the domain is the part after "@")'],
    ['192.0.2.1', 'this is an IP address, not a domain name'],
    ['192.0.2.1.', 'this is an IP address, not a domain name'],
    ['2001:db8::1', 'this is an IP address, not a domain name'],
    ['::1', 'this is an IP address, not a domain name'],
    ['[::1]', 'this is an IP address, not a domain name'],
    ['example.com:25', 'a domain name cannot carry a port'],
    ['example.com:', 'a domain name cannot carry a port'],
    ['example.com/mx', 'a domain name cannot contain "/"'],
    ['.', 'the name has an empty label'],
    ['a..b', 'the name has an empty label'],
    ['.example.com', 'the name has an empty label'],
    [`${LABEL_64}.com`, `label "${LABEL_64}" is longer than 63 characters`],
    [NAME_254, 'the name is longer than 253 characters'],
    ['_dmarc.example.com', 'label "_dmarc" contains an underscore'],
    ['-mail.example.com', 'label "-mail" is not letters, digits and interior hyphens'],
    ['mail-.example.com', 'label "mail-" is not letters, digits and interior hyphens'],
    ['*', 'label "*" is not letters, digits and interior hyphens'],
    ['*.example.com', 'label "*" is not letters, digits and interior hyphens'],
  ];
  for (const [input, reason] of cases) {
    test(`${JSON.stringify(short(input))}: ${reason}`, () => assert.deepEqual(parseDomainInput(input), { valid: false, reason }));
  }
});

describe('parseDomainInput never turns what was typed into another name', () => {
  // domainToASCII applies the WHATWG host parser, which reads "127.1", "0x7f.0.0.1" and "1234" as IPv4
  // addresses in shorthand and returns them as dotted quads, and which percent-decodes: the input
  // then passes hostnameProblem (digits are valid labels) and a different name than typed is queried.
  const cases: [input: string, rewrittenTo: string][] = [
    ['127.1', '127.0.0.1'],
    ['0x7f.0.0.1', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['1234', '0.0.4.210'],
    ['ex%41mple.com', 'example.com'],
  ];
  for (const [input, rewrittenTo] of cases) {
    test(`${input} is refused, not checked as ${rewrittenTo}`, () => {
      assert.equal(parseDomainInput(input).valid, false);
    });
  }
});

describe('hostnameProblem', () => {
  const cases: [name: string, problem: string | null][] = [
    ['example.com', null],
    ['mx-01.example.com', null],
    ['192-0-2-1.example.com', null],
    ['0.example.com', null],
    ['xn--bcher-kva.de', null],
    [NAME_253, null],
    ['', 'the name is empty'],
    ['.', 'the name is empty'],
    [NAME_254, 'the name is longer than 253 characters'],
    ['a..example.com', 'it has an empty label'],
    ['example.com.', 'it has an empty label'],
    [`${LABEL_64}.example.com`, `label "${LABEL_64}" is longer than 63 characters`],
    ['mail_server.example.com', 'label "mail_server" contains an underscore'],
    ['-mx.example.com', 'label "-mx" is not letters, digits and interior hyphens'],
    ['mx-.example.com', 'label "mx-" is not letters, digits and interior hyphens'],
    ['mx 1.example.com', 'label "mx 1" is not letters, digits and interior hyphens'],
    ['*.example.com', 'label "*" is not letters, digits and interior hyphens'],
    ['bücher.de', 'label "bücher" is not letters, digits and interior hyphens'],
    // A "." inside a label, as read from the wire (RFC 2181 §11): one label, not two.
    ['mx\\.1.example', 'label "mx\\.1" contains a "." (written \\.), which no host name can hold'],
    ['mx\\\\1.example', 'label "mx\\\\1" is not letters, digits and interior hyphens'],
  ];
  for (const [name, problem] of cases) {
    test(`${JSON.stringify(short(name))}: ${problem ?? 'a valid host name'}`, () => assert.equal(hostnameProblem(name), problem));
  }

  test('the limits are those of RFC 1035', () => {
    assert.equal(MAX_LABEL_LENGTH, 63);
    assert.equal(MAX_NAME_LENGTH, 253);
  });
});

describe('nameLabels', () => {
  const cases: [name: string, labels: string[]][] = [
    ['mail.example.com', ['mail', 'example', 'com']],
    ['mx\\.1.example', ['mx\\.1', 'example']],
    ['a\\\\.b', ['a\\\\', 'b']],
    ['x\\032y.example', ['x\\032y', 'example']],
  ];
  for (const [name, labels] of cases) test(`${name}: ${labels.join(' | ')}`, () => assert.deepEqual(nameLabels(name), labels));
});

describe('isIpLiteral', () => {
  const cases: [text: string, literal: boolean][] = [
    ['192.0.2.1', true],
    ['192.0.2.1.', true],
    ['2001:db8::25', true],
    ['::1', true],
    ['[::1]', true],
    ['[2001:db8::25]', true],
    ['[192.0.2.1]', true],
    ['::ffff:192.0.2.1', true],
    ['127.1', false],
    ['192.0.2', false],
    ['192.0.2.256', false],
    ['192.0.2.1.example.com', false],
    ['mail.example.com', false],
    ['[mail.example.com]', false],
    ['[::1', false],
    ['', false],
  ];
  for (const [text, literal] of cases) {
    test(`${JSON.stringify(text)}: ${literal}`, () => assert.equal(isIpLiteral(text), literal));
  }
});

describe('canonicalName and namesEqual', () => {
  const cases: [name: string, canonical: string][] = [
    ['Example.COM.', 'example.com'],
    ['example.com', 'example.com'],
    ['MX1.Example.Com', 'mx1.example.com'],
    ['.', '.'],
    ['', '.'],
    ['xn--BCHER-kva.de.', 'xn--bcher-kva.de'],
  ];
  for (const [name, canonical] of cases) {
    test(`${JSON.stringify(name)} → ${JSON.stringify(canonical)}`, () => assert.equal(canonicalName(name), canonical));
  }

  test('namesEqual ignores case and the trailing dot, and nothing else', () => {
    assert.equal(namesEqual('Example.COM.', 'example.com'), true);
    assert.equal(namesEqual('.', ''), true);
    assert.equal(namesEqual('example.com', 'example.co'), false);
    assert.equal(namesEqual('mail.example.com', 'example.com'), false);
  });
});

describe('isSubdomainOf', () => {
  const cases: [name: string, ancestor: string, below: boolean][] = [
    ['mail.example.com', 'example.com', true],
    ['a.b.example.com', 'example.com', true],
    ['example.com', 'example.com', true],
    ['Mail.Example.COM.', 'example.com.', true],
    ['example.com', '.', true],
    ['example.com', '', true],
    ['badexample.com', 'example.com', false],
    ['example.com', 'mail.example.com', false],
    ['example.com.evil.net', 'example.com', false],
    ['example.org', 'example.com', false],
  ];
  for (const [name, ancestor, below] of cases) {
    test(`${name} ${below ? 'is' : 'is not'} at or below ${JSON.stringify(ancestor)}`, () => assert.equal(isSubdomainOf(name, ancestor), below));
  }
});
