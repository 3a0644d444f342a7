/**
 * One job of `--jobs N` (a worker thread started by jobs.ts): checks the domains the main thread
 * sends it, with a resolver and cache of its own, and sends each result back as it completes. The
 * main thread keeps the order, the report and the summary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunOptions } from '../engine/run-options.js';
import { streamDomainChecks } from '../modes/domains.js';
import type { JobMessage, JobReply } from './jobs.js';

const port = parentPort!;
const { options } = workerData as { options: RunOptions };

/** The domains sent and not yet taken by the checks; `more` wakes the checks when some arrive. */
const queue: string[] = [];
let ended = false;
let more: (() => void) | null = null;

port.on('message', (message: JobMessage) => {
  if ('inputs' in message) queue.push(...message.inputs);
  else ended = true;
  more?.();
});

async function* sent(): AsyncGenerator<string> {
  for (;;) {
    if (queue.length > 0) {
      yield queue.shift()!;
    } else if (ended) {
      return;
    } else {
      await new Promise<void>((resolve) => { more = resolve; });
      more = null;
    }
  }
}

/** Results done within one event-loop turn go back in one message. */
let pending: JobReply & { results: unknown[] } = { results: [] };
let scheduled = false;
function reply(result: unknown): void {
  pending.results.push(result);
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    port.postMessage(pending);
    pending = { results: [] };
  });
}

try {
  for await (const result of streamDomainChecks(sent(), { ...options, order: 'completion' })) reply(result);
  await new Promise<void>((resolve) => setImmediate(resolve));
  port.postMessage({ done: true } satisfies JobReply);
} catch (error) {
  port.postMessage({ failed: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) } } satisfies JobReply);
}
port.close();
