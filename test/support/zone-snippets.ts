/**
 * One-line zone entries that are wrong, each put on line 5 of a small zone (after SNIPPET_HEAD, with a
 * good record after it): mxlint reports each on its line, BIND refuses each there, and NSD and Knot
 * are held to the same list in their own cross-checks.
 */

/** Snippets BIND refuses, and the line of the first problem both must report (5 is the snippet's line). */
export const REFUSED_SNIPPETS: [snippet: string, line: number][] = [
  ['a A 127.1', 5],
  ['a A 192.0.2.1 extra', 5],
  ['a MX 70000 mx', 5],
  ['a MX mx1', 5],
  ['a..b A 192.0.2.1', 5],
  ['a TXT "unterminated', 5],
  ['a TLSA 3 1 1 abc', 5],
  ['a CH A 192.0.2.1', 5],
  ['a TYPE65280 \\# 4 abcdef', 5],
  ['a FOO 1', 5],
  ['a A ( 192.0.2.1', 5],
  ['a A 192.0.2.1 )', 5],
  ['$INCLUDE missing.inc', 5],
  ['a SRV 0 0 65536 x', 5],
  [`${'a'.repeat(64)} A 192.0.2.1`, 5],
  ['@ MX 10 a\\256', 5],
  ['a AAAA fe80::1%eth0', 5],
  ['a TYPE65280 abc', 5],
  ['$FOO', 5],
  ['a 1 2 A 192.0.2.1', 5],
  ['a CAA 0 is-sue "x"', 5],
  ['a SOA ns1 host 4294967296 1 2 3 4', 5],
  ['a IN TYPE0 \\# 0', 5],
  ['a MX 10 .b', 5],
];

export const SNIPPET_HEAD = '$TTL 1\n@ SOA ns1 host 1 2 3 4 5\n NS ns1\nns1 A 192.0.2.2\n';
