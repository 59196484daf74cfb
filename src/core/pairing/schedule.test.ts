import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimumRepeats, people, placementProblems, playRounds } from './testSupport.js';
import type { PairingMember } from './types.js';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('plan ahead: stable rosters', () => {
  for (const n of [6, 10, 20]) {
    it(`repeats no pair over n−1 = ${n - 1} rounds (n = ${n})`, () => {
      const played = playRounds(n - 1, () => people(n));
      assert.deepEqual(played.repeatsByRound, new Array(n - 1).fill(0));
    });
  }

  it('still repeats no pair over n−1 rounds with teams and managers, and meets teammates late', () => {
    const n = 20;
    const members: PairingMember[] = Array.from({ length: n }, (_, i) => ({
      id: `p${i}`,
      team: `t${i % 4}`,
      managerId: i >= 4 ? `p${i % 4}` : null,
    }));
    const played = playRounds(n - 1, () => members);
    assert.equal(sum(played.repeatsByRound), 0);
    const clashes = played.results.map((r) => r.stats.sameTeamPairs + r.stats.managerReportPairs);
    const firstHalf = sum(clashes.slice(0, 9));
    const secondHalf = sum(clashes.slice(9));
    assert.ok(firstHalf * 4 < secondHalf, `clashes should come late: ${clashes.join(',')}`);
  });

  for (const n of [7, 9, 13]) {
    it(`odd n = ${n} with trios: starts repeat-free and reaches the least possible repeats over n−1 rounds`, () => {
      const played = playRounds(n - 1, () => people(n));
      for (const result of played.results) {
        assert.equal(result.groups.filter((g) => g.length === 3).length, 1);
        assert.equal(result.sittingOut.length, 0);
      }
      // A round of n (odd) people with one trio holds (n+3)/2 meetings, so n−1 rounds hold
      // 3(n−1)/2 more meetings than there are pairs: that many repeats are unavoidable.
      assert.equal(sum(played.repeatsByRound), (3 * (n - 1)) / 2);
      const repeatFree = played.repeatsByRound.findIndex((r) => r > 0);
      assert.ok(repeatFree >= (n - 1) / 2, `only ${repeatFree} repeat-free rounds: ${played.repeatsByRound}`);
    });
  }

  it('odd n with sit_out: n rounds without a repeat, everyone sitting out once, then the same rotation', () => {
    const n = 7;
    const played = playRounds(2 * n, () => people(n), { oddPolicy: 'sit_out' });
    assert.deepEqual(played.repeatsByRound.slice(0, n), new Array(n).fill(0));
    const sitters = played.results.map((r) => r.sittingOut[0]!);
    assert.equal(new Set(sitters.slice(0, n)).size, n, `first cycle: ${sitters}`);
    assert.equal(new Set(sitters.slice(n)).size, n, `second cycle: ${sitters}`);
  });
});

describe('sit-out fairness', () => {
  it('rotates: nobody sits out twice before everyone sat out once', () => {
    for (const n of [3, 5, 9, 15]) {
      const played = playRounds(3 * n, () => people(n), { oddPolicy: 'sit_out', seedPrefix: `fair${n}` });
      const sitters = played.results.map((r) => r.sittingOut[0]!);
      for (let cycle = 0; cycle < 3; cycle++) {
        assert.equal(new Set(sitters.slice(cycle * n, (cycle + 1) * n)).size, n, `n=${n}: ${sitters}`);
      }
    }
  });

  it('rotates fairly even when membership changes between rounds', () => {
    const all = people(11);
    // Round r: one different person skips, so the count alternates between 10 and 11.
    const membersFor = (r: number): PairingMember[] => (r % 2 === 0 ? all : all.filter((_, i) => i !== r % 11));
    const played = playRounds(30, membersFor, { oddPolicy: 'sit_out' });
    const count = new Map<string, number>();
    for (const r of played.results) for (const id of r.sittingOut) count.set(id, (count.get(id) ?? 0) + 1);
    const counts = all.map((m) => count.get(m.id) ?? 0);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `sit-outs per person: ${counts}`);
  });
});

describe('joins, leaves and skips mid-schedule', () => {
  it('every round stays optimal (fewest repeats possible) and nobody is dropped', () => {
    const base = people(12);
    const joiners = [{ id: 'j0' }, { id: 'j1' }, { id: 'j2' }];
    const membersFor = (r: number): PairingMember[] => {
      if (r < 4) return base;
      if (r < 7) return base.slice(0, 10); // two leave
      if (r < 10) return [...base.slice(0, 10), joiners[0]!, joiners[1]!]; // two join
      return [...base.slice(1, 10), ...joiners]; // one more leaves, one more joins
    };
    const played = playRounds(14, membersFor);
    played.results.forEach((result, r) => {
      const members = membersFor(r);
      assert.deepEqual(placementProblems(members, result), []);
      const before = played.history.filter((h) => h.at < r);
      const least = minimumRepeats(
        members.map((m) => m.id),
        before,
      );
      assert.equal(played.repeatsByRound[r], least, `round ${r} is not optimal`);
    });
    // The plan re-forms after each change without forcing a repeat while new partners remain.
    assert.deepEqual(played.repeatsByRound.slice(0, 10), new Array(10).fill(0));
  });

  it('random absences (20%) on a roster of 30 repeat nothing for 25 rounds', () => {
    const roster = people(30);
    const membersFor = (r: number): PairingMember[] => roster.filter((_, i) => (i * 7 + r * 13) % 5 !== 0);
    const played = playRounds(25, membersFor, { roster });
    assert.equal(sum(played.repeatsByRound), 0, `${played.repeatsByRound}`);
  });
});

describe('groupSize 3', () => {
  it('keeps trios novel for the first rounds', () => {
    for (const n of [12, 15, 30]) {
      const played = playRounds(3, () => people(n), { groupSize: 3 });
      assert.deepEqual(played.repeatsByRound, [0, 0, 0], `n=${n}`);
    }
  });

  it('avoids same-team trios when it can', () => {
    const members: PairingMember[] = Array.from({ length: 12 }, (_, i) => ({ id: `p${i}`, team: `t${i % 3}` }));
    for (let s = 0; s < 10; s++) {
      const played = playRounds(1, () => members, { groupSize: 3, seedPrefix: `tri${s}` });
      assert.equal(played.results[0]!.stats.sameTeamPairs, 0);
    }
  });
});
