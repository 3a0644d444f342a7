import { suitesOf, TLS_VERSIONS } from '../tls/cipher-suites.js';
import type { CipherSuite, TlsVersion } from '../tls/cipher-suites.js';
import { sha256Hex } from '../tls/certificate.js';
import type { TlsFacts } from '../tls/certificate.js';
import { canOffer, KEY_EXCHANGE_GROUPS, suiteAvailable } from '../tls/offer.js';
import type { KeyExchange, KeyExchangeGroup, TlsOffer } from '../tls/offer.js';
import type { SmtpFailure } from './session.js';
import type { HandshakeOutcome } from './starttls.js';

/**
 * The TLS scan of one SMTP server address: which versions, suites and key exchange groups it
 * accepts, whether it enforces its own order of suites, whether it still signs with SHA-1, and the
 * certificates it presents — each found by handshakes that offer exactly one thing to judge. A
 * handshake costs a connection (greeting, EHLO, STARTTLS), so they are counted and bounded, and run
 * one after another.
 *
 * Suites and groups are found by elimination: offer every candidate, note the one the server picks,
 * offer the rest again, until the server refuses what is left. That costs one handshake per accepted
 * suite plus one, instead of one per candidate.
 */

/** Handshakes (each a connection) one address's scan may make at most; past it what is left is "not tested". */
export const MAX_TLS_HANDSHAKES_PER_ADDRESS = 160;

/** SHA-1 in the handshake's signatures: what TLS 1.2 lets a client offer, here the only thing offered. */
export const SHA1_SIGNATURE_ALGORITHMS = 'RSA+SHA1:ECDSA+SHA1:DSA+SHA1';

/** What one handshake of the scan tries: the scan hands it an offer, it connects and reports. */
export type Handshake = (offer: TlsOffer) => Promise<HandshakeOutcome>;

/** accepted, refused (the server said no to a hello holding it), or not tested (this OpenSSL cannot offer it, or the scan stopped first). */
export type TrialState = 'accepted' | 'refused' | 'not-tested';

export interface VersionTrial {
  version: TlsVersion;
  state: TrialState;
  /** Why it was refused (the server's alert) or not tested. */
  reason?: string;
}

export interface SuiteTrial {
  version: TlsVersion;
  /** IANA name. */
  suite: string;
  state: TrialState;
  /** The key exchange the server used with it (accepted suites only; null: none ephemeral). */
  keyExchange?: KeyExchange | null;
  reason?: string;
}

export interface GroupTrial {
  version: TlsVersion;
  /** IANA name. */
  group: string;
  state: TrialState;
  reason?: string;
}

/** Two accepted suites offered in both orders: a server that picks the same one twice enforces its own order. */
export interface OrderTrial {
  version: TlsVersion;
  /** The two suites, the one the profile rates lower first (as offered first). */
  offered: [string, string];
  /** What the server chose for [lower, higher] and for [higher, lower]. */
  chosen: [string, string];
  /** true: the same both times; false: the first offered both times; null: neither (or a handshake failed). */
  enforced: boolean | null;
}

/** A chain the server presented, with the suites it came with (a server with an RSA and an ECDSA certificate presents two). */
export interface PresentedChain {
  certificates: TlsFacts;
  /** SHA-256 of the leaf, hex: what tells the chains apart. */
  leafSha256: string;
  suites: string[];
}

export type ScanStop =
  /** A handshake could not be tried to the end (connect, greeting, STARTTLS, a timeout): the server's state, not its TLS. */
  | { kind: 'failed'; failure: SmtpFailure }
  /** The check's deadline passed. */
  | { kind: 'cancelled'; message: string }
  | { kind: 'budget'; limit: number };

