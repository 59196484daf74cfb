import { ColumnPool } from './columnPool.js';
import { getHighs, type Highs } from './exact.js';
import type { LagrangianOptions, LagrangianResult, SlotSearch } from './lagrangian.js';
import { priceRound, SlotSearcher, startPrices } from './lagrangian.js';
import type { Model } from './model.js';
import { createSetPartitionModel } from './setPartition.js';

/**
 * The Lagrangian bound of lagrangian.ts with slots grouped into classes, for instances where one
 * branch and bound per slot per round is too dear (Xen-size and larger within their budget).
 *
 * Relaxing "a session only in its allowed slots" (dropping a constraint never lowers the optimum)
 * makes every unlocked slot without fixed sessions the same subproblem: max over clash-free sets S of
 * at most `rooms` sessions of f(S) − π(S). Slots with the same fixed sessions (and lock) form a class
 * of n_k identical slots, and for any prices π ≥ 0 every schedule scores at most
 *
 *     L(π) = Σ_s π_s + Σ_k n_k · max_S ( f_k(S) − π(S) ),
 *
 * which costs one branch and bound per class per round instead of one per slot (one in all on the
 * benchmark instances, against 16 or 40). The prices come from column generation on the aggregated
 * master LP (each class takes n_k sets, each session is in at most one), whose optimum is this
 * relaxation's best bound; like lagrangian.ts, every round's L(π) is valid and the smallest is kept.
 */
export interface ClassBoundOptions extends LagrangianOptions {
  /** Called after each round with the bound so far (for progress reports and the benchmark). */
  onRound?: (round: number, bound: number) => void;
}

interface SlotClass {
  search: SlotSearch;
  /** How many slots the class stands for. */
  count: number;
  slots: number[];
}

const SMOOTHING = 0.7;
/** Greedy-column rounds between two branch-and-bound rounds while the greedy still finds columns. */
const EXACT_EVERY = 5;

/** Slots grouped by (lock, fixed sessions); unlocked slots may take any placeable session. */
export function slotClasses(model: Model): SlotClass[] {
  const placeable: number[] = [];
  for (let s = 0; s < model.nSessions; s++) {
    if (model.fixedSlot[s]! >= 0) continue;
    for (let t = 0; t < model.nSlots; t++) {
      if (model.allowed[s * model.nSlots + t]) {
        placeable.push(s);
        break;
      }
    }
  }
  const byKey = new Map<string, SlotClass>();
  const classes: SlotClass[] = [];
  for (let t = 0; t < model.nSlots; t++) {
    const fixed: number[] = [];
    for (let s = 0; s < model.nSessions; s++) if (model.fixedSlot[s] === t) fixed.push(s);
    const key = `${model.locked[t] ? 'L' : ''}${fixed.join(',')}`;
    const found = byKey.get(key);
    if (found) {
      found.count++;
      found.slots.push(t);
      continue;
    }
    // A locked slot keeps what it has: nothing can join it.
    const candidates = model.locked[t] ? [] : placeable;
    const slotClass: SlotClass = {
      search: {
        candidates: Int32Array.from(candidates),
        fixed: Int32Array.from(fixed),
        room: model.capacity - fixed.length,
      },
      count: 1,
      slots: [t],
    };
    byKey.set(key, slotClass);
    classes.push(slotClass);
  }
  return classes;
}

