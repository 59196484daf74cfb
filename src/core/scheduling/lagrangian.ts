import { ColumnPool } from './columnPool.js';
import { type Columns, getHighs, solveRestricted } from './exact.js';
import { LEVEL_VALUES } from './levels.js';
import type { Model } from './model.js';
import { ScheduleState } from './state.js';

/**
 * An upper bound for instances too large to list every slot's session sets (the exact method's
 * columns): the Lagrangian relaxation of "each session runs at most once".
 *
 * For any prices π ≥ 0 on the sessions, every schedule scores at most
 *
 *     L(π) = Σ_s π_s + Σ_t max over the sets S slot t could hold of ( f_t(S) − π(S) ),
 *
 * where f_t(S) is what the slot is worth with S in it (each person's best interest among S and the
 * slot's fixed sessions): a schedule gives each slot one such set and uses each session at most once,
 * so its score is Σ_t f_t(S_t) ≤ Σ_t (f_t(S_t) − π(S_t)) + Σ_s π_s ≤ L(π).
 *
 * The inner maximum is found per slot by branch and bound over sessions without listing the sets: a
 * set's value can grow by at most the sum of its best remaining sessions' marginal gains (f is
 * submodular), minus their prices. When a slot's search runs out of its node budget, the bound of
 * every node left unexplored counts instead, so L stays an upper bound whatever the budget.
 */
export interface LagrangianOptions {
  /** Column-generation rounds (each one branch and bound per slot). */
  rounds: number;
  /** Node budget of one slot's branch and bound. */
  nodes: number;
  /** performance.now() after which no new round starts. */
  deadline: number;
  /** A schedule: the master LP's first sets and the first prices (what each session brings to it). */
  slotOf?: Int32Array;
  signal?: AbortSignal;
}

export interface LagrangianResult {
  bound: number;
  rounds: number;
  /** Slots whose search ran out of nodes in the round that gave the bound (their part is looser). */
  openSlots: number;
}

const SMOOTHING = 0.7;

export interface SlotSearch {
  /** Candidate sessions (allowed, not fixed), and the fixed sessions always present. */
  candidates: Int32Array;
  fixed: Int32Array;
  room: number;
}

/**
 * The prices come from column generation: a master LP (HiGHS) over the sets found so far, whose
 * session duals are the next prices; each slot's branch and bound both gives that slot's part of L(π)
 * and, when its best set beats the slot's dual, a new column. L(π) is a valid bound at every round;
 * the smallest one is returned.
 */
export async function lagrangianBound(model: Model, options: LagrangianOptions): Promise<LagrangianResult> {
  const highs = await getHighs();
  const nS = model.nSessions;
  const slots = slotSearches(model);

  const search = new SlotSearcher(model);
  const pool = new ColumnPool((t, sessions) => search.value(slots[t]!, sessions));
  const addColumn = (t: number, sessions: readonly number[]) => pool.add(t, sessions);
  for (let t = 0; t < model.nSlots; t++) {
    addColumn(t, []);
    if (options.slotOf) {
      const here: number[] = [];
      for (const s of slots[t]!.candidates) if (options.slotOf[s] === t) here.push(s);
      addColumn(t, here);
    }
  }

  // Prices are smoothed (Wentges): each round prices at a mix of the best prices so far and the LP's
  // duals, which keeps early rounds' wild duals from wasting the search; when the mix finds no new
  // column, the next round prices at the duals alone.
  const stable = startPrices(model, options.slotOf);
  const groups = slots.map((slot) => ({ search: slot, count: 1 }));
  const pi = new Float64Array(nS);
  let best = Number.POSITIVE_INFINITY;
  let bestOpen = 0;
  let round = 0;
  let alpha = options.slotOf ? SMOOTHING : 0;
  let first = true;
  for (; round < options.rounds; round++) {
    if (round > 0) await new Promise((resolve) => setImmediate(resolve));
    const secondsLeft = (options.deadline - performance.now()) / 1000;
    if (round > 0 && (secondsLeft <= 0 || options.signal?.aborted)) break;
    const columns: Columns = {
      slot: Int32Array.from(pool.group),
      start: Int32Array.from(pool.start),
      sessions: Int32Array.from(pool.sessions),
      value: Float64Array.from(pool.value),
      hintColumn: new Int32Array(model.nSlots).fill(-1),
    };
    const all = Array.from({ length: pool.size }, (_, c) => c);
    const lp = solveRestricted(highs, model, columns, all, false, Math.max(1, secondsLeft), null);
    if (lp.status !== highs.constants.modelStatus.optimal) break;
    // The first round prices at the stable prices alone (what each session brings to the schedule).
    const mix = first ? 1 : alpha;
    first = false;
    const priced = priceRound(model, search, groups, { rowDual: lp.rowDual, stable, mix, pi }, options);
    const { value, open } = priced;
    let added = 0;
    for (const column of priced.columns) if (addColumn(column.group, column.sessions)) added++;
    if (value < best) {
      best = value;
      bestOpen = open;
      stable.set(pi);
    }
    if (added === 0) {
      if (mix === 0) {
        // Exact pricing found nothing better at the LP's duals: the LP is solved and L equals it.
        if (open === 0) best = Math.min(best, lp.objective + 1e-6);
        break;
      }
      alpha = 0;
    } else if (alpha === 0 && options.slotOf) alpha = SMOOTHING;
  }
  return { bound: best, rounds: round, openSlots: bestOpen };
}

