/**
 * Maximum-weight matching on a general (non-bipartite) graph: Edmonds' blossom algorithm in its
 * primal-dual form (Galil, "Efficient algorithms for finding maximum matching in graphs", 1986).
 * O(n^3) in the worst case; on the sparse graphs the engine builds it is far faster.
 *
 * Weights are doubled internally (duals start at the max weight and a slack is u+v-2w), so with
 * integer weights every dual is an integer or a half and every comparison is exact in a double as
 * long as weights stay below 2^50.
 */

export interface MatchingProblem {
  vertexCount: number;
  /** Edge k joins edgeFrom[k] and edgeTo[k]. */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  weight: Float64Array;
}

export interface MatchingOptions {
  /** Among the matchings of maximum size, return one of maximum weight. */
  maxCardinality?: boolean;
  /**
   * Start from a greedy matching with matching duals instead of the empty one. Much faster on large
   * graphs. Proven optimal only when the result is a perfect matching, so it needs maxCardinality.
   */
  greedyStart?: boolean;
}

/** mate[v] = the vertex matched with v, or -1. Swappable: the engine only depends on this shape. */
export type MatchingSolver = (problem: MatchingProblem, options?: MatchingOptions) => Int32Array;

export const maxWeightMatching: MatchingSolver = (problem, options = {}) => {
  const maxCardinality = options.maxCardinality ?? false;
  const greedyStart = options.greedyStart ?? false;
  if (greedyStart && !maxCardinality) throw new Error('greedyStart needs maxCardinality');
  return new BlossomMatcher(problem).solve(maxCardinality, greedyStart);
};

/** Python-style modulo for the signed walks around a blossom's cycle. */
function wrap(index: number, length: number): number {
  const r = index % length;
  return r < 0 ? r + length : r;
}

const FREE = 0;
const OUTER = 1; // "S": even distance from an exposed vertex
const INNER = 2; // "T": odd distance

class BlossomMatcher {
  private readonly n: number;
  private readonly from: Int32Array;
  private readonly to: Int32Array;
  private readonly w: Float64Array;
  /** endpoint[2k] = from[k], endpoint[2k+1] = to[k]; p ^ 1 is the other end of the same edge. */
  private readonly endpoint: Int32Array;
  /** For each vertex, the remote endpoints of its edges (CSR). */
  private readonly adjStart: Int32Array;
  private readonly adj: Int32Array;

  /** Remote endpoint of the matched edge, or -1. */
  private readonly mate: Int32Array;
  /** Indexed by vertex or blossom id (n..2n-1). */
  private readonly label: Int8Array;
  private readonly labelEnd: Int32Array;
  private readonly inBlossom: Int32Array;
  private readonly parent: Int32Array;
  private readonly children: (number[] | null)[];
  private readonly childEnds: (number[] | null)[];
  private readonly base: Int32Array;
  private readonly bestEdge: Int32Array;
  private readonly bestEdgeList: (number[] | null)[];
  private readonly unused: number[] = [];
  private readonly dual: Float64Array;
  /** An edge may be used this stage when allowStage[k] === stage (avoids an O(m) reset per stage). */
  private readonly allowStage: Int32Array;
  private stage = 0;
  private readonly queue: number[] = [];
  private readonly mark: Uint8Array;
  private readonly scratchBest: Int32Array;
  private readonly scratchStamp: Int32Array;
  private scratchCounter = 0;
  private readonly leafStack: number[] = [];
  // What this stage touched, so each dual adjustment costs O(size of the trees) instead of O(n).
  private readonly stageVertices: number[] = [];
  private readonly vertexStamp: Int32Array;
  private readonly stageBlossoms: number[] = [];
  private readonly blossomStamp: Int32Array;
  private readonly freeWithBest: number[] = [];
  private readonly freeBestStamp: Int32Array;
  private readonly outerWithBest: number[] = [];
  private readonly outerBestStamp: Int32Array;

