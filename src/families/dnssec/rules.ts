import { defineRule } from '../../core/rule.js';
import type { DnssecFacts, ValidatedName } from './collect.js';

/** Rules about the DNSSEC state of the answers mail delivery depends on: the MX and the exchanges' addresses. */

function all(facts: DnssecFacts): ValidatedName[] {
  return [facts.mx, ...facts.hosts];
}

/** Only a resolver that validates can tell signed from unsigned. */
function validating(facts: DnssecFacts): boolean {
  return facts.resolver.state === 'validating';
}

export const dnssecBogus = defineRule({
  id: 'dnssec-bogus', family: 'dnssec', severity: 'error', rfc: 'RFC 4035 §5.5, RFC 8914',
  summary: 'an answer on the mail path fails DNSSEC validation (SERVFAIL that clears with CD, or an EDE such as 6 DNSSEC Bogus, 7 Signature Expired, 9 DNSKEY Missing)',
  fix: 're-sign the zone (expired signatures), or fix the DS at the parent so it matches the zone\'s key',
  messages: {
    mxBogus: "The MX answer for {{name}} fails DNSSEC validation: {{evidence}}. Every validating resolver — most of the Internet's — returns SERVFAIL for it, so senders cannot find the mail servers.",
    addressBogus: "The {{type}} answer for {{name}} fails DNSSEC validation: {{evidence}}. Every validating resolver — most of the Internet's — returns SERVFAIL for it, so senders cannot reach this exchange.",
  },
}, (facts: DnssecFacts, report) => all(facts).flatMap(({ name, type, host, result }) => {
  if (result.state !== 'bogus') return [];
  return [type === 'MX'
    ? report('mxBogus', { name, evidence: result.evidence }, { target: host })
    : report('addressBogus', { type, name, evidence: result.evidence }, { target: host })];
}));

export const dnssecUnsigned = defineRule({
  id: 'dnssec-unsigned', family: 'dnssec', severity: 'info', rfc: 'RFC 4033, RFC 7672 §2.2',
  summary: 'the MX answer (or an exchange\'s addresses) is not DNSSEC-authenticated: no DANE, and forgeable',
  fix: 'sign the zone and publish its DS at the parent (needed before DANE can protect mail)',
  messages: {
    mxUnsigned: 'The MX answer for {{domain}} is not DNSSEC-authenticated (no AD from a validating resolver): the zone is unsigned or below an insecure delegation, so the answer can be forged and DANE cannot apply.',
    hostUnsigned: {
      message: 'The MX answer for {{domain}} is signed, but the addresses of {{host}} are not DNSSEC-authenticated: DANE does not apply to it.',
      fix: 'sign the zone of {{host}} too, with its DS at the parent',
    },
  },
}, (facts: DnssecFacts, report) => {
  if (!validating(facts)) return [];
  if (facts.mx.result.state === 'insecure') return [report('mxUnsigned', { domain: facts.domain })];
  if (facts.mx.result.state !== 'secure') return [];
  const hosts = [...new Set(facts.hosts.filter((h) => h.result.state === 'insecure').map((h) => h.host!))];
  return hosts.map((host) => report('hostUnsigned', { domain: facts.domain, host }, { target: host }));
});

export const dnssecNotValidated = defineRule({
  id: 'dnssec-not-validated', family: 'dnssec', severity: 'unknown', rfc: 'RFC 4035 §4.9, RFC 6840 §5.7',
  summary: 'DNSSEC could not be judged: the resolver does not validate (no AD even for the signed root zone), or a lookup with DO failed',
  fix: 'ask a validating resolver (--server with Unbound, BIND or a public validating service), then check again',
  messages: {
    notValidating: "The resolver set the AD bit on no answer, not even for the root zone, which is signed: it does not validate DNSSEC (or has no trust anchor), so whether {{domain}}'s answers are signed, unsigned or bogus cannot be told.",
    resolverUnknown: {
      message: 'Whether the resolver validates DNSSEC is unknown: {{failure}}.',
      fix: 'check again, or ask another resolver with --server',
    },
    lookupFailed: {
      message: 'The {{type}} lookup for {{name}} with DNSSEC records (DO) failed: {{failure}}. Its DNSSEC state is unknown; a middlebox that drops large or DO replies causes this too.',
      fix: 'check again, or ask another resolver with --server',
    },
  },
}, (facts: DnssecFacts, report) => {
  if (facts.resolver.state === 'not-validating') return [report('notValidating', { domain: facts.domain })];
  if (facts.resolver.state === 'unknown' && !all(facts).some((v) => v.result.state === 'failed')) {
    return [report('resolverUnknown', { failure: facts.resolver.failure.message })];
  }
  return all(facts).flatMap(({ name, type, host, result }) => (result.state !== 'failed' ? []
    : [report('lookupFailed', { type, name, failure: result.failure.message }, { target: host })]));
});

export const dnssecRules = [dnssecBogus, dnssecUnsigned, dnssecNotValidated];
