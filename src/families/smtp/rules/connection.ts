import { defineRule } from '../../../core/rule.js';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import { firstDomain } from '../../../smtp/extensions.js';
import { canonicalName } from '../../../dns/name.js';
import { connectedFamily, connectionsWorkFromHere, failedIn, failedWith } from './probe.js';
import { probed, where } from '../../common/smtp-probe.js';

/** Rules about reaching each exchange address and the SMTP dialogue up to EHLO. */

export const smtpNotProbed = defineRule({
  id: 'smtp-not-probed', family: 'smtp', severity: 'unknown', rfc: 'RFC 5321 §5.1, §3.8, §4.5.3.2.1, RFC 6890',
  summary: 'an exchange address was not probed (to the end): its lookup failed, it is not globally routable (no --allow-private), this machine has no route to it or has never connected to any SMTP server of its family in the run (outbound port 25 blocked?), the server answered 421 or greeted later than the greeting deadline, the check\'s deadline cut the probe short, or the run had spent its connection budget',
  fix: 'fix the failed lookup; to probe an internal server on purpose, add --allow-private (or map it with --connect-to)',
  messages: {
    lookupFailed: {
      message: 'The addresses of {{exchange}} could not be looked up ({{failure}}), so its SMTP servers were not probed: their state is unknown.',
      fix: 'fix the lookup, then check again',
    },
    notRoutable: {
      message: "{{exchange}} was not probed at {{address}}: {{reason}}. mxlint does not connect to internal networks on a zone's word.",
      fix: 'add --allow-private to probe it on purpose, or --connect-to to test another address',
    },
    noRoute: {
      message: '{{server}} could not be tried: {{failure}} — the machine mxlint runs on has no route there (often: no IPv6 here), which says nothing about the server.',
      fix: 'run the check from a network with {{network}}',
    },
    deadline: {
      message: 'The probe of {{server}} was cut short at the {{phase}} step ({{failure}}), so its state is unknown.',
      fix: 'check again with a longer --deadline, or find out what holds the check up (slow DNS, a slow server)',
    },
    noConnectivity: {
      message: '{{server}} did not answer: {{failure}}. No SMTP connection over IPv{{family}} to port {{port}} has succeeded from the machine mxlint runs on during this run{{addressNote}}, so outbound connections may be blocked here (common on cloud hosts) — which says nothing about the server.',
      fix: 'run the check from a machine that can connect out to port {{port}} over IPv{{family}}',
    },
    busy: {
      message: '{{server}} answered {{reply}} at the {{phase}} step: "service not available", what servers say when they are busy, limit how often a client may connect, or turn it away for now (postscreen). A temporary refusal, which says nothing lasting about the server: its state is unknown.',
      fix: 'check again later or from another address; if it persists for everyone, raise the server\'s connection limits (Postfix: smtpd_client_connection_rate_limit, postscreen)',
    },
    budgetSpent: {
      message: '{{server}} was not probed: {{failure}} (--smtp-budget), so its state is unknown.',
      fix: 'check the rest in another run, or raise --smtp-budget if a run this big is meant',
    },
    slowGreeting: {
      message: '{{server}} accepted the connection but sent no complete 220 greeting: {{failure}}. Servers delay the greeting on purpose (postscreen waits 6 s by default, some filters longer), so its state is unknown.',
      fix: 'check again with a longer --smtp-greeting-timeout; senders wait up to 5 minutes for a greeting',
    },
  },
}, (facts: SmtpFacts, report) => [
  ...facts.unresolved.map(({ name, failure }) => report('lookupFailed', { exchange: name, failure: failure.message }, { target: name })),
  ...facts.probes.flatMap((probe) => (probe.state !== 'skipped' ? []
    : [report('notRoutable', { exchange: probe.exchange, address: probe.address, reason: probe.reason }, { target: probe.exchange })])),
  ...failedIn(facts, ['connect']).filter(({ failure }) => failure.kind === 'no-route').map(({ probe, failure }) => report('noRoute', {
    server: where(probe, facts.port), failure: failure.message, network: probe.family === 6 ? 'IPv6' : 'a route to it',
  }, { target: probe.exchange })),
  ...failedWith(facts, 'cancelled').map(({ probe, failure }) => report('deadline', {
    server: where(probe, facts.port), phase: failure.phase, failure: failure.message,
  }, { target: probe.exchange })),
  ...failedWith(facts, 'budget').map(({ probe, failure }) => report('budgetSpent', {
    server: where(probe, facts.port), failure: failure.message,
  }, { target: probe.exchange })),
  ...failedWith(facts, 'busy').map(({ probe, failure }) => report('busy', {
    server: where(probe, facts.port), reply: failure.message.replace(/^answered /, ''), phase: failure.phase,
  }, { target: probe.exchange })),
  ...failedIn(facts, ['banner']).filter(({ failure }) => failure.kind === 'timeout').map(({ probe, failure }) => report('slowGreeting', {
    server: where(probe, facts.port), failure: failure.message,
  }, { target: probe.exchange })),
  ...failedIn(facts, ['connect']).filter(({ probe, failure }) => failure.kind === 'timeout' && !connectionsWorkFromHere(facts, probe)).map(({ probe, failure }) => {
    const family = connectedFamily(probe);
    const addressNote = facts.connectivity[family].globalAddress ? '' : ', and this machine has no global IPv6 address';
    return report('noConnectivity', { server: where(probe, facts.port), failure: failure.message, family, port: probe.target.port, addressNote }, { target: probe.exchange });
  }),
]);

