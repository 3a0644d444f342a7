/**
 * How far ahead queries may bunch up: a burst of 50 ms worth of the rate. Resolvers that drop
 * traffic above a rate count it over short windows; a full second's worth at once would be dropped.
 */
export const RATE_BURST_SECONDS = 0.05;

/**
 * A token bucket for queries sent: `perSecond` on average, at most a short burst at once. Every
 * attempt takes a token — retries and the TCP retry of a truncated answer included — so the cap
 * holds for what really goes on the wire. One limiter may be shared by several resolvers.
 */
export class QueryRateLimit {
  private readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(readonly perSecond: number, private readonly now: () => number = () => performance.now()) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`a query rate must be a positive number, not ${perSecond}`);
    this.burst = Math.max(1, perSecond * RATE_BURST_SECONDS);
    this.tokens = this.burst;
    this.refilledAt = now();
  }

  /** null: send now. Otherwise a promise that resolves when a query may be sent, first come first served. */
  take(): Promise<void> | null {
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return null;
    }
    const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.schedule();
    return turn;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(1, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refill();
      while (this.waiting.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.waiting.shift()!();
      }
      if (this.waiting.length > 0) this.schedule();
    }, wait);
  }
}