/**
 * The start prices: what each session brings to the schedule (its loss if removed); zero without one.
 * Smoothing (Wentges) mixes these into the first rounds' duals, which are far off.
 */
export function startPrices(model: Model, slotOf?: Int32Array): Float64Array {
  const stable = new Float64Array(model.nSessions);
  if (!slotOf) return stable;
  const state = new ScheduleState(model);
  state.restore(slotOf);
  for (let s = 0; s < model.nSessions; s++) if (model.fixedSlot[s]! < 0) stable[s] = state.lossIfRemoved(s);
  return stable;
}

/** Slots that are the same subproblem: one search stands for `count` of them in L(π). */
export interface SearchGroup {
  search: SlotSearch;
  count: number;
}

/**
 * One round of L(π) at π = mix · stable + (1 − mix) · duals⁺ (written into `pi`; fixed sessions cost
 * nothing): Σ π + Σ_groups count · (the group's search bound). The master LP's rows are the sessions,
 * then one per group. Also returns each group's best set when it would improve the master at its own
 * duals (a positive reduced cost): the next columns.
 */
export function priceRound(
  model: Model,
  search: SlotSearcher,
  groups: readonly SearchGroup[],
  prices: { rowDual: Float64Array; stable: Float64Array; mix: number; pi: Float64Array },
  budget: { nodes: number; deadline: number },
): { value: number; open: number; columns: { group: number; sessions: number[] }[] } {
  const nS = model.nSessions;
  const { rowDual, stable, mix, pi } = prices;
  let value = 0;
  for (let s = 0; s < nS; s++) {
    const dual = model.fixedSlot[s]! >= 0 ? 0 : Math.max(0, rowDual[s]!);
    pi[s] = mix * stable[s]! + (1 - mix) * dual;
    value += pi[s]!;
  }
  let open = 0;
  const columns: { group: number; sessions: number[] }[] = [];
  for (const [k, group] of groups.entries()) {
    const r = search.run(group.search, pi, budget.nodes, budget.deadline);
    value += group.count * r.upper;
    if (!r.complete) open += group.count;
    let reduced = r.bestValue - rowDual[nS + k]!;
    for (const s of r.bestSet) reduced -= Math.max(0, rowDual[s]!);
    if (reduced > 1e-6) columns.push({ group: k, sessions: r.bestSet });
  }
  return { value, open, columns };
}

