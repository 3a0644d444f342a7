import type { AddressProbe } from '../../facts/smtp-probes.js';
import type { SmtpFailure } from '../../smtp/session.js';
import type { SmtpReply } from '../../smtp/reply-reader.js';

/** What one address's relay test shows. */
export type RelayVerdict =
  /** RCPT TO accepted for a domain the server has no business with: it relays for anyone. */
  | { verdict: 'open'; rcptTo: SmtpReply }
  /** RCPT TO refused, and not for a reason that leaves relaying undecided. */
  | { verdict: 'refused'; rcptTo: SmtpReply }
  /** Asked, but the answer does not say whether the server relays. */
  | { verdict: 'inconclusive'; why: 'domain-unknown' | 'temporary' | 'own-domain'; rcptTo: SmtpReply }
  | { verdict: 'inconclusive'; why: 'sender-refused'; mailFrom: SmtpReply }
  /** The probe did not get as far as RCPT TO. */
  | { verdict: 'not-tested'; why: 'skipped'; reason: string }
  | { verdict: 'not-tested'; why: 'failed'; failure: SmtpFailure };

/** RFC 3463 enhanced status code at the start of a reply's text: class, subject, detail. */
const ENHANCED_CODE = /^([245])\.(\d{1,3})\.(\d{1,3})\b/;
/**
 * The recipient's domain is refused as a destination, before any decision on relaying: X.1.2 "bad
 * destination system address" (RFC 3463 §3.2), X.1.10 "recipient address has null MX" (RFC 7505 §4.2).
 */
const DESTINATION_REFUSED = new Set(['1.2', '1.10']);
/** The same said in words, by servers that send no enhanced code. */
const DOMAIN_UNKNOWN_TEXT = /domain (?:not found|does not exist|unknown)|unknown domain|no such domain|unrouteable/i;

function domainRefused(reply: SmtpReply): boolean {
  const text = reply.lines.join(' ');
  const enhanced = ENHANCED_CODE.exec(text);
  return enhanced ? DESTINATION_REFUSED.has(`${enhanced[2]}.${enhanced[3]}`) : DOMAIN_UNKNOWN_TEXT.test(text);
}

/**
 * A temporary answer that still refuses relaying: Postfix's default defer_unauth_destination says
 * "454 4.7.1 <…>: Relay access denied". Greylisting also uses 4.7.1 at times, so the words decide.
 */
const RELAY_REFUSED_TEXT = /relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited)|not permitted to relay/i;

function policyRefusal(reply: SmtpReply): boolean {
  return RELAY_REFUSED_TEXT.test(reply.lines.join(' '));
}

export function relayVerdict(probe: AddressProbe, ownDomain: boolean): RelayVerdict {
  if (probe.state === 'skipped') return { verdict: 'not-tested', why: 'skipped', reason: probe.reason };
  const { envelope, failure } = probe.session;
  const rcptTo = envelope?.rcptTo ?? null;
  if (rcptTo === null) {
    if (failure?.phase === 'mail-from' && failure.kind === 'rejected' && envelope?.mailFrom) return { verdict: 'inconclusive', why: 'sender-refused', mailFrom: envelope.mailFrom };
    return { verdict: 'not-tested', why: 'failed', failure: failure ?? { phase: 'rcpt-to', kind: 'closed', message: 'the probe ended before RCPT TO' } };
  }
  if (rcptTo.code >= 200 && rcptTo.code < 300) return ownDomain ? { verdict: 'inconclusive', why: 'own-domain', rcptTo } : { verdict: 'open', rcptTo };
  if (domainRefused(rcptTo)) return { verdict: 'inconclusive', why: 'domain-unknown', rcptTo };
  if (rcptTo.code >= 400 && rcptTo.code < 500 && !policyRefusal(rcptTo)) return { verdict: 'inconclusive', why: 'temporary', rcptTo };
  return { verdict: 'refused', rcptTo };
}
