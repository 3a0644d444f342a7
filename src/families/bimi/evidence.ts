import { createHash, X509Certificate } from 'node:crypto';
import { canonicalName } from '../../dns/name.js';
import { pemCertificates } from '../../tls/certificate.js';
import { verifyPath } from '../../tls/certificate-path.js';
import type { PathVerdict } from '../../tls/certificate-path.js';
import { certificateExtensions, CONTEXT, DerError, derChildren, derOid, derText, isTag, OCTET_STRING, readDer, SEQUENCE, UNIVERSAL } from '../../tls/der.js';
import type { DerNode } from '../../tls/der.js';
import { readIndicator } from './svg.js';
import type { IndicatorReading } from './svg.js';

/**
 * A BIMI evidence document as draft-fetch-validation-vmc-wchuang defines it for Mark Certificates
 * (VMC, CMC): a PEM chain, the Mark Certificate first, whose logotype extension (RFC 9399, formerly
 * RFC 3709 and RFC 6170) embeds the logo as a data: URI, and whose subjectAltName names the domain.
 * Read without any I/O: the trust anchors and the time come from the caller.
 */

/** id-kp-BrandIndicatorforMessageIdentification: the extended key usage of a Mark Certificate. */
export const BIMI_EKU = '1.3.6.1.5.5.7.3.31';
/** id-pe-logotype (RFC 9399 §4.1). */
export const LOGOTYPE_OID = '1.3.6.1.5.5.7.1.12';
/** Certificates read from one evidence document: a Mark Certificate and its issuers are three or four. */
export const MAX_EVIDENCE_CERTIFICATES = 10;

const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512',
};

export interface LogotypeHash {
  /** Node's name of the algorithm ("sha256"), or the OID when mxlint does not know it. */
  algorithm: string;
  value: Buffer;
}

export type EvidenceLogo =
  /** Embedded as a data: URI: the logo itself, read as a served logo would be. */
  | { kind: 'embedded'; mediaType: string; indicator: IndicatorReading; hashes: LogotypeHash[]; hashMatches: boolean }
  /** Named by a URI and its hash only: the logo at l= must have that hash. */
  | { kind: 'referenced'; mediaType: string; uri: string; hashes: LogotypeHash[] };

export interface MarkCertificate {
  subject: string;
  issuer: string;
  /** subjectAltName dNSNames, canonical. */
  altNames: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
}

export interface EvidenceReading {
  /** Certificates in the document. */
  certificates: number;
  /** The one with the BIMI extended key usage; null when there is none, or more than one. */
  mark: MarkCertificate | null;
  /** The subject logo of its logotype extension; null when it has none that can be read. */
  logo: EvidenceLogo | null;
  /** Its chain against the trust anchors given (--ca); `no-anchors` without any. */
  chain: PathVerdict;
  /** What makes it no usable evidence document, one sentence each. */
  problems: string[];
}

function hashOf(algorithm: string, data: Uint8Array): Buffer | null {
  return Object.values(HASH_ALGORITHMS).includes(algorithm) ? createHash(algorithm).update(data).digest() : null;
}

/** One of `hashes` is the hash of one of `candidates` (the octets as served, or decompressed). */
function logotypeHashMatches(hashes: readonly LogotypeHash[], candidates: readonly Uint8Array[]): boolean {
  return hashes.some((hash) => candidates.some((data) => hashOf(hash.algorithm, data)?.equals(hash.value) ?? false));
}

/** Whether `svg` (a logo as served, decompressed) is the Mark Certificate's logo: its embedded SVG, or the hash it gives; null when its embedded logo could not be read. */
export function logoMatches(logo: EvidenceLogo, svg: Buffer): boolean | null {
  if (logo.kind === 'referenced') return logotypeHashMatches(logo.hashes, [svg]);
  return logo.indicator.svg === null ? null : logo.indicator.svg.equals(svg);
}

