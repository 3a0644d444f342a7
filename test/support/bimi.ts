/**
 * BIMI test material: SVG Tiny PS logos to vary, and Mark Certificates (a VMC's shape: the BIMI
 * extended key usage, a logotype extension embedding the logo as a gzip data: URI with its SHA-256)
 * issued with the openssl command line by a test CA of their own, as a Mark Verifying Authority would.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runTool } from './daemon.js';

export interface LogoParts {
  /** The root's attributes beside xmlns (default: version="1.2" baseProfile="tiny-ps"). */
  root?: string;
  /** The <title>'s text; null for none. */
  title?: string | null;
  /** What follows the title, on line 3. */
  body?: string;
}

/** An SVG logo, line 1 the <svg>, line 2 its <title>, line 3 the body. */
export function logo(parts: LogoParts = {}): string {
  const root = parts.root ?? 'version="1.2" baseProfile="tiny-ps"';
  const title = parts.title === null ? '' : `<title>${parts.title ?? 'Example Brand'}</title>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ${root} viewBox="0 0 100 100">\n${title}\n${parts.body ?? ''}\n</svg>\n`;
}

export const GOOD_LOGO = logo({ body: '<circle cx="50" cy="50" r="40" fill="#c00"/>' });

export const BIMI_EKU = '1.3.6.1.5.5.7.3.31';
const DAY_MS = 86_400_000;

/** DER of a length. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const SHA256_OID = Buffer.from('0609608648016503040201', 'hex');

/**
 * A logotype extension value (RFC 9399 §4.1, IMPLICIT tags): subjectLogo [2] { direct [0] {
 * image SEQUENCE OF { LogotypeImage { LogotypeDetails { mediaType, hashes, URIs } } } } }.
 * `uri` is the data: URI (or https: URI) the certificate carries; `hashed` what its SHA-256 is of.
 */
export function logotypeExtension(uri: string, hashed: Buffer, mediaType = 'image/svg+xml'): Buffer {
  const hash = der(0x30, der(0x30, SHA256_OID, der(0x05)), der(0x04, createHash('sha256').update(hashed).digest()));
  const details = der(0x30, der(0x16, Buffer.from(mediaType, 'latin1')), der(0x30, hash), der(0x30, der(0x16, Buffer.from(uri, 'latin1'))));
  return der(0x30, der(0xa2, der(0xa0, der(0x30, der(0x30, details)))));
}

/** The data: URI a VMC embeds its logo as: gzip, base64. */
export function embeddedLogo(svg: string): { uri: string; gzipped: Buffer } {
  const gzipped = gzipSync(svg);
  return { uri: `data:image/svg+xml;base64,${gzipped.toString('base64')}`, gzipped };
}

export interface MarkOptions {
  /** subjectAltName DNS names. */
  names: string[];
  /** The logo embedded (default GOOD_LOGO); null for no logotype extension. */
  svg?: string | null;
  /** The logotype extension as given instead (DER), e.g. one whose hash is wrong. */
  logotype?: Buffer;
  /** Days from now to notAfter: negative for an expired certificate (default 365). */
  days?: number;
  /** Leave out the BIMI extended key usage. */
  noBimiUsage?: boolean;
}

export interface MarkAuthority {
  /** The root's PEM: the trust anchor given with --ca. */
  rootPem: string;
  /** The intermediate's PEM, which the evidence document carries after the Mark Certificate. */
  intermediatePem: string;
  /** The evidence document: Mark Certificate, then the intermediate. */
  issue(options: MarkOptions): Promise<string>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await runTool('openssl', args, { cwd });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (exit ${result.code}):\n${result.output}`);
}

/** ASN.1 GeneralizedTime as `openssl x509 -not_before/-not_after` and `openssl ca` take it (UTCTime form). */
function utcTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
}

/** A root and an intermediate "Mark Verifying Authority" in `dir` (EC P-256), issuing Mark Certificates; `name` goes into their subjects. */
export async function createMarkAuthority(dir: string, name = 'mxlint test Mark'): Promise<MarkAuthority> {
  mkdirSync(dir, { recursive: true });
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'root.key'], dir);
  await openssl(['req', '-x509', '-new', '-key', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', `/CN=${name} Root`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca.key'], dir);
  await openssl(['req', '-new', '-key', 'ca.key', '-subj', `/CN=${name} CA`, '-out', 'ca.csr'], dir);
  writeFileSync(join(dir, 'ca.ext'), `basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nextendedKeyUsage=${BIMI_EKU}\n`);
  await openssl(['x509', '-req', '-in', 'ca.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial', '2', '-days', '3650', '-extfile', 'ca.ext', '-out', 'ca.pem'], dir);
  const intermediatePem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  writeFileSync(join(dir, 'ca.cnf'), [
    '[ca]', 'default_ca = marks', '[marks]', `database = ${join(dir, 'index.txt')}`, `new_certs_dir = ${dir}`,
    `certificate = ${join(dir, 'ca.pem')}`, `private_key = ${join(dir, 'ca.key')}`, `serial = ${join(dir, 'serial')}`,
    'default_md = sha256', 'policy = any', 'unique_subject = no', '[any]', 'commonName = optional', '',
  ].join('\n'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  let issued = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const issueOne = async (options: MarkOptions): Promise<string> => {
    const file = `mark-${++issued}`;
    const svg = options.svg === undefined ? GOOD_LOGO : options.svg;
    const logotype = options.logotype ?? (svg === null ? null : (() => {
      const { uri, gzipped } = embeddedLogo(svg);
      return logotypeExtension(uri, gzipped);
    })());
    const lines = [
      `[${file}]`, 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature',
      ...(options.noBimiUsage ? ['extendedKeyUsage=clientAuth'] : [`extendedKeyUsage=${BIMI_EKU}`]),
      `subjectAltName=${options.names.map((n) => `DNS:${n}`).join(',')}`,
      ...(logotype === null ? [] : [`1.3.6.1.5.5.7.1.12=DER:${logotype.toString('hex')}`]),
    ];
    writeFileSync(join(dir, `${file}.ext`), `${lines.join('\n')}\n`);
    await openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${file}.key`], dir);
    await openssl(['req', '-new', '-key', `${file}.key`, '-subj', `/CN=${options.names[0] ?? 'mark'}/O=Example Brand`, '-out', `${file}.csr`], dir);
    const now = Date.now();
    const notAfter = new Date(now + (options.days ?? 365) * DAY_MS);
    const notBefore = new Date(Math.min(now, notAfter.getTime()) - DAY_MS);
    await openssl(['ca', '-batch', '-config', 'ca.cnf', '-in', `${file}.csr`, '-out', `${file}.pem`, '-notext',
      '-startdate', utcTime(notBefore), '-enddate', utcTime(notAfter), '-extfile', `${file}.ext`, '-extensions', file], dir);
    return `${readFileSync(join(dir, `${file}.pem`), 'utf8').trimEnd()}\n${intermediatePem}`;
  };
  return {
    rootPem: readFileSync(join(dir, 'root.pem'), 'utf8'),
    intermediatePem,
    issue: (options) => {
      const result = queue.then(() => issueOne(options));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
