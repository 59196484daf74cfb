import type { RoundContext } from './context.js';

/**
 * Which pairs the matching may consider.
 *
 * Up to DENSE_LIMIT people every pair is a candidate and the matching is exactly optimal. Beyond
 * that a complete graph costs O(n²) edges and O(n³) time, so each person brings a handful of
 * candidates that between them contain a near-optimal round:
 *   - this round's round-robin partner (following the plan alone gives a perfect novel round);
 *   - partners the plan scheduled in a few already-played rounds whom they still have not met;
 *   - a few random people they have not met, drawn from the seed, preferring other teams;
 *   - only if they have met almost everyone present: the people they met longest ago.
 * Union over both ends gives each person ~2× that many options; random graphs of that degree
 * almost surely have a perfect matching, and the rare leftovers are paired afterwards.
 */

export const DENSE_LIMIT = 256;
const RANDOM_UNMET = 6;
const MIN_NOVEL = 3;
const REPEAT_FILL = 4;

export interface EdgeList {
  from: number[];
  to: number[];
  weight: number[];
}

export function isDense(n: number): boolean {
  return n <= DENSE_LIMIT;
}

export function candidateEdges(ctx: RoundContext, people: readonly number[] = allPeople(ctx.n)): EdgeList {
  return isDense(people.length) ? denseEdges(ctx, people) : sparseEdges(ctx, people);
}

function allPeople(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Every pair among `people` (indices into the round), as local vertex numbers 0..people.length−1. */
export function denseEdges(ctx: RoundContext, people: readonly number[]): EdgeList {
  const edges: EdgeList = { from: [], to: [], weight: [] };
  for (let a = 0; a < people.length; a++) {
    for (let b = a + 1; b < people.length; b++) {
      edges.from.push(a);
      edges.to.push(b);
      edges.weight.push(ctx.weight(people[a]!, people[b]!));
    }
  }
  return edges;
}

function sparseEdges(ctx: RoundContext, people: readonly number[]): EdgeList {
  const count = people.length;
  const local = new Int32Array(ctx.n).fill(-1);
  people.forEach((p, i) => {
    local[p] = i;
  });
  const plan = ctx.plan;
  const slots = plan.cycleLength + 1;
  const localOfSlot = new Int32Array(Math.max(slots, 1)).fill(-1);
  for (let i = 0; i < count; i++) {
    const s = ctx.slot[people[i]!]!;
    if (s >= 0 && s < slots) localOfSlot[s] = i;
  }
  const rng = ctx.rng.fork('candidates');
  const chosen = new Int32Array(count).fill(-1);
  const metMark = new Int32Array(count).fill(-1);
  const keys: number[] = [];
  const index = ctx.index;

  for (let u = 0; u < count; u++) {
    const person = people[u]!;
    let novel = 0;
    const add = (v: number): void => {
      if (v < 0 || v === u || chosen[v] === u) return;
      chosen[v] = u;
      if (metMark[v] !== u) novel++;
      keys.push(u < v ? u * count + v : v * count + u);
    };

    let metCount = 0;
    const row = ctx.historyRow[person]!;
    if (row >= 0) {
      for (let e = index.rowBegin(row); e < index.rowEnd(row); e++) {
        const p = ctx.presentOfRow[index.partnerAt(e)]!;
        const v = p >= 0 ? local[p]! : -1;
        if (v >= 0 && metMark[v] !== u) {
          metMark[v] = u;
          metCount++;
        }
      }
    }

    const s = ctx.slot[person]!;
    if (s >= 0 && plan.cycleLength > 0) {
      add(localOfSlot[plan.partnerAt(s, plan.current)] ?? -1);
      for (const round of plan.someDoneRounds) {
        const v = localOfSlot[plan.partnerAt(s, round)] ?? -1;
        if (v >= 0 && metMark[v] !== u) add(v);
      }
    }

    const clash = (v: number): boolean => ctx.teamPenalty(person, people[v]!) > 0;
    if (metCount * 2 > count) {
      // Mostly met already: random probes would mostly miss, so list the few unmet ones instead.
      const preferred: number[] = [];
      const fallback: number[] = [];
      for (let v = 0; v < count; v++) {
        if (v === u || metMark[v] === u || chosen[v] === u) continue;
        (clash(v) ? fallback : preferred).push(v);
      }
      rng.shuffle(preferred);
      rng.shuffle(fallback);
      for (const v of preferred.concat(fallback).slice(0, RANDOM_UNMET)) add(v);
    } else {
      let accepted = 0;
      for (let tries = 0; accepted < RANDOM_UNMET && tries < RANDOM_UNMET * 10; tries++) {
        const v = rng.nextInt(count);
        if (v === u || metMark[v] === u || chosen[v] === u) continue;
        // Early probes hold out for someone from another team; later ones take anyone unmet.
        if (tries < RANDOM_UNMET * 5 && clash(v)) continue;
        add(v);
        accepted++;
      }
    }

    if (novel < MIN_NOVEL && row >= 0) {
      // Repeats are unavoidable for this person: offer the ones that met longest ago (rule 2).
      const old: { v: number; at: number; times: number }[] = [];
      for (let e = index.rowBegin(row); e < index.rowEnd(row); e++) {
        const p = ctx.presentOfRow[index.partnerAt(e)]!;
        const v = p >= 0 ? local[p]! : -1;
        if (v >= 0 && chosen[v] !== u) old.push({ v, at: index.lastAt(e), times: index.timesAt(e) });
      }
      old.sort((a, b) => a.at - b.at || a.times - b.times || a.v - b.v);
      for (const o of old.slice(0, REPEAT_FILL)) add(o.v);
    }
  }

  const sorted = Float64Array.from(keys).sort();
  const edges: EdgeList = { from: [], to: [], weight: [] };
  let previous = -1;
  for (const key of sorted) {
    if (key === previous) continue;
    previous = key;
    const a = Math.floor(key / count);
    const b = key - a * count;
    edges.from.push(a);
    edges.to.push(b);
    edges.weight.push(ctx.weight(people[a]!, people[b]!));
  }
  return edges;
}
