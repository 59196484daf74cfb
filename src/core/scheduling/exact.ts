import highsModule from 'highs';
import { LEVEL_VALUES, type Model } from './model.js';
import { createSetPartitionModel } from './setPartition.js';

// The package's types describe its CommonJS build; under ESM its default export is the loader itself.
const loadHighs = highsModule as unknown as typeof highsModule.default;
let highsLoading: ReturnType<typeof loadHighs> | null = null;
/** The WebAssembly module is loaded once per thread. */
export const getHighs = () => {
  highsLoading ??= loadHighs();
  return highsLoading;
};

/** Beyond this many columns the set-partition model is left to the annealing (memory and solve time). */
export const MAX_COLUMNS = 600_000;

export interface Columns {
  /** Per column: its slot and its (non-fixed) sessions, flattened. */
  slot: Int32Array;
  start: Int32Array;
  sessions: Int32Array;
  value: Float64Array;
  /** Per slot, the column that matches `hint` (or -1). */
  hintColumn: Int32Array;
}

/**
 * Every clash-free set of sessions each slot could hold (fixed sessions included in every set of
 * their slot), with its value: the slot's score plus `moveWeight` for each session kept in its
 * current slot. Returns null when there would be more than `limit` columns.
 */
/** Columns there would be if no owners clashed: a cheap over-estimate to skip hopeless enumerations. */
export function estimateColumns(model: Model): number {
  let total = 0;
  for (let t = 0; t < model.nSlots; t++) {
    let candidates = 0;
    let fixed = 0;
    for (let s = 0; s < model.nSessions; s++) {
      if (model.fixedSlot[s] === t) fixed++;
      else if (model.fixedSlot[s]! < 0 && model.allowed[s * model.nSlots + t]) candidates++;
    }
    let binomial = 1;
    for (let k = 0; k <= model.capacity - fixed && k <= candidates; k++) {
      total += binomial;
      binomial = (binomial * (candidates - k)) / (k + 1);
    }
  }
  return total;
}

export function enumerateColumns(model: Model, hint: Int32Array | null, limit = MAX_COLUMNS): Columns | null {
  const slots: number[] = [];
  const starts: number[] = [0];
  const flat: number[] = [];
  const values: number[] = [];
  const hintColumn = new Int32Array(model.nSlots).fill(-1);
  const best = new Uint8Array(model.nUsers);
  const touched: number[] = [];
  let tooMany = false;

  for (let t = 0; t < model.nSlots; t++) {
    const base: number[] = [];
    const candidates: number[] = [];
    for (let s = 0; s < model.nSessions; s++) {
      if (model.fixedSlot[s] === t) base.push(s);
      else if (model.fixedSlot[s]! < 0 && model.allowed[s * model.nSlots + t]) candidates.push(s);
    }
    const hintSize = hint ? candidates.filter((s) => hint[s] === t).length : -1;
    const chosen: number[] = [];
    let value = 0;
    // Adds s to the slot's people-best array; returns the undo log length before it.
    const place = (s: number): number => {
      const mark = touched.length;
      for (let k = model.rStart[s]!; k < model.rStart[s + 1]!; k++) {
        const u = model.rUser[k]!;
        const level = model.rLevel[k]!;
        if (level > best[u]!) {
          value += LEVEL_VALUES[level as 1] - LEVEL_VALUES[best[u] as 0];
          touched.push(u, best[u]!);
          best[u] = level;
        }
      }
      if (model.currentSlot[s] === t) value += model.moveWeight;
      return mark;
    };
    const unplace = (s: number, mark: number): void => {
      while (touched.length > mark) {
        const old = touched.pop()!;
        const u = touched.pop()!;
        value -= LEVEL_VALUES[best[u] as 0] - LEVEL_VALUES[old as 0];
        best[u] = old;
      }
      if (model.currentSlot[s] === t) value -= model.moveWeight;
    };
    const clashes = (s: number): boolean => {
      for (const o of base) if (model.clash[s * model.nSessions + o]) return true;
      for (const o of chosen) if (model.clash[s * model.nSessions + o]) return true;
      return false;
    };
    const emit = (matches: number): void => {
      if (values.length >= limit) {
        tooMany = true;
        return;
      }
      if (matches === hintSize && chosen.length === hintSize) hintColumn[t] = values.length;
      slots.push(t);
      for (const s of chosen) flat.push(s);
      starts.push(flat.length);
      values.push(value);
    };
    const room = model.capacity - base.length;
    const dfs = (from: number, matches: number): void => {
      emit(matches);
      if (tooMany || chosen.length === room) return;
      for (let i = from; i < candidates.length && !tooMany; i++) {
        const s = candidates[i]!;
        if (clashes(s)) continue;
        const mark = place(s);
        chosen.push(s);
        dfs(i + 1, matches + (hint && hint[s] === t ? 1 : 0));
        chosen.pop();
        unplace(s, mark);
      }
    };
    const baseMarks = base.map((s) => place(s));
    dfs(0, 0);
    for (let i = base.length - 1; i >= 0; i--) unplace(base[i]!, baseMarks[i]!);
    if (tooMany) return null;
  }
  return {
    slot: Int32Array.from(slots),
    start: Int32Array.from(starts),
    sessions: Int32Array.from(flat),
    value: Float64Array.from(values),
    hintColumn,
  };
}

