/**
 * Every file mxlint reads — a zone file and its $INCLUDEs, main.cf and the tables and certificates it
 * names, --ca files, domain lists, resolv.conf — is opened here. Only a regular file is read whole (a
 * device never ends, a FIFO blocks until something writes to it), and never past a size bound, so
 * no path makes mxlint hang or fill memory. A file that cannot be read throws a FileReadError whose
 * message says why in a few words, for the caller to put after the file's name. Standard input and
 * pipes, where a command reads them, come with the same bound and a deadline on each wait.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';

/** The most read of any one file (a zone's files together, or a Postfix configuration's, have their own totals). */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** The longest standard input or a pipe may keep mxlint waiting: for its next bytes, or to end when read whole. */
export const MAX_INPUT_WAIT_MS = 60_000;

/**
 * Why a file was not read: it is not there (the path, or a folder on it), it is no regular file (a
 * device, a FIFO, a folder), it holds more than the bound, or something else (permissions).
 */
export type ReadFailureKind = 'absent' | 'not-regular' | 'too-large' | 'unreadable';

/** Why a file was not read, in words to follow its name ("cannot read X: it is a FIFO …"). */
export class FileReadError extends Error {
  override name = 'FileReadError';

  constructor(message: string, readonly kind: ReadFailureKind) {
    super(message);
  }
}

/** The file holds more than the bound it was read with. */
export class FileTooLargeError extends FileReadError {
  override name = 'FileTooLargeError';

  constructor(readonly maxBytes: number) {
    super(`it is larger than ${describeSize(maxBytes)}, the most mxlint reads of it`, 'too-large');
  }
}

export interface FileText {
  text: string;
  /** Device and inode: one file reached by different paths (a symbolic link, `./`) has one identity. */
  identity: string;
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a directory in the path is a file',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'it is a directory',
};

/** Why a file could not be read, without the syscall and path that Node's messages repeat. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && READ_FAILURES[code] !== undefined) return READ_FAILURES[code];
  return error instanceof Error ? error.message : String(error);
}

function failureOf(error: unknown): FileReadError {
  if (error instanceof FileReadError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return new FileReadError(readFailure(error), code === 'ENOENT' || code === 'ENOTDIR' ? 'absent' : 'unreadable');
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'of another kind';
}

function describeSize(bytes: number): string {
  if (Number.isInteger(bytes / 2 ** 30)) return `${bytes / 2 ** 30} GiB`;
  return Number.isInteger(bytes / 2 ** 20) ? `${bytes / 2 ** 20} MiB` : `${bytes} bytes`;
}

export type OpenedFile = { kind: 'file' | 'pipe'; fd: number };

/**
 * Opens `path` for reading once it is a regular file, or (with `pipes`) a FIFO or pipe, such as
 * `<(command)` gives; anything else is refused before it is opened. The open does not block on a
 * FIFO nobody writes to, and the type is checked again on the open descriptor, so a file swapped
 * after the first look is refused too.
 */
export function openForReading(path: string, options: { pipes: boolean }): OpenedFile {
  const accepts = (stat: Stats): 'file' | 'pipe' => {
    if (stat.isFile()) return 'file';
    if (options.pipes && stat.isFIFO()) return 'pipe';
    throw new FileReadError(`it is ${kindOf(stat)}, not a regular file${options.pipes ? ' or a pipe' : ''}`, 'not-regular');
  };
  let fd: number;
  try {
    accepts(statSync(path));
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw failureOf(error);
  }
  try {
    return { kind: accepts(fstatSync(fd)), fd };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

const CHUNK_BYTES = 64 * 1024;

/** Reads a regular file whole, as UTF-8, refusing it when it holds more than `maxBytes`. */
export function readTextFile(path: string, maxBytes = MAX_FILE_BYTES): FileText {
  const { bytes, identity } = readFileBytes(path, maxBytes);
  return { text: bytes.toString('utf8'), identity };
}

/** Reads a regular file whole, refusing it when it holds more than `maxBytes`. */
export function readFileBytes(path: string, maxBytes = MAX_FILE_BYTES): { bytes: Buffer; identity: string } {
  const { fd } = openForReading(path, { pipes: false });
  try {
    const stat = fstatSync(fd);
    if (stat.size > maxBytes) throw new FileTooLargeError(maxBytes);
    // The size can change while it is read: read one octet past the bound to know.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw new FileTooLargeError(maxBytes);
    }
    return { bytes: Buffer.concat(chunks, total), identity: `${stat.dev}:${stat.ino}` };
  } catch (error) {
    throw failureOf(error);
  } finally {
    closeSync(fd);
  }
}

/** The iterator's next step, or a FileReadError when it does not come within `ms`. */
async function nextWithin<T>(iterator: AsyncIterator<T>, ms: number, why: string): Promise<IteratorResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new FileReadError(why, 'unreadable')), ms);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Stopped early (a deadline, an error, a consumer that needs no more): the stream is let go, so it holds the process no longer. */
function release<T>(iterator: AsyncIterator<T>): void {
  void iterator.return?.()?.catch(() => undefined);
}

/**
 * The chunks of standard input or a pipe as they are taken; waiting longer than `waitMs` for the
 * next one throws a FileReadError (and lets the stream go). Only the waits count: a consumer that
 * takes chunks slowly is not hurried.
 */
export async function* withWaitDeadline<T>(chunks: AsyncIterable<T>, waitMs = MAX_INPUT_WAIT_MS): AsyncGenerator<T> {
  const iterator = chunks[Symbol.asyncIterator]();
  let done = false;
  try {
    for (;;) {
      const next = await nextWithin(iterator, waitMs, `nothing arrived for ${waitMs / 1000} s`);
      if (next.done === true) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) release(iterator);
  }
}

/** The chunks of a stream as they come, failing with a FileTooLargeError once they pass `maxBytes` together. */
export async function* withSizeBound(chunks: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<Buffer | string> {
  let total = 0;
  for await (const chunk of chunks) {
    total += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (total > maxBytes) throw new FileTooLargeError(maxBytes);
    yield chunk;
  }
}

/** Standard input (or a pipe) read whole as UTF-8: at most `maxBytes`, and all of it within `waitMs`. */
export async function readTextStream(chunks: AsyncIterable<Buffer | string>, maxBytes = MAX_FILE_BYTES, waitMs = MAX_INPUT_WAIT_MS): Promise<string> {
  const deadline = performance.now() + waitMs;
  const iterator = withSizeBound(chunks, maxBytes);
  const parts: Buffer[] = [];
  try {
    for (;;) {
      const next = await nextWithin(iterator, Math.max(0, deadline - performance.now()), `it did not end within ${waitMs / 1000} s`);
      if (next.done === true) return Buffer.concat(parts).toString('utf8');
      parts.push(typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value);
    }
  } catch (error) {
    release(iterator);
    throw error;
  }
}
