import type { AuthoritativeOption, CheckOptions } from '../../core/options.js';
import type { Resolver } from '../../dns/resolver.js';
import { formatServerAddress } from '../../dns/server-address.js';
import { aliasChain } from '../../facts/host.js';
import type { MailFacts } from '../../facts/mail.js';
import type { SmtpProber } from '../../facts/smtp-prober.js';
import { checkName, nameResult } from '../../engine/check-name.js';
import { hostAddresses } from '../../families/mx/section.js';
import type { ModeSections, NameCheck } from '../../engine/check-name.js';
import type { AuthoritativeSection, DomainResult, NameServerReport } from '../../engine/result.js';
import type { Finding } from '../../core/finding.js';
import { authoritativeRules } from './rules.js';
import { dnsLookupFailed } from '../../families/mx/rules/domain.js';
import { compareText } from '../../core/finding.js';
import { findingOf } from '../../core/rule.js';
import { judgedResult } from '../../engine/judge.js';
import { findZoneCut } from '../../facts/zone-cut.js';
import { resolveTargets, targetsFromSpecs, zoneOnServers } from './discovery.js';
import { nameServerSpecs } from '../../dns/name-server-spec.js';
import { OptionError } from '../../core/errors.js';
import type { ServerTarget } from './discovery.js';
import type { AuthoritativeFacts, ServerView } from './facts.js';
import { serverLabel } from './facts.js';
import { probeServer } from './probe.js';
import { AuthoritativeServerSource } from './server-source.js';

/** `--authoritative` (true): the servers of the zone's NS set; `--ns`: these servers, delegated or not. */

interface ServerCheck {
  view: ServerView;
  check: NameCheck | null;
}

async function checkServer(resolver: Resolver, domain: string, zone: string, target: ServerTarget, options: CheckOptions, prober: SmtpProber): Promise<ServerCheck> {
  const probe = await probeServer(resolver, zone, target);
  const view = { name: target.name, address: target.address === null ? null : formatServerAddress(target.address), probe, mail: null };
  if (probe.status !== 'authoritative' || target.address === null) return { view, check: null };
  const check = await checkName(new AuthoritativeServerSource(resolver, zone, target.address), domain, options, { prober });
  return { view: { ...view, mail: check.facts }, check };
}

/**
 * The MX rules' findings on every authoritative server's data, each once; one that only some servers'
 * data gives names them (the servers disagree, which ns-mx-inconsistent reports).
 */
function mergedFindings(answered: ServerCheck[]): Finding[] {
  const byFinding = new Map<string, { finding: Finding; servers: string[] }>();
  for (const { view, check } of answered) {
    for (const finding of check!.findings) {
      const key = JSON.stringify([finding.rule, finding.target, finding.message]);
      const entry = byFinding.get(key) ?? { finding, servers: [] };
      entry.servers.push(serverLabel(view));
      byFinding.set(key, entry);
    }
  }
  return [...byFinding.values()].map(({ finding, servers }) => (servers.length === answered.length ? finding
    : { ...finding, message: `${finding.message} (In what ${servers.join(' and ')} serve${servers.length === 1 ? 's' : ''}; the other servers differ.)` }));
}

function mxOf(mail: MailFacts): NameServerReport['mx'] {
  if (mail.mx.state === 'found') {
    return mail.mx.records.map((r) => r.data).sort((a, b) => a.preference - b.preference || compareText(a.exchange, b.exchange));
  }
  return mail.mx.state === 'nodata' || mail.mx.state === 'nxdomain' ? [] : null;
}

function report(view: ServerView): NameServerReport {
  const base = { name: view.name, address: view.address, status: view.probe.status };
  if (view.probe.status !== 'authoritative') return { ...base, problem: view.probe.problem };
  const mail = view.mail;
  return {
    ...base,
    serial: view.probe.serial,
    ...(mail === null ? {} : {
      mx: mxOf(mail),
      exchanges: mail.exchanges.flatMap((e) => (e.kind === 'host' ? [{ name: e.name, cname: aliasChain(e.host), addresses: hostAddresses(e.host) }] : [])),
    }),
  };
}

export function authoritativeSection(facts: AuthoritativeFacts): AuthoritativeSection {
  return { zone: facts.zone, source: facts.source, servers: facts.servers.map(report) };
}

type FoundServers =
  | { ok: true; zone: string; targets: ServerTarget[]; source: AuthoritativeFacts['source'] }
  | { ok: false; finding: Finding };

async function findServers(resolver: Resolver, domain: string, option: AuthoritativeOption): Promise<FoundServers> {
  if (option !== true) {
    const targets = await targetsFromSpecs(resolver, nameServerSpecs(option.nameservers, (reason) => new OptionError(`authoritative: ${reason}`)));
    return { ok: true, zone: await zoneOnServers(resolver, domain, targets), targets, source: 'given' };
  }
  const cut = await findZoneCut(resolver, domain);
  if (!cut.ok) {
    const failure = `The name servers of ${domain}'s zone could not be found: ${cut.failure.message}`;
    return { ok: false, finding: findingOf(dnsLookupFailed.meta, 'failed', { failure, consequence: 'The check could not be completed' }) };
  }
  return { ok: true, zone: cut.zone, targets: await resolveTargets(resolver, cut.nameServers), source: 'delegation' };
}

/** A result with no MX facts to show: the servers could not be found, or none of them answers for the zone. */
function serversOnlyResult(input: string, domain: string, findings: Finding[], started: number, options: CheckOptions, extra: ModeSections = {}): DomainResult {
  return judgedResult({ input, domain, canonical: domain, mx: [], ...extra, durationMs: Math.round(performance.now() - started) }, findings, options);
}

/**
 * Asks the zone's name servers themselves: finds them (the NS set through the resolver, or the
 * servers given), asks each one directly for the zone's SOA and, where it answers with authority,
 * for the MX records and the exchanges' addresses; runs the MX rules on each server's data and the
 * authoritative rules on how the servers compare.
 */
export async function checkAuthoritative(resolver: Resolver, input: string, domain: string, option: AuthoritativeOption, options: CheckOptions,
  prober: SmtpProber): Promise<DomainResult> {
  const started = performance.now();
  const found = await findServers(resolver, domain, option);
  if (!found.ok) return serversOnlyResult(input, domain, [found.finding], started, options);
  const checks = await Promise.all(found.targets.map((target) => checkServer(resolver, domain, found.zone, target, options, prober)));
  const facts: AuthoritativeFacts = { domain, zone: found.zone, source: found.source, servers: checks.map((c) => c.view) };
  const findings = authoritativeRules.flatMap((rule) => rule.check(facts));
  const answered = checks.filter((c) => c.check !== null);
  const section = { authoritative: authoritativeSection(facts) };
  const first = answered[0]?.check;
  if (first === undefined || first === null) return serversOnlyResult(input, domain, findings, started, options, section);
  return nameResult(input, first, [...mergedFindings(answered), ...findings], started, options, section);
}
