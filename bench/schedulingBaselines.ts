/**
 * The two baselines of the scheduling benchmark, written from their descriptions, independent of the
 * engine's search code (they share only the instance model and the greedy start).
 */

import { createRng } from '../src/core/pairing/rng.js';
import type { Model } from '../src/core/scheduling/model.js';
import { recountScore } from '../src/core/scheduling/rooms.js';

const VALUE = [0, 25, 75, 100];

/** Score of a placement (slot per session, -1 = out), counted from scratch, as the engine reports it. */
export const scoreOf = recountScore;

export interface XenResult {
  slotOf: Int32Array;
  score: number;
  dropped: number;
  ownerClashes: number;
}

/**
 * Xen's session-scheduler: one pass, sessions by descending total interest, each into the allowed
 * slot that is not full with the largest gain plus its number of free rooms (earliest slot on ties).
 * Owner clashes are ignored (counted here), what does not fit is dropped.
 */
export function xenGreedy(model: Model): XenResult {
  const slotOf = new Int32Array(model.nSessions).fill(-1);
  const size = new Int32Array(model.nSlots);
  const best = new Uint8Array(model.nSlots * model.nUsers);
  const order = [...Array(model.nSessions).keys()].sort(
    (a, b) => model.totalInterest[b]! - model.totalInterest[a]! || a - b,
  );
  let dropped = 0;
  for (const s of order) {
    let bestSlot = -1;
    let bestValue = -1;
    for (let t = 0; t < model.nSlots; t++) {
      if (size[t]! >= model.capacity || !model.allowed[s * model.nSlots + t]) continue;
      let gain = 0;
      for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) {
        const cur = best[t * model.nUsers + model.rUser[k]!]!;
        if (model.rLevel[k]! > cur) gain += VALUE[model.rLevel[k]!]! - VALUE[cur]!;
      }
      const value = gain + (model.capacity - size[t]!);
      if (value > bestValue) {
        bestValue = value;
        bestSlot = t;
      }
    }
    if (bestSlot < 0) {
      dropped++;
      continue;
    }
    slotOf[s] = bestSlot;
    size[bestSlot]!++;
    for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) {
      const i = bestSlot * model.nUsers + model.rUser[k]!;
      if (model.rLevel[k]! > best[i]!) best[i] = model.rLevel[k]!;
    }
  }
  let ownerClashes = 0;
  for (let a = 0; a < model.nSessions; a++) {
    for (let b = a + 1; b < model.nSessions; b++) {
      if (slotOf[a]! >= 0 && slotOf[a] === slotOf[b] && model.clash[a * model.nSessions + b]) ownerClashes++;
    }
  }
  return { slotOf, score: scoreOf(model, slotOf), dropped, ownerClashes };
}

/**
 * A textbook simulated annealing, the reference the engine is measured against: a random session to a
 * random allowed slot (a swap with a random session there when it is full or clashes), the change
 * evaluated by recomputing the affected people's best session in the two slots, geometric cooling over
 * the time budget (or over a number of steps). Same hard rules as the engine; started from the engine's greedy start.
 */
export function referenceAnnealing(
  model: Model,
  start: Int32Array,
  seconds: number,
  seed: string,
  /** A fixed number of steps instead of `seconds` (cooling over the steps): the same result on any machine. */
  steps?: number,
) {
  const rng = createRng(seed);
  const slotOf = Int32Array.from(start);
  const members: number[][] = Array.from({ length: model.nSlots }, () => []);
  for (let s = 0; s < model.nSessions; s++) if (slotOf[s]! >= 0) members[slotOf[s]!]!.push(s);
  // interest[s * nUsers + u] for the recomputation.
  const interest = new Uint8Array(model.nSessions * model.nUsers);
  for (let s = 0; s < model.nSessions; s++) {
    for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++)
      interest[s * model.nUsers + model.rUser[k]!] = model.rLevel[k]!;
  }
  const slotValueFor = (sessions: number[], users: Set<number>): number => {
    let total = 0;
    for (const u of users) {
      let b = 0;
      for (const s of sessions) b = Math.max(b, interest[s * model.nUsers + u]!);
      total += VALUE[b]!;
    }
    return total;
  };
  const usersOf = (...sessions: number[]): Set<number> => {
    const set = new Set<number>();
    for (const s of sessions) for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) set.add(model.rUser[k]!);
    return set;
  };
  const clashFree = (s: number, list: number[]) => list.every((o) => !model.clash[s * model.nSessions + o]);
  const movable = [...Array(model.nSessions).keys()].filter((s) => model.fixedSlot[s]! < 0);
  let score = scoreOf(model, slotOf);
  let bestScore = score;
  let best = Int32Array.from(slotOf);
  // Nothing can move (every session pinned or in a locked slot): the start is the answer.
  if (movable.length === 0 || model.nSlots === 0) return { slotOf: best, score: bestScore, iterations: 0 };
  const t0 = 200;
  const t1 = 3;
  const started = performance.now();
  let iterations = 0;
  let temperature = t0;
  for (;;) {
    if ((iterations & 255) === 0) {
      const f =
        steps === undefined ? (performance.now() - started) / (seconds * 1000) : iterations / Math.max(1, steps);
      if (f >= 1) break;
      temperature = t0 * (t1 / t0) ** f;
    }
    iterations++;
    const s = movable[rng.nextInt(movable.length)]!;
    const to = rng.nextInt(model.nSlots);
    const from = slotOf[s]!;
    if (to === from || !model.allowed[s * model.nSlots + to]) continue;
    const target = members[to]!;
    const source = from >= 0 ? members[from]! : null;
    let other = -1;
    if (target.length >= model.capacity || !clashFree(s, target)) {
      other = target[rng.nextInt(target.length)] ?? -1;
      if (other < 0 || model.fixedSlot[other]! >= 0) continue;
      const rest = target.filter((o) => o !== other);
      if (!clashFree(s, rest)) continue;
      if (
        source &&
        (!model.allowed[other * model.nSlots + from] ||
          !clashFree(
            other,
            source.filter((o) => o !== s),
          ))
      )
        continue;
    }
    const newTarget = [...target.filter((o) => o !== other), s];
    const newSource = source ? [...source.filter((o) => o !== s), ...(other >= 0 ? [other] : [])] : null;
    const affected = other >= 0 ? usersOf(s, other) : usersOf(s);
    let delta = slotValueFor(newTarget, affected) - slotValueFor(target, affected);
    if (source && newSource) delta += slotValueFor(newSource, affected) - slotValueFor(source, affected);
    if (delta < 0 && rng.next() >= Math.exp(delta / temperature)) continue;
    members[to] = newTarget;
    slotOf[s] = to;
    if (source && newSource) members[from] = newSource;
    if (other >= 0) slotOf[other] = from;
    score += delta;
    if (score > bestScore) {
      bestScore = score;
      best = Int32Array.from(slotOf);
    }
  }
  return { slotOf: best, score: bestScore, iterations };
}
