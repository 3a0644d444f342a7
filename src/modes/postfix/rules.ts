import { X509Certificate } from 'node:crypto';
import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
import { failedLookup, lookupFailedRule } from '../../families/common/lookup-failed.js';
import { NO_PTR, ptrAbsent, settledWithoutMatch } from '../../families/ptr/rules.js';
import { probed, where } from '../../families/smtp/rules/probe.js';
import { smtpBannerInvalid, smtpEhloFailed, smtpNotProbed, smtpUnreachable } from '../../families/smtp/rules/connection.js';
import { smtpCertExpiring, smtpCertInvalid, smtpTlsFailed } from '../../families/smtp/rules/tls.js';
import type { SmtpFacts } from '../../facts/smtp-probes.js';
import { firstDomain } from '../../smtp/extensions.js';
import { hostnameProblem, namesEqual } from '../../dns/name.js';
import { knownEmpty } from '../../facts/host.js';
import type { Finding } from '../../core/finding.js';
import type { SourceLocation } from '../../core/finding.js';
import type { AcceptedDomainFacts, PostfixFacts } from './facts.js';
import { mailHostAddresses } from './facts.js';

/** Rules about a Postfix configuration against DNS and the live server (`mxlint postfix`). */

const POSTCONF = 'http://www.postfix.org/postconf.5.html';

/** Where main.cf names a server address (inet_interfaces); undefined for --address. */
function addressLocation(facts: PostfixFacts, address: string): SourceLocation | undefined {
  return facts.addresses.find((a) => a.address === address)?.location;
}

export const postfixConfigSyntax: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-config-syntax', family: 'postfix', severity: 'error', rfc: POSTCONF,
  summary: 'a main.cf line Postfix cannot use: no "name = value", a continuation with nothing to continue, a $name that refers back to itself, a value that is not what the parameter takes',
  fix: 'write the line as "name = value" (continuations start with whitespace), break the $name loop, give the parameter a value of its kind',
}, (facts, report) => facts.config.problems.map((problem) => report(`${problem.message}.`, undefined, problem.location)));

export const postfixTableNotChecked: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-table-not-checked', family: 'postfix', severity: 'info', rfc: `${POSTCONF}#virtual_mailbox_domains`,
  summary: 'a lookup table or list file naming accepted domains could not be read (SQL, LDAP, regexp table, or a source file not on this machine): its domains were not checked',
  fix: 'run mxlint where the table sources are, or check those domains with mxlint DOMAIN',
}, (facts, report) => facts.config.uncheckedTables.map((table) => report(
  `${table.parameter} names ${table.entry}, but ${table.reason}: the domains in it were not checked. Run mxlint where the table's text source is, or check those domains with mxlint DOMAIN.`,
  undefined, table.location)));

export const postfixMyhostnameUnset: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-myhostname-unset', family: 'postfix', severity: 'unknown', rfc: `${POSTCONF}#myhostname`,
  summary: 'main.cf does not set myhostname (or it cannot be expanded): Postfix takes the machine\'s host name, which mxlint cannot know, so the checks of the host name were not made',
  fix: 'set myhostname = the server\'s fully qualified name (the name its PTR record gives) in main.cf',
}, (facts, report) => (facts.config.myhostname !== null ? [] : [report(
  `${facts.config.file} does not set myhostname, so Postfix uses the machine's host name, which mxlint cannot know from here: its address, the PTR names and the greeting were not compared with it. Set myhostname = the server's fully qualified name, the one its PTR record gives.`)]));

/** Names that no public DNS serves (localhost.localdomain, host.local, RFC 6761/6762): no receiver can look them up. */
const LOCAL_ONLY = /(^|\.)(localhost|localdomain|local)$/;

export const postfixMyhostnameNotFqdn: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-myhostname-not-fqdn', family: 'postfix', severity: 'error', rfc: `RFC 5321 §2.3.5, ${POSTCONF}#myhostname`,
  summary: 'myhostname is not a fully qualified host name (one label, not letters, digits and hyphens, or under localdomain, local, localhost): receivers reject the HELO name it becomes',
  fix: 'set myhostname to the server\'s fully qualified name, e.g. mail.example.com',
}, (facts, report) => {
  const setting = facts.config.myhostname;
  if (setting === null) return [];
  const problem = hostnameProblem(setting.value)
    ?? (!setting.value.includes('.') ? 'it has only one label'
      : LOCAL_ONLY.test(setting.value) ? 'it ends in a name that exists only on local networks' : null);
  return problem === null ? [] : [report(
    `myhostname = ${setting.value} is not a fully qualified host name (${problem}): Postfix says it in HELO and in Received: headers, and receivers reject a HELO name that is not a domain (RFC 5321 §2.3.5, §4.1.1.1). Set myhostname to the server's fully qualified name, e.g. mail.example.com.`,
    setting.value, setting.location)];
});