export async function classBound(model: Model, options: ClassBoundOptions): Promise<LagrangianResult> {
  const highs = await getHighs();
  const nS = model.nSessions;
  const classes = slotClasses(model);
  const classOf = new Int32Array(model.nSlots);
  classes.forEach((c, k) => {
    for (const t of c.slots) classOf[t] = k;
  });
  const search = new SlotSearcher(model);

  const pool = new ColumnPool((k, sessions) => search.value(classes[k]!.search, sessions));
  const addColumn = (k: number, sessions: readonly number[]) => pool.add(k, sessions);
  for (let k = 0; k < classes.length; k++) addColumn(k, []);
  // The start schedule's slots are the first columns (each in its slot's class).
  if (options.slotOf) {
    for (let t = 0; t < model.nSlots; t++) {
      const here: number[] = [];
      for (let s = 0; s < nS; s++) if (options.slotOf[s] === t && model.fixedSlot[s]! < 0) here.push(s);
      addColumn(classOf[t]!, here);
    }
  }

  const stable = startPrices(model, options.slotOf);
  const pi = new Float64Array(nS);
  let best = Number.POSITIVE_INFINITY;
  let bestOpen = 0;
  let round = 0;
  let alpha = options.slotOf ? SMOOTHING : 0;
  let first = true;
  let sinceExact = 0;
  let lastSearchMs = 0;
  for (; round < options.rounds; round++) {
    if (round > 0) await new Promise((resolve) => setImmediate(resolve));
    const secondsLeft = (options.deadline - performance.now()) / 1000;
    if (round > 0 && (secondsLeft <= 0 || options.signal?.aborted)) break;
    const lp = solveMaster(highs, nS, classes, pool, secondsLeft);
    if (!lp) break;
    // Columns for a whole schedule at the LP's duals: each class's slots filled greedily one after
    // another with sessions not used yet. Cheap, and far more columns per round than pricing alone.
    const used = new Uint8Array(nS);
    const duals = lp.rowDual.subarray(0, nS).map((d) => Math.max(0, d));
    let extra = 0;
    for (const [k, c] of classes.entries()) {
      for (let i = 0; i < c.count; i++) {
        const set = search.greedy(c.search, duals, used);
        if (set.length === 0) break;
        for (const s of set) used[s] = 1;
        if (addColumn(k, set)) extra++;
      }
    }
    // The branch and bound (the dear part, and the only one that gives a bound) only once the
    // greedy columns run dry, or every few rounds.
    // As the deadline nears (two searches' time left), search now, not to lose the columns found.
    const late = performance.now() + 2 * lastSearchMs > options.deadline;
    if (extra > 0 && ++sinceExact < EXACT_EVERY && !late) continue;
    sinceExact = 0;
    const searchStarted = performance.now();
    // The first search prices at the duals alone: the start schedule's losses, which lagrangian.ts
    // starts from, gave a bound far above the trivial one here (404,250 against 372,050 on xen-a).
    const mix = first ? 0 : alpha;
    first = false;
    const priced = priceRound(model, search, classes, { rowDual: lp.rowDual, stable, mix, pi }, options);
    const { value, open } = priced;
    let added = 0;
    for (const column of priced.columns) if (addColumn(column.group, column.sessions)) added++;
    lastSearchMs = performance.now() - searchStarted;
    if (value < best) {
      best = value;
      bestOpen = open;
      stable.set(pi);
    }
    options.onRound?.(round, best);
    if (added === 0) {
      if (mix === 0 && extra === 0) {
        // Exact pricing found nothing better at the LP's duals: the master LP is solved and L equals it.
        if (open === 0) best = Math.min(best, lp.objective + 1e-6);
        break;
      }
      if (mix !== 0) alpha = 0;
    } else if (alpha === 0 && options.slotOf) alpha = SMOOTHING;
  }
  return { bound: best, rounds: round, openSlots: bestOpen };
}

/** The aggregated master LP: class k takes exactly n_k of its columns (the empty set included). */
function solveMaster(
  highs: Highs,
  nS: number,
  classes: SlotClass[],
  pool: ColumnPool,
  seconds: number,
): { objective: number; rowDual: Float64Array } | null {
  const counts = classes.map((c) => c.count);
  const lp = createSetPartitionModel(highs, nS, counts, pool, null, false);
  try {
    lp.options.set({ output_flag: false, time_limit: Math.max(0.05, seconds) });
    lp.run();
    if (lp.getModelStatus() !== highs.constants.modelStatus.optimal) return null;
    return { objective: lp.getObjectiveValue(), rowDual: lp.getSolution().rowDual };
  } finally {
    lp.dispose();
  }
}
