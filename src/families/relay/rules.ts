import { defineRule } from '../../core/rule.js';
import type { AddressProbe } from '../../facts/smtp-probes.js';
import { describeReply } from '../../smtp/session.js';
import { where } from '../common/smtp-probe.js';
import type { RelayFacts } from './collect.js';
import { relayVerdict } from './verdict.js';

/** Rules of the open-relay test (`--checks relay`). */

function verdicts(facts: RelayFacts): { probe: AddressProbe; verdict: ReturnType<typeof relayVerdict> }[] {
  return facts.probes.map((probe) => ({ probe, verdict: relayVerdict(probe, facts.ownDomain) }));
}

const GIVE_REAL_ADDRESS = 'run the test again with --relay-test-address at a real domain you control that these servers do not take mail for';

export const relayOpen = defineRule({
  id: 'relay-open', family: 'relay', severity: 'error', rfc: 'RFC 5321 §3.6.1, RFC 2505 §2',
  summary: 'an exchange accepts, from anyone, a recipient at a domain it is not responsible for: an open relay',
  fix: 'relay only for your own networks and authenticated users (Postfix: smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination, with mynetworks listing only your own hosts)',
  messages: {
    accepted: '{{server}} accepted RCPT TO:<{{address}}> after MAIL FROM:<> with {{reply}}: it takes mail for a domain it is not responsible for from anyone, an open relay. Spammers find such servers within hours, and block lists follow.',
  },
}, (facts: RelayFacts, report) => verdicts(facts).flatMap(({ probe, verdict }) => (verdict.verdict !== 'open' || probe.state !== 'probed' ? []
  : [report('accepted', { server: where(probe, facts.port), address: facts.testAddress, reply: describeReply(verdict.rcptTo) }, { target: probe.exchange })])));

export const relayInconclusive = defineRule({
  id: 'relay-inconclusive', family: 'relay', severity: 'unknown', rfc: 'RFC 5321 §3.6.1, RFC 3463 §3.2',
  summary: 'the relay test did not show whether an exchange relays: the test address\'s domain was refused as unknown, the answer was temporary, the null sender was refused, the address is in the domain\'s own organization, or the probe did not get to RCPT TO',
  fix: GIVE_REAL_ADDRESS,
  messages: {
    domainUnknown: {
      message: '{{server}} answered RCPT TO:<{{address}}> with {{reply}}: it refused the recipient\'s domain as unknown before deciding whether it relays, so whether it is an open relay is not known.',
      fix: GIVE_REAL_ADDRESS,
    },
    temporary: {
      message: '{{server}} answered RCPT TO:<{{address}}> with {{reply}}: a temporary answer (greylisting, a busy server) that does not say whether a retry would be accepted.',
      fix: 'run the test again later, or with --relay-test-address at a real domain you control',
    },
    senderRefused: {
      message: '{{server}} refused MAIL FROM:<> with {{reply}}, so the relay test went no further. Refusing the null sender also refuses the bounces other servers send.',
      fix: 'accept MAIL FROM:<> (the sender of bounces), then test again',
    },
    ownDomain: {
      message: '{{server}} accepted RCPT TO:<{{address}}>, but that address is in the organization of {{domain}} itself, which these servers may be responsible for: it says nothing about relaying.',
      fix: 'give --relay-test-address an address at a domain these servers do not take mail for',
    },
    notReached: {
      message: 'The relay test of {{server}} stopped before RCPT TO at the {{phase}} step: {{failure}}.',
      fix: 'see the smtp family\'s findings about this server (--checks smtp), then test again',
    },
    notRoutable: {
      message: '{{exchange}} was not tested at {{address}}: {{reason}}.',
      fix: 'add --allow-private to test it on purpose, or --connect-to to test another address',
    },
    lookupFailed: {
      message: 'The addresses of {{exchange}} could not be looked up ({{failure}}), so its servers were not tested for relaying.',
      fix: 'fix the lookup, then test again',
    },
  },
}, (facts: RelayFacts, report) => [
  ...facts.unresolved.map(({ name, failure }) => report('lookupFailed', { exchange: name, failure: failure.message }, { target: name })),
  ...verdicts(facts).flatMap(({ probe, verdict }) => {
    const place = { target: probe.exchange };
    if (probe.state === 'skipped') return [report('notRoutable', { exchange: probe.exchange, address: probe.address, reason: probe.reason }, place)];
    const server = where(probe, facts.port);
    const address = facts.testAddress;
    switch (verdict.verdict) {
      case 'open': case 'refused': return [];
      case 'not-tested':
        return verdict.why === 'failed' ? [report('notReached', { server, phase: verdict.failure.phase, failure: verdict.failure.message }, place)] : [];
      case 'inconclusive':
        switch (verdict.why) {
          case 'sender-refused': return [report('senderRefused', { server, reply: describeReply(verdict.mailFrom) }, place)];
          case 'own-domain': return [report('ownDomain', { server, address, domain: facts.domain }, place)];
          case 'domain-unknown': return [report('domainUnknown', { server, address, reply: describeReply(verdict.rcptTo) }, place)];
          case 'temporary': return [report('temporary', { server, address, reply: describeReply(verdict.rcptTo) }, place)];
        }
    }
  }),
]);

export const relayRules = [relayOpen, relayInconclusive];
