import { createRng, hashString, type Rng } from './rng.js';
import type { PairingMember } from './types.js';

/**
 * Round-robin plan (circle method) over the group's roster.
 *
 * Why: choosing each round's best matching on its own can paint later rounds into a corner — after
 * a few rounds the people someone has not met may only be reachable through pairs already used, so
 * a repeat becomes forced long before everyone has met everyone. A 1-factorisation of the roster
 * avoids that: if each round follows it, n−1 rounds never repeat a pair. The engine does not obey
 * the plan blindly; it gives the plan's pairs a bonus below novelty, so when people skip, join or
 * leave, the matching still picks the best novel pairs and the plan only breaks ties.
 *
 * Slots: the roster ordered by a fixed hash of the id (independent of the round's seed, so the plan
 * is the same every round while the roster is), plus a "bye" slot when the roster is odd. With S
 * slots (S even) and m = S−1 rounds, slot S−1 is the hub; in round r it meets slot r, and slots
 * i, j < m meet when i + j ≡ 2r (mod m).
 *
 * Team awareness: everyone meets everyone once per cycle, so teammates must meet at some point; the
 * plan only decides when. Slots are first rearranged to pile same-team and manager–report pairs
 * into as few rounds as possible, then unplayed rounds are played cleanest first, which pushes those
 * pairs to the end of the cycle — for a large group, past any horizon it will ever reach.
 */

const PLAN_SALT = 0x5eedc1c1;

/** No bonus. */
export const PLAN_NONE = 0;
/** Scheduled for an earlier round of this cycle, yet they still have not met: no future slot left. */
export const PLAN_OVERDUE = 1;
/** Scheduled for exactly this round. */
export const PLAN_NOW = 2;

export interface PlanLayout {
  /** Rounds per cycle (0 when the roster is too small for a plan). */
  readonly cycleLength: number;
  readonly slotOf: ReadonlyMap<string, number>;
  /** The odd roster's extra slot, or -1. Whoever the plan pairs with it is that round's odd one out. */
  readonly byeSlot: number;
  /** The plan round (0..cycleLength−1) in which two slots meet. */
  roundOf(slotA: number, slotB: number): number;
  /** The slot that `slot` meets in a plan round. */
  partnerAt(slot: number, round: number): number;
  /** Same-team and manager–report pairs scheduled in a round (manager pairs count 2). */
  clashLoad(round: number): number;
}

export interface RoundRobinPlan extends PlanLayout {
  /** The plan round played now, or -1 without a plan. */
  readonly current: number;
  /** Plan rounds already played in this cycle. */
  isDone(round: number): boolean;
  /** PLAN_NOW, PLAN_OVERDUE or PLAN_NONE for two slots. */
  levelOf(slotA: number, slotB: number): number;
  /** A few played rounds, for looking up overdue partners cheaply. */
  readonly someDoneRounds: readonly number[];
}

/** Σ s² over teams above which team-aware layout would cost more than it is worth. */
const MAX_TEAM_WORK = 20_000_000;
/** Slot swaps tried per roster member when rearranging for teams. */
const SWAPS_PER_PERSON = 40;
const MAX_SWAPS = 100_000;