export function slotSearches(model: Model): SlotSearch[] {
  const slots: SlotSearch[] = [];
  for (let t = 0; t < model.nSlots; t++) {
    const candidates: number[] = [];
    const fixed: number[] = [];
    for (let s = 0; s < model.nSessions; s++) {
      if (model.fixedSlot[s] === t) fixed.push(s);
      else if (model.fixedSlot[s]! < 0 && model.allowed[s * model.nSlots + t]) candidates.push(s);
    }
    slots.push({
      candidates: Int32Array.from(candidates),
      fixed: Int32Array.from(fixed),
      room: model.capacity - fixed.length,
    });
  }
  return slots;
}

/** Branch and bound for max over a slot's feasible sets S of f(S) − π(S). */
export class SlotSearcher {
  private readonly bestLevel: Uint8Array;
  private readonly undo: number[] = [];
  private readonly inSet: number[] = [];
  private nodesLeft = 0;
  private deadline = Number.POSITIVE_INFINITY;
  private complete = true;
  private incumbent = 0;
  private incumbentSet: number[] = [];
  /** Largest bound among nodes left unexplored for lack of budget. */
  private openUpper = Number.NEGATIVE_INFINITY;
  private pi: Float64Array<ArrayBufferLike> = new Float64Array(0);
  private room = 0;

  /** Ratings by user (the transpose of the model's), to update marginal gains as a set grows. */
  private readonly uStart: Int32Array;
  private readonly uSession: Int32Array;
  private readonly uLevel: Uint8Array;
  /** gains[d][r]: what r would add to the current set of d sessions (kept up to date by `grow`). */
  private gains: Float64Array[] = [];

  constructor(private readonly model: Model) {
    this.bestLevel = new Uint8Array(model.nUsers);
    const m = model;
    this.uStart = new Int32Array(m.nUsers + 1);
    for (let k = 0; k < m.rUser.length; k++) this.uStart[m.rUser[k]! + 1]!++;
    for (let u = 0; u < m.nUsers; u++) this.uStart[u + 1]! += this.uStart[u]!;
    this.uSession = new Int32Array(m.rUser.length);
    this.uLevel = new Uint8Array(m.rUser.length);
    const fill = this.uStart.slice(0, m.nUsers);
    for (let s = 0; s < m.nSessions; s++) {
      for (let k = m.rStart[s]!; k < m.rStart[s + 1]!; k++) {
        const at = fill[m.rUser[k]!]!++;
        this.uSession[at] = s;
        this.uLevel[at] = m.rLevel[k]!;
      }
    }
  }

