import { type MatchingSolver, maxWeightMatching } from './blossom.js';
import { isDense } from './candidates.js';
import type { RoundContext } from './context.js';
import { matchPeople } from './match.js';

const SWAP_PASSES = 6;
const SPARSE_HOSTS_PER_EXTRA = 16;
const SPARSE_SWAP_PROBES = 8;

/**
 * groupSize 3: as many trios as possible, pairs only to absorb the remainder
 * (n%3 = 1 → two pairs, n%3 = 2 → one pair).
 *
 * Heuristic in three steps, each one exact or close on its own:
 *  1. the seed picks who will be the "third" of each trio; everyone else is paired by the blossom
 *     matching (so the trio cores are as novel as a pair round);
 *  2. thirds are assigned to cores by another maximum-weight matching, scoring a third by both of
 *     the pairs it would add;
 *  3. swaps of two people between groups repair what the arbitrary choice of thirds got wrong.
 */
export function formTriples(ctx: RoundContext, solver: MatchingSolver = maxWeightMatching): number[][] {
  const n = ctx.n;
  const remainderPairs = [0, 2, 1][n % 3]!;
  const trios = (n - 2 * remainderPairs) / 3;
  const everyone = Array.from({ length: n }, (_, i) => i);
  if (trios <= 0) return matchPeople(ctx, everyone, [], solver).pairs.map(([a, b]) => [a, b]);

  const rng = ctx.rng.fork('triples');
  const shuffled = rng.shuffle([...everyone]);
  const thirds = shuffled.slice(0, trios);
  const rest = shuffled.slice(trios).sort((a, b) => a - b);
  const cores = matchPeople(ctx, rest, [], solver).pairs;

  const groups: number[][] = assignThirds(ctx, thirds, cores, solver, rng.fork('hosts'));
  const weights = isDense(n) ? weightMatrix(ctx) : null;
  const w = weights ? (a: number, b: number) => weights[a * n + b]! : (a: number, b: number) => ctx.weight(a, b);
  improveBySwaps(ctx, groups, w, weights !== null, rng.fork('swaps'));
  return groups;
}

function assignThirds(
  ctx: RoundContext,
  thirds: readonly number[],
  cores: readonly [number, number][],
  solver: MatchingSolver,
  rng: ReturnType<RoundContext['rng']['fork']>,
): number[][] {
  const t = thirds.length;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const addEdge = (x: number, c: number): void => {
    const [a, b] = cores[c]!;
    from.push(x);
    to.push(t + c);
    weight.push(ctx.weight(thirds[x]!, a) + ctx.weight(thirds[x]!, b));
  };
  if (t * cores.length <= 40_000) {
    for (let x = 0; x < t; x++) for (let c = 0; c < cores.length; c++) addEdge(x, c);
  } else {
    const seen = new Set<number>();
    for (let x = 0; x < t; x++) {
      for (let k = 0; k < SPARSE_HOSTS_PER_EXTRA; k++) {
        const c = rng.nextInt(cores.length);
        const key = x * cores.length + c;
        if (seen.has(key)) continue;
        seen.add(key);
        addEdge(x, c);
      }
    }
  }
  const mate = solver(
    {
      vertexCount: t + cores.length,
      edgeFrom: Int32Array.from(from),
      edgeTo: Int32Array.from(to),
      weight: Float64Array.from(weight),
    },
    { maxCardinality: true, greedyStart: t * cores.length > 40_000 },
  );
  const groups: number[][] = cores.map(([a, b]) => [a, b]);
  const hosted = new Uint8Array(cores.length);
  const homeless: number[] = [];
  for (let x = 0; x < t; x++) {
    const c = mate[x]! - t;
    if (c >= 0) {
      groups[c]!.push(thirds[x]!);
      hosted[c] = 1;
    } else {
      homeless.push(thirds[x]!);
    }
  }
  // The sparse bipartite graph may leave a few thirds unplaced: give each the best free core.
  for (const x of homeless) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < cores.length; c++) {
      if (hosted[c]) continue;
      const [a, b] = cores[c]!;
      const score = ctx.weight(x, a) + ctx.weight(x, b);
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    groups[best]!.push(x);
    hosted[best] = 1;
  }
  return groups;
}

function weightMatrix(ctx: RoundContext): Float64Array {
  const n = ctx.n;
  const matrix = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const w = ctx.weight(a, b);
      matrix[a * n + b] = w;
      matrix[b * n + a] = w;
    }
  }
  return matrix;
}

function improveBySwaps(
  ctx: RoundContext,
  groups: number[][],
  w: (a: number, b: number) => number,
  exhaustive: boolean,
  rng: ReturnType<RoundContext['rng']['fork']>,
): void {
  const n = ctx.n;
  const groupOf = new Int32Array(n);
  groups.forEach((g, i) => {
    for (const p of g) groupOf[p] = i;
  });
  // Gain of moving `leaving` out of group g and `joining` into its place.
  const delta = (group: readonly number[], leaving: number, joining: number): number => {
    let d = 0;
    for (const other of group) if (other !== leaving) d += w(joining, other) - w(leaving, other);
    return d;
  };
  // Only people in a group with a repeat or a clash can gain from a swap that matters; skipping the
  // clean groups keeps this linear in the problems, not in n.
  const dirty = (group: readonly number[]): boolean => {
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) {
        if (ctx.met(group[x]!, group[y]!) || ctx.teamPenalty(group[x]!, group[y]!) > 0) return true;
      }
    }
    return false;
  };
  for (let pass = 0; pass < SWAP_PASSES; pass++) {
    let improved = false;
    const order = rng.shuffle(groups.filter(dirty).flat());
    for (const a of order) {
      const probes = exhaustive ? n : SPARSE_SWAP_PROBES;
      for (let k = 0; k < probes; k++) {
        const b = exhaustive ? k : rng.nextInt(n);
        const ga = groupOf[a]!;
        const gb = groupOf[b]!;
        if (ga === gb) continue;
        const groupA = groups[ga]!;
        const groupB = groups[gb]!;
        if (delta(groupA, a, b) + delta(groupB, b, a) <= 0) continue;
        groupA[groupA.indexOf(a)] = b;
        groupB[groupB.indexOf(b)] = a;
        groupOf[a] = gb;
        groupOf[b] = ga;
        improved = true;
      }
    }
    if (!improved) break;
  }
}
