import { defineRule } from '../../../core/rule.js';
import type { DkimFacts } from '../collect.js';
import { coversEmail, isKnownKeyType, usableHashes } from '../record.js';
import { RSA_MAX_VERIFIED_BITS, RSA_MIN_BITS, RSA_RECOMMENDED_BITS, singleKeys } from '../reading.js';

/**
 * Rules about the key record at a selector (RFC 6376 §3.6.1, RFC 8301, RFC 8463): what a verifier
 * makes of it. Each judges a selector with exactly one record; a malformed record is judged for its
 * syntax only, since verifiers read nothing else of it.
 */

/** Well-formed single records, with their selector. */
function wellFormed(facts: DkimFacts) {
  return singleKeys(facts).filter(({ key }) => key.record.problems.length === 0);
}

export const dkimSyntax = defineRule({
  id: 'dkim-syntax', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §3.6.1',
  summary: 'the DKIM key record is malformed (a broken tag list, v= not first or not DKIM1, p= missing): verifiers ignore it and signatures fail',
  fix: 'write it as v=DKIM1; k=rsa; p=BASE64KEY: tags separated by ";", each once, v= first if present',
  messages: {
    malformed: 'The DKIM key record at {{name}} ("{{record}}") is malformed: {{problems}}; verifiers ignore it, so signatures with selector {{selector}} fail ("key syntax error").',
  },
}, (facts: DkimFacts, report) => singleKeys(facts).flatMap(({ selector, key }) => (key.record.problems.length === 0 ? []
  : [report('malformed', { name: selector.name, record: key.text, problems: key.record.problems.join('; '), selector: selector.selector }, { target: selector.name })])));

