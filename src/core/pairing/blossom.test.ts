import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type MatchingProblem, maxWeightMatching } from './blossom.js';
import { createRng, type Rng } from './rng.js';

interface Best {
  size: number;
  weight: number;
}

/** Exhaustive search: the first still-free vertex either stays single or takes one free neighbour. */
function bruteForce(problem: MatchingProblem, maxCardinality: boolean): Best {
  const n = problem.vertexCount;
  const weightOf = new Map<number, number>();
  for (let k = 0; k < problem.edgeFrom.length; k++) {
    const u = problem.edgeFrom[k]!;
    const v = problem.edgeTo[k]!;
    const key = Math.min(u, v) * n + Math.max(u, v);
    weightOf.set(key, Math.max(weightOf.get(key) ?? Number.NEGATIVE_INFINITY, problem.weight[k]!));
  }
  const used = new Array<boolean>(n).fill(false);
  const better = (a: Best, b: Best): boolean =>
    maxCardinality ? a.size > b.size || (a.size === b.size && a.weight > b.weight) : a.weight > b.weight;
  const search = (from: number): Best => {
    let v = from;
    while (v < n && used[v]) v++;
    if (v >= n) return { size: 0, weight: 0 };
    used[v] = true;
    let best = search(v + 1);
    for (let u = v + 1; u < n; u++) {
      const w = weightOf.get(v * n + u);
      if (used[u] || w === undefined) continue;
      used[u] = true;
      const rest = search(v + 1);
      used[u] = false;
      const candidate = { size: rest.size + 1, weight: rest.weight + w };
      if (better(candidate, best)) best = candidate;
    }
    used[v] = false;
    return best;
  };
  return search(0);
}

function randomGraph(rng: Rng, n: number, density: number, maxWeight: number, allowNegative: boolean): MatchingProblem {
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (rng.next() >= density) continue;
      // Random orientation so the solver never relies on from < to.
      if (rng.next() < 0.5) {
        from.push(u);
        to.push(v);
      } else {
        from.push(v);
        to.push(u);
      }
      const w = rng.nextInt(maxWeight + 1);
      weight.push(allowNegative ? w - Math.floor(maxWeight / 3) : w);
    }
  }
  return {
    vertexCount: n,
    edgeFrom: Int32Array.from(from),
    edgeTo: Int32Array.from(to),
    weight: Float64Array.from(weight),
  };
}

function check(problem: MatchingProblem, mate: Int32Array): Best {
  const n = problem.vertexCount;
  const edgeWeight = new Map<number, number>();
  for (let k = 0; k < problem.edgeFrom.length; k++) {
    const u = problem.edgeFrom[k]!;
    const v = problem.edgeTo[k]!;
    const key = Math.min(u, v) * n + Math.max(u, v);
    edgeWeight.set(key, Math.max(edgeWeight.get(key) ?? Number.NEGATIVE_INFINITY, problem.weight[k]!));
  }
  let size = 0;
  let weight = 0;
  for (let v = 0; v < n; v++) {
    const u = mate[v]!;
    if (u === -1) continue;
    assert.equal(mate[u], v, `mate is not symmetric at ${v}`);
    if (v < u) {
      const w = edgeWeight.get(v * n + u);
      assert.notEqual(w, undefined, `matched a non-edge ${v}-${u}`);
      size++;
      weight += w!;
    }
  }
  return { size, weight };
}

