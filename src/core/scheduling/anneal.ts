import { createRng } from '../pairing/rng.js';
import type { Model } from './model.js';
import { pairDescent, SlotPairOptimiser } from './pairOpt.js';
import { ScheduleState } from './state.js';

export interface ChainOptions {
  seed: string;
  /** Fixed number of steps: the run is then the same on any machine. */
  iterations?: number;
  /** performance.now() value at which to stop (used when `iterations` is absent). */
  deadline?: number;
  /** Checked every few hundred steps; non-zero stops the chain (a shared flag works across threads). */
  stop?: Int32Array;
  signal?: AbortSignal;
  onProgress?: (iterations: number, fraction: number, bestObjective: number, bestScore: number) => void;
  /** Development switches for the benchmark (both on by default). */
  swaps?: boolean;
  descent?: boolean;
  /** Development: START_SHARE. */
  startShare?: number;
  /** Development: CYCLES. */
  cycles?: number;
  /** Development: MAX_START_TEMPERATURE. */
  maxStartTemperature?: number;
  /** Development: end temperature in points (25 / 8). */
  endTemperature?: number;
  /**
   * Called at the start of each cooling cycle after the first with the chain's best schedule and
   * objective (`round` = the cycle's index); returns the schedule the cycle starts from (chains.ts:
   * the best of all chains at that point). Without it each cycle starts from the chain's own best.
   */
  exchange?: (best: Int32Array, objective: number, round: number) => Int32Array;
}

/** The development switches a caller may pass through to every chain (benchmarks). */
export type ChainTuning = Pick<ChainOptions, 'startShare' | 'cycles' | 'maxStartTemperature'>;

export interface ChainResult {
  slotOf: Int32Array;
  objective: number;
  score: number;
  iterations: number;
  aborted: boolean;
}

const CHECK_EVERY = 256;
/** Share of a time budget left to the final polish (moves, swaps, two-slot re-optimisation). */
const DESCENT_SHARE = 0.05;
/**
 * Start temperature as a share of one that accepts a typical worsening a third of the time, and the
 * number of cooling cycles (each after the first starts again from the best schedule so far). On the
 * Xen-size instances (150,000 steps per chain, seeds bench, s3, s4, s5, two chains each) 0.15 and two
 * cycles gave the best worst chain: 351,375 on xen-b against 350,400 with one cycle from 0.2.
 */
const START_SHARE = 0.15;
const CYCLES = 2;
/**
 * The start temperature at most, in points. The typical worsening grows with the number of people who
 * rate a session, and with it the share above: 950–1,050 on the large benchmark instance (3,000
 * people), where 1.6 M-step chains from about a third of that (share 0.05) ended 0.1–0.2 % higher on
 * both chains tried (seed bench). The Xen-size, small and tight instances start at 110–430, under
 * the cap, so their chains are unchanged.
 */
const MAX_START_TEMPERATURE = 450;
/** Moves and swaps the descent may price under a step budget, at least (a few passes on Xen-size). */
const DESCENT_MIN_WORK = 100_000;

/**
 * Simulated annealing over two moves: a session to another slot (or out of the schedule), and a swap
 * of two sessions between slots (or with an unplaced one) when the target is full or clashes. The
 * temperature falls geometrically, from a share of one that would accept a typical worsening a third
 * of the time down to one that accepts almost none, twice: the second half of the budget starts
 * again from the best schedule of the first (a reheat). Returns the best schedule seen, polished.
 */
