/** Where a report goes: process.stdout, or a test's buffer. */
export interface OutputStream {
  write(text: string): unknown;
  once?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
  off?(event: 'drain' | 'close' | 'error', listener: () => void): unknown;
}

/**
 * Writes a report, waiting whenever the stream says its buffer is full (write() returned false)
 * until it drains: the results are produced only as fast as they are written, so a slow reader
 * (a pipe into a slow program, a network share) holds back the checks, not memory.
 */
export async function writeWithBackpressure(stream: OutputStream, text: string): Promise<void> {
  if (text === '' || stream.write(text) !== false || !stream.once || !stream.off) return;
  const { once, off } = { once: stream.once.bind(stream), off: stream.off.bind(stream) };
  await new Promise<void>((resolve) => {
    const done = (): void => {
      off('drain', done);
      off('close', done);
      off('error', done);
      resolve();
    };
    once('drain', done);
    once('close', done);
    // The error itself is the stream owner's to report (bin.ts ends the run on EPIPE).
    once('error', done);
  });
}
