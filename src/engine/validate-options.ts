import { X509Certificate } from 'node:crypto';
import { OptionError } from '../core/errors.js';
import type { AuthoritativeOption, CheckOptions, ConnectToRule, NameServerSpec, ServerAddress } from '../core/options.js';
import { canonicalName, hostnameProblem, parseDomainInput } from '../dns/name.js';
import { parseNameServerSpec } from '../dns/name-server-spec.js';
import { formatServerAddress, parseServerAddress } from '../dns/server-address.js';
import { formatConnectTo, parseConnectTo } from '../net/connect-to.js';
import { CHECK_FAMILY_NAMES, DEFAULT_CHECKS, readChecks, removedChecks } from '../families/index.js';
import { MAX_SMTP_BUDGET, MAX_SMTP_PER_HOST } from '../facts/smtp-prober.js';
import { pemCertificates } from '../tls/certificate.js';
import { MAX_DKIM_SELECTORS, selectorProblem } from '../facts/dkim-selectors.js';
import { MAX_SENDING_HOSTS, readSendingHost } from '../families/ptr/sending-hosts.js';
import { READINESS_FAMILIES } from './readiness.js';
import type { CheckFamily } from '../families/index.js';
import { isTlsProfileName, TLS_PROFILE_NAMES } from '../families/tls/profiles.js';
import { validateBaseline, validateDomainSettings, validateJudgementSettings } from './validate-settings.js';

/**
 * One validation of the check options for the library and the CLI alike, and what they ask for: the CLI turns its flags
 * into CheckOptions and calls this with the flags' names, so both refuse the same values with the
 * same words (naming what the caller wrote: `timeoutMs` or `--timeout`).
 */

export const MAX_RETRIES = 10;
export const MAX_TIMEOUT_MS = 600_000;
/** Beyond the transport's own cap on queries in flight to a server (8 sockets × 128), more domains at once only queue. */
export const MAX_CONCURRENCY = 4096;
export const MAX_RATE = 1_000_000;

type OptionKey = keyof CheckOptions | 'smtp.port' | 'smtp.timeoutMs' | 'smtp.greetingTimeoutMs' | 'smtp.ehloName' | 'smtp.perHost' | 'smtp.budget';

/** How the caller names each option, for messages. */
export type OptionNames = Readonly<Record<OptionKey, string>>;

export const LIBRARY_OPTION_NAMES: OptionNames = {
  servers: 'servers', timeoutMs: 'timeoutMs', retries: 'retries', tcp: 'tcp', checks: 'checks', concurrency: 'concurrency',
  order: 'order', smtp: 'smtp', 'smtp.port': 'smtp.port', 'smtp.timeoutMs': 'smtp.timeoutMs', 'smtp.ehloName': 'smtp.ehloName',
  'smtp.greetingTimeoutMs': 'smtp.greetingTimeoutMs', 'smtp.perHost': 'smtp.perHost', 'smtp.budget': 'smtp.budget',
  allowPrivate: 'allowPrivate', ca: 'ca', httpsTimeoutMs: 'httpsTimeoutMs', dnsbl: 'dnsbl', connectTo: 'connectTo', rate: 'rate',
  rotate: 'rotate', authoritative: 'authoritative', deadlineMs: 'deadlineMs', relayTestAddress: 'relayTestAddress', daneCertificate: 'daneCertificate', dkimSelectors: 'dkimSelectors', dkimDiscover: 'dkimDiscover', bimiSelector: 'bimiSelector',
  tlsProfile: 'tlsProfile',
  profile: 'profile', rules: 'rules', ignore: 'ignore', domains: 'domains', baseline: 'baseline',
  sendingHosts: 'sendingHosts', readiness: 'readiness',
};

const KNOWN_KEYS = new Set<string>(Object.keys(LIBRARY_OPTION_NAMES).filter((key) => !key.includes('.')));
const KNOWN_SMTP_KEYS = new Set(['port', 'timeoutMs', 'greetingTimeoutMs', 'ehloName', 'perHost', 'budget']);

