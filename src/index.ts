/**
 * mxlint as a library: the entry points the CLI uses, and their types. `checkDomain` resolves to
 * exactly the object the CLI's JSON output prints.
 *
 *   import { checkDomain } from 'mxlint';
 *   const result = await checkDomain('example.com', { servers: ['127.0.0.1:5300'] });
 *   if (result.status === 'fail') console.log(result.findings);
 *
 * Every entry point validates its options as the CLI does and rejects with an OptionError.
 */
import * as domains from './modes/domains.js';
import * as zones from './modes/zone/runner.js';
import * as postfix from './modes/postfix/runner.js';
import type { RunOptions } from './engine/run-options.js';
import type { DomainResult as NameResult } from './engine/result.js';
import type { Finding as AnyFinding } from './core/finding.js';
import type { RuleId } from './catalog/rules.js';
import type { LookupSource } from './dns/lookup.js';
import type { ParsedZone } from './dns/zone-file/types.js';
import type { ServerConfig } from './modes/postfix/config.js';

/** A finding of one of the catalog's rules. */
export type Finding = AnyFinding<RuleId>;
/** The result of one checked name, as `--format json` prints it. */
export type DomainResult = Omit<NameResult, 'findings'> & { findings: Finding[] };
export type { RuleId };

// Every finding is made by findingOf from a catalog rule's metadata, so its rule is a RuleId: the
// entry points are typed so here, where the catalog is known.
export const checkDomain = domains.checkDomain as (input: string, options?: RunOptions) => Promise<DomainResult>;
export const checkDomains = domains.checkDomains as (inputs: Iterable<string> | AsyncIterable<string>, options?: RunOptions) => Promise<DomainResult[]>;
export const streamDomainChecks = domains.streamDomainChecks as (inputs: Iterable<string> | AsyncIterable<string>, options?: RunOptions) => AsyncGenerator<DomainResult>;
export const checkZones = zones.checkZones as (zones: readonly ParsedZone[], options?: zones.ZoneCheckOptions) => Promise<DomainResult[]>;
export const streamZoneChecks = zones.streamZoneChecks as (zones: readonly ParsedZone[], options?: zones.ZoneCheckOptions) => AsyncGenerator<DomainResult>;
export const checkPostfix = postfix.checkPostfix as (config: ServerConfig, options?: postfix.PostfixCheckOptions) => Promise<DomainResult[]>;
export const checkPostfixWith = postfix.checkPostfixWith as (lookups: LookupSource, config: ServerConfig, options?: postfix.PostfixCheckOptions) => Promise<DomainResult[]>;
export { readZones } from './modes/zone/runner.js';
export type { ReadZonesOptions, ZoneCheckOptions } from './modes/zone/runner.js';
export { DEFAULT_MAX_ZONE_RECORDS, MAX_ZONE_RECORDS, readZoneText } from './dns/zone-file/reader.js';
export type { ParsedZone, ZoneEntry, ZoneProblem } from './dns/zone-file/types.js';
export type { ReadZoneTextOptions } from './dns/zone-file/reader.js';
export type { FileText } from './core/files.js';
export type { PostfixCheckOptions } from './modes/postfix/runner.js';
export { readServerConfig } from './modes/postfix/config.js';
export { parseMainCf } from './modes/postfix/main-cf.js';
export type { AcceptedDomain, ServerConfig } from './modes/postfix/config.js';
export { checkHost } from './families/spf/check-host.js';
export type { CheckHostRequest, SpfLimitReached, SpfOutcome, SpfResult, SpfTermRef, TraceStep } from './families/spf/check-host.js';
export { rules } from './catalog/rules.js';
export { CHECK_FAMILY_NAMES, DEFAULT_CHECKS } from './families/index.js';
export type { CheckFamily } from './families/index.js';
export { DeadServersError, OptionError } from './core/errors.js';
export { statusOf, worstStatus, EXIT_CODES } from './core/status.js';
export { Resolver } from './dns/resolver.js';
export { createResolver } from './engine/run-options.js';
export type { LookupSource } from './dns/lookup.js';
export type { ResolverOptions, ResolverStats } from './dns/resolver.js';
export type { RunOptions } from './engine/run-options.js';
export type { AuthoritativeOption, CheckOptions, ConnectToRule, NameServerSpec, ResultOrder, ServerAddress } from './core/options.js';
export type { RuleMeta, MessageSpec } from './core/rule.js';
export type { Severity, SourceLocation, Status } from './core/finding.js';
export type { AuthoritativeSection, NameServerReport, NameServerStatus, PostfixSection } from './engine/result.js';
export type { AddressEntry } from './net/address.js';
export type { MxEntry } from './families/mx/section.js';
export type { SpfSection, SpfIncludeEntry, SpfEvaluationEntry } from './families/spf/section.js';
export type { DmarcSection } from './families/dmarc/section.js';
export type { DkimKeySection, DkimSection, DkimSelectorSection, DkimSelectorState } from './families/dkim/section.js';
export type { MtaStsSection } from './families/mta-sts/section.js';
export type { TlsRptSection } from './families/tlsrpt/section.js';
export type { PublishedState } from './facts/txt-record.js';
export type { DnssecLookup, DnssecSection } from './families/dnssec/section.js';
export type { DnssecState } from './facts/dnssec-validation.js';
export type { DaneSection } from './families/dane/section.js';
export type { PtrSection } from './families/ptr/section.js';
export type { CertificateSection, SmtpProbeSection, SmtpSection } from './families/smtp/section.js';
export type { DnsblSection } from './families/dnsbl/section.js';
export type { BimiSection } from './families/bimi/section.js';
export type { TakeoverDomainEntry, TakeoverSection } from './families/takeover/section.js';
export type { DependencyRole } from './families/takeover/dependencies.js';
