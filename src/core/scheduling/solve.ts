import { topInterestsBound } from './bound.js';
import { runChains } from './chains.js';
import { classBound } from './classBound.js';
import { SchedulingInputError } from './errors.js';
import { enumerateColumns, estimateColumns, MAX_COLUMNS, solveExact } from './exact.js';
import { fillFreeRooms, greedyStart } from './greedy.js';
import { parseInstance } from './instance.js';
import { lagrangianBound } from './lagrangian.js';
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
/** Single-threaded, share of a time budget the annealing gets before the Lagrangian bound. */
const ANNEAL_SHARE_BEFORE_BOUND = 0.85;
/** Rounds and per-slot branch-and-bound nodes of the Lagrangian bounds. */
const BOUND_ROUNDS = 300;
const BOUND_NODES = 20_000;
/**
 * Above this many ratings the Lagrangian bound is not tried: a branch-and-bound node then costs
 * milliseconds. On the large benchmark instance (300 sessions rated by 3,000 people) even the class
 * bound (one search per round) stayed far above the trivial bound after 30 s of CPU with 300 nodes
 * per search, so the thread is better left to the annealing.
 */
const BOUND_MAX_RATINGS = 100_000;

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
  // The Lagrangian bound (lagrangian.ts) needs no move cost: with one, the search maximises score − cost.
  const boundWanted =
    options.exact !== false && model.nSlots > 0 && model.moveWeight === 0 && model.rUser.length <= BOUND_MAX_RATINGS;
  const inWorkers = threads > 1;
  // Single-threaded with a time budget, the bound needs its own share of it.
  const boundAfter = !exactPossible && boundWanted && !inWorkers;
  const annealDeadline =
    deadline === undefined
      ? undefined
      : exactPossible
        ? started + (deadline - started) * ANNEAL_SHARE_BEFORE_EXACT
        : boundAfter
          ? started + (deadline - started) * ANNEAL_SHARE_BEFORE_BOUND
          : deadline;
  const annealShare =
    annealDeadline === undefined || deadline === undefined ? 1 : (annealDeadline - started) / (deadline - started);
  let workersStarted: () => void = () => {};
  const started$ = new Promise<void>((resolve) => {
    workersStarted = resolve;
  });
  const chainsRun = runChains(model, start.snapshot(), {
    onStarted: () => workersStarted(),
    seed,
    chains: threads,
    inWorkers,
    iterations: options.iterations,
    deadline: annealDeadline,
    signal: options.signal,
    onProgress: (i, f, score) => report(i, f * annealShare, score),
  });
  // While worker threads anneal, this thread has nothing else to do: it works on the Lagrangian
  // bound from the greedy start (per-slot column generation where the exact method applies, so that
  // the annealing's schedule may be proven optimal as soon as it ends; slots grouped into classes
  // otherwise, classBound.ts, one branch and bound per class instead of one per slot).
  const boundOptions = {
    slotOf: start.snapshot(),
    rounds: BOUND_ROUNDS,
    nodes: BOUND_NODES,
    deadline: annealDeadline ?? performance.now() + EXACT_SECONDS_WITHOUT_BUDGET * 1000,
    signal: options.signal,
  };
  const boundWhileAnnealing =
    boundWanted && inWorkers
      ? started$.then(() => (exactPossible ? lagrangianBound(model, boundOptions) : classBound(model, boundOptions)))
      : null;
  const chains = await chainsRun;
  let best = chains.best.slotOf;
  let method: 'exact' | 'annealing' = 'annealing';
  let optimal = false;
  let exactBound = Number.POSITIVE_INFINITY;
  const stopped = () => chains.aborted || options.signal?.aborted;
  const budgetEnd = () => deadline ?? performance.now() + EXACT_SECONDS_WITHOUT_BUDGET * 1000;

  if (boundWhileAnnealing) exactBound = (await boundWhileAnnealing).bound;
  else if (boundAfter && !stopped()) {
    exactBound = (
      await classBound(model, {
        slotOf: best,
        rounds: BOUND_ROUNDS,
        nodes: BOUND_NODES,
        deadline: budgetEnd(),
        signal: options.signal,
      })
    ).bound;
  }

  if (exactPossible && !stopped()) {
    const state = new ScheduleState(model);
    state.restore(best);
    // First the Lagrangian bound with column generation (no sets listed): on small instances it
    // often equals the annealing's score, which proves it optimal at once.
    if (boundWanted && Math.floor(exactBound / 25 + 1e-6) * 25 <= state.score) optimal = true;
    else if (boundWanted && !boundWhileAnnealing) {
      const lagrangian = await lagrangianBound(model, {
        slotOf: best,
        rounds: BOUND_ROUNDS,
        nodes: BOUND_NODES,
        deadline: budgetEnd(),
        signal: options.signal,
      });
      exactBound = Math.min(exactBound, lagrangian.bound);
      if (Math.floor(exactBound / 25 + 1e-6) * 25 <= state.score) optimal = true;
    }
    const columns = optimal || stopped() ? null : enumerateColumns(model, best);
    if (columns) {
      const exact = await solveExact(model, columns, state.objective, budgetEnd());
      if (exact.slotOf) {
        best = exact.slotOf;
        method = 'exact';
      }
      optimal = exact.optimal;
      exactBound = Math.min(exactBound, exact.bound);
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
