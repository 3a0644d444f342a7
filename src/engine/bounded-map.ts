import type { ResultOrder } from '../core/options.js';

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Slot<R> {
  outcome: Settled<R> | null;
}

/**
 * `work` over every item of `source`, at most `concurrency` at a time, yielding the results. The
 * next item is read from `source` only when a slot is free, and a finished result keeps its slot
 * until it is taken, so a slow reader of the results slows the reading of the source and memory
 * stays bounded by `concurrency` whatever its length. (p-limit bounds the work running but queues
 * every task handed to it; here the reading itself has to wait.) A result is handed on while the
 * source is still being waited for, so a slow source (a pipe, a terminal) does not hold it back.
 *
 * In input order a slow item holds back those after it: at most `concurrency` are started ahead of
 * the oldest unfinished one. In completion order nothing waits for a slow item.
 */
export async function* mapBounded<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  concurrency: number,
  order: ResultOrder,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number of at least 1, not ${concurrency}`);
  const iterator: Iterator<T> | AsyncIterator<T> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  /** Started and not yet taken: oldest first in input order; in completion order only the finished ones wait here. */
  const slots: Slot<R>[] = [];
  let running = 0;
  /** The source's last answer, until it is used; the callbacks fill it, so it lives in an object TypeScript does not narrow. */
  const reader = { result: null as Settled<IteratorResult<T>> | null, busy: false };
  let exhausted = false;
  let wake: (() => void) | null = null;

  const settle = <V>(promise: Promise<V>, done: (outcome: Settled<V>) => void): void => {
    promise.then((value) => done({ ok: true, value }), (error: unknown) => done({ ok: false, error }));
  };
  const start = (item: T): void => {
    const slot: Slot<R> = { outcome: null };
    running++;
    if (order === 'input') slots.push(slot);
    settle(Promise.resolve().then(() => work(item)), (outcome) => {
      slot.outcome = outcome;
      running--;
      if (order === 'completion') slots.push(slot);
      wake?.();
    });
  };
  const readNext = (): void => {
    reader.busy = true;
    settle(Promise.resolve(iterator.next()), (outcome) => {
      reader.result = outcome;
      reader.busy = false;
      wake?.();
    });
  };
  const occupied = (): number => (order === 'input' ? slots.length : running + slots.length);

  try {
    for (;;) {
      const outcome = reader.result;
      if (outcome !== null) {
        reader.result = null;
        if (!outcome.ok) throw outcome.error;
        if (outcome.value.done) exhausted = true;
        else start(outcome.value.value);
      }
      const head = slots[0];
      if (head?.outcome) {
        slots.shift();
        if (!head.outcome.ok) throw head.outcome.error;
        yield head.outcome.value;
        continue;
      }
      if (!exhausted && !reader.busy && occupied() < concurrency) readNext();
      if (exhausted && occupied() === 0) return;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
  } finally {
    // An early stop (the consumer broke off, or failed): let the source release what it holds.
    if (!exhausted) {
      const closing = iterator.return?.();
      if (closing instanceof Promise) closing.catch(() => undefined);
    }
  }
}
