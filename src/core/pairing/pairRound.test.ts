import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairRound } from './pairRound.js';
import { createRng } from './rng.js';
import { minimumRepeats, minimumRepeatsWithTrio, pairKey, people, placementProblems } from './testSupport.js';
import type { PairingMember, PastMeeting } from './types.js';

function randomHistory(ids: readonly string[], meetings: number, seed: string): PastMeeting[] {
  const rng = createRng(seed);
  const history: PastMeeting[] = [];
  for (let k = 0; k < meetings; k++) {
    const a = ids[rng.nextInt(ids.length)]!;
    const b = ids[rng.nextInt(ids.length)]!;
    if (a !== b) history.push({ participants: [a, b], at: rng.nextInt(20) });
  }
  return history;
}

describe('pairRound basics', () => {
  it('handles 0, 1, 2 and 3 members', () => {
    assert.deepEqual(pairRound({ members: [], history: [], seed: 's' }), {
      groups: [],
      sittingOut: [],
      stats: { repeatPairs: 0, sameTeamPairs: 0, managerReportPairs: 0 },
    });
    const one = pairRound({ members: people(1), history: [], seed: 's' });
    assert.deepEqual(one.groups, []);
    assert.deepEqual(one.sittingOut, ['p0']);
    assert.deepEqual(pairRound({ members: people(2), history: [], seed: 's' }).groups, [['p0', 'p1']]);
    assert.deepEqual(pairRound({ members: people(3), history: [], seed: 's' }).groups, [['p0', 'p1', 'p2']]);
    const sitOut = pairRound({ members: people(3), history: [], seed: 's', oddPolicy: 'sit_out' });
    assert.equal(sitOut.groups.length, 1);
    assert.equal(sitOut.groups[0]!.length, 2);
    assert.equal(sitOut.sittingOut.length, 1);
  });

  it('refuses duplicate member ids instead of dropping or doubling someone', () => {
    assert.throws(
      () => pairRound({ members: [{ id: 'a' }, { id: 'b' }, { id: 'a' }], history: [], seed: 's' }),
      /twice/,
    );
  });

  it('never drops anyone: n = 0..25, both odd policies, group sizes 2 and 3, with history', () => {
    for (let n = 0; n <= 25; n++) {
      const members = people(n);
      const history = randomHistory(
        members.map((m) => m.id),
        n * 3,
        `h${n}`,
      );
      for (const oddPolicy of ['trio', 'sit_out'] as const) {
        const result = pairRound({ members, history, seed: `n${n}`, oddPolicy });
        assert.deepEqual(placementProblems(members, result), [], `n=${n} ${oddPolicy}`);
        const sizes = result.groups.map((g) => g.length).sort();
        if (n === 1) {
          assert.deepEqual(result.sittingOut, ['p0']);
        } else if (oddPolicy === 'trio') {
          assert.equal(result.sittingOut.length, 0);
          assert.equal(sizes.filter((s) => s === 3).length, n % 2, `n=${n}: one trio iff odd`);
          assert.ok(sizes.every((s) => s === 2 || s === 3));
        } else {
          assert.equal(result.sittingOut.length, n % 2);
          assert.ok(sizes.every((s) => s === 2));
        }
      }
      const triples = pairRound({ members, history, seed: `t${n}`, groupSize: 3 });
      assert.deepEqual(placementProblems(members, triples), [], `n=${n} groupSize 3`);
      if (n >= 2) {
        const pairsWanted = n === 1 ? 0 : [0, 2, 1][n % 3]!;
        const sizes = triples.groups.map((g) => g.length);
        assert.equal(sizes.filter((s) => s === 2).length, pairsWanted, `n=${n}: pairs only for the remainder`);
        assert.equal(sizes.filter((s) => s === 3).length, (n - 2 * pairsWanted) / 3);
      }
    }
  });

  it('is deterministic for a seed and varies with the seed', () => {
    const members = people(30);
    const history = randomHistory(
      members.map((m) => m.id),
      60,
      'det',
    );
    const a = pairRound({ members, history, seed: 'alpha' });
    const b = pairRound({ members: members.map((m) => ({ ...m })), history: [...history], seed: 'alpha' });
    assert.deepEqual(a, b);
    const outcomes = new Set(
      ['s1', 's2', 's3', 's4', 's5'].map((seed) =>
        JSON.stringify(pairRound({ members: people(8), history: [], seed }).groups),
      ),
    );
    assert.ok(outcomes.size > 1, 'different seeds should break ties differently');
  });
});