export const postfixMyhostnameNoAddress: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-myhostname-no-address', family: 'postfix', severity: 'error', rfc: `RFC 5321 §2.3.5, ${POSTCONF}#myhostname`,
  summary: 'myhostname has no A or AAAA record: receivers that check the HELO name (and forward-confirmed reverse DNS) reject the server\'s mail',
  fix: 'publish an A (and AAAA) record for myhostname with the server\'s public addresses',
}, (facts, report) => {
  const host = facts.myhostname;
  if (host === null || !knownEmpty(host.a) || !knownEmpty(host.aaaa)) return [];
  return [report(
    `myhostname ${host.name} has no A or AAAA record (${host.a.state === 'nxdomain' ? 'the name does not exist' : 'no address records'}): receivers that check the HELO name reject or junk the server's mail, and its PTR cannot be forward-confirmed. Publish an A${facts.addresses.length > 0 ? ` record of ${facts.addresses.map((a) => a.address).join(', ')}` : ' (and AAAA) record with the server\'s public address'} for ${host.name}.`,
    host.name, facts.config.myhostname?.location)];
});

export const postfixAddressUnknown: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-address-unknown', family: 'postfix', severity: 'unknown', rfc: `${POSTCONF}#inet_interfaces`,
  summary: 'the server\'s public addresses are not known (inet_interfaces = all, names, or only non-public addresses, and no --address): reverse DNS, SPF and where the MX points were not checked',
  fix: 'give the public address(es) with --address (repeatable)',
}, (facts, report) => {
  if (facts.addresses.length > 0) return [];
  const why = facts.nonPublicInterfaces.length > 0
    ? `inet_interfaces names only addresses that are not public (${facts.nonPublicInterfaces.map((i) => i.address).join(', ')})`
    : 'inet_interfaces does not name the addresses (all, or host names)';
  return [report(
    `The server's public addresses are not known: ${why}, and no --address was given. Its reverse DNS, myorigin's SPF and whether the accepted domains' MX records point at it were not checked. Give the public address(es) with --address.`,
    undefined, facts.config.interfaces[0]?.location)];
});

export const postfixInterfaceNotPublic: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-interface-not-public', family: 'postfix', severity: 'info', rfc: `RFC 6890, ${POSTCONF}#inet_interfaces`,
  summary: 'an inet_interfaces address is loopback, private or otherwise not public: not checked as the server\'s address (behind NAT the public one is elsewhere)',
  fix: 'give the public address the world sees with --address',
}, (facts, report) => facts.nonPublicInterfaces.map(({ address, range, location }) => report(
  `inet_interfaces names ${address}, which is not a public address (${range}): senders on the Internet never see it, so its reverse DNS and SPF were not checked. If the server is reached through NAT, give the public address with --address.`,
  address, location)));

export const postfixPtrMissing: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-ptr-missing', family: 'postfix', severity: 'error', rfc: 'RFC 1912 §2.1',
  summary: 'a server address has no PTR record: many receivers reject mail from an address without reverse DNS',
  fix: 'ask whoever runs the address block (the hosting provider) to set its PTR to myhostname',
}, (facts, report) => facts.reverse
  .filter(ptrAbsent)
  .map((entry) => report(
    `The server address ${entry.address} has no PTR record (${entry.name}: ${NO_PTR[entry.ptr.state]}): many receivers reject or junk mail from an address without reverse DNS (RFC 1912 §2.1). Ask whoever runs the address (the hosting provider) to set its PTR to ${facts.config.myhostname?.value ?? 'the server\'s host name'}.`,
    entry.address, addressLocation(facts, entry.address))));

