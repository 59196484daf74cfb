/**
 * Teammates and manager–report pairs: how often a strategy pairs them, against the best possible.
 *
 * A "clash" is a same-team or manager–report pair. Per round three numbers are counted:
 *   - clashes: clash pairs the strategy made;
 *   - early: clash pairs where both of the two still had a never-met, clash-free partner among this
 *     round's members (the wording: a teammate while someone new from another team is there;
 *     "both" because a manager who has met everyone else must meet a report who has not);
 *   - best: the fewest clash pairs of any matching of this round's members that has as many new
 *     pairs as possible, given the same history (exact: a maximum-weight matching where a new pair
 *     outweighs any number of clashes). Summed over rounds this is the per-round best possible.
 * For stable rosters there is also the latest possible first clash: someone with d clash partners
 * among n has only n − 1 − d others, so without repeats their first clash comes by round n − 1 − d
 * (0-based) for the largest d. Odd-sized teams cannot always reach it (4 teams of 5: a team's
 * internal pairs need 5 rounds, not 4, so the best is round 14, not 15).
 */
import { createRng, maxWeightMatching, type PairingMember, type PastMeeting } from '../src/core/pairing/index.js';
import { makeRoster } from './scenarios.js';
import type { Strategy } from './strategies.js';

export interface TeamQuality {
  scenario: string;
  strategy: string;
  rounds: number;
  pairs: number;
  repeatPairs: number;
  clashPairs: number;
  earlyClashPairs: number;
  bestClashPairs: number;
  /** Stable rosters only: the latest round (0-based) a first clash can come without repeats. */
  latestFirstClash: number | null;
  /** First round (0-based) with a clash pair, or -1. */
  firstClashRound: number;
  msPerRound: number;
}

export interface TeamScenario {
  name: string;
  rounds: number;
  /** The group's roster in a round (people who joined or left change it). */
  rosterAt(round: number): PairingMember[];
  /** Who takes part in a round (the roster minus absentees). */
  membersAt(round: number): PairingMember[];
  stable: boolean;
}

export function clashes(a: PairingMember, b: PairingMember): boolean {
  return (!!a.team && a.team === b.team) || a.managerId === b.id || b.managerId === a.id;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export function simulateTeams(scenario: TeamScenario, strategy: Strategy): TeamQuality {
  const met = new Set<string>();
  const history: PastMeeting[] = [];
  const result: TeamQuality = {
    scenario: scenario.name,
    strategy: strategy.name,
    rounds: scenario.rounds,
    pairs: 0,
    repeatPairs: 0,
    clashPairs: 0,
    earlyClashPairs: 0,
    bestClashPairs: 0,
    latestFirstClash: null,
    firstClashRound: -1,
    msPerRound: 0,
  };
  // The greedy baseline reads a dense times-met table over everyone who was ever on the roster.
  const everyone = new Map<string, number>();
  for (let r = 0; r < scenario.rounds; r++) {
    for (const m of scenario.rosterAt(r)) if (!everyone.has(m.id)) everyone.set(m.id, everyone.size);
  }
  const size = everyone.size;
  const timesMet = new Uint16Array(size * size);
  let elapsed = 0;
  for (let round = 0; round < scenario.rounds; round++) {
    const members = scenario.membersAt(round);
    const byId = new Map(members.map((m) => [m.id, m]));
    const best = bestClashes(members, met);
    const cleanLeft = cleanUnmetCounts(members, met);
    const started = performance.now();
    const groups = strategy.pair({
      members,
      roster: scenario.rosterAt(round),
      history,
      seed: `${scenario.name}:${round}`,
      roundIndex: round,
      timesMet,
      rosterIndex: everyone,
    });
    elapsed += performance.now() - started;
    result.bestClashPairs += best;
    const made: [string, string][] = [];
    for (const group of groups) {
      for (let x = 0; x < group.length; x++) {
        for (let y = x + 1; y < group.length; y++) {
          const a = byId.get(group[x]!)!;
          const b = byId.get(group[y]!)!;
          result.pairs++;
          if (met.has(pairKey(a.id, b.id))) result.repeatPairs++;
          if (clashes(a, b)) {
            result.clashPairs++;
            if (result.firstClashRound === -1) result.firstClashRound = round;
            if (cleanLeft.get(a.id)! > 0 && cleanLeft.get(b.id)! > 0) result.earlyClashPairs++;
          }
          made.push([a.id, b.id]);
        }
      }
      history.push({ participants: group, at: round });
    }
    for (const [a, b] of made) {
      met.add(pairKey(a, b));
      const ia = everyone.get(a)!;
      const ib = everyone.get(b)!;
      timesMet[ia * size + ib]!++;
      timesMet[ib * size + ia]!++;
    }
  }
  if (scenario.stable) result.latestFirstClash = latestFirstClash(scenario.rosterAt(0));
  result.msPerRound = elapsed / scenario.rounds;
  return result;
}

/** Per member: how many clash-free members of this round they have never met. */
function cleanUnmetCounts(members: readonly PairingMember[], met: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of members) {
    let left = 0;
    for (const b of members) if (a !== b && !clashes(a, b) && !met.has(pairKey(a.id, b.id))) left++;
    counts.set(a.id, left);
  }
  return counts;
}

