import { MeetingIndex } from './history.js';
import { buildPlanLayout, locateRound, PLAN_NONE, PLAN_NOW, type RoundRobinPlan } from './plan.js';
import { createRng, hashPair, hashString, type Rng } from './rng.js';
import type { PairingInput, PairingMember } from './types.js';
import {
  makeWeightScale,
  type PairTraits,
  recencyLevel,
  TEAM_LEVELS,
  TIE_LEVELS,
  type WeightScale,
  weighPair,
} from './weights.js';

/** People seen in this many most recent meeting times still hold their plan slot while absent. */
const RECENT_ROUNDS = 8;

/**
 * Everything one round needs, with people renumbered 0..n−1 in input order so the hot paths work on
 * integers and typed arrays instead of strings.
 */
export class RoundContext {
  readonly n: number;
  readonly ids: readonly string[];
  readonly index: MeetingIndex;
  readonly plan: RoundRobinPlan;
  readonly scale: WeightScale;
  readonly rng: Rng;
  /** Person's row in the history index, or -1 for people with no history. */
  readonly historyRow: Int32Array;
  /** Inverse of historyRow: history row -> present person, or -1. */
  readonly presentOfRow: Int32Array;
  readonly team: Int32Array;
  /** Present index of the person's manager, or -1. */
  readonly manager: Int32Array;
  readonly slot: Int32Array;
  /**
   * Everyone on the roster is here and none of this plan round's pairs has met: the round can be
   * played as planned, which is what keeps a stable roster repeat-free over the whole cycle.
   */
  readonly planIntact: boolean;
  private readonly idHash: Uint32Array;
  private readonly seedHash: number;

  constructor(input: PairingInput, members: readonly PairingMember[]) {
    const n = members.length;
    this.n = n;
    this.ids = members.map((m) => m.id);
    this.index = input.historyIndex ?? MeetingIndex.fromHistory(input.history);
    this.rng = createRng(input.seed);
    this.seedHash = hashString(input.seed, 7);

    const inputOrder = new Map<string, number>();
    members.forEach((m, i) => {
      inputOrder.set(m.id, i);
    });
    this.historyRow = new Int32Array(n);
    this.presentOfRow = new Int32Array(this.index.personCount).fill(-1);
    this.team = new Int32Array(n).fill(-1);
    this.manager = new Int32Array(n).fill(-1);
    this.idHash = new Uint32Array(n);
    const teamIds = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const m = members[i]!;
      const row = this.index.indexOf(m.id) ?? -1;
      this.historyRow[i] = row;
      if (row >= 0) this.presentOfRow[row] = i;
      if (m.team) {
        let t = teamIds.get(m.team);
        if (t === undefined) {
          t = teamIds.size;
          teamIds.set(m.team, t);
        }
        this.team[i] = t;
      }
      const boss = m.managerId ? inputOrder.get(m.managerId) : undefined;
      if (boss !== undefined && boss !== i) this.manager[i] = boss;
      this.idHash[i] = hashString(m.id, 11);
    }

