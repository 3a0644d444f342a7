import type { Rule } from '../../../core/rule.js';
import { defineLegacyRule } from '../../../core/legacy-rule.js';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import { firstDomain } from '../../../smtp/extensions.js';
import { canonicalName } from '../../../dns/name.js';
import { failedIn, probed, where } from './probe.js';

/** Rules about reaching each exchange address and the SMTP dialogue up to EHLO. */

export const smtpNotProbed: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-not-probed', family: 'smtp', severity: 'unknown', rfc: 'RFC 5321 §5.1, RFC 6890',
  summary: 'an exchange address was not probed: its lookup failed, it is not globally routable (no --allow-private), or this machine has no route to it',
  fix: 'fix the failed lookup; to probe an internal server on purpose, add --allow-private (or map it with --connect-to)',
}, (facts, report) => [
  ...facts.unresolved.map(({ name, failure }) => report(
    `The addresses of ${name} could not be looked up (${failure.message}), so its SMTP servers were not probed: their state is unknown. Fix the lookup, then check again.`,
    name)),
  ...facts.probes.flatMap((probe) => (probe.state !== 'skipped' ? [] : [report(
    `${probe.exchange} was not probed at ${probe.address}: ${probe.reason}. mxlint does not connect to internal networks on a zone's word (RFC 6890). Add --allow-private to probe it on purpose, or --connect-to to test another address.`,
    probe.exchange)])),
  ...failedIn(facts, ['connect']).filter(({ failure }) => failure.kind === 'no-route').map(({ probe, failure }) => report(
    `${where(probe, facts.port)} could not be tried: ${failure.message} — the machine mxlint runs on has no route there (often: no IPv6 here), which says nothing about the server. Run the check from a network with ${probe.family === 6 ? 'IPv6' : 'a route to it'}.`,
    probe.exchange)),
]);

export const smtpUnreachable: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-unreachable', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §5.1',
  summary: 'no TCP connection to an exchange address on the SMTP port (refused, timed out, unreachable)',
  fix: 'make the mail server listen on port 25 at every address in DNS and open the firewall, or remove the address from DNS',
}, (facts, report) => failedIn(facts, ['connect']).filter(({ failure }) => failure.kind !== 'no-route').map(({ probe, failure }) => report(
  `${where(probe, facts.port)} cannot be reached: ${failure.message}. Senders trying this address wait and move on; if every address fails, mail waits in their queues and bounces after days (RFC 5321 §5.1). Make the server listen there and open the firewall, or remove the address from DNS.${failure.kind === 'timeout' ? ' (If every server times out, outgoing port 25 may be blocked where mxlint runs.)' : ''}`,
  probe.exchange)));

export const smtpBannerInvalid: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-banner-invalid', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §4.2, §4.3.1',
  summary: 'the server does not greet with a well-formed 220 reply (another code, garbage, an endless line, or nothing in time)',
  fix: 'make the server greet with "220 its.host.name ESMTP" promptly; a 554 greeting refuses all mail',
}, (facts, report) => failedIn(facts, ['banner']).map(({ probe, failure }) => report(
  `${where(probe, facts.port)} accepted the connection but ${failure.kind === 'rejected' ? `greeted with ${failure.message.replace(/^answered /, '')}, not 220` : `sent no valid greeting: ${failure.message}`}: senders cannot deliver to it (RFC 5321 §4.3.1). Make the server greet with "220 ${probe.exchange} ESMTP".`,
  probe.exchange)));

export const smtpEhloFailed: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-ehlo-failed', family: 'smtp', severity: 'error', rfc: 'RFC 5321 §4.1.1.1',
  summary: 'the server greeted but did not answer EHLO with 250',
  fix: 'make the server accept EHLO from any client name (restrictions on the name belong at RCPT time)',
}, (facts, report) => failedIn(facts, ['ehlo']).map(({ probe, failure }) => report(
  `${where(probe, facts.port)} did not accept EHLO: ${failure.message}. Without EHLO senders get no ESMTP extensions (no STARTTLS, no SIZE, no 8BITMIME), and some give up (RFC 5321 §4.1.1.1). Make it accept EHLO; reject unwanted clients at RCPT time instead.`,
  probe.exchange)));

/** Host names compare without case and without a final dot. */
function sameName(a: string, b: string): boolean {
  return canonicalName(a) === canonicalName(b);
}

export const smtpBannerNameMismatch: Rule<SmtpFacts> = defineLegacyRule({
  id: 'smtp-banner-name-mismatch', family: 'smtp', severity: 'info', rfc: 'RFC 5321 §4.3.1',
  summary: 'the host name in the 220 greeting is neither the exchange name nor a PTR name of the address',
  fix: "set the greeting's host name (Postfix: myhostname / smtpd_banner) to the exchange name, with a matching PTR record",
}, (facts, report) => probed(facts).flatMap((probe) => {
  const banner = probe.session.banner;
  if (!banner) return [];
  const named = firstDomain(banner.lines[0] ?? '');
  const ptrNames = probe.ptr.state === 'found' ? probe.ptr.names : [];
  if (named !== null && (sameName(named, probe.exchange) || ptrNames.some((n) => sameName(named, n)))) return [];
  const ptr = probe.ptr.state === 'found' ? `PTR ${ptrNames.join(', ')}` : probe.ptr.state === 'none' ? 'no PTR record' : `PTR lookup failed: ${probe.ptr.failure.message}`;
  const greeting = named === null ? 'names no host' : `names ${named}`;
  return [report(
    `The greeting of ${where(probe, facts.port)}, "${banner.code} ${banner.lines[0] ?? ''}", ${greeting}: neither the exchange name nor a name of the address (${ptr}). Harmless to delivery, but confusing in logs and to some filters (RFC 5321 §4.3.1). Greet with the exchange name, e.g. Postfix myhostname = ${probe.exchange}.`,
    probe.exchange)];
}));
