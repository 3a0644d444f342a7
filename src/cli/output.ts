/** Where a report goes: process.stdout, or a test's buffer. */
export interface OutputStream {
  write(text: string): unknown;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/** A write this large goes out at once rather than at the end of the event-loop turn. */
const FLUSH_BYTES = 64 * 1024;

/** Resolves when the stream has drained (or closed, or failed: the error is its owner's to report). */
function drained(stream: Required<OutputStream>): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

/**
 * Writes a report as it is produced. What is written within one event-loop turn goes out in one
 * write (stdout to a file or pipe is a system call per write), and when the stream says its buffer
 * is full (write() returned false) the next write waits until it drains: results are produced only
 * as fast as they are written, so a slow reader holds back the checks, not memory.
 */
export class ReportWriter {
  private pending: string[] = [];
  private bytes = 0;
  private scheduled = false;
  private blocked: Promise<void> | null = null;

  /** `beforeWrite` runs before each write to the stream (a progress line steps aside). */
  constructor(private readonly stream: OutputStream, private readonly beforeWrite: () => void = () => {}) {}

  async write(text: string): Promise<void> {
    if (this.blocked) await this.blocked;
    if (text === '') return;
    this.pending.push(text);
    this.bytes += text.length;
    if (this.bytes >= FLUSH_BYTES) {
      this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes what is left and waits until the stream has taken it. */
  async end(): Promise<void> {
    this.flush();
    if (this.blocked) await this.blocked;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.bytes = 0;
    this.beforeWrite();
    const { stream } = this;
    if (stream.write(text) === false && stream.once && stream.off && !this.blocked) {
      this.blocked = drained(stream as Required<OutputStream>).then(() => {
        this.blocked = null;
      });
    }
  }
}
