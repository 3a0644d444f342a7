/**
 * A test certificate authority and leaf certificates made with the openssl command line, for HTTPS and
 * SMTP servers on loopback that a client can verify with the test CA, and for DANE (TLSA digests).
 *
 *   const ca = await createTestCa(dir);
 *   const leaf = await ca.issue({ names: ['mx.example.test', '127.0.0.1'] });
 *   https.createServer({ key: leaf.keyPem, cert: leaf.chainPem }, ...);   // client: { ca: ca.caCertPem }
 *   const expired = await ca.issue({ names: ['mx.example.test'], days: -1 });
 *   const weak = await ca.issue({ names: ['mx.example.test'], keyType: 'rsa', rsaBits: 1024, digest: 'sha1' });
 *   const sub = await createTestCa(dir2, { parent: ca });   // an intermediate: its leaves' chainPem ends with it, not the root
 *
 * Validity is set with `openssl ca -startdate/-enddate`, so certificates can be expired already.
 * Digests are of the DER certificate and of the DER SubjectPublicKeyInfo as openssl prints them
 * (TLSA selector 0 and 1), in lower-case hex.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { runTool } from './daemon.js';

const CA_DAYS = 3650;
const DEFAULT_LEAF_DAYS = 30;
const DAY_MS = 86_400_000;
/** X.520 upper bound for a common name; longer first names go only into the SANs. */
const MAX_COMMON_NAME = 64;

export type KeyType = 'ec' | 'rsa';

export interface IssueOptions {
  /** Subject alternative names: DNS names (wildcards too) and IP addresses. The first is also the CN. */
  names: string[];
  /** Days from now to notAfter: 0 or negative for an expired certificate. Default 30. */
  days?: number;
  /** EC P-256 (default) or RSA. */
  keyType?: KeyType;
  /** RSA modulus bits; default 2048. */
  rsaBits?: number;
  /** The hash the CA signs with; default sha256 (sha1 for a certificate every profile rejects). */
  digest?: 'sha256' | 'sha1';
  /** An OCSP responder URL for the authorityInfoAccess extension (servers can staple only for certificates that name one). */
  ocspUrl?: string;
}

export interface CaOptions {
  /** Issue this CA's certificate from `parent`: an intermediate CA, whose leaves' chains end with it. */
  parent?: TestCa;
}

export interface IssuedCertificate {
  certPath: string;
  keyPath: string;
  /** The leaf followed by the CA certificate (for an intermediate CA: the intermediate, not the root), as a server sends it. */
  chainPath: string;
  certPem: string;
  keyPem: string;
  chainPem: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 / SHA-512 of the DER certificate (TLSA selector 0, matching type 1 / 2). */
  certSha256: string;
  certSha512: string;
  /** SHA-256 / SHA-512 of the DER SubjectPublicKeyInfo (TLSA selector 1, matching type 1 / 2). */
  spkiSha256: string;
  spkiSha512: string;
}