export interface TlsScan {
  /** Did EHLO offer STARTTLS; null when no connection got that far. */
  starttls: boolean | null;
  /** Handshakes tried (connections opened). */
  handshakes: number;
  /** Why the scan ended before the end; null when it ran to the end (or there was no STARTTLS). */
  stopped: ScanStop | null;
  versions: VersionTrial[];
  /** Every suite of every accepted version, and what happened to it. */
  suites: SuiteTrial[];
  /** The order test, at the highest version below 1.3 with two suites accepted; null when not tried. */
  order: OrderTrial | null;
  groups: GroupTrial[];
  /** A TLS 1.2 handshake offering only SHA-1 signature algorithms (RFC 9155 forbids them). */
  sha1Signatures: { state: TrialState; reason?: string };
  chains: PresentedChain[];
  /** A stapled OCSP response came with the version handshakes; null when none was accepted. */
  ocspStapled: boolean | null;
}

export interface ScanOptions {
  maxHandshakes?: number;
  /** How a profile rates a suite (higher is better): the order test offers the best and the worst it found. */
  rank?: (suite: string) => number;
}

/** The scan ended early: handshakes past this point are not made. */
class Stopped extends Error {
  constructor(readonly stop: ScanStop | null) {
    super('scan stopped');
  }
}

type Attempt = { accepted: true; suite: string; keyExchange: KeyExchange | null } | { accepted: false; reason: string };

const NOT_IN_OPENSSL = "this machine's OpenSSL cannot offer it";

/** Suites whose key exchange the server signs (not RSA key transport, not anonymous): only those show the signature algorithm. */
function signsKeyExchange(suite: string): boolean {
  return /^TLS_(?:ECDHE|DHE)_(?:RSA|ECDSA|DSS)_WITH_/.test(suite);
}

class Scan {
  readonly result: TlsScan = {
    starttls: null, handshakes: 0, stopped: null, versions: [], suites: [], order: null, groups: [],
    sha1Signatures: { state: 'not-tested' }, chains: [], ocspStapled: null,
  };

  private readonly maxHandshakes: number;

  constructor(private readonly handshake: Handshake, private readonly options: ScanOptions) {
    this.maxHandshakes = options.maxHandshakes ?? MAX_TLS_HANDSHAKES_PER_ADDRESS;
  }

  /** One handshake: what the server chose, or why it refused; throws Stopped when the scan cannot go on. */
  async attempt(offer: TlsOffer): Promise<Attempt> {
    if (this.result.handshakes >= this.maxHandshakes) throw new Stopped({ kind: 'budget', limit: this.maxHandshakes });
    const outcome = await this.handshake(offer);
    // One after the other: counted once done, unless the run's budget let no connection open.
    if (outcome.state !== 'failed' || outcome.failure.kind !== 'budget') this.result.handshakes++;
    if (outcome.state === 'no-starttls') {
      if (this.result.starttls === null) {
        this.result.starttls = false;
        throw new Stopped(null);
      }
      throw new Stopped({ kind: 'failed', failure: { phase: 'ehlo', kind: 'rejected', message: 'EHLO stopped offering STARTTLS during the scan' } });
    }
    if (outcome.state === 'failed') {
      throw new Stopped(outcome.failure.kind === 'cancelled' ? { kind: 'cancelled', message: outcome.failure.message } : { kind: 'failed', failure: outcome.failure });
    }
    this.result.starttls = true;
    if (outcome.state === 'refused') return { accepted: false, reason: outcome.reason };
    const { negotiated } = outcome;
    this.notePresented(negotiated.certificates, negotiated.suite);
    if (negotiated.ocspStapled !== null) this.result.ocspStapled = (this.result.ocspStapled ?? false) || negotiated.ocspStapled;
    return { accepted: true, suite: negotiated.suite, keyExchange: negotiated.keyExchange };
  }