describe('rule 1: no repeat while someone new is available, judged over the whole round', () => {
  it('beats per-person greedy in a crafted case', () => {
    // Unmet pairs: a-b, a-c, c-d only. Greedy in order a, b, c, d lets a take c (unmet) and leaves
    // b-d, a repeat. The only repeat-free round is a-b + c-d.
    const history: PastMeeting[] = [
      { participants: ['b', 'c'], at: 1 },
      { participants: ['b', 'd'], at: 1 },
      { participants: ['a', 'd'], at: 2 },
    ];
    for (let s = 0; s < 40; s++) {
      const result = pairRound({
        members: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
        history,
        seed: `g${s}`,
      });
      assert.deepEqual(result.groups, [
        ['a', 'b'],
        ['c', 'd'],
      ]);
      assert.equal(result.stats.repeatPairs, 0);
    }
  });

  it('matches the brute-force minimum number of repeats on random histories (n ≤ 12)', () => {
    const rng = createRng('rule1');
    for (let trial = 0; trial < 120; trial++) {
      const n = 2 * (2 + rng.nextInt(5));
      const members = people(n);
      const ids = members.map((m) => m.id);
      // Dense histories, so that repeats are often forced and the round has to place them well.
      const history = randomHistory(ids, Math.floor(n * n * (0.2 + rng.next() * 0.5)), `r1-${trial}`);
      const result = pairRound({ members, history, seed: `t${trial}` });
      assert.equal(result.stats.repeatPairs, minimumRepeats(ids, history), `trial ${trial}, n=${n}`);
    }
  });
});

describe('rule 1 with an odd count and one trio', () => {
  it('matches the brute-force minimum over all splits into pairs and one trio (n = 5, 7, 9)', () => {
    const rng = createRng('rule1-trio');
    for (let trial = 0; trial < 150; trial++) {
      const n = 5 + 2 * rng.nextInt(3);
      const members = people(n);
      const ids = members.map((m) => m.id);
      const history = randomHistory(ids, Math.floor(n * n * (0.15 + rng.next() * 0.4)), `r1t-${trial}`);
      const result = pairRound({ members, history, seed: `t${trial}` });
      assert.equal(result.stats.repeatPairs, minimumRepeatsWithTrio(ids, history), `trial ${trial}, n=${n}`);
    }
  });
});

describe('rule 2: an unavoidable repeat goes to the pair that met longest ago, and fewest times', () => {
  it('prefers the oldest meeting', () => {
    const history: PastMeeting[] = [
      { participants: ['a', 'b'], at: 100 },
      { participants: ['c', 'd'], at: 100 },
      { participants: ['a', 'c'], at: 500 },
      { participants: ['b', 'd'], at: 500 },
      { participants: ['a', 'd'], at: 900 },
      { participants: ['b', 'c'], at: 900 },
    ];
    for (let s = 0; s < 20; s++) {
      const result = pairRound({
        members: people(0).concat([{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }]),
        history,
        seed: `o${s}`,
      });
      assert.deepEqual(result.groups, [
        ['a', 'b'],
        ['c', 'd'],
      ]);
      assert.equal(result.stats.repeatPairs, 2);
    }
  });

  it('among equally old repeats, prefers pairs that met fewer times', () => {
    const history: PastMeeting[] = [
      // a-b and c-d met three times, a-c and b-d once, all last at time 5; a-d and b-c met recently.
      { participants: ['a', 'b'], at: 1 },
      { participants: ['a', 'b'], at: 3 },
      { participants: ['a', 'b'], at: 5 },
      { participants: ['c', 'd'], at: 2 },
      { participants: ['c', 'd'], at: 5 },
      { participants: ['c', 'd'], at: 4 },
      { participants: ['a', 'c'], at: 5 },
      { participants: ['b', 'd'], at: 5 },
      { participants: ['a', 'd'], at: 9 },
      { participants: ['b', 'c'], at: 9 },
    ];
    for (let s = 0; s < 20; s++) {
      const result = pairRound({
        members: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }],
        history,
        seed: `f${s}`,
      });
      assert.deepEqual(result.groups, [
        ['a', 'c'],
        ['b', 'd'],
      ]);
    }
  });

  it('a new pair still beats any old repeat', () => {
    const history: PastMeeting[] = [
      { participants: ['a', 'b'], at: 1 },
      { participants: ['c', 'd'], at: 1 },
      { participants: ['a', 'c'], at: 2 },
      { participants: ['b', 'd'], at: 2 },
    ];
    // Only a-d and b-c are new; that round must be chosen although a-b/c-d met long ago.
    const result = pairRound({ members: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }], history, seed: 'x' });
    assert.deepEqual(result.groups, [
      ['a', 'd'],
      ['b', 'c'],
    ]);
  });
});