function wholeNumber(value: unknown, name: string, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(`${name} must be a whole number from ${min} to ${max}, not ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function flag(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new OptionError(`${name} must be true or false, not ${describe(value)}`);
}

function list(value: unknown, name: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new OptionError(`${name} must be a list, not ${describe(value)}`);
  return value;
}

function unknownKeys(options: object, known: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new OptionError(`unknown option "${key}"${where} (known: ${[...known].join(', ')})`);
  }
}

/** `--ehlo-name`: it goes on the wire in a command line, so nothing that could end or extend the command. */
const EHLO_NAME = /^(?:\[[0-9A-Za-z:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)$/;

function smtpOptions(smtp: unknown, names: OptionNames): void {
  if (smtp === undefined) return;
  if (typeof smtp !== 'object' || smtp === null || Array.isArray(smtp)) throw new OptionError(`${names.smtp} must be an object, not ${describe(smtp)}`);
  unknownKeys(smtp, KNOWN_SMTP_KEYS, ` in ${names.smtp}`);
  const { port, timeoutMs, greetingTimeoutMs, ehloName, perHost, budget } = smtp as Record<string, unknown>;
  wholeNumber(port, names['smtp.port'], 1, 65535);
  wholeNumber(timeoutMs, names['smtp.timeoutMs'], 1, MAX_TIMEOUT_MS);
  wholeNumber(greetingTimeoutMs, names['smtp.greetingTimeoutMs'], 1, MAX_TIMEOUT_MS);
  wholeNumber(perHost, names['smtp.perHost'], 1, MAX_SMTP_PER_HOST);
  wholeNumber(budget, names['smtp.budget'], 1, MAX_SMTP_BUDGET);
  if (ehloName !== undefined && (typeof ehloName !== 'string' || !EHLO_NAME.test(ehloName))) {
    throw new OptionError(`${names['smtp.ehloName']} must be a host name or an address literal such as [192.0.2.1], not ${JSON.stringify(ehloName)}`);
  }
}

/**
 * `--relay-test-address`: it goes on the wire in RCPT TO, so a plain mailbox (RFC 5321 §4.1.2: a
 * dot-string local part, a domain name), nothing that could end or extend the command.
 */
const DOT_STRING = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

function relayTestAddress(value: unknown, name: string): void {
  if (value === undefined) return;
  const at = typeof value === 'string' ? value.lastIndexOf('@') : -1;
  const local = typeof value === 'string' ? value.slice(0, at) : '';
  const domain = typeof value === 'string' ? parseDomainInput(value.slice(at + 1)) : null;
  if (at < 1 || !DOT_STRING.test(local) || local.length > 64 || domain === null || !domain.valid) {
    throw new OptionError(`${name} must be a mail address such as postmaster@example.net, not ${describe(value)}${domain !== null && !domain.valid ? ` (the domain: ${domain.reason})` : ''}`);
  }
}

/** `--cert`: the PEM text of a certificate to be installed, the server certificate first. */
function certificateToInstall(value: unknown, name: string): void {
  if (value === undefined) return;
  const certificates = typeof value === 'string' ? pemCertificates(value) : [];
  if (certificates.length === 0) throw new OptionError(`${name} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  for (const pem of certificates) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new OptionError(`${name}: a certificate does not parse (${(error as Error).message})`);
    }
  }
}

function trustAnchors(ca: unknown, name: string): void {
  for (const pem of list(ca, name)) {
    if (typeof pem !== 'string') throw new OptionError(`${name} holds PEM certificates as text, not ${describe(pem)}`);
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new OptionError(`${name}: a certificate does not parse (${(error as Error).message})`);
    }
  }
}

function blockLists(dnsbl: unknown, name: string): void {
  for (const zone of list(dnsbl, name)) {
    const parsed = parseDomainInput(String(zone));
    if (typeof zone !== 'string' || !parsed.valid) throw new OptionError(`${name}: ${describe(zone)} is not a DNS zone name${parsed.valid ? '' : `: ${parsed.reason}`}`);
  }
}

function dkimSelectors(selectors: unknown, name: string): void {
  const given = list(selectors, name);
  if (given.length > MAX_DKIM_SELECTORS) throw new OptionError(`${name} names ${given.length} selectors; at most ${MAX_DKIM_SELECTORS} are asked for`);
  for (const selector of given) {
    if (typeof selector !== 'string') throw new OptionError(`${name} holds selector names, not ${describe(selector)}`);
    const problem = selectorProblem(selector);
    if (problem !== null) throw new OptionError(`${name}: ${problem}`);
  }
}

