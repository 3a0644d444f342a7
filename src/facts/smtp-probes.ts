import type { CheckContext } from './context.js';
import type { LookupFailure, LookupSource } from '../dns/lookup.js';
import { describeRange } from '../net/address.js';
import type { AddressClass } from '../net/address.js';
import type { MailFacts } from './mail.js';
import { addressesOf, mailHosts } from './host.js';
import { lookupPtr } from './reverse-dns.js';
import { routeConnection } from '../net/route.js';
import type { ConnectTarget } from '../net/connect-to.js';
import { smtpSettings } from './smtp-settings.js';
import type { SmtpSettings } from './smtp-settings.js';
import type { RelayEnvelope, SmtpSession } from '../smtp/session.js';
import type { ConnectivitySnapshot, SmtpProber } from './smtp-prober.js';

/** What DNS says about who an address is: its PTR names, for comparing with the greeting. */
export type PtrOutcome =
  | { state: 'found'; names: string[] }
  | { state: 'none' }
  | { state: 'failed'; failure: LookupFailure };

export interface ProbeTarget {
  /** The host name mail is sent to: the exchange (or the domain, as implicit MX). */
  exchange: string;
  address: string;
  family: 4 | 6;
}

export type AddressProbe =
  /** Not connected to: the address is not globally routable and --allow-private was not given. */
  | ProbeTarget & { state: 'skipped'; reason: string }
  | ProbeTarget & { state: 'probed'; target: ConnectTarget; session: SmtpSession; ptr: PtrOutcome };

export interface SmtpFacts {
  port: number;
  /**
   * What the run knew, once these probes were done, about reaching SMTP servers from this machine:
   * a probe that timed out is the server's fault only where connections of its family have worked.
   */
  connectivity: Record<4 | 6, ConnectivitySnapshot>;
  /** When the probes ran (ms since the epoch), so rules about expiry stay pure functions. */
  checkedAt: number;
  /** One per exchange address (IPv4 and IPv6 each on their own), in MX order. */
  probes: AddressProbe[];
  /** Names whose addresses could not be learnt (a failed MX or A/AAAA lookup): not probed, so not known. */
  unresolved: { name: string; failure: LookupFailure }[];
}

async function ptrNames(lookups: LookupSource, address: string): Promise<PtrOutcome> {
  const ptr = await lookupPtr(lookups, address);
  if (ptr.state === 'failed') return { state: 'failed', failure: ptr.failure };
  return ptr.state === 'found' ? { state: 'found', names: ptr.records.map((r) => r.data) } : { state: 'none' };
}

/** How a probe of one address is made: the settings, the run's prober, the check's deadline, and the relay test's envelope if any. */
export interface ProbeWay {
  settings: SmtpSettings;
  prober: SmtpProber;
  signal?: AbortSignal;
  envelope?: RelayEnvelope;
}

/**
 * Probes one address of a mail host, as the settings allow (never a non-global one without
 * --allow-private or --connect-to), through the run's prober, until the check's deadline if given.
 */
export async function probeAddress(lookups: LookupSource, target: ProbeTarget, way: ProbeWay): Promise<AddressProbe> {
  const { settings } = way;
  const route = routeConnection(settings.connect, target.exchange, target.address, target.family, settings.port);
  if (!route.allowed) return { ...target, state: 'skipped', reason: notRoutable(route.address) };
  const destination = route.target;
  const [session, ptr] = await Promise.all([
    way.prober.probe({
      host: destination.host, port: destination.port, serverName: target.exchange, phaseTimeoutMs: settings.phaseTimeoutMs,
      greetingTimeoutMs: settings.greetingTimeoutMs, ca: settings.ca, ...(settings.ehloName === undefined ? {} : { ehloName: settings.ehloName }),
      ...(way.envelope ? { envelope: way.envelope } : {}),
    }, way.signal),
    ptrNames(lookups, target.address),
  ]);
  return { ...target, state: 'probed', target: destination, session, ptr };
}

/** What the run knows now about connections from this machine to `port`, per family. */
export function connectivityOf(prober: SmtpProber, port: number): SmtpFacts['connectivity'] {
  return { 4: prober.connectivity(4, port), 6: prober.connectivity(6, port) };
}

/** Why an address from DNS is not connected to. */
export function notRoutable(address: AddressClass): string {
  return `the address is not globally routable (${describeRange(address.range)})`;
}

/** Every address of every mail host (IPv4 and IPv6 each on their own), in MX order, and the names whose addresses could not be learnt. */
export function probeTargets(mail: MailFacts): { targets: ProbeTarget[]; unresolved: SmtpFacts['unresolved'] } {
  if (mail.mx.state === 'failed') return { targets: [], unresolved: [{ name: mail.domain, failure: mail.mx.failure }] };
  const targets: ProbeTarget[] = [];
  const unresolved: SmtpFacts['unresolved'] = [];
  for (const host of mailHosts(mail)) {
    for (const [family, outcome] of [[4, host.a], [6, host.aaaa]] as const) {
      if (outcome.state === 'failed') unresolved.push({ name: host.name, failure: outcome.failure });
      for (const address of addressesOf(outcome)) targets.push({ exchange: host.name, address, family });
    }
  }
  return { targets, unresolved };
}

async function collectSmtpFacts(context: CheckContext): Promise<SmtpFacts> {
  const settings = smtpSettings(context.options);
  const checkedAt = Date.now();
  const { targets, unresolved } = probeTargets(context.mail);
  const way = { settings, prober: context.prober, signal: context.signal };
  const probes = await Promise.all(targets.map((target) => probeAddress(context.lookups, target, way)));
  return { port: settings.port, connectivity: connectivityOf(context.prober, settings.port), checkedAt, probes, unresolved };
}

const probesByCheck = new WeakMap<CheckContext, Promise<SmtpFacts>>();

/**
 * The SMTP facts of one check, probed once however many families ask: the smtp family reports on
 * them, and DANE matches its TLSA records against the certificates they saw.
 */
export function smtpFactsFor(context: CheckContext): Promise<SmtpFacts> {
  let facts = probesByCheck.get(context);
  if (!facts) {
    facts = collectSmtpFacts(context);
    probesByCheck.set(context, facts);
  }
  return facts;
}
