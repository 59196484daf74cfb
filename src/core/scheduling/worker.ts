/**
 * Worker-thread entry: runs one annealing chain and posts its progress and result. Started by
 * `parallel.ts` from the sources (under tsx) or from dist/ alike.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runChain } from './anneal.js';
import type { Model } from './model.js';

interface ChainJob {
  model: Model;
  start: Int32Array;
  seed: string;
  iterations?: number;
  /** Date.now() at which to stop. */
  deadlineEpochMs?: number;
  stop: Int32Array;
}

const job = workerData as ChainJob;
const result = runChain(job.model, job.start, {
  seed: job.seed,
  iterations: job.iterations,
  deadline: job.deadlineEpochMs === undefined ? undefined : performance.now() + (job.deadlineEpochMs - Date.now()),
  stop: job.stop,
  onProgress: (iterations, fraction, bestObjective, bestScore) =>
    parentPort!.postMessage({ type: 'progress', iterations, fraction, bestObjective, bestScore }),
});
parentPort!.postMessage({ type: 'done', result });
