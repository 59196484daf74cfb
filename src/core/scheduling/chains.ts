import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type ChainResult, type ChainTuning, runChain } from './anneal.js';
import { exchangeBuffers } from './exchange.js';
import type { Model } from './model.js';

export interface ChainsOptions {
  seed: string;
  chains: number;
  /** Run the chains in worker threads (one each) instead of one after another in this thread. */
  inWorkers: boolean;
  iterations?: number;
  /** performance.now() of this thread at which to stop. */
  deadline?: number;
  signal?: AbortSignal;
  onProgress?: (iterations: number, fraction: number, bestScore: number) => void;
  /** Development switches passed to every chain (benchmarks). */
  tuning?: ChainTuning;
  /** Worker threads only: the chains restart each cooling cycle from the best of all (exchange.ts). */
  exchange?: boolean;
  /** Called once the worker threads have been created (so other work in this thread can start). */
  onStarted?: () => void;
}

export interface ChainsResult {
  best: ChainResult;
  iterations: number;
  aborted: boolean;
}

/**
 * From dist/ the worker is worker.js. From the sources (tests and benches run under tsx) it is
 * worker.ts, which a worker thread cannot load by itself: it is bundled once per process with esbuild
 * (tsx's own compiler: a few milliseconds, and the bundle holds only the chain's code), because a
 * worker that registers tsx's loader first takes about 0.7 s of CPU to start, a large share of a short
 * budget. Without esbuild, the worker registers tsx's loader.
 */
let sourceBundle: Promise<{ code: string | URL; eval: boolean }> | null = null;
function workerEntry(): Promise<{ code: string | URL; eval: boolean }> {
  if (!import.meta.url.endsWith('.ts')) {
    return Promise.resolve({ code: new URL('./worker.js', import.meta.url), eval: false });
  }
  const entry = new URL('./worker.ts', import.meta.url);
  sourceBundle ??= import('esbuild')
    .then(async (esbuild) => {
      const built = await esbuild.build({
        entryPoints: [fileURLToPath(entry)],
        bundle: true,
        format: 'cjs',
        platform: 'node',
        write: false,
        logLevel: 'silent',
      });
      return { code: built.outputFiles[0]!.text, eval: true };
    })
    .catch(() => {
      const tsx = import.meta.resolve('tsx/esm/api');
      return {
        code: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`,
        eval: true,
      };
    });
  return sourceBundle;
}

const chainSeed = (seed: string, k: number): string => (k === 0 ? seed : `${seed}/chain${k}`);

/** The best of independent chains; equal objectives go to the lowest chain, so results do not depend on timing. */
function pick(results: ChainResult[]): ChainsResult {
  let best = results[0]!;
  for (const r of results) if (r.objective > best.objective) best = r;
  return {
    best,
    iterations: results.reduce((sum, r) => sum + r.iterations, 0),
    aborted: results.some((r) => r.aborted),
  };
}

export async function runChains(model: Model, start: Int32Array, options: ChainsOptions): Promise<ChainsResult> {
  if (!options.inWorkers) {
    const results: ChainResult[] = [];
    const now = performance.now();
    const share = options.deadline === undefined ? 0 : (options.deadline - now) / options.chains;
    for (let k = 0; k < options.chains; k++) {
      results.push(
        runChain(model, start, {
          ...options.tuning,
          seed: chainSeed(options.seed, k),
          iterations: options.iterations,
          deadline: options.deadline === undefined ? undefined : now + share * (k + 1),
          signal: options.signal,
          onProgress: (i, fraction, _objective, score) =>
            options.onProgress?.(i, (k + fraction) / options.chains, Math.max(score, ...results.map((r) => r.score))),
        }),
      );
      if (options.signal?.aborted) break;
    }
    return pick(results);
  }

  const stop = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(stop, 0, 1);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const file = await workerEntry();
  const buffers = options.exchange && options.chains > 1 ? exchangeBuffers(options.chains, model.nSessions) : null;
  const progress = Array.from({ length: options.chains }, () => ({ iterations: 0, fraction: 0, score: 0 }));
  try {
    const results = Promise.all(
      Array.from({ length: options.chains }, (_, k) => {
        const worker = new Worker(file.code, {
          eval: file.eval,
          // Flags only meaningful for the main entry (e.g. --input-type) would stop the worker from starting.
          execArgv: process.execArgv.filter((flag) => !flag.startsWith('--input-type')),
          workerData: {
            model,
            start,
            seed: chainSeed(options.seed, k),
            iterations: options.iterations,
            // Wall-clock time: each thread has its own performance.now() origin, and starting takes a while.
            deadlineEpochMs:
              options.deadline === undefined ? undefined : Date.now() + (options.deadline - performance.now()),
            stop,
            exchange: buffers ? { buffers, k } : undefined,
            tuning: options.tuning,
          },
        });
        return new Promise<ChainResult>((resolve, reject) => {
          let done = false;
          // The other chains may be waiting for this one at an exchange: the stop flag releases them.
          const fail = (error: Error) => {
            if (done) return;
            Atomics.store(stop, 0, 1);
            reject(error);
          };
          worker.on('message', (message: { type: string } & Record<string, number> & { result: ChainResult }) => {
            if (message.type === 'done') {
              done = true;
              resolve(message.result);
              void worker.terminate();
              return;
            }
            progress[k] = { iterations: message.iterations!, fraction: message.fraction!, score: message.bestScore! };
            options.onProgress?.(
              progress.reduce((sum, p) => sum + p.iterations, 0),
              Math.min(...progress.map((p) => p.fraction)),
              Math.max(...progress.map((p) => p.score)),
            );
          });
          worker.on('error', fail);
          worker.on('exit', (code) => {
            if (code !== 0) fail(new Error(`scheduling worker stopped with code ${code}`));
          });
        });
      }),
    );
    options.onStarted?.();
    return pick(await results);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
