import { type Clashes, clashLoads, concentrateClashes, maxClashDegree, toCsr } from './clashes.js';
import { circleRound, type GroupedRounds, groupedRounds } from './groupedRounds.js';
import type { Rng } from './rng.js';
import type { PairingMember } from './types.js';

/**
 * Places the roster on a grouped round-robin (groupedRounds.ts) so that same-team and manager–report
 * pairs fall inside groups, hence into the last rounds of the cycle.
 *
 * For group sizes s dividing S/2 (so the k = S/s groups can be paired off), people are packed
 * into groups: whole teams first (a teamless manager with their teamless reports counts as one),
 * large teams split into full groups, then swaps between groups that cut fewer clash pairs. Groups
 * whose members still clash (a split team, a manager in another team) are placed on the group-level
 * circle so those pairs share few group rounds, and positions inside groups so they share few rounds.
 * The layout with the most clash-free rounds wins; a layout reaching the bound (no plan can keep
 * anyone clear of clashes for more than S − 1 − their clash partners rounds) ends the search.
 */

export interface TeamLayout {
  readonly rounds: GroupedRounds;
  /** Slot of each person; index `people` is the bye when the roster is odd. */
  readonly slotOfPerson: Int32Array;
  /** Clash cost scheduled in each round. */
  readonly load: Float64Array;
}

/** Group sizes tried per roster, up to SMALL_ROSTER slots and above. */
const MAX_CANDIDATES = 8;
const LARGE_CANDIDATES = 3;
const SMALL_ROSTER = 256;
const SWAPS_PER_PERSON = 40;
/** Swaps between groups tried per person; each is aimed at a clash partner's group, so few suffice. */
const CUT_SWAPS_PER_PERSON = 10;
const MAX_SWAPS = 100_000;

export function teamLayout(
  members: readonly PairingMember[],
  clashes: Clashes,
  slots: number,
  rngFor: (label: string) => Rng,
): TeamLayout {
  const units = teamUnits(members);
  const largest = Math.max(...units.map((u) => u.length));
  const bound = slots - 1 - maxClashDegree(clashes);
  let best: (Draft & { clean: number; spread: number }) | null = null;
  for (const s of candidateSizes(slots, largest)) {
    const draft = draftLayout(units, clashes, slots, s, rngFor(`s${s}`));
    const score = scoreOf(draft.load);
    if (!best || score.clean > best.clean || (score.clean === best.clean && score.spread > best.spread))
      best = { ...draft, ...score };
    if (best.clean >= bound) return best;
  }
  // Only the winner is polished: a hill-climb per candidate would cost more than the plan is worth.
  polish(best!, clashes, rngFor(`polish${best!.s}`));
  return best!;
}

function scoreOf(load: Float64Array): { clean: number; spread: number } {
  let clean = 0;
  let spread = 0;
  for (const l of load) {
    if (l === 0) clean++;
    spread += l * l;
  }
  return { clean, spread };
}

/**
 * Divisors s of S/2: the smallest that holds the largest team first, then larger ones, then smaller
 * ones (largest first), and s = 1 (the plain circle). Large rosters try only a few: their clean rounds
 * already outnumber the rounds the group will ever play.
 */
function candidateSizes(slots: number, largest: number): number[] {
  const half = slots / 2;
  const divisors: number[] = [];
  for (let s = 2; s <= half; s++) if (half % s === 0) divisors.push(s);
  const holding = divisors.filter((s) => s >= largest);
  const smaller = divisors.filter((s) => s < largest).reverse();
  const ordered = [...holding, ...smaller];
  return slots <= SMALL_ROSTER ? [...ordered.slice(0, MAX_CANDIDATES - 1), 1] : ordered.slice(0, LARGE_CANDIDATES);
}

/** People who belong together: a team, or a teamless manager with their teamless reports. */
function teamUnits(members: readonly PairingMember[]): number[][] {
  const parent = members.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const union = (a: number, b: number): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstOfTeam = new Map<string, number>();
  const personOf = new Map<string, number>();
  members.forEach((m, i) => {
    personOf.set(m.id, i);
    if (!m.team) return;
    const first = firstOfTeam.get(m.team);
    if (first === undefined) firstOfTeam.set(m.team, i);
    else union(first, i);
  });
  members.forEach((m, i) => {
    const boss = m.managerId ? personOf.get(m.managerId) : undefined;
    if (boss !== undefined && !m.team && !members[boss]!.team) union(boss, i);
  });
  const byRoot = new Map<number, number[]>();
  members.forEach((_, i) => {
    const root = find(i);
    const list = byRoot.get(root);
    if (list) list.push(i);
    else byRoot.set(root, [i]);
  });
  // Members arrive in a fixed hash order, so this order is the same for the same roster.
  return [...byRoot.values()].sort((a, b) => b.length - a.length || a[0]! - b[0]!);
}