export interface TestCa {
  dir: string;
  caCertPath: string;
  caKeyPath: string;
  caCertPem: string;
  /** SHA-256 of the CA's DER certificate and SPKI (TLSA usage 2). */
  caCertSha256: string;
  caSpkiSha256: string;
  issue(options: IssueOptions): Promise<IssuedCertificate>;
  /** Signs a request with this CA (one at a time, as `openssl ca` needs), with the extensions of `section` in `extPath`. */
  sign(csrPath: string, certPath: string, extPath: string, section: string, days: number): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<string> {
  const result = await runTool('openssl', args, { cwd });
  if (result.code !== 0) throw new Error(`openssl ${args.join(' ')} failed (exit ${result.code}):\n${result.output}`);
  return result.output;
}

function keyArgs(keyType: KeyType, rsaBits = 2048): string[] {
  return keyType === 'ec'
    ? ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
    : ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${rsaBits}`];
}

/** The DER bytes inside the first PEM block of `pem`. */
function pemBody(pem: string): Buffer {
  const match = /-----BEGIN [^-]+-----([\s\S]+?)-----END [^-]+-----/.exec(pem);
  if (match === null) throw new Error(`no PEM block in:\n${pem}`);
  return Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64');
}

function digest(algorithm: 'sha256' | 'sha512', der: Buffer): string {
  return createHash(algorithm).update(der).digest('hex');
}

/** ASN.1 UTCTime as `openssl ca` takes it: YYMMDDHHMMSSZ. */
function utcTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
}

/** A minimal `openssl ca` setup: any subject, no uniqueness, extensions only from the request's extfile. */
function caConfig(dir: string): string {
  return [
    '[ca]',
    'default_ca = test_ca',
    '[test_ca]',
    `database = ${join(dir, 'index.txt')}`,
    `new_certs_dir = ${join(dir, 'issued')}`,
    `certificate = ${join(dir, 'ca.crt')}`,
    `private_key = ${join(dir, 'ca.key')}`,
    `serial = ${join(dir, 'serial')}`,
    'default_md = sha256',
    'policy = policy_any',
    'unique_subject = no',
    'email_in_dn = no',
    '[policy_any]',
    'commonName = optional',
    '',
  ].join('\n');
}

function leafExtensions(names: string[], ocspUrl: string | undefined): string {
  const alt = names.map((name) => (isIP(name) !== 0 ? `IP:${name}` : `DNS:${name}`)).join(',');
  return [
    '[leaf]',
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth,clientAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    `subjectAltName = ${alt}`,
    ...(ocspUrl === undefined ? [] : [`authorityInfoAccess = OCSP;URI:${ocspUrl}`]),
    '',
  ].join('\n');
}

async function spkiDer(certPath: string, cwd: string): Promise<Buffer> {
  return pemBody(await openssl(['x509', '-in', certPath, '-noout', '-pubkey'], cwd));
}

const CA_EXTENSIONS = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign'];

/**
 * Creates a CA (EC P-256, 10 years) in `dir`, which must exist; leaves go into numbered
 * subdirectories. With `parent`, an intermediate CA issued by it.
 */
export async function createTestCa(dir: string, options: CaOptions = {}): Promise<TestCa> {
  mkdirSync(join(dir, 'issued'), { recursive: true });
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), caConfig(dir));
  const caKeyPath = join(dir, 'ca.key');
  const caCertPath = join(dir, 'ca.crt');
  await openssl(['genpkey', ...keyArgs('ec'), '-out', caKeyPath], dir);
  if (options.parent) {
    const csrPath = join(dir, 'ca.csr');
    const extPath = join(dir, 'ca-ext.cnf');
    writeFileSync(extPath, ['[intermediate]', ...CA_EXTENSIONS, 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', ''].join('\n'));
    await openssl(['req', '-new', '-key', caKeyPath, '-subj', '/CN=mxlint test intermediate CA', '-out', csrPath], dir);
    await options.parent.sign(csrPath, caCertPath, extPath, 'intermediate', CA_DAYS);
  } else {
    await openssl(['req', '-x509', '-new', '-key', caKeyPath, '-out', caCertPath, '-days', String(CA_DAYS),
      '-subj', '/CN=mxlint test CA', ...CA_EXTENSIONS.flatMap((ext) => ['-addext', ext])], dir);
  }
  const caCertPem = readFileSync(caCertPath, 'utf8');

  let issued = 0;
  // `openssl ca` keeps its serial and index in files: one issue at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const issueOne = async (options: IssueOptions): Promise<IssuedCertificate> => {
    if (options.names.length === 0) throw new Error('issue: at least one name is needed');
    const leafDir = join(dir, `leaf-${++issued}`);
    mkdirSync(leafDir);
    const keyPath = join(leafDir, 'key.pem');
    const certPath = join(leafDir, 'cert.pem');
    const chainPath = join(leafDir, 'chain.pem');
    const csrPath = join(leafDir, 'req.csr');
    const extPath = join(leafDir, 'ext.cnf');
    writeFileSync(extPath, leafExtensions(options.names, options.ocspUrl));
    const now = Date.now();
    const notAfter = new Date(now + (options.days ?? DEFAULT_LEAF_DAYS) * DAY_MS);
    const notBefore = new Date(Math.min(now, notAfter.getTime()) - DAY_MS);
    const first = options.names[0]!;
    const subject = first.length <= MAX_COMMON_NAME ? `/CN=${first}` : '/CN=mxlint test leaf';

    await openssl(['genpkey', ...keyArgs(options.keyType ?? 'ec', options.rsaBits), '-out', keyPath], leafDir);
    await openssl(['req', '-new', '-key', keyPath, '-subj', subject, '-out', csrPath], leafDir);
    await openssl(['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-in', csrPath, '-out', certPath, '-notext', '-md', options.digest ?? 'sha256',
      '-startdate', utcTime(notBefore), '-enddate', utcTime(notAfter), '-extfile', extPath, '-extensions', 'leaf'], leafDir);
    const certPem = readFileSync(certPath, 'utf8');
    const chainPem = `${certPem.trimEnd()}\n${caCertPem}`;
    writeFileSync(chainPath, chainPem);
    const certDer = pemBody(certPem);
    const spki = await spkiDer(certPath, leafDir);
    return {
      certPath, keyPath, chainPath, certPem, keyPem: readFileSync(keyPath, 'utf8'), chainPem,
      // Whole seconds, as in the certificate.
      notBefore: new Date(Math.floor(notBefore.getTime() / 1000) * 1000),
      notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000),
      certSha256: digest('sha256', certDer), certSha512: digest('sha512', certDer),
      spkiSha256: digest('sha256', spki), spkiSha512: digest('sha512', spki),
    };
  };

  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    dir, caCertPath, caKeyPath, caCertPem,
    caCertSha256: digest('sha256', pemBody(caCertPem)),
    caSpkiSha256: digest('sha256', await spkiDer(caCertPath, dir)),
    issue: (issue) => serialized(() => issueOne(issue)),
    sign: (csrPath, certPath, extPath, section, days) => serialized(async () => {
      await openssl(['ca', '-batch', '-config', join(dir, 'ca.cnf'), '-in', csrPath, '-out', certPath, '-notext', '-days', String(days),
        '-extfile', extPath, '-extensions', section], dir);
    }),
  };
}
