import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { CheckOptions } from '../core/options.js';
import { abortReason } from '../dns/lookup.js';
import { LruMap } from '../dns/lru.js';
import { classifyAddress } from '../net/address.js';
import { formatHostPort } from '../net/host-port.js';
import { probeSmtp } from '../smtp/session.js';
import type { SmtpFailure, SmtpProbeOptions, SmtpSession } from '../smtp/session.js';
import type { TlsScan } from '../smtp/tls-scan.js';

/**
 * The SMTP probing of one run (a bulk list, a zone, one domain): how many connections it opens to one
 * address at once, how many in all, the results it remembers, and what it has learnt about the
 * network it probes from. Every probe of the run goes through it.
 */

/** Connections open at once to one address, by default (`--smtp-per-host`): what a well-behaved sender opens. */
export const DEFAULT_SMTP_PER_HOST = 2;
/** The most `--smtp-per-host` allows: beyond it a bulk run looks like an attack to the servers it probes. */
export const MAX_SMTP_PER_HOST = 16;
/**
 * SMTP connections open at once over the whole run, to all servers together: the prober's own file
 * descriptors, its NAT and conntrack tables and its uplink stay calm whatever `--concurrency` says.
 */
export const MAX_SMTP_CONNECTIONS = 128;
/**
 * SMTP connections a run opens in all, by default (`--smtp-budget`): with one probe per server and run,
 * ten thousand servers is a big bulk run of other people's domains; past it the run probes nothing
 * more (those servers are unknown) rather than turn into a scan of port 25 nobody meant.
 */
export const DEFAULT_SMTP_BUDGET = 10_000;
/** The most `--smtp-budget` allows: a million connections to port 25 is a survey of the Internet, not a check. */
export const MAX_SMTP_BUDGET = 1_000_000;
/**
 * Probe results remembered per run (per address, port, server name and relay envelope), the most
 * recently used kept: one probe's facts with its certificate chain are a few kilobytes, so a bulk run
 * over many providers stays within a few tens of MB, and the exchanges everyone shares stay cached.
 */
export const MAX_CACHED_PROBES = 2000;
/**
 * TLS scans remembered per run (per address, port, server name and profile), the most recently used
 * kept: a scan holds a certificate chain per suite family, tens of kilobytes, and costs the server up
 * to a hundred and sixty handshakes, so the exchanges a bulk run's domains share are scanned once.
 */
export const MAX_CACHED_TLS_SCANS = 200;

/** A count of connections open at once, with a queue of those waiting for a free one. */
class Slots {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  get idle(): boolean {
    return this.active === 0 && this.queue.length === 0;
  }

  /** Resolves true once a slot is taken, or false when `signal` is aborted first. */
  acquire(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const take = (): void => {
        signal?.removeEventListener('abort', give);
        this.active++;
        resolve(true);
      };
      const give = (): void => {
        const at = this.queue.indexOf(take);
        if (at !== -1) this.queue.splice(at, 1);
        resolve(false);
      };
      this.queue.push(take);
      signal?.addEventListener('abort', give, { once: true });
    });
  }

  release(): void {
    this.active--;
    this.queue.shift()?.();
  }
}

/** What the run has learnt about reaching SMTP servers from this machine, per address family and port. */
export interface ConnectivitySnapshot {
  /** A TCP connection of this family to this port has succeeded during the run (this check's own included). */
  connected: boolean;
  /** This machine has a globally routable IPv6 address (read once per run); for IPv4 always true. */
  globalAddress: boolean;
}

function hasGlobalIpv6(): boolean {
  return Object.values(networkInterfaces()).some((addresses) => (addresses ?? [])
    .some((a) => a.family === 'IPv6' && !a.internal && classifyAddress(a.address.replace(/%.*$/, ''), 6).globallyRoutable));
}

/** A probe that never connected: cut short before it could, or not allowed to. */
function notConnected(failure: SmtpFailure): SmtpSession {
  return { banner: null, ehlo: null, tls: null, ehloAfterTls: null, envelope: null, failure, durationMs: 0 };
}

/** A scan that never connected: cut short before it could, or not allowed to. */
function scanNotStarted(failure: SmtpFailure): TlsScan {
  return {
    starttls: null, handshakes: 0, versions: [], suites: [], order: null, groups: [], sha1Signatures: { state: 'not-tested' }, chains: [], ocspStapled: null,
    stopped: failure.kind === 'cancelled' ? { kind: 'cancelled', message: failure.message } : { kind: 'failed', failure },
  };
}

const cancelledFailure = (message: string): SmtpFailure => ({ phase: 'connect', kind: 'cancelled', message });


export class SmtpProber {
  private readonly perAddress = new Map<string, Slots>();
  private readonly all = new Slots(MAX_SMTP_CONNECTIONS);
  private readonly sessions = new LruMap<string, Promise<SmtpSession>>(MAX_CACHED_PROBES);
  private readonly scans = new LruMap<string, Promise<TlsScan>>(MAX_CACHED_TLS_SCANS);
  private readonly connected = new Set<string>();
  private globalIpv6: boolean | undefined;
  /** Connections opened so far (attempted: a refused or timed-out one counts too). */
  private opened = 0;

  constructor(readonly perHost: number = DEFAULT_SMTP_PER_HOST, readonly budget: number = DEFAULT_SMTP_BUDGET) {}

