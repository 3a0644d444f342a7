import { X509Certificate } from 'node:crypto';
import type { Rule } from '../../core/rule.js';
import { defineRule } from '../../core/rule.js';
import { failedLookup, lookupFailedRule } from '../../families/common/lookup-failed.js';
import { NO_PTR, ptrAbsent, settledWithoutMatch, forwardLookups } from '../../families/ptr/rules.js';
import { probed, where } from '../../families/common/smtp-probe.js';
import { smtpBannerInvalid, smtpEhloFailed, smtpNotProbed, smtpUnreachable } from '../../families/smtp/rules/connection.js';
import { smtpCertExpiring, smtpCertInvalid, smtpTlsFailed } from '../../families/smtp/rules/tls.js';
import { smtpExtensionConflict, smtpExtensionsAfterTls } from '../../families/smtp/rules/extensions.js';
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

export const postfixConfigSyntax = defineRule({
  id: 'postfix-config-syntax', family: 'postfix', severity: 'error', rfc: POSTCONF,
  summary: 'a main.cf line Postfix cannot use: no "name = value", a continuation with nothing to continue, a $name that refers back to itself or expands past what mxlint follows, a value that is not what the parameter takes',
  fix: 'write the line as "name = value" (continuations start with whitespace), break the $name loop, give the parameter a value of its kind',
  // The configuration reader's own words: what is wrong on the line.
  messages: { badLine: '{{problem}}.' },
}, (facts: PostfixFacts, report) => facts.config.problems.map((problem) => report('badLine', { problem: problem.message }, { location: problem.location })));

export const postfixTableNotChecked = defineRule({
  id: 'postfix-table-not-checked', family: 'postfix', severity: 'info', rfc: `${POSTCONF}#virtual_mailbox_domains`,
  summary: 'a lookup table or list file naming accepted domains could not be read (SQL, LDAP, regexp table, or a source file not on this machine): its domains were not checked',
  fix: 'run mxlint where the table sources are, or check those domains with mxlint DOMAIN',
  messages: { notRead: '{{parameter}} names {{entry}}, but {{reason}}: the domains in it were not checked.' },
}, (facts: PostfixFacts, report) => facts.config.uncheckedTables.map((table) => report(
  'notRead', { parameter: table.parameter, entry: table.entry, reason: table.reason }, { location: table.location })));

export const postfixTableMissing = defineRule({
  id: 'postfix-table-missing', family: 'postfix', severity: 'error', rfc: `${POSTCONF}#mydestination`,
  summary: 'a lookup table or list file naming accepted domains does not exist (neither the database postmap builds nor its text source), or is no regular file: Postfix cannot open it and defers every recipient',
  fix: 'create the table (postmap FILE for hash, btree, lmdb, cdb, dbm and sdbm tables) or take it out of the parameter; if it is on the server and mxlint runs elsewhere, run mxlint on the server',
  messages: { cannotOpen: '{{parameter}} names {{entry}}, but {{reason}}: Postfix cannot open it and answers every recipient with "451 4.3.0 Temporary lookup failure", so no mail is accepted.' },
}, (facts: PostfixFacts, report) => facts.config.missingTables.map((table) => report(
  'cannotOpen', { parameter: table.parameter, entry: table.entry, reason: table.reason }, { location: table.location })));

export const postfixMyhostnameUnset = defineRule({
  id: 'postfix-myhostname-unset', family: 'postfix', severity: 'unknown', rfc: `${POSTCONF}#myhostname`,
  summary: 'main.cf does not set myhostname (or it cannot be expanded): Postfix takes the machine\'s host name, which mxlint cannot know, so the checks of the host name were not made',
  fix: 'set myhostname = the server\'s fully qualified name (the name its PTR record gives) in main.cf',
  messages: {
    unset: '{{file}} does not set myhostname, so Postfix uses the machine\'s host name, which mxlint cannot know from here: its address, the PTR names and the greeting were not compared with it.',
  },
}, (facts: PostfixFacts, report) => (facts.config.myhostname !== null ? [] : [report('unset', { file: facts.config.file })]));

