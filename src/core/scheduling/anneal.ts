import { createRng } from '../pairing/rng.js';
import type { Model } from './model.js';
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
}

export interface ChainResult {
  slotOf: Int32Array;
  objective: number;
  score: number;
  iterations: number;
  aborted: boolean;
}

const CHECK_EVERY = 256;

/**
 * Simulated annealing over two moves: a session to another slot (or out of the schedule), and a swap
 * of two sessions between slots (or with an unplaced one) when the target is full or clashes. The
 * temperature falls geometrically over the budget, from one that accepts a typical worsening a third
 * of the time down to one that accepts almost none. Returns the best schedule seen.
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
  const unplaced = (): number[] => movable.filter((s) => state.slotOf[s]! < 0);

  /**
   * One proposed step. A plain move is only evaluated (`apply` does it); a swap is applied at once
   * (its change is easiest to read off the counts) and carries its `undo`.
   */
  type Step = { delta: number; apply?: () => void; undo?: () => void };
  const propose = (): Step | null => {
    const s = movable[rng.nextInt(movable.length)]!;
    const from = state.slotOf[s]!;
    const slots = allowedSlots[s]!;
    // Going out of the schedule is one option among the slots, but only as a swap with an unplaced session.
    const pick = rng.nextInt(slots.length + (from >= 0 ? 1 : 0));
    if (pick === slots.length) {
      const pool = unplaced().filter((o) => state.fits(o, from, s));
      if (!pool.length) return null;
      const o = pool[rng.nextInt(pool.length)]!;
      const before = state.objective;
      state.remove(s);
      state.add(o, from);
      return {
        delta: state.objective - before,
        undo: () => {
          state.remove(o);
          state.add(s, from);
        },
      };
    }
    const to = slots[pick]!;
    if (to === from) return null;
    if (state.fits(s, to)) {
      return {
        delta: state.gainIfAdded(s, to) - state.lossIfRemoved(s) - w * state.movedChange(s, to),
        apply: () => {
          state.remove(s);
          state.add(s, to);
        },
      };
    }
    // Full or clashing: swap with one of the target's sessions that can take s's place.
    const o = state.members[to * model.capacity + rng.nextInt(state.size[to]!)]!;
    if (model.fixedSlot[o]! >= 0 || !state.fits(s, to, o)) return null;
    if (from >= 0 && !state.fits(o, from, s)) return null;
    const before = state.objective;
    state.remove(s);
    state.remove(o);
    state.add(s, to);
    if (from >= 0) state.add(o, from);
    return {
      delta: state.objective - before,
      undo: () => {
        state.remove(s);
        state.remove(o);
        state.add(o, to);
        if (from >= 0) state.add(s, from);
      },
    };
  };

  // Temperature range from a sample of worsening steps (each sampled step is undone).
  let worse = 0;
  let worseCount = 0;
  for (let i = 0; i < 200; i++) {
    const step = propose();
    if (!step) continue;
    step.undo?.();
    if (step.delta < 0) {
      worse -= step.delta;
      worseCount++;
    }
  }
  const unit = w > 0 ? Math.min(25, w) : 25;
  const tEnd = unit / 8;
  const tStart = Math.max(tEnd * 2, worseCount ? worse / worseCount / Math.log(3) : unit);
  const ratio = tEnd / tStart;

  const budget = options.iterations;
  const startedAt = performance.now();
  const deadline = options.deadline ?? startedAt + 1000;
  let fraction = 0;
  let temperature = tStart;
  let i = 0;
  for (;;) {
    if (i % CHECK_EVERY === 0) {
      if (budget !== undefined) fraction = i / Math.max(1, budget);
      else fraction = (performance.now() - startedAt) / Math.max(1, deadline - startedAt);
      if (fraction >= 1) break;
      if ((options.stop && Atomics.load(options.stop, 0) !== 0) || options.signal?.aborted) {
        return result(i, true);
      }
      temperature = tStart * ratio ** fraction;
      if (options.onProgress && i % (CHECK_EVERY * 64) === 0) options.onProgress(i, fraction, bestObjective, bestScore);
    }
    i++;
    const step = propose();
    if (!step) continue;
    const accept = step.delta >= 0 || rng.next() < Math.exp(step.delta / temperature);
    if (accept) step.apply?.();
    else step.undo?.();
    if (accept && state.objective > bestObjective) {
      bestObjective = state.objective;
      bestScore = state.score;
      best = state.snapshot();
    }
  }
  return result(i, false);
}
