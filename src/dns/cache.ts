import type { Cancellation, Lookup } from './lookup.js';
import { LruMap } from './lru.js';

/**
 * Bounds memory in long bulk runs; beyond it the least recently used entries go first. What a bulk
 * run asks again is mostly a few providers' exchanges, which every hit keeps at the recent end, so
 * a small cache catches the repeats and anything more only costs: on the benchmark's list of 50,000
 * domains, 500, 2,000 and 10,000 entries asked the very same 114,001 queries, and 10,000 held ~75 MB
 * more (answers live long enough to be promoted to the old generation, then die there).
 */
export const DEFAULT_CACHE_ENTRIES = 1_000;
/** RFC 9520 §3.2: remember a resolution failure for at least 1 s, at most 5 min; short, so a blip clears. */
export const FAILURE_CACHE_SECONDS = 5;

interface Entry {
  /** Settled with the lookup: every hit hands out the same promise rather than a new one. */
  answer: Promise<Lookup>;
  expiresAt: number;
}

/** Seconds an answer may be reused: its records' smallest TTL, or for a negative answer the SOA's (RFC 2308 §5). */
export function lookupLifetimeSeconds(lookup: Lookup): number {
  if (!lookup.ok) return FAILURE_CACHE_SECONDS;
  if (lookup.answers.length > 0) return lookup.answers.reduce((least, record) => Math.min(least, record.ttl), Infinity);
  const soa = lookup.authorities.find((r) => r.type === 'SOA');
  return soa && soa.type === 'SOA' ? Math.min(soa.ttl, soa.data.minimum) : 0;
}

/**
 * Who waits for a lookup in flight, and the lookup's own cancellation: aborted when every waiter's
 * signal has been, never while one waits without a signal or with one not yet aborted. (A bulk
 * run's domains share lookups; one domain's deadline must not cut another's.) A Cancellation of its
 * own rather than an AbortController, which costs more to make than the rest of a cache miss.
 */
class Waiters implements Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private waiting = 0;
  private unbounded = false;
  private readonly listeners = new Set<() => void>();

  /** The answer for one caller: the shared one, or `abandoned()` at once when its signal is aborted first. */
  wait(answer: Promise<Lookup>, caller: CacheCaller | undefined): Promise<Lookup> {
    if (caller === undefined) {
      this.unbounded = true;
      return answer;
    }
    const { signal, abandoned } = caller;
    this.waiting++;
    return new Promise<Lookup>((resolve, reject) => {
      const onAbort = (): void => {
        if (--this.waiting === 0 && !this.unbounded) this.abort(signal.reason);
        resolve(abandoned());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then((lookup) => {
        signal.removeEventListener('abort', onAbort);
        resolve(lookup);
      }, (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
  }

  addEventListener(type: 'abort', listener: () => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    this.listeners.delete(listener);
  }

  private abort(reason: unknown): void {
    this.aborted = true;
    this.reason = reason;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}

/** A caller that may give up: its signal, and what it gets when it does. */
export interface CacheCaller {
  signal: AbortSignal;
  abandoned: () => Lookup;
}

interface Loading {
  answer: Promise<Lookup>;
  waiters: Waiters;
}

export interface CacheStats {
  hits: number;
  /** Lookups that joined an identical one already in flight instead of asking again. */
  joined: number;
  misses: number;
}

/**
 * Lookups shared across a run: identical questions in flight are asked once, and answers are
 * reused for as long as their TTL allows.
 */
export class LookupCache {
  readonly stats: CacheStats = { hits: 0, joined: 0, misses: 0 };
  private readonly done: LruMap<string, Entry>;
  private readonly inFlight = new Map<string, Loading>();

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES, private readonly now: () => number = () => performance.now()) {
    this.done = new LruMap(maxEntries);
  }

  get size(): number {
    return this.done.size;
  }

  /**
   * The cached answer, the one in flight, or `load`'s. A caller with a signal gets `abandoned()` at
   * once when it is aborted, and `load` is cancelled (through the Cancellation it gets) when every
   * caller waiting for it has been (see Waiters).
   */
  getOrLoad(key: string, load: (cancellation: Cancellation) => Promise<Lookup>, caller?: CacheCaller): Promise<Lookup> {
    const entry = this.done.get(key);
    if (entry && entry.expiresAt > this.now()) {
      this.stats.hits++;
      return entry.answer;
    }
    if (entry) this.done.delete(key);
    const running = this.inFlight.get(key);
    // One whose every waiter gave up is being cancelled: a new caller asks afresh.
    if (running && !running.waiters.aborted) {
      this.stats.joined++;
      return running.waiters.wait(running.answer, caller);
    }
    this.stats.misses++;
    const waiters = new Waiters();
    const answer = load(waiters).then(
      (lookup) => {
        if (this.inFlight.get(key)?.waiters === waiters) this.inFlight.delete(key);
        this.remember(key, lookup);
        return lookup;
      },
      (error: unknown) => {
        if (this.inFlight.get(key)?.waiters === waiters) this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, { answer, waiters });
    return waiters.wait(answer, caller);
  }

  private remember(key: string, lookup: Lookup): void {
    // A lookup cut short says nothing about the name: the next one asks again.
    if (!lookup.ok && lookup.kind === 'deadline') return;
    const seconds = lookupLifetimeSeconds(lookup);
    if (seconds > 0) this.done.set(key, { answer: Promise.resolve(lookup), expiresAt: this.now() + seconds * 1000 });
  }
}
