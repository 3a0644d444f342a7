import type { AuthoritativeFacts, ServerView } from './facts.js';
import { serverLabel } from './facts.js';
import type { ChainOutcome } from '../../facts/chain.js';
import type { MailFacts } from '../../facts/mail.js';
import { compareText } from '../../core/finding.js';
import { defineRule } from '../../core/rule.js';

/** Rules about the zone's name servers themselves, asked one by one without recursion. */

type StatusProblem = Exclude<ServerView['probe']['status'], 'authoritative'>;
type ServerWithProblem = ServerView & { probe: { status: StatusProblem; problem: string } };

/** How a message places the servers: "of example.com", or "given for example.com (--ns)". */
function ofZone(facts: AuthoritativeFacts): string {
  return facts.source === 'given' ? `given for ${facts.zone} (--ns)` : `of ${facts.zone}`;
}

/** The servers whose SOA probe ended in `status`. */
function serversWith(facts: AuthoritativeFacts, status: StatusProblem): ServerWithProblem[] {
  return facts.servers.filter((server): server is ServerWithProblem => server.probe.status === status);
}

export const nsUnreachable = defineRule({
  id: 'ns-unreachable', family: 'authoritative', severity: 'unknown', rfc: 'RFC 2182',
  summary: 'a name server of the zone gives no usable answer (timeout, network error, no address): what it serves is unknown',
  fix: 'make every listed name server answer on UDP and TCP port 53, or take it out of the NS set',
  messages: {
    unreachable: 'Name server {{server}} {{ofZone}} {{problem}}: what it serves could not be checked, and resolvers that pick it wait and retry elsewhere.',
  },
}, (facts: AuthoritativeFacts, report) => serversWith(facts, 'unreachable').map((server) => report(
  'unreachable', { server: serverLabel(server), ofZone: ofZone(facts), problem: server.probe.problem }, { target: server.name })));

export const nsLame = defineRule({
  id: 'ns-lame', family: 'authoritative', severity: 'error', rfc: 'RFC 8499 §7',
  summary: 'a name server of the zone answers REFUSED or SERVFAIL for it, or has no SOA for it: a lame delegation',
  fix: 'load the zone on that server (or fix what makes it fail), or take the server out of the NS set',
  messages: {
    lame: 'Name server {{server}} of {{zone}} {{problem}}: it does not serve the zone (a lame delegation). Resolvers that ask it get no answer and must try another server; when they all fail, mail to the domain is deferred and eventually bounces.',
    // --ns: the zone need not be delegated to the server yet.
    notReady: {
      message: 'Name server {{server}} given for {{zone}} (--ns) {{problem}}: it does not serve the zone, which it must before delegating to it; as it is, it would be a lame delegation. Resolvers that ask it would get no answer and must try another server; when they all fail, mail to the domain is deferred and eventually bounces.',
      fix: 'load the zone on that server (or fix what makes it fail) before delegating to it, or leave it out of the NS set',
    },
  },
}, (facts: AuthoritativeFacts, report) => serversWith(facts, 'lame').map((server) => report(
  facts.source === 'given' ? 'notReady' : 'lame', { server: serverLabel(server), zone: facts.zone, problem: server.probe.problem }, { target: server.name })));

export const nsNotAuthoritative = defineRule({
  id: 'ns-not-authoritative', family: 'authoritative', severity: 'error', rfc: 'RFC 1035 §4.1.1',
  summary: 'a name server of the zone answers without the AA flag (from a cache, as a resolver, or with a referral)',
  fix: 'configure the zone on that server as primary or secondary, so it answers with authority, or take it out of the NS set',
  messages: {
    notAuthoritative: 'Name server {{server}} {{ofZone}} {{problem}}. Resolvers treat such a server as lame and discard its answers: only the AA flag marks an answer from the zone itself.',
  },
}, (facts: AuthoritativeFacts, report) => serversWith(facts, 'not-authoritative').map((server) => report(
  'notAuthoritative', { server: serverLabel(server), ofZone: ofZone(facts), problem: server.probe.problem }, { target: server.name })));

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

/** Why a disagreement between the servers matters. */
const EITHER_ANSWER = 'Senders get one answer or the other depending on which server their resolver asks.';

export const nsMxInconsistent = defineRule({
  id: 'ns-mx-inconsistent', family: 'authoritative', severity: 'warning', rfc: 'RFC 1034 §4.3.5',
  summary: "the zone's name servers disagree on the MX records or on an exchange's addresses (an old zone version somewhere)",
  fix: 'make every server serve the same zone version: raise the SOA serial with every change, check zone transfers (NOTIFY, AXFR/IXFR)',
  messages: {
    mxRecords: `The name servers {{ofZone}} disagree on the MX records of {{domain}}: {{says}}. ${EITHER_ANSWER}`,
    exchangeAddresses: `The name servers {{ofZone}} disagree on the addresses of MX exchange {{exchange}}: {{says}}. ${EITHER_ANSWER}`,
  },
}, (facts: AuthoritativeFacts, report) => {
  const servers = answering(facts);
  const mx = whoSaysWhat(servers, mxSays);
  const exchanges = [...new Set(servers.flatMap((s) => s.mail.exchanges.map((e) => e.name)))].sort(compareText);
  return [
    ...(mx === null ? [] : [report('mxRecords', { ofZone: ofZone(facts), domain: facts.domain, says: mx.join('; ') })]),
    ...exchanges.flatMap((exchange) => {
      const said = whoSaysWhat(servers, (mail) => exchangeSays(mail, exchange));
      return said === null ? [] : [report('exchangeAddresses', { ofZone: ofZone(facts), exchange, says: said.join('; ') }, { target: exchange })];
    }),
  ];
});

export const authoritativeRules = [nsUnreachable, nsLame, nsNotAuthoritative, nsMxInconsistent];

export const authoritativeRuleCatalog = authoritativeRules.map((rule) => rule.meta);
