/**
 * A stand-in for the harness's test/support/pki.ts (same calls, only what the MTA-STS tests use)
 * until that lands on main: a test CA and leaf certificates made with the openssl command line.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** The leaf followed by the CA certificate, as a server sends it. */
  chainPem: string;
}

export interface TestCa {
  caCertPath: string;
  caCertPem: string;
  issue(options: { names: string[] }): Promise<IssuedCertificate>;
}

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`openssl ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve();
    });
  });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** Creates a CA (EC P-256) in `dir`, which must exist. */
export async function createTestCa(dir: string): Promise<TestCa> {
  const caKeyPath = join(dir, 'ca.key');
  const caCertPath = join(dir, 'ca.crt');
  await openssl(['req', '-x509', ...EC, '-keyout', caKeyPath, '-out', caCertPath, '-days', '30', '-subj', '/CN=mxlint test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const caCertPem = readFileSync(caCertPath, 'utf8');
  let serial = 0;
  return {
    caCertPath,
    caCertPem,
    async issue({ names }) {
      const base = join(dir, `leaf${++serial}`);
      writeFileSync(`${base}.ext`, `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
      await openssl(['req', '-new', ...EC, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${names[0]}`], dir);
      await openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', caCertPath, '-CAkey', caKeyPath, '-set_serial', String(1000 + serial),
        '-days', '30', '-extfile', `${base}.ext`, '-out', `${base}.crt`], dir);
      const certPem = readFileSync(`${base}.crt`, 'utf8');
      return { certPem, keyPem: readFileSync(`${base}.key`, 'utf8'), chainPem: `${certPem}${caCertPem}` };
    },
  };
}
