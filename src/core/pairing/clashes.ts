import type { Rng } from './rng.js';
import type { PairingMember } from './types.js';

/**
 * Pairs the plan should schedule as late as possible: same team (cost 1) and manager–report (cost 2),
 * as a graph in CSR form: person p clashes with other[start[p] .. start[p+1]) at cost[...].
 */
export interface Clashes {
  start: Int32Array;
  other: Int32Array;
  cost: Float64Array;
}

/** Σ s² over teams above which listing every teammate pair would cost more than it is worth. */
const MAX_TEAM_WORK = 20_000_000;

/** Who clashes with whom among `members` (indices are positions in the array), or null if nobody. */
export function clashLists(members: readonly PairingMember[]): Clashes | null {
  const personOf = new Map<string, number>();
  members.forEach((member, i) => {
    personOf.set(member.id, i);
  });
  const lists: Map<number, number>[] = members.map(() => new Map());
  const bump = (a: number, b: number, cost: number): void => {
    lists[a]!.set(b, (lists[a]!.get(b) ?? 0) + cost);
    lists[b]!.set(a, (lists[b]!.get(a) ?? 0) + cost);
  };
  const teams = new Map<string, number[]>();
  members.forEach((member, i) => {
    if (!member.team) return;
    const list = teams.get(member.team);
    if (list) list.push(i);
    else teams.set(member.team, [i]);
  });
  let work = 0;
  for (const list of teams.values()) work += list.length * list.length;
  let any = false;
  if (work <= MAX_TEAM_WORK) {
    for (const list of teams.values()) {
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) {
          bump(list[x]!, list[y]!, 1);
          any = true;
        }
      }
    }
  }
  members.forEach((member, i) => {
    const boss = member.managerId ? personOf.get(member.managerId) : undefined;
    if (boss !== undefined && boss !== i) {
      bump(i, boss, 2);
      any = true;
    }
  });
  if (!any) return null;
  return toCsr(lists);
}

export function toCsr(lists: readonly Map<number, number>[]): Clashes {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((map, p) => {
    start[p + 1] = start[p]! + map.size;
  });
  const other = new Int32Array(start[lists.length]!);
  const cost = new Float64Array(other.length);
  lists.forEach((map, p) => {
    let at = start[p]!;
    for (const [q, c] of map) {
      other[at] = q;
      cost[at] = c;
      at++;
    }
  });
  return { start, other, cost };
}

/** The most clash partners anyone has: each needs a round of its own, so no plan has more clean rounds than m − this. */
export function maxClashDegree(clashes: Clashes): number {
  let most = 0;
  for (let p = 0; p + 1 < clashes.start.length; p++) most = Math.max(most, clashes.start[p + 1]! - clashes.start[p]!);
  return most;
}

/** Clash cost scheduled in each of the m plan rounds, for people placed at slotOfPerson. */
export function clashLoads(
  clashes: Clashes,
  slotOfPerson: Int32Array,
  roundOf: (a: number, b: number) => number,
  m: number,
): Float64Array {
  const load = new Float64Array(m);
  const people = clashes.start.length - 1;
  for (let p = 0; p < people; p++) {
    for (let e = clashes.start[p]!; e < clashes.start[p + 1]!; e++) {
      const q = clashes.other[e]!;
      if (q > p) load[roundOf(slotOfPerson[p]!, slotOfPerson[q]!)]! += clashes.cost[e]!;
    }
  }
  return load;
}

/** Worth of one more clash-free round in the hill-climb: more than any change in Σ load² can be. */
const DIRTY = 2 ** 48;

/**
 * Hill-climb over slot swaps maximising first the number of clash-free rounds, then Σ load(round)²
 * — with the total load fixed, a larger sum of squares means clashes share fewer rounds, which opens
 * the way to more clash-free rounds. `pickPartner`
 * chooses whom a person may trade slots with (anyone, or only someone of the same group); the rng is
 * seeded by the roster so the result is the same every round the roster is.
 */
export function concentrateClashes(
  slotOfPerson: Int32Array,
  clashes: Clashes,
  roundOf: (a: number, b: number) => number,
  m: number,
  rng: Rng,
  swaps: number,
  pickPartner: (a: number) => number,
): void {
  const people = clashes.start.length - 1;
  const load = clashLoads(clashes, slotOfPerson, roundOf, m);
  const { start, other, cost } = clashes;
  // Move person p's clash pairs out of (sign -1) or into (sign +1) the load; returns the change in Σ load².
  const shift = (p: number, sign: number, skip: number): number => {
    let change = 0;
    if (p >= people) return 0;
    const sp = slotOfPerson[p]!;
    for (let e = start[p]!; e < start[p + 1]!; e++) {
      const q = other[e]!;
      if (q === skip) continue;
      const r = roundOf(sp, slotOfPerson[q]!);
      const before = load[r]!;
      const after = before + sign * cost[e]!;
      load[r] = after;
      change += after * after - before * before;
      if (before === 0) change -= DIRTY;
      else if (after === 0) change += DIRTY;
    }
    return change;
  };
  const movable: number[] = [];
  for (let p = 0; p < people; p++) if (start[p + 1]! > start[p]!) movable.push(p);
  if (movable.length === 0) return;
  for (let i = 0; i < swaps; i++) {
    const a = movable[rng.nextInt(movable.length)]!;
    const b = pickPartner(a);
    if (a === b) continue;
    // Pairs between a and b keep their round when the two trade slots, so leave them out.
    let change = shift(a, -1, b) + shift(b, -1, a);
    swapSlots(slotOfPerson, a, b);
    change += shift(a, 1, b) + shift(b, 1, a);
    if (change < 0) {
      shift(a, -1, b);
      shift(b, -1, a);
      swapSlots(slotOfPerson, a, b);
      shift(a, 1, b);
      shift(b, 1, a);
    }
  }
}

function swapSlots(slotOfPerson: Int32Array, a: number, b: number): void {
  const t = slotOfPerson[a]!;
  slotOfPerson[a] = slotOfPerson[b]!;
  slotOfPerson[b] = t;
}
