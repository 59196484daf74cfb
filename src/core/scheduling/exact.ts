import highsModule from 'highs';
import { LEVEL_VALUES, type Model } from './model.js';

// The package's types describe its CommonJS build; under ESM its default export is the loader itself.
const loadHighs = highsModule as unknown as typeof highsModule.default;
let highsLoading: ReturnType<typeof loadHighs> | null = null;
/** The WebAssembly module is loaded once per thread. */
const getHighs = () => {
  highsLoading ??= loadHighs();
  return highsLoading;
};

/** Beyond this many columns the set-partition model is left to the annealing (memory and solve time). */
export const MAX_COLUMNS = 600_000;

interface Columns {
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
  /** The best placement found (proven optimal when `optimal`). */
  slotOf: Int32Array | null;
  optimal: boolean;
  /** Upper bound on the objective (score − moveWeight × moved) proven by the solver. */
  bound: number;
}

/**
 * The set-partition model, solved by HiGHS: one binary per (slot, session set), each slot takes exactly
 * one set (the empty set included), each session is in at most one chosen set. Its LP relaxation is
 * strong (sets carry the whole slot's value), so small instances are proven optimal in seconds.
 */
export async function solveExact(
  model: Model,
  columns: Columns,
  hint: Int32Array | null,
  seconds: number,
): Promise<ExactResult> {
  const highs = await getHighs();
  const n = columns.value.length;
  const nRows = model.nSessions + model.nSlots;
  const starts = new Int32Array(n + 1);
  const indices: number[] = [];
  for (let c = 0; c < n; c++) {
    for (let k = columns.start[c]!; k < columns.start[c + 1]!; k++) indices.push(columns.sessions[k]!);
    indices.push(model.nSessions + columns.slot[c]!);
    starts[c + 1] = indices.length;
  }
  const rowLower = new Float64Array(nRows);
  const rowUpper = new Float64Array(nRows).fill(1);
  for (let t = 0; t < model.nSlots; t++) rowLower[model.nSessions + t] = 1;
  let kept = 0;
  for (let s = 0; s < model.nSessions; s++) if (model.currentSlot[s]! >= 0) kept++;
  const model_ = highs.createModel({
    numCols: n,
    numRows: nRows,
    sense: highs.constants.objectiveSense.maximize,
    offset: -model.moveWeight * kept,
    colCost: columns.value,
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rowLower,
    rowUpper,
    matrix: {
      format: 'csc',
      numRows: nRows,
      numCols: n,
      starts,
      indices: Int32Array.from(indices),
      values: new Float64Array(indices.length).fill(1),
    },
    integrality: new Int32Array(n).fill(highs.constants.variableType.integer),
  });
  try {
    model_.options.set({ output_flag: false, time_limit: Math.max(0.1, seconds), mip_rel_gap: 0, mip_abs_gap: 0.5 });
    if (hint && columns.hintColumn.every((c) => c >= 0)) {
      const start = new Float64Array(n);
      for (const c of columns.hintColumn) start[c] = 1;
      model_.setSolution({ colValue: start });
    }
    model_.run();
    const status = model_.getModelStatus();
    const info = model_.info;
    const dual = Number(info.get('mip_dual_bound'));
    const primal = model_.getSolution().colValue;
    const optimal = status === highs.constants.modelStatus.optimal;
    let slotOf: Int32Array | null = null;
    if (Number(info.get('primal_solution_status')) === 2 || optimal) {
      slotOf = new Int32Array(model.nSessions).fill(-1);
      for (let s = 0; s < model.nSessions; s++) if (model.fixedSlot[s]! >= 0) slotOf[s] = model.fixedSlot[s]!;
      for (let c = 0; c < n; c++) {
        if (primal[c]! < 0.5) continue;
        for (let k = columns.start[c]!; k < columns.start[c + 1]!; k++) slotOf[columns.sessions[k]!] = columns.slot[c]!;
      }
    }
    return { slotOf, optimal, bound: Number.isFinite(dual) ? dual : Number.POSITIVE_INFINITY };
  } finally {
    model_.dispose();
  }
}
