import { topInterestsBound } from './bound.js';
import { runChains } from './chains.js';
import { SchedulingInputError } from './errors.js';
import { enumerateColumns, estimateColumns, MAX_COLUMNS, solveExact } from './exact.js';
import { fillFreeRooms, greedyStart } from './greedy.js';
import { parseInstance } from './instance.js';
import { buildModel } from './model.js';
import { assemble } from './result.js';
import { ScheduleState } from './state.js';
import type { SolveOptions, SolveResult } from './types.js';

const DEFAULT_SECONDS = 2;
/** With only an iteration budget, how long the exact method may take. */
const EXACT_SECONDS_WITHOUT_BUDGET = 10;
/**
 * Share of a time budget the annealing gets before the exact method takes over: half, because a
 * better incumbent leaves the MIP fewer columns after reduced-cost fixing, and because the annealing's
 * schedule is what remains when the exact method runs out of time.
 */
const ANNEAL_SHARE_BEFORE_EXACT = 0.5;

function checkOptions(options: SolveOptions): void {
  const positive = (value: number | undefined, field: string, integer: boolean) => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new SchedulingInputError(field, integer ? 'must be a positive integer' : 'must be a positive number');
    }
  };
  positive(options.seconds, 'seconds', false);
  positive(options.iterations, 'iterations', true);
  positive(options.threads, 'threads', true);
}

/**
 * Places sessions in slots and rooms to maximise the interest people can attend (see README.md).
 * With `iterations` and the same seed and thread count, the same schedule on any machine; with
 * `seconds`, as good as the time allows. Throws SchedulingInputError for a bad instance or option.
 */
export async function solve(instance: unknown, options: SolveOptions = {}): Promise<SolveResult> {
  const started = performance.now();
  checkOptions(options);
  const model = buildModel(parseInstance(instance), options);
  const seed = options.seed ?? 'convene';
  const threads = options.threads ?? 1;
  const seconds = options.seconds ?? (options.iterations === undefined ? DEFAULT_SECONDS : undefined);
  const deadline = seconds === undefined ? undefined : started + seconds * 1000;
  const trivialBound = topInterestsBound(model);
  const report = (iterations: number, fraction: number, bestScore: number) =>
    options.onProgress?.({
      fraction: Math.min(1, fraction),
      iterations,
      bestScore,
      upperBound: trivialBound,
      elapsedMs: performance.now() - started,
    });

  const start = greedyStart(model);
  fillFreeRooms(start);
  const exactPossible = options.exact !== false && model.nSlots > 0 && estimateColumns(model) <= MAX_COLUMNS * 4;
  const annealDeadline =
    exactPossible && deadline !== undefined ? started + (deadline - started) * ANNEAL_SHARE_BEFORE_EXACT : deadline;
  const chains = await runChains(model, start.snapshot(), {
    seed,
    chains: threads,
    inWorkers: threads > 1,
    iterations: options.iterations,
    deadline: annealDeadline,
    signal: options.signal,
    onProgress: (i, f, score) => report(i, exactPossible ? f * ANNEAL_SHARE_BEFORE_EXACT : f, score),
  });
  let best = chains.best.slotOf;
  let method: 'exact' | 'annealing' = 'annealing';
  let optimal = false;
  let exactBound = Number.POSITIVE_INFINITY;

  if (exactPossible && !chains.aborted && !options.signal?.aborted) {
    const columns = enumerateColumns(model, best);
    if (columns) {
      const state = new ScheduleState(model);
      state.restore(best);
      const exact = await solveExact(
        model,
        columns,
        state.objective,
        deadline ?? performance.now() + EXACT_SECONDS_WITHOUT_BUDGET * 1000,
      );
      if (exact.slotOf) {
        best = exact.slotOf;
        method = 'exact';
      }
      optimal = exact.optimal;
      exactBound = exact.bound;
    }
  }

  const final = new ScheduleState(model);
  final.restore(best);
  fillFreeRooms(final);
  const assembled = assemble(model, final.slotOf);
  // The solver's bound is on score − moveWeight × moved; it bounds the score only without that cost.
  let upperBound = trivialBound;
  if (model.moveWeight === 0 && Number.isFinite(exactBound)) {
    // Every score is a multiple of 25, so a fractional bound rounds down to one.
    upperBound = Math.min(upperBound, Math.floor(exactBound / 25 + 1e-6) * 25);
  }
  if (optimal && model.moveWeight === 0) upperBound = assembled.score;
  upperBound = Math.max(upperBound, assembled.score);
  report(chains.iterations, 1, assembled.score);
  return {
    assignments: assembled.assignments,
    unplaced: assembled.unplaced,
    score: assembled.score,
    upperBound,
    stats: {
      method,
      optimal,
      iterations: chains.iterations,
      chains: threads,
      elapsedMs: Math.round(performance.now() - started),
      stopped: chains.aborted || options.signal?.aborted ? 'aborted' : optimal ? 'proven' : 'budget',
      moved: assembled.moved,
      overflowing: assembled.overflowing,
    },
  };
}