    const layout = buildPlanLayout(rosterFor(input, members, this.index));
    const rowOfSlot = new Int32Array(layout.cycleLength + 1).fill(-1);
    for (const [id, slot] of layout.slotOf) rowOfSlot[slot] = this.index.indexOf(id) ?? -1;
    const index = this.index;
    const meetings = (a: number, b: number): number | null => {
      if (a === layout.byeSlot || b === layout.byeSlot) return null;
      const ra = rowOfSlot[a]!;
      const rb = rowOfSlot[b]!;
      return ra < 0 || rb < 0 ? 0 : index.timesMet(ra, rb);
    };
    this.plan = locateRound(layout, meetings, this.rng.fork('plan'));
    this.slot = new Int32Array(n);
    for (let i = 0; i < n; i++) this.slot[i] = this.plan.slotOf.get(this.ids[i]!) ?? -1;
    this.planIntact = this.planRoundIsWhole();
    this.scale = makeWeightScale(Math.ceil(n / 2) + 1);
  }

  private planRoundIsWhole(): boolean {
    const plan = this.plan;
    if (plan.current < 0) return false;
    const slots = plan.cycleLength + 1;
    const present = new Int32Array(slots).fill(-1);
    for (let i = 0; i < this.n; i++) {
      const s = this.slot[i]!;
      if (s >= 0 && s < slots) present[s] = i;
    }
    for (let s = 0; s < slots; s++) {
      if (s === plan.byeSlot) continue;
      if (present[s] === -1) return false;
      const t = plan.partnerAt(s, plan.current);
      if (t > s && t !== plan.byeSlot && this.met(present[s]!, present[t]!)) return false;
    }
    return true;
  }

  /** History entry of the pair in u's row, or -1 if they never met. */
  private entry(u: number, v: number): number {
    const ru = this.historyRow[u]!;
    const rv = this.historyRow[v]!;
    if (ru < 0 || rv < 0) return -1;
    return this.index.find(ru, rv);
  }

  met(u: number, v: number): boolean {
    return this.entry(u, v) !== -1;
  }

  sameTeam(u: number, v: number): boolean {
    const t = this.team[u]!;
    return t >= 0 && t === this.team[v];
  }

  managerPair(u: number, v: number): boolean {
    return this.manager[u] === v || this.manager[v] === u;
  }

  teamPenalty(u: number, v: number): number {
    return (this.sameTeam(u, v) ? 1 : 0) + (this.managerPair(u, v) ? 2 : 0);
  }

  /**
   * The team/manager penalty the weights use. A clash the plan schedules for this round is exempt
   * while the plan's round can be played whole: on a stable roster the plan puts clashes last and
   * only where avoiding them would force repeats later (odd-sized teams). Otherwise, e.g. when people
   * are absent, a teammate is paired only when no round with as many new pairs avoids it.
   */
  clashPenalty(u: number, v: number): number {
    const penalty = this.teamPenalty(u, v);
    return penalty > 0 && this.planIntact && this.planLevel(u, v) === PLAN_NOW ? 0 : penalty;
  }

  planLevel(u: number, v: number): number {
    const a = this.slot[u]!;
    const b = this.slot[v]!;
    return a < 0 || b < 0 ? PLAN_NONE : this.plan.levelOf(a, b);
  }

  tie(u: number, v: number): number {
    return hashPair(this.idHash[u]!, this.idHash[v]!, this.seedHash);
  }

  traits(u: number, v: number): PairTraits {
    const e = this.entry(u, v);
    return {
      met: e !== -1,
      roundsAgo: e === -1 ? 0 : this.index.roundsSince(this.index.lastAt(e)),
      timesMet: e === -1 ? 0 : this.index.timesAt(e),
      planLevel: this.planLevel(u, v),
      teamPenalty: this.clashPenalty(u, v),
      tie: this.tie(u, v),
    };
  }

  /** Same as weighPair(traits(u, v)) without allocating: this is the hottest function of a round. */
  weight(u: number, v: number): number {
    const scale = this.scale;
    const e = this.entry(u, v);
    const top =
      e === -1
        ? scale.novelUnit
        : recencyLevel(scale, this.index.roundsSince(this.index.lastAt(e)), this.index.timesAt(e)) * scale.recencyUnit;
    return (
      1 +
      top +
      this.planLevel(u, v) * scale.planUnit +
      (TEAM_LEVELS - 1 - this.clashPenalty(u, v)) * scale.teamUnit +
      (this.tie(u, v) % TIE_LEVELS)
    );
  }

  /**
   * Weight of "u is the odd one out" (sits out, or is the one who joins a pair to make a trio). Valued
   * like a novel pair with no team clash so that it never outweighs a real choice between pairs; the
   * plan's bye and the seed break ties between candidates.
   */
  oddOneOutWeight(u: number): number {
    const s = this.slot[u]!;
    const planned =
      s >= 0 && this.plan.byeSlot >= 0 && this.plan.partnerAt(this.plan.byeSlot, this.plan.current) === s ? 2 : 0;
    return weighPair(this.scale, {
      met: false,
      roundsAgo: 0,
      timesMet: 0,
      planLevel: planned,
      teamPenalty: 0,
      tie: hashPair(this.idHash[u]!, 0x0dd0dd, this.seedHash),
    });
  }

  /** Sum of internal pair weights of a group. */
  groupWeight(group: readonly number[]): number {
    let total = 0;
    for (let x = 0; x < group.length; x++) {
      for (let y = x + 1; y < group.length; y++) total += this.weight(group[x]!, group[y]!);
    }
    return total;
  }
}

function rosterFor(input: PairingInput, members: readonly PairingMember[], index: MeetingIndex): PairingMember[] {
  const present = new Set(members.map((m) => m.id));
  if (input.roster) {
    const roster = [...input.roster];
    const listed = new Set(roster.map((m) => m.id));
    for (const m of members) if (!listed.has(m.id)) roster.push(m);
    return roster;
  }
  // No roster given: people seen in the last few rounds keep their slot, so one absence does not
  // reshuffle everyone's plan. Their team is unknown, so the plan's team-aware ordering would differ
  // between rounds with different absentees; drop team data in that case to keep the plan stable.
  const timeline = index.timeline;
  const recentFrom =
    timeline.length > RECENT_ROUNDS ? timeline[timeline.length - RECENT_ROUNDS]! : Number.NEGATIVE_INFINITY;
  const absent: PairingMember[] = [];
  for (let row = 0; row < index.personCount; row++) {
    const id = index.ids[row]!;
    if (!present.has(id) && index.lastSeenAt(row) >= recentFrom && index.lastSeenAt(row) > Number.NEGATIVE_INFINITY) {
      absent.push({ id });
    }
  }
  if (absent.length === 0) return [...members];
  return [...members.map((m) => ({ id: m.id })), ...absent];
}