  constructor(problem: MatchingProblem) {
    const n = problem.vertexCount;
    const m = problem.edgeFrom.length;
    if (problem.edgeTo.length !== m || problem.weight.length !== m) throw new Error('edge arrays differ in length');
    this.n = n;
    this.from = problem.edgeFrom;
    this.to = problem.edgeTo;
    this.w = problem.weight;
    this.endpoint = new Int32Array(2 * m);
    const degree = new Int32Array(n + 1);
    for (let k = 0; k < m; k++) {
      const u = this.from[k]!;
      const v = this.to[k]!;
      if (u === v || u < 0 || v < 0 || u >= n || v >= n) throw new Error(`bad edge ${u}-${v}`);
      this.endpoint[2 * k] = u;
      this.endpoint[2 * k + 1] = v;
      degree[u + 1]!++;
      degree[v + 1]!++;
    }
    for (let i = 0; i < n; i++) degree[i + 1]! += degree[i]!;
    this.adjStart = degree;
    this.adj = new Int32Array(2 * m);
    const fill = degree.slice(0, n);
    for (let k = 0; k < m; k++) {
      this.adj[fill[this.from[k]!]!++] = 2 * k + 1;
      this.adj[fill[this.to[k]!]!++] = 2 * k;
    }

    this.mate = new Int32Array(n).fill(-1);
    this.label = new Int8Array(2 * n);
    this.labelEnd = new Int32Array(2 * n).fill(-1);
    this.inBlossom = new Int32Array(n);
    for (let v = 0; v < n; v++) this.inBlossom[v] = v;
    this.parent = new Int32Array(2 * n).fill(-1);
    this.children = new Array<number[] | null>(2 * n).fill(null);
    this.childEnds = new Array<number[] | null>(2 * n).fill(null);
    this.base = new Int32Array(2 * n).fill(-1);
    for (let v = 0; v < n; v++) this.base[v] = v;
    this.bestEdge = new Int32Array(2 * n).fill(-1);
    this.bestEdgeList = new Array<number[] | null>(2 * n).fill(null);
    for (let b = 2 * n - 1; b >= n; b--) this.unused.push(b);
    this.dual = new Float64Array(2 * n);
    this.allowStage = new Int32Array(m);
    this.mark = new Uint8Array(2 * n);
    this.scratchBest = new Int32Array(2 * n);
    this.scratchStamp = new Int32Array(2 * n);
    this.vertexStamp = new Int32Array(n);
    this.blossomStamp = new Int32Array(2 * n);
    this.freeBestStamp = new Int32Array(n);
    this.outerBestStamp = new Int32Array(2 * n);
  }

  /** Record that blossom (or vertex) b got a label this stage: its duals now move with delta. */
  private trackLabelled(b: number): void {
    if (b >= this.n) {
      if (this.blossomStamp[b] !== this.stage) {
        this.blossomStamp[b] = this.stage;
        this.stageBlossoms.push(b);
      }
      const before = this.stageVertices.length;
      this.collectLeaves(b, this.stageVertices);
      // Keep only leaves not recorded yet (a relabelled child may already be in the list).
      let keep = before;
      for (let i = before; i < this.stageVertices.length; i++) {
        const x = this.stageVertices[i]!;
        if (this.vertexStamp[x] !== this.stage) {
          this.vertexStamp[x] = this.stage;
          this.stageVertices[keep++] = x;
        }
      }
      this.stageVertices.length = keep;
    } else if (this.vertexStamp[b] !== this.stage) {
      this.vertexStamp[b] = this.stage;
      this.stageVertices.push(b);
    }
  }

  private setFreeBest(w: number, k: number): void {
    this.bestEdge[w] = k;
    if (this.freeBestStamp[w] !== this.stage) {
      this.freeBestStamp[w] = this.stage;
      this.freeWithBest.push(w);
    }
  }

  private setOuterBest(b: number, k: number): void {
    this.bestEdge[b] = k;
    if (k !== -1 && this.outerBestStamp[b] !== this.stage) {
      this.outerBestStamp[b] = this.stage;
      this.outerWithBest.push(b);
    }
  }

  private slack(k: number): number {
    return this.dual[this.from[k]!]! + this.dual[this.to[k]!]! - 2 * this.w[k]!;
  }

  private collectLeaves(b: number, out: number[]): void {
    if (b < this.n) {
      out.push(b);
      return;
    }
    const stack = this.leafStack;
    const start = stack.length;
    stack.push(b);
    while (stack.length > start) {
      const x = stack.pop()!;
      if (x < this.n) out.push(x);
      else for (const c of this.children[x]!) stack.push(c);
    }
  }

  private leavesOf(b: number): number[] {
    const out: number[] = [];
    this.collectLeaves(b, out);
    return out;
  }

