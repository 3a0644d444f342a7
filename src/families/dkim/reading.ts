import type { DkimFacts, DkimKeyFacts, DkimSelectorFacts } from './collect.js';
import { coversEmail, usableHashes } from './record.js';

/** What verifiers make of a key (RFC 8301 §3.2): under 1024 bits it verifies nothing; signers should use 2048; verifiers need handle no more than 4096. */
export const RSA_MIN_BITS = 1024;
export const RSA_RECOMMENDED_BITS = 2048;
export const RSA_MAX_VERIFIED_BITS = 4096;

/** Each selector with exactly one record, and that record: what the key rules judge (several records are judged as such). */
export function singleKeys(facts: DkimFacts): { selector: DkimSelectorFacts; key: DkimKeyFacts }[] {
  return facts.selectors.flatMap((selector) => (selector.lookup.state === 'found' && selector.lookup.keys.length === 1
    ? [{ selector, key: selector.lookup.keys[0]! }] : []));
}

/**
 * Whether a verifier can check an e-mail signature with this key: the record is well formed, for
 * e-mail, allows sha256, and holds a key of a known type that parses — RSA of 1024 bits or more.
 * A revoked key (empty p=) is not usable.
 */
export function keyUsable({ record, key }: DkimKeyFacts): boolean {
  if (record.problems.length > 0 || key === null || !key.ok) return false;
  if (key.type === 'rsa' && key.bits !== null && key.bits < RSA_MIN_BITS) return false;
  return usableHashes(record) && coversEmail(record);
}