/** RFC 2397: data:[<mediatype>][;base64],<data>. */
function dataUriOctets(uri: string): Buffer | null {
  const match = /^data:([^,]*),(.*)$/is.exec(uri);
  if (match === null) return null;
  const [, meta, data] = match as unknown as [string, string, string];
  if (/;base64$/i.test(meta)) return Buffer.from(data.replace(/\s+/g, ''), 'base64');
  return Buffer.from(data.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

function children(node: DerNode | undefined, what: string): DerNode[] {
  if (node === undefined || !node.constructed) throw new DerError(`${what} expected`);
  return derChildren(node);
}

function hashAndValues(node: DerNode | undefined): LogotypeHash[] {
  return children(node, 'the logotype hashes').map((pair) => {
    const [algorithm, value] = children(pair, 'a HashAlgAndValue');
    if (!isTag(value, UNIVERSAL, OCTET_STRING)) throw new DerError('a hash value expected');
    const oid = derOid(children(algorithm, 'a hash algorithm')[0]!);
    return { algorithm: HASH_ALGORITHMS[oid] ?? oid, value: Buffer.from(value.content) };
  });
}

/**
 * The subject logo of a logotype extension (RFC 9399 §4.1, IMPLICIT tags): subjectLogo [2] EXPLICIT
 * LogotypeInfo, whose `direct` [0] LogotypeData holds the images; `indirect` [1] points to another
 * document instead, which a Mark Certificate must not do.
 */
function subjectLogo(extension: Uint8Array): { mediaType: string; hashes: LogotypeHash[]; uri: string } | 'indirect' | null {
  const subject = children(readDer(extension), 'LogotypeExtn').find((node) => isTag(node, CONTEXT, 2));
  if (subject === undefined) return null;
  const [info] = children(subject, 'subjectLogo');
  if (isTag(info, CONTEXT, 1)) return 'indirect';
  if (!isTag(info, CONTEXT, 0)) throw new DerError('LogotypeInfo is neither direct nor indirect');
  const images = children(info, 'LogotypeData').find((node) => isTag(node, UNIVERSAL, SEQUENCE));
  const [image] = children(images, 'the logotype images');
  if (image === undefined) return null;
  const [details] = children(image, 'a LogotypeImage');
  const [mediaType, hashes, uris] = children(details, 'LogotypeDetails');
  const [uri] = children(uris, 'the logotype URIs');
  if (mediaType === undefined || uri === undefined) throw new DerError('LogotypeDetails without a media type or a URI');
  return { mediaType: derText(mediaType), hashes: hashAndValues(hashes), uri: derText(uri) };
}

function readLogo(certificate: X509Certificate, problems: string[]): EvidenceLogo | null {
  let logo: ReturnType<typeof subjectLogo>;
  try {
    const extension = certificateExtensions(certificate.raw).get(LOGOTYPE_OID);
    if (extension === undefined) {
      problems.push('the Mark Certificate has no logotype extension, which carries the logo');
      return null;
    }
    logo = subjectLogo(extension);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    problems.push(`the logotype extension of the Mark Certificate does not parse (${error.message})`);
    return null;
  }
  if (logo === null) {
    problems.push('the logotype extension holds no subject logo image');
    return null;
  }
  if (logo === 'indirect') {
    problems.push('the logotype extension refers to its logo indirectly (another document), where a Mark Certificate embeds it');
    return null;
  }
  const { mediaType, hashes, uri } = logo;
  if (!/^image\/svg\+xml\b/i.test(mediaType)) problems.push(`the logotype's media type is ${mediaType}, not image/svg+xml`);
  if (!hashes.some((hash) => Object.values(HASH_ALGORITHMS).includes(hash.algorithm))) {
    problems.push(`the logotype's hash uses no algorithm mxlint knows (${hashes.map((h) => h.algorithm).join(', ') || 'none'})`);
  }
  const data = uri.toLowerCase().startsWith('data:') ? dataUriOctets(uri) : null;
  if (data === null) return { kind: 'referenced', mediaType, uri, hashes };
  const indicator = readIndicator(data);
  const hashMatches = logotypeHashMatches(hashes, indicator.svg ? [data, indicator.svg] : [data]);
  if (!hashMatches) problems.push('the logotype\'s hash does not match the logo it embeds');
  return { kind: 'embedded', mediaType, indicator, hashes, hashMatches };
}

function markCertificate(certificate: X509Certificate): MarkCertificate {
  const altNames = (certificate.subjectAltName ?? '').split(/,\s*/).flatMap((entry) => (entry.startsWith('DNS:') ? [canonicalName(entry.slice(4))] : []));
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    issuer: certificate.issuer.replace(/\n/g, ', '),
    altNames,
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
  };
}

const NOT_VERIFIED: PathVerdict = { state: 'no-anchors' };

/** Reads an evidence document (PEM text) and verifies its chain against `anchors` (PEM) at `now`. */
export function readEvidence(text: string, anchors: readonly string[], now: Date): EvidenceReading {
  const pems = pemCertificates(text);
  const none = (problem: string): EvidenceReading => ({ certificates: pems.length, mark: null, logo: null, chain: NOT_VERIFIED, problems: [problem] });
  if (pems.length === 0) return none('it holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  if (pems.length > MAX_EVIDENCE_CERTIFICATES) return none(`it holds ${pems.length} certificates, more than the ${MAX_EVIDENCE_CERTIFICATES} a Mark Certificate and its issuers need`);
  const certificates: X509Certificate[] = [];
  for (const [index, pem] of pems.entries()) {
    try {
      certificates.push(new X509Certificate(pem));
    } catch (error) {
      return none(`certificate ${index + 1} does not parse (${(error as Error).message})`);
    }
  }
  const marks = certificates.filter((c) => !c.ca && (c.keyUsage ?? []).includes(BIMI_EKU));
  if (marks.length !== 1) {
    return none(marks.length === 0
      ? `no certificate in it has the BIMI extended key usage (${BIMI_EKU}): it holds no Mark Certificate`
      : `it holds ${marks.length} Mark Certificates, where a receiver takes one`);
  }
  const mark = marks[0]!;
  const problems: string[] = [];
  if (certificates[0] !== mark) problems.push('the Mark Certificate is not the first certificate of the document, where receivers look for it');
  const logo = readLogo(mark, problems);
  const trusted = anchors.map((pem) => new X509Certificate(pem));
  const chain = verifyPath(mark, certificates.filter((c) => c !== mark), trusted, now);
  return { certificates: certificates.length, mark: markCertificate(mark), logo, chain, problems };
}

/**
 * draft-fetch-validation-vmc-wchuang §5.2: a subjectAltName dNSName is the assertion record's domain
 * (any selector), or SELECTOR._bimi.DOMAIN (that selector only). `domains`: the author domain and,
 * where the record was found there, its organizational domain.
 */
export function coversDomain(mark: MarkCertificate, selector: string, domains: readonly string[]): boolean {
  return domains.some((domain) => mark.altNames.includes(canonicalName(domain)) || mark.altNames.includes(canonicalName(`${selector}._bimi.${domain}`)));
}

/** Whether the Mark Certificate is within its validity at `now`. */
export function validity(mark: MarkCertificate, now: Date): 'valid' | 'expired' | 'not-yet-valid' {
  if (now.getTime() < Date.parse(mark.validFrom)) return 'not-yet-valid';
  return now.getTime() > Date.parse(mark.validTo) ? 'expired' : 'valid';
}
