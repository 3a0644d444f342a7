/**
 * Certificates for the SMTP tests, made with the openssl command line in a temp dir: a test CA and
 * leaf certificates it signs (or self-signed ones), ECDSA P-256 so they are quick to make.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Issued {
  keyPath: string;
  /** The leaf, then the CA that issued it (the chain a server presents). */
  certPath: string;
  /** The leaf alone, PEM. */
  leafPem: string;
}

export interface TestCa {
  dir: string;
  /** The CA certificate, PEM: the trust anchor to give mxlint with --ca. */
  certPem: string;
  certPath: string;
  /** A leaf for these DNS names, valid for `days` (default 365). */
  issue(name: string, altNames: string[], options?: { days?: number }): Issued;
  /** A self-signed certificate for these names (no CA at all). */
  selfSigned(name: string, altNames: string[]): Issued;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function createTestCa(commonName = 'mxlint test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-ca-'));
  openssl(['req', '-x509', ...KEY_ARGS, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', `/CN=${commonName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const certPath = join(dir, 'ca.crt');
  const certPem = readFileSync(certPath, 'utf8');
  let serial = 0;
  const sanExt = (altNames: string[]): string => `subjectAltName=${altNames.map((n) => `DNS:${n}`).join(',')}`;
  return {
    dir,
    certPem,
    certPath,
    issue(name, altNames, options = {}) {
      const base = `leaf${++serial}`;
      openssl(['req', ...KEY_ARGS, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`], dir);
      writeFileSync(join(dir, `${base}.ext`), `${sanExt(altNames)}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
      openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', String(1000 + serial),
        '-days', String(options.days ?? 365), '-extfile', `${base}.ext`, '-out', `${base}.crt`], dir);
      const leafPem = readFileSync(join(dir, `${base}.crt`), 'utf8');
      writeFileSync(join(dir, `${base}.chain.crt`), `${leafPem}${certPem}`);
      return { keyPath: join(dir, `${base}.key`), certPath: join(dir, `${base}.chain.crt`), leafPem };
    },
    selfSigned(name, altNames) {
      const base = `self${++serial}`;
      openssl(['req', '-x509', ...KEY_ARGS, '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', '365', '-subj', `/CN=${name}`,
        '-addext', sanExt(altNames)], dir);
      const leafPem = readFileSync(join(dir, `${base}.crt`), 'utf8');
      return { keyPath: join(dir, `${base}.key`), certPath: join(dir, `${base}.crt`), leafPem };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