/** Fewest clash pairs among the matchings of `members` with the most new pairs. */
function bestClashes(members: readonly PairingMember[], met: ReadonlySet<string>): number {
  const n = members.length;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const bigNew = n * n + 1;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const novel = !met.has(pairKey(members[a]!.id, members[b]!.id));
      from.push(a);
      to.push(b);
      weight.push(1 + (novel ? bigNew : 0) + (clashes(members[a]!, members[b]!) ? 0 : 1));
    }
  }
  const mate = maxWeightMatching(
    { vertexCount: n, edgeFrom: Int32Array.from(from), edgeTo: Int32Array.from(to), weight: Float64Array.from(weight) },
    { maxCardinality: true },
  );
  let count = 0;
  for (let a = 0; a < n; a++) if (mate[a]! > a && clashes(members[a]!, members[mate[a]!]!)) count++;
  return count;
}

function latestFirstClash(roster: readonly PairingMember[]): number {
  let most = 0;
  for (const a of roster) {
    let d = 0;
    for (const b of roster) if (a !== b && clashes(a, b)) d++;
    most = Math.max(most, d);
  }
  return roster.length - 1 - most;
}

const team = (
  prefix: string,
  count: number,
  teamOf: (i: number) => string | null,
  managerOf?: (i: number) => string | null,
) =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    team: teamOf(i),
    managerId: managerOf?.(i) ?? null,
  }));

/** A roster where everyone stays and nobody is absent. */
function stable(name: string, roster: PairingMember[]): TeamScenario {
  return { name, rounds: roster.length - 1, rosterAt: () => roster, membersAt: () => roster, stable: true };
}

/**
 * Churn: each round 20% of the roster (seeded) is absent, and every 10 rounds two people leave and
 * two join (in the teams of those who left).
 */
function churn(name: string, base: PairingMember[], rounds: number): TeamScenario {
  const rosters: PairingMember[][] = [];
  let roster = base;
  let joined = 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0 && r % 10 === 0) {
      const leaving = [roster[(r * 7) % roster.length]!, roster[(r * 13 + 5) % roster.length]!];
      const joiners = leaving.map((m) => ({ ...m, id: `new${joined++}` }));
      roster = [...roster.filter((m) => !leaving.includes(m)), ...joiners];
    }
    rosters.push(roster);
  }
  const absentees = (r: number): Set<string> => {
    const ids = createRng(`${name}:absent:${r}`).shuffle(rosters[r]!.map((m) => m.id));
    return new Set(ids.slice(0, Math.round(ids.length * 0.2)));
  };
  return {
    name,
    rounds,
    rosterAt: (r) => rosters[r]!,
    membersAt: (r) => {
      const away = absentees(r);
      return rosters[r]!.filter((m) => !away.has(m.id));
    },
    stable: false,
  };
}

const unequalSizes = [12, 10, 9, 8, 6, 5];
const unequalTeamOf = (i: number): string => {
  let left = i;
  for (let t = 0; t < unequalSizes.length; t++) {
    if (left < unequalSizes[t]!) return `u${t}`;
    left -= unequalSizes[t]!;
  }
  return 'u-none';
};

export function teamScenarios(): TeamScenario[] {
  const sixTeams = team('p', 60, (i) => `t${i % 6}`);
  const managerStars = team(
    'm',
    40,
    () => null,
    (i) => (i % 10 === 0 ? null : `m${i - (i % 10)}`),
  );
  const ownTeamManagers = [
    ...team('boss', 6, () => 'managers'),
    ...team(
      'r',
      42,
      (i) => `r${i % 6}`,
      (i) => `boss${i % 6}`,
    ),
  ];
  return [
    stable('teams 6×10', sixTeams),
    // The roster of the repeat table above: teams of 8, the first of each managing the other seven.
    stable('teams of 8 + lead, 100', makeRoster(100)),
    stable(
      'teams 3×10',
      team('q', 30, (i) => `t${i % 3}`),
    ),
    stable(
      'teams 4×5 + managers',
      team(
        'f',
        20,
        (i) => `t${i % 4}`,
        (i) => (i >= 4 ? `f${i % 4}` : null),
      ),
    ),
    stable('teams 12,10,9,8,6,5', team('u', 50, unequalTeamOf)),
    stable('managers 4×(1+9)', managerStars),
    stable('managers in own team', ownTeamManagers),
    churn('churn teams 6×10', sixTeams, 50),
    churn('churn teams 12,10,9,8,6,5', team('u', 50, unequalTeamOf), 40),
    churn('churn managers 4×(1+9)', managerStars, 35),
  ];
}
