import { isIP } from 'node:net';
/**
 * `mxlint postfix`: a Postfix configuration against DNS (and the live server). One result for the
 * server itself (named after the file, with myhostname as its domain), then one per accepted domain,
 * checked by the same families as any domain (the SMTP probe aside: it probes this server once) plus
 * the rules about where its MX points — so every reporter prints it as it prints domains.
 */
import { collect, concurrencyOf, withResolver } from '../../engine/run-options.js';
import type { RunOptions } from '../../engine/run-options.js';
import { OptionError } from '../../core/errors.js';
import { requestedFamilies, validateOptions } from '../../engine/validate-options.js';
import type { LookupSource } from '../../dns/lookup.js';
import { mapBounded } from '../../engine/bounded-map.js';
import { sharedFolder } from '../../engine/shared-findings.js';
import { checkName, nameResult, selectedFamilies } from '../../engine/check-name.js';
import { postfixDomainRules, postfixServerRules } from './rules.js';
import { ptrSection } from '../../families/ptr/section.js';
import { smtpSection } from '../../families/smtp/section.js';
import { smtpSettings } from '../../facts/smtp-settings.js';
import { createSmtpProber } from '../../facts/smtp-prober.js';
import { judgedResult } from '../../engine/judge.js';
import type { DomainResult, PostfixSection } from '../../engine/result.js';
import type { ServerConfig } from './config.js';
import { collectPostfixFacts } from './facts.js';
import type { AcceptedDomainFacts, PostfixFacts } from './facts.js';

export interface PostfixCheckOptions extends RunOptions {
  /** The server's public addresses (--address); default: the public addresses of inet_interfaces. */
  addresses?: string[];
}

function postfixSection(facts: PostfixFacts): PostfixSection {
  const { config } = facts;
  return {
    file: config.file,
    myhostname: config.myhostname?.value ?? null,
    myorigin: config.myorigin?.value ?? null,
    addresses: facts.addresses.map(({ address, family, source }) => ({ address, family, source })),
    acceptedDomains: config.acceptedDomains.map(({ domain, parameter, location }) => ({ domain, parameter, file: location.file, line: location.line })),
    messageSizeLimit: config.messageSizeLimit.value,
    tlsSecurityLevel: config.tlsLevel.value,
    certificateFiles: config.certificateFiles.value,
  };
}

function serverResult(facts: PostfixFacts, started: number, options: PostfixCheckOptions): DomainResult {
  const findings = postfixServerRules.flatMap((rule) => rule.check(facts));
  const name = facts.config.myhostname?.value ?? null;
  return judgedResult({
    input: facts.config.file,
    domain: name,
    canonical: name,
    mx: [],
    ...(facts.reverse.length > 0 ? { ptr: ptrSection({ hosts: 'sending', entries: facts.reverse, sendingHosts: [] }) } : {}),
    ...(facts.smtp === null ? {} : { smtp: smtpSection(facts.smtp) }),
    postfix: postfixSection(facts),
    durationMs: Math.round(performance.now() - started),
  }, findings, options);
}

/**
 * Checks the configuration: the server's result first, then each accepted domain's in main.cf order.
 * Never rejects for DNS trouble; a lookup that fails makes findings unknown.
 */
export async function checkPostfix(config: ServerConfig, options: PostfixCheckOptions = {}): Promise<DomainResult[]> {
  validatePostfixOptions(options);
  return withResolver(options, (resolver) => checkPostfixWith(resolver, config, options));
}

/** The check options validated as everywhere, and the server's addresses, which must be IP addresses. */
function validatePostfixOptions(options: PostfixCheckOptions): void {
  const { addresses, resolver: _resolver, ...checkOptions } = options;
  for (const address of addresses ?? []) {
    if (typeof address !== 'string' || isIP(address) === 0) throw new OptionError(`addresses: ${JSON.stringify(address)} is not an IP address`);
  }
  validateOptions(checkOptions);
}

/** checkPostfix with the answers from `lookups` (the resolver, or zone data in tests). */
export async function checkPostfixWith(lookups: LookupSource, config: ServerConfig, options: PostfixCheckOptions = {}): Promise<DomainResult[]> {
  const started = performance.now();
  validatePostfixOptions(options);
  const checks = requestedFamilies(options);
  // The MX rules always run for the accepted domains: where their MX points is what this command is
  // about. --checks smtp probes this server, once, for the server's result; not again per domain.
  const families = selectedFamilies({ ...options, checks: ['mx', ...checks.filter((family) => family !== 'smtp')] });
  const prober = createSmtpProber(options);
  const domainChecks = await collect(mapBounded(config.acceptedDomains, concurrencyOf(options), 'input', async (accepted) => ({
    accepted, started: performance.now(), check: await checkName(lookups, accepted.domain, options, { families, prober }),
  })));
  const smtp = checks.includes('smtp') ? { settings: smtpSettings(options), prober } : null;
  const facts = await collectPostfixFacts(config, { lookups, addresses: options.addresses ?? [], smtp, domainChecks: domainChecks.map(({ check }) => check) });
  const serverAddresses = facts.addresses.map((a) => a.address);
  const domains = domainChecks.map(({ accepted, check, started: domainStarted }) => {
    const domain: AcceptedDomainFacts = { accepted, check, serverAddresses };
    return nameResult(accepted.domain, check, [...check.findings, ...postfixDomainRules.flatMap((rule) => rule.check(domain))], domainStarted, options);
  });
  // The accepted domains often share a DMARC record, an exchange: each such finding is reported once.
  return [serverResult(facts, started, options), ...domains].map(sharedFolder());
}
