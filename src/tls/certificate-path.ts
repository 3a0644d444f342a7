import { X509Certificate } from 'node:crypto';

/**
 * Certification path validation (RFC 5280 §6.1) for a certificate that arrives with its issuers in
 * one document — a BIMI Mark Certificate — against trust anchors given by the user: each step's
 * issuer name and signature, each issuer a CA, each issuer within its validity. The end certificate's
 * own dates are left to the caller, which says more about them. Revocation and Certificate
 * Transparency are not checked.
 */

/** Issuers followed from the end certificate before giving up: real chains have two or three. */
export const MAX_PATH_CERTIFICATES = 8;

export type PathVerdict =
  /** A path to `anchor` (its subject) where every signature verifies. */
  | { state: 'verified'; anchor: string }
  /** No trust anchors to verify against: not known to be valid, nor invalid. */
  | { state: 'no-anchors' }
  | { state: 'failed'; reason: string };

function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.replace(/\n/g, ', ');
}

function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  return certificate.checkIssued(issuer) && certificate.verify(issuer.publicKey);
}

function validAt(certificate: X509Certificate, now: Date): boolean {
  return new Date(certificate.validFrom).getTime() <= now.getTime() && now.getTime() <= new Date(certificate.validTo).getTime();
}

/** Verifies `end` through `issuers` (in any order) to one of `anchors` at `now`. */
export function verifyPath(end: X509Certificate, issuers: readonly X509Certificate[], anchors: readonly X509Certificate[], now: Date): PathVerdict {
  if (anchors.length === 0) return { state: 'no-anchors' };
  let current = end;
  const used = new Set<string>([end.fingerprint256]);
  for (let step = 0; step < MAX_PATH_CERTIFICATES; step++) {
    if (anchors.some((anchor) => anchor.fingerprint256 === current.fingerprint256)) return { state: 'verified', anchor: subjectOf(current) };
    const anchor = anchors.find((candidate) => signedBy(current, candidate));
    if (anchor) return validAt(anchor, now) ? { state: 'verified', anchor: subjectOf(anchor) } : { state: 'failed', reason: `the trust anchor ${subjectOf(anchor)} is not valid at ${now.toISOString()}` };
    const named = issuers.filter((candidate) => !used.has(candidate.fingerprint256) && current.checkIssued(candidate));
    const issuer = named.find((candidate) => current.verify(candidate.publicKey));
    if (issuer === undefined) {
      // An issuer by name whose key did not sign it: a certificate of the document, or an anchor of that name.
      const impostor = named[0] ?? anchors.find((candidate) => current.checkIssued(candidate));
      return { state: 'failed', reason: impostor
        ? `the signature of ${subjectOf(current)} does not verify with the key of ${subjectOf(impostor)}, which bears its issuer's name`
        : `no certificate of the document nor any trust anchor issued ${subjectOf(current)} (issuer ${current.issuer.replace(/\n/g, ', ')})` };
    }
    if (!issuer.ca) return { state: 'failed', reason: `${subjectOf(issuer)} signed ${subjectOf(current)} but is not a CA certificate` };
    if (!validAt(issuer, now)) return { state: 'failed', reason: `the issuer ${subjectOf(issuer)} is not valid at ${now.toISOString()} (${issuer.validFrom} to ${issuer.validTo})` };
    used.add(issuer.fingerprint256);
    current = issuer;
  }
  return { state: 'failed', reason: `no trust anchor within ${MAX_PATH_CERTIFICATES} issuers` };
}