  /** Label the top-level blossom containing w; an inner label pulls its base's mate in as outer. */
  private assignLabel(w0: number, t0: number, p0: number): void {
    let w = w0;
    let t = t0;
    let p = p0;
    for (;;) {
      const b = this.inBlossom[w]!;
      this.label[w] = t;
      this.label[b] = t;
      this.labelEnd[w] = p;
      this.labelEnd[b] = p;
      this.bestEdge[w] = -1;
      this.bestEdge[b] = -1;
      this.trackLabelled(b);
      if (t === OUTER) {
        this.collectLeaves(b, this.queue);
        return;
      }
      const mateEnd = this.mate[this.base[b]!]!;
      w = this.endpoint[mateEnd]!;
      t = OUTER;
      p = mateEnd ^ 1;
    }
  }

  /**
   * Walk up the alternating trees from v and w together. A common blossom means the edge closes an
   * odd cycle (returns its base); reaching two roots means an augmenting path (returns -1).
   */
  private scanBlossom(v0: number, w0: number): number {
    const path: number[] = [];
    let found = -1;
    let v = v0;
    let w = w0;
    while (v !== -1 || w !== -1) {
      let b = this.inBlossom[v]!;
      if (this.mark[b] === 1) {
        found = this.base[b]!;
        break;
      }
      this.mark[b] = 1;
      path.push(b);
      if (this.labelEnd[b] === -1) {
        v = -1;
      } else {
        v = this.endpoint[this.labelEnd[b]!]!;
        b = this.inBlossom[v]!;
        v = this.endpoint[this.labelEnd[b]!]!;
      }
      if (w !== -1) {
        const t = v;
        v = w;
        w = t;
      }
    }
    for (const b of path) this.mark[b] = 0;
    return found;
  }

  private addBlossom(baseVertex: number, k: number): void {
    let v = this.from[k]!;
    let w = this.to[k]!;
    const bb = this.inBlossom[baseVertex]!;
    let bv = this.inBlossom[v]!;
    let bw = this.inBlossom[w]!;
    const b = this.unused.pop();
    if (b === undefined) throw new Error('blossom pool exhausted');
    this.base[b] = baseVertex;
    this.parent[b] = -1;
    this.parent[bb] = b;
    const path: number[] = [];
    const ends: number[] = [];
    while (bv !== bb) {
      this.parent[bv] = b;
      path.push(bv);
      ends.push(this.labelEnd[bv]!);
      v = this.endpoint[this.labelEnd[bv]!]!;
      bv = this.inBlossom[v]!;
    }
    path.push(bb);
    path.reverse();
    ends.reverse();
    ends.push(2 * k);
    while (bw !== bb) {
      this.parent[bw] = b;
      path.push(bw);
      ends.push(this.labelEnd[bw]! ^ 1);
      w = this.endpoint[this.labelEnd[bw]!]!;
      bw = this.inBlossom[w]!;
    }
    this.children[b] = path;
    this.childEnds[b] = ends;
    this.label[b] = OUTER;
    this.labelEnd[b] = this.labelEnd[bb]!;
    this.dual[b] = 0;
    for (const x of this.leavesOf(b)) {
      // Former inner vertices become outer and must now be scanned.
      if (this.label[this.inBlossom[x]!] === INNER) this.queue.push(x);
      this.inBlossom[x] = b;
    }

    // Keep, per neighbouring outer blossom, only the least-slack edge: that is all delta3 needs.
    const stamp = ++this.scratchCounter;
    const touched: number[] = [];
    const consider = (edge: number): void => {
      let j = this.to[edge]!;
      if (this.inBlossom[j] === b) j = this.from[edge]!;
      const bj = this.inBlossom[j]!;
      if (bj === b || this.label[bj] !== OUTER) return;
      if (this.scratchStamp[bj] !== stamp) {
        this.scratchStamp[bj] = stamp;
        this.scratchBest[bj] = edge;
        touched.push(bj);
      } else if (this.slack(edge) < this.slack(this.scratchBest[bj]!)) {
        this.scratchBest[bj] = edge;
      }
    };
    for (const sub of path) {
      const list = this.bestEdgeList[sub];
      if (list) {
        for (const edge of list) consider(edge);
      } else {
        for (const x of this.leavesOf(sub)) {
          for (let a = this.adjStart[x]!; a < this.adjStart[x + 1]!; a++) consider(this.adj[a]! >> 1);
        }
      }
      this.bestEdgeList[sub] = null;
      this.bestEdge[sub] = -1;
    }
    const best: number[] = [];
    let bestK = -1;
    let bestSlack = 0;
    for (const bj of touched) {
      const edge = this.scratchBest[bj]!;
      best.push(edge);
      const s = this.slack(edge);
      if (bestK === -1 || s < bestSlack) {
        bestK = edge;
        bestSlack = s;
      }
    }
    this.bestEdgeList[b] = best;
    this.setOuterBest(b, bestK);
    this.trackLabelled(b);
  }

