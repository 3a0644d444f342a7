import type { AuthoritativeFacts, ServerView } from './facts.js';
import { serverLabel } from './facts.js';
import type { ChainOutcome } from '../../facts/chain.js';
import type { MailFacts } from '../../facts/mail.js';
import { compareText } from '../../core/finding.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
import type { Rule } from '../../core/rule.js';
import type { LegacyRuleMeta } from '../../core/legacy-rule.js';

/** Rules about the zone's name servers themselves, asked one by one without recursion. */

type StatusProblem = Exclude<ServerView['probe']['status'], 'authoritative'>;
type ServerWithProblem = ServerView & { probe: { status: StatusProblem; problem: string } };

function whose(facts: AuthoritativeFacts): string {
  return facts.source === 'given' ? `given for ${facts.zone} (--ns)` : `of ${facts.zone}`;
}

/** A rule with a finding for every server whose SOA probe ended in `status`, about that server. */
function serverStatusRule(meta: LegacyRuleMeta, status: StatusProblem, message: (server: ServerWithProblem, facts: AuthoritativeFacts) => string): Rule<AuthoritativeFacts> {
  return defineLegacyRule(meta, (facts, report) => facts.servers
    .filter((server): server is ServerWithProblem => server.probe.status === status)
    .map((server) => report(message(server, facts), server.name)));
}

export const nsUnreachable = serverStatusRule({
  id: 'ns-unreachable', family: 'authoritative', severity: 'unknown', rfc: 'RFC 2182',
  summary: 'a name server of the zone gives no usable answer (timeout, network error, no address): what it serves is unknown',
  fix: 'make every listed name server answer on UDP and TCP port 53, or take it out of the NS set',
}, 'unreachable', (server, facts) =>
  `Name server ${serverLabel(server)} ${whose(facts)} ${server.probe.problem}: what it serves could not be checked, and resolvers that pick it wait and retry elsewhere. Make it answer on UDP and TCP port 53, or take it out of the NS set.`);

export const nsLame = serverStatusRule({
  id: 'ns-lame', family: 'authoritative', severity: 'error', rfc: 'RFC 8499 §7',
  summary: 'a name server of the zone answers REFUSED or SERVFAIL for it, or has no SOA for it: a lame delegation',
  fix: 'load the zone on that server (or fix what makes it fail), or take the server out of the NS set',
}, 'lame', (server, facts) =>
  `Name server ${serverLabel(server)} ${whose(facts)} ${server.probe.problem}: it does not serve the zone (a lame delegation). Resolvers that ask it get no answer and must try another server; when they all fail, mail to the domain is deferred and eventually bounces. Load the zone on it, or take it out of the NS set${facts.source === 'given' ? ' before delegating to it' : ''}.`);

export const nsNotAuthoritative = serverStatusRule({
  id: 'ns-not-authoritative', family: 'authoritative', severity: 'error', rfc: 'RFC 1035 §4.1.1',
  summary: 'a name server of the zone answers without the AA flag (from a cache, as a resolver, or with a referral)',
  fix: 'configure the zone on that server as primary or secondary, so it answers with authority',
}, 'not-authoritative', (server, facts) =>
  `Name server ${serverLabel(server)} ${whose(facts)} ${server.probe.problem}. Resolvers treat such a server as lame and discard its answers (RFC 1035 §4.1.1: AA marks an answer from the zone itself). Configure the zone on it as primary or secondary, or take it out of the NS set.`);

/** Servers that answered with authority and whose MX facts are known. */
function answering(facts: AuthoritativeFacts): (ServerView & { mail: MailFacts })[] {
  return facts.servers.filter((s): s is ServerView & { mail: MailFacts } => s.probe.status === 'authoritative' && s.mail !== null);
}

function describeServer(server: ServerView): string {
  return serverLabel(server, server.probe.status === 'authoritative' ? server.probe.serial : undefined);
}

/** What a server says of the MX RRset, as one comparable line. */
function mxSays(mail: MailFacts): string {
  const { mx } = mail;
  if (mx.state === 'found') {
    return mx.records.map((r) => `MX ${r.data.preference} ${r.data.exchange}`).sort(compareText).join(', ');
  }
  return { nodata: 'no MX records', nxdomain: 'that the domain does not exist', failed: 'nothing (the lookup failed)', loop: 'a CNAME loop' }[mx.state];
}

function addressesSay(outcome: ChainOutcome<'A' | 'AAAA'>, family: string): string {
  const alias = outcome.chain.length > 0 ? `CNAME ${outcome.chain.join(' → ')}, ` : '';
  if (outcome.state === 'found') return `${alias}${family} ${outcome.records.map((r) => r.data).sort(compareText).join(' ')}`;
  return `${alias}no ${family} (${outcome.state})`;
}

/** What a server says of one exchange's addresses, or null when it did not answer for it. */
function exchangeSays(mail: MailFacts, exchange: string): string | null {
  const host = mail.exchanges.find((e) => e.name === exchange);
  if (host === undefined || host.kind !== 'host' || host.host.a.state === 'failed' || host.host.aaaa.state === 'failed') return null;
  return `${addressesSay(host.host.a, 'A')}, ${addressesSay(host.host.aaaa, 'AAAA')}`;
}

/** Servers grouped by what they say, each group as "ns1 (…), ns2 (…) say X". */
function whoSaysWhat(servers: (ServerView & { mail: MailFacts })[], says: (mail: MailFacts) => string | null): string[] | null {
  const groups = new Map<string, string[]>();
  for (const server of servers) {
    const said = says(server.mail);
    if (said === null) continue;
    groups.set(said, [...(groups.get(said) ?? []), describeServer(server)]);
  }
  if (groups.size < 2) return null;
  return [...groups].map(([said, who]) => `${who.join(' and ')} ${who.length === 1 ? 'says' : 'say'} ${said}`);
}

export const nsMxInconsistent: Rule<AuthoritativeFacts> = defineLegacyRule({
  id: 'ns-mx-inconsistent', family: 'authoritative', severity: 'warning', rfc: 'RFC 1034 §4.3.5',
  summary: "the zone's name servers disagree on the MX records or on an exchange's addresses (an old zone version somewhere)",
  fix: 'make every server serve the same zone version: raise the serial, check zone transfers (NOTIFY, AXFR/IXFR)',
}, (facts, report) => {
  const servers = answering(facts);
  const fix = 'Senders get one answer or the other depending on which server their resolver asks. Make every server serve the same zone version: raise the SOA serial with every change and check the zone transfers (RFC 1034 §4.3.5).';
  const mx = whoSaysWhat(servers, mxSays);
  const exchanges = [...new Set(servers.flatMap((s) => s.mail.exchanges.map((e) => e.name)))].sort(compareText);
  return [
    ...(mx === null ? [] : [report(`The name servers ${whose(facts)} disagree on the MX records of ${facts.domain}: ${mx.join('; ')}. ${fix}`)]),
    ...exchanges.flatMap((exchange) => {
      const said = whoSaysWhat(servers, (mail) => exchangeSays(mail, exchange));
      return said === null ? [] : [report(`The name servers ${whose(facts)} disagree on the addresses of MX exchange ${exchange}: ${said.join('; ')}. ${fix}`, exchange)];
    }),
  ];
});

export const authoritativeRules: readonly Rule<AuthoritativeFacts>[] = [nsUnreachable, nsLame, nsNotAuthoritative, nsMxInconsistent];

export const authoritativeRuleCatalog: readonly LegacyRuleMeta[] = authoritativeRules.map((rule) => rule.meta);