/** Names that no public DNS serves (localhost.localdomain, host.local, RFC 6761/6762): no receiver can look them up. */
const LOCAL_ONLY = /(^|\.)(localhost|localdomain|local)$/;

export const postfixMyhostnameNotFqdn = defineRule({
  id: 'postfix-myhostname-not-fqdn', family: 'postfix', severity: 'error', rfc: `RFC 5321 §2.3.5, §4.1.1.1, ${POSTCONF}#myhostname`,
  summary: 'myhostname is not a fully qualified host name (one label, not letters, digits and hyphens, or under localdomain, local, localhost): receivers reject the HELO name it becomes',
  fix: 'set myhostname to the server\'s fully qualified name, e.g. mail.example.com',
  messages: {
    notFqdn: 'myhostname = {{hostname}} is not a fully qualified host name ({{problem}}): Postfix says it in HELO and in Received: headers, and receivers reject a HELO name that is not a domain.',
  },
}, (facts: PostfixFacts, report) => {
  const setting = facts.config.myhostname;
  if (setting === null) return [];
  const problem = hostnameProblem(setting.value)
    ?? (!setting.value.includes('.') ? 'it has only one label'
      : LOCAL_ONLY.test(setting.value) ? 'it ends in a name that exists only on local networks' : null);
  return problem === null ? [] : [report('notFqdn', { hostname: setting.value, problem }, { target: setting.value, location: setting.location })];
});

/** What a myhostname without an address means, whatever the server's addresses. */
const NO_ADDRESS = 'myhostname {{hostname}} has no A or AAAA record ({{why}}): receivers that check the HELO name reject or junk the server\'s mail, and its PTR cannot be forward-confirmed.';

export const postfixMyhostnameNoAddress = defineRule({
  id: 'postfix-myhostname-no-address', family: 'postfix', severity: 'error', rfc: `RFC 5321 §2.3.5, ${POSTCONF}#myhostname`,
  summary: 'myhostname has no A or AAAA record: receivers that check the HELO name (and forward-confirmed reverse DNS) reject the server\'s mail',
  fix: 'publish an A (and AAAA) record for myhostname with the server\'s public addresses',
  messages: {
    noAddress: NO_ADDRESS,
    // The server's addresses are known (inet_interfaces, --address): the fix names them.
    noAddressOfServer: { message: NO_ADDRESS, fix: 'publish A/AAAA records of {{addresses}} for {{hostname}}' },
  },
}, (facts: PostfixFacts, report) => {
  const host = facts.myhostname;
  if (host === null || !knownEmpty(host.a) || !knownEmpty(host.aaaa)) return [];
  const data = { hostname: host.name, why: host.a.state === 'nxdomain' ? 'the name does not exist' : 'no address records' };
  const place = { target: host.name, location: facts.config.myhostname?.location };
  return [facts.addresses.length > 0
    ? report('noAddressOfServer', { ...data, addresses: facts.addresses.map((a) => a.address).join(', ') }, place)
    : report('noAddress', data, place)];
});

/** The consequence of unknown addresses, whatever the reason. */
const NOT_CHECKED = 'and no --address was given. Its reverse DNS, myorigin\'s SPF and whether the accepted domains\' MX records point at it were not checked.';

