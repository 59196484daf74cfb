import { LEVEL_VALUES } from './levels.js';
import type { Model } from './model.js';
import type { ScheduleState } from './state.js';

/**
 * Exact re-optimisation of two slots: the movable sessions of slots a and b are shared out again
 * between the two in the best way (rooms, allowed slots, owner clashes and the stay-close cost
 * respected), trying every split. The neighbourhood holds every move and swap between the two slots
 * and every exchange of several sessions at once, which single moves and swaps only reach through
 * worse schedules: a schedule the annealing leaves is often still improved by it.
 *
 * Every split is visited in Gray-code order, so each step moves one session from one slot to the
 * other and costs one pass over its ratings (about 2,000 steps for two slots of five sessions).
 */
export class SlotPairOptimiser {
  private readonly countsA: Uint16Array;
  private readonly countsB: Uint16Array;
  /** Moves (flips) made by all calls so far: a deterministic measure of the work done. */
  flips = 0;

  /** Above this many movable sessions in two slots, the pair is left alone (2^n splits). */
  constructor(
    private readonly model: Model,
    readonly maxSessions = 14,
  ) {
    this.countsA = new Uint16Array(model.nUsers * 4);
    this.countsB = new Uint16Array(model.nUsers * 4);
  }

  /**
   * Finds the best split of slots a and b and makes it in `state` when it raises the objective.
   * Returns the objective's gain (0 when the current split is already the best).
   */
  improve(state: ScheduleState, a: number, b: number): number {
    const m = this.model;
    const cap = m.capacity;
    const sessions: number[] = [];
    let fixedA = 0;
    let fixedB = 0;
    const fixed: number[] = [];
    for (const [t, isA] of [
      [a, true],
      [b, false],
    ] as const) {
      for (let k = 0; k < state.size[t]!; k++) {
        const s = state.members[t * cap + k]!;
        if (m.fixedSlot[s]! >= 0) {
          fixed.push(s);
          if (isA) fixedA++;
          else fixedB++;
        } else sessions.push(s);
      }
    }
    const n = sessions.length;
    if (n === 0 || n > this.maxSessions) return 0;
    sessions.sort((x, y) => x - y);

    // Masks: bit i set = sessions[i] in slot a.
    let allowA = 0;
    let allowB = 0;
    let currentMask = 0;
    let curA = 0;
    let curB = 0;
    const clashMask = new Int32Array(n);
    let clashFixedA = 0;
    let clashFixedB = 0;
    for (let i = 0; i < n; i++) {
      const s = sessions[i]!;
      if (m.allowed[s * m.nSlots + a]) allowA |= 1 << i;
      if (m.allowed[s * m.nSlots + b]) allowB |= 1 << i;
      if (state.slotOf[s] === a) currentMask |= 1 << i;
      if (m.currentSlot[s] === a) curA |= 1 << i;
      if (m.currentSlot[s] === b) curB |= 1 << i;
      for (let j = 0; j < n; j++) if (m.clash[s * m.nSessions + sessions[j]!]) clashMask[i] = clashMask[i]! | (1 << j);
      for (const f of fixed) {
        if (!m.clash[s * m.nSessions + f]) continue;
        if (m.fixedSlot[f] === a) clashFixedA |= 1 << i;
        else clashFixedB |= 1 << i;
      }
    }
    const full = n === 31 ? 0x7fffffff : (1 << n) - 1;
    const roomA = cap - fixedA;
    const roomB = cap - fixedB;
    const feasible = (mask: number, inA: number): boolean => {
      if (inA > roomA || n - inA > roomB) return false;
      if (mask & ~allowA) return false;
      const maskB = full & ~mask;
      if (maskB & ~allowB) return false;
      if (mask & clashFixedA || maskB & clashFixedB) return false;
      for (let i = 0; i < n; i++) {
        const bit = 1 << i;
        const side = mask & bit ? mask : maskB;
        if (clashMask[i]! & side) return false;
      }
      return true;
    };
    const popcount = (x: number): number => {
      let c = 0;
      for (; x; x &= x - 1) c++;
      return c;
    };

    // Start: every movable session in b (mask 0), fixed ones where they are.
    const cA = this.countsA;
    const cB = this.countsB;
    let scoreA = 0;
    let scoreB = 0;
    const V = LEVEL_VALUES;
    const add = (c: Uint16Array, s: number): number => {
      let gain = 0;
      for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
        const base = m.rUser[k]! * 4;
        const level = m.rLevel[k]!;
        const best = c[base + 3] ? 3 : c[base + 2] ? 2 : c[base + 1] ? 1 : 0;
        if (level > best) gain += V[level as 1]! - V[best as 0]!;
        c[base + level]!++;
      }
      return gain;
    };
    const remove = (c: Uint16Array, s: number): number => {
      let loss = 0;
      for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
        const base = m.rUser[k]! * 4;
        const level = m.rLevel[k]!;
        c[base + level]!--;
        if (c[base + level] === 0) {
          const best = c[base + 3] ? 3 : c[base + 2] ? 2 : c[base + 1] ? 1 : 0;
          if (best < level) loss += V[level as 1]! - V[best as 0]!;
        }
      }
      return loss;
    };
    for (const f of fixed) {
      if (m.fixedSlot[f] === a) scoreA += add(cA, f);
      else scoreB += add(cB, f);
    }
    for (const s of sessions) scoreB += add(cB, s);
    const w = m.moveWeight;
    const keptValue = (mask: number): number =>
      w === 0 ? 0 : w * (popcount(mask & curA) + popcount(full & ~mask & curB));

    let mask = 0;
    let inA = 0;
    let bestMask = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    let currentValue = Number.NEGATIVE_INFINITY;
    const consider = (): void => {
      if (!feasible(mask, inA)) return;
      const value = scoreA + scoreB + keptValue(mask);
      if (mask === currentMask) currentValue = value;
      if (value > bestValue) {
        bestValue = value;
        bestMask = mask;
      }
    };
    consider();
    const total = 2 ** n;
    for (let g = 1; g < total; g++) {
      // Gray code: the bit that changes between g − 1 and g is g's lowest set bit.
      const i = 31 - Math.clz32(g & -g);
      const s = sessions[i]!;
      const bit = 1 << i;
      if (mask & bit) {
        scoreA -= remove(cA, s);
        scoreB += add(cB, s);
        inA--;
      } else {
        scoreB -= remove(cB, s);
        scoreA += add(cA, s);
        inA++;
      }
      mask ^= bit;
      this.flips++;
      consider();
    }
    // Clear the counts for the next call (only the people who rate these sessions).
    for (const s of [...fixed, ...sessions]) {
      for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
        const base = m.rUser[k]! * 4;
        cA.fill(0, base, base + 4);
        cB.fill(0, base, base + 4);
      }
    }

    // Ties keep the current split (it is visited, and only a strictly better one replaces it).
    if (bestMask < 0 || bestMask === currentMask || bestValue <= currentValue + 1e-9) return 0;
    for (let i = 0; i < n; i++) state.remove(sessions[i]!);
    for (let i = 0; i < n; i++) state.add(sessions[i]!, bestMask & (1 << i) ? a : b);
    return bestValue - currentValue;
  }
}

/**
 * Re-optimises every pair of slots in turn until a whole pass improves none (or `maxFlips` Gray-code
 * steps have been spent, or the deadline passed). Returns whether anything improved.
 */
export function pairDescent(
  state: ScheduleState,
  optimiser: SlotPairOptimiser,
  deadline = Number.POSITIVE_INFINITY,
  maxFlips = Number.POSITIVE_INFINITY,
): boolean {
  const nSlots = state.model.nSlots;
  const startFlips = optimiser.flips;
  let improvedAny = false;
  for (let improved = true; improved; ) {
    improved = false;
    for (let a = 0; a < nSlots; a++) {
      for (let b = a + 1; b < nSlots; b++) {
        if (optimiser.flips - startFlips > maxFlips || performance.now() > deadline) return improvedAny;
        if (optimiser.improve(state, a, b) > 0) improved = improvedAny = true;
      }
    }
  }
  return improvedAny;
}
