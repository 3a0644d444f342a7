/**
 * The one reader of files (src/core/files.ts): only regular files read whole, within a bound; a FIFO
 * or a device refused before it is waited on or read; standard input and pipes within a size bound
 * and a deadline on each wait.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, linkSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileReadError, FileTooLargeError, MAX_FILE_BYTES, openForReading, readTextFile, readTextStream, withWaitDeadline,
} from '../../src/core/files.js';

function withDir(run: (dir: string) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxlint-files-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** A stream that sends `chunks` and then nothing, ever. */
async function* stalls(...chunks: string[]): AsyncGenerator<string> {
  yield* chunks;
  await new Promise(() => undefined);
}

describe('readTextFile', () => {
  test('reads a regular file as UTF-8, with an identity shared by every path to it', withDir((dir) => {
    writeFileSync(join(dir, 'a'), 'bücher\n');
    symlinkSync('.', join(dir, 'd'));
    linkSync(join(dir, 'a'), join(dir, 'hard'));
    const read = readTextFile(join(dir, 'a'));
    assert.equal(read.text, 'bücher\n');
    assert.equal(readTextFile(join(dir, 'd', 'd', 'a')).identity, read.identity);
    assert.equal(readTextFile(join(dir, 'hard')).identity, read.identity);
  }));

  test('refuses a device, a FIFO nobody writes to and a folder at once, saying what it is', withDir((dir) => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const notRegular = (what: string) => new FileReadError(`it is ${what}, not a regular file`, 'not-regular');
    assert.throws(() => readTextFile('/dev/zero'), notRegular('a character device'));
    assert.throws(() => readTextFile('/dev/urandom'), notRegular('a character device'));
    assert.throws(() => readTextFile(join(dir, 'fifo')), notRegular('a FIFO (named pipe)'));
    assert.throws(() => readTextFile(dir), notRegular('a directory'));
    assert.throws(() => readTextFile(join(dir, 'missing')), new FileReadError('no such file', 'absent'));
  }));

  test(`reads at most the bound (${MAX_FILE_BYTES / 2 ** 20} MiB unless told), not one octet past it`, withDir((dir) => {
    writeFileSync(join(dir, 'ten'), '0123456789');
    assert.equal(readTextFile(join(dir, 'ten'), 10).text, '0123456789');
    assert.throws(() => readTextFile(join(dir, 'ten'), 9), new FileTooLargeError(9));
    writeFileSync(join(dir, 'big'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
    assert.throws(() => readTextFile(join(dir, 'big')), (error: unknown) => error instanceof FileTooLargeError && error.kind === 'too-large'
      && error.message === `it is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB, the most mxlint reads of it`);
  }));
});

describe('openForReading', () => {
  test('takes a pipe only when asked, and never blocks on one nobody writes to', withDir((dir) => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const opened = openForReading(fifo, { pipes: true });
    assert.equal(opened.kind, 'pipe');
    closeSync(opened.fd);
    assert.throws(() => openForReading('/dev/zero', { pipes: true }), new FileReadError('it is a character device, not a regular file or a pipe', 'not-regular'));
  }));
});

describe('standard input and pipes', () => {
  test('readTextStream: the whole text, within the size bound', async () => {
    assert.equal(await readTextStream((async function* () { yield 'a = 1\n'; yield Buffer.from('b = 2\n'); })(), 12), 'a = 1\nb = 2\n');
    await assert.rejects(readTextStream((async function* () { yield 'x'.repeat(8); yield 'y'.repeat(8); })(), 12), new FileTooLargeError(12));
  });

  test('readTextStream: a stream that does not end within the deadline is an error, not a hang', async () => {
    await assert.rejects(readTextStream(stalls('a = 1\n'), 1000, 50), new FileReadError('it did not end within 0.05 s', 'unreadable'));
  });

  test('withWaitDeadline: each wait is bounded, a slow consumer is not', async () => {
    const taken: string[] = [];
    await assert.rejects((async () => {
      for await (const chunk of withWaitDeadline(stalls('a', 'b'), 50)) {
        taken.push(chunk);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
    })(), new FileReadError('nothing arrived for 0.05 s', 'unreadable'));
    assert.deepEqual(taken, ['a', 'b']);
  });
});
