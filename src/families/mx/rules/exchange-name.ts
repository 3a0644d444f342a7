import { defineRule } from '../../../core/rule.js';
import type { MailFacts } from '../../../facts/mail.js';
import { aliasChain } from '../../../facts/host.js';
import { aliasChainBroken } from '../../../facts/chain.js';

/** Rules about how an exchange is named: an address, an alias, a typo, a name listed twice. */

function mxLine(facts: MailFacts, exchange: string): string {
  const prefs = facts.mx.state === 'found'
    ? facts.mx.records.filter((r) => r.data.exchange === exchange).map((r) => r.data.preference)
    : [];
  return `MX ${prefs.join('/')} ${exchange}`;
}

export const mxTargetIpLiteral = defineRule({
  id: 'mx-target-ip-literal', family: 'mx', severity: 'error', rfc: 'RFC 1035 §3.3.9, RFC 5321 §5.1',
  summary: 'the exchange is an IP address, e.g. 192.0.2.1., not a host name',
  fix: 'give the server a name with an A/AAAA record and point the MX at that name',
  messages: {
    ipLiteral: {
      message: '{{mx}} names an IP address, not a host: senders look "{{exchange}}" up as a name and find nothing.',
      fix: 'give the server a name (e.g. "mail.{{domain}}. A {{exchange}}") and point the MX at it',
    },
  },
}, (facts: MailFacts, report) => facts.exchanges.flatMap((e) => (e.kind !== 'ip-literal' ? []
  : [report('ipLiteral', { mx: mxLine(facts, e.name), exchange: e.name, domain: facts.domain }, { target: e.name })])));

export const mxTargetCname = defineRule({
  id: 'mx-target-cname', family: 'mx', severity: 'error', rfc: 'RFC 2181 §10.3, RFC 5321 §5.1',
  summary: 'the exchange is an alias (CNAME), directly or through a chain',
  fix: 'point the MX at the canonical host name the alias leads to',
  messages: {
    alias: {
      message: "{{mx}} points to an alias (CNAME {{chain}}); an MX must name a host's canonical name, not an alias, and some senders refuse it.",
      fix: 'point the MX at {{canonical}}',
    },
    // A looping or endless chain has no canonical name to recommend.
    brokenAlias: {
      message: "{{mx}} points to an alias (CNAME {{chain}}) that leads nowhere; an MX must name a host's canonical name, not an alias, and some senders refuse it.",
      fix: 'point the MX at a host name that has its own A/AAAA records',
    },
  },
}, (facts: MailFacts, report) => facts.exchanges.flatMap((e) => {
  if (e.kind !== 'host') return [];
  const chain = aliasChain(e.host);
  if (chain.length === 0) return [];
  const data = { mx: mxLine(facts, e.name), chain: [e.name, ...chain].join(' → ') };
  return [[e.host.a, e.host.aaaa].some(aliasChainBroken)
    ? report('brokenAlias', data, { target: e.name })
    : report('alias', { ...data, canonical: chain[chain.length - 1]! }, { target: e.name })];
}));

/** Labels ending the name twice over, e.g. "example.com" in mail.example.com.example.com; null if none. */
export function repeatedSuffix(name: string): string | null {
  const labels = name.split('.');
  const n = labels.length;
  for (let size = Math.floor(n / 2); size >= 2; size--) {
    let same = true;
    for (let i = 0; i < size && same; i++) same = labels[n - size + i] === labels[n - 2 * size + i];
    if (same) return labels.slice(n - size).join('.');
  }
  return null;
}

export const mxTargetMissingDot = defineRule({
  id: 'mx-target-missing-dot', family: 'mx', severity: 'warning', rfc: 'RFC 1035 §5.1',
  summary: 'the exchange ends with its zone written twice (mail.example.com.example.com): a zone entry without its trailing dot',
  fix: 'end the exchange with a dot in the zone file (MX 10 mail.example.com.)',
  messages: {
    originTwice: {
      message: '{{mx}} ends with "{{suffix}}" twice: the zone file most likely says "{{meant}}" without the final dot, so the origin was appended again.',
      fix: 'write "{{meant}}." with the trailing dot',
    },
    // Reported only in zone files (--zone), where how the exchange was written is known.
    relativeNotInZone: {
      message: 'MX {{preference}} {{written}} at {{owner}} has no final dot, so it means {{exchange}}, which does not exist in the zone.',
      fix: 'if the host lies outside the zone, end its name with a dot ("{{written}}."); otherwise correct the name',
    },
  },
}, (facts: MailFacts, report) => facts.exchanges.flatMap((e) => {
  if (e.kind === 'ip-literal') return [];
  const suffix = repeatedSuffix(e.name);
  if (suffix === null) return [];
  return [report('originTwice', { mx: mxLine(facts, e.name), suffix, meant: e.name.slice(0, -(suffix.length + 1)) }, { target: e.name })];
}));

export const mxTargetSyntax = defineRule({
  id: 'mx-target-syntax', family: 'mx', severity: 'error', rfc: 'RFC 5321 §2.3.5, RFC 1123 §2.1',
  summary: 'the exchange is not a valid host name (letters, digits, interior hyphens; no underscores)',
  fix: 'rename the host with letters, digits and hyphens only and point the MX at that name',
  messages: {
    invalid: '{{mx}} is not a valid host name: {{problem}}; senders may refuse it.',
  },
}, (facts: MailFacts, report) => facts.exchanges.flatMap((e) => (e.kind === 'ip-literal' || e.syntaxProblem === null ? []
  : [report('invalid', { mx: mxLine(facts, e.name), problem: e.syntaxProblem }, { target: e.name })])));

export const mxTargetDuplicate = defineRule({
  id: 'mx-target-duplicate', family: 'mx', severity: 'warning', rfc: 'RFC 5321 §5.1',
  summary: 'the same exchange is listed more than once',
  fix: 'keep one MX record per exchange, with the preference you mean',
  messages: {
    duplicate: '{{exchange}} is listed {{count}} times (preferences {{preferences}}); the extra records add no redundancy and confuse the order senders try.',
  },
}, (facts: MailFacts, report) => {
  if (facts.mx.state !== 'found') return [];
  const counts = new Map<string, number[]>();
  for (const { data } of facts.mx.records) counts.set(data.exchange, [...(counts.get(data.exchange) ?? []), data.preference]);
  return [...counts].flatMap(([exchange, prefs]) => (prefs.length < 2 || exchange === '.' ? []
    : [report('duplicate', { exchange, count: prefs.length, preferences: prefs.join(', ') }, { target: exchange })]));
});
