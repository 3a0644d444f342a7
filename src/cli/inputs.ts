import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { readDomainLines } from './domain-lines.js';
import { inShard } from './shard.js';
import type { Shard } from './shard.js';
import { RunError, UsageError } from './io.js';

/** `-f -`: the list comes on standard input. */
export const STDIN_NAME = '-';

type Source =
  | { kind: 'arguments'; domains: readonly string[] }
  /** A regular file: read from the start each time, so it can be counted too. */
  | { kind: 'file'; name: string; handle: FileHandle }
  /** Standard input, a pipe or a device (`-f <(command)`): read once, as it comes. */
  | { kind: 'stream'; name: string; stream: AsyncIterable<Buffer | string> };

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

async function openFile(name: string): Promise<Source> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(name, 'r');
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new Error('it is a directory');
    return stat.isFile() ? { kind: 'file', name, handle } : { kind: 'stream', name, stream: handle.createReadStream() };
  } catch (error) {
    await handle?.close();
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read the domain list ${name}: ${reason}`);
  }
}

async function* linesOf(source: Source): AsyncGenerator<string> {
  try {
    yield* readSource(source);
  } catch (error) {
    const name = 'name' in source ? source.name : 'of arguments';
    throw new RunError(`cannot read the domain list ${name}: ${(error as Error).message}`);
  }
}

function readSource(source: Source): AsyncIterable<string> | Iterable<string> {
  switch (source.kind) {
    case 'arguments':
      return source.domains;
    case 'stream':
      return readDomainLines(source.stream);
    case 'file':
      // From the start each time: the progress count reads the same file alongside.
      return readDomainLines(source.handle.createReadStream({ start: 0, autoClose: false }));
  }
}

async function* filtered(sources: readonly Source[], shard: Shard | null): AsyncGenerator<string> {
  for (const source of sources) {
    for await (const domain of linesOf(source)) if (shard === null || inShard(domain, shard)) yield domain;
  }
}

/**
 * The domains of a run: those given as arguments, then each list file (`-` for stdin) line by line.
 * Files are opened before anything is checked, so a missing one is a usage error, not a half run.
 */
export async function openInputs(
  domains: readonly string[], files: readonly string[], shard: Shard | null, stdin: AsyncIterable<Buffer | string>,
): Promise<DomainInputs> {
  if (files.filter((name) => name === STDIN_NAME).length > 1) throw new UsageError('-f - (standard input) can be given once only');
  const sources: Source[] = [{ kind: 'arguments', domains }];
  try {
    for (const name of files) sources.push(name === STDIN_NAME ? { kind: 'stream', name: 'on standard input', stream: stdin } : await openFile(name));
  } catch (error) {
    await Promise.all(sources.map((s) => (s.kind === 'file' ? s.handle.close() : undefined)));
    throw error;
  }
  return {
    domains: filtered(sources, shard),
    bulk: files.length > 0,
    countTotal: async () => {
      if (sources.some((s) => s.kind === 'stream')) return null;
      let total = 0;
      for await (const _domain of filtered(sources, shard)) total++;
      return total;
    },
    close: async () => {
      await Promise.all(sources.map((s) => (s.kind === 'file' ? s.handle.close() : undefined)));
    },
  };
}