describe('maxWeightMatching', () => {
  it('handles tiny and empty graphs', () => {
    const empty = { vertexCount: 0, edgeFrom: new Int32Array(), edgeTo: new Int32Array(), weight: new Float64Array() };
    assert.deepEqual([...maxWeightMatching(empty)], []);
    const one = { vertexCount: 2, edgeFrom: Int32Array.of(0), edgeTo: Int32Array.of(1), weight: Float64Array.of(5) };
    assert.deepEqual([...maxWeightMatching(one)], [1, 0]);
  });

  it('beats greedy on a path where the heaviest edge is a trap', () => {
    // a-b-c-d with b-c heaviest: greedy takes b-c (10); optimum is a-b + c-d (12).
    const problem = {
      vertexCount: 4,
      edgeFrom: Int32Array.of(0, 1, 2),
      edgeTo: Int32Array.of(1, 2, 3),
      weight: Float64Array.of(6, 10, 6),
    };
    assert.deepEqual([...maxWeightMatching(problem)], [1, 0, 3, 2]);
  });

  it('needs blossoms: odd cycles with a pendant edge', () => {
    // Triangle 0-1-2 with 2-3 hanging off: the optimum uses the pendant edge.
    const problem = {
      vertexCount: 4,
      edgeFrom: Int32Array.of(0, 1, 0, 2),
      edgeTo: Int32Array.of(1, 2, 2, 3),
      weight: Float64Array.of(5, 5, 5, 4),
    };
    const mate = maxWeightMatching(problem);
    assert.deepEqual(check(problem, mate), { size: 2, weight: 9 });
  });

  for (const maxCardinality of [false, true]) {
    it(`equals brute force on 3000 random graphs (maxCardinality=${maxCardinality})`, () => {
      const rng = createRng(`blossom-property-${maxCardinality}`);
      for (let trial = 0; trial < 3000; trial++) {
        const n = 1 + rng.nextInt(10);
        const density = 0.2 + rng.next() * 0.8;
        // Few distinct weights make many ties and many blossoms; wide ranges test the arithmetic.
        const maxWeight = [1, 3, 10, 1000, 2 ** 40][rng.nextInt(5)]!;
        const problem = randomGraph(rng, n, density, maxWeight, maxCardinality && rng.next() < 0.3);
        const got = check(problem, maxWeightMatching(problem, { maxCardinality }));
        const want = bruteForce(problem, maxCardinality);
        if (maxCardinality) assert.equal(got.size, want.size, `size, trial ${trial}`);
        assert.equal(got.weight, want.weight, `weight, trial ${trial} n=${n}`);
      }
    });
  }

  it('greedy start gives the optimum whenever the result is perfect (complete graphs)', () => {
    const rng = createRng('blossom-greedy');
    for (let trial = 0; trial < 1500; trial++) {
      const n = 2 * (1 + rng.nextInt(5));
      const maxWeight = [2, 5, 100, 2 ** 30][rng.nextInt(4)]!;
      const problem = randomGraph(rng, n, 1, maxWeight, false);
      const got = check(problem, maxWeightMatching(problem, { maxCardinality: true, greedyStart: true }));
      const want = bruteForce(problem, true);
      assert.equal(got.size, n / 2);
      assert.equal(got.weight, want.weight, `trial ${trial}`);
    }
  });

  it('greedy start always returns a valid maximum-cardinality matching', () => {
    const rng = createRng('blossom-greedy-sparse');
    for (let trial = 0; trial < 1500; trial++) {
      const n = 1 + rng.nextInt(10);
      const problem = randomGraph(rng, n, 0.3 + rng.next() * 0.5, 50, false);
      const got = check(problem, maxWeightMatching(problem, { maxCardinality: true, greedyStart: true }));
      assert.equal(got.size, bruteForce(problem, true).size, `trial ${trial}`);
    }
  });

  it('solves a 2000-vertex sparse graph quickly and validly', () => {
    const rng = createRng('blossom-large');
    const n = 2000;
    const from: number[] = [];
    const to: number[] = [];
    const weight: number[] = [];
    for (let u = 0; u < n; u++) {
      for (let e = 0; e < 6; e++) {
        const v = rng.nextInt(n);
        if (v === u) continue;
        from.push(u);
        to.push(v);
        weight.push(1 + rng.nextInt(1000));
      }
    }
    const problem = {
      vertexCount: n,
      edgeFrom: Int32Array.from(from),
      edgeTo: Int32Array.from(to),
      weight: Float64Array.from(weight),
    };
    const exact = check(problem, maxWeightMatching(problem, { maxCardinality: true }));
    const warm = check(problem, maxWeightMatching(problem, { maxCardinality: true, greedyStart: true }));
    assert.equal(warm.size, exact.size);
    if (exact.size === n / 2) assert.equal(warm.weight, exact.weight);
  });
});