  private expandBlossom(b: number, endStage: boolean): void {
    const ch = this.children[b]!;
    const ends = this.childEnds[b]!;
    for (const s of ch) {
      this.parent[s] = -1;
      if (s < this.n) this.inBlossom[s] = s;
      else if (endStage && this.dual[s] === 0) this.expandBlossom(s, endStage);
      else for (const x of this.leavesOf(s)) this.inBlossom[x] = s;
    }
    if (!endStage && this.label[b] === INNER) {
      // The blossom sat on an alternating path as an inner node: relabel the even-length half of
      // its cycle from the entry child back to the base so the tree stays alternating.
      const len = ch.length;
      const entry = this.inBlossom[this.endpoint[this.labelEnd[b]! ^ 1]!]!;
      let j = ch.indexOf(entry);
      let step: number;
      let trick: number;
      if (j & 1) {
        j -= len;
        step = 1;
        trick = 0;
      } else {
        step = -1;
        trick = 1;
      }
      let p = this.labelEnd[b]!;
      while (j !== 0) {
        this.label[this.endpoint[p ^ 1]!] = FREE;
        const q = ends[wrap(j - trick, len)]!;
        this.label[this.endpoint[q ^ trick ^ 1]!] = FREE;
        this.assignLabel(this.endpoint[p ^ 1]!, INNER, p);
        this.allowStage[q >> 1] = this.stage;
        j += step;
        p = ends[wrap(j - trick, len)]! ^ trick;
        this.allowStage[p >> 1] = this.stage;
        j += step;
      }
      const bv = ch[wrap(j, len)]!;
      this.label[this.endpoint[p ^ 1]!] = INNER;
      this.label[bv] = INNER;
      this.labelEnd[this.endpoint[p ^ 1]!] = p;
      this.labelEnd[bv] = p;
      this.bestEdge[bv] = -1;
      this.trackLabelled(bv);
      j += step;
      while (ch[wrap(j, len)] !== entry) {
        const sub = ch[wrap(j, len)]!;
        if (this.label[sub] === OUTER) {
          j += step;
          continue;
        }
        // A child off the path may still hold a vertex reached earlier through a non-tight edge.
        let reached = -1;
        for (const x of this.leavesOf(sub)) {
          if (this.label[x] !== FREE) {
            reached = x;
            break;
          }
        }
        if (reached >= 0) {
          this.label[reached] = FREE;
          this.label[this.endpoint[this.mate[this.base[sub]!]!]!] = FREE;
          this.assignLabel(reached, INNER, this.labelEnd[reached]!);
        }
        j += step;
      }
    }
    this.label[b] = FREE;
    this.labelEnd[b] = -1;
    this.children[b] = null;
    this.childEnds[b] = null;
    this.base[b] = -1;
    this.bestEdgeList[b] = null;
    this.bestEdge[b] = -1;
    this.unused.push(b);
  }

  /** Flip the matching inside blossom b so that vertex v becomes its base. */
  private augmentBlossom(b: number, v: number): void {
    let t = v;
    while (this.parent[t] !== b) t = this.parent[t]!;
    if (t >= this.n) this.augmentBlossom(t, v);
    const ch = this.children[b]!;
    const ends = this.childEnds[b]!;
    const len = ch.length;
    const i = ch.indexOf(t);
    let j = i;
    let step: number;
    let trick: number;
    if (i & 1) {
      j -= len;
      step = 1;
      trick = 0;
    } else {
      step = -1;
      trick = 1;
    }
    while (j !== 0) {
      j += step;
      let sub = ch[wrap(j, len)]!;
      const p = ends[wrap(j - trick, len)]! ^ trick;
      if (sub >= this.n) this.augmentBlossom(sub, this.endpoint[p]!);
      j += step;
      sub = ch[wrap(j, len)]!;
      if (sub >= this.n) this.augmentBlossom(sub, this.endpoint[p ^ 1]!);
      this.mate[this.endpoint[p]!] = p ^ 1;
      this.mate[this.endpoint[p ^ 1]!] = p;
    }
    this.children[b] = ch.slice(i).concat(ch.slice(0, i));
    this.childEnds[b] = ends.slice(i).concat(ends.slice(0, i));
    this.base[b] = this.base[this.children[b]![0]!]!;
  }

