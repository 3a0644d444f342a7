import { defineRule } from '../../core/rule.js';
import type { Severity } from '../../core/finding.js';
import { formatHostPort } from '../../net/host-port.js';
import { describeStop } from '../../smtp/tls-scan.js';
import { TLS_VERSIONS } from '../../tls/cipher-suites.js';
import type { TlsVersion } from '../../tls/cipher-suites.js';
import { gradeAddress } from './grade.js';
import type { GradedCertificate, Scanned } from './grade.js';
import type { TlsQualityFacts } from './collect.js';
import { countedNames } from '../common/names.js';
import { tierLevel } from './profiles.js';
import type { Level, TlsProfile } from './profiles.js';

/** Rules about the TLS each exchange address accepts and presents, graded against the chosen profile. */

/** A finding's severity from the profile's level: insufficient is a warning, phase out informational. */
const SEVERITY: Partial<Record<Level, Severity>> = { insufficient: 'warning', 'phase-out': 'info' };
const GRADED_SEVERITIES = { warning: 'the profile rates it insufficient', info: 'the profile rates it phase out' } as const;

const LEVEL_WORDS: Record<Level, string> = { good: 'good', sufficient: 'sufficient', 'phase-out': 'phase out', insufficient: 'insufficient' };

export const VERSION_NAMES: Record<TlsVersion, string> = { 'TLSv1.3': 'TLS 1.3', 'TLSv1.2': 'TLS 1.2', 'TLSv1.1': 'TLS 1.1', 'TLSv1': 'TLS 1.0' };

function scanned(facts: TlsQualityFacts): Scanned[] {
  return facts.addresses.filter((a): a is Scanned => a.state === 'scanned');
}

/** "mx1.example.com (192.0.2.25 port 25)", and where the connection really went if redirected. */
function where(address: Scanned, port: number): string {
  const redirected = address.target.via ? `, connected to ${formatHostPort(address.target.host, address.target.port)} by --connect-to` : '';
  return `${address.exchange} (${address.address} port ${port}${redirected})`;
}

/** Items of the levels that make findings, grouped by level (insufficient first). */
function byLevel<T extends { level: Level }>(items: readonly T[]): [Level, T[]][] {
  return (['insufficient', 'phase-out'] as const).flatMap((level): [Level, T[]][] => {
    const found = items.filter((item) => item.level === level);
    return found.length > 0 ? [[level, found]] : [];
  });
}

function graded(facts: TlsQualityFacts) {
  return scanned(facts).map((address) => ({ address, grade: gradeAddress(facts.profile, address), server: where(address, facts.port) }));
}

/** The oldest version the profile rates good or sufficient: what a server should accept at least. */
function lowestAcceptable(profile: TlsProfile): string {
  const fine = TLS_VERSIONS.filter((v) => ['good', 'sufficient'].includes(tierLevel(profile.versions, v)));
  return fine.at(-1) ?? 'TLSv1.3';
}

export const tlsScanIncomplete = defineRule({
  id: 'tls-scan-incomplete', family: 'tls', severity: 'unknown', rfc: 'RFC 3207',
  summary: "an exchange address's TLS was not scanned, or not to the end: its lookup failed, it is not globally routable, a connection failed, the handshake limit or the check's deadline was reached",
  fix: 'fix what stopped the scan (a failed lookup, an unreachable server), or give it more time with --deadline, then check again',
  messages: {
    lookupFailed: {
      message: 'The addresses of {{exchange}} could not be looked up ({{failure}}), so their TLS was not scanned.',
      fix: 'fix the lookup, then check again',
    },
    notRoutable: {
      message: "{{exchange}} was not scanned at {{address}}: {{reason}}. mxlint does not connect to internal networks on a zone's word.",
      fix: 'add --allow-private to scan it on purpose, or --connect-to to scan another address',
    },
    notStarted: 'The TLS scan of {{server}} could not start: {{stop}}. Its TLS is unknown.',
    cutShort: 'The TLS scan of {{server}} stopped after {{handshakes}} handshakes: {{stop}}. What it found stands; {{untested}} not tested.',
  },
}, (facts: TlsQualityFacts, report) => [
  ...facts.unresolved.map(({ name, failure }) => report('lookupFailed', { exchange: name, failure: failure.message }, { target: name })),
  ...facts.addresses.flatMap((a) => (a.state !== 'skipped' ? [] : [report('notRoutable', { exchange: a.exchange, address: a.address, reason: a.reason }, { target: a.exchange })])),
  ...scanned(facts).flatMap((address) => {
    const { scan } = address;
    if (scan.stopped === null) return [];
    const server = where(address, facts.port);
    const stop = describeStop(scan.stopped);
    if (scan.starttls === null) return [report('notStarted', { server, stop }, { target: address.exchange })];
    const versions = scan.versions.filter((t) => t.state === 'not-tested' && t.reason === stop).map((t) => VERSION_NAMES[t.version]);
    const suites = scan.suites.filter((t) => t.state === 'not-tested' && t.reason === stop).length;
    const parts = [...(versions.length > 0 ? [`${versions.join(', ')} ${versions.length === 1 ? 'was' : 'were'}`] : []),
      ...(suites > 0 ? [`${suites} cipher ${suites === 1 ? 'suite was' : 'suites were'}`] : [])];
    return [report('cutShort', { server, handshakes: scan.handshakes, stop, untested: parts.length > 0 ? parts.join(' and ') : 'the rest was' }, { target: address.exchange })];
  }),
]);