describe('rule 3: avoid same-team and manager–report pairs where possible', () => {
  it('pairs across teams when it can', () => {
    const members: PairingMember[] = [
      { id: 'a1', team: 'A' },
      { id: 'a2', team: 'A' },
      { id: 'a3', team: 'A' },
      { id: 'b1', team: 'B' },
      { id: 'b2', team: 'B' },
      { id: 'b3', team: 'B' },
    ];
    for (let s = 0; s < 30; s++) {
      const result = pairRound({ members, history: [], seed: `team${s}` });
      assert.equal(result.stats.sameTeamPairs, 0, `seed ${s}: ${JSON.stringify(result.groups)}`);
    }
  });

  it('keeps managers away from their reports', () => {
    const members: PairingMember[] = [
      { id: 'boss' },
      { id: 'r1', managerId: 'boss' },
      { id: 'r2', managerId: 'boss' },
      { id: 'x' },
    ];
    for (let s = 0; s < 30; s++) {
      const result = pairRound({ members, history: [], seed: `mgr${s}` });
      assert.equal(result.stats.managerReportPairs, 0);
      assert.ok(result.groups.some((g) => g.includes('boss') && g.includes('x')));
    }
  });

  it('gives way to novelty: a teammate is better than a repeat', () => {
    const members: PairingMember[] = [
      { id: 'a1', team: 'A' },
      { id: 'a2', team: 'A' },
      { id: 'b1', team: 'B' },
      { id: 'b2', team: 'B' },
    ];
    const history: PastMeeting[] = [
      { participants: ['a1', 'b1'], at: 1 },
      { participants: ['a2', 'b2'], at: 1 },
      { participants: ['a1', 'b2'], at: 2 },
      { participants: ['a2', 'b1'], at: 2 },
    ];
    const result = pairRound({ members, history, seed: 's' });
    assert.equal(result.stats.repeatPairs, 0);
    assert.equal(result.stats.sameTeamPairs, 2);
  });
});

describe('rule 6: odd count with sit_out', () => {
  it('sits out someone who never sat out, over people who did', () => {
    const members = people(7);
    const lastSatOut: Record<string, number> = {};
    for (const m of members) if (m.id !== 'p4') lastSatOut[m.id] = 1000;
    for (let s = 0; s < 20; s++) {
      const result = pairRound({ members, history: [], seed: `so${s}`, oddPolicy: 'sit_out', lastSatOut });
      assert.deepEqual(result.sittingOut, ['p4']);
    }
  });

  it('picks the oldest sit-out, and breaks ties by seed', () => {
    const members = people(5);
    const lastSatOut = { p0: 50, p1: 10, p2: 10, p3: 70, p4: 90 };
    const chosen = new Set<string>();
    for (let s = 0; s < 40; s++) {
      const result = pairRound({ members, history: [], seed: `tie${s}`, oddPolicy: 'sit_out', lastSatOut });
      assert.equal(result.sittingOut.length, 1);
      chosen.add(result.sittingOut[0]!);
    }
    assert.deepEqual([...chosen].sort(), ['p1', 'p2']);
  });

  it('also holds on the sparse path used for large groups', () => {
    const members = people(401);
    const lastSatOut: Record<string, number> = {};
    for (const m of members) if (m.id !== 'p123') lastSatOut[m.id] = 5;
    const result = pairRound({ members, history: [], seed: 'big', oddPolicy: 'sit_out', lastSatOut });
    assert.deepEqual(result.sittingOut, ['p123']);
    assert.deepEqual(placementProblems(members, result), []);
  });
});

describe('large groups (sparse candidate graph)', () => {
  it('places everyone with no repeats while plenty of new partners exist', () => {
    const members = people(2001);
    const ids = members.map((m) => m.id);
    const rng = createRng('large');
    const history: PastMeeting[] = [];
    for (let r = 0; r < 4; r++) {
      const order = rng.shuffle([...ids]);
      for (let i = 0; i + 1 < order.length; i += 2) history.push({ participants: [order[i]!, order[i + 1]!], at: r });
    }
    const result = pairRound({ members, history, seed: 'big' });
    assert.deepEqual(placementProblems(members, result), []);
    assert.equal(result.stats.repeatPairs, 0);
    const met = new Set(history.map((h) => pairKey(h.participants[0]!, h.participants[1]!)));
    for (const g of result.groups) assert.ok(!met.has(pairKey(g[0]!, g[1]!)) || g.length === 3);
  });
});
