import { defineRule } from '../../../core/rule.js';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import { firstDomain } from '../../../smtp/extensions.js';
import { canonicalName } from '../../../dns/name.js';
import { cutShort, failedIn } from './probe.js';
import { probed, where } from '../../common/smtp-probe.js';

/** Rules about reaching each exchange address and the SMTP dialogue up to EHLO. */

export const smtpNotProbed = defineRule({
  id: 'smtp-not-probed', family: 'smtp', severity: 'unknown', rfc: 'RFC 5321 §5.1, RFC 6890',
  summary: 'an exchange address was not probed (to the end): its lookup failed, it is not globally routable (no --allow-private), this machine has no route to it, or the check\'s deadline cut the probe short',
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
  },
}, (facts: SmtpFacts, report) => [
  ...facts.unresolved.map(({ name, failure }) => report('lookupFailed', { exchange: name, failure: failure.message }, { target: name })),
  ...facts.probes.flatMap((probe) => (probe.state !== 'skipped' ? []
    : [report('notRoutable', { exchange: probe.exchange, address: probe.address, reason: probe.reason }, { target: probe.exchange })])),
  ...failedIn(facts, ['connect']).filter(({ failure }) => failure.kind === 'no-route').map(({ probe, failure }) => report('noRoute', {
    server: where(probe, facts.port), failure: failure.message, network: probe.family === 6 ? 'IPv6' : 'a route to it',
  }, { target: probe.exchange })),
  ...cutShort(facts).map(({ probe, failure }) => report('deadline', {
    server: where(probe, facts.port), phase: failure.phase, failure: failure.message,
  }, { target: probe.exchange })),
]);

export const smtpUnreachable = defineRule({
  id: 'smtp-unreachable', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'no TCP connection to an exchange address on the SMTP port (refused, timed out, unreachable)',
  fix: 'make the mail server listen on port 25 at every address in DNS and open the firewall, or remove the address from DNS',
  messages: {
    unreachable: '{{server}} cannot be reached: {{failure}}. Senders trying this address wait and move on; if every address fails, mail waits in their queues and bounces after days.',
    timedOut: '{{server}} cannot be reached: {{failure}}. Senders trying this address wait and move on; if every address fails, mail waits in their queues and bounces after days. (If every server times out, outgoing port 25 may be blocked where mxlint runs.)',
  },
}, (facts: SmtpFacts, report) => failedIn(facts, ['connect']).filter(({ failure }) => failure.kind !== 'no-route').map(({ probe, failure }) => report(
  failure.kind === 'timeout' ? 'timedOut' : 'unreachable', { server: where(probe, facts.port), failure: failure.message }, { target: probe.exchange })));

export const smtpBannerInvalid = defineRule({
  id: 'smtp-banner-invalid', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §4.2, §4.3.1',
  summary: 'the server does not greet with a well-formed 220 reply (another code, garbage, an endless line, or nothing in time)',
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
}, (facts: SmtpFacts, report) => failedIn(facts, ['banner']).map(({ probe, failure }) => {
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