export const postfixAddressUnknown = defineRule({
  id: 'postfix-address-unknown', family: 'postfix', severity: 'unknown', rfc: `${POSTCONF}#inet_interfaces`,
  summary: 'the server\'s public addresses are not known (inet_interfaces = all, names, or only non-public addresses, and no --address): reverse DNS, SPF and where the MX points were not checked',
  fix: 'give the public address(es) with --address (repeatable)',
  messages: {
    notNamed: `The server's public addresses are not known: inet_interfaces does not name the addresses (all, or host names), ${NOT_CHECKED}`,
    onlyNonPublic: `The server's public addresses are not known: inet_interfaces names only addresses that are not public ({{addresses}}), ${NOT_CHECKED}`,
  },
}, (facts: PostfixFacts, report) => {
  if (facts.addresses.length > 0) return [];
  const place = { location: facts.config.interfaces[0]?.location };
  return [facts.nonPublicInterfaces.length > 0
    ? report('onlyNonPublic', { addresses: facts.nonPublicInterfaces.map((i) => i.address).join(', ') }, place)
    : report('notNamed', {}, place)];
});

export const postfixInterfaceNotPublic = defineRule({
  id: 'postfix-interface-not-public', family: 'postfix', severity: 'info', rfc: `RFC 6890, ${POSTCONF}#inet_interfaces`,
  summary: 'an inet_interfaces address is loopback, private or otherwise not public: not checked as the server\'s address (behind NAT the public one is elsewhere)',
  fix: 'if the server is reached through NAT, give the public address the world sees with --address',
  messages: {
    notPublic: 'inet_interfaces names {{address}}, which is not a public address ({{range}}): senders on the Internet never see it, so its reverse DNS and SPF were not checked.',
  },
}, (facts: PostfixFacts, report) => facts.nonPublicInterfaces.map(({ address, range, location }) => report('notPublic', { address, range }, { target: address, location })));

export const postfixPtrMissing = defineRule({
  id: 'postfix-ptr-missing', family: 'postfix', severity: 'error', rfc: 'RFC 1912 §2.1',
  summary: 'a server address has no PTR record: many receivers reject mail from an address without reverse DNS',
  fix: 'ask whoever runs the address block (the hosting provider) to set its PTR to myhostname',
  messages: {
    missing: {
      message: 'The server address {{address}} has no PTR record ({{reverseName}}: {{state}}): many receivers reject or junk mail from an address without reverse DNS.',
      fix: 'ask whoever runs the address block (the hosting provider) to set its PTR to {{hostname}}',
    },
  },
}, (facts: PostfixFacts, report) => facts.reverse.filter(ptrAbsent).map((entry) => report('missing', {
  address: entry.address, reverseName: entry.name, state: NO_PTR[entry.ptr.state]!, hostname: facts.config.myhostname?.value ?? 'the server\'s host name',
}, { target: entry.address, location: addressLocation(facts, entry.address) })));

export const postfixPtrNotConfirmed = defineRule({
  id: 'postfix-ptr-not-confirmed', family: 'postfix', severity: 'error', rfc: 'RFC 8601 §3',
  summary: 'the PTR name of a server address does not resolve back to that address (no forward-confirmed reverse DNS, FCrDNS)',
  fix: 'give the PTR name an A/AAAA record of the address, or set the PTR to myhostname and give myhostname that address',
  messages: {
    notConfirmed: {
      message: 'The server address {{address}} has PTR {{names}}, but no such name resolves back to it ({{forward}}): receivers that check forward-confirmed reverse DNS (iprev) reject or junk the server\'s mail.',
      fix: 'give {{name}} an {{type}} record of {{address}}, or set the PTR to myhostname and give myhostname that address',
    },
  },
}, (facts: PostfixFacts, report) => facts.reverse.filter(settledWithoutMatch).map((entry) => {
  const { type, names, lookups, ptrName } = forwardLookups(entry);
  return report('notConfirmed', { address: entry.address, names, forward: lookups, name: ptrName, type },
    { target: entry.address, location: addressLocation(facts, entry.address) });
}));

