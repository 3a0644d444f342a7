import type { Lookup } from './lookup.js';
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
  private readonly inFlight = new Map<string, Promise<Lookup>>();

  constructor(maxEntries = DEFAULT_CACHE_ENTRIES, private readonly now: () => number = () => performance.now()) {
    this.done = new LruMap(maxEntries);
  }

  get size(): number {
    return this.done.size;
  }

  getOrLoad(key: string, load: () => Promise<Lookup>): Promise<Lookup> {
    const entry = this.done.get(key);
    if (entry && entry.expiresAt > this.now()) {
      this.stats.hits++;
      return entry.answer;
    }
    if (entry) this.done.delete(key);
    const running = this.inFlight.get(key);
    if (running) {
      this.stats.joined++;
      return running;
    }
    this.stats.misses++;
    const loading = load().then(
      (lookup) => {
        this.inFlight.delete(key);
        this.remember(key, lookup);
        return lookup;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, loading);
    return loading;
  }

  private remember(key: string, lookup: Lookup): void {
    const seconds = lookupLifetimeSeconds(lookup);
    if (seconds > 0) this.done.set(key, { answer: Promise.resolve(lookup), expiresAt: this.now() + seconds * 1000 });
  }
}