export const smtpUnreachable = defineRule({
  id: 'smtp-unreachable', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'no TCP connection to an exchange address on the SMTP port (refused, timed out, unreachable)',
  fix: 'make the mail server listen on port 25 at every address in DNS and open the firewall, or remove the address from DNS',
  messages: {
    unreachable: '{{server}} cannot be reached: {{failure}}. Senders trying this address wait and move on; if every address fails, mail waits in their queues and bounces after days.',
    timedOut: '{{server}} cannot be reached: {{failure}}, while connections from here to other SMTP servers over IPv{{family}} succeed in this run. Senders trying this address wait and move on; if every address fails, mail waits in their queues and bounces after days.',
  },
}, (facts: SmtpFacts, report) => failedIn(facts, ['connect']).flatMap(({ probe, failure }) => {
  const server = where(probe, facts.port);
  if (failure.kind === 'no-route') return [];
  // A timeout from a machine that never connected anywhere is smtp-not-probed: it may be this machine.
  if (failure.kind === 'timeout') return connectionsWorkFromHere(facts, probe) ? [report('timedOut', { server, failure: failure.message, family: connectedFamily(probe) }, { target: probe.exchange })] : [];
  return [report('unreachable', { server, failure: failure.message }, { target: probe.exchange })];
}));

export const smtpBannerInvalid = defineRule({
  id: 'smtp-banner-invalid', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §4.2, §4.3.1',
  summary: 'the server does not greet with a well-formed 220 reply (another code than 220 or 421, garbage, an endless line, or the connection closed)',
  fix: 'make the server greet with "220 its.host.name ESMTP" promptly; a 554 greeting refuses all mail',
  messages: {
    otherCode: {
      message: '{{server}} accepted the connection but greeted with {{reply}}, not 220: senders cannot deliver to it.',
      fix: 'make the server greet with "220 {{exchange}} ESMTP"',
    },
    noGreeting: {
      message: '{{server}} accepted the connection but sent no valid greeting: {{failure}}: senders cannot deliver to it.',
      fix: 'make the server greet with "220 {{exchange}} ESMTP" promptly',
    },
  },
}, (facts: SmtpFacts, report) => failedIn(facts, ['banner']).filter(({ failure }) => failure.kind !== 'timeout').map(({ probe, failure }) => {
  const server = where(probe, facts.port);
  return failure.kind === 'rejected'
    ? report('otherCode', { server, reply: failure.message.replace(/^answered /, ''), exchange: probe.exchange }, { target: probe.exchange })
    : report('noGreeting', { server, failure: failure.message, exchange: probe.exchange }, { target: probe.exchange });
}));

export const smtpEhloFailed = defineRule({
  id: 'smtp-ehlo-failed', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §4.1.1.1',
  summary: 'the server greeted but did not answer EHLO with 250',
  fix: 'make the server accept EHLO from any client name (restrictions on the name belong at RCPT time)',
  messages: {
    ehloRefused: '{{server}} did not accept EHLO: {{failure}}. Without EHLO senders get no ESMTP extensions (no STARTTLS, no SIZE, no 8BITMIME), and some give up.',
  },
}, (facts: SmtpFacts, report) => failedIn(facts, ['ehlo']).map(({ probe, failure }) => report(
  'ehloRefused', { server: where(probe, facts.port), failure: failure.message }, { target: probe.exchange })));

/** Host names compare without case and without a final dot. */
function sameName(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

export const smtpBannerNameMismatch = defineRule({
  id: 'smtp-banner-name-mismatch', family: 'smtp', severity: 'info', rfc: 'RFC 5321 §4.3.1',
  summary: 'the host name in the 220 greeting is neither the exchange name nor a PTR name of the address',
  fix: "set the greeting's host name (Postfix: myhostname / smtpd_banner) to the exchange name, with a matching PTR record",
  messages: {
    otherName: {
      message: 'The greeting of {{server}}, "{{greeting}}", names {{named}}: neither the exchange name nor a name of the address ({{ptr}}). Harmless to delivery, but confusing in logs and to some filters.',
      fix: 'greet with the exchange name, e.g. Postfix myhostname = {{exchange}}',
    },
    noName: {
      message: 'The greeting of {{server}}, "{{greeting}}", names no host: neither the exchange name nor a name of the address ({{ptr}}). Harmless to delivery, but confusing in logs and to some filters.',
      fix: 'greet with the exchange name, e.g. Postfix myhostname = {{exchange}}',
    },
  },
}, (facts: SmtpFacts, report) => probed(facts).flatMap((probe) => {
  const banner = probe.session.banner;
  if (!banner) return [];
  const named = firstDomain(banner.lines[0] ?? '');
  const ptrNames = probe.ptr.state === 'found' ? probe.ptr.names : [];
  if (named !== null && (sameName(named, probe.exchange) || ptrNames.some((n) => sameName(named, n)))) return [];
  const ptr = probe.ptr.state === 'found' ? `PTR ${ptrNames.join(', ')}` : probe.ptr.state === 'none' ? 'no PTR record' : `PTR lookup failed: ${probe.ptr.failure.message}`;
  const data = { server: where(probe, facts.port), greeting: `${banner.code} ${banner.lines[0] ?? ''}`, ptr, exchange: probe.exchange };
  return [named === null
    ? report('noName', data, { target: probe.exchange })
    : report('otherName', { ...data, named }, { target: probe.exchange })];
}));