  private notePresented(certificates: TlsFacts, suite: string): void {
    const leaf = certificates.chain[0];
    // Anonymous suites present no certificate: nothing to note but the suite itself.
    if (!leaf) return;
    const leafSha256 = sha256Hex(leaf.der);
    const known = this.result.chains.find((chain) => chain.leafSha256 === leafSha256);
    if (!known) this.result.chains.push({ certificates, leafSha256, suites: [suite] });
    else if (!known.suites.includes(suite)) known.suites.push(suite);
  }

  accepted(version: TlsVersion): SuiteTrial[] {
    return this.result.suites.filter((trial) => trial.version === version && trial.state === 'accepted');
  }

  versionAccepted(version: TlsVersion): boolean {
    return this.result.versions.some((trial) => trial.version === version && trial.state === 'accepted');
  }

  /** Each version on its own, offering every suite of it this OpenSSL has; the first pick starts the elimination. */
  async versions(): Promise<void> {
    for (const version of TLS_VERSIONS) {
      const suites = suitesOf(version).filter(suiteAvailable);
      const offer: TlsOffer = { version, suites, requestOcsp: true };
      if (suites.length === 0 || !(await canOffer(offer))) {
        this.result.versions.push({ version, state: 'not-tested', reason: NOT_IN_OPENSSL });
        continue;
      }
      const attempt = await this.attempt(offer);
      if (!attempt.accepted) {
        this.result.versions.push({ version, state: 'refused', reason: attempt.reason });
        continue;
      }
      this.result.versions.push({ version, state: 'accepted' });
      this.result.suites.push(...suitesOf(version).map((suite): SuiteTrial => (suite.iana === attempt.suite
        ? { version, suite: suite.iana, state: 'accepted', keyExchange: attempt.keyExchange }
        : { version, suite: suite.iana, state: 'not-tested', ...(suiteAvailable(suite) ? {} : { reason: NOT_IN_OPENSSL }) })));
    }
  }

  /** The suites of an accepted version, by elimination. */
  async suites(version: TlsVersion): Promise<void> {
    if (!this.versionAccepted(version)) return;
    const trials = this.result.suites.filter((trial) => trial.version === version);
    const pending = (): SuiteTrial[] => trials.filter((trial) => trial.state === 'not-tested' && trial.reason === undefined);
    const bySuite = new Map(suitesOf(version).map((suite) => [suite.iana, suite]));
    while (pending().length > 0) {
      const offered = pending();
      const attempt = await this.attempt({ version, suites: offered.map((trial) => bySuite.get(trial.suite)!) });
      if (!attempt.accepted) {
        for (const trial of offered) Object.assign(trial, { state: 'refused', reason: attempt.reason });
        return;
      }
      const chosen = offered.find((trial) => trial.suite === attempt.suite);
      if (!chosen) {
        // A server that answers with a suite it was not offered breaks the protocol: nothing more is learnt this way.
        for (const trial of offered) trial.reason = `the server chose ${attempt.suite}, which was not offered`;
        return;
      }
      Object.assign(chosen, { state: 'accepted', keyExchange: attempt.keyExchange });
    }
  }

  /** The order test at the highest version below TLS 1.3 that accepted two suites. */
  async order(): Promise<void> {
    const version = TLS_VERSIONS.find((v) => v !== 'TLSv1.3' && this.accepted(v).length >= 2);
    if (!version) return;
    const accepted = this.accepted(version).map((trial) => trial.suite);
    const rank = this.options.rank ?? (() => 0);
    const byRank = [...accepted].sort((a, b) => rank(a) - rank(b));
    const [lower, higher] = rank(byRank[0]!) === rank(byRank.at(-1)!) ? [accepted.at(-1)!, accepted[0]!] : [byRank[0]!, byRank.at(-1)!];
    const suite = (iana: string): CipherSuite => suitesOf(version).find((s) => s.iana === iana)!;
    const first = await this.attempt({ version, suites: [suite(lower), suite(higher)] });
    const second = await this.attempt({ version, suites: [suite(higher), suite(lower)] });
    const chosen: [string, string] = [first.accepted ? first.suite : '', second.accepted ? second.suite : ''];
    const enforced = !first.accepted || !second.accepted ? null
      : chosen[0] === chosen[1] ? true
        : chosen[0] === lower && chosen[1] === higher ? false : null;
    this.result.order = { version, offered: [lower, higher], chosen, enforced };
  }