function sendingHosts(hosts: unknown, name: string): void {
  const given = list(hosts, name);
  if (given.length > MAX_SENDING_HOSTS) throw new OptionError(`${name} names ${given.length} hosts; at most ${MAX_SENDING_HOSTS} are checked`);
  for (const host of given) {
    if (typeof host !== 'string') throw new OptionError(`${name} holds host names or addresses, not ${describe(host)}`);
    const read = readSendingHost(host);
    if (!read.ok) throw new OptionError(`${name}: ${read.problem}`);
  }
}

/** A BIMI selector (draft-brand-indicators-for-message-identification §4.4): sub-domain labels joined by ".". */
function bimiSelector(selector: unknown, name: string): void {
  if (selector === undefined) return;
  const problem = typeof selector === 'string' ? hostnameProblem(canonicalName(selector)) : 'it is not text';
  if (problem !== null || (selector as string).endsWith('.')) {
    throw new OptionError(`${name} must be a selector such as "default" or "brand2" (letters, digits and hyphens, labels joined by "."), not ${describe(selector)}${problem === null ? '' : `: ${problem}`}`);
  }
}

function authoritativeOption(value: AuthoritativeOption | undefined, name: string): void {
  if (value === undefined || value === true) return;
  if (typeof value !== 'object' || value === null || !Array.isArray(value.nameservers)) {
    throw new OptionError(`${name} must be true or { nameservers: [...] }, not ${describe(value)}`);
  }
  for (const spec of value.nameservers as unknown[]) nameServer(spec, name);
}

/** A name server given as --ns writes it, or already read: a valid name, and an address when there is one. */
function nameServer(spec: unknown, name: string): void {
  if (typeof spec === 'string') {
    const parsed = parseNameServerSpec(spec);
    if (!parsed.ok) throw new OptionError(`${name}: ${parsed.reason}`);
    return;
  }
  const { name: serverName, address } = (spec ?? {}) as Partial<NameServerSpec>;
  const named = typeof serverName === 'string' && (parseDomainInput(serverName).valid || serverName === address?.host);
  if (!named) throw new OptionError(`${name}: a name server needs a name, not ${describe(serverName)}`);
  if (address !== undefined) {
    const parsed = parseServerAddress(formatServerAddress(address));
    if (!parsed.ok) throw new OptionError(`${name}: ${parsed.reason}`);
  }
}

/**
 * The families the options ask for, in registry order: those `checks` names (default mx, spf,
 * dmarc; "+name"/"-name" change that default), dnsbl whenever block lists are given, dkim whenever selectors are given or discovery
 * is asked for, ptr whenever sending hosts are given, and those the readiness summary reads (unless "-name" removes one) when it
 * is asked for; naming dnsbl without lists, or dkim without selectors nor discovery, is refused
 * (`all` may include them without any).
 */
export function requestedFamilies(options: CheckOptions, names: OptionNames = LIBRARY_OPTION_NAMES): CheckFamily[] {
  const checks = readChecks(options.checks ?? DEFAULT_CHECKS, names.checks);
  const dkim = (options.dkimSelectors ?? []).length > 0 || options.dkimDiscover === true;
  const given = [...((options.dnsbl ?? []).length > 0 ? ['dnsbl'] : []), ...(dkim ? ['dkim'] : []), ...((options.sendingHosts ?? []).length > 0 ? ['ptr'] : [])];
  const removed = options.checks === undefined ? [] : removedChecks(options.checks);
  for (const family of given.filter((name) => removed.includes(name))) {
    const flag = family === 'dnsbl' ? names.dnsbl : family === 'dkim' ? names.dkimSelectors : names.sendingHosts;
    throw new OptionError(`${flag} turns the ${family} family on and ${names.checks} -${family} turns it off: leave out one of them`);
  }
  // --readiness with "-smtp": the summary without the port-25 probe (its STARTTLS line unknown).
  const turnedOn = [...given, ...(options.readiness === true ? READINESS_FAMILIES.filter((name) => !removed.includes(name)) : [])];
  const explicit = options.checks !== undefined && !/\ball\b/i.test([options.checks].flat().join(','));
  if (explicit && checks.includes('dnsbl') && !turnedOn.includes('dnsbl')) throw new OptionError(`${names.checks} dnsbl needs the block lists to ask: ${names.dnsbl} zone[,zone…]`);
  if (explicit && checks.includes('dkim') && !dkim) {
    throw new OptionError(`${names.checks} dkim needs the selectors to ask: ${names.dkimSelectors} selector[,selector…], or ${names.dkimDiscover} to try common ones`);
  }
  return CHECK_FAMILY_NAMES.filter((name) => checks.includes(name) || turnedOn.includes(name));
}