interface Draft extends TeamLayout {
  s: number;
  groupOf: Int32Array;
  membersOf: number[][];
  load: Float64Array;
}

function draftLayout(units: readonly number[][], clashes: Clashes, slots: number, s: number, rng: Rng): Draft {
  const k = slots / s;
  const people = clashes.start.length - 1;
  const groupOf = packGroups(units, slots, s, people);
  cutFewerClashes(groupOf, clashes, s, rng, Math.min(MAX_SWAPS, CUT_SWAPS_PER_PERSON * slots));

  // Group level: which group takes which place on the circle over groups.
  const groupClash: Map<number, number>[] = Array.from({ length: k }, () => new Map());
  for (let p = 0; p < people; p++) {
    for (let e = clashes.start[p]!; e < clashes.start[p + 1]!; e++) {
      const q = clashes.other[e]!;
      const gp = groupOf[p]!;
      const gq = groupOf[q]!;
      if (gp !== gq) groupClash[gp]!.set(gq, (groupClash[gp]!.get(gq) ?? 0) + clashes.cost[e]!);
    }
  }
  const groupClashes = toCsr(groupClash);
  const placeOfGroup = Int32Array.from({ length: k }, (_, g) => g);
  const groupRound = (a: number, b: number): number => circleRound(a, b, k);
  const groupSwaps = Math.min(MAX_SWAPS, SWAPS_PER_PERSON * k);
  concentrateClashes(placeOfGroup, groupClashes, groupRound, k - 1, rng.fork('groups'), groupSwaps, () =>
    rng.nextInt(k),
  );
  // Odd s sets one group round aside for the within-group leftovers: the one that clashes most.
  const groupLoad = clashLoads(groupClashes, placeOfGroup, groupRound, k - 1);
  let r0 = 0;
  for (let r = 1; r < k - 1; r++) if (groupLoad[r]! > groupLoad[r0]!) r0 = r;
  const rounds = groupedRounds(k, s, r0);

  const membersOf: number[][] = Array.from({ length: k }, () => []);
  for (let p = 0; p < slots; p++) membersOf[groupOf[p]!]!.push(p);
  // People with clash partners in other groups go to the first positions: in cross rounds (g, p)
  // meets (g', q) when p + q ≡ c, so aligned positions put those pairs into few values of c.
  const outside = new Float64Array(slots);
  for (let p = 0; p < people; p++) {
    for (let e = clashes.start[p]!; e < clashes.start[p + 1]!; e++) {
      if (groupOf[clashes.other[e]!] !== groupOf[p]) outside[p] = outside[p]! + clashes.cost[e]!;
    }
  }
  for (const list of membersOf) list.sort((a, b) => outside[b]! - outside[a]! || a - b);
  const slotOfPerson = new Int32Array(slots);
  membersOf.forEach((list, g) => {
    list.forEach((p, position) => {
      slotOfPerson[p] = placeOfGroup[g]! * s + position;
    });
  });
  return {
    s,
    groupOf,
    membersOf,
    rounds,
    slotOfPerson,
    load: clashLoads(clashes, slotOfPerson, rounds.roundOf, rounds.cycleLength),
  };
}

/** Hill-climb over swaps of positions inside groups (s = 1 has none: its group level was the climb). */
function polish(draft: Draft, clashes: Clashes, rng: Rng): void {
  if (draft.s === 1) return;
  const people = clashes.start.length - 1;
  const { rounds, slotOfPerson, membersOf, groupOf } = draft;
  const swaps = Math.min(MAX_SWAPS, SWAPS_PER_PERSON * people);
  concentrateClashes(slotOfPerson, clashes, rounds.roundOf, rounds.cycleLength, rng, swaps, (a) => {
    const list = membersOf[groupOf[a]!]!;
    return list[rng.nextInt(list.length)]!;
  });
  draft.load = clashLoads(clashes, slotOfPerson, rounds.roundOf, rounds.cycleLength);
}

