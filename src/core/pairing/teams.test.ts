import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxWeightMatching } from './blossom.js';
import { createRng } from './rng.js';
import { pairKey, pairsOf, playRounds } from './testSupport.js';
import type { PairingMember } from './types.js';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Index of the first round holding a same-team or manager–report pair, or -1. */
function firstClashRound(results: { stats: { sameTeamPairs: number; managerReportPairs: number } }[]): number {
  return results.findIndex((r) => r.stats.sameTeamPairs + r.stats.managerReportPairs > 0);
}

describe('teammates and manager–report pairs come only after everyone else (stable rosters)', () => {
  it('60 people in 6 teams of 10: no repeat in 59 rounds, no teammates in the first 50', () => {
    const members: PairingMember[] = Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, team: `t${i % 6}` }));
    const played = playRounds(59, () => members, { roster: members });
    assert.equal(sum(played.repeatsByRound), 0, `repeats by round: ${played.repeatsByRound}`);
    const sameTeam = played.results.map((r) => r.stats.sameTeamPairs);
    assert.equal(sum(sameTeam.slice(0, 50)), 0, `same-team pairs by round: ${sameTeam}`);
    // Each of the last 9 rounds is all teammates: 30 pairs, 6 teams × 5.
    assert.deepEqual(sameTeam.slice(50), new Array(9).fill(30));
  });

  it('3 teams of 10 (an odd number of teams): teammates only in the last 9 of 29 rounds', () => {
    const members: PairingMember[] = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, team: `t${i % 3}` }));
    const played = playRounds(29, () => members, { roster: members });
    assert.equal(sum(played.repeatsByRound), 0);
    assert.equal(firstClashRound(played.results), 20);
  });

  it('40 people, 4 managers of 9 reports each: no manager meets a report in the first 30 rounds', () => {
    const members: PairingMember[] = Array.from({ length: 40 }, (_, i) => ({
      id: `m${i}`,
      managerId: i % 10 === 0 ? null : `m${i - (i % 10)}`,
    }));
    const played = playRounds(39, () => members, { roster: members });
    assert.equal(sum(played.repeatsByRound), 0);
    // A manager has 9 reports to meet, each in a round of their own: 39 − 9 = 30 rounds without.
    assert.equal(firstClashRound(played.results), 30);
    assert.equal(sum(played.results.map((r) => r.stats.managerReportPairs)), 36);
  });

  it('managers in a team of their own, reports in teams of 7: no clash in the first 35 of 47 rounds', () => {
    // Manager k leads team r<k> (7 reports); the 6 managers are teammates. A manager has 5 fellow
    // managers and 7 reports to meet, so 47 − 12 = 35 clean rounds is the most possible.
    const managers = Array.from({ length: 6 }, (_, k) => ({ id: `boss${k}`, team: 'managers' }));
    const reports = Array.from({ length: 42 }, (_, i) => ({
      id: `r${i}`,
      team: `r${i % 6}`,
      managerId: `boss${i % 6}`,
    }));
    const members: PairingMember[] = [...managers, ...reports];
    const played = playRounds(47, () => members, { roster: members });
    assert.equal(sum(played.repeatsByRound), 0);
    assert.equal(firstClashRound(played.results), 35);
  });
});

/** Fewest clash pairs any matching with the most new pairs can have (exact, by weighted matching). */
function fewestClashes(members: readonly PairingMember[], met: ReadonlySet<string>): number {
  const clash = (a: PairingMember, b: PairingMember): boolean =>
    (!!a.team && a.team === b.team) || a.managerId === b.id || b.managerId === a.id;
  const n = members.length;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      from.push(a);
      to.push(b);
      const novel = !met.has(pairKey(members[a]!.id, members[b]!.id));
      weight.push(1 + (novel ? n * n : 0) + (clash(members[a]!, members[b]!) ? 0 : 1));
    }
  }
  const mate = maxWeightMatching(
    { vertexCount: n, edgeFrom: Int32Array.from(from), edgeTo: Int32Array.from(to), weight: Float64Array.from(weight) },
    { maxCardinality: true },
  );
  let count = 0;
  for (let a = 0; a < n; a++) if (mate[a]! > a && clash(members[a]!, members[mate[a]!]!)) count++;
  return count;
}

describe('teammates and manager–report pairs under absences', () => {
  const rosters: [string, PairingMember[]][] = [
    ['6 teams of 10', Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, team: `t${i % 6}` }))],
    [
      '4 managers of 9 reports',
      Array.from({ length: 40 }, (_, i) => ({ id: `m${i}`, managerId: i % 10 === 0 ? null : `m${i - (i % 10)}` })),
    ],
  ];
  for (const [name, roster] of rosters) {
    it(`${name}, 20% absent each round: a clash only when no round with as many new pairs avoids it`, () => {
      const membersFor = (r: number): PairingMember[] =>
        createRng(`absent-${r}`)
          .shuffle([...roster])
          .slice(0, Math.round(roster.length * 0.8));
      const played = playRounds(45, membersFor, { roster });
      const met = new Set<string>();
      played.results.forEach((result, r) => {
        const least = fewestClashes(membersFor(r), met);
        const made = result.stats.sameTeamPairs + result.stats.managerReportPairs - bothKinds(result, roster);
        // With a repeat in the round, how long ago pairs met outranks clashes; compare only without
        // (a round of new, clash-free pairs, if there is one, has no repeat).
        if (played.repeatsByRound[r] === 0) assert.equal(made, least, `round ${r}`);
        for (const g of result.groups) for (const [a, b] of pairsOf(g)) met.add(pairKey(a, b));
      });
      // No repeat within the cycle's n − 1 rounds; after that, with absences, some are unavoidable.
      assert.equal(sum(played.repeatsByRound.slice(0, roster.length - 1)), 0, `repeats: ${played.repeatsByRound}`);
    });
  }
});

/** Pairs counted both as same-team and as manager–report (so each clash pair counts once). */
function bothKinds(result: { groups: string[][] }, roster: readonly PairingMember[]): number {
  const byId = new Map(roster.map((m) => [m.id, m]));
  let both = 0;
  for (const g of result.groups) {
    for (const [a, b] of pairsOf(g)) {
      const x = byId.get(a)!;
      const y = byId.get(b)!;
      if (x.team && x.team === y.team && (x.managerId === b || y.managerId === a)) both++;
    }
  }
  return both;
}