export const postfixPtrNotConfirmed: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-ptr-not-confirmed', family: 'postfix', severity: 'error', rfc: 'RFC 8601 §3',
  summary: 'the PTR name of a server address does not resolve back to that address (no forward-confirmed reverse DNS, FCrDNS)',
  fix: 'give the PTR name an A/AAAA record of the address, or set the PTR to myhostname and give myhostname that address',
}, (facts, report) => facts.reverse.filter(settledWithoutMatch).map((entry) => {
  const names = entry.forward.map((f) => `${f.name} → ${f.outcome.state === 'found' ? f.outcome.records.map((r) => r.data).join(', ') : `no ${entry.family === 4 ? 'A' : 'AAAA'} record`}`);
  return report(
    `The server address ${entry.address} has PTR ${entry.forward.map((f) => f.name).join(', ')}, but no such name resolves back to it (${names.join('; ')}): receivers that check forward-confirmed reverse DNS (iprev, RFC 8601 §3) reject or junk the server's mail. Give ${entry.forward[0]!.name} an ${entry.family === 4 ? 'A' : 'AAAA'} record of ${entry.address}.`,
    entry.address, addressLocation(facts, entry.address));
}));

export const postfixPtrNotMyhostname: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-ptr-not-myhostname', family: 'postfix', severity: 'warning', rfc: `RFC 5321 §4.1.4, ${POSTCONF}#myhostname`,
  summary: 'the PTR of a server address names another host than myhostname: the HELO name and the reverse DNS disagree, which filters score',
  fix: 'set the PTR to myhostname, or myhostname to the PTR name (whichever is the server\'s real name)',
}, (facts, report) => {
  const setting = facts.config.myhostname;
  if (setting === null) return [];
  return facts.reverse.flatMap((entry) => {
    if (entry.ptr.state !== 'found') return [];
    const names = [...new Set(entry.ptr.records.map((r) => r.data))];
    if (names.some((name) => namesEqual(name, setting.value))) return [];
    return [report(
      `The server address ${entry.address} has PTR ${names.join(', ')}, not myhostname ${setting.value}: Postfix introduces itself as ${setting.value} (HELO) from an address that says it is ${names[0]}, which spam filters score against it. Set the PTR to ${setting.value}, or myhostname to ${names[0]} if that is the server's name.`,
      entry.address, setting.location)];
  });
});

export const postfixMyoriginSpf: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-myorigin-spf', family: 'postfix', severity: 'error', rfc: `RFC 7208 §2.6, ${POSTCONF}#myorigin`,
  severities: {
    error: 'the SPF result is fail or permerror',
    unknown: 'the evaluation ended in temperror (a lookup failed)',
    warning: 'softfail, neutral or none (no SPF record)',
  },
  summary: 'the SPF policy of myorigin\'s domain does not authorize a server address: mail the server sends from that domain (bounces, cron, local users) fails SPF',
  fix: 'add the server\'s address (ip4:/ip6:, or a: of myhostname) to the SPF record of myorigin\'s domain',
}, (facts, report) => {
  const spf = facts.originSpf;
  if (spf === null) return [];
  return spf.results.flatMap(({ address, outcome }) => {
    if (outcome.result === 'pass') return [];
    const severity = outcome.result === 'temperror' ? 'unknown' : outcome.result === 'fail' || outcome.result === 'permerror' ? 'error' : 'warning';
    const sends = `Postfix sends mail from ${spf.domain} (myorigin: bounces, cron and local users)`;
    if (outcome.result === 'temperror') {
      return [report.as('unknown')(`${sends}; whether its SPF policy authorizes ${address} is unknown: ${outcome.reason}. Retry, or ask another server with --server.`, address, facts.config.myorigin?.location)];
    }
    const what = outcome.result === 'none' ? `${spf.domain} has no SPF record` : `the SPF policy of ${spf.domain} gives ${outcome.result} for ${address} (${outcome.reason})`;
    return [report.as(severity)(
      `${sends}, but ${what}: receivers treat that mail as unauthorized (RFC 7208 §2.6). Add ip${address.includes(':') ? 6 : 4}:${address} (or a:${facts.config.myhostname?.value ?? 'the host name'}) to the SPF record of ${spf.domain}.`,
      address, facts.config.myorigin?.location)];
  });
});

/** The SMTP facts of the server's own probes, for the SMTP family's rules about connections, TLS and certificates. */
function smtpFacts(facts: PostfixFacts): SmtpFacts | null {
  return facts.smtp === null ? null : { ...facts.smtp, unresolved: [] };
}

function onSmtp(rule: Rule<SmtpFacts>): (facts: PostfixFacts) => Finding[] {
  return (facts) => {
    const smtp = smtpFacts(facts);
    return smtp === null ? [] : rule.check(smtp);
  };
}