export const postfixPtrNotMyhostname = defineRule({
  id: 'postfix-ptr-not-myhostname', family: 'postfix', severity: 'warning', rfc: `RFC 5321 §4.1.4, ${POSTCONF}#myhostname`,
  summary: 'the PTR of a server address names another host than myhostname: the HELO name and the reverse DNS disagree, which filters score',
  fix: 'set the PTR to myhostname, or myhostname to the PTR name (whichever is the server\'s real name)',
  messages: {
    otherName: {
      message: 'The server address {{address}} has PTR {{names}}, not myhostname {{hostname}}: Postfix introduces itself as {{hostname}} (HELO) from an address that says it is {{ptrName}}, which spam filters score against it.',
      fix: 'set the PTR to {{hostname}}, or myhostname to {{ptrName}} if that is the server\'s name',
    },
  },
}, (facts: PostfixFacts, report) => {
  const setting = facts.config.myhostname;
  if (setting === null) return [];
  return facts.reverse.flatMap((entry) => {
    if (entry.ptr.state !== 'found') return [];
    const names = [...new Set(entry.ptr.records.map((r) => r.data))];
    if (names.some((name) => namesEqual(name, setting.value))) return [];
    return [report('otherName', { address: entry.address, names: names.join(', '), hostname: setting.value, ptrName: names[0]! },
      { target: entry.address, location: setting.location })];
  });
});

/** Who sends mail from myorigin's domain, at the start of every postfix-myorigin-spf message. */
const SENDS = 'Postfix sends mail from {{domain}} (myorigin: bounces, cron and local users)';
/** What to add to the domain's SPF policy. */
const AUTHORIZE = 'add {{mechanism}} (or a:{{hostname}}) to the SPF record of {{domain}}';

