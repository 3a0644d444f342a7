import type { Rule } from '../../core/rule.js';
import { defineLegacyRule } from '../../core/legacy-rule.js';
import type { DnssecFacts, ValidatedName } from './collect.js';

/** Rules about the DNSSEC state of the answers mail delivery depends on: the MX and the exchanges' addresses. */

function all(facts: DnssecFacts): ValidatedName[] {
  return [facts.mx, ...facts.hosts];
}

/** Only a resolver that validates can tell signed from unsigned. */
function validating(facts: DnssecFacts): boolean {
  return facts.resolver.state === 'validating';
}

export const dnssecBogus: Rule<DnssecFacts> = defineLegacyRule({
  id: 'dnssec-bogus', family: 'dnssec', severity: 'error', rfc: 'RFC 4035 §5.5, RFC 8914',
  summary: 'an answer on the mail path fails DNSSEC validation (SERVFAIL that clears with CD, or an EDE such as 6 DNSSEC Bogus, 7 Signature Expired, 9 DNSKEY Missing)',
  fix: 're-sign the zone (expired signatures), or fix the DS at the parent so it matches the zone\'s key',
}, (facts, report) => all(facts).flatMap(({ name, type, host, result }) => {
  if (result.state !== 'bogus') return [];
  return [report(
    `The ${type} answer for ${name} fails DNSSEC validation: ${result.evidence}. Every validating resolver — most of the Internet's — returns SERVFAIL for it, so senders cannot ${type === 'MX' ? 'find the mail servers' : 'reach this exchange'} (RFC 4035 §5.5). Re-sign the zone if signatures expired, or make the DS at the parent match the zone's key.`,
    host)];
}));

export const dnssecUnsigned: Rule<DnssecFacts> = defineLegacyRule({
  id: 'dnssec-unsigned', family: 'dnssec', severity: 'info', rfc: 'RFC 4033, RFC 7672 §2.2',
  summary: 'the MX answer (or an exchange\'s addresses) is not DNSSEC-authenticated: no DANE, and forgeable',
  fix: 'sign the zone and publish its DS at the parent (needed before DANE can protect mail)',
}, (facts, report) => {
  if (!validating(facts)) return [];
  if (facts.mx.result.state === 'insecure') {
    return [report(`The MX answer for ${facts.domain} is not DNSSEC-authenticated (no AD from a validating resolver): the zone is unsigned or below an insecure delegation, so the answer can be forged and DANE cannot apply (RFC 7672 §2.2). Sign the zone and publish its DS at the parent.`)];
  }
  if (facts.mx.result.state !== 'secure') return [];
  const hosts = [...new Set(facts.hosts.filter((h) => h.result.state === 'insecure').map((h) => h.host!))];
  return hosts.map((host) => report(
    `The MX answer for ${facts.domain} is signed, but the addresses of ${host} are not DNSSEC-authenticated: DANE does not apply to it (RFC 7672 §2.2.2). Sign the zone of ${host} too.`,
    host));
});

export const dnssecNotValidated: Rule<DnssecFacts> = defineLegacyRule({
  id: 'dnssec-not-validated', family: 'dnssec', severity: 'unknown', rfc: 'RFC 4035 §4.9, RFC 6840 §5.7',
  summary: 'DNSSEC could not be judged: the resolver does not validate (no AD even for the signed root zone), or a lookup with DO failed',
  fix: 'ask a validating resolver (--server with Unbound, BIND or a public validating service), then check again',
}, (facts, report) => {
  if (facts.resolver.state === 'not-validating') {
    return [report(`The resolver set the AD bit on no answer, not even for the root zone, which is signed: it does not validate DNSSEC (or has no trust anchor), so whether ${facts.domain}'s answers are signed, unsigned or bogus cannot be told. Ask a validating resolver with --server, then check again.`)];
  }
  if (facts.resolver.state === 'unknown' && !all(facts).some((v) => v.result.state === 'failed')) {
    return [report(`Whether the resolver validates DNSSEC is unknown: ${facts.resolver.failure.message}. Check again, or ask another resolver with --server.`)];
  }
  return all(facts).flatMap(({ name, type, host, result }) => (result.state !== 'failed' ? [] : [report(
    `The ${type} lookup for ${name} with DNSSEC records (DO) failed: ${result.failure.message}. Its DNSSEC state is unknown. Check again; a middlebox that drops large or DO replies causes this too.`,
    host)]));
});

export const dnssecRules = [dnssecBogus, dnssecUnsigned, dnssecNotValidated];