  /**
   * Adds s to the set at depth d: the gains of depth d + 1 are those of depth d, less what the people
   * whose best interest s raises no longer get from the other sessions. Returns s's own gain.
   */
  private grow(s: number, d: number): number {
    const m = this.model;
    const b = this.bestLevel;
    while (this.gains.length <= d + 1) this.gains.push(new Float64Array(m.nSessions));
    const next = this.gains[d + 1]!;
    next.set(this.gains[d]!);
    let gain = 0;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const u = m.rUser[k]!;
      const level = m.rLevel[k]!;
      const old = b[u]!;
      if (level <= old) continue;
      gain += LEVEL_VALUES[level as 1] - LEVEL_VALUES[old as 0];
      for (let i = this.uStart[u]!, iEnd = this.uStart[u + 1]!; i < iEnd; i++) {
        const l = this.uLevel[i]!;
        if (l <= old) continue;
        // r's gain from u drops from V[l] − V[old] to (V[l] − V[level])⁺.
        next[this.uSession[i]!]! -= LEVEL_VALUES[(l < level ? l : level) as 0] - LEVEL_VALUES[old as 0];
      }
      this.undo.push(u, old);
      b[u] = level;
    }
    return gain;
  }

  private place(s: number): number {
    const m = this.model;
    const b = this.bestLevel;
    let gain = 0;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const u = m.rUser[k]!;
      const level = m.rLevel[k]!;
      if (level > b[u]!) {
        gain += LEVEL_VALUES[level as 1] - LEVEL_VALUES[b[u] as 0];
        this.undo.push(u, b[u]!);
        b[u] = level;
      }
    }
    return gain;
  }

  private marginal(s: number): number {
    const m = this.model;
    const b = this.bestLevel;
    let gain = 0;
    for (let k = m.rStart[s]!, end = m.rStart[s + 1]!; k < end; k++) {
      const level = m.rLevel[k]!;
      const cur = b[m.rUser[k]!]!;
      if (level > cur) gain += LEVEL_VALUES[level as 1] - LEVEL_VALUES[cur as 0];
    }
    return gain;
  }

  private rollback(mark: number): void {
    const b = this.bestLevel;
    while (this.undo.length > mark) {
      const old = this.undo.pop()!;
      b[this.undo.pop()!] = old;
    }
  }

  private clashesWithSet(s: number): boolean {
    const m = this.model;
    for (const o of this.inSet) if (m.clash[s * m.nSessions + o]) return true;
    return false;
  }

  /** Returns an upper bound on max f(S) − π(S) (exact when `complete`) and the best set found. */
  run(
    slot: SlotSearch,
    pi: Float64Array,
    nodes: number,
    deadline = Number.POSITIVE_INFINITY,
  ): { upper: number; complete: boolean; bestSet: number[]; bestValue: number } {
    this.bestLevel.fill(0);
    this.undo.length = 0;
    this.inSet.length = 0;
    this.pi = pi;
    this.room = slot.room;
    let base = 0;
    for (const s of slot.fixed) {
      base += this.place(s);
      this.inSet.push(s);
    }
    this.undo.length = 0;
    const nFixed = this.inSet.length;
    if (this.gains.length === 0) this.gains.push(new Float64Array(this.model.nSessions));
    for (const s of slot.candidates) this.gains[0]![s] = this.marginal(s);
    // Candidates by their value alone, best first: good sets are found early.
    const single = new Map<number, number>();
    const usable: number[] = [];
    for (const s of slot.candidates) {
      if (this.clashesWithSet(s)) continue;
      const v = this.gains[0]![s]! - pi[s]!;
      if (v <= 0) continue; // a session that does not pay for itself alone never does with others
      single.set(s, v);
      usable.push(s);
    }
    usable.sort((a, b) => single.get(b)! - single.get(a)! || a - b);
    this.nodesLeft = nodes;
    this.deadline = deadline;
    this.complete = true;
    this.incumbent = 0;
    this.incumbentSet = [];
    this.openUpper = Number.NEGATIVE_INFINITY;
    this.dfs(Int32Array.from(usable), Float64Array.from(usable.map((x) => single.get(x)!)), 0, nFixed);
    const upper = Math.max(this.incumbent, this.openUpper);
    return {
      upper: base + upper,
      complete: this.complete,
      bestSet: this.incumbentSet,
      bestValue: this.value(slot, this.incumbentSet),
    };
  }

  /**
   * A good set for the slot, greedily: the session with the largest marginal gain minus price, while
   * one pays for itself; sessions marked in `exclude` are left out. Only a column for the master LP,
   * never part of a bound.
   */
  greedy(slot: SlotSearch, pi: Float64Array, exclude: Uint8Array): number[] {
    this.bestLevel.fill(0);
    this.undo.length = 0;
    this.inSet.length = 0;
    for (const s of slot.fixed) {
      this.place(s);
      this.inSet.push(s);
    }
    const chosen: number[] = [];
    while (chosen.length < slot.room) {
      let pick = -1;
      let pickValue = 1e-9;
      for (const s of slot.candidates) {
        if (exclude[s] || this.inSet.includes(s) || this.clashesWithSet(s)) continue;
        const v = this.marginal(s) - pi[s]!;
        if (v > pickValue) {
          pickValue = v;
          pick = s;
        }
      }
      if (pick < 0) break;
      this.place(pick);
      this.inSet.push(pick);
      chosen.push(pick);
    }
    this.undo.length = 0;
    this.inSet.length = 0;
    return chosen;
  }

  /** f_t(S): the slot's score with its fixed sessions and `sessions`. */
  value(slot: SlotSearch, sessions: readonly number[]): number {
    this.bestLevel.fill(0);
    this.undo.length = 0;
    let total = 0;
    for (const s of slot.fixed) total += this.place(s);
    for (const s of sessions) total += this.place(s);
    this.undo.length = 0;
    return total;
  }

  /**
   * `cands` are the sessions this node may still add (no clash with the set, later in the order) and
   * `ubs` upper bounds on their marginal value minus price (from an ancestor: marginal gains only
   * shrink as the set grows). Exact marginals are computed lazily, best bound first, only until the
   * node's bound (value + its best `left` marginals) is known.
   */
  private dfs(cands: Int32Array, ubs: Float64Array, value: number, nFixed: number): void {
    const depth = this.inSet.length - nFixed;
    if (value > this.incumbent) {
      this.incumbent = value;
      this.incumbentSet = this.inSet.slice(nFixed);
    }
    const left = this.room - depth;
    const n = cands.length;
    if (left <= 0 || n === 0) return;
    // Visit candidates by bound, best first; exact values replace bounds as they are computed.
    const byBound = Array.from({ length: n }, (_, i) => i).sort((a, b) => ubs[b]! - ubs[a]!);
    const exact = new Float64Array(ubs);
    const top: number[] = []; // the best `left` exact values, descending
    for (const i of byBound) {
      if (top.length >= left && top[left - 1]! >= ubs[i]!) break;
      const g = this.gains[depth]![cands[i]!]! - this.pi[cands[i]!]!;
      exact[i] = g;
      if (g <= 0) continue;
      let k = Math.min(top.length, left - 1);
      if (top.length < left) top.push(g);
      else if (g <= top[left - 1]!) continue;
      while (k > 0 && top[k - 1]! < g) {
        top[k] = top[k - 1]!;
        k--;
      }
      top[k] = g;
    }
    let bound = value;
    for (const g of top) bound += g;
    if (bound <= this.incumbent + 1e-9) return;
    if (this.nodesLeft <= 0) {
      this.complete = false;
      if (bound > this.openUpper) this.openUpper = bound;
      return;
    }
    // A node costs far more than reading the clock: check it at every one.
    this.nodesLeft = performance.now() > this.deadline ? 0 : this.nodesLeft - 1;
    // Best (left − 1) bounds among the candidates after each index, for the children's pre-check.
    const suffix = new Float64Array(n + 1);
    if (left > 1) {
      // The best (left − 1) values seen so far, descending, and their sum (insertion: left ≤ rooms).
      const keep = left - 1;
      const best = new Float64Array(keep);
      let size = 0;
      let sum = 0;
      for (let j = n - 1; j >= 0; j--) {
        suffix[j + 1] = sum;
        const g = exact[j]!;
        if (g <= 0 || (size === keep && g <= best[keep - 1]!)) continue;
        if (size === keep) sum -= best[keep - 1]!;
        else size++;
        let k = size - 1;
        while (k > 0 && best[k - 1]! < g) {
          best[k] = best[k - 1]!;
          k--;
        }
        best[k] = g;
        sum += g;
      }
    }
    const m = this.model;
    for (let j = 0; j < n; j++) {
      const g = exact[j]!;
      if (g <= 0 || value + g + suffix[j + 1]! <= this.incumbent + 1e-9) continue;
      const s = cands[j]!;
      // The child's candidates: later ones that pay for themselves and do not clash with s.
      const next: number[] = [];
      const nextUb: number[] = [];
      for (let i = j + 1; i < n; i++) {
        if (exact[i]! <= 0 || m.clash[s * m.nSessions + cands[i]!]) continue;
        next.push(cands[i]!);
        nextUb.push(exact[i]!);
      }
      const mark = this.undo.length;
      const gain = this.grow(s, depth);
      this.inSet.push(s);
      this.dfs(Int32Array.from(next), Float64Array.from(nextUb), value + gain - this.pi[s]!, nFixed);
      this.inSet.pop();
      this.rollback(mark);
    }
  }
}