/**
 * Fills k groups of s: units of s or more take whole groups, the rest of a unit goes where it fits
 * most snugly (or, if nowhere, spills over the emptiest groups). Person index `people` (if any) is
 * the odd roster's bye, packed like a teamless person.
 */
function packGroups(units: readonly number[][], slots: number, s: number, people: number): Int32Array {
  const k = slots / s;
  const groupOf = new Int32Array(slots).fill(-1);
  const free = new Int32Array(k).fill(s);
  const singles: number[] = [];
  let nextEmpty = 0;
  for (const unit of units) {
    if (unit.length === 1) {
      singles.push(unit[0]!);
      continue;
    }
    let at = 0;
    while (unit.length - at >= s) {
      while (nextEmpty < k && free[nextEmpty] !== s) nextEmpty++;
      if (nextEmpty === k) break;
      for (let i = 0; i < s; i++) groupOf[unit[at++]!] = nextEmpty;
      free[nextEmpty] = 0;
    }
    let rest = unit.length - at;
    if (rest === 0) continue;
    let snug = -1;
    for (let g = 0; g < k; g++) if (free[g]! >= rest && (snug === -1 || free[g]! < free[snug]!)) snug = g;
    while (rest > 0) {
      let g = snug;
      if (g === -1) {
        g = 0;
        for (let h = 1; h < k; h++) if (free[h]! > free[g]!) g = h;
      }
      const take = Math.min(rest, free[g]!);
      for (let i = 0; i < take; i++) groupOf[unit[at++]!] = g;
      free[g] = free[g]! - take;
      rest -= take;
      snug = -1;
    }
  }
  if (slots > people) singles.push(people);
  let g = 0;
  for (const p of singles) {
    while (free[g] === 0) g++;
    groupOf[p] = g;
    free[g] = free[g]! - 1;
  }
  return groupOf;
}

/**
 * Swaps people between groups while that lowers the clash cost between groups. A person trades with
 * someone from the group of one of their clash partners, which is where a useful swap can be.
 */
function cutFewerClashes(groupOf: Int32Array, clashes: Clashes, s: number, rng: Rng, swaps: number): void {
  const slots = groupOf.length;
  const people = clashes.start.length - 1;
  const { start, other, cost } = clashes;
  const movable: number[] = [];
  for (let p = 0; p < people; p++) {
    for (let e = start[p]!; e < start[p + 1]!; e++) {
      if (groupOf[other[e]!] !== groupOf[p]) {
        movable.push(p);
        break;
      }
    }
  }
  if (movable.length === 0) return;
  const k = slots / s;
  const members = new Int32Array(slots);
  const placeInGroup = new Int32Array(slots);
  const filled = new Int32Array(k);
  for (let p = 0; p < slots; p++) {
    const g = groupOf[p]!;
    members[g * s + filled[g]!] = p;
    placeInGroup[p] = filled[g]!;
    filled[g] = filled[g]! + 1;
  }
  // Change in cut cost if p moved from group `from` to group `to`, ignoring their pair with `skip`.
  const moveCost = (p: number, from: number, to: number, skip: number): number => {
    if (p >= people) return 0;
    let change = 0;
    for (let e = start[p]!; e < start[p + 1]!; e++) {
      const q = other[e]!;
      if (q === skip) continue;
      const gq = groupOf[q]!;
      change += ((gq !== to ? 1 : 0) - (gq !== from ? 1 : 0)) * cost[e]!;
    }
    return change;
  };
  for (let i = 0; i < swaps; i++) {
    const a = movable[rng.nextInt(movable.length)]!;
    const degree = start[a + 1]! - start[a]!;
    const partner = other[start[a]! + rng.nextInt(degree)]!;
    const ga = groupOf[a]!;
    const gb = groupOf[partner]!;
    if (ga === gb) continue;
    const b = members[gb * s + rng.nextInt(s)]!;
    if (moveCost(a, ga, gb, b) + moveCost(b, gb, ga, a) < 0) {
      groupOf[a] = gb;
      groupOf[b] = ga;
      const at = placeInGroup[a]!;
      placeInGroup[a] = placeInGroup[b]!;
      placeInGroup[b] = at;
      members[gb * s + placeInGroup[a]!] = a;
      members[ga * s + placeInGroup[b]!] = b;
    }
  }
}