export const postfixBannerHostname: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-banner-hostname', family: 'postfix', severity: 'warning', rfc: `RFC 5321 §4.3.1, ${POSTCONF}#smtpd_banner`,
  summary: 'the live server\'s 220 greeting does not start with myhostname (another smtpd_banner, another server or a filter in front)',
  fix: 'keep smtpd_banner = $myhostname ESMTP …, and make sure the address reaches this Postfix',
}, (facts, report) => {
  const setting = facts.config.myhostname;
  const smtp = smtpFacts(facts);
  if (setting === null || smtp === null) return [];
  return probed(smtp).flatMap((probe) => {
    const line = probe.session.banner?.lines[0];
    if (line === undefined) return [];
    const named = firstDomain(line);
    if (named !== null && namesEqual(named, setting.value)) return [];
    return [report(
      `The greeting of ${where(probe, smtp.port)} is "${probe.session.banner!.code} ${line}", which ${named === null ? 'names no host' : `names ${named}`}, not myhostname ${setting.value}: either smtpd_banner does not start with $myhostname, or something else answers at that address (another server, a filter). Keep smtpd_banner = $myhostname ESMTP, and check that the address reaches this Postfix (RFC 5321 §4.3.1).`,
      probe.address, setting.location)];
  });
});

export const postfixSizeMismatch: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-size-mismatch', family: 'postfix', severity: 'warning', rfc: `RFC 1870, ${POSTCONF}#message_size_limit`,
  summary: 'the SIZE the live server offers in its EHLO reply is not message_size_limit: the running server has another configuration (not reloaded, another instance, a filter in front)',
  fix: 'reload Postfix (postfix reload) after changing main.cf, and check that the address reaches this instance',
}, (facts, report) => {
  const smtp = smtpFacts(facts);
  const limit = facts.config.messageSizeLimit;
  if (smtp === null || limit.value === null) return [];
  return probed(smtp).flatMap((probe) => {
    const ehlo = probe.session.ehloAfterTls ?? probe.session.ehlo;
    if (ehlo === null) return [];
    // Postfix offers a bare SIZE for no limit (0).
    const offered = ehlo.keywords.includes('SIZE') ? ehlo.size ?? 0 : null;
    if (offered === limit.value) return [];
    return [report(
      `${where(probe, smtp.port)} offers ${offered === null ? 'no SIZE' : `SIZE ${offered}`} in its EHLO reply, but main.cf says message_size_limit = ${limit.value}${limit.location ? '' : ' (the default)'}: the running server is not using this configuration — not reloaded since main.cf changed, another instance, or a filter in front (RFC 1870). Run postfix reload, and check that the address reaches this instance.`,
      probe.address, limit.location)];
  });
});

export const postfixStarttlsMissing: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-starttls-missing', family: 'postfix', severity: 'error', rfc: `RFC 3207, ${POSTCONF}#smtpd_tls_security_level`,
  summary: 'smtpd_tls_security_level is may or encrypt, but the live server offers no STARTTLS (not reloaded, certificate files unreadable, another server answering)',
  fix: 'check the maillog for TLS errors (unreadable key or certificate), then postfix reload',
}, (facts, report) => {
  const smtp = smtpFacts(facts);
  const level = facts.config.tlsLevel;
  if (smtp === null || (level.value !== 'may' && level.value !== 'encrypt')) return [];
  return probed(smtp).flatMap((probe) => (probe.session.ehlo === null || probe.session.ehlo.starttls ? [] : [report(
    `main.cf says smtpd_tls_security_level = ${level.value}, but ${where(probe, smtp.port)} offers no STARTTLS in its EHLO reply: mail to it travels in clear text${level.value === 'encrypt' ? ' — and with encrypt Postfix should refuse mail without TLS, so the running server is not this configuration' : ''}. Postfix drops STARTTLS when it cannot read the key or certificate (see the maillog), or the server was not reloaded: fix the files, then postfix reload (RFC 3207).`,
    probe.address, level.location)]));
});

/** The names a certificate of the server must cover: myhostname, and every MX host that points at the server. */
function namesToCover(facts: PostfixFacts): string[] {
  return [...new Set([...(facts.config.myhostname ? [facts.config.myhostname.value] : []), ...facts.exchangesHere])];
}

function certificateGap(facts: PostfixFacts, certificate: X509Certificate, names: string[], altNames: string[], subject: string): string | null {
  const uncovered = names.filter((name) => certificate.checkHost(name) === undefined);
  if (uncovered.length === 0) return null;
  return `(${altNames.length > 0 ? `names ${altNames.join(', ')}` : subject}) does not cover ${uncovered.join(', ')}${facts.exchangesHere.some((n) => uncovered.includes(n)) ? ', which MX records point at this server' : ''}: senders that verify the name (MTA-STS, RFC 8461; DANE-TA) refuse to deliver (RFC 6125 §6). Get a certificate whose subjectAltName lists ${names.join(', ')}`;
}

