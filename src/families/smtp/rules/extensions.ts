import { defineRule } from '../../../core/rule.js';
import type { SmtpFacts } from '../../../facts/smtp-probes.js';
import type { EhloFacts } from '../../../smtp/extensions.js';
import { probed, where } from '../../common/smtp-probe.js';

/** Rules about the extensions the EHLO replies offer, before and after STARTTLS. */

/**
 * The extensions that change what a sender may send or how, compared before and after STARTTLS.
 * AUTH is left out: servers rightly offer it only over TLS (RFC 3207 §4.2 allows the lists to differ).
 */
const TRANSPORT_EXTENSIONS = ['SIZE', 'PIPELINING', '8BITMIME', 'SMTPUTF8', 'CHUNKING', 'BINARYMIME', 'DSN', 'ENHANCEDSTATUSCODES', 'REQUIRETLS'];

/** RFC 5321 §4.5.3.1.7: the least message size every SMTP server must accept. */
const MIN_MESSAGE_SIZE = 65_536;

/** What a SIZE offer allows, for comparing: no number (or 0) is no fixed limit. */
function sizeLimit(ehlo: EhloFacts): number {
  return ehlo.size === null || ehlo.size === 0 ? Infinity : ehlo.size;
}

export const smtpExtensionsAfterTls = defineRule({
  id: 'smtp-extensions-after-tls', family: 'smtp', severity: 'warning', rfc: 'RFC 3207 §4.2',
  summary: 'the EHLO reply after STARTTLS offers STARTTLS again, drops extensions offered in clear text (SIZE, 8BITMIME, SMTPUTF8, CHUNKING, REQUIRETLS …) or a smaller SIZE: mail sent over TLS gets less than mail sent in clear',
  fix: 'offer the same extensions over TLS as in clear text (a filter or proxy that terminates TLS is the usual cause), and no STARTTLS once TLS is on',
  messages: {
    starttlsAgain: {
      message: '{{server}} offers STARTTLS again in its EHLO reply over TLS: a server must not, and a sender that takes it at its word starts TLS inside TLS and fails.',
      fix: 'stop offering STARTTLS once the session is encrypted (the server software, or a proxy in front of it, gets this wrong)',
    },
    lost: '{{server}} offers {{lost}} in clear text but not after STARTTLS: mail sent over TLS — all of it from senders that use DANE or MTA-STS — cannot use {{them}}.',
    smallerSize: '{{server}} offers SIZE {{before}} in clear text but SIZE {{after}} after STARTTLS: messages between the two sizes are refused when they come over TLS.',
  },
}, (facts: SmtpFacts, report) => probed(facts).flatMap((probe) => {
  const { ehlo, ehloAfterTls } = probe.session;
  if (ehlo === null || ehloAfterTls === null) return [];
  const server = where(probe, facts.port);
  const place = { target: probe.exchange };
  const lost = TRANSPORT_EXTENSIONS.filter((keyword) => ehlo.keywords.includes(keyword) && !ehloAfterTls.keywords.includes(keyword));
  const smaller = !lost.includes('SIZE') && sizeLimit(ehloAfterTls) < sizeLimit(ehlo);
  return [
    ...(ehloAfterTls.starttls ? [report('starttlsAgain', { server }, place)] : []),
    ...(lost.length > 0 ? [report('lost', { server, lost: lost.join(', '), them: lost.length === 1 ? 'it' : 'them' }, place)] : []),
    ...(smaller ? [report('smallerSize', { server, before: ehlo.size ?? 0, after: ehloAfterTls.size ?? 0 }, place)] : []),
  ];
}));

export const smtpExtensionConflict = defineRule({
  id: 'smtp-extension-conflict', family: 'smtp', severity: 'warning', rfc: 'RFC 6531 §3.1, RFC 3030 §3, RFC 5321 §4.5.3.1.7',
  summary: 'the EHLO reply senders act on contradicts a standard: SMTPUTF8 without 8BITMIME, BINARYMIME without CHUNKING, or a SIZE below the 64 KiB every server must take',
  fix: 'offer 8BITMIME with SMTPUTF8 and CHUNKING with BINARYMIME, and accept messages of at least 64 KiB',
  messages: {
    smtputf8Without8bitmime: {
      message: '{{server}} offers SMTPUTF8 but not 8BITMIME{{when}}: a server offering SMTPUTF8 must also offer 8BITMIME, and senders of internationalized mail need both.',
      fix: 'offer 8BITMIME as well (Postfix offers both unless smtpd_discard_ehlo_keywords removes one)',
    },
    binarymimeWithoutChunking: {
      message: '{{server}} offers BINARYMIME but not CHUNKING{{when}}: binary bodies can only be sent with BDAT, so BINARYMIME is unusable.',
      fix: 'offer CHUNKING as well, or stop offering BINARYMIME',
    },
    sizeTooSmall: {
      message: '{{server}} offers SIZE {{size}}{{when}}: every SMTP server must accept messages of at least 65536 octets, and ordinary mail with an attachment is larger.',
      fix: 'raise the message size limit (Postfix: message_size_limit) well above 64 KiB; 25 to 50 MB is usual',
    },
  },
}, (facts: SmtpFacts, report) => probed(facts).flatMap((probe) => {
  // The reply senders act on: after STARTTLS when there was TLS, else the clear-text one.
  const ehlo = probe.session.ehloAfterTls ?? probe.session.ehlo;
  if (ehlo === null) return [];
  const data = { server: where(probe, facts.port), when: probe.session.ehloAfterTls ? ' after STARTTLS' : '' };
  const has = (keyword: string): boolean => ehlo.keywords.includes(keyword);
  const place = { target: probe.exchange };
  return [
    ...(ehlo.smtputf8 && !ehlo.eightBitMime ? [report('smtputf8Without8bitmime', data, place)] : []),
    ...(has('BINARYMIME') && !ehlo.chunking ? [report('binarymimeWithoutChunking', data, place)] : []),
    ...(ehlo.size !== null && ehlo.size > 0 && ehlo.size < MIN_MESSAGE_SIZE ? [report('sizeTooSmall', { ...data, size: ehlo.size }, place)] : []),
  ];
}));
