import { hashString } from './rng.js';
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
 * Slots: the roster sorted by a fixed hash of the id (independent of the round's seed, so the plan is
 * the same every round while the roster is), plus a "bye" slot when the roster is odd. With S slots
 * (S even) and m = S−1 rounds, slot S−1 is the hub; in round r it meets slot r, and slots i, j < m
 * meet when i + j ≡ 2r (mod m).
 *
 * Team awareness: everyone meets everyone once per cycle, so teammates must meet at some point; the
 * plan only decides when. Rounds are played in ascending order of how many same-team and
 * manager–report pairs they contain, which pushes those pairs to the end of the cycle — i.e. past
 * the horizon of a large group that never completes its cycle.
 */

const PLAN_SALT = 0x5eed_c1c1;

/** Plan levels for a pair, from the engine's point of view. */
export const PLAN_NONE = 0;
/** Scheduled for an earlier round of this cycle but they still have not met: no future slot left. */
export const PLAN_OVERDUE = 1;
/** Scheduled for exactly this round. */
export const PLAN_NOW = 2;

export interface RoundRobinPlan {
  /** Rounds per cycle (0 when the roster is too small for a plan). */
  readonly cycleLength: number;
  /** This round's position in the cycle. */
  readonly position: number;
  /** Slot of each roster id. */
  readonly slotOf: ReadonlyMap<string, number>;
  /** The odd roster's extra slot, or -1. Whoever the plan pairs with it is this round's odd one out. */
  readonly byeSlot: number;
  /** Position in the cycle at which two slots are scheduled to meet. */
  positionOf(slotA: number, slotB: number): number;
  /** The slot that `slot` meets at a given cycle position. */
  partnerAt(slot: number, position: number): number;
  /** PLAN_NOW, PLAN_OVERDUE or PLAN_NONE for two slots. */
  levelOf(slotA: number, slotB: number): number;
}

/** Σ s² over teams above which counting team pairs per round would cost more than it is worth. */
const MAX_TEAM_WORK = 20_000_000;

export function buildPlan(roster: readonly PairingMember[], roundIndex: number): RoundRobinPlan {
  const unique = new Map<string, PairingMember>();
  for (const member of roster) if (!unique.has(member.id)) unique.set(member.id, member);
  const ordered = [...unique.values()]
    .map((member) => ({ member, key: hashString(member.id, PLAN_SALT) }))
    .sort((a, b) => a.key - b.key || (a.member.id < b.member.id ? -1 : a.member.id > b.member.id ? 1 : 0));
  const people = ordered.length;
  const slotOf = new Map<string, number>();
  ordered.forEach((entry, slot) => slotOf.set(entry.member.id, slot));

  const slots = people % 2 === 0 ? people : people + 1;
  const byeSlot = people % 2 === 0 ? -1 : people;
  const m = slots - 1;
  if (m < 1) {
    return {
      cycleLength: 0,
      position: 0,
      slotOf,
      byeSlot,
      positionOf: () => 0,
      partnerAt: (slot) => slot,
      levelOf: () => PLAN_NONE,
    };
  }
  const hub = slots - 1;
  const halfInverse = (m + 1) / 2; // 2 * halfInverse ≡ 1 (mod m), m odd
  const roundOf = (a: number, b: number): number => {
    if (a === hub) return b;
    if (b === hub) return a;
    return ((a + b) * halfInverse) % m;
  };

  const conflicts = new Float64Array(m);
  countConflicts(
    ordered.map((entry) => entry.member),
    slotOf,
    roundOf,
    conflicts,
  );
  const order = Array.from({ length: m }, (_, r) => r).sort((a, b) => conflicts[a]! - conflicts[b]! || a - b);
  const rankOfRound = new Int32Array(m);
  order.forEach((round, rank) => {
    rankOfRound[round] = rank;
  });
  const position = ((Math.floor(roundIndex) % m) + m) % m;

  return {
    cycleLength: m,
    position,
    slotOf,
    byeSlot,
    positionOf: (a, b) => rankOfRound[roundOf(a, b)]!,
    partnerAt: (slot, at) => {
      const round = order[at]!;
      if (slot === hub) return round;
      if (slot === round) return hub;
      return (((2 * round - slot) % m) + m) % m;
    },
    levelOf: (a, b) => {
      if (a === b) return PLAN_NONE;
      const at = rankOfRound[roundOf(a, b)]!;
      if (at === position) return PLAN_NOW;
      return at < position ? PLAN_OVERDUE : PLAN_NONE;
    },
  };
}

function countConflicts(
  members: readonly PairingMember[],
  slotOf: ReadonlyMap<string, number>,
  roundOf: (a: number, b: number) => number,
  conflicts: Float64Array,
): void {
  const teams = new Map<string, number[]>();
  for (const member of members) {
    if (!member.team) continue;
    let list = teams.get(member.team);
    if (!list) {
      list = [];
      teams.set(member.team, list);
    }
    list.push(slotOf.get(member.id)!);
  }
  let work = 0;
  for (const list of teams.values()) work += list.length * list.length;
  if (work <= MAX_TEAM_WORK) {
    for (const list of teams.values()) {
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) conflicts[roundOf(list[x]!, list[y]!)]! += 1;
      }
    }
  }
  for (const member of members) {
    const manager = member.managerId ? slotOf.get(member.managerId) : undefined;
    // Manager pairs weigh double, mirroring the engine's penalties.
    if (manager !== undefined && member.managerId !== member.id)
      conflicts[roundOf(slotOf.get(member.id)!, manager)]! += 2;
  }
}