export const postfixCertificateNames: Rule<PostfixFacts> = defineLegacyRule({
  id: 'postfix-certificate-names', family: 'postfix', severity: 'error', rfc: `RFC 6125 §6, RFC 7672 §3.2.2, ${POSTCONF}#smtpd_tls_chain_files`,
  summary: 'the certificate main.cf configures (when readable) or the live server presents does not cover myhostname and every MX name that points at the server: senders that verify (MTA-STS, DANE-TA) refuse it for those names',
  fix: 'get a certificate whose subjectAltName lists myhostname and every MX host name that resolves to the server',
}, (facts, report) => {
  const names = namesToCover(facts);
  const configured = facts.configuredCertificate;
  const fromFile = configured === null ? null : certificateGap(facts, configured.certificate, names,
    (configured.certificate.subjectAltName ?? '').split(/,\s*/).filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)), configured.certificate.subject.replace(/\n/g, ', '));
  const smtp = smtpFacts(facts);
  const live = smtp === null ? [] : probed(smtp).flatMap((probe) => {
    const leaf = probe.session.tls?.chain[0];
    const gap = leaf === undefined ? null : certificateGap(facts, new X509Certificate(leaf.der), names, leaf.altNames, leaf.subject);
    return gap === null ? [] : [report(`The certificate ${where(probe, smtp.port)} presents ${gap}.`, probe.address)];
  });
  return [
    ...(fromFile === null ? [] : [report(`The certificate main.cf configures (${configured!.file}) ${fromFile}.`, undefined, facts.config.certificateFiles.location)]),
    ...live,
  ];
});

export const postfixLookupFailed: Rule<PostfixFacts> = lookupFailedRule({ id: 'postfix-lookup-failed', family: 'postfix', subject: 'the server\'s host name and reverse DNS' },
  (facts) => [
    // One family's failure matters only while no address of myhostname is known.
    ...(facts.myhostname === null || [facts.myhostname.a, facts.myhostname.aaaa].some((o) => o.state === 'found') ? [] : [facts.myhostname.a, facts.myhostname.aaaa]
      .flatMap((outcome) => (outcome.state === 'failed' ? [failedLookup(outcome.failure, facts.myhostname!.name)] : []))),
    ...facts.reverse.flatMap((entry) => {
      if (entry.ptr.state === 'failed') return [failedLookup(entry.ptr.failure, entry.address)];
      if (entry.forward.some((f) => f.confirms)) return [];
      return entry.forward.flatMap((f) => (f.outcome.state === 'failed' ? [failedLookup(f.outcome.failure, entry.address)] : []));
    }),
  ]);

/** Rules of the SMTP family that read the server's own probes as they read an exchange's. */
const SMTP_RULES = [smtpNotProbed, smtpUnreachable, smtpBannerInvalid, smtpEhloFailed, smtpTlsFailed, smtpCertInvalid, smtpCertExpiring];

const OWN_SERVER_RULES: readonly Rule<PostfixFacts>[] = [
  postfixConfigSyntax, postfixTableNotChecked, postfixMyhostnameUnset, postfixMyhostnameNotFqdn, postfixMyhostnameNoAddress,
  postfixAddressUnknown, postfixInterfaceNotPublic, postfixPtrMissing, postfixPtrNotConfirmed, postfixPtrNotMyhostname,
  postfixMyoriginSpf, postfixBannerHostname, postfixSizeMismatch, postfixStarttlsMissing, postfixCertificateNames, postfixLookupFailed,
];

export const postfixServerRules: readonly Rule<PostfixFacts>[] = [...OWN_SERVER_RULES, ...SMTP_RULES.map((rule) => ({ meta: rule.meta, check: onSmtp(rule) }))];

function acceptedBy(facts: AcceptedDomainFacts): string {
  return `Postfix accepts mail for ${facts.accepted.domain} (${facts.accepted.parameter})`;
}

