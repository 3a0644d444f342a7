import { closeSync, createReadStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { FileTooLargeError, openForReading, readFailure, withSizeBound, withWaitDeadline } from '../core/files.js';
import { readDomainLines } from './domain-lines.js';
import { inShard } from './shard.js';
import type { Shard } from './shard.js';
import { RunError, UsageError } from './io.js';

/** `-f -`: the list comes on standard input. */
export const STDIN_NAME = '-';

/**
 * The most read of one domain list (4 GiB): some 200 million domains, more than a run gets through in
 * days, and a device-sized file (a sparse terabyte of NULs) is refused instead of read for hours.
 * Lists are read as they are checked, so memory does not grow with their size.
 */
export const MAX_LIST_BYTES = 4 * 1024 ** 3;

type Source =
  | { kind: 'arguments'; domains: readonly string[] }
  /** A regular file: read from the start each time, so it can be counted too. */
  | { kind: 'file'; name: string; fd: number }
  /** Standard input or a pipe (`-f <(command)`): read once, as it comes, no wait longer than MAX_INPUT_WAIT_MS. */
  | { kind: 'stream'; name: string; stream: AsyncIterable<Buffer | string>; close(): void };

export interface DomainInputs {
  /** Every domain to check, in order, read as they are taken; only those of the shard. */
  domains: AsyncIterable<string>;
  /** Any list read from a file or stdin: a bulk run. */
  bulk: boolean;
  /**
   * How many domains `domains` will give, counted by a separate read of the files; null when a list
   * comes from stdin, which can be read once only. For progress.
   */
  countTotal(): Promise<number | null>;
  /** Closes the files (the checks are over, or failed). */
  close(): Promise<void>;
}

/** A list file: a regular file, or a pipe; a device (it never ends), a folder or a socket is refused before it is read. */
function openFile(name: string): Source {
  try {
    const { kind, fd } = openForReading(name, { pipes: true });
    if (kind === 'file') {
      if (fstatSync(fd).size <= MAX_LIST_BYTES) return { kind, name, fd };
      closeSync(fd);
      throw new FileTooLargeError(MAX_LIST_BYTES);
    }
    const pipe = new Socket({ fd, readable: true, writable: false });
    return { kind: 'stream', name, stream: withWaitDeadline(pipe), close: () => pipe.destroy() };
  } catch (error) {
    throw new UsageError(`cannot read the domain list ${name}: ${readFailure(error)}`);
  }
}

function closeSource(source: Source): void {
  if (source.kind === 'file') closeSync(source.fd);
  else if (source.kind === 'stream') source.close();
}

async function* linesOf(source: Source): AsyncGenerator<string> {
  try {
    yield* readSource(source);
  } catch (error) {
    const name = 'name' in source ? source.name : 'of arguments';
    throw new RunError(`cannot read the domain list ${name}: ${readFailure(error)}`);
  }
}

function readSource(source: Source): AsyncIterable<string> | Iterable<string> {
  switch (source.kind) {
    case 'arguments':
      return source.domains;
    case 'stream':
      return readDomainLines(withSizeBound(source.stream, MAX_LIST_BYTES));
    case 'file':
      // From the start each time: the progress count reads the same file alongside.
      return readDomainLines(withSizeBound(createReadStream(source.name, { fd: source.fd, start: 0, autoClose: false }), MAX_LIST_BYTES));
  }
}

/** The domains of the sources in the shard; `read` counts every domain read, in the shard or not. */
async function* filtered(sources: readonly Source[], shard: Shard | null, read = { count: 0 }): AsyncGenerator<string> {
  for (const source of sources) {
    for await (const domain of linesOf(source)) {
      read.count += 1;
      if (shard === null || inShard(domain, shard)) yield domain;
    }
  }
}

/** Why a run has nothing to check: the lists are empty, or the shard takes none of their domains. */
function nothingToCheck(files: readonly string[], shard: Shard | null, read: number): string {
  if (shard !== null && read > 0) return `no domain to check: --shard ${shard.index}/${shard.count} selects none of the ${read} given`;
  const lists = files.map((name) => (name === STDIN_NAME ? 'standard input' : name)).join(', ');
  return `no domain to check: ${files.length === 1 ? 'the domain list' : 'the domain lists'} ${lists} ${files.length === 1 ? 'holds' : 'hold'} none (only blank lines and # comments)`;
}

/**
 * The domains of a run: those given as arguments, then each list file (`-` for stdin, asked for
 * only then) line by line.
 * Files are opened, and the first domain read, before anything is checked, so a missing file or
 * lists with no domain at all are a usage error, not a half run or an "OK" about nothing.
 */
export async function openInputs(
  domains: readonly string[], files: readonly string[], shard: Shard | null, stdin: () => AsyncIterable<Buffer | string>,
): Promise<DomainInputs> {
  if (files.filter((name) => name === STDIN_NAME).length > 1) throw new UsageError('-f - (standard input) can be given once only');
  const sources: Source[] = [{ kind: 'arguments', domains }];
  const close = (): void => sources.forEach(closeSource);
  try {
    for (const name of files) {
      sources.push(name === STDIN_NAME ? { kind: 'stream', name: 'on standard input', stream: withWaitDeadline(stdin()), close: () => undefined } : openFile(name));
    }
    const read = { count: 0 };
    const checked = filtered(sources, shard, read);
    const first = await checked.next();
    if (first.done === true) throw new UsageError(nothingToCheck(files, shard, read.count));
    return {
      domains: (async function* () {
        yield first.value;
        yield* checked;
      })(),
      bulk: files.length > 0,
      countTotal: async () => {
        if (sources.some((s) => s.kind === 'stream')) return null;
        let total = 0;
        for await (const _domain of filtered(sources, shard)) total++;
        return total;
      },
      close: () => Promise.resolve(close()),
    };
  } catch (error) {
    close();
    throw error;
  }
}