  /** Connections the run has opened so far, against its budget. */
  get connectionsOpened(): number {
    return this.opened;
  }

  /**
   * The session of a probe with these options: the run's earlier one when the same server (address,
   * port, server name, relay envelope) was probed already, else a new one, opened when the address
   * and the run have a free connection and the run's budget is not spent. Resolves as a cancelled
   * session when `signal` is aborted first, as a 'budget' failure when the budget is spent; never rejects.
   */
  probe(options: Omit<SmtpProbeOptions, 'signal' | 'onConnected'>, signal?: AbortSignal): Promise<SmtpSession> {
    const key = [options.host, options.port, options.serverName.toLowerCase(), options.envelope?.mailFrom ?? '', options.envelope?.rcptTo ?? ''].join('|');
    return shared(this.sessions, key, signal, (session) => session.failure?.kind === 'cancelled', (message) => notConnected(cancelledFailure(message)),
      () => this.connection(options.host, options.port, signal, notConnected, () => probeSmtp({
        ...options, ...(signal ? { signal } : {}), onConnected: () => this.connected.add(`${isIP(options.host) === 6 ? 6 : 4}/${options.port}`),
      })));
  }

  /**
   * The TLS scan of one server (`key`: its address, port, server name and what the scan offers): the
   * run's earlier one when the same server was scanned already, else `scan`, whose handshakes each
   * open their connection through `connection` (the per-address and run limits, the budget).
   */
  tlsScan(key: string, signal: AbortSignal | undefined, scan: () => Promise<TlsScan>): Promise<TlsScan> {
    return shared(this.scans, key, signal, (result) => result.stopped?.kind === 'cancelled', (message) => scanNotStarted(cancelledFailure(message)), scan);
  }

  /**
   * One connection to `address`: `open` runs once the address and the run have a free connection
   * and the budget is not spent, else `notOpened` says why (cancelled while waiting, or 'budget').
   */
  async connection<T>(address: string, port: number, signal: AbortSignal | undefined, notOpened: (failure: SmtpFailure) => T, open: () => Promise<T>): Promise<T> {
    let slots = this.perAddress.get(address);
    if (slots === undefined) {
      slots = new Slots(this.perHost);
      this.perAddress.set(address, slots);
    }
    const where = formatHostPort(address, port);
    try {
      if (!await slots.acquire(signal)) return notOpened(cancelledFailure(`stopped while waiting for one of the ${this.perHost} connections at once to ${where}: ${abortReason(signal!)}`));
      try {
        if (!await this.all.acquire(signal)) return notOpened(cancelledFailure(`stopped while waiting for one of the ${MAX_SMTP_CONNECTIONS} SMTP connections at once of the run: ${abortReason(signal!)}`));
        try {
          if (this.opened >= this.budget) {
            return notOpened({ phase: 'connect', kind: 'budget', message: `not connected to ${where}: the run has opened ${this.opened} SMTP connections, its whole budget` });
          }
          this.opened++;
          return await open();
        } finally {
          this.all.release();
        }
      } finally {
        slots.release();
      }
    } finally {
      if (slots.idle) this.perAddress.delete(address);
    }
  }

  /** What the run knows so far about connections of `family` to `port` from this machine. */
  connectivity(family: 4 | 6, port: number): ConnectivitySnapshot {
    if (family === 6) this.globalIpv6 ??= hasGlobalIpv6();
    return { connected: this.connected.has(`${family}/${port}`), globalAddress: family === 4 || this.globalIpv6 === true };
  }
}

/**
 * The run's result under `key`, made by `make` when there is none yet. A result cut short
 * (`cancelled`) is not kept: when it was another check's that its deadline cut, this one makes its own.
 */
async function shared<T>(cache: LruMap<string, Promise<T>>, key: string, signal: AbortSignal | undefined,
  cancelled: (result: T) => boolean, stopped: (message: string) => T, make: () => Promise<T>): Promise<T> {
  for (;;) {
    let pending = cache.get(key);
    const own = pending === undefined;
    if (pending === undefined) {
      pending = make();
      cache.set(key, pending);
    }
    const result = await (own ? pending : whileWaiting(pending, signal, stopped));
    if (!cancelled(result)) return result;
    cache.delete(key);
    if (own || signal?.aborted) return result;
  }
}

/** Another check's result, waited for until `signal` is aborted (then this check's share is cancelled, not the other's work). */
function whileWaiting<T>(pending: Promise<T>, signal: AbortSignal | undefined, stopped: (message: string) => T): Promise<T> {
  if (signal === undefined) return pending;
  if (signal.aborted) return Promise.resolve(stopped(`stopped: ${abortReason(signal)}`));
  return new Promise((resolve) => {
    const stop = (): void => resolve(stopped(`stopped while another check probed the same server: ${abortReason(signal)}`));
    signal.addEventListener('abort', stop, { once: true });
    void pending.then((result) => {
      signal.removeEventListener('abort', stop);
      resolve(result);
    });
  });
}

/** The prober of a run with these options (`smtp.perHost`, `smtp.budget`). */
export function createSmtpProber(options: CheckOptions): SmtpProber {
  return new SmtpProber(options.smtp?.perHost ?? DEFAULT_SMTP_PER_HOST, options.smtp?.budget ?? DEFAULT_SMTP_BUDGET);
}
