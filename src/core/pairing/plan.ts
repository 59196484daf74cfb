import { clashLists } from './clashes.js';
import { circlePartner, circleRound } from './groupedRounds.js';
import { createRng, hashString, type Rng } from './rng.js';
import { teamLayout } from './teamLayout.js';
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
 * is the same every round while the roster is), plus a "bye" slot when the roster is odd. Without
 * teams or managers the plan is the circle method: with S slots (S even) and m = S−1 rounds, slot
 * S−1 is the hub; in round r it meets slot r, and slots i, j < m meet when i + j ≡ 2r (mod m).
 *
 * Team awareness: everyone meets everyone once per cycle, so teammates must meet at some point; the
 * plan decides when. With teams or managers the slots form k groups of s (groupedRounds.ts), each
 * team packed into a group (teamLayout.ts), so teammates and manager–report pairs meet only in the
 * in-group rounds; unplayed rounds are played cleanest first, which puts those rounds last. For 6
 * teams of 10 that is 50 rounds without a teammate, then 9 rounds of teammates only.
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

export function buildPlanLayout(roster: readonly PairingMember[]): PlanLayout {
  const unique = new Map<string, PairingMember>();
  for (const member of roster) if (!unique.has(member.id)) unique.set(member.id, member);
  const members = [...unique.values()]
    .map((member) => ({ member, key: hashString(member.id, PLAN_SALT) }))
    .sort((a, b) => a.key - b.key || (a.member.id < b.member.id ? -1 : a.member.id > b.member.id ? 1 : 0))
    .map((entry) => entry.member);
  const people = members.length;
  const slots = people % 2 === 0 ? people : people + 1;
  const m = slots - 1;
  const slotOf = new Map<string, number>();
  if (m < 1) {
    members.forEach((member, slot) => {
      slotOf.set(member.id, slot);
    });
    return { cycleLength: 0, slotOf, byeSlot: -1, roundOf: () => 0, partnerAt: (slot) => slot, clashLoad: () => 0 };
  }

  const clashes = clashLists(members);
  if (!clashes) {
    members.forEach((member, person) => {
      slotOf.set(member.id, person);
    });
    return {
      cycleLength: m,
      slotOf,
      byeSlot: people % 2 === 0 ? -1 : people,
      roundOf: (a, b) => circleRound(a, b, slots),
      partnerAt: (slot, round) => circlePartner(slot, round, slots),
      clashLoad: () => 0,
    };
  }
  // Seeded by the roster itself, so the same roster always gets the same plan.
  const seed = `plan:${people}:${members[0]?.id ?? ''}:${members[people - 1]?.id ?? ''}`;
  const layout = teamLayout(members, clashes, slots, (label) => createRng(`${seed}:${label}`));
  members.forEach((member, person) => {
    slotOf.set(member.id, layout.slotOfPerson[person]!);
  });
  return {
    cycleLength: m,
    slotOf,
    byeSlot: people % 2 === 0 ? -1 : layout.slotOfPerson[people]!,
    roundOf: layout.rounds.roundOf,
    partnerAt: layout.rounds.partnerAt,
    clashLoad: (round) => layout.load[round]!,
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
