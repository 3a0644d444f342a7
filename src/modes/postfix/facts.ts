/**
 * What DNS (and, with --checks smtp, the live server) says about a Postfix configuration: the
 * addresses of myhostname, the reverse DNS of the server's addresses, myorigin's SPF for each of them,
 * the SMTP probe of each, and for every accepted domain the MX facts the domain checks collect.
 */
import { X509Certificate } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { readTextFile } from '../../core/files.js';
import type { LookupSource } from '../../dns/lookup.js';
import { collectHostFacts } from '../../facts/mail.js';
import type { HostFacts } from '../../facts/mail.js';
import { classifyAddress, describeRange } from '../../net/address.js';
import { addressesOf, mailHosts } from '../../facts/host.js';
import { reverseDnsOf } from '../../facts/reverse-dns.js';
import type { ReverseDnsEntry } from '../../facts/reverse-dns.js';
import { checkHost } from '../../families/spf/check-host.js';
import type { SpfOutcome } from '../../families/spf/check-host.js';
import { connectivityOf, probeAddress } from '../../facts/smtp-probes.js';
import type { ProbeWay, SmtpFacts } from '../../facts/smtp-probes.js';
import { pemCertificates } from '../../tls/certificate.js';
import type { NameCheck } from '../../engine/check-name.js';
import type { SourceLocation } from '../../core/finding.js';
import type { AcceptedDomain, ServerConfig } from './config.js';

/** An address the server sends and receives mail from. */
export interface ServerAddress {
  address: string;
  family: 4 | 6;
  /** `--address`, or an explicit address of inet_interfaces. */
  source: 'option' | 'inet_interfaces';
  location?: SourceLocation;
}

export interface PostfixFacts {
  config: ServerConfig;
  /** The addresses the checks use: --address, else the public addresses of inet_interfaces. */
  addresses: ServerAddress[];
  /** inet_interfaces addresses left out: loopback, private, documentation … (the public one is elsewhere, e.g. behind NAT). */
  nonPublicInterfaces: { address: string; range: string; location: SourceLocation | undefined }[];
  /** A and AAAA of myhostname; null when myhostname is not known. */
  myhostname: HostFacts | null;
  /** Reverse DNS of each address. */
  reverse: ReverseDnsEntry[];
  /** check_host() of myorigin's domain for each address; null when myorigin is not known. */
  originSpf: { domain: string; results: { address: string; outcome: SpfOutcome }[] } | null;
  /** The live server at each address (--checks smtp); null when not asked. */
  smtp: Omit<SmtpFacts, 'unresolved'> | null;
  /** Exchanges of the accepted domains that resolve to one of the addresses: names the certificate must cover. */
  exchangesHere: string[];
  /** The leaf certificate main.cf configures, when its file can be read here; null otherwise. */
  configuredCertificate: { file: string; certificate: X509Certificate } | null;
}

/** One accepted domain: its MX facts (and families' findings) with where main.cf names it. */
export interface AcceptedDomainFacts {
  accepted: AcceptedDomain;
  check: NameCheck;
  /** The server's addresses; empty when they are not known (then where the MX points cannot be judged). */
  serverAddresses: string[];
}

/** The address in one canonical text form (IPv4-mapped IPv6 as IPv4), for comparing. */
export function normalAddress(address: string): string {
  return ipaddr.process(address).toString();
}

/** The --address values, else the explicit inet_interfaces addresses that are globally routable. */
export function serverAddresses(config: ServerConfig, given: string[]): Pick<PostfixFacts, 'addresses' | 'nonPublicInterfaces'> {
  if (given.length > 0) {
    return { addresses: given.map((address) => ({ address: normalAddress(address), family: ipaddr.process(address).kind() === 'ipv4' ? 4 : 6, source: 'option' })), nonPublicInterfaces: [] };
  }
  const addresses: ServerAddress[] = [];
  const nonPublicInterfaces: PostfixFacts['nonPublicInterfaces'] = [];
  for (const { address, family, location } of config.interfaces) {
    const range = classifyAddress(address, family);
    if (range.globallyRoutable) addresses.push({ address: normalAddress(address), family: range.effectiveFamily, source: 'inet_interfaces', ...(location ? { location } : {}) });
    else nonPublicInterfaces.push({ address, range: describeRange(range.range), location });
  }
  return { addresses, nonPublicInterfaces };
}

/** The mail hosts of a domain and the addresses they resolve to. */
export function mailHostAddresses(check: NameCheck): { host: string; addresses: string[] }[] {
  return mailHosts(check.facts).map((host) => ({ host: host.name, addresses: [...addressesOf(host.a), ...addressesOf(host.aaaa)].map(normalAddress) }));
}

export interface CollectOptions {
  lookups: LookupSource;
  addresses: string[];
  /** The SMTP probe's settings and the run's prober, when --checks smtp asks for it. */
  smtp: Pick<ProbeWay, 'settings' | 'prober'> | null;
  /** The accepted domains' checks: their exchanges that point at the server are names its certificate must cover. */
  domainChecks: NameCheck[];
}

/** The first certificate in the configured files, in their order (smtpd_tls_chain_files: key, leaf, chain). */
function configuredCertificate(files: string[]): PostfixFacts['configuredCertificate'] {
  for (const file of files) {
    let text: string;
    try {
      ({ text } = readTextFile(file));
    } catch {
      // Often readable by root only (or no regular file): then the live probe (--checks smtp) is what judges the certificate.
      return null;
    }
    const pem = pemCertificates(text)[0];
    if (pem === undefined) continue;
    try {
      return { file, certificate: new X509Certificate(pem) };
    } catch {
      return null;
    }
  }
  return null;
}

export async function collectPostfixFacts(config: ServerConfig, options: CollectOptions): Promise<PostfixFacts> {
  const { lookups } = options;
  const { addresses, nonPublicInterfaces } = serverAddresses(config, options.addresses);
  const hostName = config.myhostname?.value ?? null;
  const origin = config.myorigin?.value ?? null;
  const here = new Set(addresses.map((a) => a.address));
  const [myhostname, reverse, originSpf, probes] = await Promise.all([
    hostName === null ? null : collectHostFacts(lookups, hostName),
    Promise.all(addresses.map(({ address, family }) => reverseDnsOf(lookups, { host: hostName ?? address, address, family }))),
    origin === null ? null : Promise.all(addresses.map(async ({ address }) => ({
      address, outcome: await checkHost(lookups, { domain: origin, ip: address, ...(hostName === null ? {} : { helo: hostName }) }),
    }))).then((results) => ({ domain: origin, results })),
    options.smtp === null ? null : Promise.all(addresses.map(({ address, family }) => probeAddress(lookups, { exchange: hostName ?? address, address, family }, options.smtp!))),
  ]);
  const exchangesHere = [...new Set(options.domainChecks.flatMap((check) => mailHostAddresses(check)
    .filter(({ addresses: hostAddresses }) => hostAddresses.some((a) => here.has(a)))
    .map(({ host }) => host)))];
  return {
    config, addresses, nonPublicInterfaces, myhostname, reverse, originSpf, exchangesHere,
    configuredCertificate: configuredCertificate(config.certificateFiles.value),
    smtp: probes === null || options.smtp === null ? null : {
      port: options.smtp.settings.port, connectivity: connectivityOf(options.smtp.prober, options.smtp.settings.port), checkedAt: Date.now(), probes,
    },
  };
}