export const tlsUnavailable = defineRule({
  id: 'tls-unavailable', family: 'tls', severity: 'warning', rfc: 'RFC 3207, RFC 9325 §3.1.1',
  summary: 'an exchange address has no TLS to grade: it offers no STARTTLS, or refuses every TLS version',
  fix: 'enable STARTTLS with TLS 1.2 and 1.3 and a certificate for the exchange name',
  messages: {
    noStarttls: '{{server}} does not offer STARTTLS: it has no TLS to grade, and mail to it crosses the network in clear text.',
    noVersion: {
      message: '{{server}} offers STARTTLS but refused every TLS version mxlint offered ({{versions}}): {{reason}}.',
      fix: 'make the server accept TLS 1.2 and 1.3 (Postfix: smtpd_tls_protocols = >=TLSv1.2, and a readable key and certificate)',
    },
  },
}, (facts: TlsQualityFacts, report) => scanned(facts).flatMap((address) => {
  const { scan } = address;
  const server = where(address, facts.port);
  if (scan.starttls === false) return [report('noStarttls', { server }, { target: address.exchange })];
  const refused = scan.versions.filter((t) => t.state === 'refused');
  if (scan.stopped !== null || refused.length === 0 || scan.versions.some((t) => t.state === 'accepted')) return [];
  return [report('noVersion', { server, versions: refused.map((t) => VERSION_NAMES[t.version]).join(', '), reason: refused[0]!.reason ?? 'refused' }, { target: address.exchange })];
}));

