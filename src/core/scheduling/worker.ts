/**
 * Worker-thread entry: runs one annealing chain and posts its progress and result. Started by
 * `chains.ts` from the sources (under tsx) or from dist/ alike.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ChainTuning, runChain } from './anneal.js';
import { type ExchangeBuffers, exchangeFor } from './exchange.js';
import type { Model } from './model.js';

interface ChainJob {
  model: Model;
  start: Int32Array;
  seed: string;
  iterations?: number;
  /** Date.now() at which to stop. */
  deadlineEpochMs?: number;
  stop: Int32Array;
  /** Chain k of those sharing `buffers`, when they exchange schedules. */
  exchange?: { buffers: ExchangeBuffers; k: number };
  tuning?: ChainTuning;
}

const job = workerData as ChainJob;
const result = runChain(job.model, job.start, {
  ...job.tuning,
  seed: job.seed,
  iterations: job.iterations,
  deadline: job.deadlineEpochMs === undefined ? undefined : performance.now() + (job.deadlineEpochMs - Date.now()),
  stop: job.stop,
  exchange: job.exchange ? exchangeFor(job.exchange.buffers, job.exchange.k, job.stop) : undefined,
  onProgress: (iterations, fraction, bestObjective, bestScore) =>
    parentPort!.postMessage({ type: 'progress', iterations, fraction, bestObjective, bestScore }),
});
parentPort!.postMessage({ type: 'done', result });
