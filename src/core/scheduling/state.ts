import { LEVEL_VALUES } from './levels.js';
import type { Model } from './model.js';

/**
 * A schedule under search, with the counts that make every change cheap: for each (slot, person)
 * how many placed sessions they rate at each level, so the best interest in a slot is known in O(1)
 * and placing or removing a session costs one pass over its ratings.
 */
export class ScheduleState {
  readonly slotOf: Int32Array;
  /** Sessions in each slot, `members[t * capacity .. + size[t]]`. */
  readonly members: Int32Array;
  readonly size: Int32Array;
  /** counts[((t * nUsers) + u) * 4 + level]; level 0 unused. */
  private readonly counts: Uint16Array;
  score = 0;
  /** Sessions of the current schedule now in another slot or unplaced. */
  moved = 0;

  constructor(readonly model: Model) {
    this.slotOf = new Int32Array(model.nSessions).fill(-1);
    this.members = new Int32Array(model.nSlots * Math.max(1, model.capacity)).fill(-1);
    this.size = new Int32Array(model.nSlots);
    this.counts = new Uint16Array(model.nSlots * model.nUsers * 4);
    for (let s = 0; s < model.nSessions; s++) if (model.currentSlot[s]! >= 0) this.moved++;
  }

  /** Score minus the stay-close cost: what the search maximises. */
  get objective(): number {
    return this.score - this.model.moveWeight * this.moved;
  }

  private best(base: number): number {
    const c = this.counts;
    return c[base + 3] ? 3 : c[base + 2] ? 2 : c[base + 1] ? 1 : 0;
  }

  /** Score change if s were added to slot t (nothing is changed). */
  gainIfAdded(s: number, t: number): number {
    const m = this.model;
    let gain = 0;
    const slotBase = t * m.nUsers;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const level = m.rLevel[k]!;
      const best = this.best((slotBase + m.rUser[k]!) * 4);
      if (level > best) gain += LEVEL_VALUES[level as 1]! - LEVEL_VALUES[best as 0]!;
    }
    return gain;
  }

  /** Score change if s were taken out of its slot (nothing is changed). */
  lossIfRemoved(s: number): number {
    const m = this.model;
    const t = this.slotOf[s]!;
    if (t < 0) return 0;
    let loss = 0;
    const slotBase = t * m.nUsers;
    const c = this.counts;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const level = m.rLevel[k]!;
      const base = (slotBase + m.rUser[k]!) * 4;
      if (c[base + level] === 1 && this.best(base) === level) {
        let next = level - 1;
        while (next > 0 && !c[base + next]) next--;
        loss += LEVEL_VALUES[level as 1]! - LEVEL_VALUES[next as 0]!;
      }
    }
    return loss;
  }

  /**
   * Score change in slot t if `out` (a session in t, or -1) left it and `into` (a session not in t,
   * or -1) joined it, nothing changed: one merged pass over both sessions' ratings (sorted by user).
   * A move is replaceDelta(from, s, -1) + replaceDelta(to, -1, s); a swap of s (in a) and o (in b) is
   * replaceDelta(a, s, o) + replaceDelta(b, o, s).
   */
  replaceDelta(t: number, out: number, into: number): number {
    if (t < 0) return 0;
    const m = this.model;
    const c = this.counts;
    const rUser = m.rUser;
    const rLevel = m.rLevel;
    const slotBase = t * m.nUsers;
    let i = out >= 0 ? m.rStart[out]! : 0;
    const iEnd = out >= 0 ? m.rStart[out + 1]! : 0;
    let j = into >= 0 ? m.rStart[into]! : 0;
    const jEnd = into >= 0 ? m.rStart[into + 1]! : 0;
    let delta = 0;
    while (i < iEnd || j < jEnd) {
      const uOut = i < iEnd ? rUser[i]! : 0x7fffffff;
      const uIn = j < jEnd ? rUser[j]! : 0x7fffffff;
      const u = uOut < uIn ? uOut : uIn;
      const lOut = uOut === u ? rLevel[i++]! : 0;
      const lIn = uIn === u ? rLevel[j++]! : 0;
      const base = (slotBase + u) * 4;
      const best = c[base + 3] ? 3 : c[base + 2] ? 2 : c[base + 1] ? 1 : 0;
      // The best level once `out` has left.
      let rest = best;
      if (lOut === best && c[base + best] === 1) {
        rest = best - 1;
        while (rest > 0 && !c[base + rest]) rest--;
      }
      const after = lIn > rest ? lIn : rest;
      if (after !== best) delta += LEVEL_VALUES[after as 0]! - LEVEL_VALUES[best as 0]!;
    }
    return delta;
  }

  /** Stay-close cost change (in sessions) of moving s to slot t (-1 = unplaced). */
  movedChange(s: number, t: number): number {
    const cur = this.model.currentSlot[s]!;
    if (cur < 0) return 0;
    const wasMoved = this.slotOf[s] !== cur ? 1 : 0;
    const willMove = t !== cur ? 1 : 0;
    return willMove - wasMoved;
  }

  /** Whether s may join slot t next to what is there, ignoring `except` (the session it would replace). */
  fits(s: number, t: number, except = -1): boolean {
    const m = this.model;
    if (!m.allowed[s * m.nSlots + t]) return false;
    const start = t * m.capacity;
    const n = this.size[t]!;
    let others = 0;
    for (let i = 0; i < n; i++) {
      const o = this.members[start + i]!;
      if (o === except || o === s) continue;
      others++;
      if (m.clash[s * m.nSessions + o]) return false;
    }
    return others < m.capacity;
  }

  add(s: number, t: number): void {
    const m = this.model;
    const slotBase = t * m.nUsers;
    const c = this.counts;
    let gain = 0;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const level = m.rLevel[k]!;
      const base = (slotBase + m.rUser[k]!) * 4;
      const best = this.best(base);
      if (level > best) gain += LEVEL_VALUES[level as 1]! - LEVEL_VALUES[best as 0]!;
      c[base + level]!++;
    }
    this.moved += this.movedChange(s, t);
    this.score += gain;
    this.slotOf[s] = t;
    this.members[t * m.capacity + this.size[t]!] = s;
    this.size[t]!++;
  }

  remove(s: number): void {
    const m = this.model;
    const t = this.slotOf[s]!;
    if (t < 0) return;
    const slotBase = t * m.nUsers;
    const c = this.counts;
    let loss = 0;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const level = m.rLevel[k]!;
      const base = (slotBase + m.rUser[k]!) * 4;
      if (c[base + level] === 1 && this.best(base) === level) {
        let next = level - 1;
        while (next > 0 && !c[base + next]) next--;
        loss += LEVEL_VALUES[level as 1]! - LEVEL_VALUES[next as 0]!;
      }
      c[base + level]!--;
    }
    this.score -= loss;
    this.moved += this.movedChange(s, -1);
    this.slotOf[s] = -1;
    const start = t * m.capacity;
    const n = this.size[t]!;
    for (let i = 0; i < n; i++) {
      if (this.members[start + i] === s) {
        this.members[start + i] = this.members[start + n - 1]!;
        this.members[start + n - 1] = -1;
        break;
      }
    }
    this.size[t]!--;
  }

  /** Copies the placement (not the counts) so a later `restore` can rebuild it. */
  snapshot(): Int32Array {
    return this.slotOf.slice();
  }

  restore(slotOf: Int32Array): void {
    for (let s = 0; s < this.model.nSessions; s++) if (this.slotOf[s]! >= 0) this.remove(s);
    for (let s = 0; s < this.model.nSessions; s++) if (slotOf[s]! >= 0) this.add(s, slotOf[s]!);
  }
}
