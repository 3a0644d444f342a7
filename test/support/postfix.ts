/**
 * A real Postfix on loopback, as an SMTP peer for end-to-end tests (and for checks of main.cf).
 *
 *   const postfix = await startPostfix({ addresses: ['127.0.5.1'], port: 25, myhostname: 'mx1.example.test',
 *     tls: { certPath, keyPath } });
 *   // ... probe 127.0.5.1:25 ...
 *   await postfix.stop();
 *
 * Each start gets a fresh config dir, queue and data dir and maillog under one temp dir; nothing is
 * delivered (every transport is discard:), no DNS is used (smtp_dns_support_level = disabled,
 * smtpd_peername_lookup = no: Postfix would otherwise ask the system resolver about its clients).
 * Several instances run side by side. `master -d` runs in the foreground as a daemon of
 * test/support/daemon.ts (its own process group, killed with this process). Readiness is proved by a
 * 220 greeting on every address. MXLINT_KEEP_NSD keeps the temp dir, as for the DNS servers.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, isIP } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runTool, spawnDaemon } from './daemon.js';

export interface PostfixTls {
  /** PEM private key. */
  keyPath: string;
  /** PEM: the leaf certificate, then its intermediates (smtpd_tls_chain_files order after the key). */
  certPath: string;
  /** smtpd_tls_protocols, e.g. '>=TLSv1.3' or '>=TLSv1, <=TLSv1.2'; default Postfix's (>=TLSv1). */
  protocols?: string;
  /**
   * The cipher list smtpd uses: smtpd_tls_ciphers = this grade, and tls_<grade>_cipherlist set to
   * `cipherlist` when given (OpenSSL syntax, e.g. 'ALL:@SECLEVEL=0' for every suite OpenSSL has).
   */
  ciphers?: { grade: 'high' | 'medium' | 'low'; cipherlist?: string };
  /** smtpd_tls_exclude_ciphers, e.g. 'aNULL'. */
  excludeCiphers?: string;
  /** tls_preempt_cipherlist: pick by the server's order (default Postfix's: no). */
  serverOrder?: boolean;
  /** smtpd_tls_dh1024_param_file: the DHE prime (any size, despite the name). */
  dhParamFile?: string;
}

export interface PostfixOptions {
  /** Loopback addresses to listen on (127.0.0.0/8 or ::1), all on `port`. */
  addresses: string[];
  port: number;
  /** Also the host name in the greeting and the EHLO reply. */
  myhostname: string;
  /** STARTTLS with this key and certificate; null: no STARTTLS offered (smtpd_tls_security_level = none). */
  tls: PostfixTls | null;
  /** message_size_limit, the SIZE the EHLO reply offers; default 10240000. */
  messageSizeLimit?: number;
  /** The greeting text after the code; default "$myhostname ESMTP". */
  banner?: string;
  /** More main.cf lines, e.g. ['smtpd_tls_protocols = >=TLSv1.3']. */
  extraMainCf?: string[];
  /**
   * postscreen(8) in front of smtpd on every address, which holds the greeting back
   * postscreen_greet_wait (6 s) before handing the client to smtpd; tune it with extraMainCf.
   */
  postscreen?: boolean;
  /** How long to wait for a greeting on every address; default 15000 ms. */
  startTimeoutMs?: number;
}

export interface PostfixServer {
  addresses: string[];
  port: number;
  dir: string;
  /** SIGTERM to master, wait for it (SIGKILL to the process group after 5 s), remove the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Postfix's maillog, then what master printed. */
  logs(): string;
}

/** The services an instance needs besides smtpd, none chrooted (the temp dir has no chroot setup). */
const INTERNAL_SERVICES = [
  'pickup    unix  n - n 60    1 pickup',
  'cleanup   unix  n - n -     0 cleanup',
  'qmgr      unix  n - n 300   1 qmgr',
  'tlsmgr    unix  - - n 1000? 1 tlsmgr',
  'rewrite   unix  - - n -     - trivial-rewrite',
  'bounce    unix  - - n -     0 bounce',
  'defer     unix  - - n -     0 bounce',
  'trace     unix  - - n -     0 bounce',
  'verify    unix  - - n -     1 verify',
  'flush     unix  n - n 1000? 0 flush',
  'proxymap  unix  - - n -     - proxymap',
  'showq     unix  n - n -     - showq',
  'error     unix  - - n -     - error',
  'retry     unix  - - n -     - error',
  'discard   unix  - - n -     - discard',
  'anvil     unix  - - n -     1 anvil',
  'scache    unix  - - n -     1 scache',
  'postlog   unix-dgram n - n - 1 postlogd',
];

const MASTER = '/usr/lib/postfix/sbin/master';

function assertLoopback(address: string): void {
  if (!((isIP(address) === 4 && address.startsWith('127.')) || address === '::1')) {
    throw new Error(`startPostfix: ${address} is not a loopback address`);
  }
}