  private augmentMatching(k: number): void {
    for (let side = 0; side < 2; side++) {
      let s = side === 0 ? this.from[k]! : this.to[k]!;
      let p = side === 0 ? 2 * k + 1 : 2 * k;
      for (;;) {
        const bs = this.inBlossom[s]!;
        if (bs >= this.n) this.augmentBlossom(bs, s);
        this.mate[s] = p;
        if (this.labelEnd[bs] === -1) break;
        const t = this.endpoint[this.labelEnd[bs]!]!;
        const bt = this.inBlossom[t]!;
        s = this.endpoint[this.labelEnd[bt]!]!;
        const j = this.endpoint[this.labelEnd[bt]! ^ 1]!;
        if (bt >= this.n) this.augmentBlossom(bt, j);
        this.mate[j] = this.labelEnd[bt]!;
        p = this.labelEnd[bt]! ^ 1;
      }
    }
  }

  /**
   * Each vertex takes the smallest dual that keeps its edges feasible, then grabs a tight edge to a
   * still-free neighbour. Matched edges are tight, so the primal-dual invariants hold from here on.
   */
  private greedyInit(): void {
    const n = this.n;
    for (let v = 0; v < n; v++) {
      let best = Number.NEGATIVE_INFINITY;
      for (let a = this.adjStart[v]!; a < this.adjStart[v + 1]!; a++) {
        const wk = this.w[this.adj[a]! >> 1]!;
        if (wk > best) best = wk;
      }
      this.dual[v] = best === Number.NEGATIVE_INFINITY ? 0 : best;
    }
    for (let v = 0; v < n; v++) {
      if (this.mate[v] !== -1) continue;
      let need = Number.NEGATIVE_INFINITY;
      for (let a = this.adjStart[v]!; a < this.adjStart[v + 1]!; a++) {
        const p = this.adj[a]!;
        const d = 2 * this.w[p >> 1]! - this.dual[this.endpoint[p]!]!;
        if (d > need) need = d;
      }
      if (need === Number.NEGATIVE_INFINITY) continue;
      this.dual[v] = need;
      for (let a = this.adjStart[v]!; a < this.adjStart[v + 1]!; a++) {
        const p = this.adj[a]!;
        const u = this.endpoint[p]!;
        if (this.mate[u] === -1 && this.slack(p >> 1) === 0) {
          this.mate[v] = p;
          this.mate[u] = p ^ 1;
          break;
        }
      }
    }
  }

  solve(maxCardinality: boolean, greedyStart: boolean): Int32Array {
    const n = this.n;
    const result = new Int32Array(n).fill(-1);
    if (n === 0 || this.from.length === 0) return result;

    if (greedyStart) {
      this.greedyInit();
    } else {
      let maxWeight = 0;
      for (let k = 0; k < this.w.length; k++) if (this.w[k]! > maxWeight) maxWeight = this.w[k]!;
      this.dual.fill(maxWeight, 0, n);
    }

    for (let round = 0; round < n; round++) {
      this.stage++;
      this.label.fill(FREE);
      this.bestEdge.fill(-1);
      for (let b = n; b < 2 * n; b++) this.bestEdgeList[b] = null;
      this.queue.length = 0;
      this.stageVertices.length = 0;
      this.stageBlossoms.length = 0;
      this.freeWithBest.length = 0;
      this.outerWithBest.length = 0;
      for (let v = 0; v < n; v++) {
        if (this.mate[v] === -1 && this.label[this.inBlossom[v]!] === FREE) this.assignLabel(v, OUTER, -1);
      }

      let augmented = false;
      for (;;) {
        augmented = this.grow();
        if (augmented) break;
        if (!this.adjustDuals(maxCardinality)) break;
      }
      if (!augmented) break;

      // Blossoms whose dual fell to zero have no reason to stay shrunk into the next stage.
      for (let b = n; b < 2 * n; b++) {
        if (this.parent[b] === -1 && this.base[b]! >= 0 && this.label[b] === OUTER && this.dual[b] === 0) {
          this.expandBlossom(b, true);
        }
      }
    }

    for (let v = 0; v < n; v++) {
      const p = this.mate[v]!;
      if (p >= 0) result[v] = this.endpoint[p]!;
    }
    return result;
  }

