import pLimit from 'p-limit';
import type { LookupFailure } from '../../dns/lookup.js';
import type { CheckContext } from '../../facts/context.js';
import { applicability, daneLookupsFor } from '../../facts/dane.js';
import type { DaneLookups } from '../../facts/dane.js';
import { notRoutable, probeTargets } from '../../facts/smtp-probes.js';
import type { ProbeTarget } from '../../facts/smtp-probes.js';
import { smtpSettings } from '../../facts/smtp-settings.js';
import type { SmtpSettings } from '../../facts/smtp-settings.js';
import type { ConnectTarget } from '../../net/connect-to.js';
import { routeConnection } from '../../net/route.js';
import { starttlsHandshake } from '../../smtp/starttls.js';
import type { HandshakeOutcome } from '../../smtp/starttls.js';
import type { SmtpFailure } from '../../smtp/session.js';
import type { SmtpProber } from '../../facts/smtp-prober.js';
import { scanTls } from '../../smtp/tls-scan.js';
import type { TlsScan } from '../../smtp/tls-scan.js';
import { daneEeMatches } from '../../tls/tlsa.js';
import { DEFAULT_TLS_PROFILE, isTlsProfileName, levelRank, tierLevel, tlsProfile } from './profiles.js';
import type { TlsProfile } from './profiles.js';

/**
 * Connections one check has open to one address at a time: its handshakes run one after another, and
 * an address named by two exchanges is scanned for one after the other.
 */
export const MAX_TLS_CONNECTIONS_PER_ADDRESS = 1;

export type ScannedAddress = ProbeTarget & (
  /** Not connected to: the address is not globally routable and --allow-private was not given. */
  | { state: 'skipped'; reason: string }
  | {
    state: 'scanned';
    target: ConnectTarget;
    scan: TlsScan;
    /**
     * Per chain the scan saw (in its order): does an authenticated DANE-EE record match its leaf?
     * Then senders that use DANE check nothing else of it (RFC 7672 §3.1.1).
     */
    daneEe: boolean[];
  });

export interface TlsQualityFacts {
  profile: TlsProfile;
  port: number;
  addresses: ScannedAddress[];
  /** Names whose addresses could not be learnt: not scanned, so not known. */
  unresolved: { name: string; failure: LookupFailure }[];
}

function daneEeFor(dane: DaneLookups, exchange: string, scan: TlsScan): boolean[] {
  const host = dane.hosts.find((h) => h.name === exchange);
  const records = host && applicability(dane, host).applies === true ? host.records : [];
  return scan.chains.map((chain) => daneEeMatches(records, chain.certificates.chain[0]));
}

/**
 * The scan of one address, once per run for the same server and profile (the run's prober keeps it);
 * each handshake is a connection of the run's prober, within its per-address and run limits and its budget.
 */
async function scanAddress(prober: SmtpProber, settings: SmtpSettings, profile: TlsProfile, target: ProbeTarget, signal: AbortSignal):
  Promise<{ route: ConnectTarget; scan: TlsScan } | { reason: string }> {
  const route = routeConnection(settings.connect, target.exchange, target.address, target.family, settings.port);
  if (!route.allowed) return { reason: notRoutable(route.address) };
  const destination = route.target;
  const refused = (failure: SmtpFailure): HandshakeOutcome => ({ state: 'failed', failure });
  const key = [destination.host, destination.port, target.exchange.toLowerCase(), profile.name].join('|');
  const scan = await prober.tlsScan(key, signal, () => scanTls((offer) => prober.connection(destination.host, destination.port, signal, refused, () => starttlsHandshake({
    host: destination.host, port: destination.port, serverName: target.exchange,
    phaseTimeoutMs: settings.phaseTimeoutMs, greetingTimeoutMs: settings.greetingTimeoutMs, ca: settings.ca,
    ...(settings.ehloName === undefined ? {} : { ehloName: settings.ehloName }), signal,
  }, offer)), { rank: (suite) => levelRank(tierLevel(profile.suites, suite)) }));
  return { route: destination, scan };
}

export async function collectTlsFacts(context: CheckContext): Promise<TlsQualityFacts> {
  const settings = smtpSettings(context.options);
  const name = context.options.tlsProfile;
  const profile = tlsProfile(name !== undefined && isTlsProfileName(name) ? name : DEFAULT_TLS_PROFILE);
  const { targets, unresolved } = probeTargets(context.mail);
  const perAddress = new Map<string, ReturnType<typeof pLimit>>();
  const limitFor = (address: string): ReturnType<typeof pLimit> => {
    let limit = perAddress.get(address);
    if (!limit) {
      limit = pLimit(MAX_TLS_CONNECTIONS_PER_ADDRESS);
      perAddress.set(address, limit);
    }
    return limit;
  };
  const [dane, scans] = await Promise.all([
    daneLookupsFor(context),
    Promise.all(targets.map((target) => limitFor(target.address)(() => scanAddress(context.prober, settings, profile, target, context.signal)))),
  ]);
  const addresses = targets.map((target, i): ScannedAddress => {
    const outcome = scans[i]!;
    if ('reason' in outcome) return { ...target, state: 'skipped', reason: outcome.reason };
    return { ...target, state: 'scanned', target: outcome.route, scan: outcome.scan, daneEe: daneEeFor(dane, target.exchange, outcome.scan) };
  });
  return { profile, port: settings.port, addresses, unresolved };
}
