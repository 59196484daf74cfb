/**
 * Worker-thread entry of a scheduler run: the whole solve (model, greedy start, annealing, the
 * exact proof) runs here, so the server's event loop only relays progress. The parent posts
 * `{ type: 'cancel' }` to stop early; the answer is `progress` messages, then `done` or `error`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SchedulingInputError, type SolveOptions, solve } from '../../core/scheduling/index.js';

interface RunJob {
  instance: unknown;
  options: Omit<SolveOptions, 'onProgress' | 'signal'>;
}

const job = workerData as RunJob;
const abort = new AbortController();
parentPort!.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') abort.abort();
});

solve(job.instance, {
  ...job.options,
  signal: abort.signal,
  onProgress: (p) => parentPort!.postMessage({ type: 'progress', progress: p }),
}).then(
  (result) => parentPort!.postMessage({ type: 'done', result }),
  (error: unknown) =>
    parentPort!.postMessage({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      input: error instanceof SchedulingInputError,
    }),
);