export function buildPlanLayout(roster: readonly PairingMember[]): PlanLayout {
  const unique = new Map<string, PairingMember>();
  for (const member of roster) if (!unique.has(member.id)) unique.set(member.id, member);
  const members = [...unique.values()]
    .map((member) => ({ member, key: hashString(member.id, PLAN_SALT) }))
    .sort((a, b) => a.key - b.key || (a.member.id < b.member.id ? -1 : a.member.id > b.member.id ? 1 : 0))
    .map((entry) => entry.member);
  const people = members.length;
  const slots = people % 2 === 0 ? people : people + 1;
  const byeSlot = people % 2 === 0 ? -1 : people;
  const m = slots - 1;
  const slotOf = new Map<string, number>();
  if (m < 1) {
    members.forEach((member, slot) => {
      slotOf.set(member.id, slot);
    });
    return { cycleLength: 0, slotOf, byeSlot, roundOf: () => 0, partnerAt: (slot) => slot, clashLoad: () => 0 };
  }

  const hub = slots - 1;
  const halfInverse = (m + 1) / 2; // 2 * halfInverse ≡ 1 (mod m), as m is odd
  const roundOf = (a: number, b: number): number => {
    if (a === hub) return b;
    if (b === hub) return a;
    return ((a + b) * halfInverse) % m;
  };

  const slotOfPerson = Int32Array.from({ length: people }, (_, i) => i);
  const clashes = clashLists(members);
  if (clashes) concentrateClashes(slotOfPerson, clashes, roundOf, m, members);
  members.forEach((member, person) => {
    slotOf.set(member.id, slotOfPerson[person]!);
  });
  const load = clashes ? clashLoads(clashes, slotOfPerson, roundOf, m) : new Float64Array(m);

  return {
    cycleLength: m,
    slotOf,
    byeSlot,
    roundOf,
    partnerAt: (slot, round) => {
      if (slot === hub) return round;
      if (slot === round) return hub;
      return (((2 * round - slot) % m) + m) % m;
    },
    clashLoad: (round) => load[round]!,
  };
}

/**
 * Where the group is in the cycle, read from who has already met rather than from a round counter:
 * each plan round's pairs are sampled, and rounds whose pairs have met more often than the rest are
 * "played". This stays right when rounds are skipped or the plan changed because the roster did.
 *
 * The round to play now is an unplayed one with the fewest team clashes; among equally clean ones
 * the seed chooses (any unplayed round keeps the cycle repeat-free, and this lets a re-shuffle with
 * a new seed give a different round).
 */
export function locateRound(
  layout: PlanLayout,
  meetings: (slotA: number, slotB: number) => number | null,
  rng: Rng,
): RoundRobinPlan {
  const m = layout.cycleLength;
  if (m === 0) {
    return { ...layout, current: -1, isDone: () => false, levelOf: () => PLAN_NONE, someDoneRounds: [] };
  }
  const level = sampleRoundLevels(layout, meetings);
  const threshold = splitThreshold(level);
  const done = new Uint8Array(m);
  for (let r = 0; r < m; r++) done[r] = threshold !== null && level[r]! >= threshold ? 1 : 0;

  let cleanest = Number.POSITIVE_INFINITY;
  for (let r = 0; r < m; r++) if (!done[r]) cleanest = Math.min(cleanest, layout.clashLoad(r));
  const candidates: number[] = [];
  for (let r = 0; r < m; r++) if (!done[r] && layout.clashLoad(r) === cleanest) candidates.push(r);
  const current = candidates[rng.nextInt(candidates.length)]!;
  const played: number[] = [];
  for (let r = 0; r < m; r++) if (done[r]) played.push(r);
  const someDoneRounds = rng.shuffle(played).slice(0, 3);

  return {
    ...layout,
    current,
    isDone: (round) => done[round] === 1,
    levelOf: (a, b) => {
      if (a === b) return PLAN_NONE;
      const round = layout.roundOf(a, b);
      if (round === current) return PLAN_NOW;
      return done[round] ? PLAN_OVERDUE : PLAN_NONE;
    },
    someDoneRounds,
  };
}

/** Mean times-met of up to 16 of each round's pairs (NaN when none could be sampled). */
function sampleRoundLevels(
  layout: PlanLayout,
  meetings: (slotA: number, slotB: number) => number | null,
): Float64Array {
  const m = layout.cycleLength;
  const samplesPerRound = 16;
  const slotCount = m + 1;
  const stride = largestCoprimeStride(slotCount);
  // Bounded probing: with most of the roster unknown, give up on a round rather than scan it all.
  const probes = Math.min(slotCount, samplesPerRound * 16);
  const level = new Float64Array(m);
  for (let r = 0; r < m; r++) {
    let sum = 0;
    let seen = 0;
    for (let k = 0, s = r % slotCount; k < probes && seen < samplesPerRound; k++, s = (s + stride) % slotCount) {
      const t = layout.partnerAt(s, r);
      if (t < s) continue; // each pair once
      const times = meetings(s, t);
      if (times === null) continue;
      sum += times;
      seen++;
    }
    level[r] = seen > 0 ? sum / seen : Number.NaN;
  }
  return level;
}