  /** Scan outer vertices along tight edges. Returns true once the matching was augmented. */
  private grow(): boolean {
    while (this.queue.length > 0) {
      const v = this.queue.pop()!;
      for (let a = this.adjStart[v]!; a < this.adjStart[v + 1]!; a++) {
        const p = this.adj[a]!;
        const k = p >> 1;
        const w = this.endpoint[p]!;
        if (this.inBlossom[v] === this.inBlossom[w]) continue;
        let kslack = 0;
        if (this.allowStage[k] !== this.stage) {
          kslack = this.slack(k);
          if (kslack <= 0) this.allowStage[k] = this.stage;
        }
        const bw = this.inBlossom[w]!;
        if (this.allowStage[k] === this.stage) {
          if (this.label[bw] === FREE) {
            this.assignLabel(w, INNER, p ^ 1);
          } else if (this.label[bw] === OUTER) {
            const b = this.scanBlossom(v, w);
            if (b >= 0) {
              this.addBlossom(b, k);
            } else {
              this.augmentMatching(k);
              return true;
            }
          } else if (this.label[w] === FREE) {
            // w sits inside an inner blossom; remember how it was reached in case that blossom expands.
            this.label[w] = INNER;
            this.labelEnd[w] = p ^ 1;
          }
        } else if (this.label[bw] === OUTER) {
          const b = this.inBlossom[v]!;
          if (this.bestEdge[b] === -1 || kslack < this.slack(this.bestEdge[b]!)) this.setOuterBest(b, k);
        } else if (this.label[w] === FREE) {
          if (this.bestEdge[w] === -1 || kslack < this.slack(this.bestEdge[w]!)) this.setFreeBest(w, k);
        }
      }
    }
    return false;
  }

  /** Change duals by the largest safe amount. Returns false when the optimum has been reached. */
  private adjustDuals(maxCardinality: boolean): boolean {
    const n = this.n;
    let type = -1;
    let delta = 0;
    let edge = -1;
    let blossom = -1;
    if (!maxCardinality) {
      type = 1;
      delta = Number.POSITIVE_INFINITY;
      for (let v = 0; v < n; v++) if (this.dual[v]! < delta) delta = this.dual[v]!;
    }
    for (const v of this.freeWithBest) {
      const be = this.bestEdge[v]!;
      if (be !== -1 && this.label[this.inBlossom[v]!] === FREE) {
        const d = this.slack(be);
        if (type === -1 || d < delta) {
          delta = d;
          type = 2;
          edge = be;
        }
      }
    }
    for (const b of this.outerWithBest) {
      const be = this.bestEdge[b]!;
      if (be !== -1 && this.parent[b] === -1 && this.label[b] === OUTER) {
        const d = this.slack(be) / 2;
        if (type === -1 || d < delta) {
          delta = d;
          type = 3;
          edge = be;
        }
      }
    }
    for (const b of this.stageBlossoms) {
      if (
        this.base[b]! >= 0 &&
        this.parent[b] === -1 &&
        this.label[b] === INNER &&
        (type === -1 || this.dual[b]! < delta)
      ) {
        delta = this.dual[b]!;
        type = 4;
        blossom = b;
      }
    }
    if (type === -1) {
      // Max-cardinality mode and no way to grow further: the matching is final.
      type = 1;
      let minDual = Number.POSITIVE_INFINITY;
      for (let v = 0; v < n; v++) if (this.dual[v]! < minDual) minDual = this.dual[v]!;
      delta = Math.max(0, minDual);
    }

    // Only vertices and blossoms labelled this stage can have a label, so only they move.
    for (const v of this.stageVertices) {
      const l = this.label[this.inBlossom[v]!];
      if (l === OUTER) this.dual[v]! -= delta;
      else if (l === INNER) this.dual[v]! += delta;
    }
    for (const b of this.stageBlossoms) {
      if (this.base[b]! >= 0 && this.parent[b] === -1) {
        if (this.label[b] === OUTER) this.dual[b]! += delta;
        else if (this.label[b] === INNER) this.dual[b]! -= delta;
      }
    }

    if (type === 1) return false;
    if (type === 2) {
      this.allowStage[edge] = this.stage;
      let i = this.from[edge]!;
      if (this.label[this.inBlossom[i]!] === FREE) i = this.to[edge]!;
      this.queue.push(i);
    } else if (type === 3) {
      this.allowStage[edge] = this.stage;
      this.queue.push(this.from[edge]!);
    } else {
      this.expandBlossom(blossom, false);
    }
    return true;
  }
}