export const postfixDomainNoMx: Rule<AcceptedDomainFacts> = defineLegacyRule({
  id: 'postfix-domain-no-mx', family: 'postfix', severity: 'error', rfc: `RFC 5321 §5.1, ${POSTCONF}#mydestination`,
  summary: 'a domain Postfix accepts mail for has no MX record, and its own address (the implicit MX) is not this server: no mail for it arrives here',
  fix: 'publish an MX record for the domain naming myhostname (or an exchange that resolves to the server), or remove the domain from main.cf',
}, (facts, report) => {
  const { mx, implicit } = facts.check.facts;
  if (mx.state !== 'nodata' && mx.state !== 'nxdomain') return [];
  const implicitAddresses = implicit ? mailHostAddresses(facts.check)[0]?.addresses ?? [] : [];
  if (implicitAddresses.some((a) => facts.serverAddresses.includes(a))) return [];
  // Whether an implicit MX reaches this server cannot be told without its addresses (postfix-address-unknown says so).
  if (implicitAddresses.length > 0 && facts.serverAddresses.length === 0) return [];
  if (implicit && implicitAddresses.length === 0 && (implicit.a.state === 'failed' || implicit.aaaa.state === 'failed')) return [];
  const state = mx.state === 'nxdomain' ? 'the domain does not exist in DNS' : implicitAddresses.length > 0 ? `no MX record, and its own address (${implicitAddresses.join(', ')}) is not this server` : 'no MX record and no address';
  return [report(
    `${acceptedBy(facts)}, but ${state}: senders deliver its mail elsewhere or nowhere (RFC 5321 §5.1). Publish "${facts.accepted.domain}. MX 10 <myhostname>." (an exchange that resolves to this server), or remove the domain from ${facts.accepted.parameter}.`,
    facts.accepted.domain, facts.accepted.location)];
});

export const postfixDomainMxElsewhere: Rule<AcceptedDomainFacts> = defineLegacyRule({
  id: 'postfix-domain-mx-elsewhere', family: 'postfix', severity: 'error', rfc: `RFC 5321 §5.1, ${POSTCONF}#mydestination`,
  severities: {
    error: 'no exchange of the domain resolves to a server address (or the domain has a null MX)',
    unknown: "a lookup of an exchange's addresses failed, and no other exchange points here",
  },
  summary: 'a domain Postfix accepts mail for has MX records, but none of its exchanges resolves to this server\'s addresses: its mail goes to other hosts',
  fix: 'point the MX at this server (an exchange with its address), or remove the domain from main.cf if another server takes its mail',
}, (facts, report) => {
  const { mx } = facts.check.facts;
  const { domain } = facts.accepted;
  // A failed MX lookup is the mx family's dns-lookup-failed, which always runs for accepted domains.
  if (mx.state !== 'found' || facts.serverAddresses.length === 0) return [];
  if (mx.records.every((r) => r.data.exchange === '.')) {
    return [report(`${acceptedBy(facts)}, but the domain publishes a null MX (RFC 7505): it says it takes no mail at all, so none arrives here. Remove the null MX and point the MX at this server, or remove the domain from ${facts.accepted.parameter}.`, domain, facts.accepted.location)];
  }
  const hosts = mailHostAddresses(facts.check);
  if (hosts.some(({ addresses }) => addresses.some((a) => facts.serverAddresses.includes(a)))) return [];
  const failed = facts.check.facts.exchanges.some((e) => e.kind === 'host' && (e.host.a.state === 'failed' || e.host.aaaa.state === 'failed'));
  const pointsAt = hosts.map(({ host, addresses }) => `${host} (${addresses.join(', ') || 'no address'})`).join(', ') || 'no host with an address';
  if (failed) {
    return [report.as('unknown')(`${acceptedBy(facts)}; its MX points at ${pointsAt}, and a lookup of an exchange's addresses failed: whether its mail comes to ${facts.serverAddresses.join(', ')} is unknown. Retry, or ask another server with --server.`, domain, facts.accepted.location)];
  }
  return [report(
    `${acceptedBy(facts)}, but its MX points at ${pointsAt}, none of which is this server (${facts.serverAddresses.join(', ')}): senders deliver its mail there, not here. Point the MX at an exchange that resolves to this server, or remove the domain from ${facts.accepted.parameter} if the other host takes its mail.`,
    domain, facts.accepted.location)];
});

export const postfixDomainRules: readonly Rule<AcceptedDomainFacts>[] = [postfixDomainNoMx, postfixDomainMxElsewhere];

/** The rules of `mxlint postfix` for the catalog; the SMTP family's rules it reuses are in the catalog already. */
export const postfixRuleCatalog = [...OWN_SERVER_RULES, ...postfixDomainRules].map((rule) => rule.meta);
