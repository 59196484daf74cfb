import { LEVEL_VALUES } from './levels.js';
import type { Model } from './model.js';

/**
 * What a (slot, person) holds, in one byte: bit l (1..3) when they rate a placed session at level l,
 * bit 4 + l when exactly one such session. Pricing reads this byte and one table entry per rating
 * instead of up to four counts and a search for the next level: on the large benchmark instance
 * (1,200 ratings per session) pricing was nine tenths of the annealing's time.
 */
const presenceOf = (c: Uint16Array, base: number): number => {
  let p = 0;
  for (let level = 1; level <= 3; level++) {
    const n = c[base + level]!;
    if (n > 0) p |= 1 << level;
    if (n === 1) p |= 1 << (4 + level);
  }
  return p;
};

/**
 * DELTA[(presence << 4) | (out << 2) | into]: the score change for a person when a session they rate
 * `out` leaves the slot and one they rate `into` joins (0 = not rated).
 */
const DELTA = (() => {
  const table = new Int16Array(256 * 16);
  for (let p = 0; p < 256; p++) {
    const best = p & 8 ? 3 : p & 4 ? 2 : p & 2 ? 1 : 0;
    for (let out = 0; out < 4; out++) {
      let rest = best;
      if (out > 0 && out === best && p & (1 << (4 + best))) {
        rest = best - 1;
        while (rest > 0 && !(p & (1 << rest))) rest--;
      }
      for (let into = 0; into < 4; into++) {
        const after = into > rest ? into : rest;
        table[(p << 4) | (out << 2) | into] = LEVEL_VALUES[after as 0] - LEVEL_VALUES[best as 0];
      }
    }
  }
  return table;
})();

/** Each session's ratings as user << 2 | level, one array read per rating in the pricing loops. */
const keysByModel = new WeakMap<Model, Int32Array>();
function ratingKeys(m: Model): Int32Array {
  let keys = keysByModel.get(m);
  if (!keys) {
    keys = new Int32Array(m.rUser.length);
    for (let k = 0; k < keys.length; k++) keys[k] = (m.rUser[k]! << 2) | m.rLevel[k]!;
    keysByModel.set(m, keys);
  }
  return keys;
}

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
  /** presence[t * nUsers + u], kept in step with `counts` (see presenceOf). */
  private readonly presence: Uint8Array;
  private readonly keys: Int32Array;
  score = 0;
  /** Sessions of the current schedule now in another slot or unplaced. */
  moved = 0;

  constructor(readonly model: Model) {
    this.slotOf = new Int32Array(model.nSessions).fill(-1);
    this.members = new Int32Array(model.nSlots * Math.max(1, model.capacity)).fill(-1);
    this.size = new Int32Array(model.nSlots);
    this.counts = new Uint16Array(model.nSlots * model.nUsers * 4);
    this.presence = new Uint8Array(model.nSlots * model.nUsers);
    this.keys = ratingKeys(model);
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
    return this.replaceDelta(t, -1, s);
  }

  /** Score change if s were taken out of its slot (nothing is changed). */
  lossIfRemoved(s: number): number {
    const delta = this.replaceDelta(this.slotOf[s]!, s, -1);
    return delta === 0 ? 0 : -delta;
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
    const keys = this.keys;
    const presence = this.presence;
    const rStart = m.rStart;
    const slotBase = t * m.nUsers;
    let delta = 0;
    // One session only (a move's two halves): no merge.
    if (out < 0 || into < 0) {
      const one = out < 0 ? into : out;
      if (one < 0) return 0;
      // The rating's level goes to the `into` bits (0..1) or the `out` bits (2..3) of the table index.
      const shift = out < 0 ? 0 : 2;
      for (let k = rStart[one]!, end = rStart[one + 1]!; k < end; k++) {
        const key = keys[k]!;
        delta += DELTA[(presence[slotBase + (key >> 2)]! << 4) | ((key & 3) << shift)]!;
      }
      return delta;
    }
    let i = rStart[out]!;
    const iEnd = rStart[out + 1]!;
    let j = rStart[into]!;
    const jEnd = rStart[into + 1]!;
    while (i < iEnd && j < jEnd) {
      const a = keys[i]!;
      const b = keys[j]!;
      const uA = a >> 2;
      const uB = b >> 2;
      if (uA < uB) {
        delta += DELTA[(presence[slotBase + uA]! << 4) | ((a & 3) << 2)]!;
        i++;
      } else if (uB < uA) {
        delta += DELTA[(presence[slotBase + uB]! << 4) | (b & 3)]!;
        j++;
      } else {
        delta += DELTA[(presence[slotBase + uA]! << 4) | ((a & 3) << 2) | (b & 3)]!;
        i++;
        j++;
      }
    }
    for (; i < iEnd; i++) {
      const a = keys[i]!;
      delta += DELTA[(presence[slotBase + (a >> 2)]! << 4) | ((a & 3) << 2)]!;
    }
    for (; j < jEnd; j++) {
      const b = keys[j]!;
      delta += DELTA[(presence[slotBase + (b >> 2)]! << 4) | (b & 3)]!;
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
      this.presence[slotBase + m.rUser[k]!] = presenceOf(c, base);
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
      this.presence[slotBase + m.rUser[k]!] = presenceOf(c, base);
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