  /**
   * The key exchange groups, by elimination: at TLS 1.3 every group it can negotiate; at TLS 1.2
   * (with the ECDHE suites it accepted) the curves TLS 1.3 cannot offer, or every curve when there
   * is no TLS 1.3.
   */
  async groups(): Promise<void> {
    const tls13 = this.versionAccepted('TLSv1.3');
    const plans: { version: TlsVersion; suites: string[]; groups: KeyExchangeGroup[] }[] = [];
    if (tls13) {
      plans.push({ version: 'TLSv1.3', suites: this.accepted('TLSv1.3').map((t) => t.suite), groups: KEY_EXCHANGE_GROUPS.filter((g) => g.versions.includes('TLSv1.3')) });
    }
    const ecdhe12 = this.accepted('TLSv1.2').map((t) => t.suite).filter((suite) => suite.startsWith('TLS_ECDHE_'));
    const curves12 = KEY_EXCHANGE_GROUPS.filter((g) => g.kind === 'ecdhe' && g.versions.includes('TLSv1.2') && !(tls13 && g.versions.includes('TLSv1.3')));
    // In TLS 1.2 the client's curve list also limits the ECDSA certificates the server may use
    // (RFC 8422 §5.1): leaving out its curve makes an ECDSA-only server refuse whatever the curve
    // offered. Only suites signed with RSA keep the two apart.
    const rsa12 = ecdhe12.filter((suite) => suite.startsWith('TLS_ECDHE_RSA_'));
    if (rsa12.length > 0) plans.push({ version: 'TLSv1.2', suites: rsa12, groups: curves12 });
    else if (ecdhe12.length > 0) {
      this.result.groups.push(...curves12.map((g): GroupTrial => ({
        version: 'TLSv1.2', group: g.name, state: 'not-tested', reason: 'TLS 1.2 ties the curve list to the ECDSA certificate (RFC 8422 §5.1): with ECDSA suites only, curves cannot be tried one by one',
      })));
    }
    for (const plan of plans) await this.eliminateGroups(plan.version, plan.suites, plan.groups);
    this.noteGroupsSeen();
  }

  /** Groups the server used with the suites it accepted are accepted, whatever the elimination could tell. */
  private noteGroupsSeen(): void {
    for (const trial of this.result.suites) {
      const group = trial.keyExchange?.group;
      if (trial.state !== 'accepted' || !group || (trial.version !== 'TLSv1.3' && trial.version !== 'TLSv1.2')) continue;
      const known = this.result.groups.find((g) => g.version === trial.version && g.group === group);
      if (!known) this.result.groups.push({ version: trial.version, group, state: 'accepted' });
      else if (known.state !== 'accepted') {
        known.state = 'accepted';
        delete known.reason;
      }
    }
  }

  private async eliminateGroups(version: TlsVersion, suiteNames: string[], groups: KeyExchangeGroup[]): Promise<void> {
    const suites = suitesOf(version).filter((suite) => suiteNames.includes(suite.iana));
    const trials: GroupTrial[] = [];
    for (const group of groups) {
      const offerable = await canOffer({ version, suites, groups: [group] });
      trials.push({ version, group: group.name, state: 'not-tested', ...(offerable ? {} : { reason: NOT_IN_OPENSSL }) });
    }
    this.result.groups.push(...trials);
    const pending = (): GroupTrial[] => trials.filter((trial) => trial.state === 'not-tested' && trial.reason === undefined);
    while (pending().length > 0) {
      const offered = pending();
      const attempt = await this.attempt({ version, suites, groups: offered.map((trial) => groups.find((g) => g.name === trial.group)!) });
      if (!attempt.accepted) {
        for (const trial of offered) Object.assign(trial, { state: 'refused', reason: attempt.reason });
        return;
      }
      const chosen = offered.find((trial) => trial.group === attempt.keyExchange?.group);
      if (!chosen) {
        for (const trial of offered) trial.reason = `the server's key exchange (${describeKeyExchange(attempt.keyExchange)}) was none of the groups offered`;
        return;
      }
      chosen.state = 'accepted';
    }
  }