function listen(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

function tlsMainCf(tls: PostfixTls | null): string[] {
  if (!tls) return ['smtpd_tls_security_level = none'];
  return [
    'smtpd_tls_security_level = may',
    `smtpd_tls_chain_files = ${tls.keyPath}, ${tls.certPath}`,
    ...(tls.protocols === undefined ? [] : [`smtpd_tls_protocols = ${tls.protocols}`]),
    ...(tls.ciphers === undefined ? [] : [
      `smtpd_tls_ciphers = ${tls.ciphers.grade}`,
      ...(tls.ciphers.cipherlist === undefined ? [] : [`tls_${tls.ciphers.grade}_cipherlist = ${tls.ciphers.cipherlist}`]),
    ]),
    ...(tls.excludeCiphers === undefined ? [] : [`smtpd_tls_exclude_ciphers = ${tls.excludeCiphers}`]),
    ...(tls.serverOrder === undefined ? [] : [`tls_preempt_cipherlist = ${tls.serverOrder ? 'yes' : 'no'}`]),
    ...(tls.dhParamFile === undefined ? [] : [`smtpd_tls_dh1024_param_file = ${tls.dhParamFile}`]),
  ];
}

function mainCf(dir: string, options: PostfixOptions): string {
  const tls = tlsMainCf(options.tls);
  return [
    'compatibility_level = 3.6',
    `queue_directory = ${join(dir, 'spool')}`,
    `data_directory = ${join(dir, 'lib')}`,
    `myhostname = ${options.myhostname}`,
    // Postfix refuses addresses it finds on no interface (127.0.5.1 is routed on lo, not configured):
    // listen where master.cf says instead.
    'inet_interfaces = all',
    'inet_protocols = all',
    'mydestination =',
    'mynetworks = 127.0.0.0/8 [::1]/128',
    `smtpd_banner = ${options.banner ?? '$myhostname ESMTP'}`,
    `message_size_limit = ${options.messageSizeLimit ?? 10_240_000}`,
    ...['default', 'relay', 'local', 'virtual'].map((t) => `${t}_transport = discard:test`),
    'smtp_dns_support_level = disabled',
    'smtpd_peername_lookup = no',
    'alias_maps =',
    'alias_database =',
    `maillog_file_prefixes = ${dir}`,
    `maillog_file = ${join(dir, 'maillog')}`,
    ...tls,
    ...(options.extraMainCf ?? []),
  ].join('\n') + '\n';
}

function masterCf(options: PostfixOptions): string {
  const front = options.postscreen
    ? [...options.addresses.map((address) => `${listen(address, options.port)} inet n - n - 1 postscreen`),
      'smtpd     pass  - - n -     - smtpd', 'dnsblog   unix  - - n -     0 dnsblog', 'tlsproxy  unix  - - n -     0 tlsproxy']
    : options.addresses.map((address) => `${listen(address, options.port)} inet n - n - - smtpd`);
  return [...front, ...INTERNAL_SERVICES].join('\n') + '\n';
}

/** Whether `address:port` greets with 220 within `timeoutMs`. */
function greets(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\n')) {
        socket.end('QUIT\r\n');
        finish(text.startsWith('220'));
      }
    });
    socket.on('error', () => finish(false));
  });
}

export async function startPostfix(options: PostfixOptions): Promise<PostfixServer> {
  if (options.addresses.length === 0) throw new Error('startPostfix: no address given');
  options.addresses.forEach(assertLoopback);
  const dir = mkdtempSync(join(tmpdir(), 'mxlint-postfix-'));
  // Postfix's daemons drop to the mail owner, who must reach the queue and write the log here.
  chmodSync(dir, 0o755);
  const conf = join(dir, 'conf');
  for (const sub of ['conf', 'spool', 'lib']) mkdirSync(join(dir, sub));
  writeFileSync(join(conf, 'main.cf'), mainCf(dir, options));
  writeFileSync(join(conf, 'master.cf'), masterCf(options));
  // The data directory belongs to the mail owner; as another user Postfix runs as that user anyway.
  const owner = userInfo().uid === 0 ? await runTool('id', ['-u', 'postfix']) : null;
  if (owner && owner.code === 0) chownSync(join(dir, 'lib'), Number(owner.output), -1);

  const check = await runTool('postfix', ['-c', conf, 'check']);
  if (check.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`postfix check rejected the generated config:\n${check.output}`);
  }

  const daemon = spawnDaemon(MASTER, ['-d', '-c', conf], { dir, keepDir: process.env.MXLINT_KEEP_NSD !== undefined });
  const logs = (): string => {
    const maillog = join(dir, 'maillog');
    const output = daemon.output();
    return `${existsSync(maillog) ? readFileSync(maillog, 'utf8') : ''}${output === '' ? '' : `--- master output ---\n${output}`}`;
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  const pending = new Set(options.addresses);
  while (pending.size > 0) {
    if (daemon.exit() !== undefined || Date.now() > deadline) {
      const text = logs();
      await daemon.stop();
      throw new Error(`postfix ${daemon.exit() ? 'exited' : 'did not greet'} on ${[...pending].map((a) => listen(a, options.port)).join(', ')}. Log:\n${text}`);
    }
    for (const address of [...pending]) if (await greets(address, options.port, 500)) pending.delete(address);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { addresses: options.addresses, port: options.port, dir, stop: daemon.stop, logs };
}