export const dkimKeyTypeUnknown = defineRule({
  id: 'dkim-key-type-unknown', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §3.6.1',
  summary: 'the key record names a key type (k=) verifiers do not know: they ignore the key',
  fix: 'use k=rsa, or k=ed25519 beside an RSA key under another selector',
  messages: {
    unknown: 'The key of selector {{selector}} at {{name}} has k={{type}}, a key type verifiers do not know (they know rsa and ed25519): they cannot verify signatures with it.',
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => (isKnownKeyType(key.record.keyType) ? []
  : [report('unknown', { selector: selector.selector, name: selector.name, type: key.record.keyType }, { target: selector.name })])));

export const dkimKeyInvalid = defineRule({
  id: 'dkim-key-invalid', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §3.6.1',
  summary: 'p= holds no usable key of the type k= names (not base64, not a DER public key, an Ed25519 key of the wrong size): signatures fail',
  fix: 'publish the public key again as the signing software prints it: for k=rsa the base64 of the DER SubjectPublicKeyInfo, for k=ed25519 the base64 of the bare 32-octet key',
  messages: {
    invalid: 'The key of selector {{selector}} at {{name}} cannot be used: {{problem}}; signatures made with it fail.',
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => (key.key === null || key.key.ok ? []
  : [report('invalid', { selector: selector.selector, name: selector.name, problem: key.key.problem }, { target: selector.name })])));

export const dkimKeyRevoked = defineRule({
  id: 'dkim-key-revoked', family: 'dkim', severity: 'info', rfc: 'RFC 6376 §3.6.1',
  summary: 'the key record has an empty p=: the key is revoked, and signatures made with it fail on purpose',
  fix: 'nothing to do if nobody signs with the selector any more; otherwise sign with a selector that has a key',
  messages: {
    revoked: 'The key of selector {{selector}} at {{name}} is revoked (p= is empty): verifiers fail every signature made with it.',
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => (key.record.publicKey !== ''
  ? [] : [report('revoked', { selector: selector.selector, name: selector.name }, { target: selector.name })])));

export const dkimKeyTooShort = defineRule({
  id: 'dkim-key-too-short', family: 'dkim', severity: 'error', rfc: 'RFC 8301 §3.2',
  severities: { error: `an RSA key under ${RSA_MIN_BITS} bits: verifiers must not accept its signatures`, warning: `an RSA key of ${RSA_MIN_BITS} to ${RSA_RECOMMENDED_BITS - 1} bits: signers should use ${RSA_RECOMMENDED_BITS}` },
  summary: `the RSA key is shorter than ${RSA_RECOMMENDED_BITS} bits: under ${RSA_MIN_BITS} its signatures are invalid, under ${RSA_RECOMMENDED_BITS} it is weaker than signers should use`,
  fix: `generate a ${RSA_RECOMMENDED_BITS}-bit RSA key under a new selector, publish it, sign with it, then revoke the old selector (empty p=)`,
  messages: {
    tooShort: `The RSA key of selector {{selector}} at {{name}} has {{bits}} bits: verifiers must not accept signatures made with a key under ${RSA_MIN_BITS} bits, so all of them fail.`,
    short: `The RSA key of selector {{selector}} at {{name}} has {{bits}} bits, under the ${RSA_RECOMMENDED_BITS} that signers should use: a key this short is no longer deemed safe against a well-funded attacker.`,
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => {
  if (key.key === null || !key.key.ok || key.key.type !== 'rsa' || key.key.bits === null || key.key.bits >= RSA_RECOMMENDED_BITS) return [];
  const data = { selector: selector.selector, name: selector.name, bits: key.key.bits };
  return [key.key.bits < RSA_MIN_BITS ? report('tooShort', data, { target: selector.name }) : report('short', data, { target: selector.name, severity: 'warning' })];
}));

export const dkimKeyTooLong = defineRule({
  id: 'dkim-key-too-long', family: 'dkim', severity: 'warning', rfc: 'RFC 8301 §3.2',
  summary: `the RSA key is longer than ${RSA_MAX_VERIFIED_BITS} bits: verifiers need not handle it, and some fail its signatures`,
  fix: `use an RSA key of ${RSA_RECOMMENDED_BITS} bits (at most ${RSA_MAX_VERIFIED_BITS}) under a new selector`,
  messages: {
    tooLong: `The RSA key of selector {{selector}} at {{name}} has {{bits}} bits: verifiers must handle keys of up to ${RSA_MAX_VERIFIED_BITS} bits only, so some fail signatures made with it.`,
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => (key.key?.ok && key.key.type === 'rsa' && key.key.bits !== null && key.key.bits > RSA_MAX_VERIFIED_BITS
  ? [report('tooLong', { selector: selector.selector, name: selector.name, bits: key.key.bits }, { target: selector.name })] : [])));

export const dkimKeyHashUnusable = defineRule({
  id: 'dkim-key-hash-unusable', family: 'dkim', severity: 'error', rfc: 'RFC 8301 §3.1',
  summary: 'h= allows no hash algorithm verifiers accept (sha1 only, or only unknown ones): no signature made with the key verifies',
  fix: 'remove h= (or write h=sha256) and sign with rsa-sha256 or ed25519-sha256',
  messages: {
    sha1Only: 'The key of selector {{selector}} at {{name}} allows only h={{hashes}}: verifiers no longer accept sha1 signatures, and h= rules out sha256, so no signature made with it verifies.',
    unknownOnly: 'The key of selector {{selector}} at {{name}} allows only h={{hashes}}, no hash algorithm verifiers know (sha256): no signature made with it verifies.',
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => {
  const { hashes } = key.record;
  if (hashes === null || usableHashes(key.record)) return [];
  const data = { selector: selector.selector, name: selector.name, hashes: hashes.join(':') };
  return [report(hashes.includes('sha1') ? 'sha1Only' : 'unknownOnly', data, { target: selector.name })];
}));

export const dkimKeyNotForEmail = defineRule({
  id: 'dkim-key-not-for-email', family: 'dkim', severity: 'error', rfc: 'RFC 6376 §3.6.1',
  summary: 's= lists services without email or *: verifiers of e-mail ignore the key',
  fix: 'remove s= (or write s=email)',
  messages: {
    notForEmail: 'The key of selector {{selector}} at {{name}} is for s={{services}}, not e-mail: verifiers of mail ignore it, so signatures made with it fail.',
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => (coversEmail(key.record) ? []
  : [report('notForEmail', { selector: selector.selector, name: selector.name, services: key.record.services.join(':') }, { target: selector.name })])));

export const dkimTesting = defineRule({
  id: 'dkim-testing', family: 'dkim', severity: 'warning', rfc: 'RFC 6376 §3.6.1',
  summary: 'the key record has t=y (testing): verifiers treat mail signed with it as unsigned',
  fix: 'remove y from t= once signing works (keep t=s if it is there)',
  messages: {
    testing: 'Selector {{selector}} at {{name}} is in testing mode (t=y): verifiers must treat mail signed with it no differently from unsigned mail, so its signatures count for nothing.',
  },
}, (facts: DkimFacts, report) => wellFormed(facts).flatMap(({ selector, key }) => (key.record.flags.includes('y')
  ? [report('testing', { selector: selector.selector, name: selector.name }, { target: selector.name })] : [])));