export interface ExactResult {
  /** A placement better than the hint, or null when the hint is already the best (or time ran out). */
  slotOf: Int32Array | null;
  /** The returned placement (or the hint) is proven optimal. */
  optimal: boolean;
  /** Upper bound on the objective (score − moveWeight × moved), valid whatever happened. */
  bound: number;
  lpIterations: number;
}

export type Highs = Awaited<ReturnType<typeof loadHighs>>;

/**
 * Solves the set-partition model restricted to `cols` with HiGHS (LP relaxation, or MIP) and returns
 * the objective, the column values and the session rows' duals.
 */
export function solveRestricted(
  highs: Highs,
  model: Model,
  columns: Columns,
  cols: readonly number[],
  integer: boolean,
  seconds: number,
  start: Float64Array | null,
): { status: number; objective: number; values: Float64Array; rowDual: Float64Array; feasible: boolean } {
  const lp = createSetPartitionModel(
    highs,
    model.nSessions,
    new Float64Array(model.nSlots).fill(1),
    { group: columns.slot, start: columns.start, sessions: columns.sessions, value: columns.value },
    cols,
    integer,
  );
  try {
    lp.options.set({ output_flag: false, time_limit: Math.max(0.1, seconds), mip_rel_gap: 0, mip_abs_gap: 0.5 });
    if (start) lp.setSolution({ colValue: start });
    lp.run();
    const status = lp.getModelStatus();
    const solution = lp.getSolution();
    const feasible =
      status === highs.constants.modelStatus.optimal || Number(lp.info.get('primal_solution_status')) === 2;
    return {
      status,
      objective: lp.getObjectiveValue(),
      values: solution.colValue,
      rowDual: solution.rowDual,
      feasible,
    };
  } finally {
    lp.dispose();
  }
}

/**
 * The exact method on the set-partition model (one column per slot and clash-free session set, each
 * slot takes exactly one, each session at most one), in three steps:
 * 1. Column generation for the LP relaxation: a small master LP, priced against every enumerated
 *    column. Each round's session duals π give a valid bound on its own (Lagrangian:
 *    Σ π_s + Σ_slots max over the slot's columns of value − π(sessions)), so the bound holds even
 *    when time runs out. On these instances the relaxation is tight or nearly so.
 * 2. If the bound, rounded down to a reachable score, equals the hint's objective, the hint is optimal.
 * 3. Otherwise reduced-cost fixing: a column whose reduced cost exceeds the gap cannot be part of a
 *    better schedule, so the MIP (HiGHS) only sees the columns that could; it either finds the better
 *    schedule or proves there is none.
 */