  /** TLS 1.2 offering SHA-1 signatures only, with the accepted suites whose key exchange is signed. */
  async sha1(): Promise<void> {
    const suites = suitesOf('TLSv1.2').filter((suite) => this.accepted('TLSv1.2').some((t) => t.suite === suite.iana) && signsKeyExchange(suite.iana));
    if (suites.length === 0) {
      this.result.sha1Signatures = { state: 'not-tested', reason: 'no TLS 1.2 suite with a signed key exchange was accepted' };
      return;
    }
    const offer: TlsOffer = { version: 'TLSv1.2', suites, signatureAlgorithms: SHA1_SIGNATURE_ALGORITHMS };
    if (!(await canOffer(offer))) {
      this.result.sha1Signatures = { state: 'not-tested', reason: NOT_IN_OPENSSL };
      return;
    }
    const attempt = await this.attempt(offer);
    this.result.sha1Signatures = attempt.accepted ? { state: 'accepted' } : { state: 'refused', reason: attempt.reason };
  }

  /** What the scan did not get to, marked as not tested with the reason it stopped. */
  finish(stop: ScanStop | null): TlsScan {
    this.result.stopped = stop;
    if (stop === null) return this.result;
    const reason = describeStop(stop);
    const tried = new Set(this.result.versions.map((trial) => trial.version));
    for (const version of TLS_VERSIONS) if (!tried.has(version)) this.result.versions.push({ version, state: 'not-tested', reason });
    for (const trial of [...this.result.suites, ...this.result.groups]) if (trial.state === 'not-tested' && trial.reason === undefined) trial.reason = reason;
    if (this.result.sha1Signatures.state === 'not-tested' && this.result.sha1Signatures.reason === undefined) this.result.sha1Signatures.reason = reason;
    return this.result;
  }
}

export function describeKeyExchange(exchange: KeyExchange | null): string {
  if (exchange === null) return 'no ephemeral key';
  return exchange.group ?? `${exchange.kind.toUpperCase()} ${exchange.size} bits`;
}

/** Why a scan stopped, in a few words for reports. */
export function describeStop(stop: ScanStop): string {
  if (stop.kind === 'budget') return `the scan's limit of ${stop.limit} handshakes was reached`;
  if (stop.kind === 'cancelled') return `the check's deadline passed${stop.message ? ` (${stop.message})` : ''}`;
  return `a connection failed at the ${stop.failure.phase} step: ${stop.failure.message}`;
}

/**
 * Scans one server through `handshake`, most telling first: the versions, the suites of TLS 1.3 and
 * 1.2, the order, the groups, SHA-1 signatures, then the suites of TLS 1.1 and 1.0. Never rejects:
 * whatever stops it (the deadline, the handshake bound, a failed connection) leaves the rest "not
 * tested" and says why.
 */
export async function scanTls(handshake: Handshake, options: ScanOptions = {}): Promise<TlsScan> {
  const scan = new Scan(handshake, options);
  try {
    await scan.versions();
    await scan.suites('TLSv1.3');
    await scan.suites('TLSv1.2');
    await scan.order();
    await scan.groups();
    await scan.sha1();
    await scan.suites('TLSv1.1');
    await scan.suites('TLSv1');
  } catch (error) {
    if (!(error instanceof Stopped)) throw error;
    return scan.finish(error.stop);
  }
  return scan.finish(null);
}