export function runChain(model: Model, start: Int32Array, options: ChainOptions): ChainResult {
  const rng = createRng(options.seed);
  const state = new ScheduleState(model);
  state.restore(start);

  const movable: number[] = [];
  const allowedSlots: Int32Array[] = [];
  for (let s = 0; s < model.nSessions; s++) {
    const list: number[] = [];
    for (let t = 0; t < model.nSlots; t++) if (model.allowed[s * model.nSlots + t]) list.push(t);
    allowedSlots.push(Int32Array.from(list));
    if (model.fixedSlot[s]! < 0 && list.length > 0) movable.push(s);
  }

  let best = state.snapshot();
  let bestObjective = state.objective;
  let bestScore = state.score;
  const result = (iterations: number, aborted: boolean): ChainResult => ({
    slotOf: best,
    objective: bestObjective,
    score: bestScore,
    iterations,
    aborted,
  });
  if (movable.length === 0) return result(0, false);

  const w = model.moveWeight;
  const swaps = options.swaps ?? true;

  // The step under consideration, kept in plain variables (no closure per step: this loop is hot).
  // kind 1: move s from `from` to `to`; kind 2: exchange s (in `from`, or unplaced) with o (in `to`,
  // or unplaced when `to` is -1). Both are only evaluated (replaceDelta); `apply` makes them.
  let kind = 0;
  let s = -1;
  let o = -1;
  let from = -1;
  let to = -1;
  let delta = 0;
  const pool: number[] = [];
  // Moves go to a slot and exchanges keep the count, so the number of unplaced sessions never changes.
  let unplaced = 0;
  for (const u of movable) if (state.slotOf[u]! < 0) unplaced++;

  const propose = (): void => {
    kind = 0;
    s = movable[rng.nextInt(movable.length)]!;
    from = state.slotOf[s]!;
    const slots = allowedSlots[s]!;
    // Going out of the schedule is one option among the slots, as an exchange with an unplaced session.
    // Only steps that can happen are drawn: another slot than s's own, or out of the schedule (an
    // exchange with an unplaced session) when there is one. A third of the draws were wasted otherwise.
    const others = from >= 0 ? slots.length - 1 : slots.length;
    const options = others + (from >= 0 && unplaced > 0 ? 1 : 0);
    if (options === 0) return;
    const pick = rng.nextInt(options);
    if (pick === others) {
      pool.length = 0;
      for (const u of movable) if (state.slotOf[u]! < 0 && state.fits(u, from, s)) pool.push(u);
      if (!pool.length) return;
      o = pool[rng.nextInt(pool.length)]!;
      to = -1;
      delta = state.replaceDelta(from, s, o) - w * (state.movedChange(s, -1) + state.movedChange(o, from));
      kind = 2;
      return;
    }
    to = slots[pick]!;
    // s's own slot is drawn in place of the last one, which `others` leaves out.
    if (to === from) to = slots[slots.length - 1]!;
    // Where s would fit, a swap is still proposed half the time: with free rooms in most slots, moves
    // alone hardly ever exchange two sessions, the step that keeps both slots' sizes.
    if (state.fits(s, to) && (state.size[to] === 0 || (swaps && rng.nextInt(2) === 0))) {
      delta = state.replaceDelta(to, -1, s) + state.replaceDelta(from, s, -1) - w * state.movedChange(s, to);
      kind = 1;
      return;
    }
    // Full or clashing: exchange with one of the target's sessions that can take s's place.
    o = state.members[to * model.capacity + rng.nextInt(state.size[to]!)]!;
    if (model.fixedSlot[o]! >= 0 || !state.fits(s, to, o)) return;
    if (from >= 0 && !state.fits(o, from, s)) return;
    delta =
      state.replaceDelta(to, o, s) +
      state.replaceDelta(from, s, o) -
      w * (state.movedChange(s, to) + state.movedChange(o, from));
    kind = 2;
  };
  const apply = (): void => {
    if (kind === 1) {
      state.remove(s);
      state.add(s, to);
      return;
    }
    if (to < 0) {
      state.remove(s);
      state.add(o, from);
      return;
    }
    state.remove(s);
    state.remove(o);
    state.add(s, to);
    if (from >= 0) state.add(o, from);
  };

  // Temperature range from a sample of worsening steps (only evaluated, none is made).
  let worse = 0;
  let worseCount = 0;
  for (let i = 0; i < 200; i++) {
    propose();
    if (!kind) continue;
    if (delta < 0) {
      worse -= delta;
      worseCount++;
    }
  }
  const unit = w > 0 ? Math.min(25, w) : 25;
  const tEnd = options.endTemperature ?? unit / 8;
  // The start is already good (greedy): starting hot enough to accept a typical worsening often only
  // undoes it; a share of that temperature (START_SHARE) measured best on the benchmark's instances.
  const tStart = Math.max(
    tEnd * 2,
    Math.min(
      options.maxStartTemperature ?? MAX_START_TEMPERATURE,
      ((worseCount ? worse / worseCount : unit) / Math.log(3)) * (options.startShare ?? START_SHARE),
    ),
  );
  const ratio = tEnd / tStart;

  const budget = options.iterations;
  const startedAt = performance.now();
  const stopAt = options.deadline ?? startedAt + 1000;
  // With a time budget the final descent gets its last few per cent (it stops at the deadline anyway).
  const deadline = startedAt + (stopAt - startedAt) * (1 - DESCENT_SHARE);
  let fraction = 0;
  let temperature = tStart;
  let currentCycle = 0;
  let i = 0;
  for (;;) {
    if (budget !== undefined && i >= budget) break;
    if (i % CHECK_EVERY === 0) {
      if (budget !== undefined) fraction = i / Math.max(1, budget);
      else fraction = (performance.now() - startedAt) / Math.max(1, deadline - startedAt);
      if (fraction >= 1) break;
      if ((options.stop && Atomics.load(options.stop, 0) !== 0) || options.signal?.aborted) {
        return result(i, true);
      }
      const cycles = options.cycles ?? CYCLES;
      const cycle = Math.min(cycles - 1, Math.floor(fraction * cycles));
      if (cycle !== currentCycle) {
        currentCycle = cycle;
        state.restore(options.exchange ? options.exchange(best, bestObjective, cycle) : best);
        if (state.objective > bestObjective) {
          bestObjective = state.objective;
          bestScore = state.score;
          best = state.snapshot();
        }
      }
      temperature = tStart * ratio ** (fraction * cycles - cycle);
      if (options.onProgress && i % (CHECK_EVERY * 64) === 0) options.onProgress(i, fraction, bestObjective, bestScore);
    }
    i++;
    propose();
    if (!kind) continue;
    const accept = delta >= 0 || rng.next() < Math.exp(delta / temperature);
    if (!accept) continue;
    apply();
    if (state.objective > bestObjective) {
      bestObjective = state.objective;
      bestScore = state.score;
      best = state.snapshot();
    }
  }
  if (options.descent ?? true) {
    state.restore(best);
    // With a step budget, the polish's work is bounded by it too (deterministic, unlike a clock):
    // at most max(steps, 100,000) moves and swaps priced per descent, and as many two-slot steps.
    const work = budget === undefined ? Number.POSITIVE_INFINITY : Math.max(budget, DESCENT_MIN_WORK);
    const endAt = budget === undefined ? stopAt : Number.POSITIVE_INFINITY;
    if (polish(state, movable, allowedSlots, endAt, work)) {
      best = state.snapshot();
      bestObjective = state.objective;
      bestScore = state.score;
    }
  }
  return result(i, false);
}