export async function solveExact(
  model: Model,
  columns: Columns,
  hintObjective: number,
  deadline: number,
): Promise<ExactResult> {
  const highs = await getHighs();
  const nCols = columns.value.length;
  const secondsLeft = () => (deadline - performance.now()) / 1000;
  let kept = 0;
  for (let s = 0; s < model.nSessions; s++) if (model.currentSlot[s]! >= 0) kept++;
  const offset = -model.moveWeight * kept;
  // Scores are multiples of 25; with a move cost any improvement counts.
  const step = model.moveWeight === 0 ? 25 : 1e-6;
  const floorToStep = (x: number) => (model.moveWeight === 0 ? Math.floor(x / 25 + 1e-6) * 25 : x);

  const inMaster = new Uint8Array(nCols);
  const master: number[] = [];
  const addColumn = (c: number) => {
    if (!inMaster[c]) {
      inMaster[c] = 1;
      master.push(c);
    }
  };
  const slotFirst = new Int32Array(model.nSlots + 1).fill(nCols);
  for (let c = nCols - 1; c >= 0; c--) slotFirst[columns.slot[c]!] = c;
  for (let t = model.nSlots - 1; t >= 0; t--) slotFirst[t] = Math.min(slotFirst[t]!, slotFirst[t + 1]!);
  for (let t = 0; t < model.nSlots; t++) {
    // The first column of a slot is its fixed sessions alone: always feasible.
    addColumn(slotFirst[t]!);
    if (columns.hintColumn[t]! >= 0) addColumn(columns.hintColumn[t]!);
  }

  const pi = new Float64Array(model.nSessions);
  const reduced = new Float64Array(nCols);
  const slotBest = new Float64Array(model.nSlots);
  /** Reduced values v − π(X), each slot's best, and the Lagrangian bound they give. */
  const price = (): number => {
    slotBest.fill(Number.NEGATIVE_INFINITY);
    for (let c = 0; c < nCols; c++) {
      let r = columns.value[c]!;
      for (let k = columns.start[c]!; k < columns.start[c + 1]!; k++) r -= pi[columns.sessions[k]!]!;
      reduced[c] = r;
      const t = columns.slot[c]!;
      if (r > slotBest[t]!) slotBest[t] = r;
    }
    let bound = offset;
    for (const p of pi) bound += p;
    for (const b of slotBest) bound += b;
    return bound;
  };

  let bound = price();
  let iterations = 0;
  const PER_SLOT = 40;
  for (;;) {
    if (secondsLeft() <= 0) return { slotOf: null, optimal: false, bound, lpIterations: iterations };
    iterations++;
    const lp = solveRestricted(highs, model, columns, master, false, secondsLeft(), null);
    if (lp.status !== highs.constants.modelStatus.optimal) {
      return { slotOf: null, optimal: false, bound, lpIterations: iterations };
    }
    for (let s = 0; s < model.nSessions; s++) pi[s] = Math.max(0, lp.rowDual[s]!);
    bound = Math.min(bound, price());
    // Columns with a positive reduced cost against the slot rows' duals enter the master.
    let added = 0;
    for (let t = 0; t < model.nSlots; t++) {
      const mu = lp.rowDual[model.nSessions + t]!;
      const candidates: number[] = [];
      for (let c = slotFirst[t]!; c < slotFirst[t + 1]!; c++) {
        if (!inMaster[c] && reduced[c]! - mu > 1e-7) candidates.push(c);
      }
      candidates.sort((a, b) => reduced[b]! - reduced[a]!);
      for (const c of candidates.slice(0, PER_SLOT)) {
        addColumn(c);
        added++;
      }
    }
    if (added === 0) {
      bound = Math.min(bound, lp.objective + offset + 1e-6);
      break;
    }
  }

  if (floorToStep(bound) <= hintObjective + 1e-6) {
    return { slotOf: null, optimal: true, bound: hintObjective, lpIterations: iterations };
  }
  // Reduced-cost fixing: with the final duals, a schedule using column c is worth at most bound + (reduced[c] − slotBest).
  const gap = bound - (hintObjective + step);
  const survivors: number[] = [];
  for (let c = 0; c < nCols; c++) {
    if (reduced[c]! - slotBest[columns.slot[c]!]! >= -gap - 1e-6) survivors.push(c);
  }
  const mip = solveRestricted(highs, model, columns, survivors, true, secondsLeft(), null);
  if (mip.status === highs.constants.modelStatus.infeasible) {
    return { slotOf: null, optimal: true, bound: hintObjective, lpIterations: iterations };
  }
  const optimal = mip.status === highs.constants.modelStatus.optimal;
  if (!mip.feasible) return { slotOf: null, optimal: false, bound, lpIterations: iterations };
  const slotOf = new Int32Array(model.nSessions).fill(-1);
  for (let s = 0; s < model.nSessions; s++) if (model.fixedSlot[s]! >= 0) slotOf[s] = model.fixedSlot[s]!;
  survivors.forEach((c, j) => {
    if (mip.values[j]! < 0.5) return;
    for (let k = columns.start[c]!; k < columns.start[c + 1]!; k++) slotOf[columns.sessions[k]!] = columns.slot[c]!;
  });
  const objective = mip.objective + offset;
  return {
    slotOf: objective > hintObjective ? slotOf : null,
    optimal,
    bound: optimal ? Math.max(objective, hintObjective) : bound,
    lpIterations: iterations,
  };
}
