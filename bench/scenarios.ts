import { createRng, type PairingMember, type PastMeeting } from '../src/core/pairing/index.js';
import type { Strategy } from './strategies.js';

export interface QualityResult {
  scenario: string;
  strategy: string;
  rounds: number;
  pairs: number;
  repeatPairs: number;
  repeatPercent: number;
  sameTeamPercent: number;
  droppedMembers: number;
  msPerRound: number;
}

/** People in teams of 8; the first of each team manages the other seven. */
export function makeRoster(n: number, prefix = 'p'): PairingMember[] {
  return Array.from({ length: n }, (_, i) => {
    const lead = i - (i % 8);
    return { id: `${prefix}${i}`, team: `team${Math.floor(i / 8)}`, managerId: i === lead ? null : `${prefix}${lead}` };
  });
}

/**
 * Plays `rounds` rounds with one strategy. Each round `absentShare` of the roster (seeded) is away.
 * A repeat is a pair in a round whose members met in an earlier round of this run (a trio = 3 pairs).
 */
export function simulate(
  scenario: string,
  strategy: Strategy,
  roster: PairingMember[],
  rounds: number,
  absentShare: number,
): QualityResult {
  const size = roster.length;
  const rosterIndex = new Map(roster.map((m, i) => [m.id, i]));
  const timesMet = new Uint16Array(size * size);
  const history: PastMeeting[] = [];
  const absence = createRng(`${scenario}:absence`);
  let pairs = 0;
  let repeatPairs = 0;
  let sameTeam = 0;
  let dropped = 0;
  let elapsed = 0;
  for (let round = 0; round < rounds; round++) {
    const absentCount = Math.round(size * absentShare);
    const away = new Set(absence.shuffle(roster.map((m) => m.id)).slice(0, absentCount));
    const members = roster.filter((m) => !away.has(m.id));
    const started = performance.now();
    const groups = strategy.pair({
      members,
      roster,
      history,
      seed: `${scenario}:${round}`,
      roundIndex: round,
      timesMet,
      rosterIndex,
    });
    elapsed += performance.now() - started;

    const placed = new Set(groups.flat());
    // A trio policy never sits anyone out, so everyone present must be placed.
    for (const m of members) if (!placed.has(m.id)) dropped++;
    const seen: [number, number][] = [];
    for (const group of groups) {
      for (let x = 0; x < group.length; x++) {
        for (let y = x + 1; y < group.length; y++) {
          const a = rosterIndex.get(group[x]!)!;
          const b = rosterIndex.get(group[y]!)!;
          pairs++;
          if (timesMet[a * size + b]! > 0) repeatPairs++;
          if (roster[a]!.team === roster[b]!.team) sameTeam++;
          seen.push([a, b]);
        }
      }
      history.push({ participants: group, at: round });
    }
    // Count only after the whole round, so a pair is never a repeat of its own round.
    for (const [a, b] of seen) {
      timesMet[a * size + b]!++;
      timesMet[b * size + a]!++;
    }
  }
  return {
    scenario,
    strategy: strategy.name,
    rounds,
    pairs,
    repeatPairs,
    repeatPercent: (100 * repeatPairs) / Math.max(1, pairs),
    sameTeamPercent: (100 * sameTeam) / Math.max(1, pairs),
    droppedMembers: dropped,
    msPerRound: elapsed / rounds,
  };
}
