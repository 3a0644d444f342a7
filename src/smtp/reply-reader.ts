import type { Duplex } from 'node:stream';

/**
 * RFC 5321 §4.5.3.1.5 allows reply lines of 512 octets with CRLF; real servers stay far below. Four
 * times that is generous, and a server that sends a megabyte without a line end is cut off at once
 * instead of being buffered.
 */
export const MAX_REPLY_LINE_OCTETS = 2048;
/** A multi-line reply (EHLO lists one extension a line) of more lines than this is not an SMTP server. */
export const MAX_REPLY_LINES = 100;

/** One SMTP reply: its code and the text of each line after "250-" / "250 ". */
export interface SmtpReply {
  code: number;
  lines: string[];
}

export type ReadFailureKind = 'timeout' | 'closed' | 'reset' | 'line-too-long' | 'malformed';

export type ReplyRead =
  | { ok: true; reply: SmtpReply }
  | { ok: false; kind: ReadFailureKind; message: string };

const REPLY_LINE = /^(\d{3})([ -]|$)(.*)$/;

/**
 * Reads SMTP replies from a stream, one at a time, each within a deadline that covers the whole
 * reply: a server that trickles a byte a second cannot stretch it. Line length and line count are
 * capped, so nothing a server sends can make the reader buffer without bound.
 */
export class ReplyReader {
  private buffered = '';
  private lines: { code: number; text: string }[] = [];
  private readonly complete: SmtpReply[] = [];
  private ended: { kind: ReadFailureKind; message: string } | null = null;
  private waiting: ((read: ReplyRead) => void) | null = null;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onEnd = (): void => this.fail('closed', 'the server closed the connection');
  private readonly onError = (error: NodeJS.ErrnoException): void => {
    this.fail(error.code === 'ECONNRESET' ? 'reset' : 'closed', `connection error: ${error.message}`);
  };

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  /** The next complete reply, or why there is none within `timeoutMs`. Never rejects. */
  next(timeoutMs: number): Promise<ReplyRead> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `no complete reply within ${timeoutMs} ms` }), timeoutMs);
      const finish = (read: ReplyRead): void => {
        clearTimeout(timer);
        this.waiting = null;
        resolve(read);
      };
      this.waiting = finish;
      this.deliver();
    });
  }

  /** Something arrived after the last reply read (before TLS starts, that is data an attacker could inject). */
  get hasPendingData(): boolean {
    return this.buffered !== '' || this.lines.length > 0 || this.complete.length > 0;
  }

  /** Stops listening, so the stream can be handed to TLS; the stream itself stays open. */
  detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
  }

  private receive(chunk: Buffer): void {
    if (this.ended) return;
    this.buffered += chunk.toString('latin1');
    for (;;) {
      const end = this.buffered.indexOf('\n');
      if (end === -1) break;
      if (end + 1 > MAX_REPLY_LINE_OCTETS) return this.fail('line-too-long', `a reply line longer than ${MAX_REPLY_LINE_OCTETS} octets`);
      const line = this.buffered.slice(0, end).replace(/\r$/, '');
      this.buffered = this.buffered.slice(end + 1);
      const match = REPLY_LINE.exec(line);
      if (!match) return this.fail('malformed', `"${printable(line)}" is not an SMTP reply line`);
      const code = Number(match[1]);
      if (this.lines.length > 0 && this.lines[0]!.code !== code) {
        return this.fail('malformed', `reply lines with different codes (${this.lines[0]!.code}, then ${code})`);
      }
      this.lines.push({ code, text: match[3]! });
      if (match[2] !== '-') {
        this.complete.push({ code, lines: this.lines.map((l) => l.text) });
        this.lines = [];
      } else if (this.lines.length >= MAX_REPLY_LINES) {
        return this.fail('malformed', `a reply of more than ${MAX_REPLY_LINES} lines`);
      }
    }
    if (this.buffered.length > MAX_REPLY_LINE_OCTETS) {
      this.fail('line-too-long', `more than ${MAX_REPLY_LINE_OCTETS} octets without a line end`);
    }
    this.deliver();
  }

  private fail(kind: ReadFailureKind, message: string): void {
    this.ended ??= { kind, message };
    // Nothing more is read from a server that broke the protocol.
    if (kind === 'line-too-long' || kind === 'malformed') this.stream.destroy();
    this.deliver();
  }

  private deliver(): void {
    if (!this.waiting) return;
    const reply = this.complete.shift();
    if (reply) return this.waiting({ ok: true, reply });
    if (this.ended) this.waiting({ ok: false, ...this.ended });
  }
}

/** For messages: control characters shown as escapes, long text cut. */
export function printable(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return shown.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
