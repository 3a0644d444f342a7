import { Worker } from 'node:worker_threads';
import { DeadServersError, OptionError } from '../core/errors.js';
import type { ResultOrder } from '../core/options.js';
import type { DomainResult } from '../engine/result.js';
import { concurrencyOf } from '../engine/run-options.js';
import type { RunOptions } from '../engine/run-options.js';
import { DEFAULT_SMTP_BUDGET, DEFAULT_SMTP_PER_HOST } from '../facts/smtp-prober.js';
import { RunError } from './io.js';

/** More jobs than cores only add contention; this many is beyond any machine mxlint runs on. */
export const MAX_JOBS = 256;

/** Main thread → job: domains to check, or the end of the list. */
export type JobMessage = { inputs: string[] } | { end: true };
/** Job → main thread: results as they complete, the end, or why the job stopped. */
export type JobReply = { results: unknown[] } | { done: true } | { failed: { name: string; message: string } };

/**
 * `--jobs N`: the domains of `inputs` checked by N worker threads, each with its own resolver and
 * cache, the results yielded in `order` as one stream. `--concurrency`, `--rate`, `--smtp-per-host`
 * and `--smtp-budget` are the run's in all: each job takes its share (the command line refuses more
 * jobs than `--smtp-per-host` when SMTP servers are probed). The reading of the list stops while `2 × concurrency` domains
 * are sent and not yet yielded, so memory stays bounded however long the list is.
 */
export async function* streamJobChecks(inputs: AsyncIterable<string>, options: RunOptions, jobs: number, order: ResultOrder): AsyncGenerator<DomainResult> {
  const concurrency = concurrencyOf(options);
  const share: RunOptions = {
    ...options,
    concurrency: Math.max(1, Math.floor(concurrency / jobs)),
    ...(options.rate === undefined ? {} : { rate: options.rate / jobs }),
    smtp: {
      ...options.smtp,
      perHost: Math.max(1, Math.floor((options.smtp?.perHost ?? DEFAULT_SMTP_PER_HOST) / jobs)),
      budget: Math.max(1, Math.floor((options.smtp?.budget ?? DEFAULT_SMTP_BUDGET) / jobs)),
    },
  };
  const window = 2 * concurrency;
  const workers = Array.from({ length: jobs }, () => startJob(share));
  const iterator = inputs[Symbol.asyncIterator]();
  /** Results not yet yielded, by their place in the input (input order), or as they came. */
  const ready = new Map<number, DomainResult>();
  const arrived: DomainResult[] = [];
  let sent = 0;
  let yielded = 0;
  let exhausted = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => wake?.();

  for (const job of workers) {
    job.onResult = (place, result) => {
      if (order === 'input') ready.set(place, result);
      else arrived.push(result);
      notify();
    };
    job.onFailure = (error) => {
      failure ??= error;
      notify();
    };
  }
  try {
    for (;;) {
      if (failure) throw failure;
      if (order === 'input') {
        for (let next = ready.get(yielded); next !== undefined; next = ready.get(yielded)) {
          ready.delete(yielded);
          yielded++;
          yield next;
        }
      } else {
        while (arrived.length > 0) {
          yielded++;
          yield arrived.shift()!;
        }
      }
      // Fill the window, each domain to the job with the fewest in hand.
      const batch = new Map<Job, string[]>();
      while (!exhausted && sent - yielded < window) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const job = workers.reduce((least, candidate) => (candidate.inHand < least.inHand ? candidate : least));
        job.take(next.value, sent++);
        batch.set(job, [...(batch.get(job) ?? []), next.value]);
      }
      for (const [job, domains] of batch) job.send({ inputs: domains });
      if (exhausted && yielded === sent) return;
      if (exhausted) for (const job of workers) job.end();
      if (failure) continue;
      if ((order === 'input' ? ready.has(yielded) : arrived.length > 0)) continue;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
  } finally {
    await Promise.all(workers.map((job) => job.stop()));
    if (!exhausted) await iterator.return?.();
  }
}

interface Job {
  /** Domains sent and not yet come back. */
  inHand: number;
  take(input: string, place: number): void;
  send(message: JobMessage): void;
  end(): void;
  stop(): Promise<void>;
  onResult(place: number, result: DomainResult): void;
  onFailure(error: Error): void;
}

/** A job's error as the main thread would have thrown it: a dead server or bad option stays a usage-style error. */
function jobError(failed: { name: string; message: string }): Error {
  if (failed.name === 'DeadServersError') return new DeadServersError(failed.message);
  if (failed.name === 'OptionError') return new OptionError(failed.message);
  return new RunError(`a job stopped: ${failed.message}`);
}

function startJob(options: RunOptions): Job {
  // The worker script sits beside this module, in dist/src/cli/ as in the CLI bundle.
  const worker = new Worker(new URL('./jobs-worker.js', import.meta.url), { workerData: { options } });
  /** Where each domain sent is in the input, by domain: a job answers in completion order. */
  const places = new Map<string, number[]>();
  let ended = false;
  let finished = false;
  const job: Job = {
    inHand: 0,
    take(input, place) {
      job.inHand++;
      const waiting = places.get(input);
      if (waiting) waiting.push(place);
      else places.set(input, [place]);
    },
    send: (message) => worker.postMessage(message),
    end() {
      if (ended) return;
      ended = true;
      worker.postMessage({ end: true } satisfies JobMessage);
    },
    async stop() {
      if (!finished) await worker.terminate();
    },
    onResult: () => undefined,
    onFailure: () => undefined,
  };
  worker.on('message', (reply: JobReply) => {
    if ('results' in reply) {
      for (const result of reply.results as DomainResult[]) {
        const waiting = places.get(result.input)!;
        const place = waiting.shift()!;
        if (waiting.length === 0) places.delete(result.input);
        job.inHand--;
        job.onResult(place, result);
      }
    } else if ('failed' in reply) {
      job.onFailure(jobError(reply.failed));
    } else {
      finished = true;
    }
  });
  worker.on('error', (error) => job.onFailure(new RunError(`a job stopped: ${error.message}`)));
  worker.on('exit', () => {
    if (!finished && job.inHand > 0) job.onFailure(new RunError('a job stopped before checking every domain it was given'));
  });
  return job;
}
