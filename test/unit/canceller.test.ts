/**
 * Unit tests of Canceller, a check's deadline: its listeners run once at the abort, as an
 * AbortSignal's do, and the AbortSignal it makes for probes and fetches follows it, made before or
 * after the abort.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Canceller, untilAborted } from '../../src/dns/lookup.js';

describe('Canceller', () => {
  test('listeners run once, at the abort, with its reason readable; a removed one or one added after never runs', () => {
    const canceller = new Canceller();
    const heard: string[] = [];
    const kept = (): void => void heard.push(`kept:${String(canceller.reason)}`);
    const removed = (): void => void heard.push('removed');
    canceller.addEventListener('abort', kept);
    canceller.addEventListener('abort', removed);
    canceller.removeEventListener('abort', removed);
    assert.equal(canceller.aborted, false);
    canceller.abort('deadline');
    canceller.abort('again');
    canceller.addEventListener('abort', () => heard.push('late'));
    assert.deepEqual(heard, ['kept:deadline']);
    assert.equal(canceller.aborted, true);
    assert.equal(canceller.reason, 'deadline');
  });

  test('its AbortSignal, made before the abort, is aborted with it, with the same reason', () => {
    const canceller = new Canceller();
    const { signal } = canceller;
    assert.equal(canceller.signal, signal);
    let heard = 0;
    signal.addEventListener('abort', () => heard++);
    const reason = new Error('the check\'s deadline (5 ms) passed');
    canceller.abort(reason);
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, reason);
    assert.equal(heard, 1);
  });

  test('its AbortSignal, first asked for after the abort, is already aborted', () => {
    const canceller = new Canceller();
    canceller.abort('cancelled');
    assert.equal(canceller.signal.aborted, true);
    assert.equal(canceller.signal.reason, 'cancelled');
  });

  test('a wait on it ends at the abort, and one that got its answer leaves no listener behind', async () => {
    const canceller = new Canceller();
    let cutAfterAnswer = 0;
    assert.equal(await untilAborted(Promise.resolve('answer'), canceller, () => `cut ${++cutAfterAnswer}`), 'answer');
    const pending = untilAborted(new Promise<string>(() => undefined), canceller, () => 'cut');
    canceller.abort('deadline');
    assert.equal(await pending, 'cut');
    assert.equal(cutAfterAnswer, 0);
  });
});
