/**
 * mxlint as a library: `checkDomain` resolves to exactly the object the CLI's JSON output prints.
 *
 *   import { checkDomain } from 'mxlint';
 *   const result = await checkDomain('example.com', { servers: ['127.0.0.1:5300'] });
 *   if (result.status === 'fail') console.log(result.findings);
 */
export { checkDomain, checkDomains, streamDomainChecks, resolverOptions, OptionError, DEFAULT_CONCURRENCY } from './check.js';
export type { CheckOptions, StreamOptions } from './check.js';
export type { ResultOrder } from './bulk/bounded-map.js';
export { QueryRateLimit } from './dns/rate-limit.js';
export { rules } from './catalog.js';
export { mxRules, runMxRules } from './rules/index.js';
export { CHECK_FAMILIES, CHECK_FAMILY_NAMES, DEFAULT_CHECKS } from './checks/index.js';
export type { CheckContext, CheckFamilyDefinition, CheckFamilyRunner } from './checks/index.js';
export type { Rule, RuleMeta, CheckFamily } from './rules/index.js';
export type { AddressEntry, DomainResult, Finding, MxEntry, Severity, Status } from './result.js';
export type { DmarcSection, DnsblSection, MtaStsSection, PtrSection, PublishedState, TlsRptSection } from './result.js';
export { statusOf, worstStatus, EXIT_CODES } from './status.js';
export { collectMailFacts, collectHostFacts } from './facts/mail-facts.js';
export type { MailFacts, HostFacts, ExchangeFacts } from './facts/mail-facts.js';
export type { ChainOutcome } from './facts/chain.js';
export { Resolver, DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES } from './dns/resolver.js';
export type { ResolverOptions, LookupOptions, ResolverStats } from './dns/resolver.js';
export type { Lookup, LookupAnswer, LookupFailure, LookupFailureKind } from './dns/lookup.js';
export { LookupCache } from './dns/cache.js';
export { parseServerAddress, formatServerAddress } from './dns/server-address.js';
export type { ServerAddress } from './dns/server-address.js';
export { parseResolvConf } from './dns/resolv-conf.js';
export { parseDomainInput } from './dns/name.js';
export type { DnsRecord, KnownRecordType, OpaqueRecord } from './dns/records.js';
export { readZoneText, readZoneFile } from './zone/reader.js';
export type { ParsedZone, ZoneEntry, ZoneProblem, SourceLocation } from './zone/types.js';
export { checkHost } from './spf/check-host.js';
export type { CheckHostRequest, SpfOutcome, SpfResult, TraceStep } from './spf/check-host.js';
export { spfRules } from './rules/spf/index.js';
export type { SpfSection, SpfIncludeEntry } from './spf/section.js';
export { probeSmtp, DEFAULT_SMTP_PHASE_TIMEOUT_MS, SMTP_PORT } from './smtp/session.js';
export type { SmtpSession, SmtpFailure, SmtpPhase, SmtpProbeOptions } from './smtp/session.js';
export type { EhloFacts } from './smtp/extensions.js';
export type { SmtpFacts, AddressProbe } from './smtp/collect.js';
export type { TlsFacts, CertificateFacts } from './tls/certificate.js';
export { parseConnectTo, connectTarget } from './net/connect-to.js';
export type { ConnectToRule } from './net/connect-to.js';
export { validatedLookup, resolverValidation } from './dnssec/validation.js';
export type { Validated, ResolverValidation } from './dnssec/validation.js';
export { matchTlsa, unusableReason } from './dane/tlsa.js';
