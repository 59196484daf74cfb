import { type MatchingSolver, maxWeightMatching } from './blossom.js';
import { candidateEdges, denseEdges, type EdgeList, isDense } from './candidates.js';
import type { RoundContext } from './context.js';

export interface Matched {
  pairs: [number, number][];
  /** The odd one out, or -1 when the count was even. */
  loner: number;
}

/**
 * Pairs `people` (round indices) by maximum-weight matching. With an odd count a dummy vertex is
 * joined to `oddEligible`: whoever the matching gives the dummy is the odd one out, so that choice
 * is made together with all the pairs instead of before them.
 */
export function matchPeople(
  ctx: RoundContext,
  people: readonly number[],
  oddEligible: readonly number[],
  solver: MatchingSolver = maxWeightMatching,
): Matched {
  const count = people.length;
  const odd = count % 2 === 1;
  const edges = candidateEdges(ctx, people);
  const localOf = new Map<number, number>();
  people.forEach((p, i) => {
    localOf.set(p, i);
  });
  if (odd) {
    for (const e of oddEligible) {
      const local = localOf.get(e);
      if (local === undefined) continue;
      edges.from.push(count);
      edges.to.push(local);
      edges.weight.push(ctx.oddOneOutWeight(e));
    }
  }
  const mate = solve(solver, count + (odd ? 1 : 0), edges, !isDense(count));

  const pairs: [number, number][] = [];
  let leftovers: number[] = [];
  let loner = -1;
  for (let a = 0; a < count; a++) {
    const b = mate[a]!;
    if (b === count) loner = people[a]!;
    else if (b === -1) leftovers.push(people[a]!);
    else if (a < b) pairs.push([people[a]!, people[b]!]);
  }

  if (odd && loner === -1) {
    // Only possible on a sparse graph: nobody eligible was left for the dummy. Take the best-placed
    // eligible person out of their pair; their partner joins the leftovers.
    const eligibleLeft = leftovers.filter((p) => oddEligible.includes(p));
    const pool = eligibleLeft.length > 0 ? eligibleLeft : oddEligible.length > 0 ? [...oddEligible] : [...leftovers];
    loner = pool.reduce((best, p) => (ctx.oddOneOutWeight(p) > ctx.oddOneOutWeight(best) ? p : best));
    if (leftovers.includes(loner)) {
      leftovers = leftovers.filter((p) => p !== loner);
    } else {
      const at = pairs.findIndex(([a, b]) => a === loner || b === loner);
      const [a, b] = pairs[at]!;
      pairs.splice(at, 1);
      leftovers.push(a === loner ? b : a);
    }
  }

  if (leftovers.length > 0) {
    // Stragglers the sparse graph could not place: every pair among them is a candidate.
    const local = denseEdges(ctx, leftovers);
    const rest = solve(solver, leftovers.length, local, leftovers.length > 400);
    const unpaired: number[] = [];
    for (let a = 0; a < leftovers.length; a++) {
      const b = rest[a]!;
      if (b === -1) unpaired.push(leftovers[a]!);
      else if (a < b) pairs.push([leftovers[a]!, leftovers[b]!]);
    }
    // A complete graph on an even count always has a perfect matching; this is a guard, not a path.
    for (let i = 0; i + 1 < unpaired.length; i += 2) pairs.push([unpaired[i]!, unpaired[i + 1]!]);
  }
  return { pairs, loner };
}

function solve(solver: MatchingSolver, vertexCount: number, edges: EdgeList, greedyStart: boolean): Int32Array {
  return solver(
    {
      vertexCount,
      edgeFrom: Int32Array.from(edges.from),
      edgeTo: Int32Array.from(edges.to),
      weight: Float64Array.from(edges.weight),
    },
    { maxCardinality: true, greedyStart },
  );
}