/** Checks every option as the CLI would; throws OptionError naming the option as `names` writes it. */
export function validateOptions<Options extends CheckOptions>(options: Options, names: OptionNames = LIBRARY_OPTION_NAMES): Options {
  if (typeof options !== 'object' || options === null) throw new OptionError(`options must be an object, not ${describe(options)}`);
  unknownKeys(options, KNOWN_KEYS, '');
  for (const server of list(options.servers, names.servers)) {
    const parsed = parseServerAddress(typeof server === 'string' ? server : formatServerAddress(server as ServerAddress));
    if (!parsed.ok) throw new OptionError(`${names.servers}: ${parsed.reason}`);
  }
  wholeNumber(options.timeoutMs, names.timeoutMs, 1, MAX_TIMEOUT_MS);
  wholeNumber(options.retries, names.retries, 0, MAX_RETRIES);
  flag(options.tcp, names.tcp);
  flag(options.rotate, names.rotate);
  flag(options.allowPrivate, names.allowPrivate);
  if (options.rate !== undefined && (typeof options.rate !== 'number' || !Number.isFinite(options.rate) || options.rate <= 0 || options.rate > MAX_RATE)) {
    throw new OptionError(`${names.rate} must be a number of queries per second above 0 and at most ${MAX_RATE}, not ${describe(options.rate)}`);
  }
  wholeNumber(options.concurrency, names.concurrency, 1, MAX_CONCURRENCY);
  if (options.order !== undefined && options.order !== 'input' && options.order !== 'completion') {
    throw new OptionError(`${names.order} must be "input" or "completion", not ${describe(options.order)}`);
  }
  smtpOptions(options.smtp, names);
  trustAnchors(options.ca, names.ca);
  wholeNumber(options.httpsTimeoutMs, names.httpsTimeoutMs, 1, MAX_TIMEOUT_MS);
  wholeNumber(options.deadlineMs, names.deadlineMs, 1, MAX_TIMEOUT_MS);
  blockLists(options.dnsbl, names.dnsbl);
  relayTestAddress(options.relayTestAddress, names.relayTestAddress);
  certificateToInstall(options.daneCertificate, names.daneCertificate);
  dkimSelectors(options.dkimSelectors, names.dkimSelectors);
  flag(options.dkimDiscover, names.dkimDiscover);
  sendingHosts(options.sendingHosts, names.sendingHosts);
  flag(options.readiness, names.readiness);
  bimiSelector(options.bimiSelector, names.bimiSelector);
  for (const rule of list(options.connectTo, names.connectTo)) {
    const parsed = parseConnectTo(typeof rule === 'string' ? rule : formatConnectTo(rule as ConnectToRule));
    if (!parsed.ok) throw new OptionError(`${names.connectTo}: ${parsed.reason}`);
  }
  authoritativeOption(options.authoritative, names.authoritative);
  if (options.tlsProfile !== undefined && (typeof options.tlsProfile !== 'string' || !isTlsProfileName(options.tlsProfile))) {
    throw new OptionError(`${names.tlsProfile} must be one of ${TLS_PROFILE_NAMES.join(', ')}, not ${describe(options.tlsProfile)}`);
  }
  validateJudgementSettings(options, (key) => names[key]);
  validateDomainSettings(options.domains, names.domains);
  validateBaseline(options.baseline, names.baseline);
  const families = requestedFamilies(options, names);
  // Options of one family given without it are a mistake the user would not notice: nothing would use them.
  if (options.relayTestAddress !== undefined && !families.includes('relay')) throw new OptionError(`${names.relayTestAddress} is the recipient of the relay test: add relay to ${names.checks}`);
  if (options.daneCertificate !== undefined && !families.includes('dane')) throw new OptionError(`${names.daneCertificate} is compared with the TLSA records: add dane to ${names.checks}`);
  return options;
}