export const tlsProtocolWeak = defineRule({
  id: 'tls-protocol-weak', family: 'tls', severity: 'warning', severities: GRADED_SEVERITIES, rfc: 'RFC 8996, RFC 9325 §3.1.1',
  summary: 'an exchange address accepts a TLS version the profile rates insufficient (warning) or phase out (info), e.g. TLS 1.0 or 1.1',
  fix: 'accept only the versions the profile rates good or sufficient (Postfix: smtpd_tls_protocols = >=TLSv1.2)',
  messages: {
    weak: {
      message: '{{server}} accepts {{versions}}, which the {{profile}} profile rates {{level}}.',
      fix: 'accept {{lowest}} and newer only (Postfix: smtpd_tls_protocols = >={{lowest}})',
    },
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => byLevel(grade.versions).map(([level, versions]) => report('weak', {
  server, versions: versions.map((v) => VERSION_NAMES[v.version]).join(', '), profile: facts.profile.label, level: LEVEL_WORDS[level],
  lowest: lowestAcceptable(facts.profile),
}, { target: address.exchange, severity: SEVERITY[level]! }))));

export const tlsCipherWeak = defineRule({
  id: 'tls-cipher-weak', family: 'tls', severity: 'warning', severities: GRADED_SEVERITIES, rfc: 'RFC 9325 §4.1, §4.2',
  summary: 'an exchange address accepts cipher suites the profile rates insufficient (warning) or phase out (info): no forward secrecy, CBC, SHA-1, anonymous, NULL …',
  fix: "remove them from the server's cipher list (Postfix: smtpd_tls_exclude_ciphers, or smtpd_tls_ciphers = high with tls_high_cipherlist)",
  messages: {
    weak: '{{server}} accepts {{count}} cipher {{suiteWord}} the {{profile}} profile rates {{level}}: {{suites}}.',
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => byLevel(grade.suites).map(([level, suites]) => {
  const unique = [...new Set(suites.map((s) => s.suite))];
  return report('weak', {
    server, count: unique.length, suiteWord: unique.length === 1 ? 'suite' : 'suites', profile: facts.profile.label, level: LEVEL_WORDS[level], suites: countedNames(unique),
  }, { target: address.exchange, severity: SEVERITY[level]! });
})));

export const tlsOrderNotEnforced = defineRule({
  id: 'tls-order-not-enforced', family: 'tls', severity: 'warning', rfc: 'RFC 9325 §4.2.1',
  summary: 'the profile wants the server to prefer its stronger suites (ncsc), and the server takes what the client offers first, or prefers a weaker suite',
  fix: 'make the server choose by its own order, strongest first (Postfix: tls_preempt_cipherlist = yes)',
  messages: {
    notEnforced: '{{server}} lets the client choose in {{version}}: offered {{lower}} ({{lowerLevel}}) before {{higher}} ({{higherLevel}}), it took {{lower}}; the {{profile}} profile wants the server to prefer the stronger suite.',
    prefersLower: {
      message: '{{server}} prefers {{lower}} ({{lowerLevel}}) over {{higher}} ({{higherLevel}}) in {{version}}, whichever the client offers first; the {{profile}} profile wants the stronger suite preferred.',
      fix: "order the server's cipher list strongest first (Postfix: tls_preempt_cipherlist = yes with the default cipher lists)",
    },
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => {
  const order = grade.order;
  if (order === null) return [];
  const data = {
    server, version: VERSION_NAMES[order.version], lower: order.lower, higher: order.higher,
    lowerLevel: LEVEL_WORDS[order.lowerLevel], higherLevel: LEVEL_WORDS[order.higherLevel], profile: facts.profile.label,
  };
  return [report(order.kind === 'not-enforced' ? 'notEnforced' : 'prefersLower', data, { target: address.exchange })];
}));

export const tlsKeyExchangeWeak = defineRule({
  id: 'tls-key-exchange-weak', family: 'tls', severity: 'warning', severities: GRADED_SEVERITIES, rfc: 'RFC 9325 §4.5, RFC 9155',
  summary: 'an exchange address accepts key exchange parameters the profile rates insufficient (warning) or phase out (info): a weak or unlisted group, a small DH prime, SHA-1 signatures',
  fix: 'offer ECDHE with X25519, P-256 or P-384 (Postfix: tls_eecdh_auto_curves), DH primes of the size the profile asks, and no SHA-1 signatures',
  messages: {
    groups: {
      message: '{{server}} accepts key exchange groups the {{profile}} profile rates {{level}}: {{groups}}.',
      fix: 'offer only the groups the profile rates good (Postfix: tls_eecdh_auto_curves = X25519 prime256v1 secp384r1, and tls_ffdhe_auto_groups)',
    },
    dhe: {
      message: '{{server}} uses a {{bits}}-bit finite-field Diffie-Hellman prime with {{suites}}, which the {{profile}} profile rates {{level}}.',
      fix: 'use a larger prime (Postfix: smtpd_tls_dh1024_param_file with 2048 or 3072 bits), or offer ECDHE suites only',
    },
    sha1: {
      message: '{{server}} signs its TLS 1.2 key exchange with SHA-1 when the client offers nothing better, which the {{profile}} profile rates {{level}}.',
      fix: 'let the server sign with SHA-256 or better only (OpenSSL security level 2 or its SignatureAlgorithms setting)',
    },
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => {
  const profile = facts.profile.label;
  const place = (level: Level) => ({ target: address.exchange, severity: SEVERITY[level]! });
  const groups = byLevel(grade.groups).map(([level, found]) => report('groups', { server, profile, level: LEVEL_WORDS[level], groups: countedNames(found.map((g) => g.group)) }, place(level)));
  const dhe = byLevel(grade.dhe).flatMap(([level, found]) => [...new Set(found.map((d) => d.bits))].map((bits) => report('dhe', {
    server, bits, profile, level: LEVEL_WORDS[level], suites: countedNames(found.filter((d) => d.bits === bits).map((d) => d.suite)),
  }, place(level))));
  const sha1 = grade.sha1 !== null && SEVERITY[grade.sha1] ? [report('sha1', { server, profile, level: LEVEL_WORDS[grade.sha1] }, place(grade.sha1))] : [];
  return [...groups, ...dhe, ...sha1];
}));

function describeKey(certificate: GradedCertificate): string {
  const { keyType, keyBits, curve } = certificate.profile;
  if (keyType === 'ec') return `EC ${curve ?? 'unknown curve'}`;
  if (keyType === 'ed25519' || keyType === 'ed448') return keyType === 'ed25519' ? 'Ed25519' : 'Ed448';
  return `${keyType.toUpperCase()} ${keyBits ?? '?'}-bit`;
}

function role(certificate: GradedCertificate): string {
  return certificate.position === 0 ? 'server certificate' : 'intermediate certificate';
}

export const tlsKeyWeak = defineRule({
  id: 'tls-key-weak', family: 'tls', severity: 'warning', severities: GRADED_SEVERITIES, rfc: 'RFC 9325 §4.5',
  summary: 'a certificate the exchange presents has a key the profile rates insufficient (warning) or phase out (info): RSA below 2048 bits, a weak curve, or a type the profile does not list',
  fix: 'issue a new certificate with an ECDSA P-256 key, or an RSA key of 2048 bits or more (3072 for ncsc "good")',
  messages: {
    weak: 'The {{role}} "{{subject}}" presented by {{server}} has a {{key}} key, which the {{profile}} profile rates {{level}}.',
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => uniqueCertificates(grade.certificates)
  .filter((c) => c.keyLevel !== null && SEVERITY[c.keyLevel] !== undefined)
  .map((c) => report('weak', {
    role: role(c), subject: c.certificate.subject, server, key: describeKey(c), profile: facts.profile.label, level: LEVEL_WORDS[c.keyLevel!],
  }, { target: address.exchange, severity: SEVERITY[c.keyLevel!]! }))));

export const tlsSignatureWeak = defineRule({
  id: 'tls-signature-weak', family: 'tls', severity: 'warning', severities: GRADED_SEVERITIES, rfc: 'RFC 9325 §4.5, RFC 9155',
  summary: 'a certificate the exchange presents is signed with an algorithm the profile rates insufficient (warning) or phase out (info), e.g. SHA-1; not judged where DANE-EE matches',
  fix: 'have the certificate reissued, signed with SHA-256 or stronger',
  messages: {
    weak: 'The {{role}} "{{subject}}" presented by {{server}} is signed with {{algorithm}}, which the {{profile}} profile rates {{level}}.',
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => uniqueCertificates(grade.certificates)
  .filter((c) => c.signatureLevel !== null && SEVERITY[c.signatureLevel] !== undefined)
  .map((c) => report('weak', {
    role: role(c), subject: c.certificate.subject, server, algorithm: c.profile.signatureAlgorithm, profile: facts.profile.label, level: LEVEL_WORDS[c.signatureLevel!],
  }, { target: address.exchange, severity: SEVERITY[c.signatureLevel!]! }))));

/** A certificate in two chains (an intermediate shared by the RSA and the ECDSA chain) is judged once. */
function uniqueCertificates(certificates: readonly GradedCertificate[]): GradedCertificate[] {
  const seen = new Set<string>();
  return certificates.filter((c) => {
    const key = Buffer.from(c.certificate.der).toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const tlsChainIncomplete = defineRule({
  id: 'tls-chain-incomplete', family: 'tls', severity: 'warning', severities: {
    warning: 'an issuer is missing', info: 'an issuer is missing, but an authenticated DANE-EE record matches the server certificate',
  }, rfc: 'RFC 8446 §4.4.2, RFC 7672 §3.1.1',
  summary: 'the chain an exchange presents does not reach a trust anchor because an intermediate is missing (nothing is fetched from the certificate\'s AIA URL, as mail servers do not); informational where DANE-EE matches',
  fix: 'install the full chain: the server certificate, then every intermediate up to the root (Postfix: smtpd_tls_chain_files)',
  messages: {
    incomplete: '{{server}} presents a chain that does not reach a trust anchor ({{reason}}): the certificate of "{{issuer}}", which issued the last one sent, is missing, and mail servers do not fetch missing intermediates.',
    daneEe: '{{server}} presents a chain that does not reach a trust anchor ({{reason}}; "{{issuer}}" is missing), but an authenticated DANE-EE record matches its certificate: DANE senders do not use the chain, though senders that verify certificates (MTA-STS) fail.',
  },
}, (facts: TlsQualityFacts, report) => graded(facts).flatMap(({ address, grade, server }) => grade.incomplete.map((chain) => {
  const data = { server, reason: chain.reason, issuer: chain.lastIssuer };
  return chain.daneEe ? report('daneEe', data, { target: address.exchange, severity: 'info' }) : report('incomplete', data, { target: address.exchange });
})));

export const tlsOcspNotStapled = defineRule({
  id: 'tls-ocsp-not-stapled', family: 'tls', severity: 'info', rfc: 'RFC 6066 §8',
  summary: 'the server certificate names an OCSP responder but the exchange staples no OCSP response (the profiles recommend stapling; mail senders rarely check revocation)',
  fix: 'turn on OCSP stapling where the server software has it',
  messages: {
    notStapled: '{{server}} staples no OCSP response, though its certificate "{{subject}}" names an OCSP responder; the {{profile}} profile recommends stapling.',
  },
}, (facts: TlsQualityFacts, report) => (!facts.profile.ocspStapling ? [] : graded(facts).flatMap(({ address, grade, server }) => {
  const leaf = grade.certificates.find((c) => c.chain === 0 && c.position === 0);
  if (address.scan.ocspStapled !== false || !leaf?.profile.ocspResponder) return [];
  return [report('notStapled', { server, subject: leaf.certificate.subject, profile: facts.profile.label }, { target: address.exchange })];
})));

export const tlsRules = [
  tlsScanIncomplete, tlsUnavailable, tlsProtocolWeak, tlsCipherWeak, tlsOrderNotEnforced, tlsKeyExchangeWeak, tlsKeyWeak, tlsSignatureWeak,
  tlsChainIncomplete, tlsOcspNotStapled,
];