/**
 * Splits round levels into "played" and "not yet" (best two-cluster split of the sorted values).
 * Returns the lowest played level, or null when there is no clear gap — a fresh plan or a new cycle.
 */
function splitThreshold(level: Float64Array): number | null {
  const values = [...level].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (values.length < 2) return null;
  const prefix = [0];
  const prefixSq = [0];
  for (const v of values) {
    prefix.push(prefix[prefix.length - 1]! + v);
    prefixSq.push(prefixSq[prefixSq.length - 1]! + v * v);
  }
  const total = values.length;
  let best: number | null = null;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let split = 1; split < total; split++) {
    const lo = prefix[split]! / split;
    const hi = (prefix[total]! - prefix[split]!) / (total - split);
    if (hi - lo < 0.3) continue;
    const cost = prefixSq[split]! - split * lo * lo + (prefixSq[total]! - prefixSq[split]!) - (total - split) * hi * hi;
    if (cost < bestCost) {
      bestCost = cost;
      best = values[split]!;
    }
  }
  return best;
}

function largestCoprimeStride(size: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = Math.max(1, Math.floor(size * 0.618));
  while (stride > 1 && gcd(stride, size) !== 1) stride--;
  return stride;
}

/** Clash graph in CSR form: person p clashes with other[start[p] .. start[p+1]) at cost[...]. */
interface Clashes {
  start: Int32Array;
  other: Int32Array;
  cost: Float64Array;
}

/** Who clashes with whom (same team: 1, manager–report: 2), or null if nobody does. */
function clashLists(members: readonly PairingMember[]): Clashes | null {
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
  const start = new Int32Array(members.length + 1);
  lists.forEach((map, p) => {
    start[p + 1] = start[p]! + map.size;
  });
  const other = new Int32Array(start[members.length]!);
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

function clashLoads(
  clashes: Clashes,
  slotOfPerson: Int32Array,
  roundOf: (a: number, b: number) => number,
  m: number,
): Float64Array {
  const load = new Float64Array(m);
  for (let p = 0; p < slotOfPerson.length; p++) {
    for (let e = clashes.start[p]!; e < clashes.start[p + 1]!; e++) {
      const q = clashes.other[e]!;
      if (q > p) load[roundOf(slotOfPerson[p]!, slotOfPerson[q]!)]! += clashes.cost[e]!;
    }
  }
  return load;
}

/**
 * Hill-climb over slot swaps maximising Σ load(round)² — with the total load fixed, a larger sum of
 * squares means clashes share fewer rounds, so more rounds are entirely clash-free. Seeded by the
 * roster itself so the result is the same every round the roster is.
 */
function concentrateClashes(
  slotOfPerson: Int32Array,
  clashes: Clashes,
  roundOf: (a: number, b: number) => number,
  m: number,
  members: readonly PairingMember[],
): void {
  const people = slotOfPerson.length;
  const load = clashLoads(clashes, slotOfPerson, roundOf, m);
  const { start, other, cost } = clashes;
  // Move person p's clash pairs out of (sign -1) or into (sign +1) the load; returns the change in Σ load².
  const shift = (p: number, sign: number, skip: number): number => {
    let change = 0;
    const sp = slotOfPerson[p]!;
    for (let e = start[p]!; e < start[p + 1]!; e++) {
      const q = other[e]!;
      if (q === skip) continue;
      const r = roundOf(sp, slotOfPerson[q]!);
      const before = load[r]!;
      const after = before + sign * cost[e]!;
      load[r] = after;
      change += after * after - before * before;
    }
    return change;
  };
  const movable: number[] = [];
  for (let p = 0; p < people; p++) if (start[p + 1]! > start[p]!) movable.push(p);
  const rng = createRng(`plan:${members.length}:${members[0]?.id ?? ''}:${members[people - 1]?.id ?? ''}`);
  const swaps = Math.min(MAX_SWAPS, SWAPS_PER_PERSON * people);
  for (let i = 0; i < swaps; i++) {
    const a = movable[rng.nextInt(movable.length)]!;
    const b = rng.nextInt(people);
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
