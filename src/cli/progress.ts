import type { Status } from '../core/finding.js';

/** Redraws per second: enough to look alive, few enough to cost nothing. */
const REDRAWS_PER_SECOND = 4;
/** Weight of the newest interval in the smoothed rate: reacts in a few seconds, does not jitter. */
const RATE_SMOOTHING = 0.3;
const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'unknown'];

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

export interface ProgressCounts {
  done: number;
  byStatus: Readonly<Record<Status, number>>;
}

function clock(totalSeconds: number): string {
  const s = Math.round(totalSeconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/**
 * One line on a terminal's stderr, redrawn a few times a second: domains done (of how many, once
 * known), the rate, the time left, and the count per status. It is drawn over itself with a
 * carriage return and cleared at the end, so it never mixes into a report.
 */
export class ProgressLine {
  private total: number | null = null;
  private counts: ProgressCounts = { done: 0, byStatus: { pass: 0, warn: 0, fail: 0, unknown: 0 } };
  private rate = 0;
  private lastDone = 0;
  private lastAt: number;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private shown = false;

  constructor(private readonly stream: ProgressStream, private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
    this.lastAt = this.startedAt;
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), 1000 / REDRAWS_PER_SECOND);
    this.timer.unref();
  }

  setTotal(total: number): void {
    this.total = total;
  }

  update(counts: ProgressCounts): void {
    this.counts = counts;
  }

  /** Takes the line off the screen (before other output on the same terminal, and at the end). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clear();
  }

  /** The line as it would be drawn now (exposed for tests). */
  render(): string {
    const now = this.now();
    const elapsed = (now - this.lastAt) / 1000;
    if (elapsed > 0) {
      const current = (this.counts.done - this.lastDone) / elapsed;
      this.rate = this.lastDone === 0 && this.rate === 0 ? current : RATE_SMOOTHING * current + (1 - RATE_SMOOTHING) * this.rate;
      this.lastDone = this.counts.done;
      this.lastAt = now;
    }
    const { done, byStatus } = this.counts;
    const parts = [this.total === null ? `${done} domains` : `${done}/${this.total} domains (${this.total === 0 ? 100 : Math.floor((100 * done) / this.total)}%)`];
    parts.push(`${Math.round(this.rate)}/s`);
    if (this.total !== null && this.rate > 0 && done < this.total) parts.push(`ETA ${clock((this.total - done) / this.rate)}`);
    else parts.push(`elapsed ${clock((now - this.startedAt) / 1000)}`);
    parts.push(STATUSES.map((s) => `${s} ${byStatus[s]}`).join(' '));
    const line = `mxlint: ${parts.join(' · ')}`;
    const width = this.stream.columns ?? 80;
    return line.length >= width ? line.slice(0, Math.max(0, width - 1)) : line;
  }

  private draw(): void {
    this.stream.write(`\r\x1b[2K${this.render()}`);
    this.shown = true;
  }
}