/**
 * The chain's last step: moves and swaps (`descend`), then every pair of slots re-optimised exactly
 * (pairOpt.ts), again and again while either improves. The two-slot exchanges find most of what the
 * annealing leaves on the Xen-size instances (two or three sessions changing slots at once).
 */
export function polish(
  state: ScheduleState,
  movable: readonly number[],
  allowedSlots: readonly Int32Array[],
  deadline: number,
  maxWork: number,
): boolean {
  let improved = descend(state, movable, allowedSlots, deadline, maxWork);
  const pairs = new SlotPairOptimiser(state.model);
  for (;;) {
    if (!pairDescent(state, pairs, deadline, maxWork - pairs.flips)) break;
    improved = true;
    if (!descend(state, movable, allowedSlots, deadline, maxWork)) break;
  }
  return improved;
}

/**
 * First-improvement local search from the chain's best: every move and swap in a fixed order, each made
 * at once when it raises the objective, until a whole pass finds none. The annealing ends cold but
 * random; this makes its best schedule a local optimum of both neighbourhoods (unless the deadline
 * or `maxPriced` moves and swaps priced stop it first). Returns whether it improved anything.
 */
export function descend(
  state: ScheduleState,
  movable: readonly number[],
  allowedSlots: readonly Int32Array[],
  deadline: number,
  maxPriced = Number.POSITIVE_INFINITY,
): boolean {
  const m = state.model;
  const w = m.moveWeight;
  let improvedAny = false;
  let priced = 0;
  for (let improved = true; improved; ) {
    improved = false;
    for (const s of movable) {
      if (priced > maxPriced || performance.now() > deadline) return improvedAny || improved;
      for (const to of allowedSlots[s]!) {
        const from = state.slotOf[s]!;
        if (to === from) continue;
        priced++;
        if (
          state.fits(s, to) &&
          state.replaceDelta(to, -1, s) + state.replaceDelta(from, s, -1) - w * state.movedChange(s, to) > 0
        ) {
          state.remove(s);
          state.add(s, to);
          improved = true;
          continue;
        }
        for (let k = 0; k < state.size[to]!; k++) {
          const o = state.members[to * m.capacity + k]!;
          if (m.fixedSlot[o]! >= 0 || !state.fits(s, to, o)) continue;
          if (from >= 0 && !state.fits(o, from, s)) continue;
          priced++;
          const delta =
            state.replaceDelta(to, o, s) +
            state.replaceDelta(from, s, o) -
            w * (state.movedChange(s, to) + state.movedChange(o, from));
          if (delta <= 0) continue;
          state.remove(s);
          state.remove(o);
          state.add(s, to);
          if (from >= 0) state.add(o, from);
          improved = true;
          break;
        }
      }
    }
    if (improved) improvedAny = true;
  }
  return improvedAny;
}