export const postfixMyoriginSpf = defineRule({
  id: 'postfix-myorigin-spf', family: 'postfix', severity: 'error', rfc: `RFC 7208 §2.6, ${POSTCONF}#myorigin`,
  severities: {
    error: 'the SPF result is fail or permerror',
    unknown: 'the evaluation ended in temperror (a lookup failed)',
    warning: 'softfail, neutral or none (no SPF record)',
  },
  summary: 'the SPF policy of myorigin\'s domain does not authorize a server address: mail the server sends from that domain (bounces, cron, local users) fails SPF',
  fix: 'add the server\'s address (ip4:/ip6:, or a: of myhostname) to the SPF record of myorigin\'s domain',
  messages: {
    notAuthorized: {
      message: `${SENDS}, but the SPF policy of {{domain}} gives {{result}} for {{address}} ({{reason}}): receivers treat that mail as unauthorized.`,
      fix: AUTHORIZE,
    },
    noRecord: { message: `${SENDS}, but {{domain}} has no SPF record: receivers treat that mail as unauthorized.`, fix: AUTHORIZE },
    temperror: {
      message: `${SENDS}; whether its SPF policy authorizes {{address}} is unknown: {{reason}}.`,
      fix: 'retry later, or ask another server (--server)',
    },
  },
}, (facts: PostfixFacts, report) => {
  const spf = facts.originSpf;
  if (spf === null) return [];
  return spf.results.flatMap(({ address, outcome }) => {
    if (outcome.result === 'pass') return [];
    const place = { target: address, location: facts.config.myorigin?.location };
    if (outcome.result === 'temperror') return [report('temperror', { domain: spf.domain, address, reason: outcome.reason }, { ...place, severity: 'unknown' })];
    const authorize = { domain: spf.domain, mechanism: `ip${address.includes(':') ? 6 : 4}:${address}`, hostname: facts.config.myhostname?.value ?? 'the host name' };
    if (outcome.result === 'none') return [report('noRecord', authorize, { ...place, severity: 'warning' })];
    const severity = outcome.result === 'fail' || outcome.result === 'permerror' ? 'error' : 'warning';
    return [report('notAuthorized', { ...authorize, address, result: outcome.result, reason: outcome.reason }, { ...place, severity })];
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

/** Why the greeting names another host, in both messages of postfix-banner-hostname. */
const BANNER_CAUSE = 'either smtpd_banner does not start with $myhostname, or something else answers at that address (another server, a filter)';

export const postfixBannerHostname = defineRule({
  id: 'postfix-banner-hostname', family: 'postfix', severity: 'warning', rfc: `RFC 5321 §4.3.1, ${POSTCONF}#smtpd_banner`,
  summary: 'the live server\'s 220 greeting does not start with myhostname (another smtpd_banner, another server or a filter in front)',
  fix: 'keep smtpd_banner = $myhostname ESMTP …, and make sure the address reaches this Postfix',
  messages: {
    otherName: `The greeting of {{server}} is "{{greeting}}", which names {{named}}, not myhostname {{hostname}}: ${BANNER_CAUSE}.`,
    noName: `The greeting of {{server}} is "{{greeting}}", which names no host, not myhostname {{hostname}}: ${BANNER_CAUSE}.`,
  },
}, (facts: PostfixFacts, report) => {
  const setting = facts.config.myhostname;
  const smtp = smtpFacts(facts);
  if (setting === null || smtp === null) return [];
  return probed(smtp).flatMap((probe) => {
    const line = probe.session.banner?.lines[0];
    if (line === undefined) return [];
    const named = firstDomain(line);
    if (named !== null && namesEqual(named, setting.value)) return [];
    const data = { server: where(probe, smtp.port), greeting: `${probe.session.banner!.code} ${line}`, hostname: setting.value };
    const place = { target: probe.address, location: setting.location };
    return [named === null ? report('noName', data, place) : report('otherName', { ...data, named }, place)];
  });
});

/** What a server that is not using main.cf may be, in both messages of postfix-size-mismatch. */
const NOT_THIS_CONFIGURATION = 'the running server is not using this configuration — not reloaded since main.cf changed, another instance, or a filter in front';

export const postfixSizeMismatch = defineRule({
  id: 'postfix-size-mismatch', family: 'postfix', severity: 'warning', rfc: `RFC 1870, ${POSTCONF}#message_size_limit`,
  summary: 'the SIZE the live server offers in its EHLO reply is not message_size_limit: the running server has another configuration (not reloaded, another instance, a filter in front)',
  fix: 'reload Postfix (postfix reload) after changing main.cf, and check that the address reaches this instance',
  messages: {
    sizeDiffers: `{{server}} offers SIZE {{offered}} in its EHLO reply{{when}}, but main.cf says message_size_limit = {{limit}}: ${NOT_THIS_CONFIGURATION}.`,
    noSize: `{{server}} offers no SIZE in its EHLO reply{{when}}, but main.cf says message_size_limit = {{limit}}: ${NOT_THIS_CONFIGURATION}.`,
  },
}, (facts: PostfixFacts, report) => {
  const smtp = smtpFacts(facts);
  const limit = facts.config.messageSizeLimit;
  if (smtp === null || limit.value === null) return [];
  return probed(smtp).flatMap((probe) => {
    // Both replies count: senders in clear text act on the first, senders over TLS on the second.
    const replies = [{ when: ' in clear text', ehlo: probe.session.ehlo }, { when: ' after STARTTLS', ehlo: probe.session.ehloAfterTls }]
      .flatMap(({ when, ehlo }) => (ehlo === null ? [] : [{ when, offered: ehlo.keywords.includes('SIZE') ? ehlo.size ?? 0 : null }]))
      // Postfix offers a bare SIZE for no limit (0).
      .filter(({ offered }) => offered !== limit.value);
    const data = { server: where(probe, smtp.port), limit: `${limit.value}${limit.location ? '' : ' (the default)'}` };
    const place = { target: probe.address, location: limit.location };
    // The same SIZE in both replies is one finding.
    const distinct = replies.length === 2 && replies[0]!.offered === replies[1]!.offered ? [{ when: '', offered: replies[0]!.offered }] : replies;
    return distinct.map(({ when, offered }) => (offered === null ? report('noSize', { ...data, when }, place) : report('sizeDiffers', { ...data, offered, when }, place)));
  });
});

/** Why Postfix drops STARTTLS, in both messages of postfix-starttls-missing. */
const TLS_DROPPED = 'Postfix drops STARTTLS when it cannot read the key or certificate (see the maillog), or the server was not reloaded.';

export const postfixStarttlsMissing = defineRule({
  id: 'postfix-starttls-missing', family: 'postfix', severity: 'error', rfc: `RFC 3207, ${POSTCONF}#smtpd_tls_security_level`,
  summary: 'smtpd_tls_security_level is may or encrypt, but the live server offers no STARTTLS (not reloaded, certificate files unreadable, another server answering)',
  fix: 'check the maillog for TLS errors (unreadable key or certificate), fix the files, then postfix reload',
  messages: {
    noStarttls: `main.cf says smtpd_tls_security_level = may, but {{server}} offers no STARTTLS in its EHLO reply: mail to it travels in clear text. ${TLS_DROPPED}`,
    noStarttlsEncrypt: `main.cf says smtpd_tls_security_level = encrypt, but {{server}} offers no STARTTLS in its EHLO reply: mail to it travels in clear text — and with encrypt Postfix should refuse mail without TLS, so the running server is not this configuration. ${TLS_DROPPED}`,
  },
}, (facts: PostfixFacts, report) => {
  const smtp = smtpFacts(facts);
  const level = facts.config.tlsLevel;
  if (smtp === null || (level.value !== 'may' && level.value !== 'encrypt')) return [];
  return probed(smtp).flatMap((probe) => (probe.session.ehlo === null || probe.session.ehlo.starttls ? [] : [report(
    level.value === 'encrypt' ? 'noStarttlsEncrypt' : 'noStarttls', { server: where(probe, smtp.port) }, { target: probe.address, location: level.location })]));
});

/** The names a certificate of the server must cover: myhostname, and every MX host that points at the server. */
function namesToCover(facts: PostfixFacts): string[] {
  return [...new Set([...(facts.config.myhostname ? [facts.config.myhostname.value] : []), ...facts.exchangesHere])];
}

/** What a certificate covers and which of `names` it does not, or null when it covers them all. */
function certificateGap(facts: PostfixFacts, certificate: X509Certificate, names: string[], altNames: string[], subject: string): { covers: string; uncovered: string; names: string } | null {
  const uncovered = names.filter((name) => certificate.checkHost(name) === undefined);
  if (uncovered.length === 0) return null;
  const pointedAt = facts.exchangesHere.some((n) => uncovered.includes(n)) ? ', which MX records point at this server' : '';
  return { covers: altNames.length > 0 ? `names ${altNames.join(', ')}` : subject, uncovered: `${uncovered.join(', ')}${pointedAt}`, names: names.join(', ') };
}

/** What a certificate that does not cover the names means, in both messages of postfix-certificate-names. */
const REFUSED = 'senders that verify the name (MTA-STS, DANE-TA) refuse to deliver';
const LIST_NAMES = 'get a certificate whose subjectAltName lists {{names}}';

export const postfixCertificateNames = defineRule({
  id: 'postfix-certificate-names', family: 'postfix', severity: 'error', rfc: `RFC 6125 §6, RFC 7672 §3.2.2, RFC 8461, ${POSTCONF}#smtpd_tls_chain_files`,
  summary: 'the certificate main.cf configures (when readable) or the live server presents does not cover myhostname and every MX name that points at the server: senders that verify (MTA-STS, DANE-TA) refuse it for those names',
  fix: 'get a certificate whose subjectAltName lists myhostname and every MX host name that resolves to the server',
  messages: {
    configured: { message: `The certificate main.cf configures ({{file}}) ({{covers}}) does not cover {{uncovered}}: ${REFUSED}.`, fix: LIST_NAMES },
    presented: { message: `The certificate {{server}} presents ({{covers}}) does not cover {{uncovered}}: ${REFUSED}.`, fix: LIST_NAMES },
  },
}, (facts: PostfixFacts, report) => {
  const names = namesToCover(facts);
  const configured = facts.configuredCertificate;
  const fromFile = configured === null ? null : certificateGap(facts, configured.certificate, names,
    (configured.certificate.subjectAltName ?? '').split(/,\s*/).filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)), configured.certificate.subject.replace(/\n/g, ', '));
  const smtp = smtpFacts(facts);
  const live = smtp === null ? [] : probed(smtp).flatMap((probe) => {
    const leaf = probe.session.tls?.chain[0];
    const gap = leaf === undefined ? null : certificateGap(facts, new X509Certificate(leaf.der), names, leaf.altNames, leaf.subject);
    return gap === null ? [] : [report('presented', { server: where(probe, smtp.port), ...gap }, { target: probe.address })];
  });
  return [
    ...(fromFile === null ? [] : [report('configured', { file: configured!.file, ...fromFile }, { location: facts.config.certificateFiles.location })]),
    ...live,
  ];
});

export const postfixLookupFailed = lookupFailedRule({ id: 'postfix-lookup-failed', family: 'postfix', subject: 'the server\'s host name and reverse DNS' },
  (facts: PostfixFacts) => [
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
const SMTP_RULES = [
  smtpNotProbed, smtpUnreachable, smtpBannerInvalid, smtpEhloFailed, smtpTlsFailed, smtpCertInvalid, smtpCertExpiring, smtpExtensionsAfterTls, smtpExtensionConflict,
];

const OWN_SERVER_RULES = [
  postfixConfigSyntax, postfixTableMissing, postfixTableNotChecked, postfixMyhostnameUnset, postfixMyhostnameNotFqdn, postfixMyhostnameNoAddress,
  postfixAddressUnknown, postfixInterfaceNotPublic, postfixPtrMissing, postfixPtrNotConfirmed, postfixPtrNotMyhostname,
  postfixMyoriginSpf, postfixBannerHostname, postfixSizeMismatch, postfixStarttlsMissing, postfixCertificateNames, postfixLookupFailed,
];

export const postfixServerRules: readonly Rule<PostfixFacts>[] = [...OWN_SERVER_RULES, ...SMTP_RULES.map((rule) => ({ meta: rule.meta, check: onSmtp(rule) }))];

/** Which parameter makes Postfix accept mail for the domain, at the start of every postfix-domain-* message. */
const ACCEPTS = 'Postfix accepts mail for {{domain}} ({{parameter}})';
const MISROUTED = 'senders deliver its mail elsewhere or nowhere';
const PUBLISH_MX = 'publish "{{domain}}. MX 10 <myhostname>." (an exchange that resolves to this server), or remove the domain from {{parameter}}';

export const postfixDomainNoMx = defineRule({
  id: 'postfix-domain-no-mx', family: 'postfix', severity: 'error', rfc: `RFC 5321 §5.1, ${POSTCONF}#mydestination`,
  summary: 'a domain Postfix accepts mail for has no MX record, and its own address (the implicit MX) is not this server: no mail for it arrives here',
  fix: 'publish an MX record for the domain naming myhostname (or an exchange that resolves to the server), or remove the domain from main.cf',
  messages: {
    nxdomain: { message: `${ACCEPTS}, but the domain does not exist in DNS: ${MISROUTED}.`, fix: PUBLISH_MX },
    noAddress: { message: `${ACCEPTS}, but it has no MX record and no address: ${MISROUTED}.`, fix: PUBLISH_MX },
    implicitElsewhere: { message: `${ACCEPTS}, but it has no MX record, and its own address ({{addresses}}) is not this server: ${MISROUTED}.`, fix: PUBLISH_MX },
  },
}, (facts: AcceptedDomainFacts, report) => {
  const { mx, implicit } = facts.check.facts;
  if (mx.state !== 'nodata' && mx.state !== 'nxdomain') return [];
  const implicitAddresses = implicit ? mailHostAddresses(facts.check)[0]?.addresses ?? [] : [];
  if (implicitAddresses.some((a) => facts.serverAddresses.includes(a))) return [];
  // Whether an implicit MX reaches this server cannot be told without its addresses (postfix-address-unknown says so).
  if (implicitAddresses.length > 0 && facts.serverAddresses.length === 0) return [];
  if (implicit && implicitAddresses.length === 0 && (implicit.a.state === 'failed' || implicit.aaaa.state === 'failed')) return [];
  const { domain, parameter, location } = facts.accepted;
  const place = { target: domain, location };
  if (mx.state === 'nxdomain') return [report('nxdomain', { domain, parameter }, place)];
  return [implicitAddresses.length > 0
    ? report('implicitElsewhere', { domain, parameter, addresses: implicitAddresses.join(', ') }, place)
    : report('noAddress', { domain, parameter }, place)];
});

export const postfixDomainMxElsewhere = defineRule({
  id: 'postfix-domain-mx-elsewhere', family: 'postfix', severity: 'error', rfc: `RFC 5321 §5.1, RFC 7505, ${POSTCONF}#mydestination`,
  severities: {
    error: 'no exchange of the domain resolves to a server address (or the domain has a null MX)',
    unknown: "a lookup of an exchange's addresses failed, and no other exchange points here",
  },
  summary: 'a domain Postfix accepts mail for has MX records, but none of its exchanges resolves to this server\'s addresses: its mail goes to other hosts',
  fix: 'point the MX at this server (an exchange with its address), or remove the domain from main.cf if another server takes its mail',
  messages: {
    elsewhere: {
      message: `${ACCEPTS}, but its MX points at {{pointsAt}}, none of which is this server ({{serverAddresses}}): senders deliver its mail there, not here.`,
      fix: 'point the MX at an exchange that resolves to this server, or remove the domain from {{parameter}} if the other host takes its mail',
    },
    nullMx: {
      message: `${ACCEPTS}, but the domain publishes a null MX: it says it takes no mail at all, so none arrives here.`,
      fix: 'remove the null MX and point the MX at this server, or remove the domain from {{parameter}}',
    },
    lookupFailed: {
      message: `${ACCEPTS}; its MX points at {{pointsAt}}, and a lookup of an exchange's addresses failed: whether its mail comes to {{serverAddresses}} is unknown.`,
      fix: 'retry later, or ask another server (--server)',
    },
  },
}, (facts: AcceptedDomainFacts, report) => {
  const { mx } = facts.check.facts;
  const { domain, parameter, location } = facts.accepted;
  // A failed MX lookup is the mx family's dns-lookup-failed, which always runs for accepted domains.
  if (mx.state !== 'found' || facts.serverAddresses.length === 0) return [];
  const place = { target: domain, location };
  if (mx.records.every((r) => r.data.exchange === '.')) return [report('nullMx', { domain, parameter }, place)];
  const hosts = mailHostAddresses(facts.check);
  if (hosts.some(({ addresses }) => addresses.some((a) => facts.serverAddresses.includes(a)))) return [];
  const failed = facts.check.facts.exchanges.some((e) => e.kind === 'host' && (e.host.a.state === 'failed' || e.host.aaaa.state === 'failed'));
  const data = {
    domain, parameter, serverAddresses: facts.serverAddresses.join(', '),
    pointsAt: hosts.map(({ host, addresses }) => `${host} (${addresses.join(', ') || 'no address'})`).join(', ') || 'no host with an address',
  };
  return [failed ? report('lookupFailed', data, { ...place, severity: 'unknown' }) : report('elsewhere', data, place)];
});

export const postfixDomainRules = [postfixDomainNoMx, postfixDomainMxElsewhere];

/** The rules of `mxlint postfix` for the catalog; the SMTP family's rules it reuses are in the catalog already. */
export const postfixRuleCatalog = [...OWN_SERVER_RULES, ...postfixDomainRules].map((rule) => rule.meta);
